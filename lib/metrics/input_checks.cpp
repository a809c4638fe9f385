#include "metrics/input_checks.hpp"

#include <cmath>

#include "util/error.hpp"

namespace seqdl::metrics {

size_t first_non_finite(std::span<const double> values) {
  for (size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i])) return i;
  return values.size();
}

void check_binary_chunk(std::span<const double> scores, std::span<const uint8_t> labels, size_t first_index) {
  if (scores.size() != labels.size())
    throw InputError("{} scores but {} labels; expected one label per score", scores.size(), labels.size());
  if (size_t i = first_non_finite(scores); i < scores.size())
    throw InputError("scores[{}] is {}; scores must be finite numbers", first_index + i, scores[i]);
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] > 1) throw InputError("labels[{}] is {}; binary labels must be 0 or 1", first_index + i, labels[i]);
}

void check_binary_input(std::span<const double> scores, std::span<const uint8_t> labels) {
  check_binary_chunk(scores, labels, 0);
  if (scores.empty()) throw InputError("no scores to evaluate; expected at least one sample");
}

void check_probabilities(std::span<const double> probabilities) {
  for (size_t i = 0; i < probabilities.size(); ++i)
    if (!(probabilities[i] >= 0.0 && probabilities[i] <= 1.0))
      throw InputError("scores[{}] is {}; calibration needs probabilities in [0, 1]", i, probabilities[i]);
}

}  // namespace seqdl::metrics
