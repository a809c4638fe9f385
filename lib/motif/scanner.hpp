// The scanning kernel: every window of a stretch of bases scored by every motif on both strands. A window
// holding any base other than A, C, G, T (either case; N or another IUPAC code) is not scored, as in FIMO.
// Genomes are fed chunk by chunk: a chunk carries width - 1 bases of the next one so that windows across
// the border are scored exactly once, by the chunk in which they start.
//
// Speed: each motif is cut into blocks of 4 positions whose scores for all 256 4-mers are tabulated, so a
// window costs one lookup per block (the 4-mer at each position is computed once per chunk, for every
// motif); blocks are visited most discriminating first and a window is abandoned as soon as the blocks
// left cannot lift it to the threshold. Integer block sums are exact, so hits and p-values are exactly
// those of the position-by-position sum.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "motif/pwm.hpp"

namespace seqdl::motif {

// A stretch of bases to scan: windows starting at [0, limit) that fit within the text are scanned;
// `offset` is added to every reported position (the text's position in its sequence, 0-based).
class Chunk {
 public:
  void assign(std::string_view text, size_t limit, int64_t offset);

  std::string_view text() const { return text_; }
  size_t limit() const { return limit_; }
  int64_t offset() const { return offset_; }
  const uint8_t* codes() const { return codes_.data(); }
  const uint8_t* kmers() const { return kmers_.data(); }  // the 4-mer starting at each position, 2 bits a base
  // Whether the window [j, j + width) holds A, C, G and T only.
  bool valid(size_t j, size_t width) const { return runs_[j] >= width; }

 private:
  std::string_view text_;
  size_t limit_ = 0;
  int64_t offset_ = 0;
  std::vector<uint8_t> codes_;   // 0..3 = A C G T, 4 = anything else
  std::vector<uint8_t> kmers_;   // A past the end (read only for block positions past a motif's end, which score 0)
  std::vector<uint32_t> runs_;   // runs_[j] = how many valid bases start at j (saturating)
};

struct Hit {
  uint32_t motif = 0;   // index into the scanner's motifs
  uint8_t strand = 0;   // 0 '+', 1 '-'
  int64_t start = 0;    // 0-based, in the sequence
  double score = 0;     // bits
  double pvalue = 1;
  bool operator<(const Hit& o) const {
    return start != o.start ? start < o.start : motif != o.motif ? motif < o.motif : strand < o.strand;
  }
};

// The best window of one motif in one sequence so far (the first one on ties).
struct BestWindow {
  bool found = false;
  double score = 0;
  int64_t int_score = 0;
  int64_t start = 0;
  uint8_t strand = 0;
  std::string bases;  // as in the sequence, on the motif's strand
};

class Scanner {
 public:
  Scanner(std::vector<Pwm> pwms, double max_pvalue, bool both_strands = true);

  const std::vector<Pwm>& pwms() const { return pwms_; }
  size_t max_width() const { return max_width_; }
  int strands() const { return both_strands_ ? 2 : 1; }
  double max_pvalue() const { return max_pvalue_; }

  // Appends the windows of the chunk whose p-value is below the threshold (in position order per motif).
  void scan(const Chunk& chunk, std::vector<Hit>& hits) const;

  // Updates best[m] (one per motif) with the chunk's windows.
  void best(const Chunk& chunk, std::vector<BestWindow>& best) const;

 private:
  // One motif strand as 4-position blocks: scores[k * 256 + kmer] is block k's score for a 4-mer (positions
  // past the motif's end score 0), offset[k] the block's first position, bound[k] the most blocks k.. can
  // add (bound[blocks] = 0). Blocks are ordered by the spread of their scores, largest first.
  template <class T>
  struct Blocks {
    std::vector<uint32_t> offset;
    std::vector<T> scores, bound;
  };
  template <class T>
  static Blocks<T> blocks(const std::vector<T>& scores, size_t width);

  std::vector<Pwm> pwms_;
  std::vector<std::array<Blocks<int32_t>, 2>> int_blocks_;
  std::vector<std::array<Blocks<double>, 2>> blocks_;
  std::vector<std::array<int64_t, 2>> thresholds_;  // integer score thresholds per motif and strand
  double max_pvalue_;
  bool both_strands_;
  size_t max_width_ = 0;
};

// The window's bases as read on `strand` (reverse-complemented for '-'), case kept.
std::string window_bases(std::string_view text, size_t start, size_t width, uint8_t strand);

}  // namespace seqdl::motif
