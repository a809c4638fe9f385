#include "motif/compare.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "motif/compare_columns.hpp"
#include "motif/motif_io.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::motif {
namespace {

using Prepared = std::array<std::vector<Column>, 2>;  // [0] the motif, [1] its reverse complement

Prepared prepare(const Motif& m, ColumnSimilarity kind) {
  return {prepare_columns(m, kind), prepare_columns(reverse_complement(m), kind)};
}

// mean_shuffle's alignment: the largest mean column similarity.
Alignment align_by_mean(const std::vector<Column>& query, const Prepared& target, const CompareSettings& s) {
  const int a = static_cast<int>(query.size());
  const int b = static_cast<int>(target[0].size());
  const OffsetRange range = offset_range(a, b, s.min_overlap);
  Alignment best;
  thread_local std::vector<double> sim;  // column similarities, query x target
  sim.resize(static_cast<size_t>(a) * static_cast<size_t>(b));
  for (int strand = 0; strand < 2; ++strand) {
    const auto& cols = target[static_cast<size_t>(strand)];
    for (int i = 0; i < a; ++i) {
      for (int j = 0; j < b; ++j) {
        sim[static_cast<size_t>(i * b + j)] =
            column_similarity(query[static_cast<size_t>(i)], cols[static_cast<size_t>(j)], s.similarity);
      }
    }
    for (int offset = range.first; offset <= range.last; ++offset) {
      int first = std::max(0, -offset), last = std::min(a, b - offset);  // query columns [first, last)
      int overlap = last - first;
      double total = 0;
      for (int i = first; i < last; ++i) total += sim[static_cast<size_t>(i * b + i + offset)];
      double mean = total / overlap;
      constexpr double tie = 1e-12;  // palindromes score the same on both strands up to rounding
      if (mean > best.similarity + tie || (std::abs(mean - best.similarity) <= tie && overlap > best.overlap)) {
        best = {total, mean, offset, overlap, strand == 1, 0, 1};
      }
    }
  }
  return best;
}

}  // namespace

Alignment best_alignment(const Motif& query, const Motif& target, const CompareSettings& settings) {
  if (query.width() == 0 || target.width() == 0) return {};
  return align_by_mean(prepare_columns(query, settings.similarity), prepare(target, settings.similarity), settings);
}

std::vector<double> benjamini_hochberg(const std::vector<double>& pvalues) {
  const size_t n = pvalues.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return pvalues[x] < pvalues[y]; });
  std::vector<double> q(n);
  double running = 1;
  for (size_t r = n; r-- > 0;) {
    running = std::min(running, pvalues[order[r]] * static_cast<double>(n) / static_cast<double>(r + 1));
    q[order[r]] = running;
  }
  return q;
}

MotifComparer::MotifComparer(std::vector<Motif> database, CompareSettings settings)
    : database_(std::move(database)), settings_(settings) {
  if (settings_.min_overlap < 1) throw UsageError("--min-overlap: expected an integer >= 1, found {}", settings_.min_overlap);
  // The convolutions cost about w^3 bins^2 / 6 per query: 100 takes milliseconds, 10,000 would take hours.
  if (settings_.bins < 1 || settings_.bins > 10000) {
    throw UsageError("--bins: expected an integer in [1, 10000], found {}", settings_.bins);
  }
  if (settings_.shuffles < 1) throw UsageError("--shuffles: expected an integer >= 1, found {}", settings_.shuffles);
  for (size_t d = 0; d < database_.size(); ++d) {
    targets_.push_back(prepare(database_[d], settings_.similarity));
    if (settings_.method == CompareMethod::tomtom) {
      first_column_.push_back(columns_.size());
      for (const auto& strand : targets_.back()) columns_.insert(columns_.end(), strand.begin(), strand.end());
      continue;
    }
    Rng rng(settings_.seed, d);  // one stream per database motif: its shuffles do not depend on the others
    for (int k = 0; k < settings_.shuffles; ++k) {
      Motif shuffled = database_[d];
      rng.shuffle(shuffled.rows);
      null_targets_.push_back(prepare(shuffled, settings_.similarity));
    }
  }
}

