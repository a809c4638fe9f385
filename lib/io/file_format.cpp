#include "io/file_format.hpp"

#include <htslib/hfile.h>
#include <htslib/hts.h>

#include <filesystem>

#include "util/error.hpp"

namespace seqdl::io {

FileFormat detect_format(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::file_size(path, ec) == 0 && !ec) throw FormatError("{}: the file is empty", path);
  hFILE* fp = hopen(path.c_str(), "r");
  if (fp == nullptr) throw InputError("cannot open {}: {}", path, errno_text(errno));
  htsFormat format{};
  int ret = hts_detect_format2(fp, path.c_str(), &format);
  hclose_abruptly(fp);
  if (ret < 0) throw InputError("cannot read {}", path);
  switch (format.format) {
    case fasta_format: return FileFormat::fasta;
    case fastq_format: return FileFormat::fastq;
    case sam:
    case bam:
    case cram: return FileFormat::alignments;
    case vcf:
    case bcf: return FileFormat::variants;
    default: return FileFormat::other;
  }
}

}  // namespace seqdl::io
