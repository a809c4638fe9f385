// A network built from an ArchSpec and run node by node: the graph of nn/graph.hpp with a LibTorch module for
// every layer that has weights. Callers can run the whole network, or some nodes from given values of others
// (the shared-trunk scan runs the trunk on a chromosome chunk and the rest per window; local recomputation and
// DeepLIFT run single nodes).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "nn/graph.hpp"
#include "nn/spec.hpp"

namespace seqdl::nn {

// The activations of one pass: the network's input and, per node, its value once computed (undefined before).
struct Activations {
  torch::Tensor input;               // one-hot floats [batch, 4, length] or base indices uint8 [batch, length]
  std::vector<torch::Tensor> nodes;  // one per graph node
};

// Thread-safety: one thread at a time (a module's forward runs LibTorch's intra-op threads itself).
class NetworkImpl : public torch::nn::Module {
 public:
  // input_length and tasks override the spec's defaults. ModelError for a spec whose layers do not fit (naming the
  // layer where the sequence runs out, or the shapes that disagree).
  NetworkImpl(const ArchSpec& spec, int64_t input_length, int64_t tasks);

  // Logits of every output head for one-hot floats [batch, 4, length] or base indices uint8 [batch, length]
  // (0..3 = A, C, G, T, else N: the first convolution then runs as a one-hot gather, several times faster).
  std::vector<torch::Tensor> forward_heads(const torch::Tensor& input);
  // The first head.
  torch::Tensor forward(const torch::Tensor& input) { return forward_heads(input)[0]; }
  torch::Tensor forward_indices(const torch::Tensor& indices) { return forward_heads(indices)[0]; }

  // Computes the `wanted` nodes and what they need, reusing every value `values` already holds (a given node is
  // never recomputed, so its inputs need not be known). Values only the computation needed are dropped once
  // used; the wanted ones stay. std::logic_error if a needed node can only come from the input and none is given.
  void compute(Activations& values, const std::vector<int>& wanted);
  // One node on its inputs' values (in the node's input order). Index input (uint8) only for a first
  // convolution that reads the network input.
  torch::Tensor run_node(int node, const std::vector<torch::Tensor>& inputs);
  // The same on slices of its inputs that already hold its padding (local recomputation): convolutions add no
  // padding of their own, crops and pads pass the slice through.
  torch::Tensor run_node_on_slices(int node, const std::vector<torch::Tensor>& inputs);
  // The module holding node's weights, or nullptr for layers without weights.
  torch::nn::Module* module_of(int node) const;

  const Graph& graph() const { return graph_; }
  const ArchSpec& spec() const { return graph_.spec(); }
  int64_t input_length() const { return graph_.input_length(); }
  int64_t tasks() const { return graph_.tasks(); }
  int64_t parameter_count() const;

 private:
  torch::Tensor input_of(Activations& values, int node, int input);
  void plan_fused_max();
  bool fused_max(Activations& values);

  Graph graph_;
  std::vector<std::shared_ptr<torch::nn::Module>> modules_;  // per node; null without weights
  std::vector<torch::nn::AnyModule> callables_;              // per node; empty without a module
  // DeepBind's detector: a first convolution, monotone activations and a global max pool, computed from base indices
  // in one fused kernel (the max taken before the activations, which commute with it): conv, chain..., pool.
  std::vector<int> fused_;
};
TORCH_MODULE(Network);

// A nonlinearity layer's function (a type for which is_nonlinearity holds): relu, gelu, elu, sigmoid, tanh, exp,
// softplus. Pure; safe from any thread.
torch::Tensor activation(const std::string& type, const torch::Tensor& x);

}  // namespace seqdl::nn
