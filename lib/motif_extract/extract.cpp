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
#include "infer/batches.hpp"
#include "infer/outputs.hpp"
#include "motif/motif_io.hpp"
#include "motif_extract/extract_parts.hpp"
#include "nn/model.hpp"
#include "nn/network_file.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"

namespace seqdl::motif {
using extraction::FirstLayer;
using extraction::Influence;
using extraction::Sequences;
namespace {

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
  const nn::Graph& graph = f.net->graph();
  const nn::Node& c = graph.node(0);
  if (c.type != "conv" || c.inputs[0] != nn::kNetworkInput || c.in.channels != 4) {
    throw ModelError("{}: the first layer is '{}', not a convolution over the 4 bases, so there are no filters to "
                     "extract", source, c.type);
  }
  f.filters = c.out.channels;
  f.kernel = c.params.kernel;
  f.dilation = c.params.dilation;
  f.stride = c.params.stride;
  f.pad = c.params.pad_left;
  f.span = c.reads.span;
  f.description = "conv";
  // Elementwise layers that only the filter output feeds (activations, batch norm) belong to it.
  for (;;) {
    const auto& next = graph.consumers()[static_cast<size_t>(f.output)];
    if (next.size() != 1 || !graph.node(next[0]).elementwise) break;
    f.output = next[0];
    f.description += "+" + graph.node(f.output).type;
  }
  return f;
}

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
  nn::Activations values{input, {}};
  f.net->compute(values, {f.output});
  b.activations = values.nodes[static_cast<size_t>(f.output)].to(torch::kFloat32).contiguous();
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

void check_options(const ExtractOptions& o) {
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
}

// Runs the first layer over the whole set, batch by batch, for each pass that needs its output. Batches hold
// sequences of similar lengths (padding is wasted work; counts, maxima and sums do not depend on the order),
// with a sequence's strands in adjacent rows.
class LayerPasses {
 public:
  LayerPasses(const FirstLayer& f, const encode::OneHotTable& table, const Sequences& set, const ExtractOptions& o,
              Progress& progress)
      : f_(f), table_(table), set_(set), both_strands_(o.both_strands), progress_(progress), order_(set.seqs.size()) {
    std::iota(order_.begin(), order_.end(), size_t{0});
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return set.seqs[a].size() < set.seqs[b].size(); });
    per_batch_ = static_cast<size_t>(std::max<int64_t>(1, o.batch / strands()));
  }

  int strands() const { return both_strands_ ? 2 : 1; }

  // Hands each batch, run through the first layer, to visit(const LayerBatch&).
  template <class Visit>
  void for_each_batch(Visit&& visit) {
    const size_t n = order_.size();
    for (size_t begin = 0; begin < n; begin += per_batch_) {
      size_t end = std::min(n, begin + per_batch_);
      LayerBatch b;
      for (size_t k = begin; k < end; ++k) {
        b.rows.push_back(set_.seqs[order_[k]]);
        if (both_strands_) b.rows.push_back(encode::reverse_complement(set_.seqs[order_[k]]));
      }
      run_layer(f_, table_, b);
      visit(static_cast<const LayerBatch&>(b));
      progress_.add(end - begin);
    }
  }

 private:
  const FirstLayer& f_;
  const encode::OneHotTable& table_;
  const Sequences& set_;
  bool both_strands_;
  Progress& progress_;
  std::vector<size_t> order_;
  size_t per_batch_ = 1;
};

// Filter c's activations on row r of a batch: [positions] floats.
const float* activations_of(const LayerBatch& b, size_t r, size_t c, size_t filters) {
  const int64_t positions = b.activations.size(2);
  return b.activations.data_ptr<float>() + static_cast<int64_t>(r * filters + c) * positions;
}

// Pass 1: each filter's largest activation over every scored window.
std::vector<double> max_activations(LayerPasses& passes, const FirstLayer& f) {
  const auto filters = static_cast<size_t>(f.filters);
  std::vector<double> max_activation(filters, -std::numeric_limits<double>::infinity());
  passes.for_each_batch([&](const LayerBatch& b) {
    for (size_t r = 0; r < b.rows.size(); ++r) {
      std::vector<Window> windows = scored_windows(f, b, r, b.activations.size(2));
      for (size_t c = 0; c < filters; ++c) {
        const float* row = activations_of(b, r, c, filters);
        double best = max_activation[c];
        for (const Window& w : windows) best = std::max(best, static_cast<double>(row[w.position]));
        max_activation[c] = best;
      }
    }
  });
  return max_activation;
}

// Counts the sites of filter c in one sequence (rows [first, first + strands) of a batch): every window
// over the threshold, or only the best one.
class SiteCounting {
 public:
  SiteCounting(const FirstLayer& f, std::vector<std::optional<double>> thresholds, SiteMode mode)
      : f_(f), thresholds_(std::move(thresholds)), mode_(mode),
        counter_(static_cast<size_t>(f.filters), static_cast<size_t>(f.kernel)), site_(static_cast<size_t>(f.kernel)) {}

