#include "motif/scanner.hpp"

#include <algorithm>
#include <limits>

#include "encode/bases.hpp"

namespace seqdl::motif {

void Chunk::assign(std::string_view text, size_t limit, int64_t offset) {
  text_ = text;
  limit_ = std::min(limit, text.size());
  offset_ = offset;
  codes_.resize(text.size());
  runs_.resize(text.size() + 1);
  for (size_t i = 0; i < text.size(); ++i) codes_[i] = kBaseIndex[static_cast<uint8_t>(text[i])];
  // kmer[i] = c[i] c[i+1] c[i+2] c[i+3], two bits each, built from the end. N reads as A here: windows
  // holding one are skipped anyway.
  kmers_.assign(text.size() + 1, 0);
  for (size_t i = text.size(); i-- > 0;) kmers_[i] = static_cast<uint8_t>(((codes_[i] & 3) << 6) | (kmers_[i + 1] >> 2));
  runs_[text.size()] = 0;
  for (size_t i = text.size(); i-- > 0;) {
    runs_[i] = codes_[i] < 4 ? std::min<uint32_t>(runs_[i + 1] + 1, std::numeric_limits<uint32_t>::max() - 1) : 0;
  }
}

template <class T>
Scanner::Blocks<T> Scanner::blocks(const std::vector<T>& scores, size_t width) {
  size_t n = (width + 3) / 4;
  std::vector<std::vector<T>> tables(n, std::vector<T>(256, T{0}));
  for (size_t k = 0; k < n; ++k) {
    for (size_t kmer = 0; kmer < 256; ++kmer) {
      for (size_t t = 0; t < 4 && 4 * k + t < width; ++t) {
        tables[k][kmer] += scores[(4 * k + t) * 4 + ((kmer >> (6 - 2 * t)) & 3)];
      }
    }
  }
  std::vector<size_t> order(n);
  std::vector<double> spread(n);
  for (size_t k = 0; k < n; ++k) {
    order[k] = k;
    auto [lo, hi] = std::minmax_element(tables[k].begin(), tables[k].end());
    spread[k] = static_cast<double>(*hi) - static_cast<double>(*lo);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return spread[a] > spread[b]; });
  Blocks<T> b;
  b.bound.assign(n + 1, T{0});
  for (size_t k = n; k-- > 0;) b.bound[k] = b.bound[k + 1] + *std::max_element(tables[order[k]].begin(), tables[order[k]].end());
  for (size_t k : order) {
    b.offset.push_back(static_cast<uint32_t>(4 * k));
    b.scores.insert(b.scores.end(), tables[k].begin(), tables[k].end());
  }
  return b;
}

Scanner::Scanner(std::vector<Pwm> pwms, double max_pvalue, bool both_strands)
    : pwms_(std::move(pwms)), max_pvalue_(max_pvalue), both_strands_(both_strands) {
  for (const Pwm& p : pwms_) {
    thresholds_.push_back({p.distribution(0).threshold(max_pvalue), p.distribution(1).threshold(max_pvalue)});
    int_blocks_.push_back({blocks(p.int_scores(0), p.width()), blocks(p.int_scores(1), p.width())});
    blocks_.push_back({blocks(p.scores(0), p.width()), blocks(p.scores(1), p.width())});
    max_width_ = std::max(max_width_, p.width());
  }
}

void Scanner::scan(const Chunk& chunk, std::vector<Hit>& hits) const {
  const uint8_t* kmers = chunk.kmers();
  for (size_t m = 0; m < pwms_.size(); ++m) {
    const Pwm& pwm = pwms_[m];
    size_t w = pwm.width();
    if (chunk.text().size() < w) continue;
    size_t end = std::min(chunk.limit(), chunk.text().size() - w + 1);
    for (int s = 0; s < strands(); ++s) {
      const Blocks<int32_t>& b = int_blocks_[m][s];
      const size_t n = b.offset.size();
      const int64_t threshold = thresholds_[m][s];
      for (size_t j = 0; j < end; ++j) {
        if (!chunk.valid(j, w)) continue;
        int64_t total = 0;
        size_t k = 0;
        for (; k < n; ++k) {
          total += b.scores[k * 256 + kmers[j + b.offset[k]]];
          if (total + b.bound[k + 1] < threshold) break;
        }
        if (k < n) continue;
        hits.push_back({static_cast<uint32_t>(m), static_cast<uint8_t>(s), chunk.offset() + static_cast<int64_t>(j),
                        pwm.score(s, chunk.codes() + j), pwm.pvalue(s, total)});
      }
    }
  }
}

void Scanner::best(const Chunk& chunk, std::vector<BestWindow>& best) const {
  const uint8_t* codes = chunk.codes();
  const uint8_t* kmers = chunk.kmers();
  for (size_t m = 0; m < pwms_.size(); ++m) {
    const Pwm& pwm = pwms_[m];
    size_t w = pwm.width();
    if (chunk.text().size() < w) continue;
    size_t end = std::min(chunk.limit(), chunk.text().size() - w + 1);
    BestWindow& b = best[m];
    for (size_t j = 0; j < end; ++j) {
      if (!chunk.valid(j, w)) continue;
      const uint8_t* c = codes + j;
      for (int s = 0; s < strands(); ++s) {
        if (b.found) {
          // Abandon the window once it cannot beat the best (with a margin for the summation order; the
          // score compared below is always summed in position order, as it is reported).
          const Blocks<double>& bl = blocks_[m][s];
          const size_t n = bl.offset.size();
          double total = 0, floor = b.score - 1e-9;
          size_t k = 0;
          for (; k < n; ++k) {
            total += bl.scores[k * 256 + kmers[j + bl.offset[k]]];
            if (total + bl.bound[k + 1] < floor) break;
          }
          if (k < n) continue;
        }
        double score = pwm.score(s, c);
        if (b.found && score <= b.score) continue;
        b = {true, score, pwm.int_score(s, c), chunk.offset() + static_cast<int64_t>(j), static_cast<uint8_t>(s),
             window_bases(chunk.text(), j, w, static_cast<uint8_t>(s))};
      }
    }
  }
}

std::string window_bases(std::string_view text, size_t start, size_t width, uint8_t strand) {
  std::string bases(text.substr(start, width));
  if (strand == 1) encode::reverse_complement_in_place(bases);
  return bases;
}

}  // namespace seqdl::motif
