// Motif file formats: the same motifs read from MEME, JASPAR and TRANSFAC files agree; hand-written files
// of each variant; the writer round-trips; every malformed file is rejected naming its file and line.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "common/test_support.hpp"
#include "motif/motif_io.hpp"
#include "util/error.hpp"

namespace seqdl::motif {
namespace {

using test::TempDir;

std::map<std::string, const Motif*> by_id(const MotifFile& f) {
  std::map<std::string, const Motif*> out;
  for (const Motif& m : f.motifs) out[m.id] = &m;
  return out;
}

// Every motif of `a` is in `b` with the same name, width, nsites and probabilities within `tol`.
void expect_same_motifs(const MotifFile& a, const MotifFile& b, double tol) {
  ASSERT_EQ(a.motifs.size(), b.motifs.size());
  auto index = by_id(b);
  for (const Motif& m : a.motifs) {
    ASSERT_TRUE(index.count(m.id)) << m.id;
    const Motif& o = *index[m.id];
    EXPECT_EQ(m.name, o.name) << m.id;
    ASSERT_EQ(m.width(), o.width()) << m.id;
    ASSERT_TRUE(m.nsites && o.nsites) << m.id;
    EXPECT_NEAR(*m.nsites, *o.nsites, 0.5) << m.id;
    for (size_t i = 0; i < m.width(); ++i) {
      for (int c = 0; c < 4; ++c) ASSERT_NEAR(m.rows[i][c], o.rows[i][c], tol) << m.id << " position " << i;
    }
  }
}

TEST(MotifFormats, Jaspar2020IsTheSameInAllThreeFormats) {
  SEQDL_SHARED_OR_SKIP(meme, "jaspar_meme/JASPAR2020_CORE_vertebrates_non-redundant.meme");
  SEQDL_SHARED_OR_SKIP(jaspar, "jaspar_meme/JASPAR2020_CORE_vertebrates_non-redundant_pfms_jaspar.txt");
  SEQDL_SHARED_OR_SKIP(transfac, "jaspar_meme/JASPAR2020_CORE_vertebrates_non-redundant_pfms_transfac.tf");
  MotifFile m = read_motifs(meme), j = read_motifs(jaspar), t = read_motifs(transfac);
  EXPECT_EQ(m.format, MotifFormat::meme);
  EXPECT_EQ(j.format, MotifFormat::jaspar);
  EXPECT_EQ(t.format, MotifFormat::transfac);
  EXPECT_EQ(m.motifs.size(), 746u);
  // JASPAR and TRANSFAC hold the same counts: identical probabilities. MEME rounds them to 6 decimals.
  expect_same_motifs(j, t, 1e-12);
  expect_same_motifs(j, m, 2e-6);
  ASSERT_TRUE(m.background);
  for (double v : *m.background) EXPECT_DOUBLE_EQ(v, 0.25);
}

TEST(MotifFormats, Jaspar2024AndHocomocoAgreeAcrossFormats) {
  SEQDL_SHARED_OR_SKIP(j24, "jaspar_meme/JASPAR2024_CORE_vertebrates_non-redundant_pfms_jaspar.txt");
  SEQDL_SHARED_OR_SKIP(t24, "jaspar_meme/JASPAR2024_CORE_vertebrates_non-redundant_pfms_transfac.txt");
  SEQDL_SHARED_OR_SKIP(m24, "jaspar_meme/JASPAR2024_CORE_vertebrates_non-redundant.meme");
  SEQDL_SHARED_OR_SKIP(hm, "jaspar_meme/HOCOMOCO_v12_CORE.meme");
  SEQDL_SHARED_OR_SKIP(ht, "jaspar_meme/HOCOMOCO_v12_2023-09_transfac.tf");
  MotifFile j = read_motifs(j24), t = read_motifs(t24);
  expect_same_motifs(j, t, 1e-12);
  expect_same_motifs(t, read_motifs(m24), 2e-6);
  MotifFile hocomoco = read_motifs(ht);
  EXPECT_EQ(hocomoco.motifs.size(), 1443u);  // the file's leading "VV ... //" record holds no matrix
  EXPECT_EQ(hocomoco.motifs[0].id, "M10000");
  EXPECT_EQ(hocomoco.motifs[0].name, "AHR.H12CORE.0.P.B");
  expect_same_motifs(hocomoco, read_motifs(hm), 2e-6);
}

TEST(MotifFormats, CtcfCountsBecomeProbabilitiesWithoutPseudocount) {
  SEQDL_SHARED_OR_SKIP(jaspar, "jaspar_meme/JASPAR2020_CORE_vertebrates_non-redundant_pfms_jaspar.txt");
  MotifFile f = read_motifs(jaspar);
  const Motif& ctcf = *by_id(f)["MA0139.1"];
  EXPECT_EQ(ctcf.name, "CTCF");
  ASSERT_EQ(ctcf.width(), 19u);
  // Column 1 of the JASPAR file: A 87, C 291, G 76, T 459 (913 sites); column 10: A 5, C 0, G 903, T 3.
  EXPECT_DOUBLE_EQ(ctcf.rows[0][0], 87.0 / 913);
  EXPECT_DOUBLE_EQ(ctcf.rows[0][3], 459.0 / 913);
  EXPECT_DOUBLE_EQ(ctcf.rows[9][1], 0.0);
  EXPECT_DOUBLE_EQ(ctcf.rows[9][2], 903.0 / 911);
  EXPECT_DOUBLE_EQ(*ctcf.nsites, 913);
}

class MotifFiles : public TempDir {};

TEST_F(MotifFiles, FullMemeOutputReadsTheProbabilityMatricesAndBackground) {
  std::string text =
      "********************************************************************************\n"
      "MEME - Motif discovery tool\n"
      "MEME version 5.5.0 (Release date: Wed Sep 7 2022)\n"
      "ALPHABET= ACGT\n"
      "Background letter frequencies (from file `bg.txt'):\n"
      "A 0.30000 C 0.20000 G 0.20000 T 0.30000 \n"
      "MOTIF GATAAG MEME-1\twidth =   3  sites =  12  llr = 95  E-value = 2.1e-005\n"
      "\tMotif GATAAG MEME-1 position-specific scoring matrix\n"
      "log-odds matrix: alength= 4 w= 3 n= 1000 bayes= 5.2 E= 2.1e-005 \n"
      "  -10  -10  200  -10\n  200  -10  -10  -10\n  -10  -10  -10  200\n"
      "\tMotif GATAAG MEME-1 position-specific probability matrix\n"
      "letter-probability matrix: alength= 4 w= 3 nsites= 12 E= 2.1e-005 \n"
      "  0.000000  0.000000  1.000000  0.000000 \n"
      "  0.916667  0.000000  0.083333  0.000000 \n"
      "  0.000000  0.000000  0.000000  1.000000 \n"
      "Time  0.01 secs.\n"
      "MOTIF 2 width = 2 sites = 3\n"
      "letter-probability matrix: alength= 4 w= 2 nsites= 3 E= 1\n"
      "0.25 0.25 0.25 0.25\n0.5 0.5 0 0\n";
  MotifFile f = read_motifs(write("meme.txt", text));
  ASSERT_EQ(f.motifs.size(), 2u);
  EXPECT_EQ(f.motifs[0].id, "GATAAG");
  EXPECT_EQ(f.motifs[0].name, "MEME-1");
  EXPECT_DOUBLE_EQ(*f.motifs[0].nsites, 12);
  EXPECT_DOUBLE_EQ(f.motifs[0].rows[1][0], 0.916667 / (0.916667 + 0.083333));
  EXPECT_EQ(f.motifs[1].id, "2");
  EXPECT_EQ(f.motifs[1].name, "");  // "width = 2" is not a name
  ASSERT_TRUE(f.background);
  EXPECT_DOUBLE_EQ((*f.background)[0], 0.3);
  EXPECT_DOUBLE_EQ((*f.background)[1], 0.2);
}

TEST_F(MotifFiles, JasparVariantsAndBareMatrices) {
  MotifFile brackets = read_motifs(write("a.jaspar", ">X1 some name\nA [ 1 0 ]\nC [2 0 ]\nG [ 0 3]\nT [ 1 1 ]\n"));
  MotifFile bare = read_motifs(write("b.jaspar", ">X1\tsome name\n\nA 1 0\nC 2 0\nG 0 3\nT 1 1\n"));
  MotifFile reordered = read_motifs(write("c.jaspar", ">X1 some name\nT 1 1\nG 0 3\nC 2 0\nA 1 0\n"));
  MotifFile pfm = read_motifs(write("X1.pfm", "1 0\n2 0\n0 3\n1 1\n"));
  for (const MotifFile* f : {&brackets, &bare, &reordered, &pfm}) {
    ASSERT_EQ(f->motifs.size(), 1u);
    const Motif& m = f->motifs[0];
    EXPECT_EQ(m.id, "X1");
    EXPECT_EQ(m.name, f == &pfm ? "" : "some name");
    EXPECT_DOUBLE_EQ(m.rows[0][0], 0.25);
    EXPECT_DOUBLE_EQ(m.rows[0][1], 0.5);
    EXPECT_DOUBLE_EQ(m.rows[1][2], 0.75);
    EXPECT_DOUBLE_EQ(m.rows[1][3], 0.25);
  }
}

TEST_F(MotifFiles, TransfacHeaderOrderAndConsensusColumn) {
  MotifFile f = read_motifs(write("t.tf",
                                  "VV  test\nXX\n//\nAC  M1\nXX\nID  ONE\nXX\nP0      T      G      C      A\n"
                                  "01      1      0      0      3      A\n02 0 2 2 0 S\nXX\n//\nID  TWO\nPO A C G T\n01 1 1 1 1\n"));
  ASSERT_EQ(f.motifs.size(), 2u);
  EXPECT_EQ(f.motifs[0].id, "M1");
  EXPECT_EQ(f.motifs[0].name, "ONE");
  EXPECT_DOUBLE_EQ(f.motifs[0].rows[0][0], 0.75);  // the A column is the last one here
  EXPECT_DOUBLE_EQ(f.motifs[0].rows[0][3], 0.25);
  EXPECT_DOUBLE_EQ(f.motifs[0].rows[1][1], 0.5);
  EXPECT_EQ(f.motifs[1].id, "TWO");  // no AC: the ID is the id; a last record without "//" counts
  EXPECT_EQ(f.motifs[1].name, "");
}

TEST_F(MotifFiles, WriterRoundTrips) {
  Motif a = from_consensus("CTCF_like", "CTCF like", "CCGCGNGGNGGCAG");
  a.nsites = 100;
  Motif b = from_counts("B", "", {{1, 2, 3, 4}, {4, 0, 0, 1}}, "test");
  Background bg = {0.3, 0.2, 0.2, 0.3};
  std::string out = path("out.meme");
  write_meme(out, {a, b}, bg);
  MotifFile f = read_motifs(out);
  ASSERT_EQ(f.motifs.size(), 2u);
  EXPECT_EQ(f.motifs[0].id, "CTCF_like");
  EXPECT_EQ(f.motifs[0].name, "CTCF_like");  // whitespace in names becomes '_'
  EXPECT_DOUBLE_EQ(*f.motifs[0].nsites, 100);
  EXPECT_DOUBLE_EQ(*f.motifs[1].nsites, 10);
  for (size_t k = 0; k < 2; ++k) {
    const Motif& in = k == 0 ? a : b;
    for (size_t i = 0; i < in.width(); ++i) {
      for (int c = 0; c < 4; ++c) EXPECT_NEAR(f.motifs[k].rows[i][c], in.rows[i][c], 1e-6);
    }
  }
  ASSERT_TRUE(f.background);
  EXPECT_NEAR((*f.background)[0], 0.3, 1e-9);
  std::string text = format_meme({b});
  EXPECT_NE(text.find("letter-probability matrix: alength= 4 w= 2 nsites= 10 E= 0\n"), std::string::npos);
  EXPECT_NE(text.find("ALPHABET= ACGT"), std::string::npos);
  EXPECT_NE(text.find("strands: + -"), std::string::npos);
}

TEST_F(MotifFiles, SelectsMotifsByIdOrName) {
  MotifFile f = read_motifs(write("s.jaspar", ">A1 alpha\n1\n1\n1\n1\n>B2 beta\n1\n0\n0\n0\n"));
  auto picked = select_motifs(f, {"beta"}, "--motif");
  ASSERT_EQ(picked.size(), 1u);
  EXPECT_EQ(picked[0].id, "B2");
  EXPECT_EQ(select_motifs(f, {}, "--motif").size(), 2u);
  try {
    select_motifs(f, {"gamma"}, "--motif");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--motif: no motif with id or name 'gamma'"), std::string::npos) << e.what();
  }
}

// Each malformed file: a FormatError whose message starts with "file:line:" and says what is wrong.
TEST_F(MotifFiles, MalformedFilesNameFileAndLine) {
  const std::string meme = "MEME version 4\n\nALPHABET= ACGT\n\nMOTIF m1 one\n";
  struct Case {
    std::string name, content, expected;  // expected: text after the file name, e.g. ":7: expected 4"
  } cases[] = {
      {"three.meme", meme + "letter-probability matrix: alength= 4 w= 2\n0.25 0.25 0.5\n0.25 0.25 0.25 0.25\n",
       ":7: expected 4 probabilities (A C G T), found 3 values"},
      {"sum.meme", meme + "letter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5 0.5\n", ":7: the probabilities sum to 2"},
      {"neg.meme", meme + "letter-probability matrix: alength= 4 w= 1\n-0.5 0.5 0.5 0.5\n", ":7: expected a probability >= 0"},
      {"short.meme", meme + "letter-probability matrix: alength= 4 w= 3\n0.25 0.25 0.25 0.25\nMOTIF m2\n",
       ":8: motif 'm1' (matrix at line 6) has 1 rows of probabilities, expected 3"},
      {"nomatrix.meme", meme + "\nMOTIF m2\nletter-probability matrix: w= 1\n1 0 0 0\n", ":5: motif 'm1' has no letter-probability matrix"},
      {"protein.meme", "MEME version 4\nALPHABET= ACDEFGHIKLMNPQRSTVWY\n", ":2: alphabet 'ACDEFGHIKLMNPQRSTVWY' is not DNA"},
      {"alength.meme", meme + "letter-probability matrix: alength= 20 w= 1\n", ":6: alength= 20"},
      {"bg.meme", "MEME version 4\nBackground letter frequencies\nA 0.5 C 0.5 X 0.1 T 0.2\n", ":3: expected background frequencies"},
      {"empty.meme", "MEME version 4\n\nALPHABET= ACGT\n", ": no motifs found"},
      {"rows.jaspar", ">J1 x\nA [ 1 2 ]\nC [ 1 2 ]\nG [ 1 2 ]\n>J2 y\nA 1\nC 1\nG 1\nT 1\n", ":1: motif 'J1' has 3 count rows, expected 4"},
      {"ragged.jaspar", ">J1 x\nA [ 1 2 ]\nC [ 1 2 3 ]\n", ":3: the C row of motif 'J1' has 3 counts, the rows before it 2"},
      {"word.jaspar", ">J1 x\nA [ 1 two ]\n", ":2: expected a count >= 0, found 'two'"},
      {"twice.jaspar", ">J1 x\nA [ 1 ]\nA [ 1 ]\n", ":3: motif 'J1' has more than one A row"},
      {"zero.jaspar", ">J1 x\nA 1 0\nC 1 0\nG 1 0\nT 1 0\n", ":1: motif 'J1' position 2 has no counts"},
      {"row.tf", "AC M1\nXX\n01 1 2 3 4\n", ":3: a matrix row outside a matrix"},
      {"header.tf", "AC M1\nP0 A C G U X\n", ":2: expected the matrix header 'P0 A C G T', found 5 columns"},
      {"count.tf", "AC M1\nP0 A C G T\n01 1 2 x 4\n", ":3: expected a count >= 0, found 'x'"},
      {"fewer.tf", "AC M1\nP0 A C G T\n01 1 2 3\n", ":3: expected a position and 4 counts, found 3 counts"},
      {"norows.tf", "AC M1\nP0 A C G T\nXX\n//\n", ":2: the matrix has no rows"},
      {"junk.tf", "AC M1\nhello world\n", ":2: expected a TRANSFAC line"},
      {"text.txt", "hello\nworld\n", ": not a motif file"},
      {"blank.meme", "\n\n", ": the file is empty"},
  };
  for (const Case& c : cases) {
    std::string p = write(c.name, c.content);
    try {
      read_motifs(p);
      ADD_FAILURE() << c.name << " was accepted";
    } catch (const FormatError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(p + c.expected, 0), 0u) << c.name << ": " << e.what();
    }
  }
  EXPECT_THROW(read_motifs(path("missing.meme")), InputError);
}

// data/motifs.meme is documented as from_consensus(id, consensus, 0.85) with the consensus as the name.
TEST(MotifFormats, ExampleMotifsFollowTheirConsensus) {
  MotifFile f = read_motifs(std::string(SEQDL_SOURCE_DIR) + "/data/motifs.meme");
  ASSERT_EQ(f.motifs.size(), 4u);
  for (const Motif& m : f.motifs) {
    Motif expected = from_consensus(m.id, m.name, m.name, 0.85);
    ASSERT_EQ(m.width(), expected.width()) << m.id;
    for (size_t i = 0; i < m.width(); ++i) {
      for (int c = 0; c < 4; ++c) EXPECT_NEAR(m.rows[i][c], expected.rows[i][c], 1e-6) << m.id;
    }
    EXPECT_EQ(consensus(m), m.name);
  }
}

TEST(MotifUtilities, InformationContentByHand) {
  EXPECT_DOUBLE_EQ(information_content(Column{1, 0, 0, 0}), 2.0);
  EXPECT_DOUBLE_EQ(information_content(Column{0.5, 0.5, 0, 0}), 1.0);
  EXPECT_DOUBLE_EQ(information_content(Column{0.25, 0.25, 0.25, 0.25}), 0.0);
  Background bg = {0.3, 0.2, 0.2, 0.3};
  EXPECT_DOUBLE_EQ(information_content(Column{1, 0, 0, 0}, bg), std::log2(1 / 0.3));
  // 0.5 log2(0.5/0.3) + 0.5 log2(0.5/0.2)
  EXPECT_NEAR(information_content(Column{0.5, 0.5, 0, 0}, bg), 0.5 * std::log2(0.5 / 0.3) + 0.5 * std::log2(2.5), 1e-15);
  Motif m = from_consensus("m", "", "ANW");
  auto ic = information_content(m);
  ASSERT_EQ(ic.size(), 3u);
  EXPECT_NEAR(ic[0], 0.85 * std::log2(0.85 / 0.25) + 3 * 0.05 * std::log2(0.05 / 0.25), 1e-12);
  EXPECT_NEAR(ic[1], 0.0, 1e-15);
  EXPECT_NEAR(total_information_content(m), ic[0] + ic[2], 1e-12);
}

TEST(MotifUtilities, ConsensusReverseComplementAndTrim) {
  for (std::string c : {"CCGCGNGGNGGCAG", "WGATAR", "CACGTG", "TGASTCA", "MKRYSW"}) {
    EXPECT_EQ(consensus(from_consensus("m", "", c)), c);
  }
  Motif m = from_counts("m", "n", {{8, 1, 1, 0}, {0, 0, 4, 6}, {5, 5, 0, 0}}, "test");
  EXPECT_EQ(consensus(m), "AKM");  // A (0.8 > 2 x 0.1); G+T = 1.0; A+C = 1.0
  Motif rc = reverse_complement(m);
  ASSERT_EQ(rc.width(), 3u);
  // Last position (A .5 C .5) complemented: T .5 G .5, first.
  EXPECT_DOUBLE_EQ(rc.rows[0][3], 0.5);
  EXPECT_DOUBLE_EQ(rc.rows[0][2], 0.5);
  EXPECT_DOUBLE_EQ(rc.rows[2][3], 0.8);  // A .8 at the first position becomes T .8 at the last
  EXPECT_EQ(consensus(rc), "KMT");
  EXPECT_EQ(reverse_complement(rc).rows, m.rows);
  EXPECT_EQ(rc.id, "m");
  Motif flanked = from_consensus("f", "", "NNCACGTGNN");
  Motif trimmed = trim(flanked, 0.5);
  EXPECT_EQ(consensus(trimmed), "CACGTG");
  EXPECT_EQ(trim(from_consensus("n", "", "NNN"), 0.5).width(), 0u);
  EXPECT_THROW(from_consensus("x", "", "ACZ"), UsageError);
}

}  // namespace
}  // namespace seqdl::motif
