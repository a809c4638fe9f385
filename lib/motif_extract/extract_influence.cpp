#include <torch/torch.h>

#include <algorithm>
#include <numeric>

#include "encode/bases.hpp"
#include "infer/batches.hpp"
#include "infer/outputs.hpp"
#include "motif_extract/extract_parts.hpp"

namespace seqdl::motif::extraction {
namespace {

// Floats of first-layer output copied per influence chunk (several filters are zeroed side by side in one
// batch of the rest of the network).
constexpr int64_t kInfluenceBudget = int64_t{1} << 24;

// The sequences the influence is averaged over: all, or `wanted` evenly spaced ones (deterministic, any file
// order).
std::vector<size_t> influence_sample(size_t n, int64_t wanted_sequences) {
  std::vector<size_t> chosen;
  const auto wanted = static_cast<size_t>(wanted_sequences);
  if (wanted == 0 || wanted >= n) {
    chosen.resize(n);
    std::iota(chosen.begin(), chosen.end(), size_t{0});
  } else {
    for (size_t i = 0; i < wanted; ++i) chosen.push_back(i * n / wanted);
  }
  return chosen;
}

// The network after the filter output: layer output -> [batch, tasks] float64 on the chosen scale, per-position
// outputs averaged over positions.
class RestOfNetwork {
 public:
  RestOfNetwork(nn::Model& model, const FirstLayer& f, InfluenceScale scale) : model_(model), f_(f), scale_(scale) {}

  // The first head from the filter output `h` (layers that read the input directly get `input`).
  torch::Tensor operator()(const torch::Tensor& h, const torch::Tensor& input) const {
    nn::NetworkImpl& net = *f_.net;
    nn::Activations values{input, std::vector<torch::Tensor>(net.graph().nodes().size())};
    values.nodes[static_cast<size_t>(f_.output)] = h;
    const int head = net.graph().outputs()[0].node;
    net.compute(values, {head});
    torch::Tensor y = values.nodes[static_cast<size_t>(head)];
    if (scale_ == InfluenceScale::probability) y = infer::probabilities(model_.info(), y);
    if (y.dim() == 3) y = y.mean(2);
    return y.to(torch::kFloat64);
  }

 private:
  nn::Model& model_;
  const FirstLayer& f_;
  InfluenceScale scale_;
};

// Adds, per filter and task, the summed output change over a batch when the filter's channel is zeroed. `h` is
// the batch's filter output; several filters are zeroed side by side in one batch of the rest of the network.
void add_output_changes(const torch::Tensor& h, const torch::Tensor& input, const RestOfNetwork& rest, int64_t filters,
                        std::vector<std::vector<double>>& influence) {
  const int64_t b = h.size(0);
  const size_t tasks = influence.empty() ? 0 : influence[0].size();
  torch::Tensor intact = rest(h, input);  // [b, tasks]
  const int64_t chunk = std::max<int64_t>(1, kInfluenceBudget / std::max<int64_t>(1, h.numel()));
  for (int64_t c0 = 0; c0 < filters; c0 += chunk) {
    const int64_t k = std::min(chunk, filters - c0);
    torch::Tensor zeroed = h.unsqueeze(0).expand({k, h.size(0), h.size(1), h.size(2)}).clone();
    for (int64_t i = 0; i < k; ++i) zeroed[i].select(1, c0 + i).zero_();
    std::vector<int64_t> repeat(static_cast<size_t>(input.dim()), 1);
    repeat[0] = k;
    torch::Tensor y = rest(zeroed.view({k * h.size(0), h.size(1), h.size(2)}), input.repeat(repeat)).view({k, b, -1});
    torch::Tensor change = (intact.unsqueeze(0) - y).sum(1).contiguous();  // [k, tasks]
    const double* d = change.data_ptr<double>();
    for (int64_t i = 0; i < k; ++i) {
      std::vector<double>& sum = influence[static_cast<size_t>(c0 + i)];
      for (size_t t = 0; t < tasks; ++t) sum[t] += d[static_cast<size_t>(i) * tasks + t];
    }
  }
}

}  // namespace

Influence filter_influence(nn::Model& model, const FirstLayer& f, const Sequences& set,
                           const encode::OneHotTable& table, const ExtractOptions& o, Progress& progress) {
  const nn::ModelInfo& info = model.info();
  const int64_t length = info.input_length;
  const RestOfNetwork rest(model, f, o.influence_scale);
  const std::vector<size_t> chosen = influence_sample(set.seqs.size(), o.influence_sequences);
  const size_t m = chosen.size();
  Influence out{std::vector<std::vector<double>>(static_cast<size_t>(f.filters),
                                                 std::vector<double>(info.task_names.size(), 0.0)),
                m};
  progress.set_total(static_cast<uint64_t>(2 * set.seqs.size() + m));
  const auto per = static_cast<size_t>(o.batch);
  for (size_t begin = 0; begin < m; begin += per) {
    size_t end = std::min(m, begin + per);
    const auto b = static_cast<int64_t>(end - begin);
    std::string codes;
    codes.reserve(static_cast<size_t>(b * length));
    for (size_t i = begin; i < end; ++i) {
      const std::string& s = set.seqs[chosen[i]];
      codes += static_cast<int64_t>(s.size()) == length ? s : encode::fit_length(s, static_cast<size_t>(length));
    }
    nn::Activations values{infer::model_input(codes, b, length, table), {}};
    f.net->compute(values, {f.output});
    add_output_changes(values.nodes[static_cast<size_t>(f.output)], values.input, rest, f.filters, out.per_filter);
    progress.add(end - begin);
  }
  for (auto& v : out.per_filter) {
    for (double& x : v) x /= static_cast<double>(m);
  }
  return out;
}

}  // namespace seqdl::motif::extraction
