// The torch-free half of `motifs extract`: site thresholds, counting, the filter motif and the summary table.
#include <gtest/gtest.h>

#include "motif/filter_motifs.hpp"
#include "motif/motif_io.hpp"

namespace seqdl::motif {
namespace {

TEST(FilterMotifs, ThresholdIsAFractionOfAPositiveMaximum) {
  EXPECT_FALSE(site_threshold(0.0, 0.5).has_value());   // a dead ReLU filter has no sites
  EXPECT_FALSE(site_threshold(-1.0, 0.5).has_value());
  auto t = site_threshold(4.0, 0.5);
  ASSERT_TRUE(t.has_value());
  EXPECT_DOUBLE_EQ(*t, 2.0);
  EXPECT_TRUE(is_site(2.0, t));
  EXPECT_TRUE(is_site(4.0, t));
  EXPECT_FALSE(is_site(1.999, t));
  // Threshold 0: every window with a positive activation, never one at 0.
  auto zero = site_threshold(4.0, 0.0);
  EXPECT_TRUE(is_site(1e-6, zero));
  EXPECT_FALSE(is_site(0.0, zero));
  EXPECT_FALSE(is_site(5.0, std::nullopt));
}

TEST(FilterMotifs, CountsBecomeAMotifWithSitesAndConsensus) {
  FilterSiteCounter counter(2, 4);
  const uint8_t acgt[] = {0, 1, 2, 3}, acga[] = {0, 1, 2, 0};
  counter.add(1, acgt);
  counter.add(1, acgt);
  counter.add(1, acgt);
  counter.add(1, acga);
  EXPECT_EQ(counter.sites(0), 0u);
  EXPECT_EQ(counter.sites(1), 4u);
  EXPECT_EQ(counter.counts(1)[3][3], 3.0);
  EXPECT_EQ(counter.counts(1)[3][0], 1.0);
  EXPECT_FALSE(filter_motif(0, counter.counts(0), 0).has_value());
  auto m = filter_motif(1, counter.counts(1), counter.sites(1));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->id, "filter1");
  EXPECT_EQ(m->name, "ACGT");  // T 0.75 is above 0.5 and twice A's 0.25
  EXPECT_DOUBLE_EQ(*m->nsites, 4.0);
  EXPECT_DOUBLE_EQ(m->rows[0][0], 1.0);
  EXPECT_DOUBLE_EQ(m->rows[3][3], 0.75);
  // The MEME writer says nsites= 4 and the motif reads back as written.
  std::string text = format_meme({*m});
  EXPECT_NE(text.find("MOTIF filter1 ACGT\nletter-probability matrix: alength= 4 w= 4 nsites= 4 E= 0\n"),
            std::string::npos)
      << text;
}

TEST(FilterMotifs, TrimDropsUninformativeFlanks) {
  FilterSiteCounter counter(1, 6);
  // Flanks with every base once (0 bits), a core GATA.
  const uint8_t sites[4][6] = {{0, 2, 0, 3, 0, 0}, {1, 2, 0, 3, 0, 1}, {2, 2, 0, 3, 0, 2}, {3, 2, 0, 3, 0, 3}};
  for (const auto& s : sites) counter.add(0, s);
  auto whole = filter_motif(0, counter.counts(0), 4);
  EXPECT_EQ(whole->width(), 6u);
  EXPECT_EQ(whole->name, "NGATAN");
  auto trimmed = filter_motif(0, counter.counts(0), 4, 0.5);
  EXPECT_EQ(trimmed->width(), 4u);
  EXPECT_EQ(trimmed->name, "GATA");
  EXPECT_DOUBLE_EQ(total_information_content(*trimmed), 8.0);
}

TEST(FilterMotifs, SummaryTableHasOneRowPerFilter) {
  FilterReport a{0, 12, 3.5, from_consensus("filter0", "CACGTG", "CACGTG", 1.0), true, {0.25}};
  FilterReport b{1, 0, 0.0, std::nullopt, false, {-0.001}};
  EXPECT_EQ(format_filter_summary({a, b}, {"Bound"}),
            "filter\tsites\tinformation_content\tinfluence\tconsensus\tmax_activation\twritten\n"
            "filter0\t12\t12.000\t0.25\tCACGTG\t3.5\tyes\n"
            "filter1\t0\tNA\t-0.001\tNA\t0\tno\n");
  // Several tasks: the mean, then a column per task; influence not computed: NA.
  a.influence = {0.5, 0.1};
  b.influence.clear();
  EXPECT_EQ(format_filter_summary({a, b}, {"t1", "t2"}),
            "filter\tsites\tinformation_content\tinfluence\tconsensus\tmax_activation\twritten\tinfluence_t1\t"
            "influence_t2\n"
            "filter0\t12\t12.000\t0.3\tCACGTG\t3.5\tyes\t0.5\t0.1\n"
            "filter1\t0\tNA\tNA\tNA\t0\tno\tNA\tNA\n");
}

TEST(FilterMotifs, FilterListsAreShortened) {
  EXPECT_EQ(filter_list({}), "");
  EXPECT_EQ(filter_list({3, 7}), "filter3, filter7");
  EXPECT_EQ(filter_list({1, 2, 3, 4}, 2), "filter1, filter2 and 2 more");
}

}  // namespace
}  // namespace seqdl::motif
