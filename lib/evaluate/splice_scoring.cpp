#include "evaluate/splice_scoring.hpp"

#include <algorithm>
#include <chrono>

#include "infer/strand_scan.hpp"
#include "io/indexed_fasta.hpp"
#include "nn/model.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace seqdl::evaluate {
namespace {

constexpr int64_t kChromosomeChunk = 1 << 20;  // bases of a chromosome scored at a time (bounds the scores held)

// The output scoring a class: the one an option names, else the one named after the class; -1 for none.
int64_t class_output(const nn::ModelInfo& info, const std::string& given, const std::string& name, const char* option) {
  if (!given.empty()) return nn::resolve_output(info, given, option);
  auto it = std::find(info.task_names.begin(), info.task_names.end(), name);
  return it == info.task_names.end() ? -1 : static_cast<int64_t>(it - info.task_names.begin());
}

// Adds n scored positions: rows `acceptor` and `donor` of scores [outputs, n] (-1: not scored).
void add(SiteScores& sink, const torch::Tensor& scores, int64_t acceptor, int64_t donor, const uint8_t* labels) {
  const int64_t n = scores.size(1);
  const float* v = scores.data_ptr<float>();
  sink.add(acceptor >= 0 ? v + acceptor * n : nullptr, donor >= 0 ? v + donor * n : nullptr, labels,
           static_cast<size_t>(n));
}

}  // namespace

SpliceScoring score_splice_sites(const EvaluateOptions& o, const SpliceScoringRequest& r) {
  auto start = std::chrono::steady_clock::now();
  auto model = nn::open_model(o.model, o.overrides);
  const nn::ModelInfo& info = model->info();
  const int64_t acceptor = class_output(info, o.acceptor_output, "acceptor", "--acceptor-output");
  const int64_t donor = class_output(info, o.donor_output, "donor", "--donor-output");
  if (acceptor < 0 && donor < 0) {
    throw ModelError("{} has no output named acceptor or donor (its outputs: {}); name them with --acceptor-output "
                     "and --donor-output", o.model, join(info.task_names, ", "));
  }
  encode::OneHotTable table(info.unknown);
  infer::StrandScanner scanner(*model, table, o.batch, o.site_index);
  const infer::WindowGeometry& g = scanner.geometry();
  SpliceScoring s;
  s.acceptor = acceptor >= 0;
  s.donor = donor >= 0;
  s.model_description = info.per_position()
                            ? fmt::format("per-position model: {}-base windows, {} outputs each from window index {}",
                                          g.window, g.bin, g.bin_offset)
                            : fmt::format("per-window model: one {}-base window per base, scoring its index {}",
                                          g.window, g.bin_offset);
  log::info("{}: {} ({})", o.model, s.model_description, scanner.description());

  io::IndexedFasta genome(o.data.genome);
  const auto spans = r.annotation.labels.gene_spans(r.chroms);
  uint64_t total = 0;
  for (const auto& span : spans) total += static_cast<uint64_t>(span.length());
  if (r.whole != nullptr) {
    for (const auto& c : r.chroms) total += 2 * static_cast<uint64_t>(genome.length(c));
  }
  Progress progress("evaluate", total, "bases");
  for (const data::GeneSpan& span : spans) {
    const std::vector<uint8_t> labels = r.annotation.labels.labels_of(span);  // transcribed order = S order
    const int64_t length = genome.length(span.chrom);
    const int64_t begin = span.strand == '+' ? span.start : length - span.end;
    add(r.genes, scanner.scan(genome, span.chrom, span.strand, begin, begin + span.length()), acceptor, donor,
        labels.data());
    ++s.spans;
    s.gene_bases += static_cast<uint64_t>(span.length());
    progress.add(static_cast<uint64_t>(span.length()));
  }
  if (r.whole != nullptr) {
    for (const auto& chrom : r.chroms) {
      const data::ChromosomeSites& sites = r.annotation.labels.chromosome(chrom);
      const int64_t length = genome.length(chrom);
      for (char strand : {'+', '-'}) {
        for (int64_t x = 0; x < length; x += kChromosomeChunk) {
          const int64_t y = std::min(length, x + kChromosomeChunk);
          // S bases [x, y): genomic [x, y) on '+', [length - y, length - x) on '-' (labels in the same S order).
          const int64_t gs = strand == '+' ? x : length - y;
          const std::vector<uint8_t> labels = sites.labels(strand, gs, gs + (y - x));
          add(*r.whole, scanner.scan(genome, chrom, strand, x, y), acceptor, donor, labels.data());
          s.chromosome_bases += static_cast<uint64_t>(y - x);
          progress.add(static_cast<uint64_t>(y - x));
        }
      }
    }
  }
  progress.finish();
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return s;
}

}  // namespace seqdl::evaluate
