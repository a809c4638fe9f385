#include "variants/splice_variants.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "data/splice_annotation.hpp"
#include "encode/bases.hpp"
#include "infer/batches.hpp"
#include "infer/outputs.hpp"
#include "io/indexed_fasta.hpp"
#include "io/vcf.hpp"
#include "nn/fast_paths.hpp"
#include "nn/model.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/provenance.hpp"
#include "util/text.hpp"
#include "variants/allele_windows.hpp"
#include "variants/splice_effects.hpp"

namespace seqdl::variants {
namespace {

void check_options(const VariantsOptions& o) {
  if (o.genome.empty()) throw UsageError("--genome: the indexed FASTA that the VCF's positions refer to");
  if (o.vcf.empty()) throw UsageError("--vcf: the variants to score (VCF or BCF)");
  if (o.output.empty()) throw UsageError("-o/--output: name the output (or - for stdout)");
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  if (o.distance < 0) throw UsageError("--distance must be at least 0");
  if (o.strands != Strands::none) {
    throw UsageError("--rc does not apply with --annotation: each allele is scored on the strand of its gene");
  }
  if (!o.tasks.empty()) throw UsageError("--task does not apply with --annotation: acceptor and donor are scored");
  if (o.logits) throw UsageError("--logits does not apply with --annotation: delta scores compare probabilities");
  if (effect_format(o.output, o.format) == EffectFormat::vcf) reread_vcf_input(o.vcf);
}

// Why an allele cannot be scored (Skip::none if it can), with the warning to give.
Skip classify(const io::VariantAllele& a, const io::IndexedFasta& genome, const VariantsOptions& o, std::string& why,
              bool& mismatch) {
  const std::string what = fmt::format("record {} ({})", a.record, a.to_string());
  mismatch = false;
  if (a.allele == 0 || a.alt == ".") return why = what + ": no ALT allele; skipped", Skip::no_alt;
  if (a.symbolic()) return why = what + ": symbolic ALT; skipped", Skip::symbolic;
  if (encode::find_invalid_base(a.alt) != std::string::npos) {
    return why = what + ": ALT holds characters that are not IUPAC bases; skipped", Skip::invalid_allele;
  }
  switch (io::check_ref(a, genome)) {
    case io::RefCheck::match: return Skip::none;
    case io::RefCheck::unknown_contig: return why = what + ": the contig is not in " + o.genome + "; skipped", Skip::unknown_contig;
    case io::RefCheck::past_end: return why = what + ": REF ends past the end of the contig; skipped", Skip::past_end;
    case io::RefCheck::mismatch: break;
  }
  why = what + ": REF does not match the genome";
  if (o.ref_mismatch == RefMismatch::error) throw InputError("{} (--ref-mismatch error)", why);
  if (o.ref_mismatch == RefMismatch::skip) return why += "; skipped", Skip::ref_mismatch;
  why += "; scored anyway (--ref-mismatch score)";
  mismatch = true;
  return Skip::none;
}

// The genes an allele lies in, through the merged spans of each strand.
class GeneIndex {
 public:
  explicit GeneIndex(const data::SpliceAnnotation& a) : labels_(a.labels) {
    for (const data::Gene& g : a.models.genes) by_id_[g.id] = &g;
  }
  std::vector<const data::Gene*> overlapping(const std::string& chrom, int64_t start, int64_t end) const {
    std::vector<const data::Gene*> out;
    for (const data::GeneSpan& span : labels_.spans_overlapping(chrom, start, end)) {
      for (const std::string& id : span.genes) {
        auto it = by_id_.find(id);
        if (it != by_id_.end() && it->second->start < end && it->second->end > start) out.push_back(it->second);
      }
    }
    std::sort(out.begin(), out.end(), [](const data::Gene* a, const data::Gene* b) {
      return std::tie(a->start, a->id) < std::tie(b->start, b->id);
    });
    return out;
  }

 private:
  const data::SpliceLabels& labels_;
  std::unordered_map<std::string, const data::Gene*> by_id_;
};

// The model, its acceptor and donor outputs, and the windows it runs on.
class SpliceModel {
 public:
  explicit SpliceModel(const VariantsOptions& o)
      : model_(nn::open_model(o.model, o.overrides)), info_(model_->info()), table_(info_.unknown), batch_(o.batch) {
    if (!info_.per_position()) {
      throw ModelError("{}: --annotation scores per-position splice models; this one gives one output per window",
                       o.model);
    }
    acceptor_ = output(o.model, "acceptor");
    donor_ = output(o.model, "donor");
    const int64_t W = info_.input_length, P = info_.output_positions(), context = W - P;
    if (context < 0 || context % 2 != 0 || info_.output_offset() != context / 2) {
      throw ModelError("{}: its {} outputs are not centred in its {}-base input", o.model, P, W);
    }
    offset_ = context / 2;
    nn::NetworkImpl* net = model_->network();
    if (net != nullptr && nn::shared_trunk(net->graph()).why_not.empty() && nn::shared_trunk(net->graph()).whole) {
      window_ = context + 2 * o.distance + 1;  // only the outputs the deltas read
      positions_ = 2 * o.distance + 1;
      how_ = fmt::format("{}-base windows (context {} + 2 x {} + 1)", window_, context, o.distance);
      return;
    }
    window_ = W;
    positions_ = P;
    how_ = fmt::format("{}-base windows (the model's input)", W);
    const int64_t most = max_distance(W, P, offset_);
    if (o.distance > most) {
      throw UsageError("--distance {} reaches past the model's outputs: {} outputs from window index {} of {} cover at "
                       "most {} bases either side of the centre", o.distance, P, offset_, W, most);
    }
  }

