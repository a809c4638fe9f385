// Motif files (MEME, JASPAR, TRANSFAC; motif/motif_io): read, detected by content; what reads must write as MEME
// and read back with the same motifs.
#include <cstdint>

#include "fuzz_input.hpp"
#include "motif/motif_io.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string path = seqdl::fuzz::write_input("motifs.txt", data, size);
  seqdl::motif::MotifFile file;
  try {
    file = seqdl::motif::read_motifs(path);
  } catch (const seqdl::Error&) {
    return 0;
  }
  std::string meme = seqdl::motif::format_meme(file.motifs);
  std::string again = seqdl::fuzz::write_input("again.meme", reinterpret_cast<const uint8_t*>(meme.data()), meme.size());
  seqdl::motif::MotifFile reread = seqdl::motif::read_motifs(again);  // must not throw: we wrote it
  if (reread.motifs.size() != file.motifs.size()) __builtin_trap();
  return 0;
}
