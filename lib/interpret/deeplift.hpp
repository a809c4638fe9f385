// DeepLIFT's rescale rule (Shrikumar et al. 2017), averaged over references (DeepSHAP, Lundberg & Lee 2017), on
// seqdl's own layers: exact by construction, with the summation-to-delta error of every input-reference pair.
//
// Multipliers flow back from the explained output through the graph (nn/graph.hpp), one rule per layer type:
//   linear layers (convolutions, dense layers, batch norm in eval, average pools, flatten, crops, pads, dropout
//   in eval, additions, concatenations) pass them by their transposed Jacobian;
//   elementwise nonlinearities multiply by (f(x) - f(r)) / (x - r), or by f'(x) where |x - r| < 1e-6;
//   max pools (and global max pools) send each window's multiplier times (y - y_ref) to the argmax of the input's
//   window when y > y_ref and to the reference's when y < y_ref, summed (never overwritten) over overlapping
//   windows, divided by (x - x_ref) there,
// so that for every pair sum((x - r) * m) = f(x) - f(r) up to float rounding. A layer without a rule (LSTM,
// attention, position encodings) is refused by name, never explained by a plain gradient.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "interpret/target.hpp"
#include "nn/network.hpp"

namespace seqdl::interpret {

struct DeepLiftResult {
  torch::Tensor hypothetical;     // [B, 4, L]: what each base would contribute at each position (mean over refs)
  torch::Tensor contributions;    // [B, 4, L]: the observed base's contribution (hypothetical x one-hot)
  torch::Tensor score;            // [B]: the explained output on the input
  torch::Tensor reference_score;  // [B]: its mean over the references
  torch::Tensor worst_error;      // [B]: the largest relative summation-to-delta error over the pairs
};

// Refers to the network (which must outlive it); one thread at a time.
class DeepLift {
 public:
  // ModelError naming the first layer without a rule (and suggesting integrated gradients), or for a target that
  // is not a linear function of the outputs (--probability).
  DeepLift(nn::NetworkImpl& net, const Target& target);

  // x: one-hot inputs [B, 4, L]; references: [B, R, 4, L] (R >= 1), in the model's encoding.
  DeepLiftResult explain(const torch::Tensor& x, const torch::Tensor& references);

 private:
  void backward_node(int node, std::vector<torch::Tensor>& multipliers, torch::Tensor& input_multiplier);
  torch::Tensor paired(int node) const;  // the input's value of `node`, repeated for each of its references
  torch::Tensor by_pair(const torch::Tensor& value) const;
  void add(std::vector<torch::Tensor>& m, torch::Tensor& input_m, int to, const torch::Tensor& value) const;

  nn::NetworkImpl& net_;
  const Target& target_;
  nn::Activations x_, r_;  // every node's value on the inputs and on the references
  int64_t refs_ = 1;
};

// The hypothetical contributions against one reference from input multipliers m: what position i would
// contribute holding base b, h[b, i] = m[b, i] - sum_c r[c, i] * m[c, i] (for the base actually there, its real
// contribution).
torch::Tensor hypothetical_against(const torch::Tensor& multipliers, const torch::Tensor& reference);

}  // namespace seqdl::interpret
