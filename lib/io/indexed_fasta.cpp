#include "io/indexed_fasta.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <span>

#include "io/hts_handles.hpp"
#include "io/line_reader.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace fs = std::filesystem;
namespace {

// 0 plain, 1 gzip (not bgzip), 2 bgzip. InputError if unreadable.
int compression_of(const std::string& path) {
  hts::Bgzf fp(bgzf_open(path.c_str(), "r"));
  if (!fp) throw InputError("cannot open {}: {}", path, errno_text(errno));
  return bgzf_compression(fp.get());
}

std::string known_contigs(const std::vector<Contig>& contigs) {
  std::string list = join(std::span(contigs).first(std::min<size_t>(contigs.size(), 5)), ", ", &Contig::name);
  if (contigs.size() > 5) list += fmt::format(", ... ({} in all)", contigs.size());
  return list;
}

}  // namespace

struct IndexedFasta::Handles {
  hts::Faidx fai;
  std::mutex mutex;  // faidx reads through one shared file handle: one fetch at a time
};

IndexedFasta::IndexedFasta(std::string path) : path_(std::move(path)), h_(std::make_unique<Handles>()) {
  if (path_ == "-") throw UsageError("an indexed FASTA cannot be read from stdin; give a file");
  std::error_code ec;
  if (!fs::is_regular_file(path_, ec)) throw InputError("cannot open {}: no such file", path_);
  int kind = compression_of(path_);
  if (kind == 1) {
    throw InputError("{} is gzip-compressed, which cannot be indexed for random access: recompress it with "
                     "'gunzip -c {} | bgzip > x.fa.gz' or decompress it", path_, path_);
  }
  bool has_fai = fs::exists(path_ + ".fai", ec), has_gzi = kind != 2 || fs::exists(path_ + ".gzi", ec);
  if (!has_fai || !has_gzi) {
    std::string dir = fs::path(path_).parent_path().string();
    if (::access(dir.empty() ? "." : dir.c_str(), W_OK) != 0) {
      throw InputError("{} has no index ({}) and its folder is not writable to build one: run 'samtools faidx {}' "
                       "where you can write", path_, !has_fai ? path_ + ".fai" : path_ + ".gzi", path_);
    }
  }
  h_->fai.reset(fai_load3(path_.c_str(), nullptr, nullptr, FAI_CREATE));
  if (!h_->fai) {
    throw FormatError("{}: cannot read or build its FASTA index; is it a FASTA file with lines of equal length "
                      "within each record?", path_);
  }
  // Lengths come from the .fai itself: this htslib's faidx_seq_len() is limited to 2^31 bases.
  LineReader fai(path_ + ".fai");
  std::string_view line;
  while (fai.next(line)) {
    auto cols = split(line, '\t');
    if (cols.size() < 5) throw FormatError("{}: expected name, length, offset, line bases and line width", fai.where());
    int64_t length = parse_int(cols[1], fai.where() + ": length");
    // htslib divides by the line lengths when it fetches: a record it indexed without any base per line (binary
    // or FASTQ-like content) would end the process with SIGFPE.
    int64_t line_bases = parse_int(cols[3], fai.where() + ": line bases");
    int64_t line_width = parse_int(cols[4], fai.where() + ": line width");
    if (length < 0 || (length > 0 && (line_bases < 1 || line_width < line_bases))) {
      throw FormatError("{}: record '{}' has no regular sequence lines ({} bases per line, {} bytes per line): is {} a "
                        "FASTA file?", fai.where(), cols[0], line_bases, line_width, path_);
    }
    index_[std::string(cols[0])] = contigs_.size();
    contigs_.push_back({std::string(cols[0]), length});
  }
  if (contigs_.size() != static_cast<size_t>(faidx_nseq(h_->fai.get()))) {
    throw FormatError("{}.fai does not match {}: rebuild it with 'samtools faidx {}'", path_, path_, path_);
  }
}

IndexedFasta::~IndexedFasta() = default;

int64_t IndexedFasta::length(const std::string& chrom) const {
  auto it = index_.find(chrom);
  if (it == index_.end()) {
    throw InputError("unknown contig '{}': {} has {}", chrom, path_, known_contigs(contigs_));
  }
  return contigs_[it->second].length;
}

Region IndexedFasta::resolve(const Region& region, const std::string& what, bool allow_outside) const {
  auto it = index_.find(region.chrom);
  if (it == index_.end()) {
    throw InputError("{}: unknown contig '{}' ({} has {})", what, region.chrom, path_, known_contigs(contigs_));
  }
  int64_t len = contigs_[it->second].length;
  Region r = region;
  if (r.open_ended()) r.end = len;
  if (!allow_outside && (r.start < 0 || r.end > len || r.start >= len)) {
    throw InputError("{}: region {}:{}-{} runs past the end of {} ({} bp)", what, r.chrom, r.start + 1, r.end,
                     r.chrom, with_commas(static_cast<uint64_t>(len)));
  }
  return r;
}

Region IndexedFasta::parse(std::string_view text, const std::string& what) const {
  return parse_region(text, what, [this](const std::string& name) { return has(name); });
}

std::string IndexedFasta::fetch(const std::string& chrom, int64_t start, int64_t end) const {
  int64_t len = length(chrom);
  if (start < 0 || end > len || start > end) {
    throw InputError("{}: {}:{}-{} is outside {} (1-{})", path_, chrom, start + 1, end, chrom, len);
  }
  if (start == end) return {};
  hts_pos_t got = 0;
  hts::Malloced<char> s;
  {
    std::lock_guard lock(h_->mutex);
    s.reset(faidx_fetch_seq64(h_->fai.get(), chrom.c_str(), start, end - 1, &got));
  }
  if (!s || got != end - start) {
    throw FormatError("{}: cannot read {}:{}-{} (is the index out of date with the file?)", path_, chrom, start + 1, end);
  }
  return std::string(s.get(), static_cast<size_t>(got));
}

std::string IndexedFasta::fetch_padded(const std::string& chrom, int64_t start, int64_t end, char pad) const {
  int64_t len = length(chrom);
  int64_t a = std::max<int64_t>(start, 0), b = std::min(end, len);
  std::string out;
  out.reserve(static_cast<size_t>(std::max<int64_t>(end - start, 0)));
  out.append(static_cast<size_t>(std::clamp<int64_t>(a - start, 0, end - start)), pad);
  if (a < b) out += fetch(chrom, a, b);
  out.append(static_cast<size_t>(end - start) - out.size(), pad);
  return out;
}

}  // namespace seqdl::io
