#include "interpret/saliency.hpp"

#include <cmath>
#include <filesystem>

#include "data/encode_npy.hpp"
#include "encode/shuffle.hpp"
#include "report/sequence_plots.hpp"
#include "interpret/sequence_batches.hpp"
#include "interpret/target.hpp"
#include "io/npy.hpp"
#include "nn/model.hpp"
#include "infer/batches.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

namespace seqdl::interpret {
namespace {

// d score / d input for a batch of one-hot (or interpolated) inputs [B, 4, L].
torch::Tensor input_gradient(nn::Model& model, const Target& target, const torch::Tensor& x) {
  auto input = x.detach().clone().requires_grad_(true);
  auto score = target.score(model.forward(input));
  return torch::autograd::grad({score.sum()}, {input})[0];
}

torch::Tensor scores(nn::Model& model, const Target& target, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  return target.score(model.forward(x));
}

struct Explained {
  torch::Tensor attributions;  // [B, 4, L]
  torch::Tensor hypothetical;  // [B, 4, L]
  torch::Tensor score, baseline_score;  // [B]
};

// Hypothetical contributions against a reference: what position i would contribute if it held base b,
// h[b, i] = g[b, i] - sum_c g[c, i] * ref[c, i]; for the base actually there this is its real contribution.
torch::Tensor hypothetical_against(const torch::Tensor& grad, const torch::Tensor& reference) {
  return grad - (grad * reference).sum(1, true);
}

Explained integrated_gradients(nn::Model& model, const Target& target, const SaliencyOptions& o,
                               const SequenceBatch& batch, const encode::OneHotTable& table, uint64_t first_index) {
  const int64_t B = static_cast<int64_t>(batch.size()), L = model.info().input_length;
  auto x = infer::one_hot_tensor(batch.codes, B, L, table);
  int refs = o.baseline == Baseline::shuffled ? o.references : 1;
  Explained e{torch::zeros_like(x), torch::zeros_like(x), scores(model, target, x), torch::zeros({B})};
  std::vector<Rng> rngs;
  for (int64_t i = 0; i < B; ++i) rngs.emplace_back(o.seed, 7000 + first_index + static_cast<uint64_t>(i));
  for (int r = 0; r < refs; ++r) {
    torch::Tensor base;
    if (o.baseline == Baseline::zeros) {
      base = torch::zeros_like(x);
    } else if (o.baseline == Baseline::uniform) {
      base = torch::full_like(x, 0.25);
    } else {
      std::string shuffled;
      for (int64_t i = 0; i < B; ++i) {
        shuffled += encode::dinucleotide_shuffle(std::string_view(batch.codes).substr(static_cast<size_t>(i * L), static_cast<size_t>(L)),
                                                 rngs[static_cast<size_t>(i)]);
      }
      base = infer::one_hot_tensor(shuffled, B, L, table);
    }
    auto mean_grad = torch::zeros_like(x);
    for (int k = 0; k < o.steps; ++k) {
      double alpha = (k + 0.5) / o.steps;  // midpoint rule on the straight path from the baseline to the input
      mean_grad += input_gradient(model, target, base + alpha * (x - base));
    }
    mean_grad /= o.steps;
    e.attributions += (x - base) * mean_grad;
    e.hypothetical += hypothetical_against(mean_grad, base);
    e.baseline_score += scores(model, target, base);
  }
  e.attributions /= refs;
  e.hypothetical /= refs;
  e.baseline_score /= refs;
  return e;
}

Explained gradient_methods(nn::Model& model, const Target& target, const SaliencyOptions& o, const SequenceBatch& batch,
                           const encode::OneHotTable& table) {
  const int64_t B = static_cast<int64_t>(batch.size()), L = model.info().input_length;
  auto x = infer::one_hot_tensor(batch.codes, B, L, table);
  auto grad = input_gradient(model, target, x);
  Explained e;
  e.attributions = o.method == SaliencyMethod::gradient ? grad : grad * x;
  // Gradients are mean-normalised over the four bases (a uniform reference), as TF-MoDISco expects.
  e.hypothetical = hypothetical_against(grad, torch::full_like(x, 0.25));
  e.score = scores(model, target, x);
  e.baseline_score = torch::zeros({B});
  return e;
}

}  // namespace

SaliencySummary run_saliency(const SaliencyOptions& o) {
  if (o.steps < 1) throw UsageError("--steps must be at least 1");
  if (o.references < 1) throw UsageError("--references must be at least 1");
  auto model = nn::open_model(o.model, o.overrides);
  const int64_t L = model->info().input_length;
  Target target(model->info(), o.target);
  encode::OneHotTable table(model->info().unknown);
  SequenceBatches batches(o.sequences, L, o.batch);

  io::NpyWriter attributions(o.output, io::NpyType::float32, {4, L});
  AtomicFile ids(o.ids_output.empty() ? data::default_ids_path(o.output) : o.ids_output);
  std::unique_ptr<io::NpyWriter> one_hot;
  if (!o.one_hot_output.empty()) one_hot = std::make_unique<io::NpyWriter>(o.one_hot_output, io::NpyType::float32, std::vector<int64_t>{4, L});
  std::unique_ptr<AtomicFile> stats;
  if (!o.stats_output.empty()) {
    stats = std::make_unique<AtomicFile>(o.stats_output);
    stats->write("id\tscore\tbaseline_score\tattribution_sum\tcompleteness_error\n");
  }
  std::unique_ptr<AtomicDir> plots;
  if (!o.plot_dir.empty()) plots = std::make_unique<AtomicDir>(o.plot_dir);

  SaliencySummary summary;
  summary.target = target.description();
  const bool ig = o.method == SaliencyMethod::integrated_gradients;
  Progress progress("saliency", 0, "seqs");
  SequenceBatch batch;
  while (batches.next(batch)) {
    Explained e = ig ? integrated_gradients(*model, target, o, batch, table, summary.sequences)
                     : gradient_methods(*model, target, o, batch, table);
    auto out = (o.hypothetical ? e.hypothetical : e.attributions).contiguous();
    attributions.write_rows(out.data_ptr<float>(), out.size(0));
    auto x = infer::one_hot_tensor(batch.codes, static_cast<int64_t>(batch.size()), L, table);
    if (one_hot) one_hot->write_rows(x.data_ptr<float>(), x.size(0));
    auto sums = e.attributions.sum({1, 2});
    for (size_t i = 0; i < batch.size(); ++i) {
      auto k = static_cast<int64_t>(i);
      double f = e.score[k].item<double>(), f0 = e.baseline_score[k].item<double>(), total = sums[k].item<double>();
      double error = ig ? std::abs(total - (f - f0)) / std::max(std::abs(f - f0), 1e-6) : 0.0;
      if (ig && error > o.tolerance && std::abs(total - (f - f0)) > 1e-4) {
        ++summary.over_tolerance;
        if (summary.over_tolerance <= 10) {
          log::warn("'{}': integrated gradients sum to {:.4g} but the output changes by {:.4g} (error {:.1f}%); "
                    "use more --steps", batch.ids[i], total, f - f0, 100 * error);
        }
      }
      summary.worst_error = std::max(summary.worst_error, error);
      ids.print("{}\n", batch.ids[i]);
      if (stats) stats->print("{}\t{}\t{}\t{}\t{}\n", batch.ids[i], exact_number(f), exact_number(f0), exact_number(total), exact_number(error));
      if (plots && static_cast<int64_t>(summary.sequences) < o.plot_max) {
        AtomicFile svg(plots->path(safe_file_name(batch.ids[i]) + ".svg"));
        svg.write(report::attribution_logo(batch.ids[i] + ": " + target.description(), out[k].data_ptr<float>(), L,
                                   std::string_view(batch.codes).substr(i * static_cast<size_t>(L), static_cast<size_t>(L)),
                                   o.hypothetical));
        svg.commit();
      }
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
  attributions.finish();
  ids.commit();
  if (one_hot) one_hot->finish();
  if (stats) stats->commit();
  if (plots) plots->commit();
  return summary;
}

}  // namespace seqdl::interpret
