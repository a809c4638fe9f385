#include "variants/variants.hpp"

#include <torch/torch.h>

#include <chrono>

#include "encode/bases.hpp"
#include "encode/one_hot.hpp"
#include "io/indexed_fasta.hpp"
#include "io/vcf.hpp"
#include "nn/model.hpp"
#include "predict/output_tasks.hpp"
#include "predict/window_runner.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/provenance.hpp"
#include "util/text.hpp"
#include "variants/allele_windows.hpp"

namespace seqdl::variants {

uint64_t VariantsSummary::skipped_total() const {
  uint64_t n = 0;
  for (const auto& [reason, count] : skipped) n += count;
  return n;
}

std::string VariantsSummary::skipped_text() const {
  std::string text;
  for (Skip s : kSkipReasons) {
    auto it = skipped.find(s);
    if (it == skipped.end() || it->second == 0) continue;
    text += fmt::format("{}{} {}", text.empty() ? "" : ", ", with_commas(it->second), skip_description(s));
  }
  return text;
}

namespace {

// Per-record warnings about alleles that are not scored. They are held back until the first allele is scored,
// so that a VCF with nothing to score ends in one error line; after 20 of a kind the rest are only counted
// (all of them with --verbose).
class SkipWarnings {
 public:
  void add(Skip reason, uint64_t record, std::string message) {
    if (record == last_record_ && reason == last_reason_) return;  // one warning per record and reason
    last_record_ = record;
    last_reason_ = reason;
    if (first_.count(reason) == 0) first_[reason] = message;
    uint64_t n = ++count_[reason];
    if (n <= kShown || log::enabled(log::Level::debug)) {
      emit(std::move(message));
    } else if (n == kShown + 1) {
      emit(fmt::format("more records with {} are not shown (see the counts at the end; --verbose shows all)",
                       skip_description(reason)));
    }
  }
  void release() {
    if (released_) return;
    released_ = true;
    for (auto& m : held_) log::warn("{}", m);
    held_.clear();
  }
  const std::string& first(Skip reason) const { return first_.at(reason); }

