#include "util/provenance.hpp"

#include <ctime>

#include "util/text.hpp"
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

namespace {

// An argument as a POSIX shell reads it back: as it is when only safe characters, else in single quotes.
std::string shell_quoted(const std::string& arg) {
  bool plain = !arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                     "0123456789-_./=:,+@%") == std::string::npos;
  if (plain) return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string Provenance::command_line() const { return join(argv, " ", shell_quoted); }

nlohmann::json Provenance::to_json() const {
  return nlohmann::json{{"command", command}, {"command_line", command_line()}, {"options", options},
                        {"seed", seed},       {"threads", threads},              {"started", started},
                        {"versions", versions}};
}

}  // namespace seqdl
