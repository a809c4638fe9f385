#include "nn/graph.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "nn/graph_macros.hpp"
#include "util/error.hpp"

namespace seqdl::nn {
namespace {

int64_t floor_div(int64_t x, int64_t d) { return x >= 0 ? x / d : -((-x + d - 1) / d); }
int64_t ceil_div(int64_t x, int64_t d) { return -floor_div(-x, d); }

Field compose(const Field& f, const Reads& r) {
  return {f.offset - r.pad * f.stride, f.stride * r.stride, f.span + (r.span - 1) * f.stride};
}

}  // namespace

bool is_nonlinearity(const std::string& t) {
  return t == "relu" || t == "gelu" || t == "sigmoid" || t == "tanh" || t == "exp" || t == "softplus" || t == "elu";
}

bool is_monotone(const std::string& t) {
  return t == "relu" || t == "sigmoid" || t == "tanh" || t == "exp" || t == "softplus" || t == "elu";
}

Graph::Graph(const ArchSpec& spec, int64_t input_length, int64_t tasks)
    : spec_(spec), input_length_(input_length), tasks_(tasks) {
  if (input_length < 1) throw ModelError("{}: input length must be positive", spec.name);
  // Each spec layer becomes one node, or several for a macro (spliceai_tower, residual_tower); names refer to a
  // layer's last node.
  std::map<std::string, int> by_name;
  int previous = kNetworkInput;
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const auto& layer = spec.layers[i];
    const std::string type = layer["type"];
    const std::string name = layer.value("name", fmt::format("{}_{}", i, type));
    const std::string where = fmt::format("{} layer {} ({})", spec.name, i + 1, name);
    if (by_name.count(name) != 0) throw ModelError("{}: the name '{}' is used twice", where, name);
    std::vector<int> inputs;
    if (layer.contains("inputs")) {
      for (const auto& ref : layer["inputs"]) {
        std::string r = ref.get<std::string>();
        if (r == "input") {
          inputs.push_back(kNetworkInput);
        } else if (auto it = by_name.find(r); it != by_name.end()) {
          inputs.push_back(it->second);
        } else {
          throw ModelError("{}: input '{}' is not the name of an earlier layer (or \"input\")", where, r);
        }
      }
    } else {
      inputs.push_back(previous);
    }
    auto emit = [&](Node n) {
      add_node(std::move(n), where);
      return static_cast<int>(nodes_.size()) - 1;
    };
    previous = expand_layer(layer, name, inputs, tasks, *this, emit, where);
    by_name[name] = previous;
  }
  if (spec.outputs.is_array() && !spec.outputs.empty()) {
    for (const auto& o : spec.outputs) {
      std::string layer = o.at("layer");
      auto it = by_name.find(layer);
      if (it == by_name.end()) throw ModelError("{}: output '{}' names no layer ('{}')", spec.name, o.value("name", layer), layer);
      outputs_.push_back({o.value("name", layer), it->second});
    }
  } else {
    outputs_.push_back({"logits", previous});
  }
  consumers_.assign(nodes_.size(), {});
  for (size_t n = 0; n < nodes_.size(); ++n) {
    for (int in : nodes_[n].inputs) {
      if (in != kNetworkInput) consumers_[static_cast<size_t>(in)].push_back(static_cast<int>(n));
    }
  }
}

