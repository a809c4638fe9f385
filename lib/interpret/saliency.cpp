#include "interpret/saliency.hpp"

#include <chrono>
#include <cmath>

#include "data/encode_npy.hpp"
#include "infer/batches.hpp"
#include "interpret/contribution_track.hpp"
#include "interpret/references.hpp"
#include "interpret/saliency_methods.hpp"
#include "interpret/sequence_batches.hpp"
#include "interpret/target.hpp"
#include "io/npy.hpp"
#include "nn/model.hpp"
#include "report/sequence_plots.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace seqdl::interpret {
namespace {

constexpr double kPairBudget = 256.0 * (1 << 20);  // bytes of activations and multipliers per DeepLIFT call

bool uses_references(SaliencyMethod m) {
  return m == SaliencyMethod::integrated_gradients || m == SaliencyMethod::deeplift || m == SaliencyMethod::deepshap;
}
bool is_deeplift(SaliencyMethod m) { return m == SaliencyMethod::deeplift || m == SaliencyMethod::deepshap; }

// The options with every method default filled in; UsageError for contradictions.
SaliencyOptions resolved(SaliencyOptions o) {
  if (o.steps < 1) throw UsageError("--steps must be at least 1");
  if (o.references && *o.references < 1) throw UsageError("--references {}: at least one reference is needed", *o.references);
  if (!o.baseline) o.baseline = o.method == SaliencyMethod::deepshap ? Baseline::shuffled : Baseline::zeros;
  if (o.method == SaliencyMethod::deeplift && o.references.value_or(1) > 1) {
    throw UsageError("--method deeplift uses one reference; use --method deepshap to average over {}", *o.references);
  }
  if (!o.references) {
    o.references = o.method == SaliencyMethod::deepshap ? 20 : o.method == SaliencyMethod::deeplift ? 1 : 10;
  }
  if (o.tolerance <= 0) o.tolerance = is_deeplift(o.method) ? 1e-3 : 0.05;
  if (!uses_references(o.method) && (o.baseline != Baseline::zeros || !o.baseline_file.empty())) {
    throw UsageError("--baseline is for integrated gradients and DeepLIFT/DeepSHAP");
  }
  if (o.hypothetical && !o.hypothetical_output.empty()) {
    throw UsageError("--hypothetical: give a file (hypothetical contributions beside -o) or none (-o gets them)");
  }
  if (!o.genome.empty() && !o.sequences.input.empty()) throw UsageError("give sequences or --genome with --regions, not both");
  if (o.genome.empty() && (!o.regions.empty() || !o.shard.empty())) throw UsageError("--regions and --shard need --genome");
  if (!o.genome.empty() && o.regions.empty()) throw UsageError("--genome needs --regions (BED or region strings)");
  if (o.genome.empty() && o.sequences.input.empty()) throw UsageError("nothing to explain: give sequences or --genome with --regions");
  if (o.genome.empty() && !o.contributions_output.empty()) throw UsageError("--contributions is for --genome (-o takes the array)");
  return o;
}

std::string method_text(const SaliencyOptions& o, int64_t refs) {
  std::string base = o.baseline == Baseline::shuffled ? fmt::format("{} dinucleotide-shuffled references", refs)
                     : o.baseline == Baseline::file   ? fmt::format("{} references from {}", refs, o.baseline_file)
                                                      : std::string(choice_name(kBaselineChoices, *o.baseline)) + " reference";
  switch (o.method) {
    case SaliencyMethod::gradient: return "gradient";
    case SaliencyMethod::grad_x_input: return "gradient x input";
    case SaliencyMethod::integrated_gradients: return fmt::format("integrated gradients ({} steps, {})", o.steps, base);
    case SaliencyMethod::deeplift: return "DeepLIFT (" + base + ")";
    case SaliencyMethod::deepshap: return "DeepSHAP (" + base + ")";
  }
  return "";
}

// Sequences per DeepLIFT call: as many as keep every layer's activations and multipliers for their input-reference
// pairs within the budget (and no more than --batch).
int64_t deeplift_batch(const nn::NetworkImpl& net, int64_t refs, int64_t most) {
  double floats = 4.0 * static_cast<double>(net.input_length());
  for (const auto& n : net.graph().nodes()) floats += static_cast<double>(n.out.channels * (n.out.flat ? 1 : n.out.length));
  double pairs = kPairBudget / (4.0 * 3.0 * floats);  // values on the input and the reference, and multipliers
  return std::clamp<int64_t>(static_cast<int64_t>(pairs) / refs, 1, most);
}

// Every output file of the run, opened before the work so that a bad path fails first; committed together.
struct Outputs {
  std::unique_ptr<io::NpyWriter> main, hypothetical, one_hot;
  std::unique_ptr<AtomicFile> ids, stats;
  std::unique_ptr<AtomicDir> plots;
  std::unique_ptr<ContributionTrack> track;

