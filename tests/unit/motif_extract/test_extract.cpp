// `motifs extract` on a hand-built network whose filters are known detectors: sites, motifs and influence
// against a brute-force computation written out in the test, strands, site modes, and rejected inputs.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include <cmath>
#include <map>

#include "common/test_support.hpp"
#include "encode/bases.hpp"
#include "motif/motif_io.hpp"
#include "motif_extract/extract.hpp"
#include "nn/network_file.hpp"
#include "nn/network.hpp"
#include "util/error.hpp"

namespace seqdl::motif {
namespace {

constexpr int64_t kLength = 12;
const char* kBases = "ACGT";

// Filter 0 counts matches to AACG minus 2 (4 matches: 2, 3 matches: 1), filter 1 is dead, filter 2 is GGGG minus 3.
struct Probe {
  std::vector<std::string> patterns = {"AACG", "", "GGGG"};
  std::vector<double> bias = {-2, -1, -3};
  std::vector<double> dense = {2, 0, 1};
  double dense_bias = -0.5;

  // The ReLU activation of filter f on a window (any non-ACGT base is a zero column).
  double activation(size_t f, std::string_view window) const {
    double a = bias[f];
    for (size_t k = 0; k < 4 && !patterns[f].empty(); ++k) a += std::toupper(window[k]) == patterns[f][k] ? 1 : 0;
    return std::max(0.0, a);
  }
  double output(const std::string& seq, int zeroed) const {
    std::string s = encode::fit_length(seq, kLength);
    double logit = dense_bias;
    for (size_t f = 0; f < 3; ++f) {
      double m = 0;
      for (size_t j = 0; j + 4 <= s.size(); ++j) m = std::max(m, activation(f, std::string_view(s).substr(j, 4)));
      if (static_cast<int>(f) != zeroed) logit += dense[f] * m;
    }
    return 1 / (1 + std::exp(-logit));
  }
};

class Extract : public test::TempDir {
 protected:
  std::string model_with_layers(const nlohmann::json& layers) {
    nlohmann::json j = {{"name", "probe"}, {"input_length", kLength}, {"tasks", 1}, {"layers", layers}};
    nn::Network net(nn::ArchSpec::from_json(j, "probe"), kLength, 1);
    std::string p = path("m.seqdl");
    nn::save_model(p, *net, {{"task_names", {"y"}}, {"task_type", "binary"}});
    return p;
  }

  std::string probe_model() {
    nlohmann::json layers = nlohmann::json::parse(R"([{"type": "conv", "filters": 3, "kernel": 4}, {"type": "relu"},
        {"type": "global_maxpool"}, {"type": "linear", "units": "tasks"}])");
    nlohmann::json j = {{"name", "probe"}, {"input_length", kLength}, {"tasks", 1}, {"layers", layers}};
    nn::Network net(nn::ArchSpec::from_json(j, "probe"), kLength, 1);
    {
      torch::NoGradGuard no_grad;
      auto params = net->named_parameters();
      auto w = params["0_conv.weight"];
      w.zero_();
      for (size_t f = 0; f < 3; ++f) {
        for (size_t k = 0; k < probe_.patterns[f].size(); ++k) {
          auto base = static_cast<int64_t>(std::string_view(kBases).find(probe_.patterns[f][k]));
          w[static_cast<int64_t>(f)][base][static_cast<int64_t>(k)] = 1.0;
        }
        params["0_conv.bias"][static_cast<int64_t>(f)] = probe_.bias[f];
        params["3_linear.weight"][0][static_cast<int64_t>(f)] = probe_.dense[f];
      }
      params["3_linear.bias"][0] = probe_.dense_bias;
    }
    std::string p = path("probe.seqdl");
    nn::save_model(p, *net, {{"task_names", {"y"}}, {"task_type", "binary"}});
    return p;
  }

