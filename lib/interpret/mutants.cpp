#include "interpret/mutants.hpp"

#include "infer/batches.hpp"

namespace seqdl::interpret {

constexpr const char* kBases = "ACGT";

std::vector<Mutant> mutants_of(std::string_view sequence, int64_t start, int64_t end) {
  std::vector<Mutant> out;
  for (int64_t p = start; p < end; ++p) {
    char ref = static_cast<char>(sequence[static_cast<size_t>(p)] & 0xDF);
    for (int b = 0; b < 4; ++b) {
      if (kBases[b] != ref && !(b == 3 && ref == 'U')) out.push_back({p, b});
    }
  }
  return out;
}

void scatter_deltas(const std::vector<Mutant>& mutants, const float* scores, float reference, float* deltas,
                    int64_t length) {
  std::fill(deltas, deltas + 4 * length, 0.0f);
  for (size_t m = 0; m < mutants.size(); ++m) deltas[mutants[m].base * length + mutants[m].position] = scores[m] - reference;
}

NaiveScorer::NaiveScorer(nn::Model& model, const Target& target, int64_t batch, const encode::OneHotTable& table)
    : model_(model), target_(target), batch_(batch), table_(table) {}

std::pair<float, std::vector<float>> NaiveScorer::score(std::string_view sequence, const std::vector<Mutant>& mutants) {
  torch::InferenceMode guard;
  const int64_t L = static_cast<int64_t>(sequence.size());
  float reference = target_.score(infer::run_model_heads(model_, infer::model_input(sequence, 1, L, table_))[target_.head()])[0].item<float>();
  std::vector<float> scores(mutants.size());
  std::string codes;
  for (size_t m0 = 0; m0 < mutants.size(); m0 += static_cast<size_t>(batch_)) {
    size_t b = std::min(mutants.size() - m0, static_cast<size_t>(batch_));
    codes.clear();
    for (size_t i = 0; i < b; ++i) {
      codes += sequence;
      codes[i * static_cast<size_t>(L) + static_cast<size_t>(mutants[m0 + i].position)] = kBases[mutants[m0 + i].base];
    }
    auto y = target_.score(infer::run_model_heads(model_, infer::model_input(codes, static_cast<int64_t>(b), L, table_))[target_.head()]).contiguous();
    std::copy_n(y.data_ptr<float>(), b, scores.begin() + static_cast<std::ptrdiff_t>(m0));
  }
  return {reference, scores};
}

}  // namespace seqdl::interpret
