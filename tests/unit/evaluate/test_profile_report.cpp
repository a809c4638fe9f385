// The profile-model evaluation page: headline tiles with the baseline beside each figure, one drawn profile per
// example peak and channel (observed and predicted series), the counts scatter with one marker per point, and
// text escaped.
#include <gtest/gtest.h>

#include <string>

#include "evaluate/profile_report.hpp"

namespace seqdl::evaluate {
namespace {

size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

ProfileReportData example_data() {
  ProfileReportData d;
  d.subject = "m<1>.seqdl";
  d.inputs = {{"genome", "g.fa"}};
  d.figures = {{"counts_pearson", "0.5123"}, {"counts_spearman", "0.4000"}, {"profile_jsd_median", "0.6100"},
               {"baseline_jsd_median", "0.7000"}, {"profile_pearson_median", "0.3000"},
               {"baseline_pearson_median", "0.2000"}, {"auprc", "0.9000"}, {"auroc", "0.8000"}};
  d.observed_log_counts = {1.0, 2.0, 3.5};
  d.predicted_log_counts = {1.2, 1.9, 3.0};
  ProfileExamplePlot two{"peak_1 (chrD:1,001)", {"cov.plus", "cov.minus"}, {{0, 1, 3, 1}, {1, 0, 0, 2}},
                         {{0.5, 1, 2, 1}, {1, 0.5, 0.5, 1}}, 0.25};
  d.examples = {two};
  return d;
}

TEST(ProfileReport, TilesProfilesAndScatter) {
  const std::string html = profile_report_html(example_data());
  EXPECT_NE(html.find("m&lt;1&gt;.seqdl"), std::string::npos);
  EXPECT_EQ(html.find("m<1>.seqdl"), std::string::npos);
  EXPECT_NE(html.find("0.5123"), std::string::npos);
  EXPECT_NE(html.find("baseline 0.7000 (lower is better)"), std::string::npos);
  EXPECT_NE(html.find("counts-scatter"), std::string::npos);
  EXPECT_EQ(occurrences(html, "<path class=\"series observed\""), 2u);  // one panel per strand
  EXPECT_EQ(occurrences(html, "<path class=\"series predicted\""), 2u);
  EXPECT_NE(html.find("cov.minus"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(ProfileReport, TrackModelsHaveNoProfileTiles) {
  ProfileReportData d = example_data();
  d.figures = {{"pearson", "0.4000"}, {"pearson_log", "0.5000"}};
  d.examples.clear();
  const std::string html = profile_report_html(d);
  EXPECT_EQ(html.find("median profile JSD"), std::string::npos);
  EXPECT_NE(html.find("0.5000"), std::string::npos);
}

}  // namespace
}  // namespace seqdl::evaluate
