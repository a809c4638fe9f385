// Scanning: hits on both strands, N handling, best windows against brute force, and genomes scanned in
// small chunks giving exactly what scanning them whole gives.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "common/test_support.hpp"
#include "encode/bases.hpp"
#include "motif/motif_io.hpp"
#include "motif/scan.hpp"
#include "motif/scanner.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::motif {
namespace {

using test::TempDir;

// A strongly specific, non-palindromic motif: ACGGTCA from 10 sites with one mismatch per column.
Motif test_motif() {
  std::string cons = "ACGGTCA";
  std::vector<Column> counts;
  for (char c : cons) {
    Column col = {1, 1, 1, 1};
    col[std::string("ACGT").find(c)] = 7;
    counts.push_back(col);
  }
  return from_counts("M1", "test", counts, "test");
}

// Log-odds of a window computed here from the definition (pseudocount as FIMO applies it).
double reference_score(const Motif& m, std::string_view window, char strand, const Background& bg = kUniformBackground) {
  std::string w(window);
  if (strand == '-') encode::reverse_complement_in_place(w);
  double n = *m.nsites, s = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    int b = static_cast<int>(std::string("ACGT").find(static_cast<char>(std::toupper(w[i]))));
    s += std::log2((m.rows[i][b] * n + 0.1 * bg[b]) / (n + 0.1) / bg[b]);
  }
  return s;
}

TEST(Scanner, FindsBothStrandsSkipsNAndReadsLowercase) {
  Motif m = test_motif();
  std::string site = "ACGGTCA", rc = encode::reverse_complement(site);
  std::string seq = "TTTT" + site + "TT" + rc + "TTTT" + "ACGNTCA" + "TT" + "acggtca" + "T";
  Scanner scanner({Pwm(m, kUniformBackground, 0.1)}, 1e-3);
  Chunk chunk;
  chunk.assign(seq, seq.size(), 100);
  std::vector<Hit> hits;
  scanner.scan(chunk, hits);
  std::sort(hits.begin(), hits.end());
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].start, 104);
  EXPECT_EQ(hits[0].strand, 0);
  EXPECT_EQ(hits[1].start, 113);
  EXPECT_EQ(hits[1].strand, 1);
  EXPECT_EQ(hits[2].start, static_cast<int64_t>(seq.find("acggtca")) + 100);
  double best = reference_score(m, site, '+');
  for (const Hit& h : hits) {
    EXPECT_NEAR(h.score, best, 1e-12);
    // The best window's p-value under a uniform background: 4^-7 = 6.1e-5 (the consensus is the single
    // highest-scoring 7-mer).
    EXPECT_NEAR(h.pvalue, std::pow(0.25, 7), 1e-15);
  }
  EXPECT_EQ(window_bases(seq, 13, 7, 1), site);
}

TEST(Scanner, BestWindowEqualsBruteForce) {
  Motif m = test_motif();
  Rng rng(9);
  Scanner scanner({Pwm(m, kUniformBackground, 0.1)}, 1e-4);
  for (int trial = 0; trial < 30; ++trial) {
    std::string seq;
    size_t len = 5 + rng.below(60);
    for (size_t i = 0; i < len; ++i) seq += "ACGTNacgt"[rng.below(trial % 3 == 0 ? 9 : 4)];
    Chunk chunk;
    chunk.assign(seq, seq.size(), 0);
    std::vector<BestWindow> best(1);
    scanner.best(chunk, best);
    double expected = -INFINITY;
    for (size_t j = 0; j + 7 <= seq.size(); ++j) {
      std::string w = seq.substr(j, 7);
      if (w.find_first_not_of("ACGTacgt") != std::string::npos) continue;
      expected = std::max({expected, reference_score(m, w, '+'), reference_score(m, w, '-')});
    }
    if (std::isinf(expected)) {
      EXPECT_FALSE(best[0].found) << seq;
    } else {
      ASSERT_TRUE(best[0].found) << seq;
      EXPECT_NEAR(best[0].score, expected, 1e-9) << seq;
      EXPECT_NEAR(reference_score(m, best[0].bases, '+'), expected, 1e-9);
    }
  }
}