  // Sites by brute force: windows of the sequences (and reverse complements) without N, over the threshold.
  std::map<size_t, std::map<std::string, int>> brute_sites(double fraction, bool both, bool best) const {
    std::vector<double> max(3, 0);
    auto rows = [&](const std::string& s) {
      std::vector<std::string> r = {s};
      if (both) r.push_back(encode::reverse_complement(s));
      return r;
    };
    auto scored = [](std::string_view w) { return w.find_first_not_of("ACGTacgt") == std::string_view::npos; };
    for (const auto& s : seqs_) {
      for (const auto& r : rows(s)) {
        for (size_t j = 0; j + 4 <= r.size(); ++j) {
          if (!scored(std::string_view(r).substr(j, 4))) continue;
          for (size_t f = 0; f < 3; ++f) {
            max[f] = std::max(max[f], probe_.activation(f, std::string_view(r).substr(j, 4)));
          }
        }
      }
    }
    std::map<size_t, std::map<std::string, int>> sites;
    for (const auto& s : seqs_) {
      for (size_t f = 0; f < 3; ++f) {
        double best_a = 0;
        std::string best_w;
        for (const auto& r : rows(s)) {
          for (size_t j = 0; j + 4 <= r.size(); ++j) {
            std::string w = r.substr(j, 4);
            double a = probe_.activation(f, w);
            if (!scored(w) || max[f] <= 0 || a <= 0 || a < fraction * max[f]) continue;
            for (char& c : w) c = static_cast<char>(std::toupper(c));
            if (!best) {
              ++sites[f][w];
            } else if (a > best_a) {
              best_a = a;
              best_w = w;
            }
          }
        }
        if (best && !best_w.empty()) ++sites[f][best_w];
      }
    }
    return sites;
  }

  // The motif of the counted windows, as extract should write it.
  static std::vector<Column> rows_of(const std::map<std::string, int>& windows, int* total) {
    std::vector<Column> rows(4, Column{0, 0, 0, 0});
    *total = 0;
    for (const auto& [w, n] : windows) {
      for (size_t k = 0; k < 4; ++k) rows[k][std::string_view(kBases).find(w[k])] += n;
      *total += n;
    }
    for (auto& r : rows) {
      for (double& v : r) v /= *total;
    }
    return rows;
  }

  ExtractOptions options(const std::string& model) {
    std::string fasta;
    for (size_t i = 0; i < seqs_.size(); ++i) fasta += ">s" + std::to_string(i) + "\n" + seqs_[i] + "\n";
    ExtractOptions o;
    o.model = model;
    o.sequences.input = write("s.fa", fasta);
    o.output = path("f.meme");
    o.summary = path("f.tsv");
    o.min_sites = 1;
    o.batch = 3;  // several batches, of different lengths
    return o;
  }

  void check(const ExtractOptions& o) {
    ExtractSummary s = run_extract(o);
    auto expected = brute_sites(o.threshold, o.both_strands, o.sites == SiteMode::best);
    MotifFile file = read_motifs(o.output);
    std::map<std::string, Motif> written;
    for (const Motif& m : file.motifs) written[m.id] = m;
    for (size_t f = 0; f < 3; ++f) {
      SCOPED_TRACE("filter " + std::to_string(f));
      const FilterReport& r = s.reports[f];
      if (expected[f].empty()) {
        EXPECT_EQ(r.sites, 0u);
        EXPECT_EQ(written.count("filter" + std::to_string(f)), 0u);
        continue;
      }
      int total = 0;
      auto rows = rows_of(expected[f], &total);
      EXPECT_EQ(r.sites, static_cast<uint64_t>(total));
      ASSERT_EQ(written.count("filter" + std::to_string(f)), 1u);
      const Motif& m = written["filter" + std::to_string(f)];
      EXPECT_DOUBLE_EQ(*m.nsites, total);
      ASSERT_EQ(m.width(), 4u);
      for (size_t k = 0; k < 4; ++k) {
        for (int b = 0; b < 4; ++b) EXPECT_NEAR(m.rows[k][b], rows[k][b], 1e-6);
      }
    }
    EXPECT_EQ(s.without_sites.size() + s.too_few.size() + s.written.size(), 3u);
  }

