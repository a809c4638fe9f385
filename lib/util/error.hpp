// Typed errors. Every seqdl::Error is something the user can fix (bad usage or bad input) and maps to
// exit status 2; anything else escaping a command is a bug or an environment failure (exit status 1).
#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

#include <fmt/format.h>

namespace seqdl {

enum class ErrorKind {
  usage,   // an option or argument is wrong
  input,   // a file cannot be opened, read or written
  format,  // a file's content is malformed
  model,   // a model file or architecture is invalid or does not fit the data
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string what) : std::runtime_error(std::move(what)), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// One subclass per kind, each constructible from a fmt format string:
//   throw FormatError("{}:{}: expected 3 columns, found {}", path, line, n);
#define SEQDL_DEFINE_ERROR(Name, Kind)                                              \
  class Name : public Error {                                                       \
   public:                                                                          \
    explicit Name(std::string what) : Error(ErrorKind::Kind, std::move(what)) {}    \
    template <class... Args>                                                        \
      requires(sizeof...(Args) > 0)                                                 \
    explicit Name(fmt::format_string<Args...> f, Args&&... args)                    \
        : Error(ErrorKind::Kind, fmt::format(f, std::forward<Args>(args)...)) {}    \
  };
SEQDL_DEFINE_ERROR(UsageError, usage)
SEQDL_DEFINE_ERROR(InputError, input)
SEQDL_DEFINE_ERROR(FormatError, format)
SEQDL_DEFINE_ERROR(ModelError, model)
#undef SEQDL_DEFINE_ERROR

// Exit status for an exception that ended a command: 2 for seqdl::Error, 1 for anything else.
int exit_status(const std::exception& e) noexcept;

// The exception's message reduced to one line (foreign exceptions, e.g. from LibTorch, carry
// multi-line messages with backtraces; users get the first meaningful line only).
std::string one_line_message(const std::exception& e);

// errno as text, for messages such as "cannot open x.fa: No such file or directory".
std::string errno_text(int err);

}  // namespace seqdl