  Outputs(const SaliencyOptions& o, int64_t L, const std::vector<io::Contig>& contigs) {
    const std::vector<int64_t> row{4, L};
    const std::string array = o.genome.empty() ? o.output : o.contributions_output;
    if (!o.genome.empty()) track = std::make_unique<ContributionTrack>(o.output, contigs);
    if (!array.empty()) main = std::make_unique<io::NpyWriter>(array, io::NpyType::float32, row);
    if (!o.hypothetical_output.empty()) hypothetical = std::make_unique<io::NpyWriter>(o.hypothetical_output, io::NpyType::float32, row);
    if (!o.one_hot_output.empty()) one_hot = std::make_unique<io::NpyWriter>(o.one_hot_output, io::NpyType::float32, row);
    ids = std::make_unique<AtomicFile>(!o.ids_output.empty() ? o.ids_output : data::default_ids_path(array.empty() ? o.output : array));
    if (!o.stats_output.empty()) {
      stats = std::make_unique<AtomicFile>(o.stats_output);
      stats->write("id\tscore\tbaseline_score\tattribution_sum\tcompleteness_error\n");
    }
    if (!o.plot_dir.empty()) plots = std::make_unique<AtomicDir>(o.plot_dir);
  }

  std::vector<std::string> commit() {
    std::vector<std::string> files;
    if (track) files.push_back(track->finish());
    for (auto* w : {main.get(), hypothetical.get(), one_hot.get()}) {
      if (w != nullptr) {
        w->finish();
        files.push_back(w->path());
      }
    }
    ids->commit();
    files.push_back(ids->target());
    if (stats) stats->commit();
    if (plots) plots->commit();
    return files;
  }
};

class Explainer {
 public:
  Explainer(const SaliencyOptions& o, nn::Model& model, const Target& target) : o_(o), model_(model), target_(target) {
    if (!is_deeplift(o.method)) return;
    nn::NetworkImpl* net = model.network();
    if (net == nullptr) {
      throw ModelError("{}: DeepLIFT needs seqdl's layers, and this TorchScript model's graph did not import into them "
                       "(seqdl info {} says why); use --method integrated-gradients", model.info().source,
                       model.info().source);
    }
    deeplift_ = std::make_unique<DeepLift>(*net, target);
  }

  Explained operator()(const torch::Tensor& x, const torch::Tensor& references) {
    switch (o_.method) {
      case SaliencyMethod::integrated_gradients: return integrated_gradients(model_, target_, o_.steps, x, references);
      case SaliencyMethod::deeplift:
      case SaliencyMethod::deepshap: return deep_shap(*deeplift_, x, references);
      default: return gradient_method(model_, target_, o_.method, x);
    }
  }

