#include "report/sequence_plots.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "report/svg.hpp"

namespace seqdl::report {
namespace {

// Letter outlines in a 100 x 100 box (y down), filled with the even-odd rule, so that a letter can be
// stretched to any height without depending on a font.
constexpr std::array<const char*, 4> kGlyph = {
    // A: two legs and a bar, with the triangular counter cut out
    "M0,100 L38,0 L62,0 L100,100 L78,100 L69,74 L31,74 L22,100 Z M38,56 L62,56 L50,22 Z",
    // C: a thick arc open to the right
    "M95,30 A48,50 0 1 0 95,70 L77,61 A29,32 0 1 1 77,39 Z",
    // G: the C with a bar turned in at the bottom right
    "M95,28 A48,50 0 1 0 98,62 L98,48 L56,48 L56,64 L80,64 A29,32 0 1 1 78,38 Z",
    // T: a top bar and a stem
    "M0,0 L100,0 L100,18 L60,18 L60,100 L40,100 L40,18 L0,18 Z"};
constexpr std::array<const char*, 4> kColour = {"#109648", "#255C99", "#F7B32B", "#D62839"};
constexpr const char* kBases = "ACGT";

int base_of(char c) {
  switch (c & 0xDF) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    case 'T': case 'U': return 3;
    default: return -1;
  }
}

struct Frame {
  double left = 56, right = 16, top = 34, bottom = 40;
  double column = 0, height = 0;
  int64_t length = 0;
  double width() const { return left + right + column * static_cast<double>(length); }
  double x(int64_t i) const { return left + column * static_cast<double>(i); }
};

Frame frame_for(int64_t length, double height) {
  Frame f;
  f.length = length;
  f.height = height;
  f.column = std::clamp(1200.0 / static_cast<double>(std::max<int64_t>(length, 1)), 2.0, 14.0);
  return f;
}

std::string glyph(int c, double x, double y, double w, double h) {
  return fmt::format(R"svg(<path d="{}" fill="{}" fill-rule="evenodd" transform="translate({:.2f},{:.2f}) scale({:.4f},{:.4f})"/>)svg",
                     kGlyph[static_cast<size_t>(c)], kColour[static_cast<size_t>(c)], x, y, w / 100.0, h / 100.0);
}

// Position ticks along the bottom, 1-based as users count bases.
std::string position_axis(const Frame& f, double y) {
  std::string s = fmt::format(R"svg(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#333"/>)svg", f.x(0), y,
                              f.x(f.length), y);
  Ticks t = nice_ticks(1, static_cast<double>(f.length), 8);
  for (double v : t.values) {
    if (v < 1 || v > static_cast<double>(f.length)) continue;
    double x = f.x(static_cast<int64_t>(v) - 1) + f.column / 2;
    s += fmt::format(R"svg(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#333"/>)svg", x, y, y + 4);
    s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="11">{}</text>)svg", x, y + 16,
                     tick_label(v, 0));
  }
  s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="12">position</text>)svg",
                   f.x(f.length / 2), y + 32);
  return s;
}

std::string open_svg(const Frame& f, double total_height, const std::string& title, const std::string& css) {
  return fmt::format(R"svg(<svg xmlns="http://www.w3.org/2000/svg" class="{}" width="{:.0f}" height="{:.0f}" )svg"
                     R"svg(viewBox="0 0 {:.0f} {:.0f}" font-family="sans-serif"><rect width="100%" height="100%" fill="white"/>)svg"
                     R"svg(<text x="{:.1f}" y="20" font-size="13" font-weight="bold">{}</text>)svg",
                     css, f.width(), total_height, f.width(), total_height, f.left, escape(title));
}

}  // namespace

std::string attribution_logo(const std::string& title, const float* values, int64_t length, std::string_view sequence,
                             bool all_bases) {
  Frame f = frame_for(length, 180);
  // The scale: the tallest stack above or below the axis.
  double top = 0, bottom = 0;
  for (int64_t i = 0; i < length; ++i) {
    double up = 0, down = 0;
    for (int c = 0; c < 4; ++c) {
      double v = values[c * length + i];
      if (!all_bases && c != base_of(sequence[static_cast<size_t>(i)])) continue;
      (v > 0 ? up : down) += v;
    }
    top = std::max(top, up);
    bottom = std::min(bottom, down);
  }
  double span = std::max(top - bottom, 1e-12);
  double zero_y = f.top + f.height * top / span;
  auto y_of = [&](double v) { return zero_y - f.height * v / span; };
  std::string s = open_svg(f, f.top + f.height + f.bottom, title, "attribution-logo");
  for (int64_t i = 0; i < length; ++i) {
    std::vector<std::pair<double, int>> col;
    for (int c = 0; c < 4; ++c) {
      if (!all_bases && c != base_of(sequence[static_cast<size_t>(i)])) continue;
      col.emplace_back(values[c * length + i], c);
    }
    // Stack outwards from the axis: the largest magnitudes farthest away.
    std::sort(col.begin(), col.end(), [](auto& a, auto& b) { return std::abs(a.first) < std::abs(b.first); });
    double up = 0, down = 0;
    for (auto [v, c] : col) {
      if (v == 0) continue;
      double from = v > 0 ? up : down, to = from + v;
      (v > 0 ? up : down) = to;
      double y0 = y_of(std::max(from, to)), h = std::abs(y_of(from) - y_of(to));
      if (h < 0.2) continue;
      bool flip = v < 0;  // letters below the axis are drawn upside down, as in logomaker
      std::string g = glyph(c, f.x(i), y0, f.column, h);
      if (flip) {
        g = fmt::format(R"svg(<g transform="translate(0,{:.2f}) scale(1,-1)">{}</g>)svg", 2 * y0 + h, g);
      }
      s += g;
    }
  }
  // Value axis.
  Ticks t = nice_ticks(bottom, top, 4);
  s += fmt::format(R"svg(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#333"/>)svg", f.left - 4, y_of(top), y_of(bottom));
  for (double v : t.values) {
    if (v < bottom - 1e-12 || v > top + 1e-12) continue;
    s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" text-anchor="end" font-size="10">{}</text>)svg", f.left - 7,
                     y_of(v) + 3, tick_label(v, t.decimals));
  }
  s += fmt::format(R"svg(<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#999" stroke-dasharray="3,3"/>)svg",
                   f.x(0), zero_y, f.x(length), zero_y);
  s += position_axis(f, f.top + f.height + 4);
  s += "</svg>\n";
  return s;
}

