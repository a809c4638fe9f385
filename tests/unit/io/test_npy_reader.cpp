// NpyArray: .npy files written by numpy (every supported dtype, format versions 1 and 2) read back as float32;
// malformed files rejected with messages naming the file.
#include <gtest/gtest.h>

#include "common/test_support.hpp"
#include "io/npy.hpp"
#include "io/npy_reader.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

class NpyReaderTest : public test::TempDir {};

std::vector<float> all(const NpyArray& a) {
  std::vector<float> v(static_cast<size_t>(a.elements()));
  a.read(0, a.elements(), v.data());
  return v;
}

}  // namespace

TEST_F(NpyReaderTest, ReadsWhatNpyWriterWrites) {
  NpyWriter w(path("x.npy"), NpyType::float32, {2, 3});
  std::vector<float> rows{0, 1.5f, 2, 3, 4, -5, 6, 7, 8, 9, 10, 11};
  w.write_rows(rows.data(), 2);
  w.finish();
  NpyArray a(path("x.npy"));
  EXPECT_EQ(a.shape(), (std::vector<int64_t>{2, 2, 3}));
  EXPECT_EQ(a.shape_text(), "(2, 2, 3)");
  EXPECT_EQ(a.dtype(), NpyDtype::float32);
  EXPECT_EQ(all(a), rows);
  std::vector<float> part(3);
  a.read(7, 3, part.data());
  EXPECT_EQ(part, (std::vector<float>{7, 8, 9}));
  EXPECT_THROW(a.read(10, 3, part.data()), std::out_of_range);
}

TEST_F(NpyReaderTest, ReadsNumpyDtypesAndVersions) {
  SEQDL_TOOL_OR_SKIP("/usr/bin/python3 -c 'import numpy'");
  test::run_command("cd " + dir_.string() + " && /usr/bin/python3 -c \"import numpy as np\n"
                    "a = np.arange(24).reshape(2, 3, 4)\n"
                    "np.save('f8.npy', a / 4.0)\n"
                    "np.save('u1.npy', a.astype(np.uint8))\n"
                    "np.save('b1.npy', a % 3 == 0)\n"
                    "np.lib.format.write_array(open('v2.npy', 'wb'), (a / 8).astype(np.float32), version=(2, 0))\n"
                    "np.save('fortran.npy', np.asfortranarray(a.astype(np.float32)))\n"
                    "np.save('i4.npy', a.astype(np.int32))\n"
                    "np.save('big.npy', a.astype('>f4'))\"");
  std::vector<float> f8 = all(NpyArray(path("f8.npy")));
  std::vector<float> u1 = all(NpyArray(path("u1.npy")));
  std::vector<float> b1 = all(NpyArray(path("b1.npy")));
  std::vector<float> v2 = all(NpyArray(path("v2.npy")));
  ASSERT_EQ(f8.size(), 24u);
  for (size_t i = 0; i < 24; ++i) {
    EXPECT_EQ(f8[i], static_cast<float>(i) / 4) << i;
    EXPECT_EQ(u1[i], static_cast<float>(i)) << i;
    EXPECT_EQ(b1[i], i % 3 == 0 ? 1.0f : 0.0f) << i;
    EXPECT_EQ(v2[i], static_cast<float>(i) / 8) << i;
  }
  EXPECT_EQ(NpyArray(path("v2.npy")).shape(), (std::vector<int64_t>{2, 3, 4}));
  auto rejects = [&](const std::string& name, const std::string& fragment) {
    try {
      NpyArray a(path(name));
      ADD_FAILURE() << name << " was accepted";
    } catch (const FormatError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  };
  rejects("fortran.npy", "Fortran-order");
  rejects("i4.npy", "unsupported .npy dtype '<i4'");
  rejects("big.npy", "unsupported .npy dtype '>f4'");
}

TEST_F(NpyReaderTest, RejectsWhatIsNotNpy) {
  write("text.npy", "id\tseq\nr1\tACGT\n");
  EXPECT_THROW(NpyArray(path("text.npy")), FormatError);
  std::string header = npy_header(NpyType::float32, {4, 4});
  write("short.npy", header + std::string(20, '\0'));  // 16 floats need 64 bytes
  try {
    NpyArray a(path("short.npy"));
    ADD_FAILURE() << "a truncated file was accepted";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  EXPECT_THROW(NpyArray(path("missing.npy")), InputError);
  EXPECT_THROW(NpyArray(dir_.string()), InputError);
}

// Shapes whose element or byte count overflows 64 bits wrapped around to a size the file seemed to hold (then
// read past the mapping, or asked for 2^55 rows); they are refused when the file is opened.
TEST_F(NpyReaderTest, ShapesThatOverflowAreRefused) {
  for (std::vector<int64_t> shape : {std::vector<int64_t>{int64_t{1} << 55, 4, 32},  // 2^62 floats: 2^64 bytes
                                     std::vector<int64_t>{int64_t{1} << 32, int64_t{1} << 32, 1},
                                     std::vector<int64_t>{int64_t{1} << 62, 4, 2}}) {
    write("big.npy", npy_header(NpyType::float32, shape) + std::string(512, '\0'));
    try {
      NpyArray a(path("big.npy"));
      ADD_FAILURE() << "accepted a shape of " << a.elements() << " elements";
    } catch (const FormatError& e) {
      EXPECT_NE(std::string(e.what()).find("declares an impossible size"), std::string::npos) << e.what();
    }
  }
  write("empty.npy", npy_header(NpyType::float32, {0, int64_t{1} << 62}));
  EXPECT_EQ(NpyArray(path("empty.npy")).elements(), 0);  // a zero dimension: no elements, whatever the others
}

TEST(NpyHeader, ParsesShapes) {
  NpyHeader h = parse_npy_header("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }", "x");
  EXPECT_EQ(h.shape, (std::vector<int64_t>{5}));
  h = parse_npy_header("{'descr': '|u1', 'fortran_order': False, 'shape': (), }", "x");
  EXPECT_TRUE(h.shape.empty());
  EXPECT_EQ(h.dtype, NpyDtype::uint8);
  EXPECT_THROW(parse_npy_header("{'fortran_order': False, 'shape': (5,), }", "x"), FormatError);
}

}  // namespace seqdl::io
