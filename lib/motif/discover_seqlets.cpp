#include "motif/discover_seqlets.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "util/error.hpp"
#include "util/threads.hpp"

namespace seqdl::motif {
namespace {

// Windows that enter the null fit and the clamp: every window up to this many, else an even sample.
constexpr size_t kMaxFitWindows = 2'000'000;

// numpy's default (linear) quantile of `v` (reordered), q in [0, 1]; v must not be empty.
template <class T>
double quantile(std::vector<T>& v, double q) {
  double pos = q * static_cast<double>(v.size() - 1);
  auto lo = static_cast<size_t>(std::floor(pos));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
  double a = v[lo];
  if (lo + 1 >= v.size()) return a;
  double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
  return a + (pos - static_cast<double>(lo)) * (b - a);
}

double side_scale(std::vector<double>& magnitudes) {
  if (magnitudes.empty()) return 0;
  double b = 0;
  for (int k = 1; k <= 10; ++k) {
    double q = 0.05 * k;
    b = std::max(b, quantile(magnitudes, q) / -std::log(1 - q));
  }
  return b;
}

std::vector<float> fit_sample(const std::vector<float>& sums) {
  size_t stride = (sums.size() + kMaxFitWindows - 1) / kMaxFitWindows;
  if (stride <= 1) return sums;
  std::vector<float> s;
  s.reserve(sums.size() / stride + 1);
  for (size_t i = 0; i < sums.size(); i += stride) s.push_back(sums[i]);
  return s;
}

double side_threshold(const std::vector<float>& sample, bool positive, double location, double scale,
                      double target_fdr) {
  std::vector<double> observed;
  for (float v : sample) {
    double d = static_cast<double>(v) - location;
    if (positive ? d > 0 : d < 0) observed.push_back(std::abs(d));
  }
  if (observed.empty() || scale <= 0) return std::numeric_limits<double>::infinity();
  return isotonic_threshold(observed, laplace_null(scale, observed.size()), target_fdr);
}

// Whether a window sum passes (step 4).
bool passes(float v, const SeqletCall& c) {
  double d = static_cast<double>(v) - c.null.location;
  return (v > 0 && d >= c.positive_threshold) || (v < 0 && -d >= c.negative_threshold);
}

// Greedy non-overlapping choice within one row (step 5).
void pick_row(const float* sums, int64_t starts, int64_t row, const SeqletOptions& o, const SeqletCall& call,
              std::vector<Seqlet>& out) {
  std::vector<std::pair<float, int64_t>> candidates;
  for (int64_t k = 0; k < starts; ++k) {
    if (passes(sums[k], call)) candidates.emplace_back(std::abs(sums[k]), k);
  }
  if (candidates.empty()) return;
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<char> blocked(static_cast<size_t>(starts), 0);
  std::vector<Seqlet> picked;
  for (const auto& [magnitude, k] : candidates) {
    if (blocked[static_cast<size_t>(k)]) continue;
    picked.push_back({row, k, k + o.window + 2 * o.flank, sums[k]});
    for (int64_t j = std::max<int64_t>(0, k - o.window + 1); j < std::min(starts, k + o.window); ++j) {
      blocked[static_cast<size_t>(j)] = 1;
    }
  }
  std::sort(picked.begin(), picked.end(), [](const Seqlet& a, const Seqlet& b) { return a.start < b.start; });
  out.insert(out.end(), picked.begin(), picked.end());
}

}  // namespace

LaplaceFit fit_laplace(const std::vector<float>& values) {
  LaplaceFit fit;
  if (values.empty()) return fit;
  std::vector<float> scratch(values);
  fit.location = quantile(scratch, 0.5);
  std::vector<double> pos, neg;
  for (float v : values) {
    double d = static_cast<double>(v) - fit.location;
    if (d > 0) pos.push_back(d);
    else if (d < 0) neg.push_back(-d);
  }
  fit.positive_scale = side_scale(pos);
  fit.negative_scale = side_scale(neg);
  return fit;
}

std::vector<double> laplace_null(double scale, size_t m) {
  std::vector<double> null(m);
  for (size_t k = 0; k < m; ++k) null[k] = -scale * std::log(1 - (static_cast<double>(k) + 0.5) / static_cast<double>(m));
  return null;
}

std::vector<double> isotonic_increasing(const std::vector<double>& x, const std::vector<double>& y,
                                        const std::vector<double>& w) {
  const size_t n = x.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  struct Block {
    double wy = 0, w = 0;
    size_t first = 0, last = 0;  // positions in `order`, inclusive-exclusive [first, last)
    double mean() const { return w > 0 ? wy / w : 0; }
  };
  std::vector<Block> blocks;
  for (size_t i = 0; i < n;) {
    Block b{0, 0, i, i};
    for (; b.last < n && x[order[b.last]] == x[order[i]]; ++b.last) {  // ties pooled first
      b.wy += w[order[b.last]] * y[order[b.last]];
      b.w += w[order[b.last]];
    }
    i = b.last;
    blocks.push_back(b);
    while (blocks.size() > 1 && blocks[blocks.size() - 2].mean() > blocks.back().mean()) {
      Block top = blocks.back();
      blocks.pop_back();
      blocks.back().wy += top.wy;
      blocks.back().w += top.w;
      blocks.back().last = top.last;
    }
  }
  std::vector<double> fitted(n);
  for (const Block& b : blocks) {
    for (size_t i = b.first; i < b.last; ++i) fitted[order[i]] = b.mean();
  }
  return fitted;
}

double isotonic_threshold(const std::vector<double>& observed, const std::vector<double>& null, double target_fdr) {
  std::vector<double> x(observed), y(observed.size(), 1.0);
  x.insert(x.end(), null.begin(), null.end());
  y.resize(x.size(), 0.0);
  std::vector<double> p = isotonic_increasing(x, y, std::vector<double>(x.size(), 1.0));
  const double need = 1.0 / (1.0 + target_fdr);
  double best = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < observed.size(); ++i) {
    if (p[i] >= need) best = std::min(best, observed[i]);
  }
  return best;
}

