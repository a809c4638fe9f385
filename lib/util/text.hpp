// Small text helpers shared by parsers and reports: strict number parsing with errors that name the
// thing being parsed, splitting and joining, and human-readable numbers. All are pure functions: safe to
// call from any thread; none keeps a reference to its arguments unless it returns a view.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seqdl {

// Strict parses: the whole string must be the number. `what` names the value in the error, e.g.
// "x.bed:12: start". Throws FormatError.
int64_t parse_int(std::string_view text, std::string_view what);
double parse_double(std::string_view text, std::string_view what);

// Like parse_int but also accepts thousands separators ("1,000,000"), as region strings allow.
int64_t parse_int_with_commas(std::string_view text, std::string_view what);

// Views into `text` (valid while the text they view lives): split gives every field, empty ones included
// ("a,,b" -> "a", "", "b"; "" -> one empty field); trim drops leading and trailing spaces, tabs, CR and LF.
std::vector<std::string_view> split(std::string_view text, char sep);
std::string_view trim(std::string_view text);
bool ends_with_ci(std::string_view text, std::string_view suffix);  // case-insensitive suffix test

// "K/N" (1 <= K <= N): the K-th of N parts of some work. UsageError naming `option` otherwise.
std::pair<int, int> parse_shard(std::string_view text, std::string_view option);

std::string with_commas(uint64_t n);      // 1234567 -> "1,234,567"
std::string si_number(double x);          // 2345.6 -> "2.35k"
std::string clock_duration(double secs);  // 75.2 -> "1:15", 3725 -> "1:02:05"

// The elements of a range with `sep` between them: join(names, ", ") -> "a, b, c", and "" for an empty range.
// Elements must convert to std::string_view (std::string, string_view, const char*).
template <class Range>
std::string join(const Range& items, std::string_view sep);

// The text `format(element)` gives for each element, with `sep` between them:
//   join(shape, ", ", [](int64_t d) { return std::to_string(d); })   -> "3, 4, 200"
// `format` is anything std::invoke can call with an element (a lambda, a function, a member pointer such as
// &Contig::name) and returns something std::string can append (std::string, string_view, const char*, char).
template <class Range, class Format>
std::string join(const Range& items, std::string_view sep, Format&& format) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += sep;
    first = false;
    out += std::invoke(format, item);
  }
  return out;
}

template <class Range>
std::string join(const Range& items, std::string_view sep) {
  return join(items, sep, [](const auto& item) { return std::string_view(item); });
}

// A name usable as a file name: letters, digits, '-' and '.' kept, anything else '_' ("" -> "unnamed").
std::string safe_file_name(std::string_view name);

// Shortest decimal that reads back to the same double, e.g. for JSON and TSV outputs.
std::string exact_number(double x);

// Appends like printf's "%.6g" and "%lld": the hot path of per-base text tracks (about twice fmt's speed).
void append_g6(std::string& out, float x);
void append_int(std::string& out, int64_t x);

}  // namespace seqdl
