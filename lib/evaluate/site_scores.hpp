// Per-base acceptor and donor scores with their labels, gathered piece by piece (gene by gene, chunk by chunk of a
// chromosome), and the metrics SpliceAI reports from them: AUPRC (scikit-learn's average precision), AUROC and the
// top-k accuracy (k = the number of true sites), with the prevalence beside them. Torch-free.
//
// Two ways to hold them:
//   ExactSiteScores   every score (4 bytes per position per class, and its label): metrics exactly as sklearn
//                     computes them. For genes: their bases are a small part of a genome.
//   BinnedSiteScores  a count per score bin: fixed memory (about 17 MB per class) however many bases are scored,
//                     for whole chromosomes (a 100-Mb chromosome, both strands, is 200 M positions: 1.6 GB of float
//                     scores for two classes if held). Scores are truncated to their float32 bits with the lowest
//                     kDroppedBits cleared (a relative step of 2^-14, about 6e-5) and the metrics are then exact for
//                     these truncated scores, ties included (sklearn on the truncated scores gives the same values).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "metrics/binary.hpp"

namespace seqdl::evaluate {

// The metrics of one site class.
struct SiteMetrics {
  uint64_t positions = 0, positives = 0;
  double prevalence = 0;
  std::optional<double> auprc, auroc;
  std::optional<metrics::TopK> top_k;
};

class SiteScores {
 public:
  virtual ~SiteScores() = default;
  // n positions: the acceptor and donor scores (either may be null: that class is not scored) and the labels
  // (0 neither, 1 acceptor, 2 donor). InputError for a score that is not a probability in [0, 1] (binned) or not
  // finite (exact).
  virtual void add(const float* acceptor, const float* donor, const uint8_t* labels, size_t n) = 0;
  // cls 1 (acceptor) or 2 (donor); nullopt when no score of that class was added.
  virtual std::optional<SiteMetrics> metrics(int cls) const = 0;
  uint64_t positions() const { return positions_; }

 protected:
  uint64_t positions_ = 0;
};

class ExactSiteScores : public SiteScores {
 public:
  void add(const float* acceptor, const float* donor, const uint8_t* labels, size_t n) override;
  std::optional<SiteMetrics> metrics(int cls) const override;

 private:
  std::array<std::vector<float>, 2> scores_;
  std::vector<uint8_t> labels_;
};

class BinnedSiteScores : public SiteScores {
 public:
  static constexpr int kDroppedBits = 9;
  // The value a score counts as: its float32 bits with the lowest kDroppedBits cleared.
  static float truncated(float score);

  void add(const float* acceptor, const float* donor, const uint8_t* labels, size_t n) override;
  std::optional<SiteMetrics> metrics(int cls) const override;

 private:
  struct Bins {
    std::vector<uint64_t> negatives;                 // by bin, allocated on first use
    std::unordered_map<uint32_t, uint64_t> positives;  // few: by bin
  };
  std::array<Bins, 2> bins_;
};

// The metrics of a ranking (exposed for tests and the training task's validation).
SiteMetrics site_metrics(const metrics::Ranking& ranking);

}  // namespace seqdl::evaluate
