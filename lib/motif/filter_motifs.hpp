// First-layer filters as motifs (the torch-free half of `seqdl motifs extract`; the network part is in
// lib/motif_extract). The way Basset and DeepBind do it: every window of the filter's width whose activation
// reaches a fraction of the filter's largest activation over the sequence set is a site; the sites' bases
// are counted into a position frequency matrix, which is written as a MEME motif with nsites = the count.
//
// A window is a site of filter f when its activation a satisfies a > 0 and a >= threshold x max_f, where
// max_f is f's largest activation over every window scored (both strands with --both-strands). Windows
// holding N or another IUPAC code are neither scored nor counted. A filter whose largest activation is not
// above 0 (a dead ReLU filter) has no sites.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "motif/motif.hpp"
#include "util/choices.hpp"

namespace seqdl::motif {

// What is counted per filter: every window that passes the threshold, or per sequence only the best
// window (over both strands when they are scanned) if it passes.
enum class SiteMode { all, best };
inline constexpr Choices<SiteMode, 2> kSiteModeChoices{{{"all", SiteMode::all}, {"best", SiteMode::best}}};

// Site counts of a layer of filters of one width.
class FilterSiteCounter {
 public:
  FilterSiteCounter(size_t filters, size_t width);

  size_t filters() const { return counts_.size(); }
  size_t width() const { return width_; }
  // Counts one site of `filter`: `width()` base indices (0..3 = A, C, G, T) starting at `bases`.
  void add(size_t filter, const uint8_t* bases);
  uint64_t sites(size_t filter) const { return sites_[filter]; }
  const std::vector<Column>& counts(size_t filter) const { return counts_[filter]; }

 private:
  size_t width_;
  std::vector<std::vector<Column>> counts_;
  std::vector<uint64_t> sites_;
};

// The site threshold of a filter whose largest activation is `max_activation` (see above): nullopt when the
// filter cannot have sites (max_activation <= 0).
std::optional<double> site_threshold(double max_activation, double fraction);

// Whether activation `a` makes a site under `threshold` (from site_threshold).
inline bool is_site(double a, const std::optional<double>& threshold) {
  return threshold.has_value() && a > 0 && a >= *threshold;
}

// The motif of filter `index`: id "filter<index>" (0-based, the network's channel), name its IUPAC
// consensus, rows = the counts divided by the sites, nsites = sites. nullopt without sites. With
// trim_bits > 0, leading and trailing positions below that information content are dropped.
std::optional<Motif> filter_motif(size_t index, const std::vector<Column>& counts, uint64_t sites,
                                  double trim_bits = 0);

// One row of the summary table.
struct FilterReport {
  size_t index = 0;
  uint64_t sites = 0;
  double max_activation = 0;
  std::optional<Motif> motif;      // the written (or, with too few sites, unwritten) motif
  bool written = false;            // enough sites (--min-sites)
  std::vector<double> influence;   // per task; empty when not computed
};

// The summary TSV: filter sites information_content influence consensus max_activation written, then
// influence_<task> per task when there are several. information_content is the motif's total in bits against
// a uniform background; influence is the mean over tasks (NA when not computed; IC and consensus NA without
// sites).
std::string format_filter_summary(const std::vector<FilterReport>& reports, const std::vector<std::string>& task_names);

// "filter3, filter7 and 2 more"-style list of filter ids for messages (at most `shown` named).
std::string filter_list(const std::vector<size_t>& indices, size_t shown = 10);

}  // namespace seqdl::motif
