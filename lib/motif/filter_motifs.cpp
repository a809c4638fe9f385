#include "motif/filter_motifs.hpp"

#include <algorithm>
#include <iterator>
#include <span>

#include <fmt/format.h>

#include "util/text.hpp"

namespace seqdl::motif {

FilterSiteCounter::FilterSiteCounter(size_t filters, size_t width)
    : width_(width), counts_(filters, std::vector<Column>(width, Column{0, 0, 0, 0})), sites_(filters, 0) {}

void FilterSiteCounter::add(size_t filter, const uint8_t* bases) {
  std::vector<Column>& c = counts_[filter];
  for (size_t i = 0; i < width_; ++i) c[i][bases[i]] += 1;
  ++sites_[filter];
}

std::optional<double> site_threshold(double max_activation, double fraction) {
  if (!(max_activation > 0)) return std::nullopt;
  return fraction * max_activation;
}

std::optional<Motif> filter_motif(size_t index, const std::vector<Column>& counts, uint64_t sites, double trim_bits) {
  if (sites == 0) return std::nullopt;
  Motif m;
  m.id = fmt::format("filter{}", index);
  m.rows.reserve(counts.size());
  for (const Column& c : counts) {
    Column p;
    for (int b = 0; b < 4; ++b) p[b] = c[b] / static_cast<double>(sites);
    m.rows.push_back(p);
  }
  m.nsites = static_cast<double>(sites);
  if (trim_bits > 0) {
    Motif t = trim(m, trim_bits);
    if (t.width() > 0) m = std::move(t);  // nothing informative: keep the whole filter rather than nothing
  }
  m.name = consensus(m);
  return m;
}

std::string format_filter_summary(const std::vector<FilterReport>& reports,
                                  const std::vector<std::string>& task_names) {
  const bool per_task = task_names.size() > 1;
  std::string out = "filter\tsites\tinformation_content\tinfluence\tconsensus\tmax_activation\twritten";
  if (per_task) {
    for (const std::string& t : task_names) out += "\tinfluence_" + t;
  }
  out += '\n';
  auto it = std::back_inserter(out);
  for (const FilterReport& r : reports) {
    fmt::format_to(it, "filter{}\t{}\t", r.index, r.sites);
    if (r.motif) {
      fmt::format_to(it, "{:.3f}", total_information_content(*r.motif));
    } else {
      out += "NA";
    }
    if (r.influence.empty()) {
      out += "\tNA";
    } else {
      double mean = 0;
      for (double v : r.influence) mean += v;
      fmt::format_to(it, "\t{:.6g}", mean / static_cast<double>(r.influence.size()));
    }
    fmt::format_to(it, "\t{}\t{:.6g}\t{}", r.motif ? r.motif->name : std::string("NA"), r.max_activation,
                   r.written ? "yes" : "no");
    if (per_task) {
      for (size_t t = 0; t < task_names.size(); ++t) {
        if (t < r.influence.size()) {
          fmt::format_to(it, "\t{:.6g}", r.influence[t]);
        } else {
          out += "\tNA";
        }
      }
    }
    out += '\n';
  }
  return out;
}

std::string filter_list(const std::vector<size_t>& indices, size_t shown) {
  std::string out = join(std::span(indices).first(std::min(indices.size(), shown)), ", ",
                         [](size_t i) { return fmt::format("filter{}", i); });
  if (indices.size() > shown) out += fmt::format(" and {} more", indices.size() - shown);
  return out;
}

}  // namespace seqdl::motif
