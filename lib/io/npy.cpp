#include "io/npy.hpp"

#include <cstdio>
#include <cstring>

#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace {
// Room for a first dimension of up to 19 digits, so the header can be rewritten in place.
constexpr size_t kReservedHeader = 128;
constexpr size_t kWriteBuffer = size_t{1} << 20;  // 1 MiB: many rows per write(2)
}

std::string npy_header(NpyType type, const std::vector<int64_t>& shape, size_t min_size) {
  std::string dims = join(shape, ", ", [](int64_t d) { return std::to_string(d); });
  if (shape.size() == 1) dims += ",";  // a Python 1-tuple: (n,)
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}",
                                 type == NpyType::float32 ? "<f4" : "|u1", dims);
  // magic (6) + version (2) + header length (2) + dict, padded with spaces to a multiple of 64, ending '\n'.
  size_t total = 10 + dict.size() + 1;
  size_t padded = std::max(min_size, (total + 63) / 64 * 64);
  dict.append(padded - total, ' ');
  dict += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  auto len = static_cast<uint16_t>(dict.size());
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>(len >> 8);
  return out + dict;
}

NpyWriter::NpyWriter(std::string path, NpyType type, std::vector<int64_t> row_shape)
    : buffer_(new char[kWriteBuffer]), out_(std::move(path)), type_(type), row_shape_(std::move(row_shape)) {
  if (out_.is_stdout()) throw UsageError(".npy output needs a file name, not '-'");
  std::setvbuf(out_.file(), buffer_.get(), _IOFBF, kWriteBuffer);
  row_bytes_ = type == NpyType::float32 ? 4 : 1;
  for (int64_t d : row_shape_) row_bytes_ *= d;
  std::string h = header(0);
  header_size_ = h.size();
  out_.write(h);
}

std::string NpyWriter::header(int64_t rows) const {
  std::vector<int64_t> shape{rows};
  shape.insert(shape.end(), row_shape_.begin(), row_shape_.end());
  return npy_header(type_, shape, std::max(kReservedHeader, header_size_));
}

void NpyWriter::write_rows(const void* data, int64_t count) {
  if (count <= 0) return;
  std::fwrite(data, 1, static_cast<size_t>(count * row_bytes_), out_.file());
  rows_ += count;
}

void NpyWriter::finish() {
  std::string h = header(rows_);
  if (h.size() != header_size_) throw std::logic_error("npy header grew past its reserved size");
  if (std::fseek(out_.file(), 0, SEEK_SET) != 0) throw InputError("cannot write {}: {}", out_.target(), errno_text(errno));
  out_.write(h);
  out_.commit();
}

}  // namespace seqdl::io
