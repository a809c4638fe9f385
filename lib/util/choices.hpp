// Named choices: the one way an option's text becomes an enum value and back. A library declares its
// choices next to the enum,
//   inline constexpr Choices<Strands, 3> kStrandChoices{{{"none", Strands::none}, {"mean", Strands::mean}, ...}};
// parses with parse_choice (UsageError naming the option and the accepted words), prints with choice_name, and
// the CLI builds its check and help text from the same table (apps/seqdl/options.hpp: add_choice).
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace seqdl {

template <class E>
struct Choice {
  std::string_view name;
  E value;
};

template <class E, size_t N>
using Choices = std::array<Choice<E>, N>;

// "a, b or c": the accepted words, for messages and help.
template <class E, size_t N>
std::string choice_list(const Choices<E, N>& choices) {
  std::string out;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) out += i + 1 == N ? " or " : ", ";
    out += choices[i].name;
  }
  return out;
}

template <class E, size_t N>
std::vector<std::string> choice_names(const Choices<E, N>& choices) {
  std::vector<std::string> out;
  for (const auto& c : choices) out.emplace_back(c.name);
  return out;
}

// The value named `text`. UsageError "OPTION: expected a, b or c, found 'text'" otherwise.
template <class E, size_t N>
E parse_choice(const Choices<E, N>& choices, std::string_view text, std::string_view option) {
  for (const auto& c : choices) {
    if (c.name == text) return c.value;
  }
  throw UsageError("{}: expected {}, found '{}'", option, choice_list(choices), text);
}

// The name of `value` ("" if the table lacks it, which is a bug in the table).
template <class E, size_t N>
std::string_view choice_name(const Choices<E, N>& choices, E value) {
  for (const auto& c : choices) {
    if (c.value == value) return c.name;
  }
  return "";
}

}  // namespace seqdl
