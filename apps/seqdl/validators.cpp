#include <charconv>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"

namespace seqdl::cli {

CLI::Validator integer_at_least(long long min) {
  return CLI::Validator(
      [min](std::string& value) -> std::string {
        long long v = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (value.empty() || ec != std::errc() || end != value.data() + value.size() || v < min) {
          return fmt::format("expected an integer >= {}, found '{}'", min, value);
        }
        return "";
      },
      fmt::format("INT>={}", min));
}

CLI::Validator number_in(double low, double high) {
  return CLI::Validator(
      [low, high](std::string& value) -> std::string {
        double v = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
        if (value.empty() || ec != std::errc() || end != value.data() + value.size() || v < low || v > high) {
          return fmt::format("expected a number in [{}, {}], found '{}'", low, high, value);
        }
        return "";
      },
      fmt::format("NUM in [{}, {}]", low, high));
}

}  // namespace seqdl::cli
