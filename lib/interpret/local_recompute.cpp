#include "interpret/local_recompute.hpp"

#include <map>

#include "infer/batches.hpp"
#include "nn/one_hot_conv.hpp"
#include "util/error.hpp"

namespace seqdl::interpret {
namespace {

constexpr const char* kBases = "ACGT";

int64_t floor_div(int64_t x, int64_t d) { return x >= 0 ? x / d : -((-x + d - 1) / d); }
int64_t ceil_div(int64_t x, int64_t d) { return -floor_div(-x, d); }

size_t local_trunk(const nn::NetworkImpl& net) {
  size_t t = 0;
  while (t < net.layers().size() && net.layers()[t].local && net.layers()[t].pad == 0) ++t;
  return t;
}

}  // namespace

std::string LocalScorer::why_not(nn::Model& model) {
  nn::NetworkImpl* net = model.network();
  if (net == nullptr) return "a TorchScript model does not show its layers";
  if (local_trunk(*net) == 0) return "its first layer is padded or not a local layer";
  return "";
}

LocalScorer::LocalScorer(nn::Model& model, const Target& target, int64_t batch, const encode::OneHotTable& table)
    : model_(model), net_(*model.network()), target_(target), batch_(batch), table_(table), trunk_(local_trunk(net_)) {
  // A single substituted base changes `width` outputs of each layer (at most, over all alignments).
  int64_t changed = 1;
  for (size_t l = 0; l < trunk_; ++l) {
    const auto& info = net_.layers()[l];
    int64_t width = floor_div(changed + info.span - 2, info.stride) + 1;
    layers_.push_back({info.span, info.stride, width, (width - 1) * info.stride + info.span});
    changed = width;
  }
  // Slices reach furthest outside a layer's input for substitutions at the ends of the sequence (spans move
  // monotonically with the position): pad the reference activations by that much.
  std::vector<int64_t> first_in, start;
  for (int64_t p : {int64_t{0}, model.info().input_length - 1}) {
    spans(p, first_in, start);
    for (size_t l = 0; l < trunk_; ++l) {
      int64_t length = net_.layers()[l].in.length;
      layers_[l].pad_left = std::max(layers_[l].pad_left, -first_in[l]);
      layers_[l].pad_right = std::max(layers_[l].pad_right, first_in[l] + layers_[l].width_in - length);
    }
  }
}

void LocalScorer::spans(int64_t position, std::vector<int64_t>& first_in, std::vector<int64_t>& start) const {
  first_in.assign(trunk_, 0);
  start.assign(trunk_, 0);
  int64_t a = position;  // first changed position of the layer's input
  for (size_t l = 0; l < trunk_; ++l) {
    start[l] = ceil_div(a - layers_[l].span + 1, layers_[l].stride);
    first_in[l] = start[l] * layers_[l].stride;
    a = start[l];
  }
}

std::pair<float, std::vector<float>> LocalScorer::score(std::string_view sequence, const std::vector<Mutant>& mutants) {
  torch::InferenceMode guard;
  const int64_t L = static_cast<int64_t>(sequence.size());
  const bool indices = table_.mode() == encode::Unknown::zero;

  // Reference activations of every trunk layer (index 0 is the input, as one-hot floats).
  std::vector<torch::Tensor> ref{infer::one_hot_tensor(sequence, 1, L, table_)[0]};
  {
    auto x = infer::model_input(sequence, 1, L, table_);
    auto h = net_.forward_prefix(x, 1);
    ref.push_back(h[0]);
    for (size_t l = 1; l < trunk_; ++l) {
      h = net_.forward_range(h, l, l + 1);
      ref.push_back(h[0]);
    }
  }
  const auto& last = ref.back();  // [C, Lt]
  auto head = [&](const torch::Tensor& trunk_out) {
    return target_.score(net_.forward_range(trunk_out, trunk_, net_.layers().size()));
  };
  float reference = head(last.unsqueeze(0))[0].item<float>();

  // The reference activations padded on both sides, so that every slice a mutant needs exists.
  std::vector<torch::Tensor> padded;
  for (size_t l = 0; l < trunk_; ++l) {
    padded.push_back(torch::constant_pad_nd(ref[l], {std::max<int64_t>(0, layers_[l].pad_left),
                                                     std::max<int64_t>(0, layers_[l].pad_right)}));
  }

  std::vector<float> scores(mutants.size());
  for (size_t m0 = 0; m0 < mutants.size(); m0 += static_cast<size_t>(batch_)) {
    const auto B = static_cast<int64_t>(std::min(mutants.size() - m0, static_cast<size_t>(batch_)));
    // Per mutant and layer: the first input position read and the first output position recomputed.
    std::vector<std::vector<int64_t>> first_in(static_cast<size_t>(B)), starts(static_cast<size_t>(B));
    for (int64_t i = 0; i < B; ++i) spans(mutants[m0 + static_cast<size_t>(i)].position, first_in[static_cast<size_t>(i)], starts[static_cast<size_t>(i)]);
    torch::Tensor values;  // the recomputed outputs of the current layer [B, C, width]
    for (size_t l = 0; l < trunk_; ++l) {
      const Layer& layer = layers_[l];
      const int64_t width_in = layer.width_in;
      auto in_at = [&](int64_t i) { return first_in[static_cast<size_t>(i)][l]; };
      torch::Tensor input;
      if (l == 0) {
        // The mutated bases around each substitution (outside the sequence: N, which no kept output reads).
        std::string codes(static_cast<size_t>(B * width_in), 'N');
        for (int64_t i = 0; i < B; ++i) {
          const Mutant& mu = mutants[m0 + static_cast<size_t>(i)];
          for (int64_t k = 0; k < width_in; ++k) {
            int64_t p = in_at(i) + k;
            if (p >= 0 && p < L) codes[static_cast<size_t>(i * width_in + k)] = p == mu.position ? kBases[mu.base] : sequence[static_cast<size_t>(p)];
          }
        }
        input = indices ? infer::index_tensor(codes, B, width_in) : infer::one_hot_tensor(codes, B, width_in, table_);
        values = net_.forward_prefix(input, 1);
      } else {
        // Reference slices of the previous layer's output, with its recomputed span patched in. Mutants whose
        // recomputed span sits at the same offset in their slice are patched together.
        auto windows = padded[l].unfold(1, width_in, 1);  // [C, positions, width_in]
        auto where = torch::empty({B}, torch::kInt64);
        std::map<int64_t, std::vector<int64_t>> by_offset;
        for (int64_t i = 0; i < B; ++i) {
          where[i] = in_at(i) + layer.pad_left;
          by_offset[starts[static_cast<size_t>(i)][l - 1] - in_at(i)].push_back(i);
        }
        input = windows.index_select(1, where).permute({1, 0, 2}).contiguous();  // [B, C, width_in]
        for (auto& [offset, rows] : by_offset) {
          auto idx = torch::tensor(rows, torch::kInt64);
          auto part = input.index_select(0, idx);
          part.narrow(2, offset, values.size(2)).copy_(values.index_select(0, idx));
          input.index_copy_(0, idx, part);
        }
        values = net_.forward_range(input, l, l + 1);
      }
    }
    // Splice the recomputed span into the reference output of the trunk; positions outside it go to a spare
    // column that is dropped.
    const int64_t C = last.size(0), Lt = last.size(1), W = values.size(2);
    auto full = torch::constant_pad_nd(last, {0, 1}).unsqueeze(0).repeat({B, 1, 1});  // [B, C, Lt + 1]
    auto positions = torch::empty({B, 1, W}, torch::kInt64);
    auto* pos = positions.data_ptr<int64_t>();
    for (int64_t i = 0; i < B; ++i) {
      for (int64_t w = 0; w < W; ++w) {
        int64_t q = starts[static_cast<size_t>(i)][trunk_ - 1] + w;
        pos[i * W + w] = q >= 0 && q < Lt ? q : Lt;
      }
    }
    full.scatter_(2, positions.expand({B, C, W}), values);
    auto y = head(full.narrow(2, 0, Lt)).contiguous();
    std::copy_n(y.data_ptr<float>(), B, scores.begin() + static_cast<std::ptrdiff_t>(m0));
  }
  return {reference, scores};
}

}  // namespace seqdl::interpret
