#include "io/checksum.hpp"

#include <cstdio>
#include <memory>
#include <vector>

#include "io/hts_handles.hpp"
#include "util/error.hpp"

namespace seqdl::io {

FileDigest file_digest(const std::string& path) {
  FileDigest d;
  if (path == "-") return d;
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) throw InputError("cannot open {}: {}", path, errno_text(errno));
  hts::Md5 ctx(hts_md5_init());
  if (!ctx) throw InputError("cannot checksum {}: out of memory", path);
  std::vector<char> buf(1 << 20);
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) {
    hts_md5_update(ctx.get(), buf.data(), static_cast<unsigned long>(n));
    d.bytes += n;
  }
  if (std::ferror(f.get())) throw InputError("cannot read {}: {}", path, errno_text(errno));
  unsigned char digest[16];
  char hex[33];
  hts_md5_final(digest, ctx.get());
  hts_md5_hex(hex, digest);
  d.md5 = hex;
  return d;
}

}  // namespace seqdl::io
