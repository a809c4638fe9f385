#include "variants/variants.hpp"

#include <torch/torch.h>

#include <chrono>

#include "encode/bases.hpp"
#include "encode/one_hot.hpp"
#include "io/indexed_fasta.hpp"
#include "io/vcf.hpp"
#include "infer/outputs.hpp"
#include "infer/window_runner.hpp"
#include "nn/model.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/provenance.hpp"
#include "util/text.hpp"
#include "variants/allele_windows.hpp"
#include "variants/splice_variants.hpp"
#include "variants/torch/snv_engine.hpp"
#include "variants/variant_selection.hpp"

namespace seqdl::variants {

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

// Why an allele cannot be scored (Skip::none if it can), with the warning to give.
struct Verdict {
  Skip skip = Skip::none;
  std::string message;
  bool ref_mismatch = false;  // scored although REF differs (--ref-mismatch score)
};

Verdict classify(const io::VariantAllele& a, const io::IndexedFasta& genome, const VariantsOptions& o) {
  if (a.allele == 0 || a.alt == ".") return {Skip::no_alt, fmt::format("{}: no ALT allele; skipped", what(a))};
  if (a.symbolic()) {
    return {Skip::symbolic, fmt::format("{}: symbolic ALT '{}' is not a sequence to score; allele skipped", what(a), a.alt)};
  }
  if (encode::find_invalid_base(a.alt) != std::string::npos) {
    return {Skip::invalid_allele,
            fmt::format("{}: ALT '{}' holds characters that are not IUPAC bases; allele skipped", what(a), a.alt)};
  }
  std::string genome_ref;
  switch (io::check_ref(a, genome, &genome_ref)) {
    case io::RefCheck::match: return {};
    case io::RefCheck::unknown_contig:
      return {Skip::unknown_contig, fmt::format("{}: contig '{}' is not in {}; skipped", what(a), a.chrom, o.genome)};
    case io::RefCheck::past_end:
      return {Skip::past_end, fmt::format("{}: REF ends past the end of contig '{}' ({} bases); skipped", what(a), a.chrom,
                                          with_commas(static_cast<uint64_t>(genome.length(a.chrom))))};
    case io::RefCheck::mismatch: break;
  }
  std::string shown = genome_ref.size() > 20 ? genome_ref.substr(0, 17) + "..." : genome_ref;
  std::string text = fmt::format("{}: REF does not match the genome, which has '{}' there", what(a), shown);
  if (o.ref_mismatch == RefMismatch::error) throw InputError("{} (--ref-mismatch error)", text);
  if (o.ref_mismatch == RefMismatch::skip) {
    return {Skip::ref_mismatch, text + "; skipped (--ref-mismatch score scores it on the genome's bases)"};
  }
  return {Skip::none, text + "; scored anyway (--ref-mismatch score)", true};
}

void check_options(const VariantsOptions& o) {
  if (o.genome.empty()) throw UsageError("--genome: the indexed FASTA that the VCF's positions refer to");
  if (o.vcf.empty()) throw UsageError("--vcf: the variants to score (VCF or BCF)");
  if (o.output.empty()) throw UsageError("-o/--output: name the output (or - for stdout)");
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  if (o.distance < 0) throw UsageError("--distance must be at least 0");
  if (effect_format(o.output, o.format) == EffectFormat::vcf) reread_vcf_input(o.vcf);
}

// The model and how its outputs become scores.
class Scorer {
 public:
  explicit Scorer(const VariantsOptions& o)
      : model_(nn::open_model(o.model, o.overrides)), info_(model_->info()), W_(info_.input_length),
        P_(info_.per_position() ? info_.output_positions() : 1), offset_(info_.per_position() ? info_.output_offset() : 0),
        tasks_(info_, o.tasks, "--task"), table_(info_.unknown), distance_(o.distance),
        runner_(*model_, infer::WindowGeometry{W_, W_, P_, 0, false}, o.strands, o.logits, o.batch, table_,
                /*allow_shared=*/false),
        layout_(score_layout(tasks_.names(), info_.per_position(), o.logits, o.distance)),
        ref_values_(tasks_.size() * static_cast<size_t>(P_)), alt_values_(ref_values_.size()), strands_(o.strands),
        logits_(o.logits) {
    open_snv_engines(o);
    if (!info_.per_position()) return;
    int64_t most = max_distance(W_, P_, offset_);
    if (most < 0) throw ModelError("{}: its outputs do not cover the centre of its {}-bp window", o.model, W_);
    if (o.distance > most) {
      throw UsageError("--distance {} reaches past the model's outputs: {} outputs from window index {} of {} cover at "
                       "most {} bases either side of the centre", o.distance, P_, offset_, W_, most);
    }
  }

