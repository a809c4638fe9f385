// `seqdl evaluate --coverage ... --report report.html` for profile models: one self-contained page (inline SVG and
// CSS, no scripts) with the headline figures against the average-profile baseline, the observed vs predicted
// profiles of a few peaks (<path class="series observed"> and <path class="series predicted">), and a scatter of
// predicted vs observed log(1 + total) (<g class="counts-scatter">). Torch-free.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace seqdl::evaluate {

struct ProfileExamplePlot {
  std::string id;                                // e.g. "peak_12 (chrIV:12,345)"
  std::vector<std::string> channels;             // per row
  std::vector<std::vector<double>> observed;     // counts per base, per channel
  std::vector<std::vector<double>> predicted;    // predicted counts per base (softmax x total), per channel
  double jsd = 0;
};

struct ProfileReportData {
  std::string subject;                                      // the model file
  std::vector<std::pair<std::string, std::string>> inputs;  // label, value
  std::vector<std::pair<std::string, std::string>> figures; // metric, value (with the baseline's beside it)
  std::vector<double> observed_log_counts, predicted_log_counts;  // per peak and channel
  std::vector<ProfileExamplePlot> examples;
  nlohmann::json provenance;
};

std::string profile_report_html(const ProfileReportData& data);

}  // namespace seqdl::evaluate