 private:
  const SaliencyOptions& o_;
  nn::Model& model_;
  const Target& target_;
  std::unique_ptr<DeepLift> deeplift_;
};

// Per sequence: the warning for an error above the tolerance, the stats row, the logo.
void report_sequence(const SaliencyOptions& o, const Explained& e, const SequenceBatch& batch, size_t i,
                     const torch::Tensor& written, int64_t L, const Target& target, Outputs& out,
                     SaliencySummary& summary) {
  const auto k = static_cast<int64_t>(i);
  double f = e.score[k].item<double>(), f0 = e.baseline_score[k].item<double>();
  double total = e.attributions[k].sum().item<double>();
  double error = e.error.defined() ? e.error[k].item<double>() : 0.0;
  bool over = e.error.defined() && error > o.tolerance && std::abs(total - (f - f0)) > 1e-4 * std::max(1.0, std::abs(f - f0));
  if (is_deeplift(o.method)) over = e.error.defined() && error > o.tolerance;
  if (over && ++summary.over_tolerance <= 10) {
    log::warn("'{}': the attributions sum to {:.4g} but the output changes by {:.4g} (error {:.2g}%){}", batch.ids[i],
              total, f - f0, 100 * error, is_deeplift(o.method) ? "" : "; use more --steps");
  }
  summary.worst_error = std::max(summary.worst_error, error);
  out.ids->print("{}\n", batch.ids[i]);
  if (out.stats) {
    out.stats->print("{}\t{}\t{}\t{}\t{}\n", batch.ids[i], exact_number(f), exact_number(f0), exact_number(total),
                     exact_number(error));
  }
  if (out.plots && static_cast<int64_t>(summary.sequences) < o.plot_max) {
    AtomicFile svg(out.plots->path(safe_file_name(batch.ids[i]) + ".svg"));
    svg.write(report::attribution_logo(batch.ids[i] + ": " + target.description(), written[k].data_ptr<float>(), L,
                                       std::string_view(batch.codes).substr(i * static_cast<size_t>(L), static_cast<size_t>(L)),
                                       o.hypothetical));
    svg.commit();
  }
}

}  // namespace

SaliencySummary run_saliency(const SaliencyOptions& options) {
  const SaliencyOptions o = resolved(options);
  auto model = nn::open_model(o.model, o.overrides);
  const int64_t L = model->info().input_length;
  Target target(model->info(), o.target);
  encode::OneHotTable table(model->info().unknown);
  Explainer explain(o, *model, target);
  References references(o, L, table);

  data::SourceSpec source = o.sequences;
  std::vector<io::Contig> contigs;
  if (!o.genome.empty()) {
    source = genome_windows(o.genome, o.regions, L, o.shard, contigs);
  }
  int64_t per_batch = is_deeplift(o.method) ? deeplift_batch(*model->network(), references.count(), o.batch) : o.batch;
  SequenceBatches batches(source, L, per_batch);
  Outputs out(o, L, contigs);

  SaliencySummary summary;
  summary.target = target.description();
  summary.method = method_text(o, references.count());
  summary.references = static_cast<int>(references.count());
  summary.tolerance = o.tolerance;
  Progress progress("saliency", 0, "seqs");
  const auto begin = std::chrono::steady_clock::now();
  SequenceBatch batch;
  while (batches.next(batch)) {
    const auto B = static_cast<int64_t>(batch.size());
    auto x = infer::one_hot_tensor(batch.codes, B, L, table);
    auto refs = uses_references(o.method) ? references.for_batch(batch) : torch::Tensor();
    Explained e = explain(x, refs);
    auto written = (o.hypothetical ? e.hypothetical : e.attributions).contiguous();
    if (out.main) out.main->write_rows(written.data_ptr<float>(), B);
    if (out.hypothetical) out.hypothetical->write_rows(e.hypothetical.contiguous().data_ptr<float>(), B);
    if (out.one_hot) out.one_hot->write_rows(x.data_ptr<float>(), B);
    if (out.track) {
      auto per_base = e.attributions.sum(1).contiguous();  // the observed base's contribution
      out.track->add(batch, per_base.data_ptr<float>(), L);
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      report_sequence(o, e, batch, i, written, L, target, out, summary);
      ++summary.sequences;
    }
    progress.add(batch.size());
  }
  progress.finish();
  if (summary.sequences == 0) {
    throw InputError("no sequence to explain: {}, shorter than the model's {}-bp window",
                     batches.counts().first_skipped, L);
  }
  summary.input = batches.counts();
  summary.outputs = out.commit();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return summary;
}

}  // namespace seqdl::interpret
