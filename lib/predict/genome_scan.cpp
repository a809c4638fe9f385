#include "predict/genome_scan.hpp"

#include <chrono>

#include "data/genome_regions.hpp"
#include "infer/outputs.hpp"
#include "infer/window_runner.hpp"
#include "io/indexed_fasta.hpp"
#include "predict/strand_tracks.hpp"
#include "predict/windows.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace seqdl::predict {
namespace {

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

WindowGeometry geometry(const nn::ModelInfo& info, const PredictOptions& o) {
  WindowGeometry g;
  g.window = info.input_length;
  g.pad = o.edges == Edges::pad;
  if (info.per_position()) {
    if (o.stride != 0 && o.stride != info.output_positions()) {
      throw UsageError("--stride: a per-position model writes every base; its windows advance by its {} output positions",
                       info.output_positions());
    }
    g.step = g.bin = info.output_positions();
    g.bin_offset = info.output_offset();
  } else {
    g.step = g.bin = o.stride > 0 ? o.stride : info.input_length;
    if (g.step > g.window) throw UsageError("--stride {} is longer than the model's window ({})", g.step, g.window);
    g.bin_offset = (g.window - g.step) / 2;
  }
  return g;
}

}  // namespace

PredictSummary scan_genome(const PredictOptions& o, nn::Model& model) {
  auto start = std::chrono::steady_clock::now();
  const nn::ModelInfo& info = model.info();
  io::IndexedFasta genome(o.genome);
  std::vector<ScanRegion> regions = scan_regions(genome, o.regions);
  WindowGeometry g = geometry(info, o);
  encode::OneHotTable table(info.unknown);
  infer::WindowRunner runner(model, g, o.strands, o.logits, o.batch, table, !o.window_by_window);
  log::debug("genome scan: {}", runner.description());

  std::vector<Chunk> chunks = plan_chunks(regions, g, runner.max_chunk_windows());
  if (chunks.empty()) {
    throw InputError("no {}-bp window fits on the scanned sequence{}", g.window,
                     g.pad ? "" : " (use --edges pad to predict near contig ends)");
  }
  if (!o.shard.empty()) {
    auto [k, n] = parse_shard(o.shard);
    chunks = shard_of(chunks, k, n);
  }
  infer::OutputSelection tasks(info, o.tasks, "--task");
  // Strand tracks: each output once per strand (strand_tracks.hpp).
  const bool stranded = use_strand_tracks(info, o);
  auto writer = io::open_track_writer(format_for(o.output, o.format), o.output,
                                      stranded ? strand_track_names(tasks.names()) : tasks.names(), genome.contigs(),
                                      o.threshold, stranded ? strand_track_strands(tasks.size()) : std::vector<char>{});
  auto minus = stranded ? std::make_unique<MinusStrand>(model, table, o.batch, o.logits, !o.window_by_window) : nullptr;

  uint64_t total_windows = 0;
  for (const auto& c : chunks) total_windows += static_cast<uint64_t>(c.windows);
  log::info("scanning {} windows of {} bp (stride {}) with {} ({} output{})", with_commas(total_windows), g.window,
            g.step, o.model, info.task_names.size(), info.task_names.size() == 1 ? "" : "s");
  Progress progress("predict", total_windows, "windows");
  PredictSummary summary;
  summary.shared_trunk = runner.shared();
  summary.engine = runner.description();
  std::vector<float> values(stranded ? 2 * tasks.size() : tasks.size());
  for (const Chunk& c : chunks) {
    const ScanRegion& r = regions[c.region];
    int64_t a = c.span_start(), b = c.span_end(g);
    std::string codes = genome.fetch_padded(r.chrom, a, b);
    auto out = runner.run(codes, c.windows).contiguous();
    const float* v = out.data_ptr<float>();
    const int64_t per_window = out[0].numel();
    if (minus) minus->run(genome, r.chrom, written_bases(c, 0, r, g).first, written_bases(c, c.windows - 1, r, g).second);
    for (int64_t i = 0; i < c.windows; ++i) {
      auto [begin, end] = written_bases(c, i, r, g);
      int64_t ws = c.first_start + i * g.step;
      summary.padded += ws < 0 || ws + g.window > r.contig_length;
      const float* w = v + i * per_window;
      if (!info.per_position()) {
        tasks.select(w, 1, values.data());
        if (begin < end) writer->add(r.chrom, begin, end, values.data());
        continue;
      }
      for (int64_t p = begin; p < end; ++p) {  // one value per base
        tasks.select(w + (p - (ws + g.bin_offset)), g.bin, values.data());
        if (minus) minus->interleave(tasks, p, values.data());
        writer->add(r.chrom, p, p + 1, values.data());
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