size_t MotifComparer::null_size() const {
  return settings_.method == CompareMethod::tomtom ? columns_.size() : null_targets_.size();
}

std::vector<Match> MotifComparer::compare_mean_shuffle(const std::vector<Column>& q) const {
  std::vector<double> null;
  null.reserve(null_targets_.size());
  for (const Prepared& t : null_targets_) null.push_back(align_by_mean(q, t, settings_).similarity);
  std::sort(null.begin(), null.end());
  std::vector<Match> matches;
  for (size_t t = 0; t < database_.size(); ++t) {
    Match m{t, align_by_mean(q, targets_[t], settings_), 1, 0, 1, 0};
    m.alignments = 2 * offset_range(static_cast<int>(q.size()), static_cast<int>(database_[t].width()),
                                    settings_.min_overlap).count();
    auto at_least = static_cast<double>(null.end() - std::lower_bound(null.begin(), null.end(), m.alignment.similarity));
    m.pvalue = (1 + at_least) / (1 + static_cast<double>(null.size()));
    matches.push_back(m);
  }
  return matches;
}

std::vector<Match> MotifComparer::compare(const Motif& query) const {
  std::vector<Match> matches;
  if (query.width() == 0) {
    for (size_t t = 0; t < database_.size(); ++t) matches.push_back(Match{t, {}, 1, 0, 1, 0});
  } else {
    std::vector<Column> q = prepare_columns(query, settings_.similarity);
    matches = settings_.method == CompareMethod::tomtom ? compare_tomtom(q) : compare_mean_shuffle(q);
  }
  std::vector<double> p;
  for (const Match& m : matches) p.push_back(m.pvalue);
  std::vector<double> q = benjamini_hochberg(p);
  for (size_t k = 0; k < matches.size(); ++k) {
    matches[k].qvalue = q[k];
    matches[k].evalue = matches[k].pvalue * static_cast<double>(database_.size());
  }
  std::stable_sort(matches.begin(), matches.end(), [](const Match& x, const Match& y) {
    return x.pvalue != y.pvalue ? x.pvalue < y.pvalue : x.alignment.score > y.alignment.score;
  });
  return matches;
}

CompareSummary run_compare(const CompareOptions& o) {
  if (o.top < 1) throw UsageError("--top: expected an integer >= 1, found {}", o.top);
  if (!(o.max_evalue > 0)) throw UsageError("--max-evalue: expected a number > 0, found {}", o.max_evalue);
  MotifFile query_file = read_motifs(o.queries);
  std::vector<Motif> queries = select_motifs(query_file, o.query_ids, "--motif");
  MotifFile db = read_motifs(o.database);
  MotifComparer comparer(db.motifs, o.settings);
  AtomicFile out(o.output);
  std::string buf = "query_id\tquery_name\ttarget_id\ttarget_name\torientation\toffset\toverlap\tsimilarity\tscore\t"
                    "p_value\te_value\tq_value\tquery_consensus\ttarget_consensus\n";
  CompareSummary summary{queries.size(), db.motifs.size(), comparer.null_size(), 0};
  for (const Motif& q : queries) {
    std::vector<Match> matches = comparer.compare(q);
    std::string qc = consensus(q);
    for (size_t k = 0; k < matches.size() && k < static_cast<size_t>(o.top); ++k) {
      const Match& m = matches[k];
      if (m.evalue > o.max_evalue) break;
      const Motif& t = comparer.database()[m.target];
      std::string tc = consensus(m.alignment.reverse ? reverse_complement(t) : t);
      fmt::format_to(std::back_inserter(buf), "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.4f}\t{:.4f}\t{:.4g}\t{:.4g}\t{:.4g}\t{}\t{}\n",
                     q.id, q.name, t.id, t.name, m.alignment.reverse ? '-' : '+', m.alignment.offset,
                     m.alignment.overlap, m.alignment.similarity, m.alignment.score, m.pvalue, m.evalue, m.qvalue, qc,
                     tc);
      ++summary.rows;
    }
  }
  out.write(buf);
  out.commit();
  return summary;
}

}  // namespace seqdl::motif
