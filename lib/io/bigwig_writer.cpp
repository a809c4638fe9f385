#include "io/bigwig_writer.hpp"

extern "C" {
#include <bigWig.h>
// Exported by libBigWig but not declared in its header: bwClose calls it and only prints its failure to stderr.
int bwFinalize(bigWigFile_t* fp);
}

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "io/coverage_writer.hpp"
#include "util/error.hpp"

namespace seqdl::io {
namespace {

constexpr uint32_t kBigWigMagic = 0x888FFC26;
constexpr size_t kEntryBytes = 12;     // start, end, value: bwAddIntervals' bedGraph entries
constexpr size_t kHeaderBytes = 24;    // a data block's header in libBigWig's buffer
constexpr size_t kBatch = 1 << 12;     // intervals buffered here before they go to libBigWig

// Closes a handle without finalizing it (bwClose finalizes write handles, which on a file that failed to write
// means more failing writes): libBigWig skips finalizing handles that are not marked for writing.
void release(bigWigFile_t* bw) {
  if (bw == nullptr) return;
  bw->isWrite = 0;
  bwClose(bw);
}

}  // namespace

struct BigWigWriter::State {
  bigWigFile_t* bw = nullptr;
  bool failed = false;
  FILE* file() const { return bw->URL->x.fp; }
};

BigWigWriter::BigWigWriter(const std::string& path, std::string target, const std::vector<Contig>& contigs)
    : s_(std::make_unique<State>()), path_(path), target_(std::move(target)) {
  init_bigwig();
  std::vector<const char*> names;
  std::vector<uint32_t> lengths;
  for (const auto& c : contigs) {
    if (c.length > UINT32_MAX) throw InputError("{}: {} is longer than bigWig allows ({} bp)", target_, c.name, c.length);
    names_.push_back(c.name);
  }
  for (size_t i = 0; i < contigs.size(); ++i) {
    names.push_back(names_[i].c_str());
    lengths.push_back(static_cast<uint32_t>(contigs[i].length));
  }
  errno = 0;
  s_->bw = bwOpen(const_cast<char*>(path_.c_str()), nullptr, "w");
  if (s_->bw == nullptr) fail(errno);
  if (bwCreateHdr(s_->bw, 10) != 0) fail(ENOMEM);
  s_->bw->cl = bwCreateChromList(names.data(), lengths.data(), static_cast<int64_t>(names.size()));
  if (s_->bw->cl == nullptr) fail(ENOMEM);
  if (bwWriteHdr(s_->bw) != 0 || std::ferror(s_->file()) != 0) fail(errno);
}

BigWigWriter::~BigWigWriter() { release(s_->bw); }

void BigWigWriter::fail(int err) {
  s_->failed = true;
  release(s_->bw);
  s_->bw = nullptr;
  throw InputError("cannot write bigWig {}: {}", target_, err != 0 ? errno_text(err) : "write error");
}

void BigWigWriter::add(size_t contig, uint32_t start, uint32_t end, float value) {
  if (contig != contig_ && !starts_.empty()) submit();
  contig_ = contig;
  starts_.push_back(start);
  ends_.push_back(end);
  values_.push_back(value);
  if (starts_.size() >= kBatch) submit();
}

void BigWigWriter::add(size_t contig, const uint32_t* starts, const uint32_t* ends, const float* values, size_t n) {
  for (size_t i = 0; i < n; ++i) add(contig, starts[i], ends[i], values[i]);
}

void BigWigWriter::submit() {
  if (s_->failed) throw InputError("cannot write bigWig {}: an earlier write failed", target_);
  bigWigFile_t* bw = s_->bw;
  const size_t buffer = bw->hdr->bufSize;
  const char* name = names_.at(contig_).c_str();
  std::vector<const char*> chroms;
  size_t done = 0, n = starts_.size();
  while (done < n) {
    // bwAddIntervals first flushes, checked, when fewer than 3 entries fit; after that, a batch that fits in
    // what is left of the buffer never reaches the unchecked flush inside its loop.
    size_t used = bw->writeBuffer->l + 3 * kEntryBytes > buffer ? kHeaderBytes : bw->writeBuffer->l;
    size_t k = std::min((buffer - used) / kEntryBytes, n - done);
    chroms.assign(k, name);
    errno = 0;
    int ret = bwAddIntervals(bw, chroms.data(), starts_.data() + done, ends_.data() + done, values_.data() + done,
                             static_cast<uint32_t>(k));
    if (ret != 0 || std::ferror(s_->file()) != 0) fail(errno);
    done += k;
  }
  starts_.clear();
  ends_.clear();
  values_.clear();
}

void BigWigWriter::close() {
  if (!starts_.empty()) submit();
  if (s_->failed || s_->bw == nullptr) throw InputError("cannot write bigWig {}: an earlier write failed", target_);
  errno = 0;
  int ret = bwFinalize(s_->bw);  // the last block, the index, the zoom levels and the closing magic
  int err = errno;
  if (ret != 0 || std::fflush(s_->file()) != 0 || std::ferror(s_->file()) != 0) fail(err != 0 ? err : errno);
  release(s_->bw);  // finalized already: closes the file and frees the rest
  s_->bw = nullptr;
  // The last thing finalizing writes is the magic: a file that does not end with it is not whole.
  FILE* f = std::fopen(path_.c_str(), "rb");
  uint32_t tail = 0;
  bool whole = f != nullptr && std::fseek(f, -4, SEEK_END) == 0 && std::fread(&tail, 4, 1, f) == 1 &&
               tail == kBigWigMagic;
  if (f != nullptr) std::fclose(f);
  if (!whole) throw InputError("cannot write bigWig {}: the file is incomplete", target_);
}

}  // namespace seqdl::io