  void count(const LayerBatch& b, const std::vector<std::vector<Window>>& windows, size_t first, size_t strands,
             size_t c) {
    float best = 0;
    size_t best_row = 0;
    int64_t best_start = -1;
    for (size_t r = first; r < first + strands; ++r) {
      const float* row = activations_of(b, r, c, counter_.filters());
      for (const Window& w : windows[r]) {
        float v = row[w.position];
        if (!is_site(v, thresholds_[c])) continue;
        if (mode_ == SiteMode::all) {
          add(b, r, c, w.start);
        } else if (best_start < 0 || v > best) {
          best = v;
          best_row = r;
          best_start = w.start;
        }
      }
    }
    if (best_start >= 0) add(b, best_row, c, best_start);
  }

  const FilterSiteCounter& counter() const { return counter_; }

 private:
  void add(const LayerBatch& b, size_t r, size_t c, int64_t start) {
    const uint8_t* bases = b.bases.data() + static_cast<int64_t>(r) * b.longest + start;
    for (int64_t k = 0; k < f_.kernel; ++k) site_[static_cast<size_t>(k)] = bases[k * f_.dilation];
    counter_.add(c, site_.data());
  }

  const FirstLayer& f_;
  std::vector<std::optional<double>> thresholds_;
  SiteMode mode_;
  FilterSiteCounter counter_;
  std::vector<uint8_t> site_;
};

// Pass 2: the sites, counted into position frequency matrices.
FilterSiteCounter count_sites(LayerPasses& passes, const FirstLayer& f, const std::vector<double>& max_activation,
                              const ExtractOptions& o) {
  std::vector<std::optional<double>> thresholds(max_activation.size());
  for (size_t c = 0; c < thresholds.size(); ++c) thresholds[c] = site_threshold(max_activation[c], o.threshold);
  SiteCounting sites(f, std::move(thresholds), o.sites);
  const auto strands = static_cast<size_t>(passes.strands());
  passes.for_each_batch([&](const LayerBatch& b) {
    std::vector<std::vector<Window>> windows;
    for (size_t r = 0; r < b.rows.size(); ++r) windows.push_back(scored_windows(f, b, r, b.activations.size(2)));
    for (size_t s = 0; s < b.rows.size(); s += strands) {  // one sequence, its strands
      for (size_t c = 0; c < static_cast<size_t>(f.filters); ++c) sites.count(b, windows, s, strands, c);
    }
  });
  return sites.counter();
}

// The summary of every filter, and the motifs of those with enough sites (in filter order).
ExtractSummary summarise(const FirstLayer& f, const Sequences& set, const FilterSiteCounter& counter,
                         const std::vector<double>& max_activation, const Influence* influence,
                         const ExtractOptions& o, std::vector<Motif>& motifs) {
  ExtractSummary summary;
  summary.influence_sequences = influence != nullptr ? influence->sequences : 0;
  summary.sequences = set.seqs.size();
  summary.bases = set.bases;
  summary.filters = static_cast<size_t>(f.filters);
  summary.width = static_cast<size_t>(f.kernel);
  summary.first_layer = f.description;
  for (size_t c = 0; c < summary.filters; ++c) {
    FilterReport r;
    r.index = c;
    r.sites = counter.sites(c);
    r.max_activation = std::isfinite(max_activation[c]) ? max_activation[c] : 0.0;
    r.motif = filter_motif(c, counter.counts(c), r.sites, o.trim_bits);
    r.written = r.sites >= static_cast<uint64_t>(o.min_sites);
    if (influence != nullptr) r.influence = influence->per_filter[c];
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
  return summary;
}

// The MEME file and the optional summary TSV, each atomic; the MEME file is committed last.
void write_outputs(const ExtractOptions& o, const std::vector<Motif>& motifs, const ExtractSummary& summary,
                   const std::vector<std::string>& task_names) {
  AtomicFile meme(o.output);
  meme.write(format_meme(motifs));
  if (!o.summary.empty()) {
    AtomicFile tsv(o.summary);
    tsv.write(format_filter_summary(summary.reports, task_names));
    tsv.commit();
  }
  meme.commit();
}

}  // namespace

ExtractSummary run_extract(const ExtractOptions& o) {
  check_options(o);
  const auto started = std::chrono::steady_clock::now();
  check_model_file(o.model);
  auto model = nn::open_model(o.model);
  FirstLayer f = first_layer(*model);
  Sequences set = read_all(o.sequences, f.span);
  const nn::ModelInfo& info = model->info();
  const encode::OneHotTable table(info.unknown);
  torch::InferenceMode guard;

  Progress progress("extract", static_cast<uint64_t>(set.seqs.size()) * (o.influence ? 3 : 2), "seqs");
  LayerPasses passes(f, table, set, o, progress);
  const std::vector<double> max_activation = max_activations(passes, f);
  const FilterSiteCounter counter = count_sites(passes, f, max_activation, o);
  std::optional<Influence> influence;
  if (o.influence) influence = filter_influence(*model, f, set, table, o, progress);
  progress.finish();

  std::vector<Motif> motifs;
  ExtractSummary summary = summarise(f, set, counter, max_activation, influence ? &*influence : nullptr, o, motifs);
  write_outputs(o, motifs, summary, info.task_names);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace seqdl::motif
