// What a file holds, from its content (htslib's format detection, which sees through gzip and bgzip).
#pragma once

#include <string>

namespace seqdl::io {

enum class FileFormat { fasta, fastq, alignments, variants, other };

// InputError if the file cannot be opened or read; FormatError if it is empty. `path` must be a regular file.
FileFormat detect_format(const std::string& path);

}  // namespace seqdl::io