  int64_t window() const { return W_; }
  const ScoreLayout& layout() const { return layout_; }
  std::string description(const VariantsOptions& o) const {
    return fmt::format("{} ({} outputs{}), {}-bp windows, {}, {} windows per batch", o.model,
                       info_.per_position() ? "per-position" : "per-window",
                       info_.per_position() ? fmt::format(" over {} positions", P_) : "", W_, strand_text(o.strands),
                       o.batch);
  }
  static std::string strand_text(Strands s) {
    return s == Strands::mean ? "mean of both strands" : s == Strands::max ? "max of both strands" : "forward strand";
  }
  // For the log: how SNVs are scored; and why not by local recomputation ("" when they are, or --whole-windows).
  std::string snv_text() const { return snv_text_; }
  const std::string& snv_fallback() const { return snv_fallback_; }

  // Runs the windows of `codes` and writes each job's scores into its result.
  void score(const std::string& codes, int64_t windows, const std::vector<Job>& jobs, std::vector<AlleleResult>& results) {
    auto out = runner_.run(codes, windows).contiguous();
    write_scores(out, out, jobs, results);
  }

  // SNVs by local recomputation (torch/snv_engine.hpp); job k's ref_window and alt_window are k, its site.
  bool snvs_local() const { return forward_ != nullptr; }
  int64_t snv_batch() const { return snv_batch_; }
  std::string snv_counts() const {
    if (!forward_) return snv_text_;
    uint64_t shared = forward_->shared_windows(), single = forward_->single_windows();
    return fmt::format("{}; REF of {} SNV windows shared, {} window by window", snv_text_, with_commas(shared),
                       with_commas(single));
  }
  void score_snvs(const std::vector<SnvSite>& sites, const std::vector<Job>& jobs, std::vector<AlleleResult>& results) {
    SnvHeads f = forward_->run(sites);
    torch::Tensor ref = outputs(f.ref[0]), alt = outputs(f.alt[0]);
    if (strands_ != Strands::none) {
      // The reverse strand: each window reverse-complemented, its substitution at the mirrored index.
      std::vector<std::string> windows;
      windows.reserve(sites.size());
      std::vector<SnvSite> rc(sites.size());
      for (size_t i = 0; i < sites.size(); ++i) {
        windows.push_back(encode::reverse_complement(sites[i].window));
        rc[i] = {sites[i].contig, -(sites[i].start + W_), windows.back(), encode::kComplement[static_cast<unsigned char>(sites[i].alt)]};
      }
      SnvHeads r = reverse_->run(rc);
      ref = combine(ref, outputs(r.ref[0]));
      alt = combine(alt, outputs(r.alt[0]));
    }
    write_scores(ref.contiguous(), alt.contiguous(), jobs, results);
  }

 private:
  void open_snv_engines(const VariantsOptions& o) {
    std::string why = o.whole_windows ? "--whole-windows" : SnvEngine::why_not(*model_);
    if (!why.empty()) {
      snv_text_ = "SNVs as whole windows (" + why + ")";
      if (!o.whole_windows) snv_fallback_ = why;
      return;
    }
    forward_ = std::make_unique<SnvEngine>(*model_->network(), table_, centre_index(W_));
    if (o.strands != Strands::none) reverse_ = std::make_unique<SnvEngine>(*model_->network(), table_, W_ - 1 - centre_index(W_));
    snv_text_ = "SNVs by " + forward_->description();
    snv_batch_ = forward_->batch_limit();
  }

  torch::Tensor outputs(const torch::Tensor& logits) const {
    return logits_ ? logits : infer::probabilities(info_, logits);
  }
  // Forward and reverse-strand outputs of the same windows (per-position outputs in reverse order on the reverse).
  torch::Tensor combine(const torch::Tensor& forward, torch::Tensor reverse) const {
    if (reverse.dim() == 3) reverse = reverse.flip({2});
    return strands_ == Strands::mean ? (forward + reverse) / 2 : torch::maximum(forward, reverse);
  }

  void write_scores(const torch::Tensor& ref, const torch::Tensor& alt, const std::vector<Job>& jobs,
                    std::vector<AlleleResult>& results) {
    const float* rv = ref.data_ptr<float>();
    const float* av = alt.data_ptr<float>();
    const int64_t per = ref[0].numel();
    for (const Job& job : jobs) {
      AlleleResult& r = results[job.result];
      r.values.resize(layout_.size());
      if (info_.per_position()) {
        deltas(rv + job.ref_window * per, av + job.alt_window * per, job.layout, r.values.data());
      } else {
        differences(rv + job.ref_window * per, av + job.alt_window * per, r.values.data());
      }
    }
  }

