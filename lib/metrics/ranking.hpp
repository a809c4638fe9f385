// The ranking core that every binary ranking metric walks: scores sorted once (descending), tied scores
// grouped, and for each distinct score t (a threshold) the number of positives (tps) and negatives (fps)
// scoring >= t. These are exactly scikit-learn's _binary_clf_curve arrays (fps, tps, thresholds), so
// AUPRC, AUROC, both curves, F1, top-k and equal-mass calibration bins agree with sklearn's tie handling.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace seqdl::metrics {

class Ranking {
 public:
  // Checks the input (see check_binary_input) and ranks it: O(n) radix sort on the scores' bits.
  // Memory: 16 bytes per sample while sorting, 24 bytes per distinct score kept. -0.0 and 0.0 are one
  // score (as numpy's diff sees them) and are reported as 0.0.
  Ranking(std::span<const double> scores, std::span<const uint8_t> labels);

  // A ranking from per-score counts: `thresholds` strictly descending, and how many positives and
  // negatives hold each score. Scores nobody holds are dropped, so a bootstrap resample (a multiset of
  // the original samples) is re-ranked in O(distinct scores) without sorting again.
  static Ranking from_counts(std::span<const double> thresholds, std::span<const uint64_t> positives,
                             std::span<const uint64_t> negatives);

  uint64_t positives() const { return tps_.empty() ? 0 : tps_.back(); }
  uint64_t negatives() const { return fps_.empty() ? 0 : fps_.back(); }
  uint64_t size() const { return positives() + negatives(); }

  // Distinct scores, descending; tps[i] / fps[i]: positives / negatives with score >= thresholds[i].
  std::span<const double> thresholds() const { return thresholds_; }
  std::span<const uint64_t> true_positives() const { return tps_; }
  std::span<const uint64_t> false_positives() const { return fps_; }

 private:
  Ranking() = default;
  void reserve(size_t thresholds);
  void append(double threshold, uint64_t tp, uint64_t fp);

  std::vector<double> thresholds_;
  std::vector<uint64_t> tps_, fps_;
};

// Collects scores and labels chunk by chunk (batch by batch while validating, or while reading a large
// prediction file) and ranks them once at the end. Each chunk is checked as it arrives, so an error
// names the sample's index in the whole input.
class BinaryAccumulator {
 public:
  void add(std::span<const double> scores, std::span<const uint8_t> labels);
  void clear();

  size_t size() const { return scores_.size(); }
  std::span<const double> scores() const { return scores_; }
  std::span<const uint8_t> labels() const { return labels_; }
  Ranking ranking() const { return Ranking(scores_, labels_); }

 private:
  std::vector<double> scores_;
  std::vector<uint8_t> labels_;
};

}  // namespace seqdl::metrics
