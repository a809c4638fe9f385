#include "predict/profile_scan.hpp"

#include <chrono>

#include "data/genome_regions.hpp"
#include "infer/outputs.hpp"
#include "infer/window_runner.hpp"
#include "io/indexed_fasta.hpp"
#include "predict/windows.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace seqdl::predict {
namespace {

void check_options(const PredictOptions& o, const nn::ProfileInfo& p) {
  if (o.strands != Strands::none) throw UsageError("--rc does not apply to profile models (their strands are outputs)");
  if (o.stride != 0) throw UsageError("--stride: a profile model's windows advance by its {}-bp output", p.output_length);
  if (o.logits) throw UsageError("--logits: a profile model writes predicted counts per base");
  if (format_for(o.output, o.format) == OutputFormat::bed) throw UsageError("BED calls are for classifiers; write bigWig or bedGraph");
}

std::vector<ScanRegion> scan_regions(const io::IndexedFasta& genome, const std::vector<std::string>& specs) {
  std::vector<ScanRegion> out;
  if (specs.empty()) {
    for (const auto& c : genome.contigs()) out.push_back({c.name, 0, c.length, c.length});
    return out;
  }
  for (const auto& gi : data::read_regions(genome, specs, 0)) {
    out.push_back({gi.region.chrom, gi.region.start, gi.region.end, genome.length(gi.region.chrom)});
  }
  return out;
}

// Per-base (profile) or per-bin (tracks) predicted counts of every window: [windows, channels, columns].
torch::Tensor predicted_counts(const std::vector<torch::Tensor>& heads, const nn::ProfileInfo& p) {
  const auto& main = heads[static_cast<size_t>(p.profile_head)];
  if (p.tracks()) return (p.loss == "mse" ? torch::clamp_min(torch::expm1(main), 0) : torch::exp(main)).contiguous();
  auto totals = torch::clamp_min(torch::expm1(heads[static_cast<size_t>(p.counts_head)]), 0);
  return (torch::softmax(main, -1) * totals.unsqueeze(-1)).contiguous();
}

}  // namespace

PredictSummary scan_profile(const PredictOptions& o, nn::Model& model) {
  auto start = std::chrono::steady_clock::now();
  const nn::ModelInfo& info = model.info();
  const nn::ProfileInfo& p = *info.profile;
  check_options(o, p);
  io::IndexedFasta genome(o.genome);
  std::vector<ScanRegion> regions = scan_regions(genome, o.regions);
  WindowGeometry g;
  g.window = info.input_length;
  g.step = g.bin = p.output_length;
  g.bin_offset = p.output_offset;
  g.pad = o.edges == Edges::pad;
  encode::OneHotTable table(info.unknown);
  infer::WindowRunner runner(model, g, Strands::none, true, o.batch, table, !o.window_by_window);
  log::debug("profile scan: {}", runner.description());
  std::vector<Chunk> chunks = plan_chunks(regions, g, runner.max_chunk_windows());
  if (chunks.empty()) throw InputError("no {}-bp window fits on the scanned sequence (use --edges pad)", g.window);
  if (!o.shard.empty()) {
    auto [k, n] = parse_shard(o.shard);
    chunks = shard_of(chunks, k, n);
  }
  infer::OutputSelection channels(info, o.tasks, "--task");
  auto writer = io::open_track_writer(format_for(o.output, o.format), o.output, channels.names(), genome.contigs(), o.threshold);
  uint64_t total_windows = 0;
  for (const auto& c : chunks) total_windows += static_cast<uint64_t>(c.windows);
  log::info("predicting {} coverage over {} windows of {} bp ({} bp output each) with {}: {}",
            p.tracks() ? fmt::format("binned ({} bp)", p.bin) : std::string("per-base"), with_commas(total_windows),
            g.window, g.step, o.model, join(channels.names(), ", "));
  Progress progress("predict", total_windows, "windows");
  PredictSummary summary;
  summary.shared_trunk = runner.shared();
  summary.engine = runner.description();
  std::vector<float> values(channels.size());
  const int64_t C = p.channels(), cols = p.output_length / p.bin;
  for (const Chunk& c : chunks) {
    const ScanRegion& r = regions[c.region];
    std::string codes = genome.fetch_padded(r.chrom, c.span_start(), c.span_end(g));
    torch::Tensor counts = predicted_counts(runner.run_heads(codes, c.windows), p);
    const float* v = counts.data_ptr<float>();
    for (int64_t i = 0; i < c.windows; ++i) {
      auto [begin, end] = written_bases(c, i, r, g);
      const int64_t ws = c.first_start + i * g.step, first = ws + g.bin_offset;
      summary.padded += ws < 0 || ws + g.window > r.contig_length;
      const float* w = v + i * C * cols;
      for (int64_t col = (begin - first) / p.bin; col < cols && first + col * p.bin < end; ++col) {
        channels.select(w + col, cols, values.data());
        writer->add(r.chrom, std::max(begin, first + col * p.bin), std::min(end, first + (col + 1) * p.bin), values.data());
      }
    }
    summary.predictions += static_cast<uint64_t>(c.windows);
    progress.add(static_cast<uint64_t>(c.windows));
  }
  progress.finish();
  writer->finish();
  summary.outputs = writer->files();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace seqdl::predict
