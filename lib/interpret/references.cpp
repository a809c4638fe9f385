#include "interpret/references.hpp"

#include "encode/bases.hpp"
#include "encode/shuffle.hpp"
#include "infer/batches.hpp"
#include "io/npy_reader.hpp"
#include "io/sequence_reader.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace seqdl::interpret {
namespace {

bool is_npy(const std::string& path) { return path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0; }

// Every record of a FASTA file, fitted to `length`, as one-hot [R, 4, length].
torch::Tensor fasta_references(const std::string& path, int64_t length, const encode::OneHotTable& table) {
  io::SequenceReader reader(path);
  io::SequenceRecord record;
  std::string codes;
  int64_t n = 0;
  while (reader.next(record)) {
    codes += encode::fit_length(record.seq, static_cast<size_t>(length));
    ++n;
  }
  if (n == 0) throw InputError("--baseline {}: no sequences", path);
  return infer::one_hot_tensor(codes, n, length, table);
}

}  // namespace

References::References(const SaliencyOptions& o, int64_t length, const encode::OneHotTable& table)
    : kind_(*o.baseline), length_(length), seed_(o.seed), table_(table) {
  if (kind_ == Baseline::shuffled) count_ = *o.references;
  if (kind_ != Baseline::file) return;
  if (!is_npy(o.baseline_file)) {
    shared_ = fasta_references(o.baseline_file, length, table);
    count_ = shared_.size(0);
    return;
  }
  npy_ = std::make_unique<io::NpyArray>(o.baseline_file);
  const auto& shape = npy_->shape();
  const bool per_sequence = shape.size() == 4, shared = shape.size() == 3;
  if (!(per_sequence || shared) || shape[shape.size() - 2] != 4 || shape.back() != length) {
    throw UsageError("--baseline {}: references must be [n, R, 4, {}] or [R, 4, {}], found {}", o.baseline_file, length,
                     length, npy_->shape_text());
  }
  count_ = shape[shape.size() - 3];
  if (count_ < 1) throw UsageError("--baseline {}: holds no references ({})", o.baseline_file, npy_->shape_text());
  if (shared) {
    shared_ = torch::empty({count_, 4, length});
    npy_->read(0, shared_.numel(), shared_.data_ptr<float>());
    npy_.reset();
  }
}

References::~References() = default;

torch::Tensor References::for_batch(const SequenceBatch& batch) {
  const auto B = static_cast<int64_t>(batch.size()), L = length_;
  if (shared_.defined()) return shared_.unsqueeze(0).expand({B, count_, 4, L}).contiguous();
  if (npy_) {
    auto out = torch::empty({B, count_, 4, L});
    const int64_t per = count_ * 4 * L;
    for (int64_t i = 0; i < B; ++i) {
      const auto row = static_cast<int64_t>(batch.indices[static_cast<size_t>(i)]);
      if (row >= npy_->shape()[0]) {
        throw UsageError("--baseline {}: references for {} sequences, but the input has more", npy_->path(),
                         npy_->shape()[0]);
      }
      npy_->read(row * per, per, out.data_ptr<float>() + i * per);
    }
    return out;
  }
  if (kind_ == Baseline::zeros) return torch::zeros({B, 1, 4, L});
  if (kind_ == Baseline::uniform) return torch::full({B, 1, 4, L}, 0.25);
  // Dinucleotide shuffles, seeded per sequence by its place in the input.
  std::string codes;
  codes.reserve(static_cast<size_t>(B * count_ * L));
  for (int64_t i = 0; i < B; ++i) {
    Rng rng(seed_, 7000 + batch.indices[static_cast<size_t>(i)]);
    auto seq = std::string_view(batch.codes).substr(static_cast<size_t>(i * L), static_cast<size_t>(L));
    for (int64_t r = 0; r < count_; ++r) codes += encode::dinucleotide_shuffle(seq, rng);
  }
  return infer::one_hot_tensor(codes, B * count_, L, table_).view({B, count_, 4, L});
}

}  // namespace seqdl::interpret