  int64_t window() const { return window_; }
  int64_t positions() const { return positions_; }
  int64_t offset() const { return offset_; }
  const std::string& how() const { return how_; }

  // Acceptor and donor probabilities [n, 2, positions] of n windows stored back to back.
  torch::Tensor run(const std::string& codes, int64_t n) {
    torch::InferenceMode guard;
    std::vector<torch::Tensor> parts;
    const auto picked = torch::tensor({acceptor_, donor_}, torch::kInt64);
    for (int64_t first = 0; first < n; first += batch_) {
      const int64_t b = std::min(batch_, n - first);
      std::string_view part(codes.data() + first * window_, static_cast<size_t>(b * window_));
      auto logits = infer::run_model(*model_, infer::model_input(part, b, window_, table_)).to(torch::kFloat32);
      parts.push_back(infer::probabilities(info_, logits).index_select(1, picked));
    }
    return torch::cat(parts, 0).contiguous();
  }

 private:
  int64_t output(const std::string& path, const char* name) const {
    auto it = std::find(info_.task_names.begin(), info_.task_names.end(), name);
    if (it == info_.task_names.end()) {
      throw ModelError("{} has no output named {} (its outputs: {}); a splice model names its classes neither, "
                       "acceptor, donor (--task-names for TorchScript)", path, name, join(info_.task_names, ", "));
    }
    return static_cast<int64_t>(it - info_.task_names.begin());
  }

  std::unique_ptr<nn::Model> model_;
  const nn::ModelInfo& info_;
  encode::OneHotTable table_;
  int64_t batch_, acceptor_ = 0, donor_ = 0, window_ = 0, positions_ = 0, offset_ = 0;
  std::string how_;
};

// One allele on one strand, waiting for its batch.
struct Job {
  size_t result = 0;
  char strand = '+';
  int64_t ref_window = 0, alt_window = 0;
  AlleleLayout layout;
};

// Alleles in VCF order since the last flush, the windows of their jobs, and the scoring of a batch.
class Pending {
 public:
  Pending(SpliceModel& model, const data::SpliceLabels& labels, bool mask, int64_t distance, SpliceEffectWriter& writer)
      : model_(model), labels_(labels), mask_(mask), distance_(distance), writer_(writer) {}

  void add(SpliceAlleleResult r) { results_.push_back(std::move(r)); }

  // Queues the allele last added on `strand`; returns whether a window ran off the contig.
  bool queue(const io::IndexedFasta& genome, char strand) {
    const io::VariantAllele& a = results_.back().allele;
    AlleleWindows w = allele_windows(genome, a, model_.window());
    results_.back().padded = results_.back().padded || w.padded;
    if (strand == '-') {
      encode::reverse_complement_in_place(w.ref);
      encode::reverse_complement_in_place(w.alt);
    }
    Job job{results_.size() - 1, strand, windows_, windows_ + 1,
            allele_layout(a.pos, static_cast<int64_t>(a.ref.size()), static_cast<int64_t>(a.alt.size()), model_.window())};
    codes_ += w.ref;
    codes_ += w.alt;
    windows_ += 2;
    jobs_.push_back(job);
    return w.padded;
  }

  int64_t windows() const { return windows_; }

  void flush() {
    if (!jobs_.empty()) score();
    for (const auto& r : results_) writer_.add(r);
    total_windows_ += static_cast<uint64_t>(windows_);
    results_.clear();
    jobs_.clear();
    codes_.clear();
    windows_ = 0;
  }
  uint64_t total_windows() const { return total_windows_; }

