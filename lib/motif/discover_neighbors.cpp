#include "motif/discover_neighbors.hpp"

#include <algorithm>
#include <numeric>

#include "motif/discover_similarity.hpp"
#include "util/log.hpp"
#include "util/random.hpp"
#include "util/threads.hpp"

namespace seqdl::motif {
namespace {

constexpr size_t kBatch = 2048;  // nodes joined against one snapshot of the graph

struct Entry {
  float sim;
  uint32_t id;
  bool fresh;  // not yet joined
};

bool better(const Entry& a, const Entry& b) { return a.sim != b.sim ? a.sim > b.sim : a.id < b.id; }

// A node's neighbour list, best first, at most k long.
struct List {
  std::vector<Entry> items;
  bool full(int k) const { return static_cast<int>(items.size()) >= k; }
  float worst() const { return items.back().sim; }
  bool insert(const Entry& e, int k) {
    if (full(k) && !better(e, items.back())) return false;
    for (const Entry& x : items) {
      if (x.id == e.id) return false;
    }
    auto at = std::lower_bound(items.begin(), items.end(), e, better);
    items.insert(at, e);
    if (static_cast<int>(items.size()) > k) items.pop_back();
    return true;
  }
};

NeighborGraph to_graph(const std::vector<List>& lists, int k) {
  NeighborGraph g;
  g.nodes = lists.size();
  g.k = k;
  g.index.resize(g.nodes * static_cast<size_t>(k));
  g.similarity.resize(g.index.size());
  for (size_t v = 0; v < lists.size(); ++v) {
    for (int j = 0; j < k; ++j) {
      g.index[v * static_cast<size_t>(k) + static_cast<size_t>(j)] = lists[v].items[static_cast<size_t>(j)].id;
      g.similarity[v * static_cast<size_t>(k) + static_cast<size_t>(j)] = lists[v].items[static_cast<size_t>(j)].sim;
    }
  }
  return g;
}

void sample_down(std::vector<uint32_t>& v, size_t keep, Rng& rng) {
  if (v.size() <= keep) return;
  rng.shuffle(v);
  v.resize(keep);
}

struct Proposal {
  uint32_t target, candidate;
  float sim;
};

}  // namespace

SEQDL_VECTOR_CLONES float dot(const float* a, const float* b, size_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) acc[j] += a[i + static_cast<size_t>(j)] * b[i + static_cast<size_t>(j)];
  }
  float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
  for (; i < n; ++i) s += a[i] * b[i];
  return s;
}

NeighborGraph exact_neighbors(const std::vector<float>& vectors, size_t nodes, int dims, int k, int threads) {
  k = static_cast<int>(std::min<size_t>(static_cast<size_t>(std::max(k, 0)), nodes > 0 ? nodes - 1 : 0));
  std::vector<List> lists(nodes);
  const auto d = static_cast<size_t>(dims);
  parallel_for(nodes, threads, 16, [&](size_t begin, size_t end) {
    std::vector<Entry> all;
    for (size_t v = begin; v < end; ++v) {
      all.clear();
      for (size_t u = 0; u < nodes; ++u) {
        if (u != v) all.push_back({dot(&vectors[v * d], &vectors[u * d], d), static_cast<uint32_t>(u), false});
      }
      std::partial_sort(all.begin(), all.begin() + k, all.end(), better);
      lists[v].items.assign(all.begin(), all.begin() + k);
    }
  });
  return to_graph(lists, k);
}

