#include "data/encode_npy.hpp"

#include <vector>

#include "encode/bases.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/memory.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace seqdl::data {

std::string default_ids_path(const std::string& npy_path) {
  std::string base = ends_with_ci(npy_path, ".npy") ? npy_path.substr(0, npy_path.size() - 4) : npy_path;
  return base + ".ids.txt";
}

namespace {

// One sequence of --length bases is held as text and as one row of the array: a length that cannot fit in memory
// is refused before any work (it failed with std::bad_alloc, or touched gigabytes first).
void check_row_fits(const EncodeOptions& options) {
  uint64_t memory = physical_memory_bytes();
  if (options.length <= 0 || memory == 0) return;
  uint64_t per_base = 1 + 4 * (options.dtype == io::NpyType::float32 ? 4 : 1);
  auto length = static_cast<uint64_t>(options.length);
  if (length > memory / 2 / per_base) {
    throw UsageError("--length {}: one sequence would need {} bytes of memory, more than half of this machine's {}",
                     with_commas(length), with_commas(length * per_base), with_commas(memory));
  }
}

}  // namespace

EncodeSummary encode_to_npy(const EncodeOptions& options) {
  if (options.dtype == io::NpyType::uint8 && options.unknown != encode::Unknown::zero) {
    throw UsageError("--dtype uint8 holds 0/1 only: it cannot be combined with --unknown {}",
                     encode::unknown_name(options.unknown));
  }
  if (options.length < 0) throw UsageError("--length must be positive, found {}", options.length);
  check_row_fits(options);
  if (!encode::is_base(options.pad)) throw UsageError("--pad-base: '{}' is not a nucleotide code", options.pad);

  SourceSpec spec = options.source;
  if (options.length > 0 && spec.window == 0) spec.window = options.length;  // genome regions: real flanks, not N
  auto source = open_sequences(spec);

  EncodeSummary summary;
  summary.ids_output = options.ids_output.empty() ? default_ids_path(options.output) : options.ids_output;
  std::unique_ptr<io::NpyWriter> npy;
  AtomicFile ids(summary.ids_output);
  encode::OneHotTable table(options.unknown);
  std::vector<float> floats;
  std::vector<uint8_t> bytes;
  Progress progress("encode", 0, "seqs");

  NamedSequence s;
  while (source->next(s)) {
    int64_t n = static_cast<int64_t>(s.seq.size());
    if (options.length > 0) {
      summary.cropped += n > options.length;
      summary.padded += n < options.length;
      if (n != options.length) s.seq = encode::fit_length(s.seq, static_cast<size_t>(options.length), options.pad);
    } else if (npy && n != summary.length) {
      throw FormatError("{}: '{}' is {} bp but the sequences before it are {} bp: give --length to crop or pad",
                        spec.input, s.id, n, summary.length);
    }
    if (!npy) {
      summary.length = static_cast<int64_t>(s.seq.size());
      npy = std::make_unique<io::NpyWriter>(options.output, options.dtype, std::vector<int64_t>{4, summary.length});
      floats.resize(4 * static_cast<size_t>(summary.length));
      bytes.resize(4 * static_cast<size_t>(summary.length));
    }
    if (options.reverse_complement) encode::reverse_complement_in_place(s.seq);
    if (options.dtype == io::NpyType::float32) {
      encode::one_hot(s.seq, floats.data(), static_cast<size_t>(summary.length), table);
      npy->write_rows(floats.data(), 1);
    } else {
      encode::one_hot_bytes(s.seq, bytes.data(), static_cast<size_t>(summary.length));
      npy->write_rows(bytes.data(), 1);
    }
    ids.print("{}\n", s.id);
    ++summary.sequences;
    progress.add();
  }
  progress.finish();
  if (!npy) throw InputError("{}: no sequences to encode", spec.input);
  summary.off_contig = source->padded_at_contig_ends();
  npy->finish();
  ids.commit();
  return summary;
}

}  // namespace seqdl::data