  void deltas(const float* ro, const float* ao, const AlleleLayout& layout, float* out) {
    tasks_.select_rows(ro, P_, ref_values_.data());
    tasks_.select_rows(ao, P_, alt_values_.data());
    for (size_t t = 0; t < tasks_.size(); ++t) {
      const size_t row = t * static_cast<size_t>(P_);
      DeltaScores d = delta_scores(ref_values_.data() + row, alt_values_.data() + row, P_, offset_, layout, distance_);
      float* out_t = out + t * layout_.kinds.size();
      out_t[0] = d.gain;
      out_t[1] = static_cast<float>(d.gain_pos);
      out_t[2] = d.loss;
      out_t[3] = static_cast<float>(d.loss_pos);
    }
  }

  void differences(const float* ro, const float* ao, float* out) {
    tasks_.select(ro, 1, ref_values_.data());
    tasks_.select(ao, 1, alt_values_.data());
    const size_t kinds = layout_.kinds.size();
    for (size_t t = 0; t < tasks_.size(); ++t) {
      float* out_t = out + t * kinds;
      out_t[0] = ref_values_[t];
      out_t[1] = alt_values_[t];
      out_t[2] = alt_values_[t] - ref_values_[t];
      if (kinds > 3) out_t[3] = log2_ratio(ref_values_[t], alt_values_[t]);
    }
  }

  std::unique_ptr<nn::Model> model_;
  const nn::ModelInfo& info_;
  int64_t W_, P_, offset_;
  infer::OutputSelection tasks_;
  encode::OneHotTable table_;
  int64_t distance_;
  infer::WindowRunner runner_;
  ScoreLayout layout_;
  std::vector<float> ref_values_, alt_values_;
  Strands strands_;
  bool logits_;
  std::unique_ptr<SnvEngine> forward_, reverse_;  // SNVs by local recomputation, when the model allows it
  std::string snv_text_;
  std::string snv_fallback_;  // why SNVs run as whole windows although --whole-windows was not given
  int64_t snv_batch_ = 0;
};

// Alleles in VCF order since the last flush, with the windows of the scorable ones.
class Batch {
 public:
  Batch(Scorer& scorer, EffectWriter& writer, int64_t size, VariantsSummary& summary)
      : scorer_(scorer), writer_(writer), size_(size), summary_(summary), progress_("variants", 0, "alleles") {}

  void skipped(AlleleResult r) {
    results_.push_back(std::move(r));
    if (results_.size() >= 8192 && summary_.scored > 0) flush();  // long runs of skipped alleles
  }

  void scorable(AlleleResult r, const AlleleWindows& w) {
    const io::VariantAllele& a = r.allele;
    Job job;
    job.result = results_.size();
    job.layout = allele_layout(a.pos, static_cast<int64_t>(a.ref.size()), static_cast<int64_t>(a.alt.size()),
                               scorer_.window());
    if (scorer_.snvs_local() && a.is_snv()) {  // its REF window and one ALT base, scored by local recomputation
      job.ref_window = job.alt_window = static_cast<int64_t>(snv_sites_.size());
      auto [it, added] = contigs_.try_emplace(a.chrom, static_cast<int>(contigs_.size()));
      snv_sites_.push_back({it->second, job.layout.start, {}, a.alt[0]});
      snv_codes_ += w.ref;
      results_.push_back(std::move(r));
      snv_jobs_.push_back(job);
      if (static_cast<int64_t>(snv_sites_.size()) >= scorer_.snv_batch()) flush();
      return;
    }
    if (a.record != ref_record_) {  // the alleles of a record share their REF window
      codes_ += w.ref;
      ref_window_ = windows_++;
      ref_record_ = a.record;
    }
    job.ref_window = ref_window_;
    codes_ += w.alt;
    job.alt_window = windows_++;
    results_.push_back(std::move(r));
    jobs_.push_back(job);
    if (windows_ >= size_) flush();
  }

  void flush() {
    if (!jobs_.empty()) {
      scorer_.score(codes_, windows_, jobs_, results_);
      summary_.windows += static_cast<uint64_t>(windows_);
    }
    if (!snv_jobs_.empty()) {
      const auto W = static_cast<size_t>(scorer_.window());
      for (size_t i = 0; i < snv_sites_.size(); ++i) snv_sites_[i].window = std::string_view(snv_codes_).substr(i * W, W);
      scorer_.score_snvs(snv_sites_, snv_jobs_, results_);
      summary_.windows += 2 * snv_sites_.size();
      snv_jobs_.clear();
      snv_sites_.clear();
      snv_codes_.clear();
    }
    // Nothing reaches the output before an allele is scored: a VCF with nothing to score writes nothing, not even
    // to stdout. Until then the skipped alleles wait here.
    if (summary_.scored > 0) {
      for (const auto& r : results_) writer_.add(r);
      progress_.add(results_.size());
      results_.clear();
    }
    jobs_.clear();
    codes_.clear();
    windows_ = 0;
    ref_record_ = 0;
  }

