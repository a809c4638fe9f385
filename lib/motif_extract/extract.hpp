// `seqdl motifs extract`: a model's first-layer filters as motifs, the way Basset and DeepBind do it.
//
// The first layer of a .seqdl network must be a convolution over the 4 bases; the "filter output" is that
// convolution followed by the position-wise layers right after it (batch norm, activations such as ReLU,
// dropout, which is the identity at inference), i.e. everything before the first pooling or mixing layer.
//   1. Sites (torch-free rules in motif/filter_motifs.hpp): the layer runs over every sequence as it is (any
//      length of at least the filter span; with --both-strands also over its reverse complement); each window
//      that lies wholly inside the sequence and holds only A/C/G/T is scored; windows reaching the threshold
//      fraction of the filter's maximum over the set are counted into the filter's position frequency matrix.
//   2. Influence: each sequence, centre-cropped or N-padded to the model's input length as `predict` sees it,
//      is run through the whole network once as it is and once per filter with that filter's output channel
//      set to 0 after the layer above (at most `influence_sequences` of them, evenly spaced through the set, as
//      this costs one pass of the rest of the network per filter); influence = mean over those sequences (and
//      output positions) of
//      output(intact) - output(filter zeroed), per task, on the probability scale (sigmoid, or softmax for
//      multi-class) or on logits. Positive: the filter pushes the prediction up.
// TorchScript models are refused (their layers are not visible), as are networks that do not start with a
// convolution over the 4 bases.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/sequence_source.hpp"
#include "motif/filter_motifs.hpp"
#include "util/choices.hpp"

namespace seqdl::motif {

enum class InfluenceScale { probability, logit };
inline constexpr Choices<InfluenceScale, 2> kInfluenceScaleChoices{
    {{"probability", InfluenceScale::probability}, {"logit", InfluenceScale::logit}}};

struct ExtractOptions {
  std::string model;
  data::SourceSpec sequences;
  std::string output;              // MEME minimal format ("-" = stdout)
  std::string summary;             // TSV per filter (optional)
  double threshold = 0.5;          // fraction of the filter's maximum activation
  int64_t min_sites = 10;          // filters with fewer sites are not written
  bool both_strands = false;
  SiteMode sites = SiteMode::all;
  double trim_bits = 0;            // drop flanking positions below this information content (0: keep all)
  bool influence = true;
  int64_t influence_sequences = 1000;  // at most this many, evenly spaced through the set (0: all)
  InfluenceScale influence_scale = InfluenceScale::probability;
  int64_t batch = 128;
};

struct ExtractSummary {
  uint64_t sequences = 0;
  uint64_t bases = 0;
  size_t filters = 0;
  size_t width = 0;                  // the filters' width (kernel)
  std::string first_layer;           // e.g. "conv+relu"
  std::vector<size_t> written;       // filters written to the MEME file
  std::vector<size_t> too_few;       // filters with 1..min_sites-1 sites
  std::vector<size_t> without_sites; // filters with no site (never above 0, or only at N windows)
  std::vector<FilterReport> reports;
  uint64_t influence_sequences = 0;  // sequences the influence was averaged over
  double seconds = 0;
};

ExtractSummary run_extract(const ExtractOptions& options);

}  // namespace seqdl::motif