NeighborGraph nn_descent(const std::vector<float>& vectors, size_t nodes, int dims, const NnDescentOptions& o) {
  const int k = static_cast<int>(std::min<size_t>(static_cast<size_t>(std::max(o.k, 1)), nodes - 1));
  const auto d = static_cast<size_t>(dims);
  auto sim = [&](uint32_t a, uint32_t b) { return dot(&vectors[a * d], &vectors[b * d], d); };
  std::vector<List> lists(nodes);
  parallel_for(nodes, o.threads, 256, [&](size_t begin, size_t end) {
    for (size_t v = begin; v < end; ++v) {
      Rng rng(o.seed, v);
      while (!lists[v].full(k)) {
        auto u = static_cast<uint32_t>(rng.below(nodes));
        if (u != v) lists[v].insert({sim(static_cast<uint32_t>(v), u), u, true}, k);
      }
    }
  });
  const auto sample = static_cast<size_t>(std::max(1.0, o.sample * k));
  for (int round = 0; round < o.max_rounds; ++round) {
    // New and old neighbours of each node, and the reverse lists.
    std::vector<std::vector<uint32_t>> fresh(nodes), old(nodes), rfresh(nodes), rold(nodes);
    for (size_t v = 0; v < nodes; ++v) {
      Rng rng(o.seed + 0x9e37ULL * static_cast<uint64_t>(round + 1), v);
      std::vector<uint32_t> f;
      for (const Entry& e : lists[v].items) (e.fresh ? f : old[v]).push_back(e.id);
      sample_down(f, sample, rng);
      for (Entry& e : lists[v].items) {
        if (std::find(f.begin(), f.end(), e.id) != f.end()) e.fresh = false;
      }
      fresh[v] = f;
      for (uint32_t u : f) rfresh[u].push_back(static_cast<uint32_t>(v));
      for (uint32_t u : old[v]) rold[u].push_back(static_cast<uint32_t>(v));
    }
    for (size_t v = 0; v < nodes; ++v) {
      Rng rng(o.seed + 0x7f4aULL * static_cast<uint64_t>(round + 1), v);
      sample_down(rfresh[v], sample, rng);
      sample_down(rold[v], sample, rng);
    }
    uint64_t updates = 0;
    std::vector<std::vector<Proposal>> proposals(kBatch);
    for (size_t first = 0; first < nodes; first += kBatch) {
      size_t last = std::min(nodes, first + kBatch);
      parallel_for(last - first, o.threads, 16, [&](size_t begin, size_t end) {
        std::vector<uint32_t> nw, ol;
        for (size_t b = begin; b < end; ++b) {
          size_t v = first + b;
          auto& out = proposals[b];
          out.clear();
          nw = fresh[v];
          nw.insert(nw.end(), rfresh[v].begin(), rfresh[v].end());
          std::sort(nw.begin(), nw.end());
          nw.erase(std::unique(nw.begin(), nw.end()), nw.end());
          ol = old[v];
          ol.insert(ol.end(), rold[v].begin(), rold[v].end());
          std::sort(ol.begin(), ol.end());
          ol.erase(std::unique(ol.begin(), ol.end()), ol.end());
          auto consider = [&](uint32_t a, uint32_t c) {
            if (a == c) return;
            float s = sim(a, c);
            if (!lists[a].full(k) || s >= lists[a].worst()) out.push_back({a, c, s});
            if (!lists[c].full(k) || s >= lists[c].worst()) out.push_back({c, a, s});
          };
          for (size_t i = 0; i < nw.size(); ++i) {
            for (size_t j = i + 1; j < nw.size(); ++j) consider(nw[i], nw[j]);
            for (uint32_t c : ol) consider(nw[i], c);
          }
        }
      });
      for (size_t b = 0; b < last - first; ++b) {
        for (const Proposal& p : proposals[b]) updates += lists[p.target].insert({p.sim, p.candidate, true}, k);
      }
    }
    log::debug("NN-descent round {}: {} updates of {} entries", round + 1, updates, nodes * static_cast<size_t>(k));
    if (static_cast<double>(updates) < o.min_updates * static_cast<double>(nodes) * k) break;
  }
  return to_graph(lists, k);
}

NeighborGraph nearest_neighbors(const std::vector<float>& vectors, size_t nodes, int dims, const NnDescentOptions& o,
                                size_t exact_limit) {
  if (nodes <= exact_limit || nodes <= static_cast<size_t>(o.k) + 1) {
    return exact_neighbors(vectors, nodes, dims, o.k, o.threads);
  }
  return nn_descent(vectors, nodes, dims, o);
}

}  // namespace seqdl::motif
