// The .seqdl model file, torch-free side (nn/archive_format, nn/model_file, nn/model_metadata): the container's
// magic, version, header JSON and tensor table, then the model header and `seqdl info`'s description. Selector
// bit 0 rewrites the last four bytes as the CRC-32 of the rest, so that the fuzzer reaches what only a file with
// a valid checksum reaches; bit 1 reads every entry's bytes through ArchiveReader.
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz_input.hpp"
#include "nn/archive_format.hpp"
#include "nn/model_file.hpp"
#include "nn/model_info.hpp"
#include "nn/model_metadata.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t mode = seqdl::fuzz::take_selector(data, size);
  std::vector<uint8_t> bytes(data, data + size);
  if ((mode & 1) && bytes.size() >= 4) {
    auto crc = static_cast<uint32_t>(crc32_z(0, bytes.data(), bytes.size() - 4));
    std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);
  }
  std::string path = seqdl::fuzz::write_input("model.seqdl", bytes.data(), bytes.size());
  try {
    if (mode & 2) {
      seqdl::nn::ArchiveReader reader(path, seqdl::nn::kModelMagic, "seqdl model");
      std::vector<char> buffer;
      for (const auto& entry : reader.entries()) {
        if (entry.bytes > bytes.size()) __builtin_trap();  // never more than the file holds
        buffer.resize(entry.bytes);
        reader.read_next(buffer.data());
      }
      reader.finish();
    }
    seqdl::nn::ModelHeader header = seqdl::nn::read_model_header(path);
    seqdl::nn::ModelInfo info;
    seqdl::nn::read_declared_info(header.metadata, path, info);
    (void)seqdl::nn::describe_model(header, path);
    (void)seqdl::nn::describe_model_json(header, path);
  } catch (const seqdl::Error&) {
  }
  return 0;
}