void Graph::add_node(Node n, const std::string& where) {
  if (n.inputs.empty()) throw ModelError("{}: a layer needs an input", where);
  const Shape in = shape_of(n.inputs[0]);
  n.in = in;
  const std::string& t = n.type;
  const LayerParams& p = n.params;
  auto need_sequence = [&] {
    if (in.flat) throw ModelError("{}: needs [channels, length] input but the activations are already flat", where);
  };
  auto same_inputs = [&](bool channels_too) {
    for (int i : n.inputs) {
      Shape s = shape_of(i);
      if (s.flat != in.flat || s.length != in.length || (channels_too && s.channels != in.channels)) {
        throw ModelError("{}: its inputs differ in shape ([{}, {}] and [{}, {}])", where, in.channels, in.length,
                         s.channels, s.length);
      }
    }
  };
  bool local = false;
  if (t == "conv") {
    need_sequence();
    n.reads = {p.dilation * (p.kernel - 1) + 1, p.stride, p.pad_left};
    int64_t covered = in.length + p.pad_left + p.pad_right - n.reads.span;
    n.out = {p.filters, covered < 0 ? 0 : covered / p.stride + 1, false};
    local = true;
  } else if (t == "maxpool" || t == "avgpool") {
    need_sequence();
    n.reads = {p.size, p.stride, 0};
    n.out = {in.channels, in.length < p.size ? 0 : (in.length - p.size) / p.stride + 1, false};
    local = true;
  } else if (t == "batchnorm" || t == "dropout" || is_nonlinearity(t)) {
    n.out = in;
    local = n.elementwise = !in.flat;
  } else if (t == "flatten") {
    n.out = {in.flat ? in.channels : in.channels * in.length, 0, true};
  } else if (t == "linear") {
    if (!in.flat) throw ModelError("{}: needs flat input; add a flatten or global pool layer before it", where);
    n.out = {p.units, 0, true};
  } else if (t == "global_maxpool" || t == "global_avgpool") {
    need_sequence();
    n.out = {in.channels, 0, true};
  } else if (t == "bilstm") {
    need_sequence();
    n.out = {2 * p.hidden, in.length, false};
  } else if (t == "positional_encoding" || t == "transformer_encoder") {
    need_sequence();  // position-dependent or all-to-all: not local
    n.out = in;
  } else if (t == "add" || t == "logsumexp") {
    same_inputs(true);
    n.out = in;
    local = !in.flat;
  } else if (t == "cat") {
    same_inputs(false);
    n.out = in;
    n.out.channels = 0;
    for (int i : n.inputs) n.out.channels += shape_of(i).channels;
    local = !in.flat;
  } else if (t == "crop" || t == "pad") {
    need_sequence();
    const int64_t sign = t == "crop" ? -1 : 1;
    n.reads = {1, 1, sign * p.pad_left};
    n.out = {in.channels, in.length + sign * (p.pad_left + p.pad_right), false};
    local = true;
  } else {
    throw ModelError("{}: unsupported layer type '{}'", where, t);
  }
  if (!n.out.flat && n.out.length < 1) {
    throw ModelError("input length {} is too short for {}: no positions are left after {}", input_length_, spec_.name, where);
  }
  n.local = local;
  count_parameters(n, where);
  if (!n.out.flat) {
    if (local) {
      for (size_t k = 0; k < n.inputs.size(); ++k) {
        Field f = compose(field_of(n.inputs[k]), n.reads);
        if (k == 0) {
          n.field = f;
        } else if (f.stride != n.field.stride) {
          throw ModelError("{}: its inputs have different resolutions (strides {} and {})", where, n.field.stride, f.stride);
        } else {
          int64_t end = std::max(n.field.offset + n.field.span, f.offset + f.span);
          n.field.offset = std::min(n.field.offset, f.offset);
          n.field.span = end - n.field.offset;
        }
      }
      n.valid_begin = 0;
      n.valid_end = n.out.length;
      for (int i : n.inputs) {
        int64_t a = i == kNetworkInput ? 0 : node(i).valid_begin, b = i == kNetworkInput ? input_length_ : node(i).valid_end;
        n.valid_begin = std::max(n.valid_begin, ceil_div(a + n.reads.pad, n.reads.stride));
        n.valid_end = std::min(n.valid_end, floor_div(b + n.reads.pad - n.reads.span, n.reads.stride) + 1);
      }
      if (n.valid_end <= n.valid_begin) n.valid_begin = n.valid_end = 0;
    } else {
      n.field = {0, 1, input_length_};  // every position may depend on every input position
      n.valid_begin = n.valid_end = 0;
    }
  }
  nodes_.push_back(std::move(n));
}

void Graph::count_parameters(const Node& n, const std::string& where) {
  const LayerParams& p = n.params;
  const auto in = static_cast<double>(n.in.channels);
  double count = 0;  // in double: the sizes come from a file and their products may not fit in 64 bits
  if (n.type == "conv") {
    count = static_cast<double>(p.filters) * (in * static_cast<double>(p.kernel) + 1);
  } else if (n.type == "linear") {
    count = static_cast<double>(p.units) * (in + 1);
  } else if (n.type == "bilstm") {
    const auto h = static_cast<double>(p.hidden);
    count = 2 * 4 * h * (in + h + 2);
  } else if (n.type == "transformer_encoder") {
    count = static_cast<double>(p.layers) * (4 * in * in + 2 * in * static_cast<double>(p.ff) + 9 * in);
  } else if (n.type == "batchnorm") {
    count = 4 * in;
  }
  parameters_ += count;
  if (!(parameters_ <= kMaxParameters)) {
    throw ModelError("{}: the network would have {:.3g} parameters, more than seqdl builds ({:.3g})", where,
                     parameters_, kMaxParameters);
  }
}

std::vector<int> Graph::trunk() const {
  std::vector<char> in(nodes_.size(), 0);
  std::vector<int> out;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    bool ok = n.local;
    for (int j : n.inputs) ok = ok && (j == kNetworkInput || in[static_cast<size_t>(j)]);
    if (ok) {
      in[i] = 1;
      out.push_back(static_cast<int>(i));
    }
  }
  return out;
}

std::vector<int> Graph::trunk_frontier() const {
  std::vector<int> t = trunk();
  std::set<int> in(t.begin(), t.end());
  std::set<int> outputs;
  for (const auto& o : outputs_) outputs.insert(o.node);
  std::vector<int> frontier;
  for (int i : t) {
    bool edge = outputs.count(i) != 0;
    for (int c : consumers_[static_cast<size_t>(i)]) edge = edge || in.count(c) == 0;
    if (edge) frontier.push_back(i);
  }
  return frontier;
}

std::vector<int> Graph::ancestors(const std::vector<int>& wanted) const {
  std::vector<char> need(nodes_.size(), 0);
  std::function<void(int)> mark = [&](int i) {
    if (i == kNetworkInput || need[static_cast<size_t>(i)]) return;
    need[static_cast<size_t>(i)] = 1;
    for (int j : nodes_[static_cast<size_t>(i)].inputs) mark(j);
  };
  for (int w : wanted) mark(w);
  std::vector<int> out;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (need[i]) out.push_back(static_cast<int>(i));
  }
  return out;
}

int64_t Graph::receptive_field() const {
  int64_t span = 0;
  for (int f : trunk_frontier()) span = std::max(span, nodes_[static_cast<size_t>(f)].field.span);
  return span;
}

}  // namespace seqdl::nn
