#include "util/text.hpp"

#include <cctype>
#include <charconv>
#include <cmath>

#include <fmt/format.h>

#include "util/error.hpp"

namespace seqdl {

int64_t parse_int(std::string_view text, std::string_view what) {
  int64_t value = 0;
  std::string_view t = trim(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) {
    throw FormatError("{}: expected an integer, found '{}'", what, text);
  }
  return value;
}

int64_t parse_int_with_commas(std::string_view text, std::string_view what) {
  std::string digits;
  for (char c : text) {
    if (c != ',') digits += c;
  }
  try {
    return parse_int(digits, what);
  } catch (const FormatError&) {
    throw FormatError("{}: expected an integer, found '{}'", what, text);
  }
}

double parse_double(std::string_view text, std::string_view what) {
  double value = 0;
  std::string_view t = trim(text);
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) {
    throw FormatError("{}: expected a number, found '{}'", what, text);
  }
  return value;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string_view trim(std::string_view text) {
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = text.find_last_not_of(" \t\r\n");
  return text.substr(b, e - b + 1);
}

bool ends_with_ci(std::string_view text, std::string_view suffix) {
  if (suffix.size() > text.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char a = text[text.size() - suffix.size() + i], b = suffix[i];
    if (std::tolower(static_cast<unsigned char>(a)) != std::tolower(static_cast<unsigned char>(b))) return false;
  }
  return true;
}

std::string with_commas(uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string si_number(double x) {
  const char* suffix[] = {"", "k", "M", "G", "T"};
  int k = 0;
  while (std::abs(x) >= 1000.0 && k < 4) {
    x /= 1000.0;
    ++k;
  }
  if (k == 0) return fmt::format("{:.3g}", x);
  return fmt::format("{:.3g}{}", x, suffix[k]);
}

std::string clock_duration(double secs) {
  if (!(secs >= 0) || secs > 1e9) return "--:--";
  auto s = static_cast<uint64_t>(secs + 0.5);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string safe_file_name(std::string_view name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  return out.empty() || out == "." || out == ".." ? "unnamed" : out;
}

std::string exact_number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{}", x);  // fmt's default is the shortest round-trip representation
}

void append_g6(std::string& out, float x) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 6);
  out.append(buf, r.ptr);
}

void append_int(std::string& out, int64_t x) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  out.append(buf, r.ptr);
}

std::pair<int, int> parse_shard(std::string_view text, std::string_view option) {
  auto parts = split(text, '/');
  int64_t k = 0, n = 0;
  try {
    if (parts.size() == 2) {
      k = parse_int(parts[0], option);
      n = parse_int(parts[1], option);
    }
  } catch (const FormatError&) {
  }
  if (parts.size() != 2 || n < 1 || k < 1 || k > n || n > 1000000) {
    throw UsageError("{}: expected K/N with 1 <= K <= N (e.g. 3/10), found '{}'", option, text);
  }
  return {static_cast<int>(k), static_cast<int>(n)};
}

}  // namespace seqdl
