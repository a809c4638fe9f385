// Architecture spec JSON through the public entry points (nn/spec: ArchSpec::from_json and load_arch), and the
// declared model metadata (nn/model_info: read_declared_info). A spec that loads must survive to_json and load
// again.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_input.hpp"
#include "nn/model_info.hpp"
#include "nn/spec.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = seqdl::fuzz::write_input("spec.json", data, size);
  try {
    seqdl::nn::ArchSpec spec = seqdl::nn::load_arch(path);
    seqdl::nn::ArchSpec again = seqdl::nn::ArchSpec::from_json(spec.to_json(), "round trip");
    if (again.layers != spec.layers || again.input_length != spec.input_length) __builtin_trap();
  } catch (const seqdl::Error&) {
  } catch (const nlohmann::json::out_of_range&) {
    // Known finding, reported to the lead (docs/hardening.md): load_arch catches only parse_error, so a number too
    // large for a double ("1e908") escapes as out_of_range.406. Tolerated here so that fuzzing goes on past it;
    // remove this catch once lib/nn/spec.cpp catches nlohmann::json::exception.
  }
  nlohmann::json j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) return 0;
  try {
    seqdl::nn::ModelInfo info;
    seqdl::nn::read_declared_info(j, "fuzz", info);
  } catch (const seqdl::Error&) {
  }
  return 0;
}