std::string pwm_logo(const std::string& title, const std::vector<std::array<double, 4>>& rows) {
  const auto length = static_cast<int64_t>(rows.size());
  Frame f = frame_for(length, 120);
  f.column = std::max(f.column, 18.0);  // room for two-digit position labels
  auto y_of = [&](double bits) { return f.top + f.height * (1 - bits / 2); };
  std::string s = open_svg(f, f.top + f.height + f.bottom, title, "pwm-logo");
  for (int64_t i = 0; i < length; ++i) {
    const auto& p = rows[static_cast<size_t>(i)];
    double total = 0, ic = 2;
    for (double v : p) total += std::max(v, 0.0);
    if (total <= 0) continue;
    std::array<std::pair<double, int>, 4> col;
    for (int c = 0; c < 4; ++c) {
      double q = std::max(p[static_cast<size_t>(c)], 0.0) / total;
      col[static_cast<size_t>(c)] = {q, c};
      if (q > 0) ic += q * std::log2(q);
    }
    std::sort(col.begin(), col.end());  // smallest at the bottom
    double base = 0;
    for (auto [q, c] : col) {
      double h = q * ic;
      if (f.height * h / 2 >= 0.2) s += glyph(c, f.x(i), y_of(base + h), f.column, f.height * h / 2);
      base += h;
    }
  }
  s += fmt::format(R"svg(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#333"/>)svg", f.left - 4, y_of(2), y_of(0));
  for (int bits = 0; bits <= 2; ++bits) {
    s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" text-anchor="end" font-size="10">{}</text>)svg", f.left - 7,
                     y_of(bits) + 3, bits);
  }
  s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" font-size="10" transform="rotate(-90 {:.1f} {:.1f})" text-anchor="middle">bits</text>)svg",
                   f.left - 30, y_of(1), f.left - 30, y_of(1));
  s += position_axis(f, f.top + f.height + 4);
  s += "</svg>\n";
  return s;
}

std::string ism_heatmap(const std::string& title, const float* deltas, int64_t length, std::string_view sequence) {
  Frame f = frame_for(length, 4 * 18);
  double row = f.height / 4;
  double extreme = 1e-12;
  for (int64_t k = 0; k < 4 * length; ++k) extreme = std::max(extreme, static_cast<double>(std::abs(deltas[k])));
  auto colour = [&](double v) {  // blue (negative) - white - red (positive)
    double t = std::clamp(v / extreme, -1.0, 1.0);
    int fade = static_cast<int>(std::lround(255 * (1 - std::abs(t))));
    return t < 0 ? fmt::format("#{0:02x}{0:02x}ff", fade) : fmt::format("#ff{0:02x}{0:02x}", fade);
  };
  double bar_top = f.top + f.height + 56;
  std::string s = open_svg(f, bar_top + 44, title, "ism-heatmap");
  for (int c = 0; c < 4; ++c) {
    double y = f.top + row * c;
    s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" text-anchor="end" font-size="12" fill="{}">{}</text>)svg", f.left - 6,
                     y + row / 2 + 4, kColour[static_cast<size_t>(c)], kBases[c]);
    for (int64_t i = 0; i < length; ++i) {
      s += fmt::format(R"svg(<rect x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" fill="{}"/>)svg", f.x(i), y,
                       f.column + 0.05, row, colour(deltas[c * length + i]));
      if (base_of(sequence[static_cast<size_t>(i)]) == c) {  // the reference base: no change by definition
        s += fmt::format(R"svg(<circle cx="{:.2f}" cy="{:.2f}" r="{:.2f}" fill="#444"/>)svg", f.x(i) + f.column / 2,
                         y + row / 2, std::min(f.column, row) / 4);
      }
    }
  }
  s += position_axis(f, f.top + f.height + 4);
  // Colour bar.
  double bar_w = std::min(240.0, f.column * static_cast<double>(length));
  for (int k = 0; k < 60; ++k) {
    double v = -extreme + 2 * extreme * (k + 0.5) / 60;
    s += fmt::format(R"svg(<rect x="{:.2f}" y="{:.1f}" width="{:.2f}" height="10" fill="{}"/>)svg", f.left + bar_w * k / 60,
                     bar_top, bar_w / 60 + 0.05, colour(v));
  }
  s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" font-size="10">{:.3g}</text>)svg", f.left, bar_top + 22, -extreme);
  s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" text-anchor="middle" font-size="10">0</text>)svg", f.left + bar_w / 2, bar_top + 22);
  s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" text-anchor="end" font-size="10">{:.3g}</text>)svg", f.left + bar_w,
                   bar_top + 22, extreme);
  s += fmt::format(R"svg(<text x="{:.1f}" y="{:.1f}" font-size="11">effect of the substitution (mutant - reference)</text>)svg",
                   f.left + bar_w + 12, bar_top + 9);
  s += "</svg>\n";
  return s;
}

}  // namespace seqdl::report
