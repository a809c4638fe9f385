#include "io/line_reader.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "io/hts_handles.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {
constexpr size_t kChunk = 1 << 20;
}

struct LineReader::Handles {
  hts::Bgzf fp;
};

void LineReader::Free::operator()(char* p) const noexcept { std::free(p); }

namespace {

// Grows (or first allocates) a malloc'd buffer to `size` bytes, keeping its content.
char* regrow(char* old, size_t size) {
  auto* p = static_cast<char*>(std::realloc(old, size));
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

LineReader::LineReader(std::string path) : path_(std::move(path)), h_(std::make_unique<Handles>()) {
  errno = 0;
  h_->fp.reset(is_stdin(path_) ? bgzf_dopen(0, "r") : bgzf_open(path_.c_str(), "r"));
  if (!h_->fp) {
    throw InputError("cannot open {}: {}", path_, errno != 0 ? errno_text(errno) : "not a readable file");
  }
  buf_.reset(regrow(nullptr, 4 * kChunk));
  capacity_ = 4 * kChunk;
}

LineReader::~LineReader() = default;

std::string LineReader::where() const { return fmt::format("{}:{}", is_stdin(path_) ? "stdin" : path_, line_number_); }

bool LineReader::fill() {
  if (eof_) return false;
  // Keep the unread tail at the front; grow when a single line outgrows the buffer.
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (capacity_ - end_ < kChunk) {
    char* grown = regrow(buf_.get(), capacity_ * 2);
    static_cast<void>(buf_.release());  // realloc has freed or reused it
    buf_.reset(grown);
    capacity_ *= 2;
  }
  ssize_t n = bgzf_read(h_->fp.get(), buf_.get() + end_, capacity_ - end_);
  if (n < 0) {
    throw FormatError("{}: corrupt or truncated compressed data after {} bytes", is_stdin(path_) ? "stdin" : path_,
                      bytes_read_);
  }
  if (n == 0) {
    eof_ = true;
    return false;
  }
  if (std::memchr(buf_.get() + end_, '\0', static_cast<size_t>(n)) != nullptr) {
    throw FormatError("{}: binary data (a NUL byte) where text was expected", is_stdin(path_) ? "stdin" : path_);
  }
  bytes_read_ += static_cast<uint64_t>(n);
  end_ += static_cast<size_t>(n);
  return true;
}

bool LineReader::peek(std::string_view& line) {
  if (!peeked_) {
    if (!next(line)) return false;
    peeked_ = true;
    peeked_line_ = line;
    --line_number_;
    return true;
  }
  line = peeked_line_;
  return true;
}

bool LineReader::next(std::string_view& line) {
  if (peeked_) {
    peeked_ = false;
    line = peeked_line_;
    ++line_number_;
    return true;
  }
  size_t scanned = begin_;
  while (true) {
    const void* nl = std::memchr(buf_.get() + scanned, '\n', end_ - scanned);
    if (nl != nullptr) {
      size_t pos = static_cast<const char*>(nl) - buf_.get();
      line = std::string_view(buf_.get() + begin_, pos - begin_);
      begin_ = pos + 1;
      break;
    }
    scanned = end_ - begin_;  // offsets move when fill() compacts
    if (!fill()) {
      if (begin_ == end_) return false;
      line = std::string_view(buf_.get() + begin_, end_ - begin_);  // last line without a newline
      begin_ = end_;
      break;
    }
    scanned += begin_;
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++line_number_;
  return true;
}

}  // namespace seqdl::io
