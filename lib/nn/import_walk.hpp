// The TorchScript importer's machinery (internal to lib/nn/import*.cpp): a walk over a frozen graph that runs every
// node on a probe input (so that sizes, int arithmetic, lists and branches take the values they take for this input
// length) and, for every tensor that depends on the network input, records which seqdl layer computes it and in
// which layout. Ops that read such tensors must map onto seqdl's layers (import_ops.cpp, import_shape_ops.cpp);
// an op that does not stops the import with a message naming it.
#pragma once

#include <torch/script.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nn/spec.hpp"

namespace seqdl::nn::importer {

// How a TorchScript tensor holds the output of the seqdl layer it stands for.
enum class Layout {
  channels_first,  // [B, C, L]: seqdl's own layout
  channels_last,   // [B, L, C]: the seqdl value transposed
  flat,            // [B, F]
  pooled,          // [B, C, 1]: a flat seqdl value with a trailing length of 1 (a pool with keepdim)
};
std::string layout_name(Layout layout);

struct Activation {
  std::string layer;  // the seqdl layer that computes it, or "input"
  Layout layout = Layout::channels_first;
};

// What the walk knows of one TorchScript value.
struct Known {
  c10::IValue value;                             // its value on the probe input
  std::optional<Activation> act;                 // a tensor computed by seqdl's layers
  std::vector<std::optional<Activation>> items;  // a list or tuple holding such tensors
  std::string opaque;  // non-empty: what it is, when it depends on the input in a way no layer computes
  bool depends_on_input() const;
};

// Thrown to stop the import; the message says which op (and where in the exporter's source) and why.
class ImportStop : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The spec under construction: layers in the order the walk meets them, with their weights.
class LayerBuilder {
 public:
  // Adds `layer` reading `inputs` (layer names or "input") and returns its name: `hint` made unique and free of
  // '.', or "<type>_<n>" without a hint.
  std::string add(nlohmann::json layer, const std::vector<std::string>& inputs, const std::string& hint = "");
  void set_tensor(const std::string& layer, const std::string& param, const torch::Tensor& value);
  // nullptr when the layer has no such tensor.
  torch::Tensor* tensor(const std::string& layer, const std::string& param);
  nlohmann::json& layer(const std::string& name);

  // The spec whose outputs are `heads` (name, layer): only the layers they need, "inputs" left out where a layer
  // reads the one before it. ImportStop when the spec does not validate.
  ArchSpec finish(const std::vector<std::pair<std::string, std::string>>& heads, const std::string& name,
                  int64_t input_length, int64_t tasks) const;
  // The weights of the layers `spec` kept, as "<layer>.<param>".
  std::vector<std::pair<std::string, torch::Tensor>> state(const ArchSpec& spec) const;

 private:
  struct Entry {
    std::string name;
    nlohmann::json layer;
    std::vector<std::string> inputs;
    std::vector<std::pair<std::string, torch::Tensor>> tensors;
  };
  Entry& entry(const std::string& name);
  std::vector<Entry> entries_;
  std::set<std::string> names_;
};

// One op being mapped: its node, what is known of its inputs, and its outputs (values already computed; the mapper
// sets `act`, `items` or `opaque` where they depend on the input).
struct OpContext {
  torch::jit::Node* node = nullptr;
  std::vector<const Known*> in;
  std::vector<Known>* out = nullptr;
  LayerBuilder* layers = nullptr;

  std::string kind() const { return node->kind().toQualString(); }
  // The op and where the exporter's source has it ("aten::conv1d (model.py line 12)").
  std::string where() const;
  [[noreturn]] void stop(const std::string& why) const;
  template <class... Args>
  [[noreturn]] void stop(fmt::format_string<Args...> f, Args&&... args) const {
    stop(fmt::format(f, std::forward<Args>(args)...));
  }

  // Argument i: an activation (ImportStop otherwise), a constant tensor (ImportStop if it depends on the input), or a
  // value of the probe run.
  const Activation& act(size_t i) const;
  bool is_act(size_t i) const { return in[i]->act.has_value(); }
  torch::Tensor constant(size_t i, const char* what) const;
  const c10::IValue& value(size_t i) const { return in[i]->value; }
  int64_t integer(size_t i) const;
  std::vector<int64_t> integers(size_t i) const;
  double number(size_t i) const;
  bool flag(size_t i) const;
  bool is_none(size_t i) const { return in[i]->value.isNone(); }
  // Shape of argument i / output i on the probe input.
  std::vector<int64_t> in_shape(size_t i) const;
  std::vector<int64_t> out_shape(size_t i = 0) const;
  void set_out(const Activation& a, size_t i = 0) const { (*out)[i].act = a; }
  // Schema argument name of input i, e.g. "dim" (empty if the op has no schema).
  std::string arg_name(size_t i) const;
};

using OpMapper = std::function<void(OpContext&)>;
using OpTable = std::map<std::string, OpMapper>;

// The mappers, by op ("aten::conv1d"): layers with weights, activations, pools and joins (import_ops.cpp);
// reshapes, transposes, slices, pads and identities (import_shape_ops.cpp).
void add_layer_ops(OpTable& table);
void add_shape_ops(OpTable& table);

// A dimension index in [0, rank) (negative ones count from the end).
int64_t normalise_dim(int64_t dim, int64_t rank);
// The length axis of a sequence layout (2 for channels-first, 1 for channels-last); -1 otherwise.
int64_t length_axis(Layout layout);
int64_t channel_axis(Layout layout);

struct Head {
  std::string name;            // "logits", then "output1", ... (as open_model names a TorchScript module's outputs)
  Activation act;
  std::vector<int64_t> shape;  // on the probe input
};

struct WalkResult {
  std::vector<Head> heads;  // the module's outputs, in order
};

// Walks `graph` (frozen and inlined; input 0 is the module, input 1 the one-hot batch) on `probe`. ImportStop for an
// op without a mapping, an exception the module raises, or an output seqdl's heads cannot be.
WalkResult walk_graph(torch::jit::Graph& graph, const c10::IValue& self, const torch::Tensor& probe,
                      LayerBuilder& layers);

}  // namespace seqdl::nn::importer
