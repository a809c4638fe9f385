#include "motif/discover_affinity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "motif/discover_similarity.hpp"
#include "util/threads.hpp"

namespace seqdl::motif {

NeighborGraph fine_similarities(const SeqletTracks& t, const NeighborGraph& coarse, double overlap_fraction,
                                int threads) {
  const auto k = static_cast<size_t>(coarse.k);
  const int need = min_overlap(t.width, t.width, overlap_fraction);
  // The similarity is symmetric: each unordered pair is scored once.
  std::vector<uint64_t> pairs(coarse.index.size());
  for (size_t i = 0; i < coarse.nodes; ++i) {
    for (size_t j = 0; j < k; ++j) {
      uint64_t a = i, b = coarse.index[i * k + j];
      pairs[i * k + j] = std::min(a, b) << 32 | std::max(a, b);
    }
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  std::vector<float> score(pairs.size());
  parallel_for(pairs.size(), threads, 1024, [&](size_t begin, size_t end) {
    std::vector<float> rc(t.stride());
    for (size_t p = begin; p < end; ++p) {
      auto a = static_cast<uint32_t>(pairs[p] >> 32), b = static_cast<uint32_t>(pairs[p] & 0xffffffffU);
      reverse_complement_track(t.normalised_of(b), t.stride(), rc.data());
      score[p] = static_cast<float>(best_placement(t.normalised_of(a), t.width, t.total[a] > 0 ? 1.0 : 0.0,
                                                   t.normalised_of(b), rc.data(), t.width, t.total[b] > 0 ? 1.0 : 0.0,
                                                   need).similarity);
    }
  });
  NeighborGraph fine = coarse;
  parallel_for(coarse.nodes, threads, 256, [&](size_t begin, size_t end) {
    std::vector<std::pair<float, uint32_t>> row(k);
    for (size_t i = begin; i < end; ++i) {
      for (size_t j = 0; j < k; ++j) {
        uint64_t a = i, b = coarse.index[i * k + j];
        auto at = std::lower_bound(pairs.begin(), pairs.end(), std::min(a, b) << 32 | std::max(a, b));
        row[j] = {score[static_cast<size_t>(at - pairs.begin())], static_cast<uint32_t>(b)};
      }
      std::sort(row.begin(), row.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first > y.first : x.second < y.second;
      });
      for (size_t j = 0; j < k; ++j) {
        fine.similarity[i * k + j] = row[j].first;
        fine.index[i * k + j] = row[j].second;
      }
    }
  });
  return fine;
}

std::vector<double> perplexity_kernel(const std::vector<double>& d, double perplexity) {
  const size_t n = d.size();
  std::vector<double> p(n, n ? 1.0 / static_cast<double>(n) : 0.0);
  if (n <= 1) return p;
  const double d0 = *std::min_element(d.begin(), d.end());
  const double target = std::log(std::min(perplexity, static_cast<double>(n)));
  auto entropy = [&](double beta) {  // fills p, returns its entropy (nats)
    double z = 0;
    for (size_t j = 0; j < n; ++j) z += (p[j] = std::exp(-beta * (d[j] - d0)));
    double h = 0;
    for (size_t j = 0; j < n; ++j) {
      p[j] /= z;
      if (p[j] > 0) h -= p[j] * std::log(p[j]);
    }
    return h;
  };
  // Entropy falls as beta grows; bisect on beta (doubling until bracketed).
  double lo = 0, hi = std::numeric_limits<double>::infinity(), beta = 1;
  for (int it = 0; it < 100; ++it) {
    double h = entropy(beta);
    if (std::abs(h - target) < 1e-6) break;
    if (h > target) {
      lo = beta;
      beta = std::isinf(hi) ? beta * 2 : (lo + hi) / 2;
    } else {
      hi = beta;
      beta = (lo + hi) / 2;
    }
  }
  entropy(beta);
  return p;
}

std::vector<Edge> density_affinities(const NeighborGraph& fine, double perplexity, double min_similarity,
                                     int threads) {
  const auto k = static_cast<size_t>(fine.k);
  // Per node: its kernel over the neighbours it keeps (a fixed slot per neighbour; weight < 0 = left out).
  std::vector<Edge> directed(fine.nodes * k, Edge{0, 0, -1});
  parallel_for(fine.nodes, threads, 256, [&](size_t begin, size_t end) {
    std::vector<double> d;
    std::vector<size_t> slots;
    for (size_t i = begin; i < end; ++i) {
      d.clear();
      slots.clear();
      for (size_t j = 0; j < k; ++j) {
        float s = fine.similarity[i * k + j];
        if (s < min_similarity) continue;
        d.push_back(1.0 - s);
        slots.push_back(j);
      }
      std::vector<double> p = perplexity_kernel(d, perplexity);
      for (size_t n = 0; n < slots.size(); ++n) {
        auto a = static_cast<uint32_t>(i), b = fine.index[i * k + slots[n]];
        directed[i * k + slots[n]] = {std::min(a, b), std::max(a, b), p[n] / 2};
      }
    }
  });
  std::erase_if(directed, [](const Edge& e) { return e.weight < 0; });
  std::sort(directed.begin(), directed.end(), [](const Edge& x, const Edge& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  std::vector<Edge> edges;
  for (const Edge& e : directed) {
    if (!edges.empty() && edges.back().a == e.a && edges.back().b == e.b) {
      edges.back().weight += e.weight;
    } else {
      edges.push_back(e);
    }
  }
  return edges;
}

}  // namespace seqdl::motif