 private:
  static constexpr uint64_t kShown = 20;
  void emit(std::string message) {
    if (released_) {
      log::warn("{}", message);
    } else {
      held_.push_back(std::move(message));
    }
  }
  bool released_ = false;
  std::vector<std::string> held_;
  std::map<Skip, uint64_t> count_;
  std::map<Skip, std::string> first_;
  uint64_t last_record_ = 0;
  Skip last_reason_ = Skip::none;
};

// A scorable allele waiting for its batch: its result slot and the windows that hold its REF and ALT bases.
struct Job {
  size_t result = 0;
  int64_t ref_window = 0, alt_window = 0;
  AlleleLayout layout;
};

std::string what(const io::VariantAllele& a) {
  std::string ref = a.ref.size() > 20 ? a.ref.substr(0, 17) + "..." : a.ref;
  std::string alt = a.alt.size() > 20 ? a.alt.substr(0, 17) + "..." : a.alt;
  return fmt::format("record {} ({}:{} {}>{}{})", a.record, a.chrom, a.pos + 1, ref, alt, a.id == "." ? "" : " " + a.id);
}

}  // namespace

VariantsSummary run_variants(const VariantsOptions& o) {
  auto start = std::chrono::steady_clock::now();
  if (o.genome.empty()) throw UsageError("--genome: the indexed FASTA that the VCF's positions refer to");
  if (o.vcf.empty()) throw UsageError("--vcf: the variants to score (VCF or BCF)");
  if (o.output.empty()) throw UsageError("-o/--output: name the output (or - for stdout)");
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  if (o.distance < 0) throw UsageError("--distance must be at least 0");
  EffectFormat format = effect_format(o.output, o.format);
  if (format == EffectFormat::vcf && o.vcf == "-") {
    throw UsageError("--vcf -: VCF output reads the input twice, which stdin cannot be; give a file (or write TSV)");
  }

  nn::ModelOverrides overrides;
  overrides.window = o.window;
  overrides.task_names = o.task_names;
  overrides.task_type = o.task_type;
  auto model = nn::open_model(o.model, overrides);
  const nn::ModelInfo& info = model->info();
  const int64_t W = info.input_length;
  const bool per_position = info.per_position;
  const int64_t P = per_position ? info.output_positions : 1;
  const int64_t offset = per_position ? info.output_offset : 0;
  predict::OutputTasks tasks(info, o.tasks);
  if (per_position) {
    int64_t most = max_distance(W, P, offset);
    if (most < 0) throw ModelError("{}: its outputs do not cover the centre of its {}-bp window", o.model, W);
    if (o.distance > most) {
      throw UsageError("--distance {} reaches past the model's outputs: {} outputs from window index {} of {} cover at "
                       "most {} bases either side of the centre",
                       o.distance, P, offset, W, most);
    }
  }
  io::IndexedFasta genome(o.genome);
  io::VcfReader reader(o.vcf);

  ScoreLayout layout = score_layout(tasks.names(), per_position, o.logits, o.distance);
  const size_t kinds = layout.kinds.size();
  WriterOptions wo;
  wo.vcf = o.vcf;
  wo.output = o.output;
  wo.format = format;
  wo.info_prefix = o.info_prefix;
  const char* strand_text = o.strands == Strands::mean ? "mean of both strands"
                            : o.strands == Strands::max ? "max of both strands"
                                                        : "forward strand";
  wo.description = fmt::format("model {}, {}-bp windows, {}", o.model, W, strand_text);
  wo.command_line = run_provenance().command_line();
  auto writer = open_effect_writer(wo, layout);

  encode::OneHotTable table(encode::parse_unknown(info.unknown));
  predict::Strands strands = o.strands == Strands::mean  ? predict::Strands::mean
                             : o.strands == Strands::max ? predict::Strands::max
                                                         : predict::Strands::none;
  predict::WindowGeometry geometry{W, W, P, 0, false};
  predict::WindowRunner runner(*model, geometry, strands, o.logits, o.batch, table, /*allow_shared=*/false);

  VariantsSummary summary;
  summary.engine = fmt::format("{} ({} outputs{}), {}-bp windows, {}, {} windows per batch", o.model,
                               per_position ? "per-position" : "per-window",
                               per_position ? fmt::format(" over {} positions", P) : "", W, strand_text, o.batch);
  SkipWarnings warnings;
  Progress progress("variants", 0, "alleles");

  std::vector<AlleleResult> results;  // in VCF order since the last batch
  std::vector<Job> jobs;
  std::string codes;
  int64_t windows = 0;
  uint64_t ref_record = 0;  // the record whose REF window is the last one in `codes`
  int64_t ref_window = -1;
  std::vector<float> ref_values(tasks.size() * static_cast<size_t>(P)), alt_values(ref_values.size());

  auto flush = [&] {
    if (!jobs.empty()) {
      auto out = runner.run(codes, windows).contiguous();
      const float* v = out.data_ptr<float>();
      const int64_t per = out[0].numel();
      for (const Job& job : jobs) {
        AlleleResult& r = results[job.result];
        r.values.resize(layout.size());
        const float* ro = v + job.ref_window * per;
        const float* ao = v + job.alt_window * per;
        if (per_position) {
          tasks.select_rows(ro, P, ref_values.data());
          tasks.select_rows(ao, P, alt_values.data());
          for (size_t t = 0; t < tasks.size(); ++t) {
            const size_t row = t * static_cast<size_t>(P);
            DeltaScores d = delta_scores(ref_values.data() + row, alt_values.data() + row, P, offset, job.layout, o.distance);
            float* out_t = r.values.data() + t * kinds;
            out_t[0] = d.gain;
            out_t[1] = static_cast<float>(d.gain_pos);
            out_t[2] = d.loss;
            out_t[3] = static_cast<float>(d.loss_pos);
          }
        } else {
          tasks.select(ro, 1, ref_values.data());
          tasks.select(ao, 1, alt_values.data());
          for (size_t t = 0; t < tasks.size(); ++t) {
            float* out_t = r.values.data() + t * kinds;
            out_t[0] = ref_values[t];
            out_t[1] = alt_values[t];
            out_t[2] = alt_values[t] - ref_values[t];
            if (kinds > 3) out_t[3] = log2_ratio(ref_values[t], alt_values[t]);
          }
        }
      }
      summary.windows += static_cast<uint64_t>(windows);
    }
    // Nothing reaches the output before an allele is scored: a VCF with nothing to score writes nothing, not even
    // to stdout. Until then the skipped alleles wait here.
    if (summary.scored > 0) {
      for (const auto& r : results) writer->add(r);
      progress.add(results.size());
      results.clear();
    }
    jobs.clear();
    codes.clear();
    windows = 0;
    ref_record = 0;
  };

  io::VariantAllele a;
  std::string genome_ref;
  Skip first_skip = Skip::none;
  while (reader.next(a)) {
    ++summary.alleles;
    summary.records = a.record;
    AlleleResult r;
    r.allele = a;
    Skip skip = Skip::none;
    std::string message;
    if (a.allele == 0 || a.alt == ".") {
      skip = Skip::no_alt;
      message = fmt::format("{}: no ALT allele; skipped", what(a));
    } else if (a.symbolic()) {
      skip = Skip::symbolic;
      message = fmt::format("{}: symbolic ALT '{}' is not a sequence to score; allele skipped", what(a), a.alt);
    } else if (encode::find_invalid_base(a.alt) != std::string::npos) {
      skip = Skip::invalid_allele;
      message = fmt::format("{}: ALT '{}' holds characters that are not IUPAC bases; allele skipped", what(a), a.alt);
    } else {
      switch (io::check_ref(a, genome, &genome_ref)) {
        case io::RefCheck::match: break;
        case io::RefCheck::unknown_contig:
          skip = Skip::unknown_contig;
          message = fmt::format("{}: contig '{}' is not in {}; skipped", what(a), a.chrom, o.genome);
          break;
        case io::RefCheck::past_end:
          skip = Skip::past_end;
          message = fmt::format("{}: REF ends past the end of contig '{}' ({} bases); skipped", what(a), a.chrom,
                                with_commas(static_cast<uint64_t>(genome.length(a.chrom))));
          break;
        case io::RefCheck::mismatch: {
          std::string shown = genome_ref.size() > 20 ? genome_ref.substr(0, 17) + "..." : genome_ref;
          std::string text = fmt::format("{}: REF does not match the genome, which has '{}' there", what(a), shown);
          if (o.ref_mismatch == RefMismatch::error) throw InputError("{} (--ref-mismatch error)", text);
          if (o.ref_mismatch == RefMismatch::skip) {
            skip = Skip::ref_mismatch;
            message = text + "; skipped (--ref-mismatch score scores it on the genome's bases)";
          } else {
            r.ref_mismatch = true;
            warnings.add(Skip::ref_mismatch, a.record, text + "; scored anyway (--ref-mismatch score)");
          }
          break;
        }
      }
    }
    if (skip != Skip::none) {
      if (first_skip == Skip::none) first_skip = skip;
      r.skip = skip;
      ++summary.skipped[skip];
      warnings.add(skip, a.record, std::move(message));
      results.push_back(std::move(r));
      if (results.size() >= 8192 && summary.scored > 0) flush();  // long runs of skipped alleles
      continue;
    }
    warnings.release();
    AlleleWindows w = allele_windows(genome, a, W);
    Job job;
    job.result = results.size();
    job.layout = allele_layout(a.pos, static_cast<int64_t>(a.ref.size()), static_cast<int64_t>(a.alt.size()), W);
    if (a.record != ref_record) {  // the alleles of a record share their REF window
      codes += w.ref;
      ref_window = windows++;
      ref_record = a.record;
    }
    job.ref_window = ref_window;
    codes += w.alt;
    job.alt_window = windows++;
    r.padded = w.padded;
    summary.padded += w.padded;
    summary.ref_mismatch_scored += r.ref_mismatch;
    ++summary.scored;
    results.push_back(std::move(r));
    jobs.push_back(job);
    if (windows >= o.batch) flush();
  }
  if (summary.scored > 0) flush();
  progress.finish();

  if (summary.scored == 0) {
    if (summary.alleles == 0) throw InputError("{} holds no variants to score", o.vcf);
    throw InputError("no allele of {} could be scored ({} skipped: {}; first: {})", o.vcf,
                     with_commas(summary.alleles), summary.skipped_text(), warnings.first(first_skip));
  }
  summary.outputs = writer->finish();
  summary.index_problem = writer->index_problem();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace seqdl::variants