SeqletCall call_seqlets_from_sums(const std::vector<float>& sums, int64_t rows, int64_t starts, const SeqletOptions& o) {
  SeqletCall call;
  call.windows = sums.size();
  std::vector<float> sample = fit_sample(sums);
  call.null = fit_laplace(sample);
  const double m = call.null.location;
  call.fdr_positive = side_threshold(sample, true, m, call.null.positive_scale, o.target_fdr);
  call.fdr_negative = side_threshold(sample, false, m, call.null.negative_scale, o.target_fdr);
  call.positive_threshold = call.fdr_positive;
  call.negative_threshold = call.fdr_negative;
  // Step 4: clamp the passing fraction.
  size_t passing = 0;
  for (float v : sample) passing += passes(v, call);
  double fraction = sample.empty() ? 0 : static_cast<double>(passing) / static_cast<double>(sample.size());
  if (!sample.empty() && (fraction < o.min_fraction || fraction > o.max_fraction)) {
    std::vector<double> magnitudes(sample.size());
    for (size_t i = 0; i < sample.size(); ++i) magnitudes[i] = std::abs(sample[i] - m);
    bool low = fraction < o.min_fraction;
    double t = quantile(magnitudes, 1 - (low ? o.min_fraction : o.max_fraction));
    call.positive_threshold = call.negative_threshold = t;
    call.clamp = low ? "lowered to the minimum fraction" : "raised to the maximum fraction";
  }
  std::vector<std::vector<Seqlet>> per_row(static_cast<size_t>(rows));
  parallel_for(static_cast<size_t>(rows), o.threads, 256, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      pick_row(sums.data() + r * static_cast<size_t>(starts), starts, static_cast<int64_t>(r), o, call, per_row[r]);
    }
  });
  for (auto& v : per_row) call.seqlets.insert(call.seqlets.end(), v.begin(), v.end());
  for (float v : sums) call.passing += passes(v, call);
  return call;
}

SeqletCall call_seqlets(const AttributionSet& set, const SeqletOptions& o) {
  if (o.window < 1) throw UsageError("--window-size: expected an integer >= 1, found {}", o.window);
  if (o.flank < 0) throw UsageError("--flank: expected an integer >= 0, found {}", o.flank);
  const int64_t L = set.length();
  const int64_t starts = L - o.window - 2 * o.flank + 1;
  if (starts < 1) {
    throw UsageError("--window-size {} with --flank {} needs sequences of at least {} positions; these have {}",
                     o.window, o.flank, o.window + 2 * o.flank, L);
  }
  std::vector<float> sums(static_cast<size_t>(set.rows() * starts));
  parallel_for(static_cast<size_t>(set.rows()), o.threads, 64, [&](size_t begin, size_t end) {
    RowData row;
    std::vector<double> prefix(static_cast<size_t>(L) + 1);
    for (size_t r = begin; r < end; ++r) {
      set.read_row(static_cast<int64_t>(r), row);
      for (int64_t i = 0; i < L; ++i) {
        double c = 0;
        for (int b = 0; b < 4; ++b) c += row.contribution[static_cast<size_t>(b * L + i)];
        prefix[static_cast<size_t>(i) + 1] = prefix[static_cast<size_t>(i)] + c;
      }
      float* out = sums.data() + r * static_cast<size_t>(starts);
      for (int64_t k = 0; k < starts; ++k) {
        int64_t s = o.flank + k;
        out[k] = static_cast<float>(prefix[static_cast<size_t>(s + o.window)] - prefix[static_cast<size_t>(s)]);
      }
    }
  });
  return call_seqlets_from_sums(sums, set.rows(), starts, o);
}

}  // namespace seqdl::motif
