// Pictures of per-base explanations, as standalone SVG:
//   attribution_logo: a sequence logo of attributions. Each position shows the base present there as a letter
//     whose height is its attribution (drawn below the axis when negative); with all_bases, the four
//     hypothetical contributions are stacked, positive ones above the axis and negative ones below.
//   pwm_logo: an information-content logo of a probability matrix (one row per position, A C G T): at each
//     position the letters are stacked by probability, largest on top, their total height the position's
//     information content in bits (2 - entropy, uniform background), on a 0-2 bit axis.
//   ism_heatmap: every possible substitution's effect, four rows (A, C, G, T) by position on a diverging
//     blue-white-red scale, the reference base marked, with a colour bar.
// Values are channel-major: values[c * length + i] for base c (A, C, G, T) at position i.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seqdl::report {

std::string attribution_logo(const std::string& title, const float* values, int64_t length, std::string_view sequence,
                             bool all_bases);

std::string pwm_logo(const std::string& title, const std::vector<std::array<double, 4>>& rows);

std::string ism_heatmap(const std::string& title, const float* deltas, int64_t length, std::string_view sequence);

}  // namespace seqdl::report
