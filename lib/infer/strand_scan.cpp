#include "infer/strand_scan.hpp"

#include "encode/bases.hpp"
#include "util/error.hpp"

namespace seqdl::infer {

WindowGeometry strand_scan_geometry(const nn::ModelInfo& info, int64_t site) {
  WindowGeometry g;
  g.window = info.input_length;
  g.pad = true;
  if (info.per_position()) {
    if (site >= 0) {
      throw UsageError("--site-index is for per-window models; {} describes its own {} output positions", info.source,
                       info.output_positions());
    }
    g.step = g.bin = info.output_positions();
    g.bin_offset = info.output_offset();
    return g;
  }
  g.step = g.bin = 1;
  g.bin_offset = site < 0 ? g.window / 2 : site;
  if (g.bin_offset >= g.window) {
    throw UsageError("--site-index {} is outside the model's {}-base window (0 to {})", site, g.window, g.window - 1);
  }
  return g;
}

StrandScanner::StrandScanner(nn::Model& model, const encode::OneHotTable& table, int64_t batch, int64_t site,
                             bool logits, bool allow_shared)
    : g_(strand_scan_geometry(model.info(), site)), outputs_(model.info().heads.at(0).channels),
      runner_(model, g_, Strands::none, logits, batch, table, allow_shared) {}

torch::Tensor StrandScanner::scan(const io::IndexedFasta& genome, const std::string& chrom, char strand, int64_t begin,
                                  int64_t end) {
  torch::InferenceMode guard;
  const int64_t length = genome.length(chrom), W = g_.window, P = g_.step, K = g_.bin_offset;
  const int64_t most = runner_.max_chunk_windows() * P;
  std::vector<torch::Tensor> parts;
  for (int64_t first = begin; first < end; first += most) {
    const int64_t last = std::min(end, first + most);
    const int64_t windows = (last - first + P - 1) / P;
    // S bases [x, y) feed the chunk's windows; on '-' they are genomic [length - y, length - x) reverse-complemented.
    const int64_t x = first - K, y = first - K + (windows - 1) * P + W;
    std::string codes = strand == '-' ? encode::reverse_complement(genome.fetch_padded(chrom, length - y, length - x))
                                      : genome.fetch_padded(chrom, x, y);
    auto out = runner_.run(codes, windows);  // [windows, outputs] or [windows, outputs, P]
    if (out.dim() == 2) out = out.unsqueeze(2);
    parts.push_back(out.permute({1, 0, 2}).reshape({out.size(1), windows * P}).slice(1, 0, last - first));
  }
  if (parts.empty()) return torch::empty({outputs_, 0});
  return torch::cat(parts, 1).contiguous();
}

}  // namespace seqdl::infer
