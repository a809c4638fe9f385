#include "nn/graph_macros.hpp"

#include "util/error.hpp"

namespace seqdl::nn {
namespace {

int64_t count_of(const nlohmann::json& layer, const char* key, int64_t tasks, int64_t fallback) {
  if (!layer.contains(key)) return fallback;
  const auto& v = layer[key];
  if (v.is_string()) return tasks;  // "tasks" (validated by ArchSpec::from_json)
  return v.get<int64_t>();
}

// Conv padding: "valid", "same" (PyTorch's rule: the odd base goes right), a number for both sides, or [left, right].
std::pair<int64_t, int64_t> conv_padding(const nlohmann::json& layer, int64_t span, int64_t stride, const std::string& where) {
  if (!layer.contains("padding")) return {0, 0};
  const auto& v = layer["padding"];
  if (v.is_number_integer()) return {v.get<int64_t>(), v.get<int64_t>()};
  if (v.is_array()) return {v[0].get<int64_t>(), v[1].get<int64_t>()};
  if (v == "valid") return {0, 0};
  if (stride != 1) throw ModelError("{}: \"same\" padding needs stride 1", where);
  return {(span - 1) / 2, span - 1 - (span - 1) / 2};
}

LayerParams params_of(const nlohmann::json& l, int64_t tasks, Shape in, const std::string& where) {
  const std::string type = l["type"];
  LayerParams p;
  p.filters = count_of(l, "filters", tasks, 0);
  p.kernel = l.value("kernel", int64_t{1});
  p.dilation = l.value("dilation", int64_t{1});
  p.bias = l.value("bias", true);
  p.units = count_of(l, "units", tasks, 0);
  p.hidden = l.value("hidden", int64_t{0});
  p.layers = l.value("layers", int64_t{1});
  p.heads = l.value("heads", int64_t{1});
  p.ff = l.value("ff", int64_t{0});
  p.p = l.contains("p") ? l["p"].get<double>() : l.value("dropout", 0.1);
  p.norm_first = l.value("norm_first", true);
  p.positions_first = l.value("order", std::string("channels")) == "positions";
  if (type == "maxpool" || type == "avgpool") {
    p.size = l["size"];
    p.stride = l.value("stride", p.size);
  } else {
    p.stride = l.value("stride", int64_t{1});
  }
  if (type == "conv") {
    std::tie(p.pad_left, p.pad_right) = conv_padding(l, p.dilation * (p.kernel - 1) + 1, p.stride, where);
  } else if (type == "crop" || type == "pad") {
    p.pad_left = l.value("left", int64_t{0});
    p.pad_right = l.value("right", int64_t{0});
    if (l.contains("length")) {  // a centred crop to this many positions (the odd one comes off the right)
      int64_t extra = in.length - l["length"].get<int64_t>();
      if (extra < 0) throw ModelError("{}: cannot crop {} positions to {}", where, in.length, l["length"].get<int64_t>());
      p.pad_left = extra / 2;
      p.pad_right = extra - extra / 2;
    }
  }
  return p;
}

Node make(std::string name, std::string type, std::vector<int> inputs, LayerParams p = {}) {
  Node n;
  n.name = std::move(name);
  n.type = std::move(type);
  n.inputs = std::move(inputs);
  n.params = p;
  return n;
}

LayerParams conv_params(int64_t filters, int64_t kernel, int64_t dilation, bool same) {
  LayerParams p;
  p.filters = filters;
  p.kernel = kernel;
  p.dilation = dilation;
  if (same) {
    int64_t span = dilation * (kernel - 1);
    p.pad_left = span / 2;
    p.pad_right = span - span / 2;
  }
  return p;
}

// SpliceAI's residual tower (Jaganathan et al. 2019): a 1x1 stem; residual units (BN, ReLU, dilated conv, twice,
// added to the unit's input) in groups; a 1x1 skip convolution from the stem and after every group, summed; then
// context / 2 positions cropped from each end. Output position j depends on input positions [j, j + context].
int spliceai_tower(const nlohmann::json& l, const std::string& name, int input, const EmitNode& emit,
                   const std::string& where) {
  const int64_t channels = l["channels"], context = l["context"], group = l.value("group", int64_t{4});
  if (context % 2 != 0) throw ModelError("{}: context {} must be even", where, context);
  int64_t reach = 0;
  for (const auto& u : l["units"]) reach += 2 * u[1].get<int64_t>() * (u[0].get<int64_t>() - 1);
  if (reach > context) {
    throw ModelError("{}: the units see {} bases but the context is only {}: edges would be wrong", where, reach, context);
  }
  const std::string n = name + "/";
  int h = emit(make(n + "stem", "conv", {input}, conv_params(channels, 1, 1, false)));
  int skip = emit(make(n + "skip0", "conv", {h}, conv_params(channels, 1, 1, false)));
  const size_t units = l["units"].size();
  for (size_t i = 0; i < units; ++i) {
    const int64_t k = l["units"][i][0], d = l["units"][i][1];
    if (k % 2 == 0) throw ModelError("{}: kernel {} must be odd", where, k);
    const std::string u = n + fmt::format("unit{}/", i);
    int x = emit(make(u + "bn1", "batchnorm", {h}));
    x = emit(make(u + "relu1", "relu", {x}));
    x = emit(make(u + "conv1", "conv", {x}, conv_params(channels, k, d, true)));
    x = emit(make(u + "bn2", "batchnorm", {x}));
    x = emit(make(u + "relu2", "relu", {x}));
    x = emit(make(u + "conv2", "conv", {x}, conv_params(channels, k, d, true)));
    h = emit(make(u + "add", "add", {h, x}));
    if ((i + 1) % static_cast<size_t>(group) == 0 || i + 1 == units) {
      const std::string s = n + fmt::format("skip{}", (i + 1 + group - 1) / group);
      int c = emit(make(s, "conv", {h}, conv_params(channels, 1, 1, false)));
      skip = emit(make(s + "/add", "add", {skip, c}));
    }
  }
  LayerParams crop;
  crop.pad_left = crop.pad_right = context / 2;
  return emit(make(name, "crop", {skip}, crop));
}

// BPNet's trunk (Avsec et al. 2021): `layers` residual dilated convolutions, h = h + ReLU(conv_d(h)) with
// dilation 2, 4, ..., 2^layers and "same" padding.
int residual_tower(const nlohmann::json& l, const std::string& name, int input, const EmitNode& emit) {
  const int64_t filters = l["filters"], layers = l["layers"], kernel = l.value("kernel", int64_t{3});
  int h = input;
  for (int64_t i = 1; i <= layers; ++i) {
    const std::string r = name + fmt::format("/res{}/", i);
    int x = emit(make(r + "conv", "conv", {h}, conv_params(filters, kernel, int64_t{1} << i, true)));
    x = emit(make(r + "relu", "relu", {x}));
    h = emit(make(i == layers ? name : r + "add", "add", {h, x}));
  }
  return h;
}

}  // namespace

int expand_layer(const nlohmann::json& layer, const std::string& name, const std::vector<int>& inputs, int64_t tasks,
                 const Graph& graph, const EmitNode& emit, const std::string& where) {
  const std::string type = layer["type"];
  if (type == "spliceai_tower" || type == "residual_tower") {
    if (inputs.size() != 1) throw ModelError("{}: a {} takes one input", where, type);
    return type == "spliceai_tower" ? spliceai_tower(layer, name, inputs[0], emit, where)
                                    : residual_tower(layer, name, inputs[0], emit);
  }
  const bool joins = type == "add" || type == "cat" || type == "logsumexp";
  if (inputs.size() != 1 && !joins) throw ModelError("{}: a {} layer takes one input", where, type);
  if (joins && inputs.size() < 2) throw ModelError("{}: {} needs two or more inputs", where, type);
  return emit(make(name, type, inputs, params_of(layer, tasks, graph.shape_of(inputs[0]), where)));
}

}  // namespace seqdl::nn
