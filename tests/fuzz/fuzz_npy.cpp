// NumPy .npy input (io/npy_reader): the header dictionary, then every element read back in rows.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "io/npy_reader.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = seqdl::fuzz::write_input("array.npy", data, size);
  try {
    seqdl::io::NpyArray array(path);
    if (array.elements() < 0) __builtin_trap();
    (void)array.shape_text();
    std::vector<float> row(256);
    for (int64_t at = 0; at < array.elements(); at += 256) {
      int64_t n = std::min<int64_t>(256, array.elements() - at);
      array.read(at, n, row.data());
    }
  } catch (const seqdl::Error&) {
  }
  try {
    (void)seqdl::io::parse_npy_header(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  } catch (const seqdl::Error&) {
  }
  return 0;
}
