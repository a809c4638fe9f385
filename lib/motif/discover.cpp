#include "motif/discover.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <numeric>

#include "motif/discover_affinity.hpp"
#include "motif/discover_leiden.hpp"
#include "motif/discover_neighbors.hpp"
#include "motif/discover_output.hpp"
#include "motif/motif_io.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::motif {
namespace {

double process_cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

class Stages {
 public:
  explicit Stages(std::vector<StageTime>& out) : out_(out) {}
  // Adds the time since the last mark to `stage` (stages repeat once per metacluster).
  void mark(const std::string& stage) {
    auto now = std::chrono::steady_clock::now();
    double cpu = process_cpu_seconds();
    double s = std::chrono::duration<double>(now - last_).count(), c = cpu - last_cpu_;
    last_ = now;
    last_cpu_ = cpu;
    for (StageTime& t : out_) {
      if (t.stage == stage) {
        t.seconds += s;
        t.cpu_seconds += c;
        return;
      }
    }
    out_.push_back({stage, s, c});
  }

 private:
  std::vector<StageTime>& out_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  double last_cpu_ = process_cpu_seconds();
};

// The seqlets of one sign, the strongest max_seqlets of them, in call order.
std::vector<size_t> metacluster_seqlets(const std::vector<Seqlet>& seqlets, bool negative, int64_t max_seqlets,
                                        size_t& capped) {
  std::vector<size_t> idx;
  for (size_t i = 0; i < seqlets.size(); ++i) {
    if ((seqlets[i].score < 0) == negative) idx.push_back(i);
  }
  if (static_cast<int64_t>(idx.size()) > max_seqlets) {
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      return std::abs(seqlets[a].score) > std::abs(seqlets[b].score);
    });
    capped += idx.size() - static_cast<size_t>(max_seqlets);
    idx.resize(static_cast<size_t>(max_seqlets));
    std::sort(idx.begin(), idx.end());
  }
  return idx;
}

// Similarity, clustering and patterns for one metacluster's tracks.
std::vector<Pattern> cluster_metacluster(const SeqletTracks& tracks, const DiscoverOptions& o, Stages& stages) {
  KmerOptions ko = o.kmers;
  ko.threads = o.threads;
  std::vector<float> embedding = gapped_kmer_embedding(tracks, ko);
  stages.mark("embedding");
  NnDescentOptions no;
  no.k = o.neighbors;
  no.seed = o.seed;
  no.threads = o.threads;
  NeighborGraph coarse = nearest_neighbors(embedding, tracks.count, ko.dims, no);
  embedding = {};
  stages.mark("neighbours");
  NeighborGraph fine = fine_similarities(tracks, coarse, o.refine.pattern.overlap_fraction, o.threads);
  stages.mark("similarity");
  std::vector<Edge> edges = density_affinities(fine, o.perplexity, o.min_similarity, o.threads);
  stages.mark("affinities");
  Clustering clusters = leiden(tracks.count, edges, o.refine.leiden_runs, o.seed);
  log::debug("Leiden: {} clusters, modularity {:.4f} (run {})", clusters.clusters, clusters.modularity, clusters.best_run);
  stages.mark("leiden");
  RefineOptions ro = o.refine;
  ro.seed = o.seed;
  ro.threads = o.threads;
  std::vector<Pattern> patterns = patterns_from_clusters(tracks, clusters.membership, ro);
  patterns = split_patterns(tracks, std::move(patterns), edges, ro);
  patterns = merge_patterns(tracks, std::move(patterns), ro);
  for (int round = 0; round < 2; ++round) {
    patterns = reassign_seqlets(tracks, patterns, ro);
    patterns = merge_patterns(tracks, std::move(patterns), ro);
  }
  patterns = reassign_seqlets(tracks, patterns, ro);
  place_members(tracks, patterns, ro.pattern.overlap_fraction, o.threads);
  stages.mark("patterns");
  return patterns;
}

}  // namespace

size_t DiscoveryResult::assigned() const {
  size_t n = 0;
  for (const DiscoveredPattern& p : patterns) n += p.pattern.members.size();
  return n;
}

