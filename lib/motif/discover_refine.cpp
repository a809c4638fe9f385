#include "motif/discover_refine.hpp"

#include <algorithm>
#include <limits>

#include "motif/discover_leiden.hpp"
#include "util/threads.hpp"

namespace seqdl::motif {
namespace {

void by_size(std::vector<Pattern>& patterns) {
  std::stable_sort(patterns.begin(), patterns.end(), [](const Pattern& a, const Pattern& b) {
    return a.members.size() > b.members.size();
  });
}

std::vector<uint32_t> seqlets_of(const Pattern& p) {
  std::vector<uint32_t> s;
  for (const Member& m : p.members) s.push_back(m.seqlet);
  return s;
}

}  // namespace

bool informative(const Pattern& p, int ic_window, double min_window_ic) {
  if (p.width == 0) return false;
  std::vector<double> ic = position_ic(p);
  const int w = std::min(ic_window, p.width);
  double window = 0, best = 0;
  for (int q = 0; q < p.width; ++q) {
    window += ic[static_cast<size_t>(q)];
    if (q >= w) window -= ic[static_cast<size_t>(q - w)];
    if (q + 1 >= w) best = std::max(best, window / w);
  }
  return best >= min_window_ic;
}

std::vector<Pattern> patterns_from_clusters(const SeqletTracks& t, const std::vector<int>& membership,
                                            const RefineOptions& o) {
  int clusters = 0;
  for (int c : membership) clusters = std::max(clusters, c + 1);
  std::vector<std::vector<uint32_t>> groups(static_cast<size_t>(clusters));
  for (size_t i = 0; i < membership.size(); ++i) groups[static_cast<size_t>(membership[i])].push_back(static_cast<uint32_t>(i));
  std::vector<Pattern> patterns(groups.size());
  parallel_for(groups.size(), o.threads, 1, [&](size_t begin, size_t end) {
    for (size_t c = begin; c < end; ++c) {
      if (groups[c].size() < 2) continue;
      patterns[c] = build_pattern(t, align_to_running_sum(t, groups[c], o.pattern.overlap_fraction), o.pattern);
    }
  });
  std::erase_if(patterns, [](const Pattern& p) { return p.width == 0; });
  by_size(patterns);
  return patterns;
}

std::vector<Pattern> merge_patterns(const SeqletTracks& t, std::vector<Pattern> patterns, const RefineOptions& o) {
  by_size(patterns);
  const double overlap = o.pattern.overlap_fraction;
  size_t n = patterns.size();
  std::vector<std::vector<Placement>> sim(n, std::vector<Placement>(n));
  auto score_row = [&](size_t i) {
    parallel_for(patterns.size(), o.threads, 4, [&](size_t begin, size_t end) {
      for (size_t j = begin; j < end; ++j) {
        if (j != i) sim[i][j] = pattern_similarity(patterns[i], patterns[j], overlap);
      }
    });
  };
  for (size_t i = 0; i < n; ++i) score_row(i);
  while (patterns.size() > 1) {
    // The most similar pair; the larger pattern (smaller index) takes the other's members.
    double best = -std::numeric_limits<double>::infinity();
    size_t bi = 0, bj = 0;
    for (size_t i = 0; i < patterns.size(); ++i) {
      for (size_t j = i + 1; j < patterns.size(); ++j) {
        double s = std::max(sim[i][j].similarity, sim[j][i].similarity);
        if (s > best) {
          best = s;
          bi = i;
          bj = j;
        }
      }
    }
    if (best < o.merge_similarity) break;
    std::vector<Member> members = patterns[bi].members;
    std::vector<Member> moved = members_on(patterns[bj], sim[bi][bj], t.width);
    members.insert(members.end(), moved.begin(), moved.end());
    Pattern merged = build_pattern(t, members, o.pattern);
    if (merged.width == 0) {  // the union trims to nothing: keep the larger pattern alone
      merged = patterns[bi];
    }
    patterns[bi] = std::move(merged);
    patterns.erase(patterns.begin() + static_cast<std::ptrdiff_t>(bj));
    sim.erase(sim.begin() + static_cast<std::ptrdiff_t>(bj));
    for (auto& row : sim) row.erase(row.begin() + static_cast<std::ptrdiff_t>(bj));
    score_row(bi);
    for (size_t j = 0; j < patterns.size(); ++j) {
      if (j != bi) sim[j][bi] = pattern_similarity(patterns[j], patterns[bi], overlap);
    }
  }
  by_size(patterns);
  return patterns;
}

std::vector<Pattern> split_patterns(const SeqletTracks& t, std::vector<Pattern> patterns, const std::vector<Edge>& edges,
                                    const RefineOptions& o) {
  std::vector<Pattern> out;
  std::vector<int> local(t.count, -1);
  for (Pattern& p : patterns) {
    if (p.members.size() < 2 * static_cast<size_t>(o.min_seqlets)) {
      out.push_back(std::move(p));
      continue;
    }
    std::vector<uint32_t> seqlets = seqlets_of(p);
    for (size_t k = 0; k < seqlets.size(); ++k) local[seqlets[k]] = static_cast<int>(k);
    std::vector<Edge> sub;
    for (const Edge& e : edges) {
      if (local[e.a] >= 0 && local[e.b] >= 0) {
        sub.push_back({static_cast<uint32_t>(local[e.a]), static_cast<uint32_t>(local[e.b]), e.weight});
      }
    }
    Clustering c = leiden(seqlets.size(), sub, o.leiden_runs, o.seed);
    for (uint32_t s : seqlets) local[s] = -1;
    std::vector<std::vector<uint32_t>> groups(static_cast<size_t>(c.clusters));
    for (size_t k = 0; k < seqlets.size(); ++k) groups[static_cast<size_t>(c.membership[k])].push_back(seqlets[k]);
    std::vector<Pattern> parts;
    for (const auto& g : groups) {
      if (g.size() < static_cast<size_t>(o.min_seqlets)) continue;
      Pattern part = build_pattern(t, align_to_running_sum(t, g, o.pattern.overlap_fraction), o.pattern);
      if (part.width > 0) parts.push_back(std::move(part));
    }
    parts = merge_patterns(t, std::move(parts), o);
    if (parts.size() >= 2) {
      for (Pattern& q : parts) out.push_back(std::move(q));
    } else {
      out.push_back(std::move(p));
    }
  }
  by_size(out);
  return out;
}

std::vector<Pattern> reassign_seqlets(const SeqletTracks& t, const std::vector<Pattern>& patterns, const RefineOptions& o) {
  std::vector<std::vector<float>> cwms;
  for (const Pattern& p : patterns) cwms.push_back(normalised_cwm(p));
  std::vector<Member> best(t.count);
  std::vector<int> owner(t.count, -1);
  parallel_for(t.count, o.threads, 256, [&](size_t begin, size_t end) {
    for (size_t s = begin; s < end; ++s) {
      double top = -std::numeric_limits<double>::infinity();
      for (size_t k = 0; k < patterns.size(); ++k) {
        if (patterns[k].width == 0) continue;
        Member m = place_on_pattern(cwms[k], patterns[k].width, t, static_cast<uint32_t>(s), o.pattern.overlap_fraction);
        if (m.similarity > top) {
          top = m.similarity;
          best[s] = m;
          owner[s] = static_cast<int>(k);
        }
      }
      if (top < o.assign_similarity) owner[s] = -1;
    }
  });
  std::vector<std::vector<Member>> members(patterns.size());
  for (size_t s = 0; s < t.count; ++s) {
    if (owner[s] >= 0) members[static_cast<size_t>(owner[s])].push_back(best[s]);
  }
  std::vector<Pattern> out(patterns.size());
  parallel_for(patterns.size(), o.threads, 1, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      if (members[k].size() >= static_cast<size_t>(std::max(o.min_seqlets, 1))) {
        out[k] = build_pattern(t, members[k], o.pattern);
      }
    }
  });
  std::erase_if(out, [&](const Pattern& p) {
    return p.members.size() < static_cast<size_t>(std::max(o.min_seqlets, 1)) || !informative(p, o.ic_window, o.min_window_ic);
  });
  by_size(out);
  return out;
}

void place_members(const SeqletTracks& t, std::vector<Pattern>& patterns, double overlap_fraction, int threads) {
  for (Pattern& p : patterns) {
    std::vector<float> cwm = normalised_cwm(p);
    parallel_for(p.members.size(), threads, 256, [&](size_t begin, size_t end) {
      for (size_t k = begin; k < end; ++k) p.members[k] = place_on_pattern(cwm, p.width, t, p.members[k].seqlet, overlap_fraction);
    });
  }
}

}  // namespace seqdl::motif
