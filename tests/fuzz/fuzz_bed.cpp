// BED and narrowPeak (io/bed): every record of the input, read as BED or as narrowPeak (selector bit 0).
#include <cstdint>

#include "fuzz_input.hpp"
#include "io/bed.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t mode = seqdl::fuzz::take_selector(data, size);
  bool narrow_peak = mode & 1;
  std::string path = seqdl::fuzz::write_input(narrow_peak ? "peaks.narrowPeak" : "intervals.bed", data, size);
  try {
    seqdl::io::BedReader reader(path);
    seqdl::io::BedRecord record;
    while (reader.next(record)) {
      // What callers rely on: a valid interval, and a summit inside it.
      if (record.region.start < 0 || record.region.start > record.region.end) __builtin_trap();
      if (record.summit && (*record.summit < record.region.start || *record.summit >= record.region.end)) {
        __builtin_trap();
      }
      (void)record.centre();
    }
  } catch (const seqdl::Error&) {
  }
  return 0;
}
