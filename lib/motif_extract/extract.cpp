#include "motif_extract/extract.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <optional>

#include "encode/bases.hpp"
#include "encode/one_hot.hpp"
#include "motif/motif_io.hpp"
#include "infer/batches.hpp"
#include "infer/outputs.hpp"
#include "nn/model.hpp"
#include "nn/network_file.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"

namespace seqdl::motif {
namespace {

// Floats of first-layer output copied per influence chunk (several filters are zeroed side by side in one
// batch of the rest of the network).
constexpr int64_t kInfluenceBudget = int64_t{1} << 24;

// The layers that make the filter output: the first convolution and the position-wise layers after it.
struct FirstLayer {
  nn::NetworkImpl* net = nullptr;
  size_t end = 1;  // layers [0, end)
  int64_t filters = 0, kernel = 1, dilation = 1, stride = 1, pad = 0, span = 1;
  std::string description;
};

// TorchScript files are refused before they are loaded (loading one may ask for flags such as --window first).
void check_model_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) || nn::is_seqdl_model(path)) return;  // open_model says the rest
  char magic[4] = {};
  std::ifstream(path, std::ios::binary).read(magic, 4);
  if (std::string_view(magic, 4) == std::string_view("PK\x03\x04", 4)) {  // a zip archive: TorchScript
    throw ModelError("{} is a TorchScript model: its layers are not visible, so its filters cannot be extracted "
                     "(extract needs a .seqdl model)",
                     path);
  }
  throw ModelError("{} is not a .seqdl model: extract needs the layers of a seqdl network", path);
}

FirstLayer first_layer(nn::Model& model) {
  const std::string& source = model.info().source;
  FirstLayer f;
  f.net = model.network();
  if (f.net == nullptr) {
    throw ModelError("{} is a TorchScript model: its layers are not visible, so its filters cannot be extracted "
                     "(extract needs a .seqdl model)",
                     source);
  }
  const auto& layers = f.net->layers();
  if (layers.empty() || layers[0].type != "conv" || layers[0].in.flat() || layers[0].in.channels != 4) {
    throw ModelError(
        "{}: the first layer is {}, not a convolution over the 4 bases, so there are no filters to extract", source, layers.empty() ? std::string("missing") : "'" + layers[0].type + "'");
  }
  const nn::LayerInfo& c = layers[0];
  f.filters = c.out.channels;
  f.kernel = c.kernel;
  f.dilation = c.dilation;
  f.stride = c.stride;
  f.pad = c.pad;
  f.span = c.span;
  f.description = "conv";
  while (f.end < layers.size() && layers[f.end].position_wise) f.description += "+" + layers[f.end++].type;
  return f;
}

struct Sequences {
  std::vector<std::string> seqs;
  uint64_t bases = 0;
};

Sequences read_all(const data::SourceSpec& spec, int64_t span) {
  Sequences out;
  auto source = data::open_sequences(spec);
  data::NamedSequence s;
  while (source->next(s)) {
    if (static_cast<int64_t>(s.seq.size()) < span) {
      throw InputError("{}: sequence '{}' (record {}) has {} bases, fewer than the {} that a first-layer filter spans",
                       spec.input, s.id, out.seqs.size() + 1, s.seq.size(), span);
    }
    out.bases += s.seq.size();
    out.seqs.push_back(std::move(s.seq));
  }
  if (out.seqs.empty()) throw InputError("{}: no sequences to extract filter sites from", spec.input);
  return out;
}

// One batch of rows (sequences, and their reverse complements with both strands) through the first layer.
struct LayerBatch {
  std::vector<std::string> rows;
  torch::Tensor activations;  // [rows, filters, positions] float32, contiguous
  std::vector<uint8_t> bases;  // [rows, longest] base indices (4 = N or padding)
  int64_t longest = 0;
};

void run_layer(const FirstLayer& f, const encode::OneHotTable& table, LayerBatch& b) {
  b.longest = 0;
  for (const std::string& r : b.rows) b.longest = std::max<int64_t>(b.longest, static_cast<int64_t>(r.size()));
  const auto n = static_cast<int64_t>(b.rows.size());
  std::string codes;
  codes.reserve(static_cast<size_t>(n * b.longest));
  for (const std::string& r : b.rows) {
    codes += r;
    codes.append(static_cast<size_t>(b.longest) - r.size(), 'N');
  }
  b.bases.resize(codes.size());
  encode::base_indices(codes, b.bases.data());
  torch::Tensor input = infer::model_input(codes, n, b.longest, table);
  b.activations = f.net->forward_prefix(input, f.end).to(torch::kFloat32).contiguous();
}

// The output positions of a row whose window lies inside the row and holds A/C/G/T only, with the window start.
struct Window {
  int64_t position, start;
};

