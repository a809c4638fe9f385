#include "nn/archive_format.hpp"

#include <zlib.h>

#include <cstring>
#include <limits>

#include "util/error.hpp"
#include "util/json_number.hpp"

namespace seqdl::nn {
namespace {

constexpr uint32_t kFormatVersion = 1;
constexpr uint64_t kMaxHeader = 256ull << 20;

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));  // little-endian, as every machine LibTorch runs on here
  out.append(bytes, sizeof(T));
}

template <class T>
T get(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

unsigned long crc_update(unsigned long crc, const char* data, uint64_t n) {
  return crc32_z(crc, reinterpret_cast<const Bytef*>(data), n);
}

ArchiveEntry parse_entry(const nlohmann::json& t, const std::string& path) {
  ArchiveEntry e;
  try {
    e.name = t.at("name").get<std::string>();
    e.dtype = t.at("dtype").get<std::string>();
    const nlohmann::json& shape = t.at("shape");
    if (!shape.is_array()) throw ModelError("{}: tensor '{}' has a shape that is not a list", path, e.name);
    for (const auto& d : shape) {
      auto n = json_int64(d);  // a float or a huge unsigned value would convert with undefined behaviour
      if (!n) throw ModelError("{}: tensor '{}' has a dimension that is not an integer ({})", path, e.name, d.dump());
      e.shape.push_back(*n);
    }
    auto bytes = json_uint64(t.at("bytes"));
    if (!bytes) throw ModelError("{}: tensor '{}' has a byte count that is not an integer >= 0", path, e.name);
    e.bytes = *bytes;
  } catch (const nlohmann::json::exception& ex) {
    throw ModelError("{} has a corrupt tensor table ({})", path, ex.what());
  }
  size_t size = dtype_size(e.dtype);
  if (size == 0) throw ModelError("{}: tensor '{}' has an unknown type '{}'", path, e.name, e.dtype);
  // Count the elements without overflow: a crafted shape must not wrap around to a small number.
  uint64_t elements = 1;
  for (int64_t d : e.shape) {
    if (d < 0) throw ModelError("{}: tensor '{}' has a negative dimension", path, e.name);
    if (d > 0 && elements > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d) / size) {
      throw ModelError("{}: tensor '{}' declares an impossible size", path, e.name);
    }
    elements *= static_cast<uint64_t>(d);
  }
  if (elements * size != e.bytes) {
    throw ModelError("{}: tensor '{}' has {} bytes for shape {}", path, e.name, e.bytes, nlohmann::json(e.shape).dump());
  }
  return e;
}

}  // namespace

uint64_t ArchiveEntry::elements() const {
  uint64_t n = 1;
  for (int64_t d : shape) n *= static_cast<uint64_t>(d);
  return n;
}

size_t dtype_size(std::string_view dtype) {
  if (dtype == "float32") return 4;
  if (dtype == "int64") return 8;
  if (dtype == "uint8") return 1;
  return 0;
}

bool has_magic(const std::string& path, const char (&magic)[9]) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, 8);
  return in.gcount() == 8 && std::memcmp(head, magic, 8) == 0;
}

