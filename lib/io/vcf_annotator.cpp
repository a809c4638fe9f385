#include "io/vcf_annotator.hpp"

#include <htslib/hts.h>
#include <htslib/vcf.h>

#include <cerrno>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace {

struct HtsClose {
  void operator()(htsFile* p) const { hts_close(p); }
};
struct HeaderDestroy {
  void operator()(bcf_hdr_t* p) const { bcf_hdr_destroy(p); }
};
struct RecordDestroy {
  void operator()(bcf1_t* p) const { bcf_destroy(p); }
};

std::string unquoted(std::string text) {
  for (char& c : text) {
    if (c == '"' || c == '\n' || c == '\r') c = '\'';
  }
  return text;
}

const char* type_name(InfoField::Type t) {
  switch (t) {
    case InfoField::Type::floating: return "Float";
    case InfoField::Type::integer: return "Integer";
    case InfoField::Type::text: return "String";
  }
  return "String";
}

}  // namespace

// Declared so that the output closes before its temporary is removed (members go in reverse order).
struct VcfAnnotator::Handles {
  std::unique_ptr<AtomicFile> file;
  std::unique_ptr<htsFile, HtsClose> in;
  std::unique_ptr<bcf_hdr_t, HeaderDestroy> hdr;
  std::unique_ptr<bcf1_t, RecordDestroy> rec;
  std::unique_ptr<htsFile, HtsClose> out;
};

bool compressed_vcf_name(const std::string& output) {
  return ends_with_ci(output, ".gz") || ends_with_ci(output, ".bgz");
}

VcfAnnotator::VcfAnnotator(const std::string& vcf, const std::string& output, const std::vector<InfoField>& fields,
                           const std::vector<std::string>& header_lines)
    : h_(std::make_unique<Handles>()), fields_(fields), vcf_(vcf), output_(output) {
  const bool to_stdout = output == "-";
  compressed_ = !to_stdout && compressed_vcf_name(output);
  h_->in.reset(hts_open(vcf.c_str(), "r"));
  if (!h_->in) throw InputError("cannot open {}: {}", vcf, errno_text(errno));
  h_->hdr.reset(bcf_hdr_read(h_->in.get()));
  if (!h_->hdr) throw FormatError("{}: cannot read the VCF header", vcf);
  h_->rec.reset(bcf_init());
  if (!h_->rec) throw std::bad_alloc();
  auto append = [&](const std::string& line) {
    if (bcf_hdr_append(h_->hdr.get(), line.c_str()) != 0) {
      throw InputError("{}: cannot add to the VCF header: {}", vcf, line);
    }
  };
  for (const auto& f : fields_) {
    if (bcf_hdr_get_hrec(h_->hdr.get(), BCF_HL_INFO, "ID", f.key.c_str(), nullptr) != nullptr) {
      throw UsageError("{} already has an INFO field {} (an earlier seqdl run?): choose another --info-prefix", vcf,
                       f.key);
    }
    append(fmt::format("##INFO=<ID={},Number={},Type={},Description=\"{}\">", f.key, f.number, type_name(f.type),
                       unquoted(f.description)));
  }
  for (const auto& line : header_lines) append(unquoted(line));
  if (bcf_hdr_sync(h_->hdr.get()) != 0) throw InputError("{}: cannot extend the VCF header", vcf);

  if (to_stdout) {
    h_->out.reset(hts_open("-", "w"));
  } else {
    h_->file = std::make_unique<AtomicFile>(output, AtomicFile::Mode::path);
    h_->out.reset(hts_open(h_->file->temp_path().c_str(), compressed_ ? "wz" : "w"));
  }
  if (!h_->out) throw InputError("cannot write {}: {}", output, errno_text(errno));
}

VcfAnnotator::~VcfAnnotator() = default;

void VcfAnnotator::write_failed() const {
  // htslib leaves the system's reason in errno (a full disk: "No space left on device").
  throw InputError("cannot write {}: {}", output_, errno != 0 ? errno_text(errno) : "write error");
}

void VcfAnnotator::write_header() {
  header_written_ = true;
  errno = 0;
  if (bcf_hdr_write(h_->out.get(), h_->hdr.get()) != 0) write_failed();
}

int VcfAnnotator::next_record() {
  int ret = bcf_read(h_->in.get(), h_->hdr.get(), h_->rec.get());
  ++record_;
  if (ret != 0) throw FormatError("{}: record {} cannot be read again", vcf_, record_);
  return h_->rec->n_allele - 1;
}

void VcfAnnotator::set_floats(size_t field, const std::vector<float>& values) {
  std::vector<float> v(values);
  for (float& x : v) {
    if (std::isnan(x)) bcf_float_set_missing(x);
  }
  if (bcf_update_info_float(h_->hdr.get(), h_->rec.get(), fields_.at(field).key.c_str(), v.data(),
                            static_cast<int>(v.size())) != 0) {
    throw InputError("{}: cannot add INFO/{} to record {}", vcf_, fields_[field].key, record_);
  }
}

void VcfAnnotator::set_integers(size_t field, const std::vector<int32_t>& values) {
  std::vector<int32_t> v(values);
  for (int32_t& x : v) {
    if (x == kMissingInteger) x = bcf_int32_missing;
  }
  if (bcf_update_info_int32(h_->hdr.get(), h_->rec.get(), fields_.at(field).key.c_str(), v.data(),
                            static_cast<int>(v.size())) != 0) {
    throw InputError("{}: cannot add INFO/{} to record {}", vcf_, fields_[field].key, record_);
  }
}

void VcfAnnotator::set_text(size_t field, const std::string& value) {
  if (bcf_update_info_string(h_->hdr.get(), h_->rec.get(), fields_.at(field).key.c_str(), value.c_str()) != 0) {
    throw InputError("{}: cannot add INFO/{} to record {}", vcf_, fields_[field].key, record_);
  }
}

void VcfAnnotator::write_record() {
  if (!header_written_) write_header();
  errno = 0;
  if (bcf_write(h_->out.get(), h_->hdr.get(), h_->rec.get()) != 0) write_failed();
}

std::vector<std::string> VcfAnnotator::finish() {
  if (!header_written_) write_header();
  if (bcf_read(h_->in.get(), h_->hdr.get(), h_->rec.get()) != -1) {
    throw std::runtime_error(fmt::format("{}: records after {} were not annotated", vcf_, record_));
  }
  errno = 0;
  int closed = hts_close(h_->out.release());
  if (closed != 0) write_failed();
  if (h_->file == nullptr) return {"stdout"};
  std::vector<std::string> outputs{output_};
  std::unique_ptr<AtomicFile> index;
  const bool device = h_->file->temp_path() == output_;  // /dev/null, a pipe: nothing to index
  if (compressed_ && !device) {
    index = std::make_unique<AtomicFile>(output_ + ".tbi", AtomicFile::Mode::path);
    if (bcf_index_build3(h_->file->temp_path().c_str(), index->temp_path().c_str(), 0, 1) != 0) {
      index.reset();
      index_problem_ = fmt::format("{} could not be tabix-indexed (are the records sorted by contig and position? "
                                   "bcftools sort, then tabix -p vcf)", output_);
    }
  }
  h_->file->commit();
  if (index) {
    index->commit();
    outputs.push_back(index->target());
  } else if (compressed_ && !device) {
    std::error_code ec;
    std::filesystem::remove(output_ + ".tbi", ec);  // an earlier run's index would not fit the new file
  }
  return outputs;
}

}  // namespace seqdl::io
