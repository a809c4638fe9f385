#include "encode/shuffle.hpp"

#include <array>
#include <vector>

namespace seqdl::encode {

std::string dinucleotide_shuffle(std::string_view seq, Rng& rng) {
  if (seq.size() < 3) return std::string(seq);
  const auto first = static_cast<uint8_t>(seq.front()), last = static_cast<uint8_t>(seq.back());

  // Out-edges of every letter: the letters that follow it in the sequence.
  std::array<std::vector<uint8_t>, 256> edges;
  for (size_t i = 0; i + 1 < seq.size(); ++i) {
    edges[static_cast<uint8_t>(seq[i])].push_back(static_cast<uint8_t>(seq[i + 1]));
  }
  std::vector<uint8_t> vertices;
  for (int v = 0; v < 256; ++v) {
    if (!edges[v].empty()) vertices.push_back(static_cast<uint8_t>(v));
  }

  // Choose each vertex's last exit edge (every vertex but the final letter). The walk is Eulerian exactly
  // when these edges form a tree directed into the final letter; draw until they do. Each draw is uniform
  // over last-edge choices, so accepted trees are uniform, which makes the resulting walk uniform.
  std::array<int, 256> last_exit;  // index into edges[v] of the chosen last edge
  while (true) {
    for (uint8_t v : vertices) {
      last_exit[v] = v == last ? -1 : static_cast<int>(rng.below(edges[v].size()));
    }
    bool is_tree = true;
    for (uint8_t v : vertices) {
      // Follow last-exit edges from v; it must reach `last` within |V| steps (no cycle).
      uint8_t u = v;
      size_t steps = 0;
      while (u != last && steps <= vertices.size()) {
        if (edges[u].empty()) break;  // cannot happen: every letter but the final one has an exit
        u = edges[u][last_exit[u]];
        ++steps;
      }
      if (u != last) {
        is_tree = false;
        break;
      }
    }
    if (is_tree) break;
  }

  // Shuffle every vertex's other exits, keep the chosen last exit at the end, then walk.
  for (uint8_t v : vertices) {
    auto& e = edges[v];
    if (last_exit[v] >= 0) std::swap(e[last_exit[v]], e.back());
    size_t free = last_exit[v] >= 0 ? e.size() - 1 : e.size();
    for (size_t i = free; i > 1; --i) std::swap(e[i - 1], e[rng.below(i)]);
  }
  std::array<size_t, 256> next{};
  std::string out;
  out.reserve(seq.size());
  uint8_t cur = first;
  out += static_cast<char>(cur);
  for (size_t i = 1; i < seq.size(); ++i) {
    cur = edges[cur][next[cur]++];
    out += static_cast<char>(cur);
  }
  return out;
}

std::string mononucleotide_shuffle(std::string_view seq, Rng& rng) {
  std::string out(seq);
  for (size_t i = out.size(); i > 1; --i) std::swap(out[i - 1], out[rng.below(i)]);
  return out;
}

}  // namespace seqdl::encode
