#include "variants/effect_writers.hpp"

#include <htslib/vcf.h>

#include <cctype>
#include <filesystem>
#include <iterator>
#include <set>

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::variants {

std::string_view skip_name(Skip s) {
  switch (s) {
    case Skip::none: return "none";
    case Skip::no_alt: return "no_alt";
    case Skip::symbolic: return "symbolic";
    case Skip::invalid_allele: return "invalid_allele";
    case Skip::unknown_contig: return "unknown_contig";
    case Skip::past_end: return "past_end";
    case Skip::ref_mismatch: return "ref_mismatch";
  }
  return "?";
}

std::string_view skip_description(Skip s) {
  switch (s) {
    case Skip::none: return "scored";
    case Skip::no_alt: return "no ALT allele";
    case Skip::symbolic: return "symbolic ALT";
    case Skip::invalid_allele: return "ALT not made of bases";
    case Skip::unknown_contig: return "contig not in the genome";
    case Skip::past_end: return "REF past the contig end";
    case Skip::ref_mismatch: return "REF mismatch";
  }
  return "?";
}

std::string AlleleResult::status() const {
  if (!scored()) return fmt::format("skipped_{}", skip_name(skip));
  if (padded && ref_mismatch) return "padded+ref_mismatch";
  if (padded) return "padded";
  if (ref_mismatch) return "ref_mismatch";
  return "ok";
}

ScoreLayout score_layout(const std::vector<std::string>& tasks, bool per_position, bool logits, int64_t distance) {
  ScoreLayout l;
  l.tasks = tasks;
  l.per_position = per_position;
  const char* value = logits ? "logit" : "probability";
  if (per_position) {
    l.kinds = {
        {"gain", false, fmt::format("largest increase ALT - REF of the per-position {} within {} bases of POS "
                                    "(SpliceAI's delta score; positions compared on the genome)", value, distance)},
        {"gain_pos", true, "position of the largest increase relative to POS"},
        {"loss", false, fmt::format("largest decrease REF - ALT of the per-position {} within {} bases of POS",
                                    value, distance)},
        {"loss_pos", true, "position of the largest decrease relative to POS"},
    };
  } else {
    l.kinds = {
        {"ref", false, fmt::format("{} on the REF window", value)},
        {"alt", false, fmt::format("{} on the ALT window", value)},
        {"diff", false, fmt::format("ALT - REF {}", value)},
    };
    if (!logits) {
      l.kinds.push_back({"log2", false, fmt::format("log2((ALT + {:g}) / (REF + {:g})) of the probabilities", 1e-6, 1e-6)});
    }
  }
  return l;
}

bool compressed_vcf_name(const std::string& output) {
  return ends_with_ci(output, ".gz") || ends_with_ci(output, ".bgz");
}

EffectFormat effect_format(const std::string& output, const std::string& format) {
  if (format == "tsv") return EffectFormat::tsv;
  if (format == "vcf") return EffectFormat::vcf;
  if (!format.empty()) throw UsageError("--format: expected tsv or vcf, found '{}'", format);
  for (const char* ext : {".vcf", ".vcf.gz", ".vcf.bgz"}) {
    if (ends_with_ci(output, ext)) return EffectFormat::vcf;
  }
  return EffectFormat::tsv;
}

std::vector<std::string> info_keys(const ScoreLayout& layout, const std::string& prefix) {
  auto clean = [](std::string key) {
    for (char& c : key) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') c = '_';
    }
    if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0])) || key[0] == '.') key.insert(0, "_");
    return key;
  };
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (size_t t = 0; t < layout.tasks.size(); ++t) {
    std::string task = layout.tasks[t];
    // Distinct tasks whose names clean to the same text keep distinct keys.
    std::string base = clean(prefix + task);
    for (int k = 2; seen.count(base + "_" + layout.kinds[0].name) != 0; ++k) base = clean(prefix + task) + fmt::format("_{}", k);
    for (const auto& kind : layout.kinds) {
      keys.push_back(base + "_" + kind.name);
      seen.insert(keys.back());
    }
  }
  keys.push_back(clean(prefix + "STATUS"));
  return keys;
}

namespace {

// An htslib object closed by `Close` when it goes.
template <class T, auto Close>
class Handle {
 public:
  Handle() = default;
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (p_ != nullptr) Close(p_);
  }
  T* reset(T* p) {
    if (p_ != nullptr) Close(p_);
    p_ = p;
    return p;
  }
  T* release() {
    T* p = p_;
    p_ = nullptr;
    return p;
  }

 private:
  T* p_ = nullptr;
};

std::string format_value(float v, bool integer) {
  if (integer) return fmt::format("{}", static_cast<int64_t>(v));
  return fmt::format("{:.6g}", v);
}

class TsvWriter : public EffectWriter {
 public:
  TsvWriter(const WriterOptions& o, const ScoreLayout& layout) : layout_(layout), file_(o.output) {}