ArchiveReader::ArchiveReader(const std::string& path, const char (&magic)[9], const std::string& what)
    : path_(path), in_(path, std::ios::binary) {
  if (!in_) throw InputError("cannot open {}: {}", path, errno_text(errno));
  in_.seekg(0, std::ios::end);
  file_bytes_ = static_cast<uint64_t>(in_.tellg());
  in_.seekg(0);
  char fixed[20];
  if (file_bytes_ < 8) throw ModelError("{} is not a {} file", path, what);
  in_.read(fixed, 8);
  if (std::memcmp(fixed, magic, 8) != 0) throw ModelError("{} is not a {} file", path, what);
  if (file_bytes_ < 24) throw ModelError("{} is truncated ({} bytes)", path, file_bytes_);
  in_.read(fixed + 8, 12);
  auto version = get<uint32_t>(fixed + 8);
  if (version != kFormatVersion) {
    throw ModelError("{} has format version {}; this seqdl reads version {}", path, version, kFormatVersion);
  }
  auto head_size = get<uint64_t>(fixed + 12);
  if (head_size > kMaxHeader || 20 + head_size + 4 > file_bytes_) {
    throw ModelError("{} is truncated or corrupt (a {}-byte header in a {}-byte file)", path, head_size, file_bytes_);
  }
  std::string json(head_size, '\0');
  read_exact(json.data(), head_size);
  crc_ = crc_update(crc_update(0, fixed, 20), json.data(), json.size());
  nlohmann::json table;
  try {
    header_ = nlohmann::json::parse(json);
    table = header_.at("tensors");
    header_.erase("tensors");
  } catch (const nlohmann::json::exception& e) {
    throw ModelError("{} has a corrupt header ({})", path, e.what());
  }
  if (!table.is_array()) throw ModelError("{} has a corrupt header (the tensor table is not a list)", path);
  uint64_t data_bytes = 0;
  for (const auto& t : table) {
    const ArchiveEntry& e = entries_.emplace_back(parse_entry(t, path));
    // Compared before adding: a crafted table must not wrap the sum around to the file's real size.
    if (e.bytes > file_bytes_ - data_bytes) {
      throw ModelError("{} is truncated or corrupt: its table needs {} bytes for tensor '{}' alone, the file has {}",
                       path, e.bytes, e.name, file_bytes_);
    }
    data_bytes += e.bytes;
  }
  uint64_t expected = 20 + head_size + data_bytes + 4;
  if (file_bytes_ != expected) {
    throw ModelError("{} is truncated or corrupt: its table needs {} bytes, the file has {}", path, expected, file_bytes_);
  }
}

void ArchiveReader::read_exact(char* out, uint64_t n) {
  in_.read(out, static_cast<std::streamsize>(n));
  if (static_cast<uint64_t>(in_.gcount()) != n) throw ModelError("{} is truncated", path_);
}

void ArchiveReader::read_next(char* out) {
  const ArchiveEntry& e = entries_.at(next_++);
  read_exact(out, e.bytes);
  crc_ = crc_update(crc_, out, e.bytes);
}

void ArchiveReader::finish() {
  std::vector<char> scratch;
  while (next_ < entries_.size()) {
    scratch.resize(entries_[next_].bytes);
    read_next(scratch.data());
  }
  char tail[4];
  read_exact(tail, 4);
  if (static_cast<uint32_t>(crc_) != get<uint32_t>(tail)) throw ModelError("{} is corrupt (checksum mismatch)", path_);
}

ArchiveWriter::ArchiveWriter(const std::string& path, const char (&magic)[9], const nlohmann::json& header,
                             const std::vector<ArchiveEntry>& entries)
    : file_(path) {
  nlohmann::json table = nlohmann::json::array();
  uint64_t offset = 0;
  for (const auto& e : entries) {
    table.push_back({{"name", e.name}, {"dtype", e.dtype}, {"shape", e.shape}, {"offset", offset}, {"bytes", e.bytes}});
    offset += e.bytes;
  }
  nlohmann::json full = header;
  full["tensors"] = table;
  std::string head(magic, 8);
  put<uint32_t>(head, kFormatVersion);
  std::string json = full.dump();
  put<uint64_t>(head, json.size());
  head += json;
  crc_ = crc_update(0, head.data(), head.size());
  file_.write(head);
}

void ArchiveWriter::write_next(const char* data, uint64_t bytes) {
  crc_ = crc_update(crc_, data, bytes);
  file_.write(std::string_view(data, bytes));
}

void ArchiveWriter::commit() {
  std::string tail;
  put<uint32_t>(tail, static_cast<uint32_t>(crc_));
  file_.write(tail);
  file_.commit();
}

}  // namespace seqdl::nn
