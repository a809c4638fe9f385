#include "interpret/local_recompute.hpp"

#include <map>

#include "infer/batches.hpp"
#include "util/error.hpp"

namespace seqdl::interpret {
namespace {

constexpr const char* kBases = "ACGT";

}  // namespace

std::string LocalRecompute::why_not(nn::Model& model) {
  nn::NetworkImpl* net = model.network();
  if (net == nullptr) return "a TorchScript model does not show its layers";
  return nn::MutationReach(net->graph()).why_not();
}

LocalRecompute::LocalRecompute(nn::NetworkImpl& net, const encode::OneHotTable& table)
    : net_(net), table_(table), reach_(net.graph()) {
  if (!reach_.why_not().empty()) throw ModelError("local recomputation is not possible: {}", reach_.why_not());
}

void LocalRecompute::set_reference(std::string_view sequence) {
  torch::InferenceMode guard;
  const auto& graph = net_.graph();
  sequence_ = sequence;
  const auto L = static_cast<int64_t>(sequence.size());
  nn::Activations a{infer::model_input(sequence, 1, L, table_), {}};
  std::vector<int> wanted = reach_.trunk();
  for (const auto& o : graph.outputs()) wanted.push_back(o.node);
  net_.compute(a, wanted);
  padded_.assign(graph.nodes().size(), {});
  reference_.assign(graph.nodes().size(), {});
  for (int n : reach_.trunk()) {
    const auto& v = a.nodes[static_cast<size_t>(n)];
    padded_[static_cast<size_t>(n)] = torch::constant_pad_nd(v[0], {reach_.pad_left(n), reach_.pad_right(n)});
    reference_[static_cast<size_t>(n)] = v;
  }
  reference_heads_.clear();
  for (const auto& o : graph.outputs()) reference_heads_.push_back(a.nodes[static_cast<size_t>(o.node)]);
}

// The network input around each mutant's substitution, as node `node` reads it: base indices or one-hot floats,
// with zero columns outside the sequence (its padding).
torch::Tensor LocalRecompute::input_slices(int node, const std::vector<std::vector<int64_t>>& starts,
                                           const std::vector<Mutant>& mutants) {
  const auto B = static_cast<int64_t>(mutants.size());
  const int64_t width = reach_.slice_width(node), L = static_cast<int64_t>(sequence_.size());
  std::string codes(static_cast<size_t>(B * width), 'N');
  auto inside = torch::ones({B, 1, width});
  for (int64_t i = 0; i < B; ++i) {
    const Mutant& mu = mutants[static_cast<size_t>(i)];
    const int64_t first = reach_.slice_start(node, starts[static_cast<size_t>(i)][static_cast<size_t>(node)]);
    for (int64_t k = 0; k < width; ++k) {
      int64_t p = first + k;
      if (p >= 0 && p < L) {
        codes[static_cast<size_t>(i * width + k)] = p == mu.position ? kBases[mu.base] : sequence_[static_cast<size_t>(p)];
      } else {
        inside[i][0][k] = 0.0f;
      }
    }
  }
  auto x = infer::model_input(codes, B, width, table_);
  return x.scalar_type() == torch::kUInt8 ? x : x * inside;
}

// Slices of `input`'s reference value as node `node` reads them, with the input's recomputed positions patched in.
torch::Tensor LocalRecompute::value_slices(int node, int input, const std::vector<std::vector<int64_t>>& starts,
                                           const std::vector<torch::Tensor>& recomputed) {
  const auto B = static_cast<int64_t>(starts.size());
  const int64_t width = reach_.slice_width(node), pad = reach_.pad_left(input);
  auto where = torch::empty({B}, torch::kInt64);
  std::map<int64_t, std::vector<int64_t>> by_offset;  // mutants whose recomputed span sits at the same offset
  for (int64_t i = 0; i < B; ++i) {
    const auto& s = starts[static_cast<size_t>(i)];
    int64_t first = reach_.slice_start(node, s[static_cast<size_t>(node)]);
    where[i] = first + pad;
    by_offset[s[static_cast<size_t>(input)] - first].push_back(i);
  }
  auto windows = padded_[static_cast<size_t>(input)].unfold(1, width, 1);  // [C, positions, width]
  auto slices = windows.index_select(1, where).permute({1, 0, 2}).contiguous();  // [B, C, width]
  const auto& values = recomputed[static_cast<size_t>(input)];  // [B, C, W]
  const int64_t W = values.size(2);
  for (auto& [offset, rows] : by_offset) {
    int64_t from = std::max<int64_t>(0, -offset), to = std::min(W, width - offset);  // the overlap, in values
    if (from >= to) continue;
    auto idx = torch::tensor(rows, torch::kInt64);
    auto part = slices.index_select(0, idx);
    part.narrow(2, offset + from, to - from).copy_(values.index_select(0, idx).narrow(2, from, to - from));
    slices.index_copy_(0, idx, part);
  }
  return slices;
}

// The node's full reference value per mutant with its recomputed positions written in.
torch::Tensor LocalRecompute::spliced(int node, const std::vector<std::vector<int64_t>>& starts, const torch::Tensor& values) {
  const auto& ref = reference_[static_cast<size_t>(node)][0];  // [C, L]
  const int64_t B = values.size(0), C = ref.size(0), L = ref.size(1), W = values.size(2);
  auto full = torch::constant_pad_nd(ref, {0, 1}).unsqueeze(0).repeat({B, 1, 1});  // a spare column for misses
  auto positions = torch::empty({B, 1, W}, torch::kInt64);
  auto* pos = positions.data_ptr<int64_t>();
  for (int64_t i = 0; i < B; ++i) {
    for (int64_t w = 0; w < W; ++w) {
      int64_t q = starts[static_cast<size_t>(i)][static_cast<size_t>(node)] + w;
      pos[i * W + w] = q >= 0 && q < L ? q : L;
    }
  }
  full.scatter_(2, positions.expand({B, C, W}), values);
  return full.narrow(2, 0, L);
}

std::vector<torch::Tensor> LocalRecompute::mutant_heads(const std::vector<Mutant>& mutants) {
  torch::InferenceMode guard;
  const auto& graph = net_.graph();
  const auto B = static_cast<int64_t>(mutants.size());
  std::vector<std::vector<int64_t>> starts(mutants.size());
  for (size_t i = 0; i < mutants.size(); ++i) reach_.starts(mutants[i].position, starts[i]);
  std::vector<torch::Tensor> recomputed(graph.nodes().size());  // per trunk node: [B, C, width]
  std::vector<torch::Tensor> inputs;
  for (int n : reach_.trunk()) {
    const nn::Node& node = graph.node(n);
    inputs.clear();
    for (int m : node.inputs) {
      inputs.push_back(m == nn::kNetworkInput ? input_slices(n, starts, mutants)
                                              : value_slices(n, m, starts, recomputed));
    }
    auto values = net_.run_node_on_slices(n, inputs);  // [B, C, width(n)]
    // Recomputed positions outside the layer's output are padding to whatever reads them: zero.
    const int64_t W = values.size(2);
    auto inside = torch::zeros({B, 1, W});
    for (int64_t i = 0; i < B; ++i) {
      int64_t first = starts[static_cast<size_t>(i)][static_cast<size_t>(n)];
      int64_t a = std::clamp<int64_t>(-first, 0, W), b = std::clamp<int64_t>(node.out.length - first, 0, W);
      if (a < b) inside[i][0].narrow(0, a, b - a).fill_(1.0f);
    }
    recomputed[static_cast<size_t>(n)] = values * inside;
  }
  nn::Activations head{{}, std::vector<torch::Tensor>(graph.nodes().size())};
  for (int f : reach_.frontier()) head.nodes[static_cast<size_t>(f)] = spliced(f, starts, recomputed[static_cast<size_t>(f)]);
  std::vector<int> outputs;
  for (const auto& o : graph.outputs()) outputs.push_back(o.node);
  net_.compute(head, outputs);
  std::vector<torch::Tensor> heads;
  for (int o : outputs) heads.push_back(head.nodes[static_cast<size_t>(o)]);
  return heads;
}

LocalScorer::LocalScorer(nn::Model& model, const Target& target, int64_t batch, const encode::OneHotTable& table)
    : target_(target), batch_(batch), recompute_(*model.network(), table) {}

std::pair<float, std::vector<float>> LocalScorer::score(std::string_view sequence, const std::vector<Mutant>& mutants) {
  torch::InferenceMode guard;
  recompute_.set_reference(sequence);
  float reference = target_.score(recompute_.reference_heads()[target_.head()])[0].item<float>();
  std::vector<float> scores(mutants.size());
  for (size_t m0 = 0; m0 < mutants.size(); m0 += static_cast<size_t>(batch_)) {
    const size_t b = std::min(mutants.size() - m0, static_cast<size_t>(batch_));
    std::vector<Mutant> part(mutants.begin() + static_cast<std::ptrdiff_t>(m0), mutants.begin() + static_cast<std::ptrdiff_t>(m0 + b));
    auto y = target_.score(recompute_.mutant_heads(part)[target_.head()]).contiguous();
    std::copy_n(y.data_ptr<float>(), b, scores.begin() + static_cast<std::ptrdiff_t>(m0));
  }
  return {reference, scores};
}

}  // namespace seqdl::interpret
