// The parts of `seqdl motifs extract` shared by its source files (private to lib/motif_extract): the first
// layer of the network, the sequence set, and the filter influence (extract_influence.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "encode/one_hot.hpp"
#include "motif_extract/extract.hpp"
#include "nn/model.hpp"
#include "util/progress.hpp"

namespace seqdl::motif::extraction {

// The layers that make the filter output: the first convolution and the elementwise layers after it.
struct FirstLayer {
  nn::NetworkImpl* net = nullptr;
  int output = 0;  // the graph node whose value is the filter output
  int64_t filters = 0, kernel = 1, dilation = 1, stride = 1, pad = 0, span = 1;
  std::string description;
};

struct Sequences {
  std::vector<std::string> seqs;
  uint64_t bases = 0;
};

struct Influence {
  std::vector<std::vector<double>> per_filter;  // [filters][tasks]
  uint64_t sequences = 0;
};

// Influence: the network with each filter's output zeroed, on the sequences as the model sees them (centre-
// cropped or N-padded to its input length); the mean change of the outputs per filter and task.
Influence filter_influence(nn::Model& model, const FirstLayer& f, const Sequences& set,
                           const encode::OneHotTable& table, const ExtractOptions& o, Progress& progress);

}  // namespace seqdl::motif::extraction
