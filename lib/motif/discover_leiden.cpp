#include "motif/discover_leiden.hpp"

#include <igraph.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace seqdl::motif {
namespace {

std::mutex igraph_mutex;

void check(igraph_error_t status, const char* what) {
  if (status != IGRAPH_SUCCESS) throw std::runtime_error(fmt::format("igraph: {} failed: {}", what, igraph_strerror(status)));
}

// igraph's containers, freed on every path.
struct Graph {
  igraph_t g;
  explicit Graph(igraph_vector_int_t* ends, size_t nodes) {
    check(igraph_create(&g, ends, static_cast<igraph_integer_t>(nodes), IGRAPH_UNDIRECTED), "igraph_create");
  }
  ~Graph() { igraph_destroy(&g); }
};
struct Vec {
  igraph_vector_t v;
  explicit Vec(size_t n) { check(igraph_vector_init(&v, static_cast<igraph_integer_t>(n)), "igraph_vector_init"); }
  ~Vec() { igraph_vector_destroy(&v); }
};
struct IntVec {
  igraph_vector_int_t v;
  explicit IntVec(size_t n) { check(igraph_vector_int_init(&v, static_cast<igraph_integer_t>(n)), "igraph_vector_int_init"); }
  ~IntVec() { igraph_vector_int_destroy(&v); }
};

}  // namespace

std::vector<int> canonical_membership(const std::vector<int>& membership, int* clusters) {
  std::map<int, std::pair<size_t, size_t>> stats;  // label -> (size, first member)
  for (size_t i = 0; i < membership.size(); ++i) {
    auto [it, fresh] = stats.try_emplace(membership[i], 0, i);
    ++it->second.first;
  }
  std::vector<std::pair<int, std::pair<size_t, size_t>>> order(stats.begin(), stats.end());
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.second.first != b.second.first ? a.second.first > b.second.first : a.second.second < b.second.second;
  });
  std::map<int, int> relabel;
  for (size_t k = 0; k < order.size(); ++k) relabel[order[k].first] = static_cast<int>(k);
  std::vector<int> out(membership.size());
  for (size_t i = 0; i < membership.size(); ++i) out[i] = relabel[membership[i]];
  if (clusters) *clusters = static_cast<int>(order.size());
  return out;
}

Clustering leiden(size_t nodes, const std::vector<Edge>& edges, int runs, uint64_t seed, double resolution) {
  Clustering best;
  if (nodes == 0) return best;
  if (edges.empty()) {
    best.membership.resize(nodes);
    std::iota(best.membership.begin(), best.membership.end(), 0);
    best.clusters = static_cast<int>(nodes);
    return best;
  }
  std::lock_guard lock(igraph_mutex);
  igraph_set_error_handler(igraph_error_handler_ignore);
  igraph_set_warning_handler(igraph_warning_handler_ignore);
  IntVec ends(2 * edges.size());
  Vec weights(edges.size()), strength(nodes);
  double total = 0;
  for (size_t e = 0; e < edges.size(); ++e) {
    VECTOR(ends.v)[2 * e] = edges[e].a;
    VECTOR(ends.v)[2 * e + 1] = edges[e].b;
    VECTOR(weights.v)[e] = edges[e].weight;
    VECTOR(strength.v)[edges[e].a] += edges[e].weight;
    VECTOR(strength.v)[edges[e].b] += edges[e].weight;
    total += edges[e].weight;
  }
  Graph graph(&ends.v, nodes);
  IntVec membership(nodes);
  best.modularity = -std::numeric_limits<double>::infinity();
  for (int run = 0; run < std::max(runs, 1); ++run) {
    check(igraph_rng_seed(igraph_rng_default(), static_cast<igraph_uint_t>(seed + static_cast<uint64_t>(run))),
          "igraph_rng_seed");
    igraph_integer_t found = 0;
    igraph_real_t quality = 0;
    // Modularity as igraph's Leiden quality: node weights = strengths, resolution / (2m).
    check(igraph_community_leiden(&graph.g, &weights.v, &strength.v, resolution / (2 * total), 0.01, false, -1,
                                  &membership.v, &found, &quality),
          "igraph_community_leiden");
    igraph_real_t q = 0;
    check(igraph_modularity(&graph.g, &membership.v, &weights.v, resolution, IGRAPH_UNDIRECTED, &q),
          "igraph_modularity");
    if (q > best.modularity) {
      best.modularity = q;
      best.best_run = run;
      best.membership.assign(nodes, 0);
      for (size_t i = 0; i < nodes; ++i) best.membership[i] = static_cast<int>(VECTOR(membership.v)[i]);
    }
  }
  best.membership = canonical_membership(best.membership, &best.clusters);
  return best;
}

}  // namespace seqdl::motif
