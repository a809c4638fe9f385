// Numbers read from JSON that a user or another program wrote (model files, their metadata, specs). nlohmann's
// get<int64_t>() converts a float (1e30) or an unsigned value above 2^63 - 1 with undefined behaviour; these look
// at the value's kind first. Pure functions: safe from any thread.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>

namespace seqdl {

// The value when it is a JSON integer within int64's range; nullopt for a float, a string, 2^64 - 1, ...
inline std::optional<int64_t> json_int64(const nlohmann::json& v) {
  if (v.is_number_unsigned()) {
    auto u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  return std::nullopt;
}

// The value when it is a JSON integer >= 0.
inline std::optional<uint64_t> json_uint64(const nlohmann::json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
  return std::nullopt;
}

}  // namespace seqdl
