// Model outputs for single-base substitutions of one sequence by local recomputation (see mutation_reach.hpp):
// the reference activations of the network's local trunk are computed once per sequence; per batch of mutants,
// each trunk layer recomputes only the positions the substitution can reach, from slices of the reference
// activations with the inputs' recomputed positions patched in; the frontier is spliced into full reference
// tensors and the rest of the network runs on it. It equals running every mutant through the whole network up to
// floating-point summation order: padding is reproduced exactly (recomputed positions outside a layer's output are
// zeroed, as padding reads them).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "interpret/mutants.hpp"
#include "nn/mutation_reach.hpp"

namespace seqdl::interpret {

// Ownership: refers to the network and table (they must outlive it); one thread at a time.
class LocalRecompute {
 public:
  // Why the model does not allow local recomputation, or "" if it does.
  static std::string why_not(nn::Model& model);

  LocalRecompute(nn::NetworkImpl& net, const encode::OneHotTable& table);
  // Computes the reference activations of `sequence` (the network's input length).
  void set_reference(std::string_view sequence);
  // Every head's outputs on the reference: [1, ...] per head.
  const std::vector<torch::Tensor>& reference_heads() const { return reference_heads_; }
  // Every head's outputs for each mutant of the reference: [mutants, ...] per head.
  std::vector<torch::Tensor> mutant_heads(const std::vector<Mutant>& mutants);

 private:
  torch::Tensor input_slices(int node, const std::vector<std::vector<int64_t>>& starts, const std::vector<Mutant>& mutants);
  torch::Tensor value_slices(int node, int input, const std::vector<std::vector<int64_t>>& starts,
                             const std::vector<torch::Tensor>& recomputed);
  torch::Tensor spliced(int node, const std::vector<std::vector<int64_t>>& starts, const torch::Tensor& values);

  nn::NetworkImpl& net_;
  const encode::OneHotTable& table_;
  nn::MutationReach reach_;
  std::string sequence_;
  std::vector<torch::Tensor> padded_;          // per node: its reference value [C, pad_left + length + pad_right]
  std::vector<torch::Tensor> reference_;       // per node: its reference value [1, C, length] (frontier nodes)
  std::vector<torch::Tensor> reference_heads_;
};

// Saturation mutagenesis scores through LocalRecompute.
class LocalScorer : public MutantScorer {
 public:
  LocalScorer(nn::Model& model, const Target& target, int64_t batch, const encode::OneHotTable& table);
  std::pair<float, std::vector<float>> score(std::string_view sequence, const std::vector<Mutant>& mutants) override;

 private:
  const Target& target_;
  int64_t batch_;
  LocalRecompute recompute_;
};

}  // namespace seqdl::interpret
