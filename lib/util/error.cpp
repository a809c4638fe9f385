#include "util/error.hpp"

#include <cstring>

namespace seqdl {

int exit_status(const std::exception& e) noexcept {
  return dynamic_cast<const Error*>(&e) != nullptr ? 2 : 1;
}

std::string one_line_message(const std::exception& e) {
  std::string msg = e.what();
  // Skip leading blank lines, then keep the first line.
  size_t begin = msg.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "unknown error";
  size_t end = msg.find_first_of("\r\n", begin);
  msg = msg.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  while (!msg.empty() && (msg.back() == ' ' || msg.back() == '\t')) msg.pop_back();
  return msg;
}

std::string errno_text(int err) {
  char buf[256];
  // GNU strerror_r returns the message (possibly not in buf).
  return ::strerror_r(err, buf, sizeof buf);
}

}  // namespace seqdl