  void add(const AlleleResult& r) override {
    if (!started_) header();
    const auto& a = r.allele;
    line_.clear();
    fmt::format_to(std::back_inserter(line_), "{}\t{}\t{}\t{}\t{}", a.chrom, a.pos + 1, a.id, a.ref, a.alt);
    for (size_t t = 0; t < layout_.tasks.size(); ++t) {
      for (size_t k = 0; k < layout_.kinds.size(); ++k) {
        line_ += '\t';
        line_ += r.scored() ? format_value(r.values[t * layout_.kinds.size() + k], layout_.kinds[k].integer) : "NA";
      }
    }
    line_ += '\t';
    line_ += r.status();
    line_ += '\n';
    file_.write(line_);
  }

  std::vector<std::string> finish() override {
    if (!started_) header();
    file_.commit();
    return {file_.target()};
  }

 private:
  // Written with the first row (stdout gets nothing when a run fails before it).
  void header() {
    started_ = true;
    file_.write("chrom\tpos\tid\tref\talt");
    for (const auto& task : layout_.tasks) {
      for (const auto& kind : layout_.kinds) file_.print("\t{}_{}", task, kind.name);
    }
    file_.write("\tstatus\n");
  }

  ScoreLayout layout_;
  AtomicFile file_;
  std::string line_;
  bool started_ = false;
};

// The VCF read again record by record, in step with the alleles that were scored (the same file, the same
// order: each record's alleles arrive together), each record written with its INFO fields added.
class VcfWriter : public EffectWriter {
 public:
  VcfWriter(const WriterOptions& o, const ScoreLayout& layout)
      : layout_(layout), keys_(info_keys(layout, o.info_prefix)), vcf_(o.vcf) {
    if (o.vcf == "-") {
      throw UsageError("--vcf -: VCF output reads the input twice, which stdin cannot be; give a file (or write TSV)");
    }
    bool to_stdout = o.output == "-";
    compressed_ = !to_stdout && compressed_vcf_name(o.output);
    in_ = in_handle_.reset(hts_open(o.vcf.c_str(), "r"));
    if (in_ == nullptr) throw InputError("cannot open {}: {}", o.vcf, errno_text(errno));
    hdr_ = hdr_handle_.reset(bcf_hdr_read(in_));
    if (hdr_ == nullptr) throw FormatError("{}: cannot read the VCF header", o.vcf);
    rec_ = rec_handle_.reset(bcf_init());
    for (const auto& key : keys_) {
      if (bcf_hdr_get_hrec(hdr_, BCF_HL_INFO, "ID", key.c_str(), nullptr) != nullptr) {
        throw UsageError("{} already has an INFO field {} (an earlier seqdl run?): choose another --info-prefix", o.vcf,
                         key);
      }
    }
    auto quoted = [](std::string text) {
      for (char& c : text) {
        if (c == '"' || c == '\n' || c == '\r') c = '\'';
      }
      return text;
    };
    size_t i = 0;
    for (const auto& task : layout.tasks) {
      for (const auto& kind : layout.kinds) {
        std::string line = fmt::format("##INFO=<ID={},Number=A,Type={},Description=\"seqdl variants: {}: {}{}\">",
                                       keys_[i++], kind.integer ? "Integer" : "Float", quoted(task),
                                       quoted(kind.description), o.description.empty() ? "" : " (" + quoted(o.description) + ")");
        append(line);
      }
    }
    append(fmt::format("##INFO=<ID={},Number=A,Type=String,Description=\"seqdl variants: ok, padded (a window ran off a "
                       "contig end and was N-padded), ref_mismatch (scored although REF differs from the genome), both "
                       "joined by +, or skipped_<reason> ({})\">",
                       keys_.back(), [] {
                         std::string r;
                         for (Skip s : kSkipReasons) r += (r.empty() ? "" : ", ") + std::string(skip_name(s));
                         return r;
                       }()));
    if (!o.command_line.empty()) append("##seqdl_variantsCommand=" + quoted(o.command_line));
    if (bcf_hdr_sync(hdr_) != 0) throw InputError("{}: cannot extend the VCF header", o.vcf);

    if (to_stdout) {
      out_ = out_handle_.reset(hts_open("-", "w"));
    } else {
      file_ = std::make_unique<AtomicFile>(o.output, AtomicFile::Mode::path);
      out_ = out_handle_.reset(hts_open(file_->temp_path().c_str(), compressed_ ? "wz" : "w"));
    }
    if (out_ == nullptr) throw InputError("cannot write {}: {}", o.output, errno_text(errno));
    target_ = o.output;
  }

  void add(const AlleleResult& r) override {
    if (!started_) header();
    if (r.allele.record != current_) {
      if (current_ != 0) write_record();
      current_ = r.allele.record;
      pending_.clear();
    }
    pending_.push_back(r);
  }