std::vector<Window> scored_windows(const FirstLayer& f, const LayerBatch& b, size_t row, int64_t positions) {
  const auto length = static_cast<int64_t>(b.rows[row].size());
  const uint8_t* bases = b.bases.data() + static_cast<int64_t>(row) * b.longest;
  // unknown[i] = non-ACGT bases among the first i.
  std::vector<int64_t> unknown(static_cast<size_t>(length) + 1, 0);
  for (int64_t i = 0; i < length; ++i) unknown[i + 1] = unknown[i] + (bases[i] > 3);
  std::vector<Window> out;
  for (int64_t j = 0; j < positions; ++j) {
    int64_t start = j * f.stride - f.pad;
    if (start < 0) continue;
    if (start + f.span > length) break;
    if (unknown[start + f.span] - unknown[start] == 0) out.push_back({j, start});
  }
  return out;
}

}  // namespace

ExtractSummary run_extract(const ExtractOptions& o) {
  if (!(o.threshold >= 0 && o.threshold <= 1)) {
    throw UsageError("--threshold: expected a fraction in [0, 1], found {}", o.threshold);
  }
  if (o.min_sites < 1) throw UsageError("--min-sites: expected an integer >= 1, found {}", o.min_sites);
  if (o.batch < 1) throw UsageError("--batch: expected an integer >= 1, found {}", o.batch);
  if (o.influence_sequences < 0) {
    throw UsageError("--influence-sequences: expected an integer >= 0, found {}", o.influence_sequences);
  }
  if (!(o.trim_bits >= 0 && o.trim_bits <= 2)) {
    throw UsageError("--trim: expected bits in [0, 2], found {}", o.trim_bits);
  }
  const auto started = std::chrono::steady_clock::now();

  check_model_file(o.model);
  auto model = nn::open_model(o.model);
  FirstLayer f = first_layer(*model);
  Sequences set = read_all(o.sequences, f.span);
  const nn::ModelInfo& info = model->info();
  const encode::OneHotTable table(info.unknown);
  torch::InferenceMode guard;

  const size_t n = set.seqs.size();
  const auto filters = static_cast<size_t>(f.filters);
  const int strands = o.both_strands ? 2 : 1;
  // Batches of similar lengths (padding is wasted work); counts, maxima and sums do not depend on the order.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return set.seqs[a].size() < set.seqs[b].size(); });
  const auto per_batch = static_cast<size_t>(std::max<int64_t>(1, o.batch / strands));

  Progress progress("extract", static_cast<uint64_t>(n) * (o.influence ? 3 : 2), "seqs");
  // Runs the first layer batch by batch (a sequence's strands in adjacent rows) and hands each batch to visit.
  auto for_each_batch = [&](auto&& visit) {
    for (size_t begin = 0; begin < n; begin += per_batch) {
      size_t end = std::min(n, begin + per_batch);
      LayerBatch b;
      for (size_t k = begin; k < end; ++k) {
        b.rows.push_back(set.seqs[order[k]]);
        if (o.both_strands) b.rows.push_back(encode::reverse_complement(set.seqs[order[k]]));
      }
      run_layer(f, table, b);
      visit(b);
      progress.add(end - begin);
    }
  };

  // Pass 1: each filter's largest activation over every scored window.
  std::vector<double> max_activation(filters, -std::numeric_limits<double>::infinity());
  for_each_batch([&](const LayerBatch& b) {
    const int64_t positions = b.activations.size(2);
    const float* a = b.activations.data_ptr<float>();
    for (size_t r = 0; r < b.rows.size(); ++r) {
      std::vector<Window> windows = scored_windows(f, b, r, positions);
      for (size_t c = 0; c < filters; ++c) {
        const float* row = a + (static_cast<int64_t>(r * filters + c)) * positions;
        double best = max_activation[c];
        for (const Window& w : windows) best = std::max(best, static_cast<double>(row[w.position]));
        max_activation[c] = best;
      }
    }
  });
  std::vector<std::optional<double>> thresholds(filters);
  for (size_t c = 0; c < filters; ++c) thresholds[c] = site_threshold(max_activation[c], o.threshold);

  // Pass 2: the sites, counted into position frequency matrices.
  FilterSiteCounter counter(filters, static_cast<size_t>(f.kernel));
  std::vector<uint8_t> site(static_cast<size_t>(f.kernel));
  auto count_site = [&](const LayerBatch& b, size_t r, size_t c, int64_t start) {
    const uint8_t* bases = b.bases.data() + static_cast<int64_t>(r) * b.longest + start;
    for (int64_t k = 0; k < f.kernel; ++k) site[static_cast<size_t>(k)] = bases[k * f.dilation];
    counter.add(c, site.data());
  };
  for_each_batch([&](const LayerBatch& b) {
    const int64_t positions = b.activations.size(2);
    const float* a = b.activations.data_ptr<float>();
    std::vector<std::vector<Window>> windows;
    for (size_t r = 0; r < b.rows.size(); ++r) windows.push_back(scored_windows(f, b, r, positions));
    for (size_t s = 0; s < b.rows.size(); s += static_cast<size_t>(strands)) {  // one sequence, its strands
      for (size_t c = 0; c < filters; ++c) {
        float best = 0;
        size_t best_row = 0;
        int64_t best_start = -1;
        for (size_t r = s; r < s + static_cast<size_t>(strands); ++r) {
          const float* row = a + (static_cast<int64_t>(r * filters + c)) * positions;
          for (const Window& w : windows[r]) {
            float v = row[w.position];
            if (!is_site(v, thresholds[c])) continue;
            if (o.sites == SiteMode::all) {
              count_site(b, r, c, w.start);
            } else if (best_start < 0 || v > best) {
              best = v;
              best_row = r;
              best_start = w.start;
            }
          }
        }
        if (best_start >= 0) count_site(b, best_row, c, best_start);
      }
    }
  });

  ExtractSummary summary;
  // Influence: the network with each filter's output zeroed, on the sequences as the model sees them.
  const size_t tasks = info.task_names.size();
  std::vector<std::vector<double>> influence;
  if (o.influence) {
    influence.assign(filters, std::vector<double>(tasks, 0.0));
    const int64_t length = info.input_length;
    const size_t layers = f.net->layers().size();
    auto output_of = [&](const torch::Tensor& h) {
      torch::Tensor y = f.net->forward_range(h, f.end, layers);
      if (o.influence_scale == InfluenceScale::probability) y = infer::probabilities(info, y);
      if (y.dim() == 3) y = y.mean(2);  // per-position outputs: the mean over positions
      return y.to(torch::kFloat64);
    };
    // The sequences used: all, or `influence_sequences` evenly spaced ones (deterministic, any file order).
    std::vector<size_t> chosen;
    const auto wanted = static_cast<size_t>(o.influence_sequences);
    if (wanted == 0 || wanted >= n) {
      chosen.resize(n);
      std::iota(chosen.begin(), chosen.end(), size_t{0});
    } else {
      for (size_t i = 0; i < wanted; ++i) chosen.push_back(i * n / wanted);
    }
    const size_t m = chosen.size();
    progress.set_total(static_cast<uint64_t>(2 * n + m));
    const auto per = static_cast<size_t>(o.batch);
    for (size_t begin = 0; begin < m; begin += per) {
      size_t end = std::min(m, begin + per);
      const auto b = static_cast<int64_t>(end - begin);
      std::string codes;
      codes.reserve(static_cast<size_t>(b * length));
      for (size_t i = begin; i < end; ++i) {
        const std::string& s = set.seqs[chosen[i]];
        codes += static_cast<int64_t>(s.size()) == length ? s : encode::fit_length(s, static_cast<size_t>(length));
      }
      torch::Tensor h = f.net->forward_prefix(infer::model_input(codes, b, length, table), f.end);
      torch::Tensor intact = output_of(h);  // [b, tasks]
      const int64_t chunk = std::max<int64_t>(1, kInfluenceBudget / std::max<int64_t>(1, h.numel()));
      for (int64_t c0 = 0; c0 < f.filters; c0 += chunk) {
        const int64_t k = std::min(chunk, f.filters - c0);
        torch::Tensor zeroed = h.unsqueeze(0).expand({k, h.size(0), h.size(1), h.size(2)}).clone();
        for (int64_t i = 0; i < k; ++i) zeroed[i].select(1, c0 + i).zero_();
        torch::Tensor y = output_of(zeroed.view({k * h.size(0), h.size(1), h.size(2)})).view({k, b, -1});
        torch::Tensor change = (intact.unsqueeze(0) - y).sum(1).contiguous();  // [k, tasks]
        const double* d = change.data_ptr<double>();
        for (int64_t i = 0; i < k; ++i) {
          std::vector<double>& sum = influence[static_cast<size_t>(c0 + i)];
          for (size_t t = 0; t < tasks; ++t) sum[t] += d[static_cast<size_t>(i) * tasks + t];
        }
      }
      progress.add(end - begin);
    }
    for (auto& v : influence) {
      for (double& x : v) x /= static_cast<double>(m);
    }
    summary.influence_sequences = m;
  }
  progress.finish();

  summary.sequences = n;
  summary.bases = set.bases;
  summary.filters = filters;
  summary.width = static_cast<size_t>(f.kernel);
  summary.first_layer = f.description;
  std::vector<Motif> motifs;
  for (size_t c = 0; c < filters; ++c) {
    FilterReport r;
    r.index = c;
    r.sites = counter.sites(c);
    r.max_activation = std::isfinite(max_activation[c]) ? max_activation[c] : 0.0;
    r.motif = filter_motif(c, counter.counts(c), r.sites, o.trim_bits);
    r.written = r.sites >= static_cast<uint64_t>(o.min_sites);
    if (o.influence) r.influence = influence[c];
    if (r.written) {
      motifs.push_back(*r.motif);
      summary.written.push_back(c);
    } else if (r.sites > 0) {
      summary.too_few.push_back(c);
    } else {
      summary.without_sites.push_back(c);
    }
    summary.reports.push_back(std::move(r));
  }

  AtomicFile meme(o.output);
  meme.write(format_meme(motifs));
  std::optional<AtomicFile> tsv;
  if (!o.summary.empty()) {
    tsv.emplace(o.summary);
    tsv->write(format_filter_summary(summary.reports, info.task_names));
    tsv->commit();
  }
  meme.commit();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace seqdl::motif