class ScanFiles : public TempDir {
 protected:
  // A genome of three contigs (lowercase stretches, N runs) with motif instances on both strands, and
  // its motif file.
  void make_genome() {
    Rng rng(5);
    std::string site = "ACGGTCA";
    std::ofstream fa(path("g.fa"));
    for (int c = 0; c < 3; ++c) {
      std::string s;
      size_t len = 3000 + 1000 * static_cast<size_t>(c);
      for (size_t i = 0; i < len; ++i) s += "ACGT"[rng.below(4)];
      for (size_t k = 0; k < 40; ++k) {
        size_t at = rng.below(len - 7);
        s.replace(at, 7, rng.below(2) ? site : encode::reverse_complement(site));
      }
      for (size_t i = 500; i < 700; ++i) s[i] = static_cast<char>(std::tolower(s[i]));
      for (size_t i = 1200; i < 1210; ++i) s[i] = 'N';
      fa << ">chr" << c + 1 << " test contig\n";
      for (size_t i = 0; i < s.size(); i += 60) fa << s.substr(i, 60) << "\n";
      genome_[c] = s;
    }
    fa.close();
    write_meme(path("m.meme"), {test_motif(), from_consensus("GC", "gc box", "GGGGCGGGG", 0.7)});
  }

  std::string scan(ScanOptions o, const std::string& out_name) {
    o.motifs = path("m.meme");
    o.output = path(out_name);
    run_scan(o);
    std::ifstream in(o.output);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  std::string genome_[3];
};

TEST_F(ScanFiles, ChunkBordersGiveWhatTheWholeGenomeGives) {
  make_genome();
  for (bool max : {false, true}) {
    ScanOptions o;
    o.genome = path("g.fa");
    o.max_pvalue = 1e-3;
    o.per_sequence_max = max;
    std::string whole = scan(o, "whole.tsv");
    ASSERT_GT(std::count(whole.begin(), whole.end(), '\n'), max ? 6 : 100);
    for (int64_t chunk : {1000, 97, 8, 7, 1}) {
      for (int threads : {1, 3}) {
        o.chunk_size = chunk;
        o.threads = threads;
        EXPECT_EQ(scan(o, "chunked.tsv"), whole)
            << "chunk size " << chunk << ", " << threads << " threads" << (max ? ", per-sequence max" : "");
      }
    }
  }
}

TEST_F(ScanFiles, GenomeAndSequenceInputsAgreeAndHitsAreRight) {
  make_genome();
  ScanOptions g;
  g.genome = path("g.fa");
  g.max_pvalue = 1e-3;
  ScanOptions s = g;
  s.genome.clear();
  s.source.input = path("g.fa");
  std::string from_genome = scan(g, "g.tsv");
  EXPECT_EQ(scan(s, "s.tsv"), from_genome);
  // Every row: the matched sequence is the genome's bases there (reverse-complemented on '-'), the score
  // is the reference log-odds, and no matched window holds an N.
  std::istringstream rows(from_genome);
  std::string line;
  std::getline(rows, line);
  EXPECT_EQ(line, "motif_id\tmotif_name\tsequence\tstart\tend\tstrand\tscore\tp_value\tmatched_sequence");
  int n = 0, minus = 0;
  while (std::getline(rows, line)) {
    std::istringstream f(line);
    std::string id, name, chrom, strand, matched;
    int64_t start = 0, end = 0;
    double score = 0, p = 0;
    std::getline(f, id, '\t');
    std::getline(f, name, '\t');
    f >> chrom >> start >> end >> strand >> score >> p >> matched;
    const std::string& contig = genome_[chrom.back() - '1'];
    std::string window = contig.substr(static_cast<size_t>(start - 1), static_cast<size_t>(end - start + 1));
    if (strand == "-") encode::reverse_complement_in_place(window);
    ASSERT_EQ(matched, window) << line;
    ASSERT_EQ(window.find('N'), std::string::npos);
    ASSERT_LT(p, 1e-3);
    if (id == "M1") {
      EXPECT_NEAR(score, reference_score(test_motif(), window, '+'), 1e-4) << line;
    }
    ++n;
    minus += strand == "-";
  }
  EXPECT_GE(n, 100);
  EXPECT_GT(minus, 40);
}

TEST_F(ScanFiles, RegionsLimitTheScanAndKeepGenomeCoordinates) {
  make_genome();
  ScanOptions o;
  o.genome = path("g.fa");
  o.max_pvalue = 1e-3;
  o.format = ScanFormat::bed;
  std::string whole = scan(o, "all.bed");
  o.source.regions = {"chr2:1,001-2,500"};
  std::string part = scan(o, "part.bed");
  std::string expected;
  std::istringstream rows(whole);
  std::string line;
  while (std::getline(rows, line)) {
    std::istringstream f(line);
    std::string chrom;
    int64_t start = 0, end = 0;
    f >> chrom >> start >> end;
    if (chrom == "chr2" && start >= 1000 && end <= 2500) expected += line + "\n";
  }
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(part, expected);
}

TEST_F(ScanFiles, BackgroundsFromInputAndFiles) {
  write("s.fa", ">a\nAAAC\n>b\nGGNt\n");
  write_meme(path("m.meme"), {test_motif()});
  ScanOptions o;
  o.source.input = path("s.fa");
  o.background = "input";
  o.motifs = path("m.meme");
  o.output = path("o.tsv");
  ScanSummary sum = run_scan(o);
  // Both strands: A 3 + T 1, C 1 + G 2, so A = T = (3 + 1) / 14 and C = G = (1 + 2) / 14.
  EXPECT_DOUBLE_EQ(sum.background[0], 4.0 / 14);
  EXPECT_DOUBLE_EQ(sum.background[1], 3.0 / 14);
  EXPECT_DOUBLE_EQ(sum.background[3], 4.0 / 14);
  Background bg = read_background_file(write("bg.txt", "# order 0\nA 0.3\nC 0.2\nG 0.2\nT 0.3\nAA 0.09\n"));
  EXPECT_DOUBLE_EQ(bg[0], 0.3);
  EXPECT_DOUBLE_EQ(read_background_file(write("bg1.txt", "A 2 C 1 G 1 T 1\n"))[0], 0.4);
  EXPECT_THROW(read_background_file(write("bad.txt", "A 0.3\nC 0.2\nG 0.5\n")), FormatError);
  EXPECT_THROW(read_background_file(write("bad2.txt", "A 0.3 C x G 0.5 T 1\n")), FormatError);
}

TEST_F(ScanFiles, PerSequenceMaxTable) {
  write("s.fa", ">hit\nTTTTACGGTCATT\n>short\nACG\n>ns\nNNNNNNNNNN\n");
  write_meme(path("m.meme"), {test_motif()});
  ScanOptions o;
  o.source.input = path("s.fa");
  o.per_sequence_max = true;
  std::string out = scan(o, "max.tsv");
  std::istringstream rows(out);
  std::string header, hit, shortrow, ns;
  std::getline(rows, header);
  std::getline(rows, hit);
  std::getline(rows, shortrow);
  std::getline(rows, ns);
  EXPECT_EQ(header, "id\tscore\tp_value\tmotif_id\tmotif_name\tstart\tend\tstrand\tmatched_sequence");
  EXPECT_EQ(hit.substr(0, 4), "hit\t");
  EXPECT_NE(hit.find("\tM1\ttest\t5\t11\t+\tACGGTCA"), std::string::npos) << hit;
  EXPECT_NE(shortrow.find("\t1\tM1\ttest\tNA\tNA\tNA\tNA"), std::string::npos) << shortrow;
  EXPECT_EQ(ns.substr(0, 3), "ns\t");
}

TEST_F(ScanFiles, RejectsInconsistentOptions) {
  write("s.fa", ">a\nACGT\n");
  write_meme(path("m.meme"), {test_motif()});
  ScanOptions o;
  o.motifs = path("m.meme");
  o.output = path("x.bed");
  o.source.input = path("s.fa");
  o.per_sequence_max = true;
  EXPECT_THROW(run_scan(o), UsageError);  // a per-sequence table is not BED
  o.per_sequence_max = false;
  o.genome = path("s.fa");
  EXPECT_THROW(run_scan(o), UsageError);  // both sequences and --genome
  o.genome.clear();
  o.background = "motif";
  o.motifs = write("j.jaspar", ">J\n1\n2\n3\n4\n");
  EXPECT_THROW(run_scan(o), UsageError);  // a JASPAR file has no background
  o.background = "uniform";
  o.max_pvalue = 0;
  EXPECT_THROW(run_scan(o), UsageError);
  EXPECT_FALSE(fs::exists(path("x.bed")));
}

}  // namespace
}  // namespace seqdl::motif
