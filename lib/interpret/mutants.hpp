// The mutants of saturation mutagenesis and their effects, shared by the naive and fast engines.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "encode/one_hot.hpp"
#include "interpret/target.hpp"
#include "nn/model.hpp"

namespace seqdl::interpret {

struct Mutant {
  int64_t position = 0;
  int base = 0;  // 0..3 = A, C, G, T
};

// Every substitution at positions [start, end): the three other bases, or all four at a non-ACGT base.
std::vector<Mutant> mutants_of(std::string_view sequence, int64_t start, int64_t end);

// Fills a [4, length] delta array (0 where nothing was mutated) from per-mutant scores.
void scatter_deltas(const std::vector<Mutant>& mutants, const float* mutant_scores, float reference_score,
                    float* deltas, int64_t length);

// An engine that scores all mutants of one sequence; the naive one runs each through the whole model.
class MutantScorer {
 public:
  virtual ~MutantScorer() = default;
  // The reference's score and one score per mutant.
  virtual std::pair<float, std::vector<float>> score(std::string_view sequence, const std::vector<Mutant>& mutants) = 0;
};

class NaiveScorer : public MutantScorer {
 public:
  NaiveScorer(nn::Model& model, const Target& target, int64_t batch, const encode::OneHotTable& table);
  std::pair<float, std::vector<float>> score(std::string_view sequence, const std::vector<Mutant>& mutants) override;

 private:
  nn::Model& model_;
  const Target& target_;
  int64_t batch_;
  const encode::OneHotTable& table_;
};

}  // namespace seqdl::interpret
