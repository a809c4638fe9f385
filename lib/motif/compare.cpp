#include "motif/compare.hpp"

#include <algorithm>
#include <cmath>

#include "motif/motif_io.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::motif {
namespace {

// Columns transformed once so that a column similarity is cheap: for Pearson, centred (the mean of a
// probability column is always 0.25) and scaled to unit length, so that the correlation is a dot product.
using Prepared = std::array<std::vector<Column>, 2>;  // [0] the motif, [1] its reverse complement

Column transform(const Column& c, ColumnSimilarity kind) {
  if (kind == ColumnSimilarity::euclidean) return c;
  Column z;
  double norm = 0;
  for (int b = 0; b < 4; ++b) {
    z[b] = c[b] - 0.25;
    norm += z[b] * z[b];
  }
  norm = std::sqrt(norm);
  for (double& v : z) v = norm > 1e-12 ? v / norm : 0.0;  // a uniform column correlates with nothing
  return z;
}

Prepared prepare(const Motif& m, ColumnSimilarity kind) {
  Prepared p;
  Motif rc = reverse_complement(m);
  for (const Column& c : m.rows) p[0].push_back(transform(c, kind));
  for (const Column& c : rc.rows) p[1].push_back(transform(c, kind));
  return p;
}

double column_similarity(const Column& a, const Column& b, ColumnSimilarity kind) {
  if (kind == ColumnSimilarity::pearson) return a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3];
  double d = 0;
  for (int k = 0; k < 4; ++k) d += (a[k] - b[k]) * (a[k] - b[k]);
  return 1.0 - std::sqrt(d) / std::sqrt(2.0);
}

Alignment align(const std::vector<Column>& query, const Prepared& target, const CompareSettings& s) {
  const int a = static_cast<int>(query.size());
  const int b = static_cast<int>(target[0].size());
  const int need = std::min({s.min_overlap, a, b});
  Alignment best;
  thread_local std::vector<double> sim;  // column similarities, query x target
  sim.resize(static_cast<size_t>(a) * static_cast<size_t>(b));
  for (int strand = 0; strand < 2; ++strand) {
    const auto& cols = target[strand];
    for (int i = 0; i < a; ++i) {
      for (int j = 0; j < b; ++j) sim[static_cast<size_t>(i * b + j)] = column_similarity(query[i], cols[j], s.similarity);
    }
    // Query column i lies on target column i + offset.
    for (int offset = need - a; offset <= b - need; ++offset) {
      int first = std::max(0, -offset), last = std::min(a, b - offset);  // query columns [first, last)
      int overlap = last - first;
      if (overlap < need) continue;
      double total = 0;
      for (int i = first; i < last; ++i) total += sim[static_cast<size_t>(i * b + i + offset)];
      double mean = total / overlap;
      constexpr double tie = 1e-12;  // palindromes score the same on both strands up to rounding
      if (mean > best.similarity + tie || (std::abs(mean - best.similarity) <= tie && overlap > best.overlap)) {
        best = {mean, offset, overlap, strand == 1};
      }
    }
  }
  return best;
}

std::vector<Column> query_columns(const Motif& query, ColumnSimilarity kind) {
  std::vector<Column> q;
  for (const Column& c : query.rows) q.push_back(transform(c, kind));
  return q;
}

}  // namespace

Alignment best_alignment(const Motif& query, const Motif& target, const CompareSettings& settings) {
  if (query.width() == 0 || target.width() == 0) return {};
  return align(query_columns(query, settings.similarity), prepare(target, settings.similarity), settings);
}

MotifComparer::MotifComparer(std::vector<Motif> database, CompareSettings settings, int shuffles, uint64_t seed)
    : database_(std::move(database)), settings_(settings) {
  if (settings_.min_overlap < 1) throw UsageError("--min-overlap: expected an integer >= 1, found {}", settings_.min_overlap);
  if (shuffles < 1) throw UsageError("--shuffles: expected an integer >= 1, found {}", shuffles);
  for (size_t d = 0; d < database_.size(); ++d) {
    targets_.push_back(prepare(database_[d], settings_.similarity));
    Rng rng(seed, d);  // one stream per database motif: its shuffles do not depend on the others
    for (int k = 0; k < shuffles; ++k) {
      Motif shuffled = database_[d];
      rng.shuffle(shuffled.rows);
      null_targets_.push_back(prepare(shuffled, settings_.similarity));
    }
  }
}

std::vector<Match> MotifComparer::compare(const Motif& query) const {
  std::vector<Column> q = query_columns(query, settings_.similarity);
  std::vector<double> null;
  null.reserve(null_targets_.size());
  for (const Prepared& t : null_targets_) null.push_back(align(q, t, settings_).similarity);
  std::sort(null.begin(), null.end());
  std::vector<Match> matches;
  for (size_t t = 0; t < database_.size(); ++t) {
    Match m{t, align(q, targets_[t], settings_), 1, 0};
    auto at_least = static_cast<double>(null.end() - std::lower_bound(null.begin(), null.end(), m.alignment.similarity));
    m.pvalue = (1 + at_least) / (1 + static_cast<double>(null.size()));
    m.evalue = m.pvalue * static_cast<double>(database_.size());
    matches.push_back(m);
  }
  std::stable_sort(matches.begin(), matches.end(), [](const Match& x, const Match& y) {
    return x.pvalue != y.pvalue ? x.pvalue < y.pvalue : x.alignment.similarity > y.alignment.similarity;
  });
  return matches;
}

CompareSummary run_compare(const CompareOptions& o) {
  if (o.top < 1) throw UsageError("--top: expected an integer >= 1, found {}", o.top);
  if (!(o.max_evalue > 0)) throw UsageError("--max-evalue: expected a number > 0, found {}", o.max_evalue);
  MotifFile query_file = read_motifs(o.queries);
  std::vector<Motif> queries = select_motifs(query_file, o.query_ids, "--motif");
  MotifFile db = read_motifs(o.database);
  MotifComparer comparer(db.motifs, o.settings, o.shuffles, o.seed);
  AtomicFile out(o.output);
  std::string buf = "query_id\tquery_name\ttarget_id\ttarget_name\torientation\toffset\toverlap\tsimilarity\tp_value\t"
                    "e_value\tquery_consensus\ttarget_consensus\n";
  CompareSummary summary{queries.size(), db.motifs.size(), comparer.null_size(), 0};
  for (const Motif& q : queries) {
    std::vector<Match> matches = comparer.compare(q);
    std::string qc = consensus(q);
    for (size_t k = 0; k < matches.size() && k < static_cast<size_t>(o.top); ++k) {
      const Match& m = matches[k];
      if (m.evalue > o.max_evalue) break;
      const Motif& t = comparer.database()[m.target];
      std::string tc = consensus(m.alignment.reverse ? reverse_complement(t) : t);
      fmt::format_to(std::back_inserter(buf), "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.4f}\t{:.4g}\t{:.4g}\t{}\t{}\n", q.id, q.name,
                     t.id, t.name, m.alignment.reverse ? '-' : '+', m.alignment.offset, m.alignment.overlap,
                     m.alignment.similarity, m.pvalue, m.evalue, qc, tc);
      ++summary.rows;
    }
  }
  out.write(buf);
  out.commit();
  return summary;
}

}  // namespace seqdl::motif