  void finish() { progress_.finish(); }

 private:
  Scorer& scorer_;
  EffectWriter& writer_;
  int64_t size_;
  VariantsSummary& summary_;
  Progress progress_;
  std::vector<AlleleResult> results_;
  std::vector<Job> jobs_;
  std::string codes_;
  int64_t windows_ = 0;
  uint64_t ref_record_ = 0;  // the record whose REF window is the last one in `codes_`
  int64_t ref_window_ = -1;
  // SNVs scored by local recomputation: their jobs, sites and REF windows (back to back in snv_codes_).
  std::vector<Job> snv_jobs_;
  std::vector<SnvSite> snv_sites_;
  std::string snv_codes_;
  std::map<std::string, int> contigs_;
};

std::unique_ptr<EffectWriter> open_writer(const VariantsOptions& o, const Scorer& scorer) {
  WriterOptions wo;
  wo.vcf = o.vcf;
  wo.output = o.output;
  wo.format = effect_format(o.output, o.format);
  wo.info_prefix = o.info_prefix;
  wo.description = fmt::format("model {}, {}-bp windows, {}", o.model, scorer.window(), Scorer::strand_text(o.strands));
  wo.command_line = run_provenance().command_line();
  return open_effect_writer(wo, scorer.layout());
}

}  // namespace

VariantsSummary run_variants(const VariantsOptions& o) {
  if (!o.splice.annotation.empty()) {  // splice models on their genes' strands
    if (!o.regions.empty() || !o.shard.empty()) {
      throw UsageError("--regions/--shard do not apply with --annotation yet: split the VCF instead");
    }
    return run_splice_variants(o);
  }
  auto start = std::chrono::steady_clock::now();
  check_options(o);
  Scorer scorer(o);
  io::IndexedFasta genome(o.genome);
  VariantSelection selection(genome, o.regions, o.shard);
  io::VcfReader reader(o.vcf);
  auto writer = open_writer(o, scorer);

  VariantsSummary summary;
  summary.engine = scorer.description(o);
  summary.selection = selection.description();
  if (!scorer.snv_fallback().empty()) {  // logged once the options have passed their checks
    log::info("SNVs are scored as whole windows: local recomputation does not apply ({})", scorer.snv_fallback());
  }
  SkipWarnings warnings;
  Batch batch(scorer, *writer, o.batch, summary);
  io::VariantAllele a;
  Skip first_skip = Skip::none;
  while (reader.next(a)) {
    summary.records = a.record;
    if (!selection.keep(a.chrom, a.pos)) {
      ++summary.outside;
      continue;
    }
    ++summary.alleles;
    AlleleResult r;
    r.allele = a;
    Verdict v = classify(a, genome, o);
    if (v.skip != Skip::none) {
      if (first_skip == Skip::none) first_skip = v.skip;
      r.skip = v.skip;
      ++summary.skipped[v.skip];
      warnings.add(v.skip, a.record, std::move(v.message));
      batch.skipped(std::move(r));
      continue;
    }
    if (v.ref_mismatch) warnings.add(Skip::ref_mismatch, a.record, std::move(v.message));
    warnings.release();
    AlleleWindows w = allele_windows(genome, a, scorer.window());
    r.padded = w.padded;
    r.ref_mismatch = v.ref_mismatch;
    summary.padded += w.padded;
    summary.ref_mismatch_scored += v.ref_mismatch;
    ++summary.scored;
    batch.scorable(std::move(r), w);
  }
  if (summary.scored > 0) batch.flush();
  batch.finish();
  summary.engine += "; " + scorer.snv_counts();

  if (summary.alleles == 0 && summary.outside > 0) {  // an empty shard or region: an empty output, not an error
    log::warn("{}: no record lies in {}; the output holds none", o.vcf, summary.selection);
  } else if (summary.scored == 0) {
    if (summary.alleles == 0) throw InputError("{} holds no variants to score", o.vcf);
    throw InputError("no allele of {} could be scored ({} skipped: {}; first: {})", o.vcf,
                     with_commas(summary.alleles), summary.skipped_text(), warnings.first(first_skip));
  }
  if (summary.outside > 0) writer->input_records(summary.records);
  summary.outputs = writer->finish();
  summary.index_problem = writer->index_problem();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace seqdl::variants
