// Fast saturation mutagenesis by local recomputation (see ism.hpp): per sequence, the reference activations
// of the network's leading unpadded local layers are computed once; per batch of mutants, each of those
// layers recomputes only the span of its output that the substitution can reach, from the reference
// activations patched with the previous layer's recomputed span; the result is spliced into the reference
// output of the last such layer and the remaining layers run on it.
#pragma once

#include "interpret/mutants.hpp"

namespace seqdl::interpret {

class LocalScorer : public MutantScorer {
 public:
  // Why the model does not allow local recomputation, or "" if it does.
  static std::string why_not(nn::Model& model);

  LocalScorer(nn::Model& model, const Target& target, int64_t batch, const encode::OneHotTable& table);
  std::pair<float, std::vector<float>> score(std::string_view sequence, const std::vector<Mutant>& mutants) override;

 private:
  struct Layer {
    int64_t span, stride;
    int64_t width;      // output positions recomputed per mutant
    int64_t width_in;   // input positions they read
    int64_t pad_left = 0, pad_right = 0;  // reference activations are padded so every slice exists
  };
  // First input position each layer reads and first output it recomputes, for a substitution at `position`.
  void spans(int64_t position, std::vector<int64_t>& first_in, std::vector<int64_t>& start) const;
  nn::Model& model_;
  nn::NetworkImpl& net_;
  const Target& target_;
  int64_t batch_;
  const encode::OneHotTable& table_;
  size_t trunk_;             // leading layers recomputed locally
  std::vector<Layer> layers_;
};

}  // namespace seqdl::interpret
