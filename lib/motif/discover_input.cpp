#include "motif/discover_input.hpp"

#include <cmath>

#include "io/line_reader.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::motif {
namespace {

bool is_integer(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "chr1:1001-2000" (commas allowed) -> chrom, 0-based start; nullopt for anything else.
std::optional<RowCoordinate> region_id(std::string_view id) {
  size_t colon = id.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  std::string range;
  for (char c : id.substr(colon + 1)) {
    if (c != ',') range += c;
  }
  size_t dash = range.find('-');
  if (dash == std::string::npos) return std::nullopt;
  std::string_view a = std::string_view(range).substr(0, dash), b = std::string_view(range).substr(dash + 1);
  if (!is_integer(a) || !is_integer(b)) return std::nullopt;
  RowCoordinate c;
  c.name = std::string(id);
  c.chrom = std::string(id.substr(0, colon));
  c.start = parse_int(a, "id") - 1;
  return c;
}

}  // namespace

std::vector<RowCoordinate> read_row_coordinates(const std::string& path) {
  io::LineReader lines(path);
  std::vector<RowCoordinate> out;
  std::string_view line;
  while (lines.next(line)) {
    if (trim(line).empty() || line.starts_with('#') || line.starts_with("track") || line.starts_with("browser")) {
      continue;
    }
    std::vector<std::string_view> f = split(line, '\t');
    if (f.size() >= 3 && is_integer(f[1]) && is_integer(f[2])) {
      RowCoordinate c;
      c.chrom = std::string(f[0]);
      c.start = parse_int(f[1], lines.where() + ": start");
      int64_t end = parse_int(f[2], lines.where() + ": end");
      if (end < c.start) throw FormatError("{}: BED end {} is before start {}", lines.where(), end, c.start);
      c.name = f.size() >= 4 && !f[3].empty() && f[3] != "." ? std::string(f[3])
                                                             : fmt::format("{}:{}-{}", c.chrom, c.start + 1, end);
      if (f.size() >= 6) {
        if (f[5] != "+" && f[5] != "-" && f[5] != ".") {
          throw FormatError("{}: BED strand: expected +, - or ., found '{}'", lines.where(), f[5]);
        }
        c.strand = f[5] == "-" ? '-' : '+';
      }
      out.push_back(std::move(c));
      continue;
    }
    std::string_view id = trim(line);
    if (auto c = region_id(id)) {
      out.push_back(std::move(*c));
    } else {
      out.push_back(RowCoordinate{std::string(id), "", 0, '+'});
    }
  }
  return out;
}

void bases_of(const float* onehot, int64_t length, uint8_t* out) {
  for (int64_t i = 0; i < length; ++i) {
    int base = 4, hot = 0;
    for (int b = 0; b < 4; ++b) {
      if (onehot[b * length + i] > 0.5f) {
        base = b;
        ++hot;
      }
    }
    out[i] = hot == 1 ? static_cast<uint8_t>(base) : 4;
  }
}

AttributionSet::AttributionSet(const AttributionPaths& p) {
  if (p.onehot.empty()) throw UsageError("--onehot: the one-hot sequences (.npy) are required");
  if (p.attributions.empty()) throw UsageError("--attributions: the hypothetical contributions (.npy) are required");
  onehot_ = std::make_unique<io::NpyArray>(p.onehot);
  hypothetical_ = std::make_unique<io::NpyArray>(p.attributions);
  if (!p.contributions.empty()) contribution_ = std::make_unique<io::NpyArray>(p.contributions);
  const auto& s = onehot_->shape();
  if (s.size() != 3 || (s[1] != 4 && s[2] != 4)) {
    throw FormatError("{}: expected one-hot sequences of shape [n, 4, length] (or [n, length, 4]), found {}", p.onehot,
                      onehot_->shape_text());
  }
  for (const io::NpyArray* a : {hypothetical_.get(), contribution_.get()}) {
    if (a && a->shape() != s) {
      throw UsageError("{} has shape {} but {} has shape {}: the attributions must have the one-hot's shape", a->path(),
                       a->shape_text(), p.onehot, onehot_->shape_text());
    }
  }
  rows_ = s[0];
  channels_last_ = s[1] != 4;
  length_ = channels_last_ ? s[1] : s[2];
  if (channels_last_) log::info("reading the arrays as [n, length, 4] (channels last)");
  if (!p.coords.empty()) {
    coords_ = read_row_coordinates(p.coords);
    if (static_cast<int64_t>(coords_.size()) != rows_) {
      throw UsageError("--coords {}: {} lines for {} rows of {} (expected one line per row)", p.coords, coords_.size(),
                       rows_, p.onehot);
    }
  }
}

std::string AttributionSet::row_name(int64_t r) const {
  return coords_.empty() ? std::to_string(r) : coords_[static_cast<size_t>(r)].name;
}

void AttributionSet::read_array(const io::NpyArray& a, int64_t r, std::vector<float>& out,
                                std::vector<float>& scratch) const {
  const int64_t n = 4 * length_;
  out.resize(static_cast<size_t>(n));
  if (!channels_last_) {
    a.read(r * n, n, out.data());
  } else {
    scratch.resize(static_cast<size_t>(n));
    a.read(r * n, n, scratch.data());
    for (int64_t i = 0; i < length_; ++i) {
      for (int b = 0; b < 4; ++b) out[static_cast<size_t>(b * length_ + i)] = scratch[static_cast<size_t>(i * 4 + b)];
    }
  }
  for (int64_t k = 0; k < n; ++k) {
    if (!std::isfinite(out[static_cast<size_t>(k)])) {
      throw InputError("{}: row {} (0-based), position {}: {} value; attributions must be finite numbers", a.path(), r,
                       k % length_, std::isnan(out[static_cast<size_t>(k)]) ? "NaN" : "infinite");
    }
  }
}

void AttributionSet::read_row(int64_t r, RowData& out) const {
  std::vector<float> scratch;
  read_array(*onehot_, r, out.onehot, scratch);
  for (size_t k = 0; k < out.onehot.size(); ++k) {
    float v = out.onehot[k];
    if (v < 0 || v > 1) {
      throw InputError("{}: row {} (0-based), position {}: one-hot value {} is outside [0, 1] (is this the one-hot "
                       "array?)", onehot_->path(), r, static_cast<int64_t>(k) % length_, v);
    }
  }
  read_array(*hypothetical_, r, out.hypothetical, scratch);
  if (contribution_) {
    read_array(*contribution_, r, out.contribution, scratch);
  } else {
    out.contribution.resize(out.hypothetical.size());
    for (size_t k = 0; k < out.contribution.size(); ++k) out.contribution[k] = out.hypothetical[k] * out.onehot[k];
  }
}

}  // namespace seqdl::motif
