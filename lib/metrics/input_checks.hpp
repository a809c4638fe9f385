// Input checks shared by every metric. Malformed input (length mismatch, no samples, a NaN or infinite
// score, a label that is not 0/1) is the user's to fix, so it throws seqdl::InputError with a message
// that names the first offending sample; a bad parameter (0 bins, confidence 1.5) throws UsageError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace seqdl::metrics {

// Throws InputError unless there is at least one score, one label per score, every score is finite and
// every label is 0 or 1.
void check_binary_input(std::span<const double> scores, std::span<const uint8_t> labels);

// As above without the non-empty test, naming samples from `first_index` on (for chunked input).
void check_binary_chunk(std::span<const double> scores, std::span<const uint8_t> labels, size_t first_index);

// Throws InputError unless every value is in [0, 1] (call after check_binary_input: NaN is reported there).
void check_probabilities(std::span<const double> probabilities);

// Index of the first NaN or infinite value, or values.size() when all are finite.
size_t first_non_finite(std::span<const double> values);

}  // namespace seqdl::metrics
