#include "evaluate/site_scores.hpp"

#include <cmath>
#include <cstring>

#include "util/error.hpp"

namespace seqdl::evaluate {
namespace {

// Bins of scores in [0, 1]: float32 bits >> kDroppedBits (monotone for non-negative floats).
constexpr uint32_t kOneBits = 0x3F800000u;  // 1.0f
constexpr size_t kBins = (kOneBits >> BinnedSiteScores::kDroppedBits) + 1;

uint32_t bits_of(float v) {
  uint32_t b = 0;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

float float_of(uint32_t b) {
  float v = 0;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

const char* class_name(int cls) { return cls == 1 ? "acceptor" : "donor"; }

}  // namespace

SiteMetrics site_metrics(const metrics::Ranking& ranking) {
  SiteMetrics m;
  m.positions = ranking.size();
  m.positives = ranking.positives();
  m.prevalence = metrics::prevalence(ranking);
  m.auprc = metrics::average_precision(ranking);
  m.auroc = metrics::roc_auc(ranking);
  m.top_k = metrics::top_k_accuracy(ranking);
  return m;
}

void ExactSiteScores::add(const float* acceptor, const float* donor, const uint8_t* labels, size_t n) {
  for (int c = 0; c < 2; ++c) {
    const float* s = c == 0 ? acceptor : donor;
    if (s == nullptr) continue;
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(s[i])) {
        throw InputError("the {} score of position {} is {}: expected a finite number", class_name(c + 1),
                         positions_ + i, s[i]);
      }
    }
    scores_[static_cast<size_t>(c)].insert(scores_[static_cast<size_t>(c)].end(), s, s + n);
  }
  labels_.insert(labels_.end(), labels, labels + n);
  positions_ += n;
}

std::optional<SiteMetrics> ExactSiteScores::metrics(int cls) const {
  const auto& s = scores_[static_cast<size_t>(cls - 1)];
  if (s.empty()) return std::nullopt;
  std::vector<double> scores(s.begin(), s.end());
  std::vector<uint8_t> positive(labels_.size());
  for (size_t i = 0; i < labels_.size(); ++i) positive[i] = labels_[i] == cls;
  return site_metrics(metrics::Ranking(scores, positive));
}

float BinnedSiteScores::truncated(float score) { return float_of((bits_of(score) >> kDroppedBits) << kDroppedBits); }

void BinnedSiteScores::add(const float* acceptor, const float* donor, const uint8_t* labels, size_t n) {
  for (int c = 0; c < 2; ++c) {
    const float* s = c == 0 ? acceptor : donor;
    if (s == nullptr) continue;
    Bins& bins = bins_[static_cast<size_t>(c)];
    if (bins.negatives.empty()) bins.negatives.assign(kBins, 0);
    for (size_t i = 0; i < n; ++i) {
      if (!(s[i] >= 0.0f && s[i] <= 1.0f)) {
        throw InputError("the {} score of position {} is {}: expected a probability in [0, 1]", class_name(c + 1),
                         positions_ + i, s[i]);
      }
      const uint32_t bin = bits_of(s[i]) >> kDroppedBits;  // -0.0 passes the check above: it counts as 0
      if (labels[i] == c + 1) {
        ++bins.positives[s[i] == 0.0f ? 0 : bin];
      } else {
        ++bins.negatives[s[i] == 0.0f ? 0 : bin];
      }
    }
  }
  positions_ += n;
}

std::optional<SiteMetrics> BinnedSiteScores::metrics(int cls) const {
  const Bins& bins = bins_[static_cast<size_t>(cls - 1)];
  if (bins.negatives.empty()) return std::nullopt;
  std::vector<double> thresholds;
  std::vector<uint64_t> positives, negatives;
  for (size_t b = kBins; b-- > 0;) {
    auto p = bins.positives.find(static_cast<uint32_t>(b));
    const uint64_t pos = p == bins.positives.end() ? 0 : p->second, neg = bins.negatives[b];
    if (pos == 0 && neg == 0) continue;
    thresholds.push_back(float_of(static_cast<uint32_t>(b) << kDroppedBits));
    positives.push_back(pos);
    negatives.push_back(neg);
  }
  return site_metrics(metrics::Ranking::from_counts(thresholds, positives, negatives));
}

}  // namespace seqdl::evaluate
