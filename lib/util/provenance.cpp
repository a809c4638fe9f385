#include "util/provenance.hpp"

#include <ctime>

#include "util/version.hpp"

namespace seqdl {

Provenance& run_provenance() {
  static Provenance p = [] {
    Provenance init;
    init.versions["seqdl"] = kVersion;
    init.started = utc_now();
    return init;
  }();
  return p;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Provenance::command_line() const {
  std::string out;
  for (const auto& arg : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                       "0123456789-_./=:,+@%") == std::string::npos;
    if (plain) {
      out += arg;
    } else {
      out += '\'';
      for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      out += '\'';
    }
  }
  return out;
}

nlohmann::json Provenance::to_json() const {
  return nlohmann::json{{"command", command}, {"command_line", command_line()}, {"options", options},
                        {"seed", seed},       {"threads", threads},              {"started", started},
                        {"versions", versions}};
}

}  // namespace seqdl
