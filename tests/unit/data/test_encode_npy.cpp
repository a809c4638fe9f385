#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "data/encode_npy.hpp"
#include "util/error.hpp"

namespace seqdl::data {
namespace {
class EncodeNpyTest : public test::TempDir {};
}

TEST_F(EncodeNpyTest, DifferentLengthsNeedLength) {
  EncodeOptions opt;
  opt.source.input = test::fixture("tiny.fa");
  opt.output = path("x.npy");
  try {
    encode_to_npy(opt);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("'seq2' is 16 bp but the sequences before it are 14 bp"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(opt.output));
  EXPECT_FALSE(fs::exists(default_ids_path(opt.output)));
  opt.length = 12;
  EncodeSummary s = encode_to_npy(opt);
  EXPECT_EQ(s.sequences, 3);
  EXPECT_EQ(s.cropped, 2u);
  EXPECT_EQ(s.padded, 1u);
  EXPECT_TRUE(fs::exists(path("x.ids.txt")));
}

TEST_F(EncodeNpyTest, RejectsContradictoryOptions) {
  EncodeOptions opt;
  opt.source.input = test::fixture("tiny.fa");
  opt.output = path("x.npy");
  opt.dtype = io::NpyType::uint8;
  opt.unknown = encode::Unknown::uniform;
  EXPECT_THROW(encode_to_npy(opt), UsageError);
  opt.unknown = encode::Unknown::zero;
  opt.pad = 'Z';
  EXPECT_THROW(encode_to_npy(opt), UsageError);
}

TEST_F(EncodeNpyTest, IdsFileNames) {
  EXPECT_EQ(default_ids_path("a/x.npy"), "a/x.ids.txt");
  EXPECT_EQ(default_ids_path("x.bin"), "x.bin.ids.txt");
}

}  // namespace seqdl::data
