#include "variants/effect_writers.hpp"

#include <cctype>
#include <cmath>
#include <iterator>
#include <set>

#include "io/vcf_annotator.hpp"
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

EffectFormat effect_format(const std::string& output, std::optional<EffectFormat> format) {
  if (format) return *format;
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
      : layout_(layout),
        annotator_(reread_vcf_input(o.vcf), o.output, fields(o, layout), command_header_lines(o)) {}

  void add(const AlleleResult& r) override {
    pending_.add(r, [this] { write_record(); });
  }

  std::vector<std::string> finish() override {
    pending_.flush([this] { write_record(); });
    return annotator_.finish();
  }

  void input_records(uint64_t records) override {
    pending_.flush([this] { write_record(); });
    pass_over(records);
  }

  std::string index_problem() const override { return annotator_.index_problem(); }

 private:
  static std::vector<io::InfoField> fields(const WriterOptions& o, const ScoreLayout& layout) {
    std::vector<std::string> keys = info_keys(layout, o.info_prefix);
    std::vector<io::InfoField> out;
    size_t i = 0;
    for (const auto& task : layout.tasks) {
      for (const auto& kind : layout.kinds) {
        out.push_back({keys[i++], kind.integer ? io::InfoField::Type::integer : io::InfoField::Type::floating,
                       fmt::format("seqdl variants: {}: {}{}", task, kind.description,
                                   o.description.empty() ? "" : " (" + o.description + ")")});
      }
    }
    std::vector<std::string> reasons;
    for (Skip s : kSkipReasons) reasons.emplace_back(skip_name(s));
    out.push_back({keys.back(), io::InfoField::Type::text,
                   fmt::format("seqdl variants: ok, padded (a window ran off a contig end and was N-padded), "
                               "ref_mismatch (scored although REF differs from the genome), both joined by +, or "
                               "skipped_<reason> ({})", join(reasons, ", "))});
    return out;
  }

  // The current record's values per field: every scored allele's value at its ALT index, missing elsewhere.
  // Reads the input up to record `last` without writing (records outside --regions or --shard).
  void pass_over(uint64_t last) {
    for (; read_ < last; ++read_) annotator_.next_record();
  }

  void write_record() {
    pass_over(pending_.record - 1);
    const int n_alt = annotator_.next_record();
    ++read_;
    if (n_alt >= 1) {
      const size_t kinds = layout_.kinds.size();
      for (size_t t = 0; t < layout_.tasks.size(); ++t) {
        for (size_t k = 0; k < kinds; ++k) set_field(t * kinds + k, layout_.kinds[k].integer, n_alt);
      }
      std::vector<std::string> status(static_cast<size_t>(n_alt), ".");
      for (const auto& r : pending_.results) {
        if (r.allele.allele >= 1 && r.allele.allele <= n_alt) status[static_cast<size_t>(r.allele.allele - 1)] = r.status();
      }
      annotator_.set_text(layout_.size(), join(status, ","));
    }
    annotator_.write_record();
  }

  void set_field(size_t field, bool integer, int n_alt) {
    std::vector<float> floats(static_cast<size_t>(n_alt), std::nanf(""));
    std::vector<int32_t> ints(static_cast<size_t>(n_alt), io::VcfAnnotator::kMissingInteger);
    bool any = false;
    for (const auto& r : pending_.results) {
      if (!r.scored() || r.allele.allele < 1 || r.allele.allele > n_alt) continue;
      float v = r.values[field];
      auto a = static_cast<size_t>(r.allele.allele - 1);
      if (integer) {
        ints[a] = static_cast<int32_t>(v);
      } else {
        floats[a] = v;
      }
      any = true;
    }
    if (!any) return;
    if (integer) {
      annotator_.set_integers(field, ints);
    } else {
      annotator_.set_floats(field, floats);
    }
  }

  ScoreLayout layout_;
  io::VcfAnnotator annotator_;
  uint64_t read_ = 0;  // input records read by the annotator
  PendingRecord<AlleleResult> pending_;
};

}  // namespace

const std::string& reread_vcf_input(const std::string& vcf) {
  if (vcf == "-") {
    throw UsageError("--vcf -: VCF output reads the input twice, which stdin cannot be; give a file (or write TSV)");
  }
  return vcf;
}

std::vector<std::string> command_header_lines(const WriterOptions& o) {
  if (o.command_line.empty()) return {};
  return {"##seqdl_variantsCommand=" + o.command_line};
}

std::unique_ptr<EffectWriter> open_effect_writer(const WriterOptions& options, const ScoreLayout& layout) {
  if (options.format == EffectFormat::vcf) return std::make_unique<VcfWriter>(options, layout);
  return std::make_unique<TsvWriter>(options, layout);
}

}  // namespace seqdl::variants