  Probe probe_;
  std::vector<std::string> seqs_ = {"TTAACGTTTTTT", "CAACGGGGGAACG", "AACT", "acgtaacgaNNGGGGt",
                                    "GGGGCCAACGTAGGGGCCTTACAAACC", "TTTTTTTTTTTT", "CGTTGATTNAACGTTAAC"};
};

TEST_F(Extract, SitesAndMotifsEqualBruteForce) {
  std::string model = probe_model();
  ExtractOptions o = options(model);
  check(o);
  o.threshold = 1.0;  // only windows at the maximum
  check(o);
  o.threshold = 0.0;  // every window with a positive activation
  check(o);
}

TEST_F(Extract, BothStrandsAndBestSitePerSequence) {
  std::string model = probe_model();
  ExtractOptions o = options(model);
  o.both_strands = true;
  check(o);
  o.sites = SiteMode::best;
  check(o);
  o.both_strands = false;
  o.threshold = 0.3;
  check(o);
}

TEST_F(Extract, InfluenceIsTheMeanChangeWhenAFilterIsZeroed) {
  std::string model = probe_model();
  ExtractOptions o = options(model);
  ExtractSummary s = run_extract(o);
  ASSERT_EQ(s.reports.size(), 3u);
  for (size_t f = 0; f < 3; ++f) {
    double expected = 0;
    for (const auto& seq : seqs_) expected += probe_.output(seq, -1) - probe_.output(seq, static_cast<int>(f));
    expected /= static_cast<double>(seqs_.size());
    ASSERT_EQ(s.reports[f].influence.size(), 1u);
    EXPECT_NEAR(s.reports[f].influence[0], expected, 1e-6) << f;
  }
  EXPECT_GT(s.reports[0].influence[0], 0.05);
  EXPECT_EQ(s.reports[1].influence[0], 0.0);  // dead and unused
  EXPECT_EQ(s.first_layer, "conv+relu");
  EXPECT_EQ(s.without_sites, std::vector<size_t>{1});
  // The summary names every filter, the dead one included.
  std::string tsv = test::run_command("cat '" + o.summary + "'");
  EXPECT_NE(tsv.find("\nfilter1\t0\tNA\t0\tNA\t0\tno\n"), std::string::npos) << tsv;
  EXPECT_NE(tsv.find("\nfilter0\t"), std::string::npos) << tsv;

  // Logits: dense weight x the filter's max, averaged.
  o.influence_scale = InfluenceScale::logit;
  s = run_extract(o);
  double expected = 0;
  for (const auto& seq : seqs_) {
    std::string fitted = encode::fit_length(seq, kLength);
    double m = 0;
    for (size_t j = 0; j + 4 <= fitted.size(); ++j) {
      m = std::max(m, probe_.activation(2, std::string_view(fitted).substr(j, 4)));
    }
    expected += probe_.dense[2] * m;
  }
  EXPECT_NEAR(s.reports[2].influence[0], expected / static_cast<double>(seqs_.size()), 1e-5);
  // A subset: 3 of the 7 sequences, evenly spaced (0, 2, 4).
  o.influence_scale = InfluenceScale::probability;
  o.influence_sequences = 3;
  s = run_extract(o);
  EXPECT_EQ(s.influence_sequences, 3u);
  double subset = 0;
  for (size_t i : {0, 2, 4}) subset += probe_.output(seqs_[i], -1) - probe_.output(seqs_[i], 0);
  EXPECT_NEAR(s.reports[0].influence[0], subset / 3, 1e-6);
  o.influence = false;
  s = run_extract(o);
  EXPECT_TRUE(s.reports[0].influence.empty());
}

TEST_F(Extract, MinSitesSkipsFiltersAndTheRestAreWritten) {
  std::string model = probe_model();
  ExtractOptions o = options(model);
  o.min_sites = 1000;
  ExtractSummary s = run_extract(o);
  EXPECT_TRUE(s.written.empty());
  EXPECT_EQ(s.too_few, (std::vector<size_t>{0, 2}));
  std::string meme = test::run_command("cat '" + o.output + "'");
  EXPECT_EQ(meme.rfind("MEME version 4", 0), 0u) << meme;
  EXPECT_EQ(meme.find("MOTIF"), std::string::npos) << meme;
}

TEST_F(Extract, RejectsWhatItCannotExtractFrom) {
  std::string model = probe_model();
  ExtractOptions o = options(model);
  // A network that does not start with a convolution.
  o.model = model_with_layers(nlohmann::json::parse(
      R"([{"type": "maxpool", "size": 2}, {"type": "conv", "filters": 2, "kernel": 3}, {"type": "global_maxpool"},
          {"type": "linear", "units": "tasks"}])"));
  try {
    run_extract(o);
    FAIL();
  } catch (const ModelError& e) {
    EXPECT_NE(std::string(e.what()).find("the first layer is 'maxpool', not a convolution over the 4 bases"),
              std::string::npos)
        << e.what();
  }
  o.model = model;
  o.sequences.input = write("empty.fa", "");
  EXPECT_THROW(run_extract(o), Error);  // "the file is empty" (FormatError): exit status 2
  o.sequences.input = write_gzip("empty.fa.gz", "");
  EXPECT_THROW(run_extract(o), Error);
  o.sequences.input = write("short.fa", ">a\nACGTACGT\n>b\nACG\n");
  try {
    run_extract(o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("sequence 'b' (record 2) has 3 bases, fewer than the 4"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(o.output));
  o.sequences.input = write("ok.fa", ">a\nACGTACGT\n");
  o.threshold = 1.5;
  EXPECT_THROW(run_extract(o), UsageError);
}

}  // namespace
}  // namespace seqdl::motif