 private:
  void score() {
    const torch::Tensor probs = model_.run(codes_, windows_);
    const int64_t P = model_.positions();
    const float* v = probs.data_ptr<float>();
    std::vector<float> rows(4 * static_cast<size_t>(P));  // REF acceptor, ALT acceptor, REF donor, ALT donor
    for (const Job& job : jobs_) {
      for (int k = 0; k < 4; ++k) {
        const int64_t window = k % 2 == 0 ? job.ref_window : job.alt_window, cls = k / 2;
        const float* src = v + (window * 2 + cls) * P;
        float* dst = rows.data() + k * P;
        if (job.strand == '-') {
          std::reverse_copy(src, src + P, dst);  // back to genome order
        } else {
          std::copy_n(src, P, dst);
        }
      }
      SpliceAlleleResult& r = results_[job.result];
      std::function<data::SiteClass(int64_t)> annotated;
      if (mask_) {
        const data::ChromosomeSites& sites = labels_.chromosome(r.allele.chrom);
        annotated = [&sites, strand = job.strand](int64_t g) { return sites.at(strand, g); };
      }
      SpliceDeltas d = splice_deltas({rows.data(), rows.data() + P}, {rows.data() + 2 * P, rows.data() + 3 * P}, P,
                                     model_.offset(), job.layout, distance_, annotated);
      for (GeneDeltas& g : r.genes) {
        if (g.strand == job.strand) g.deltas = d;
      }
    }
  }

  SpliceModel& model_;
  const data::SpliceLabels& labels_;
  bool mask_;
  int64_t distance_;
  SpliceEffectWriter& writer_;
  std::vector<SpliceAlleleResult> results_;
  std::vector<Job> jobs_;
  std::string codes_;
  int64_t windows_ = 0;
  uint64_t total_windows_ = 0;
};

}  // namespace

VariantsSummary run_splice_variants(const VariantsOptions& o) {
  auto start = std::chrono::steady_clock::now();
  check_options(o);
  data::SpliceOptions so = o.splice;
  so.genome = o.genome;
  const data::SpliceAnnotation annotation = data::load_splice_annotation(so);
  const GeneIndex genes(annotation);
  SpliceModel model(o);
  io::IndexedFasta genome(o.genome);
  io::VcfReader reader(o.vcf);
  WriterOptions wo;
  wo.vcf = o.vcf;
  wo.output = o.output;
  wo.format = effect_format(o.output, o.format);
  wo.info_prefix = o.info_prefix;
  wo.description = fmt::format("model {}, distance {}{}", o.model, o.distance, o.mask ? ", masked (Pangolin)" : "");
  wo.command_line = run_provenance().command_line();
  auto writer = open_splice_writer(wo);

  VariantsSummary summary;
  summary.engine = fmt::format("{}: acceptor and donor on each gene's strand, {}{}", o.model, model.how(),
                               o.mask ? ", Pangolin's masking" : "");
  log::info("{}", summary.engine);
  Pending pending(model, annotation.labels, o.mask, o.distance, *writer);
  Progress progress("variants", 0, "alleles");
  std::map<Skip, uint64_t> shown;
  uint64_t outside = 0;
  io::VariantAllele a;
  while (reader.next(a)) {
    ++summary.alleles;
    summary.records = a.record;
    SpliceAlleleResult r;
    r.allele = a;
    std::string why;
    r.skip = classify(a, genome, o, why, r.ref_mismatch);
    if (r.skip != Skip::none) {
      ++summary.skipped[r.skip];
      if (++shown[r.skip] <= 20 || log::enabled(log::Level::debug)) log::warn("{}", why);
      pending.add(std::move(r));
      continue;
    }
    if (r.ref_mismatch) log::warn("{}", why);
    const auto overlapping = genes.overlapping(a.chrom, a.pos, a.pos + static_cast<int64_t>(a.ref.size()));
    if (overlapping.empty()) {
      r.no_gene = true;
      ++outside;
      pending.add(std::move(r));
      continue;
    }
    bool strand[2] = {false, false};
    for (const data::Gene* g : overlapping) {
      r.genes.push_back({g->id, g->strand, {}});
      strand[g->strand == '-'] = true;
    }
    ++summary.scored;
    summary.ref_mismatch_scored += r.ref_mismatch;
    pending.add(std::move(r));
    bool padded = strand[0] && pending.queue(genome, '+');
    padded = (strand[1] && pending.queue(genome, '-')) || padded;
    summary.padded += padded;
    progress.add();
    if (pending.windows() >= o.batch) pending.flush();
  }
  pending.flush();
  progress.finish();
  if (summary.alleles == 0) throw InputError("{} holds no variants to score", o.vcf);
  if (summary.scored == 0 && outside == 0) {
    throw InputError("no allele of {} could be scored ({} skipped: {})", o.vcf, with_commas(summary.alleles),
                     summary.skipped_text());
  }
  if (outside > 0) {
    log::info("{} of {} alleles lie in no gene of {}: not scored (status no_gene)", with_commas(outside),
              with_commas(summary.alleles), o.splice.annotation);
  }
  summary.windows = pending.total_windows();
  summary.outputs = writer->finish();
  summary.index_problem = writer->index_problem();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace seqdl::variants
