#include "nn/tensor_archive.hpp"

#include "util/error.hpp"

namespace seqdl::nn {
namespace {

std::string dtype_name(torch::ScalarType t) {
  switch (t) {
    case torch::kFloat32: return "float32";
    case torch::kInt64: return "int64";
    case torch::kUInt8: return "uint8";
    default: throw ModelError("cannot store a tensor of type {}", std::string(c10::toString(t)));
  }
}

torch::ScalarType dtype_of(const std::string& name) {
  if (name == "int64") return torch::kInt64;
  if (name == "uint8") return torch::kUInt8;
  return torch::kFloat32;  // ArchiveReader accepts no other type
}

}  // namespace

void write_archive(const std::string& path, const char (&magic)[9], const nlohmann::json& header,
                   const NamedTensors& tensors) {
  // Tensors are streamed to the file one by one (no copy of a whole model in memory).
  std::vector<torch::Tensor> contiguous;
  std::vector<ArchiveEntry> entries;
  for (const auto& [name, value] : tensors) {
    torch::Tensor t = value.detach().contiguous().cpu();
    entries.push_back({name, dtype_name(t.scalar_type()), t.sizes().vec(),
                       static_cast<uint64_t>(t.numel()) * t.element_size()});
    contiguous.push_back(std::move(t));
  }
  ArchiveWriter writer(path, magic, header, entries);
  for (size_t i = 0; i < contiguous.size(); ++i) {
    writer.write_next(static_cast<const char*>(contiguous[i].data_ptr()), entries[i].bytes);
  }
  writer.commit();
}

Archive read_archive(const std::string& path, const char (&magic)[9], const std::string& what) {
  ArchiveReader reader(path, magic, what);
  Archive a;
  a.header = reader.header();
  a.bytes = reader.file_bytes();
  // Every size was checked against the file's size by the reader, so these allocations are bounded by it.
  for (const auto& e : reader.entries()) {
    auto tensor = torch::empty(e.shape, torch::TensorOptions().dtype(dtype_of(e.dtype)));
    reader.read_next(static_cast<char*>(tensor.data_ptr()));
    a.tensors.emplace_back(e.name, tensor);
  }
  reader.finish();
  return a;
}

}  // namespace seqdl::nn