void check_discover_options(const DiscoverOptions& o) {
  if (o.output.empty() || o.output == "-") throw UsageError("-o/--output: an output directory is required (not '-')");
  auto need = [](bool ok, const char* option, const char* expected, double value) {
    if (!ok) throw UsageError("{}: expected {}, found {}", option, expected, value);
  };
  const SeqletOptions& s = o.seqlets;
  need(s.window >= 1, "--window-size", "an integer >= 1", s.window);
  need(s.flank >= 0, "--flank", "an integer >= 0", s.flank);
  need(s.target_fdr > 0 && s.target_fdr < 1, "--target-fdr", "a number in (0, 1)", s.target_fdr);
  need(s.min_fraction >= 0 && s.min_fraction <= 1, "--min-passing-fraction", "a number in [0, 1]", s.min_fraction);
  need(s.max_fraction >= s.min_fraction && s.max_fraction <= 1, "--max-passing-fraction",
       "a number in [--min-passing-fraction, 1]", s.max_fraction);
  need(o.min_seqlets >= 2, "--min-seqlets", "an integer >= 2", static_cast<double>(o.min_seqlets));
  need(o.max_seqlets >= o.min_seqlets, "--max-seqlets", "an integer >= --min-seqlets", static_cast<double>(o.max_seqlets));
  need(o.max_seqlets < (int64_t{1} << 32), "--max-seqlets", "fewer than 2^32", static_cast<double>(o.max_seqlets));
  need(o.neighbors >= 2, "--neighbors", "an integer >= 2", o.neighbors);
  need(o.perplexity > 1, "--perplexity", "a number > 1", o.perplexity);
  need(o.refine.leiden_runs >= 1, "--leiden-seeds", "an integer >= 1", o.refine.leiden_runs);
  need(o.refine.min_seqlets >= 2, "--min-pattern-seqlets", "an integer >= 2", o.refine.min_seqlets);
  need(o.refine.merge_similarity > -1 && o.refine.merge_similarity <= 1, "--merge-similarity", "a number in (-1, 1]",
       o.refine.merge_similarity);
  need(o.refine.assign_similarity >= -1 && o.refine.assign_similarity <= 1, "--assign-similarity", "a number in [-1, 1]",
       o.refine.assign_similarity);
  need(o.refine.pattern.max_width >= 1, "--max-pattern-width", "an integer >= 1", o.refine.pattern.max_width);
  need(o.refine.pattern.trim_ic >= 0 && o.refine.pattern.trim_ic <= 2, "--trim-ic", "a number in [0, 2] (bits)",
       o.refine.pattern.trim_ic);
  need(o.top_matches >= 1, "--top-matches", "an integer >= 1", o.top_matches);
  // The comparer checks these too, but only after the work: fail first.
  need(o.compare.min_overlap >= 1, "--min-overlap", "an integer >= 1", o.compare.min_overlap);
  need(o.compare.bins >= 1 && o.compare.bins <= 10000, "--bins", "an integer in [1, 10000]", o.compare.bins);
  need(o.compare.shuffles >= 1, "--shuffles", "an integer >= 1", o.compare.shuffles);
}

DiscoveryResult discover(const DiscoverOptions& options) {
  check_discover_options(options);
  DiscoverOptions o = options;
  o.seqlets.threads = o.threads = std::max(o.threads, 1);
  DiscoveryResult r;
  if (!o.database.empty()) r.database = read_motifs(o.database).motifs;  // a bad database fails before the work
  AttributionSet set(o.inputs);
  r.rows = set.rows();
  r.length = set.length();
  r.coordinates = set.coordinates();
  Stages stages(r.stages);
  r.call = call_seqlets(set, o.seqlets);
  std::vector<Seqlet> called = std::move(r.call.seqlets);
  r.call.seqlets.clear();
  for (const Seqlet& s : called) r.seqlets.push_back({s, -1, {}});
  stages.mark("seqlets");
  for (bool negative : {false, true}) {
    std::vector<size_t> idx = metacluster_seqlets(called, negative, o.max_seqlets, r.capped);
    (negative ? r.negative : r.positive) = idx.size();
    const char* name = negative ? "negative" : "positive";
    if (idx.empty()) continue;
    if (static_cast<int64_t>(idx.size()) < o.min_seqlets) {
      r.notes.push_back(fmt::format("{} metacluster: {} seqlets, fewer than --min-seqlets {}: not clustered", name,
                                    idx.size(), o.min_seqlets));
      continue;
    }
    std::vector<Seqlet> chosen;
    for (size_t i : idx) chosen.push_back(called[i]);
    SeqletTracks tracks = extract_tracks(set, chosen, o.threads);
    stages.mark("seqlets");
    log::info("{} metacluster: clustering {} seqlets", name, with_commas(idx.size()));
    std::vector<Pattern> patterns = cluster_metacluster(tracks, o, stages);
    for (size_t k = 0; k < patterns.size(); ++k) {
      DiscoveredPattern d;
      d.id = fmt::format("{}_pattern_{}", negative ? "neg" : "pos", k);
      d.negative = negative;
      d.pattern = std::move(patterns[k]);
      for (Member& m : d.pattern.members) {
        (m.reverse ? d.reverse : d.forward) += 1;
        SeqletResult& sr = r.seqlets[idx[m.seqlet]];
        sr.pattern = static_cast<int>(r.patterns.size());
        sr.placement = m;
      }
      r.patterns.push_back(std::move(d));
    }
  }
  if (!r.database.empty() && !r.patterns.empty()) {
    CompareSettings settings = o.compare;
    settings.seed = o.seed;
    MotifComparer comparer(r.database, settings);
    r.database_null = comparer.null_size();
    for (DiscoveredPattern& d : r.patterns) {
      std::vector<Match> all = comparer.compare(pattern_motif(d.pattern, d.id, ""));
      all.resize(std::min(all.size(), static_cast<size_t>(o.top_matches)));
      d.matches = std::move(all);
    }
    stages.mark("matches");
  }
  return r;
}

DiscoveryResult run_discover(const DiscoverOptions& options) {
  check_discover_options(options);
  AtomicDir dir(options.output);  // a directory that cannot be written fails before the work
  DiscoveryResult r = discover(options);
  auto start = std::chrono::steady_clock::now();
  double cpu = process_cpu_seconds();
  write_discovery(r, options, dir);
  r.stages.push_back({"outputs", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                      process_cpu_seconds() - cpu});
  return r;
}

}  // namespace seqdl::motif
