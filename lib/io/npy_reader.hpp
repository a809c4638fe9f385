// NumPy .npy input (format versions 1, 2 and 3), memory-mapped: little-endian float32 ('<f4'), float64
// ('<f8'), uint8 ('|u1') or bool ('|b1') arrays in C order, read as float32. Only the pages a caller reads
// are loaded, so an array larger than memory can be read row by row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace seqdl::io {

enum class NpyDtype { float32, float64, uint8, boolean };

class NpyArray {
 public:
  // Opens and maps `path`. InputError if it cannot be opened; FormatError naming the file for a file that
  // is not .npy, a Fortran-order array, an unsupported dtype (e.g. big-endian, integers wider than a byte)
  // or a file shorter than its header says.
  explicit NpyArray(std::string path);
  ~NpyArray();
  NpyArray(const NpyArray&) = delete;
  NpyArray& operator=(const NpyArray&) = delete;

  const std::string& path() const { return path_; }
  const std::vector<int64_t>& shape() const { return shape_; }
  NpyDtype dtype() const { return dtype_; }
  int64_t elements() const { return elements_; }
  // The shape as numpy prints it: "(100, 4, 200)".
  std::string shape_text() const;

  // Copies `count` elements starting at element `offset` (C order) into `out`, converted to float.
  // Safe to call from several threads at once. std::out_of_range past the end.
  void read(int64_t offset, int64_t count, float* out) const;

 private:
  void check_mapped();  // the header and the size against the mapping

  std::string path_;
  std::vector<int64_t> shape_;
  NpyDtype dtype_ = NpyDtype::float32;
  int64_t elements_ = 0;
  const unsigned char* data_ = nullptr;  // the first element
  void* map_ = nullptr;
  size_t map_size_ = 0;
};

// The dictionary of an .npy header, parsed (exposed for tests): dtype, shape; FormatError naming `what`.
struct NpyHeader {
  NpyDtype dtype = NpyDtype::float32;
  std::vector<int64_t> shape;
};
NpyHeader parse_npy_header(const std::string& dict, const std::string& what);

}  // namespace seqdl::io