  std::vector<std::string> finish() override {
    if (!started_) header();
    if (current_ != 0) write_record();
    current_ = 0;
    if (bcf_read(in_, hdr_, rec_) != -1) {
      throw std::runtime_error(fmt::format("{}: records after {} were not scored", vcf_, written_));
    }
    int closed = hts_close(out_handle_.release());
    out_ = nullptr;
    if (closed != 0) throw InputError("cannot write {}", target_);
    if (file_ == nullptr) return {"stdout"};
    std::vector<std::string> outputs{target_};
    std::unique_ptr<AtomicFile> index;
    const bool device = file_->temp_path() == target_;  // /dev/null, a pipe: nothing to index
    if (compressed_ && !device) {
      index = std::make_unique<AtomicFile>(target_ + ".tbi", AtomicFile::Mode::path);
      int ret = bcf_index_build3(file_->temp_path().c_str(), index->temp_path().c_str(), 0, 1);
      if (ret != 0) {
        index.reset();
        index_problem_ = fmt::format("{} could not be tabix-indexed (are the records sorted by contig and position? "
                                     "bcftools sort, then tabix -p vcf)", target_);
      }
    }
    file_->commit();
    if (index) {
      index->commit();
      outputs.push_back(index->target());
    } else if (compressed_ && !device) {
      std::error_code ec;
      std::filesystem::remove(target_ + ".tbi", ec);  // an earlier run's index would not fit the new file
    }
    return outputs;
  }

  std::string index_problem() const override { return index_problem_; }

 private:
  // Written with the first record (stdout gets nothing when a run fails before it).
  void header() {
    started_ = true;
    if (bcf_hdr_write(out_, hdr_) != 0) throw InputError("cannot write {}", target_);
  }

  void append(const std::string& line) {
    if (bcf_hdr_append(hdr_, line.c_str()) != 0) throw InputError("{}: cannot add to the VCF header: {}", vcf_, line);
  }

  void write_record() {
    int ret = bcf_read(in_, hdr_, rec_);
    ++written_;
    if (ret != 0) throw FormatError("{}: record {} cannot be read again", vcf_, written_);
    if (written_ != current_) {
      throw std::runtime_error(fmt::format("{}: record {} arrived while record {} was expected", vcf_, current_, written_));
    }
    const int n_alt = rec_->n_allele - 1;
    if (n_alt >= 1) {
      const size_t kinds = layout_.kinds.size();
      std::vector<float> floats(static_cast<size_t>(n_alt));
      std::vector<int32_t> ints(static_cast<size_t>(n_alt));
      for (size_t t = 0; t < layout_.tasks.size(); ++t) {
        for (size_t k = 0; k < kinds; ++k) {
          const std::string& key = keys_[t * kinds + k];
          bool any = false;
          for (int a = 0; a < n_alt; ++a) {
            bcf_float_set_missing(floats[static_cast<size_t>(a)]);
            ints[static_cast<size_t>(a)] = bcf_int32_missing;
          }
          for (const auto& r : pending_) {
            if (!r.scored() || r.allele.allele < 1 || r.allele.allele > n_alt) continue;
            float v = r.values[t * kinds + k];
            auto a = static_cast<size_t>(r.allele.allele - 1);
            if (layout_.kinds[k].integer) {
              ints[a] = static_cast<int32_t>(v);
            } else {
              floats[a] = v;
            }
            any = true;
          }
          if (!any) continue;
          int ok = layout_.kinds[k].integer ? bcf_update_info_int32(hdr_, rec_, key.c_str(), ints.data(), n_alt)
                                            : bcf_update_info_float(hdr_, rec_, key.c_str(), floats.data(), n_alt);
          if (ok != 0) throw InputError("{}: cannot add INFO/{} to record {}", vcf_, key, written_);
        }
      }
      std::vector<std::string> status(static_cast<size_t>(n_alt), ".");
      for (const auto& r : pending_) {
        if (r.allele.allele >= 1 && r.allele.allele <= n_alt) status[static_cast<size_t>(r.allele.allele - 1)] = r.status();
      }
      std::string joined;
      for (const auto& s : status) joined += (joined.empty() ? "" : ",") + s;
      if (bcf_update_info_string(hdr_, rec_, keys_.back().c_str(), joined.c_str()) != 0) {
        throw InputError("{}: cannot add INFO/{} to record {}", vcf_, keys_.back(), written_);
      }
    }
    if (bcf_write(out_, hdr_, rec_) != 0) throw InputError("cannot write {}", target_);
  }

  ScoreLayout layout_;
  std::vector<std::string> keys_;
  std::string vcf_, target_, index_problem_;
  bool compressed_ = false, started_ = false;
  // Declared so that the output closes before its temporary is removed (members go in reverse order).
  std::unique_ptr<AtomicFile> file_;
  Handle<htsFile, hts_close> in_handle_;
  Handle<bcf_hdr_t, bcf_hdr_destroy> hdr_handle_;
  Handle<bcf1_t, bcf_destroy> rec_handle_;
  Handle<htsFile, hts_close> out_handle_;
  htsFile* in_ = nullptr;
  htsFile* out_ = nullptr;
  bcf_hdr_t* hdr_ = nullptr;
  bcf1_t* rec_ = nullptr;
  uint64_t current_ = 0, written_ = 0;
  std::vector<AlleleResult> pending_;
};

}  // namespace

std::unique_ptr<EffectWriter> open_effect_writer(const WriterOptions& options, const ScoreLayout& layout) {
  if (options.format == EffectFormat::vcf) return std::make_unique<VcfWriter>(options, layout);
  return std::make_unique<TsvWriter>(options, layout);
}

}  // namespace seqdl::variants
