// File identity for provenance: size and MD5 (htslib's implementation), recorded for every training source.
#pragma once

#include <cstdint>
#include <string>

namespace seqdl::io {

struct FileDigest {
  uint64_t bytes = 0;
  std::string md5;  // lowercase hex; empty for stdin
};

// Reads the whole file once. "-" (stdin, which cannot be read twice) gives an empty digest. InputError when
// the file cannot be opened or read. Safe to call from several threads at once.
FileDigest file_digest(const std::string& path);

}  // namespace seqdl::io
