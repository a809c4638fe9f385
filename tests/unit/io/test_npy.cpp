#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "io/npy.hpp"

namespace seqdl::io {
namespace {
class NpyTest : public test::TempDir {};
}

TEST_F(NpyTest, HeaderFollowsFormat10) {
  std::string h = npy_header(NpyType::float32, {3, 4, 5});
  EXPECT_EQ(h.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_EQ(h.size() % 64, 0u);
  EXPECT_EQ(h.back(), '\n');
  uint16_t len = static_cast<uint8_t>(h[8]) | (static_cast<uint8_t>(h[9]) << 8);
  EXPECT_EQ(len + 10u, h.size());
  EXPECT_NE(h.find("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4, 5), }"), std::string::npos);
  EXPECT_NE(npy_header(NpyType::uint8, {7}).find("'descr': '|u1'") , std::string::npos);
  EXPECT_NE(npy_header(NpyType::uint8, {7}).find("'shape': (7,)"), std::string::npos);
}

TEST_F(NpyTest, NumpyReadsWhatWeWrite) {
  SEQDL_TOOL_OR_SKIP("/usr/bin/python3 -c 'import numpy'");
  std::string p = path("x.npy");
  NpyWriter w(p, NpyType::float32, {2, 3});
  std::vector<float> rows{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  w.write_rows(rows.data(), 1);
  w.write_rows(rows.data() + 6, 1);
  w.finish();
  std::string out = test::run_command("/usr/bin/python3 -c \"import numpy as np; a = np.load('" + p +
                                      "'); print(a.shape, a.dtype, a.sum())\"");
  EXPECT_EQ(out, "(2, 2, 3) float32 66.0\n");
}

}  // namespace seqdl::io
