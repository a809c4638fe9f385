// A network as seqdl reasons about it, without LibTorch: a directed acyclic graph of layers built from an
// ArchSpec, each node with its input and output shapes and, for nodes that act locally along the sequence, how
// its output positions map onto its inputs and onto the network input. The shared-trunk genome scan, local
// recomputation for ISM and variants, DeepLIFT's rules, the TorchScript importer and `seqdl info` all reason
// with this description; nn/network.hpp runs it.
//
// Positions: a sequence-shaped node's output position j was computed from network input positions
// [field.offset + j * field.stride, ... + field.span). A node is "valid" at j when no padding of any layer
// (and no crop or pad edge) entered its value there: such values are the same whether the network runs on one
// window or on a longer sequence that contains it, which is what makes sharing work between windows exact.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nn/spec.hpp"

namespace seqdl::nn {

// [channels, length] for sequence-shaped activations, or [channels] once flat ([batch, channels]).
struct Shape {
  int64_t channels = 0;
  int64_t length = 0;
  bool flat = false;
};

// Where a sequence-shaped node's positions come from in the network input.
struct Field {
  int64_t offset = 0;  // input position of output 0's first base (negative when padding lies before it)
  int64_t stride = 1;  // input positions between consecutive outputs
  int64_t span = 1;    // input positions one output reads (the receptive field)
};

// How a local node reads its inputs (all of them alike): output position j reads input positions
// [j * stride - pad, j * stride - pad + span). Crops read at a negative pad, pads at a positive one.
struct Reads {
  int64_t span = 1, stride = 1, pad = 0;
};

// The numbers a layer type uses (others stay at their defaults).
struct LayerParams {
  int64_t filters = 0, kernel = 1, dilation = 1, stride = 1;  // conv (stride also pools)
  int64_t pad_left = 0, pad_right = 0;                         // conv padding; crop and pad amounts
  int64_t size = 1;                                            // pools
  int64_t units = 0;                                           // linear
  int64_t hidden = 0, layers = 1, heads = 1, ff = 0;           // bilstm, transformer_encoder
  double p = 0.0;                                              // dropout
  bool bias = true, norm_first = true;
  bool positions_first = false;                                // flatten: position-major (a transposed input)
};

inline constexpr int kNetworkInput = -1;
// The most weights a network may have: 2^31 (8 GiB as float32), ~100 times the largest genomics models.
inline constexpr double kMaxParameters = 2147483648.0;

struct Node {
  std::string name;         // unique; the weights' prefix
  std::string type;         // a primitive layer type (spec macros are expanded)
  LayerParams params;
  std::vector<int> inputs;  // node indices, all earlier; kNetworkInput for the network's input
  Shape in, out;            // in: the first input's shape
  bool local = false;       // sequence in, sequence out, each output reading a bounded run of positions
  bool elementwise = false; // local with span 1, stride 1 and no offset, one input (activations, batch norm, dropout)
  Reads reads;              // local nodes
  Field field;              // sequence-shaped nodes
  int64_t valid_begin = 0, valid_end = 0;  // sequence-shaped nodes: the valid output positions
  bool fully_valid() const { return !out.flat && valid_begin == 0 && valid_end == out.length; }
};

// A named output of the network (a head).
struct GraphOutput {
  std::string name;
  int node = 0;
};

class Graph {
 public:
  // ModelError naming the spec and layer for unknown names, shapes that do not fit (adds of different shapes, a
  // linear layer on a sequence, an input too short for the layers), a cycle, or more than kMaxParameters weights
  // (an untrusted file must not make LibTorch allocate terabytes). input_length and tasks override
  // the spec's defaults.
  Graph(const ArchSpec& spec, int64_t input_length, int64_t tasks);

  const ArchSpec& spec() const { return spec_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(int i) const { return nodes_[static_cast<size_t>(i)]; }
  const std::vector<GraphOutput>& outputs() const { return outputs_; }
  const std::vector<std::vector<int>>& consumers() const { return consumers_; }  // per node
  int64_t input_length() const { return input_length_; }
  int64_t tasks() const { return tasks_; }
  Shape shape_of(int node) const { return node == kNetworkInput ? Shape{4, input_length_, false} : nodes_[static_cast<size_t>(node)].out; }
  Field field_of(int node) const { return node == kNetworkInput ? Field{} : nodes_[static_cast<size_t>(node)].field; }

  // The trunk: every local node whose inputs are the network input or trunk nodes, in order.
  std::vector<int> trunk() const;
  // Trunk nodes read by a node outside the trunk, or that are outputs.
  std::vector<int> trunk_frontier() const;
  // Every node `wanted` needs (themselves included), in order.
  std::vector<int> ancestors(const std::vector<int>& wanted) const;
  // The input positions the first output reads (its receptive field), when that output is sequence-shaped or a
  // global pool of a local trunk; 0 when some layer sees the whole sequence (dense layers, LSTMs, attention).
  int64_t receptive_field() const;

 private:
  void add_node(Node node, const std::string& where);
  void count_parameters(const Node& node, const std::string& where);
  ArchSpec spec_;
  double parameters_ = 0;  // counted as layers are added, before any is built
  int64_t input_length_ = 0, tasks_ = 0;
  std::vector<Node> nodes_;
  std::vector<GraphOutput> outputs_;
  std::vector<std::vector<int>> consumers_;
};

// Whether a layer type is an elementwise nonlinearity (DeepLIFT's rescale rule applies to it).
bool is_nonlinearity(const std::string& type);
// Whether it is monotone non-decreasing (it commutes with max: max_j f(x_j) = f(max_j x_j)).
bool is_monotone(const std::string& type);

}  // namespace seqdl::nn
