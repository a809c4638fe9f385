#include "io/npy_reader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace {

size_t dtype_size(NpyDtype t) { return t == NpyDtype::float32 ? 4 : t == NpyDtype::float64 ? 8 : 1; }

// The quoted value after 'key': in a header dict, e.g. "'<f4'" for descr.
std::string_view value_after(std::string_view dict, std::string_view key, const std::string& what) {
  size_t k = dict.find(fmt::format("'{}'", key));
  if (k == std::string_view::npos) throw FormatError("{}: not a NumPy .npy file: its header has no '{}'", what, key);
  size_t colon = dict.find(':', k);
  if (colon == std::string_view::npos) throw FormatError("{}: malformed .npy header", what);
  return trim(dict.substr(colon + 1));
}

}  // namespace

NpyHeader parse_npy_header(const std::string& dict, const std::string& what) {
  NpyHeader h;
  std::string_view descr = value_after(dict, "descr", what);
  if (descr.size() < 2 || (descr[0] != '\'' && descr[0] != '"')) throw FormatError("{}: malformed .npy dtype", what);
  std::string_view type = descr.substr(1, descr.find(descr[0], 1) - 1);
  if (type == "<f4") h.dtype = NpyDtype::float32;
  else if (type == "<f8") h.dtype = NpyDtype::float64;
  else if (type == "|u1" || type == "<u1") h.dtype = NpyDtype::uint8;
  else if (type == "|b1") h.dtype = NpyDtype::boolean;
  else throw FormatError("{}: unsupported .npy dtype '{}' (expected float32 '<f4', float64 '<f8', uint8 or bool)", what, type);
  std::string_view order = value_after(dict, "fortran_order", what);
  if (order.starts_with("True")) throw FormatError("{}: Fortran-order .npy arrays are not supported (save with C order)", what);
  std::string_view shape = value_after(dict, "shape", what);
  size_t close = shape.find(')');
  if (shape.empty() || shape[0] != '(' || close == std::string_view::npos) throw FormatError("{}: malformed .npy shape", what);
  for (std::string_view part : split(shape.substr(1, close - 1), ',')) {
    part = trim(part);
    if (part.empty()) continue;  // "(5,)"
    int64_t d = parse_int(part, what + ": shape");
    if (d < 0) throw FormatError("{}: negative dimension in .npy shape", what);
    h.shape.push_back(d);
  }
  return h;
}

NpyArray::NpyArray(std::string path) : path_(std::move(path)) {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw InputError("cannot open {}: {}", path_, errno_text(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw InputError("cannot read {}: not a regular file", path_);
  }
  map_size_ = static_cast<size_t>(st.st_size);
  if (map_size_ < 10) {
    ::close(fd);
    throw FormatError("{}: not a NumPy .npy file (too short)", path_);
  }
  map_ = ::mmap(nullptr, map_size_, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map_ == MAP_FAILED) {
    map_ = nullptr;
    throw InputError("cannot map {}: {}", path_, errno_text(errno));
  }
  try {
    check_mapped();
  } catch (...) {
    ::munmap(map_, map_size_);  // the destructor does not run for a constructor that throws
    map_ = nullptr;
    throw;
  }
}

void NpyArray::check_mapped() {
  const auto* bytes = static_cast<const unsigned char*>(map_);
  if (std::memcmp(bytes, "\x93NUMPY", 6) != 0) throw FormatError("{}: not a NumPy .npy file (no \\x93NUMPY magic)", path_);
  int major = bytes[6];
  size_t header_len = 0, prefix = 0;
  if (major == 1) {
    header_len = bytes[8] | (static_cast<size_t>(bytes[9]) << 8);
    prefix = 10;
  } else if (major == 2 || major == 3) {
    if (map_size_ < 12) throw FormatError("{}: truncated .npy header", path_);
    header_len = bytes[8] | (static_cast<size_t>(bytes[9]) << 8) | (static_cast<size_t>(bytes[10]) << 16) |
                 (static_cast<size_t>(bytes[11]) << 24);
    prefix = 12;
  } else {
    throw FormatError("{}: unsupported .npy format version {}", path_, major);
  }
  if (prefix + header_len > map_size_) throw FormatError("{}: truncated .npy header", path_);
  NpyHeader h = parse_npy_header(std::string(reinterpret_cast<const char*>(bytes + prefix), header_len), path_);
  dtype_ = h.dtype;
  shape_ = h.shape;
  // Counted without overflow: a crafted shape must not wrap around to a size the file seems to hold.
  uint64_t elements = 1, need = 0;
  bool overflow = false;
  if (std::find(shape_.begin(), shape_.end(), 0) != shape_.end()) {
    elements = 0;
  } else {
    for (int64_t d : shape_) overflow = overflow || __builtin_mul_overflow(elements, static_cast<uint64_t>(d), &elements);
  }
  overflow = overflow || __builtin_mul_overflow(elements, static_cast<uint64_t>(dtype_size(dtype_)), &need) ||
             __builtin_add_overflow(need, static_cast<uint64_t>(prefix + header_len), &need);
  if (overflow) throw FormatError("{}: its shape {} declares an impossible size", path_, shape_text());
  if (need > map_size_) {
    throw FormatError("{}: truncated: its shape {} needs {} bytes, the file has {}", path_, shape_text(), need, map_size_);
  }
  elements_ = static_cast<int64_t>(elements);  // at most the file's size
  data_ = bytes + prefix + header_len;
}

NpyArray::~NpyArray() {
  if (map_) ::munmap(map_, map_size_);
}

std::string NpyArray::shape_text() const {
  std::string s = "(";
  for (size_t i = 0; i < shape_.size(); ++i) s += fmt::format("{}{}", i ? ", " : "", shape_[i]);
  return s + (shape_.size() == 1 ? ",)" : ")");
}

void NpyArray::read(int64_t offset, int64_t count, float* out) const {
  if (offset < 0 || count < 0 || offset + count > elements_) throw std::out_of_range("NpyArray::read past the end");
  const unsigned char* p = data_ + static_cast<size_t>(offset) * dtype_size(dtype_);
  switch (dtype_) {
    case NpyDtype::float32:
      std::memcpy(out, p, static_cast<size_t>(count) * 4);  // little-endian host (x86-64, aarch64)
      break;
    case NpyDtype::float64:
      for (int64_t i = 0; i < count; ++i) {
        double v;
        std::memcpy(&v, p + 8 * i, 8);
        out[i] = static_cast<float>(v);
      }
      break;
    case NpyDtype::uint8:
    case NpyDtype::boolean:
      for (int64_t i = 0; i < count; ++i) out[i] = static_cast<float>(p[i]);
      break;
  }
}

}  // namespace seqdl::io
