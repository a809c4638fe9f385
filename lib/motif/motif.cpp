#include "motif/motif.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::motif {

Motif from_counts(std::string id, std::string name, const std::vector<Column>& counts, std::string_view what) {
  Motif m{std::move(id), std::move(name), {}, std::nullopt};
  m.rows.reserve(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    double sum = 0;
    for (double c : counts[i]) {
      if (!std::isfinite(c) || c < 0) {
        throw FormatError("{}: motif '{}' position {} has a count of {}, expected a number >= 0", what, m.id, i + 1, c);
      }
      sum += c;
    }
    if (sum <= 0) throw FormatError("{}: motif '{}' position {} has no counts", what, m.id, i + 1);
    Column p;
    for (int b = 0; b < 4; ++b) p[b] = counts[i][b] / sum;
    m.rows.push_back(p);
    if (i == 0) m.nsites = sum;
  }
  return m;
}

Motif from_consensus(std::string id, std::string name, std::string_view consensus_text, double main) {
  Motif m{std::move(id), std::move(name), {}, std::nullopt};
  for (char c : consensus_text) {
    uint8_t mask = encode::kBaseMask[static_cast<uint8_t>(c)];
    if (mask == 0) throw UsageError("'{}' in consensus '{}' is not an IUPAC nucleotide code", c, consensus_text);
    int in = std::popcount(mask);
    Column p;
    for (int b = 0; b < 4; ++b) {
      bool member = (mask >> b) & 1;
      p[b] = in == 4 ? 0.25 : member ? main / in : (1 - main) / (4 - in);
    }
    m.rows.push_back(p);
  }
  return m;
}

double information_content(const Column& column, const Background& bg) {
  double ic = 0;
  for (int b = 0; b < 4; ++b) {
    if (column[b] > 0) ic += column[b] * std::log2(column[b] / bg[b]);
  }
  return ic;
}

std::vector<double> information_content(const Motif& m, const Background& bg) {
  std::vector<double> ic;
  ic.reserve(m.width());
  for (const Column& c : m.rows) ic.push_back(information_content(c, bg));
  return ic;
}

double total_information_content(const Motif& m, const Background& bg) {
  double total = 0;
  for (const Column& c : m.rows) total += information_content(c, bg);
  return total;
}

std::string consensus(const Motif& m) {
  // Two-base IUPAC codes indexed by the bit mask of their bases (A=1, C=2, G=4, T=8).
  auto pair_code = [](int mask) {
    switch (mask) {
      case 1 | 4: return 'R';
      case 2 | 8: return 'Y';
      case 2 | 4: return 'S';
      case 1 | 8: return 'W';
      case 4 | 8: return 'K';
      default: return 'M';  // 1 | 2
    }
  };
  std::string out;
  for (const Column& c : m.rows) {
    std::array<int, 4> order = {0, 1, 2, 3};
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return c[a] > c[b]; });
    double first = c[order[0]], second = c[order[1]];
    if (first > 0.5 && first > 2 * second) {
      out += "ACGT"[order[0]];
    } else if (first + second > 0.75) {
      out += pair_code((1 << order[0]) | (1 << order[1]));
    } else {
      out += 'N';
    }
  }
  return out;
}

Motif reverse_complement(const Motif& m) {
  Motif rc = m;
  std::reverse(rc.rows.begin(), rc.rows.end());
  for (Column& c : rc.rows) c = {c[3], c[2], c[1], c[0]};
  return rc;
}

Motif trim(const Motif& m, double min_bits, const Background& bg) {
  std::vector<double> ic = information_content(m, bg);
  size_t begin = 0, end = ic.size();
  while (begin < end && ic[begin] < min_bits) ++begin;
  while (end > begin && ic[end - 1] < min_bits) --end;
  Motif out = m;
  out.rows.assign(m.rows.begin() + static_cast<std::ptrdiff_t>(begin), m.rows.begin() + static_cast<std::ptrdiff_t>(end));
  return out;
}

Background checked_background(const Background& bg, std::string_view what) {
  double sum = 0;
  for (double v : bg) {
    if (!std::isfinite(v) || v <= 0) {
      throw FormatError("{}: background frequencies must be numbers > 0, found {} {} {} {}", what, bg[0], bg[1], bg[2],
                        bg[3]);
    }
    sum += v;
  }
  Background out;
  for (int b = 0; b < 4; ++b) out[b] = bg[b] / sum;
  return out;
}

bool strand_symmetric(const Background& bg) { return bg[0] == bg[3] && bg[1] == bg[2]; }

}  // namespace seqdl::motif
