// Line-by-line reading of plain, gzip or bgzip text from a path or "-" (stdin), through htslib's BGZF
// (which decompresses either kind transparently). Lines come back as views into a large buffer, without
// their line ending (LF or CRLF), numbered from 1 for error messages.
//
// Threads: a reader is used by one thread at a time; distinct readers are independent.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace seqdl::io {

class LineReader {
 public:
  // Opens the file ("-": stdin). InputError when it cannot be opened.
  explicit LineReader(std::string path);
  ~LineReader();  // closes the file; for "-" that closes stdin's descriptor, so stdin is read once per run
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line, or false at the end of the input (a last line without a newline is returned). The view
  // points into the reader's buffer and is valid until the next call to next() or peek(). Throws FormatError
  // on corrupt or truncated compressed data and on binary content (a NUL byte).
  bool next(std::string_view& line);

  // The line the next call to next() will return, without consuming it; false at the end. The view stays
  // valid until that next() has returned it and another call is made. Same errors as next().
  bool peek(std::string_view& line);

  const std::string& path() const { return path_; }
  uint64_t line_number() const { return line_number_; }  // of the line last returned
  std::string where() const;  // "path:line" for messages

 private:
  bool fill();  // reads more input into the buffer; false at the end

  struct Handles;  // htslib's BGZF stream (line_reader.cpp)

  std::string path_;
  std::unique_ptr<Handles> h_;
  // malloc'd, not a vector: growing with realloc needs no copy of a long line (glibc remaps large blocks) and
  // leaves the new part unwritten, so a buffer grown for one long line costs memory only for what it holds.
  struct Free {
    void operator()(char* p) const noexcept;
  };
  std::unique_ptr<char, Free> buf_;
  size_t capacity_ = 0;
  size_t begin_ = 0, end_ = 0;  // unread bytes are buf_[begin_, end_)
  bool eof_ = false;
  bool peeked_ = false;
  std::string_view peeked_line_;
  uint64_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
};

// True if `path` names stdin.
inline bool is_stdin(const std::string& path) { return path == "-"; }

}  // namespace seqdl::io
