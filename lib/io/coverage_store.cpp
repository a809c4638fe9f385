#include "io/coverage_store.hpp"

#include <algorithm>

#include "util/error.hpp"

namespace seqdl::io {
namespace {

// Appends [start, end) = value to sorted runs, joining it to the last run when they touch with equal values.
void append_run(std::vector<CoverageRun>& out, uint32_t start, uint32_t end, float value) {
  if (value == 0 || start >= end) return;
  if (!out.empty() && out.back().end == start && out.back().value == value) {
    out.back().end = end;
  } else {
    out.push_back({start, end, value});
  }
}

// Intervals (sorted by start) that may overlap -> runs of their sum, by a sweep over start/end events.
std::vector<CoverageRun> sweep(const std::vector<CoverageRun>& intervals) {
  std::vector<std::pair<uint32_t, double>> events;
  events.reserve(intervals.size() * 2);
  for (const auto& r : intervals) {
    events.emplace_back(r.start, r.value);
    events.emplace_back(r.end, -static_cast<double>(r.value));
  }
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<CoverageRun> out;
  double level = 0;
  for (size_t i = 0; i < events.size();) {
    uint32_t pos = events[i].first;
    while (i < events.size() && events[i].first == pos) level += events[i++].second;
    if (i < events.size()) append_run(out, pos, events[i].first, static_cast<float>(level));
  }
  return out;
}

}  // namespace

std::vector<CoverageRun> add_runs(std::span<const CoverageRun> a, std::span<const CoverageRun> b) {
  std::vector<CoverageRun> out;
  out.reserve(a.size() + b.size());
  size_t i = 0, j = 0;
  uint32_t pos = 0;  // everything before pos has been written
  while (i < a.size() && j < b.size()) {
    uint32_t as = std::max(a[i].start, pos), bs = std::max(b[j].start, pos);
    if (as < bs) {
      uint32_t e = std::min(a[i].end, bs);
      append_run(out, as, e, a[i].value);
      pos = e;
    } else if (bs < as) {
      uint32_t e = std::min(b[j].end, as);
      append_run(out, bs, e, b[j].value);
      pos = e;
    } else {
      uint32_t e = std::min(a[i].end, b[j].end);
      append_run(out, as, e, a[i].value + b[j].value);
      pos = e;
    }
    if (a[i].end <= pos) ++i;
    if (j < b.size() && b[j].end <= pos) ++j;
  }
  for (; i < a.size(); ++i) append_run(out, std::max(a[i].start, pos), a[i].end, a[i].value);
  for (; j < b.size(); ++j) append_run(out, std::max(b[j].start, pos), b[j].end, b[j].value);
  return out;
}

CoverageStore::CoverageStore(std::vector<Contig> contigs, StrandMode strands)
    : contigs_(std::move(contigs)), mode_(strands) {
  for (size_t i = 0; i < contigs_.size(); ++i) {
    if (contigs_[i].length > UINT32_MAX) {
      throw InputError("{} is {} bp long; coverage supports contigs up to {} bp", contigs_[i].name, contigs_[i].length,
                       UINT32_MAX);
    }
    index_.emplace(contigs_[i].name, i);
  }
  runs_.resize(contigs_.size() * static_cast<size_t>(this->strands()));
}

int CoverageStore::contig_index(std::string_view chrom) const {
  auto it = index_.find(std::string(chrom));
  return it == index_.end() ? -1 : static_cast<int>(it->second);
}

void CoverageStore::fetch(size_t contig, int64_t start, int64_t end, int strand, float* out) const {
  std::fill(out, out + (end - start), 0.0f);
  const auto& v = runs_[contig * strands() + strand];
  // The first run that ends after start, then every run that starts before end.
  auto it = std::partition_point(v.begin(), v.end(), [&](const CoverageRun& r) { return r.end <= start; });
  for (; it != v.end() && it->start < end; ++it) {
    int64_t a = std::max<int64_t>(it->start, start), e = std::min<int64_t>(it->end, end);
    std::fill(out + (a - start), out + (e - start), it->value);
  }
}

void CoverageStore::fetch(std::string_view chrom, int64_t start, int64_t end, int strand, float* out) const {
  int c = contig_index(chrom);
  if (c < 0) {
    std::fill(out, out + (end - start), 0.0f);
    return;
  }
  fetch(static_cast<size_t>(c), start, end, strand, out);
}

std::vector<float> CoverageStore::fetch(std::string_view chrom, int64_t start, int64_t end, int strand) const {
  std::vector<float> out(static_cast<size_t>(end - start));
  fetch(chrom, start, end, strand, out.data());
  return out;
}

double CoverageStore::total(int strand) const {
  double sum = 0;
  for (size_t c = 0; c < contigs_.size(); ++c) {
    for (const auto& r : runs(c, strand)) sum += static_cast<double>(r.value) * (r.end - r.start);
  }
  return sum;
}

uint64_t CoverageStore::run_count() const {
  uint64_t n = 0;
  for (const auto& v : runs_) n += v.size();
  return n;
}

uint64_t CoverageStore::memory_bytes() const {
  uint64_t n = 0;
  for (const auto& v : runs_) n += v.capacity() * sizeof(CoverageRun);
  return n;
}

CoverageCounter::CoverageCounter(std::vector<Contig> contigs, StrandMode strands, size_t buffer_points)
    : store_(std::move(contigs), strands), buffer_points_(std::max<size_t>(buffer_points, 1)) {
  points_.resize(store_.runs_.size());
  intervals_.resize(store_.runs_.size());
}

void CoverageCounter::add_interval(size_t contig, int strand, uint32_t start, uint32_t end, float value) {
  if (start >= end || value == 0) return;
  int channel = store_.strands() == 2 ? strand : 0;
  intervals_[contig * store_.strands() + channel].push_back({start, end, value});
  if (++pending_ >= buffer_points_) flush();
}

void CoverageCounter::flush_channel(size_t channel) {
  auto& points = points_[channel];
  auto& intervals = intervals_[channel];
  if (points.empty() && intervals.empty()) return;
  std::vector<CoverageRun> fresh;
  if (!points.empty()) {
    std::sort(points.begin(), points.end(), [](const Point& a, const Point& b) { return a.pos < b.pos; });
    fresh.reserve(points.size());
    for (size_t i = 0; i < points.size();) {
      uint32_t pos = points[i].pos;
      float sum = 0;
      while (i < points.size() && points[i].pos == pos) sum += points[i++].weight;
      append_run(fresh, pos, pos + 1, sum);
    }
    std::vector<Point>().swap(points);  // free it: another channel may fill the buffer next
  }
  if (!intervals.empty()) {
    std::sort(intervals.begin(), intervals.end(),
              [](const CoverageRun& a, const CoverageRun& b) { return a.start < b.start; });
    bool overlapping = false;
    for (size_t i = 1; i < intervals.size() && !overlapping; ++i)
      overlapping = intervals[i].start < intervals[i - 1].end;
    std::vector<CoverageRun> runs;
    if (overlapping) {
      runs = sweep(intervals);
    } else {
      for (const auto& r : intervals) append_run(runs, r.start, r.end, r.value);
    }
    fresh = fresh.empty() ? std::move(runs) : add_runs(fresh, runs);
    std::vector<CoverageRun>().swap(intervals);
  }
  if (fresh.empty()) return;
  // Sorted input (a coordinate-sorted BAM) only adds past the end: merge just the tail it reaches.
  auto& runs = store_.runs_[channel];
  uint32_t first = fresh.front().start;
  auto k = std::partition_point(runs.begin(), runs.end(), [&](const CoverageRun& r) { return r.end <= first; });
  std::vector<CoverageRun> tail(k, runs.end());
  runs.erase(k, runs.end());
  std::vector<CoverageRun> merged = tail.empty() ? std::move(fresh) : add_runs(tail, fresh);
  // Grow by a quarter rather than doubling: the runs are most of the memory, and this bounds their slack.
  size_t needed = runs.size() + merged.size();
  if (needed > runs.capacity()) runs.reserve(std::max(needed, runs.capacity() + runs.capacity() / 4));
  for (const auto& r : merged) append_run(runs, r.start, r.end, r.value);
}

void CoverageCounter::flush() {
  for (size_t c = 0; c < points_.size(); ++c) flush_channel(c);
  pending_ = 0;
}

CoverageStore CoverageCounter::finish() {
  flush();
  for (auto& v : store_.runs_) {
    if (v.capacity() > v.size() + v.size() / 4) v.shrink_to_fit();  // growth leaves at most a quarter spare
  }
  return std::move(store_);
}

}  // namespace seqdl::io
