#include "nn/tensor_archive.hpp"

#include <zlib.h>

#include <cstring>
#include <fstream>

#include "util/atomic_file.hpp"
#include "util/error.hpp"

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

std::string dtype_name(torch::ScalarType t) {
  switch (t) {
    case torch::kFloat32: return "float32";
    case torch::kInt64: return "int64";
    case torch::kUInt8: return "uint8";
    default: throw ModelError("cannot store a tensor of type {}", std::string(c10::toString(t)));
  }
}

torch::ScalarType dtype_of(const std::string& name, const std::string& where) {
  if (name == "float32") return torch::kFloat32;
  if (name == "int64") return torch::kInt64;
  if (name == "uint8") return torch::kUInt8;
  throw ModelError("{}: unknown tensor type '{}'", where, name);
}

}  // namespace

bool has_magic(const std::string& path, const char (&magic)[9]) {
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  in.read(head, 8);
  return in.gcount() == 8 && std::memcmp(head, magic, 8) == 0;
}

void write_archive(const std::string& path, const char (&magic)[9], const nlohmann::json& header,
                   const NamedTensors& tensors) {
  // Tensors are streamed to the file one by one (no copy of a whole model in memory), CRC-32 on the way.
  std::vector<torch::Tensor> contiguous;
  nlohmann::json table = nlohmann::json::array();
  uint64_t offset = 0;
  for (const auto& [name, value] : tensors) {
    torch::Tensor t = value.detach().contiguous().cpu();
    auto bytes = static_cast<uint64_t>(t.numel()) * t.element_size();
    table.push_back({{"name", name}, {"dtype", dtype_name(t.scalar_type())}, {"shape", t.sizes().vec()},
                     {"offset", offset}, {"bytes", bytes}});
    offset += bytes;
    contiguous.push_back(std::move(t));
  }
  nlohmann::json full = header;
  full["tensors"] = table;
  std::string head(magic, 8);
  put<uint32_t>(head, kFormatVersion);
  std::string json = full.dump();
  put<uint64_t>(head, json.size());
  head += json;
  AtomicFile file(path);
  uLong sum = crc32_z(0, reinterpret_cast<const Bytef*>(head.data()), head.size());
  file.write(head);
  for (const auto& t : contiguous) {
    const auto* data = static_cast<const char*>(t.data_ptr());
    auto bytes = static_cast<size_t>(t.numel()) * t.element_size();
    sum = crc32_z(sum, reinterpret_cast<const Bytef*>(data), bytes);
    file.write(std::string_view(data, bytes));
  }
  std::string tail;
  put<uint32_t>(tail, static_cast<uint32_t>(sum));
  file.write(tail);
  file.commit();
}

Archive read_archive(const std::string& path, const char (&magic)[9], const std::string& what, bool with_tensors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot open {}: {}", path, errno_text(errno));
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  auto read = [&](char* dst, uint64_t n) {
    in.read(dst, static_cast<std::streamsize>(n));
    if (static_cast<uint64_t>(in.gcount()) != n) throw ModelError("{} is truncated", path);
  };
  char fixed[20];
  if (file_size < 8) throw ModelError("{} is not a {} file", path, what);
  read(fixed, std::min<uint64_t>(20, file_size));
  if (std::memcmp(fixed, magic, 8) != 0) throw ModelError("{} is not a {} file", path, what);
  if (file_size < 24) throw ModelError("{} is truncated ({} bytes)", path, file_size);
  auto version = get<uint32_t>(fixed + 8);
  if (version != kFormatVersion) {
    throw ModelError("{} has format version {}; this seqdl reads version {}", path, version, kFormatVersion);
  }
  auto head_size = get<uint64_t>(fixed + 12);
  if (head_size > kMaxHeader || 20 + head_size + 4 > file_size) {
    throw ModelError("{} is truncated or corrupt (a {}-byte header in a {}-byte file)", path, head_size, file_size);
  }
  std::string json(head_size, '\0');
  read(json.data(), head_size);
  uLong sum = crc32_z(0, reinterpret_cast<const Bytef*>(fixed), 20);
  sum = crc32_z(sum, reinterpret_cast<const Bytef*>(json.data()), json.size());
  Archive a;
  nlohmann::json table;
  try {
    a.header = nlohmann::json::parse(json);
    table = a.header.at("tensors");
    a.header.erase("tensors");
  } catch (const nlohmann::json::exception& e) {
    throw ModelError("{} has a corrupt header ({})", path, e.what());
  }
  uint64_t data_bytes = 0;
  for (const auto& t : table) data_bytes += t.at("bytes").get<uint64_t>();
  uint64_t expected = 20 + head_size + data_bytes + 4;
  if (file_size != expected) {
    throw ModelError("{} is truncated or corrupt: expected {} bytes, found {}", path, expected, file_size);
  }
  a.bytes = file_size;
  // Tensors are read straight into their storage, in file order (offsets are consecutive).
  for (const auto& t : table) {
    std::vector<int64_t> shape = t.at("shape");
    auto tensor = torch::empty(shape, torch::TensorOptions().dtype(dtype_of(t.at("dtype"), path)));
    auto n = t.at("bytes").get<uint64_t>();
    if (n != static_cast<uint64_t>(tensor.numel()) * tensor.element_size()) {
      throw ModelError("{}: tensor '{}' has {} bytes for shape {}", path, t.at("name").get<std::string>(), n,
                       nlohmann::json(shape).dump());
    }
    read(static_cast<char*>(tensor.data_ptr()), n);
    sum = crc32_z(sum, static_cast<const Bytef*>(tensor.data_ptr()), n);
    if (with_tensors) a.tensors.emplace_back(t.at("name"), tensor);
  }
  char tail[4];
  read(tail, 4);
  if (static_cast<uint32_t>(sum) != get<uint32_t>(tail)) throw ModelError("{} is corrupt (checksum mismatch)", path);
  return a;
}

}  // namespace seqdl::nn
