// Owning handles for htslib objects: std::unique_ptr with a small deleter that calls the matching htslib
// release, so that every way out of a function (a throw included) frees what was opened, and nothing is freed
// by hand. A null handle is never passed to a release function (unique_ptr skips it).
//
// Private to the library: include it from .cpp files only. Public io headers keep htslib out of sight behind
// a pimpl (`struct Handles;` + std::unique_ptr), so that code including them never sees htslib's names.
//
// The deleters ignore htslib's return codes: closing a file that was only read cannot lose data. A writer must
// close explicitly (hts_close(handle.release())) and report a failure itself.
#pragma once

#include <htslib/bgzf.h>
#include <htslib/faidx.h>
#include <htslib/hfile.h>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <htslib/vcf.h>

#include <cstdlib>
#include <memory>

namespace seqdl::io::hts {

struct FileCloser {
  void operator()(htsFile* p) const noexcept { hts_close(p); }
};
struct SamHeaderFree {
  void operator()(sam_hdr_t* p) const noexcept { sam_hdr_destroy(p); }
};
struct BamRecordFree {
  void operator()(bam1_t* p) const noexcept { bam_destroy1(p); }
};
struct IndexFree {
  void operator()(hts_idx_t* p) const noexcept { hts_idx_destroy(p); }
};
struct IteratorFree {
  void operator()(hts_itr_t* p) const noexcept { hts_itr_destroy(p); }
};
struct VcfHeaderFree {
  void operator()(bcf_hdr_t* p) const noexcept { bcf_hdr_destroy(p); }
};
struct VcfRecordFree {
  void operator()(bcf1_t* p) const noexcept { bcf_destroy(p); }
};
struct FaidxFree {
  void operator()(faidx_t* p) const noexcept { fai_destroy(p); }
};
struct BgzfCloser {
  void operator()(BGZF* p) const noexcept { bgzf_close(p); }
};
struct HFileCloser {  // for files only peeked at (format detection): no flush, no error to report
  void operator()(hFILE* p) const noexcept { hclose_abruptly(p); }
};
struct Md5Free {
  void operator()(hts_md5_context* p) const noexcept { hts_md5_destroy(p); }
};
struct MallocFree {  // buffers htslib allocates with malloc and hands over (faidx_fetch_seq64, bcf_hdr_seqnames)
  void operator()(const void* p) const noexcept { std::free(const_cast<void*>(p)); }
};

using File = std::unique_ptr<htsFile, FileCloser>;           // hts_open
using SamHeader = std::unique_ptr<sam_hdr_t, SamHeaderFree>;  // sam_hdr_read
using BamRecord = std::unique_ptr<bam1_t, BamRecordFree>;     // bam_init1
using Index = std::unique_ptr<hts_idx_t, IndexFree>;          // sam_index_load
using Iterator = std::unique_ptr<hts_itr_t, IteratorFree>;    // sam_itr_queryi
using VcfHeader = std::unique_ptr<bcf_hdr_t, VcfHeaderFree>;  // bcf_hdr_read
using VcfRecord = std::unique_ptr<bcf1_t, VcfRecordFree>;     // bcf_init
using Faidx = std::unique_ptr<faidx_t, FaidxFree>;            // fai_load3
using Bgzf = std::unique_ptr<BGZF, BgzfCloser>;               // bgzf_open, bgzf_dopen
using HFile = std::unique_ptr<hFILE, HFileCloser>;            // hopen
using Md5 = std::unique_ptr<hts_md5_context, Md5Free>;        // hts_md5_init
template <class T>
using Malloced = std::unique_ptr<T, MallocFree>;

}  // namespace seqdl::io::hts
