#include "nn/model_file.hpp"

#include "nn/archive_format.hpp"
#include "util/error.hpp"
#include "util/json_number.hpp"

namespace seqdl::nn {

bool is_seqdl_model(const std::string& path) { return has_magic(path, kModelMagic); }

ModelHeader parse_model_header(const nlohmann::json& header, const std::string& path) {
  ModelHeader h;
  try {
    h.spec = ArchSpec::from_json(header.at("spec"), path);
    // Checked kinds: a float (1e30) would convert to int64 with undefined behaviour.
    auto length = json_int64(header.at("input_length")), tasks = json_int64(header.at("tasks"));
    if (!length || !tasks) throw ModelError("{} has a corrupt header (input length or tasks not an integer)", path);
    h.input_length = *length;
    h.tasks = *tasks;
    h.metadata = header.at("metadata");
    if (header.contains("parameters")) h.parameters = json_int64(header["parameters"]).value_or(-1);
  } catch (const nlohmann::json::exception& e) {
    throw ModelError("{} has a corrupt header ({})", path, e.what());
  }
  if (h.input_length < 1 || h.tasks < 1) throw ModelError("{} has a corrupt header (input length or tasks < 1)", path);
  return h;
}

ModelHeader read_model_header(const std::string& path) {
  ArchiveReader reader(path, kModelMagic, "seqdl model");
  ModelHeader h = parse_model_header(reader.header(), path);
  reader.finish();
  h.file_bytes = reader.file_bytes();
  return h;
}

}  // namespace seqdl::nn
