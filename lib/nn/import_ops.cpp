// Ops that become seqdl layers: convolutions, batch norm, linear maps, activations, pools, global pools, additions,
// concatenations and bidirectional LSTMs.
#include "nn/import_walk.hpp"

namespace seqdl::nn::importer {
namespace {

constexpr double kSeqdlBatchNormEps = 1e-5;  // torch::nn::BatchNorm1d's default, which seqdl's layer uses

// The module path of a constant named "self.<path>[.<param>]" by freezing ("features.0.0"), or "".
std::string weight_name(const OpContext& c, size_t i, const std::string& param) {
  std::string n = c.node->input(i)->debugName();
  if (n.rfind("self.", 0) != 0) return "";
  n = n.substr(5);
  const std::string suffix = "." + param;
  if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0) {
    n.resize(n.size() - suffix.size());
  }
  return n;
}

int64_t single(const OpContext& c, const std::vector<int64_t>& v, const char* what, int64_t fallback) {
  if (v.empty()) return fallback;
  if (v.size() != 1) c.stop("its {} has {} values; seqdl's layers are one-dimensional", what, v.size());
  return v[0];
}

void need_sequence(const OpContext& c, const Activation& x) {
  if (x.layout != Layout::channels_first) {
    c.stop("it reads a {} tensor; this layer needs [batch, channels, length]", layout_name(x.layout));
  }
}

// aten::conv1d(x, w, b, stride, padding, dilation, groups); aten::_convolution / aten::convolution(x, w, b, stride,
// padding, dilation, transposed, output_padding, groups, ...).
void conv(OpContext& c) {
  const Activation& x = c.act(0);
  need_sequence(c, x);
  torch::Tensor w = c.constant(1, "weight");
  if (w.dim() != 3) c.stop("not a one-dimensional convolution (its weight has {} dimensions)", w.dim());
  const bool conv1d = c.kind() == "aten::conv1d";
  if (!conv1d && c.flag(6)) c.stop("a transposed convolution; seqdl has no layer for it");
  const int64_t groups = c.integer(conv1d ? 6 : 8);
  if (groups != 1) c.stop("a grouped convolution (groups {}); seqdl's convolutions are dense", groups);
  const int64_t kernel = w.size(2);
  const int64_t stride = single(c, c.integers(3), "stride", 1);
  const int64_t dilation = single(c, c.integers(5), "dilation", 1);
  int64_t left = 0, right = 0;
  if (c.value(4).isString()) {
    if (c.value(4).toStringRef() == "same") {
      left = dilation * (kernel - 1) / 2;
      right = dilation * (kernel - 1) - left;
    }
  } else {
    left = right = single(c, c.integers(4), "padding", 0);
  }
  nlohmann::json l = {{"type", "conv"}, {"filters", w.size(0)}, {"kernel", kernel}};
  if (dilation != 1) l["dilation"] = dilation;
  if (stride != 1) l["stride"] = stride;
  if (left != 0 || right != 0) l["padding"] = {left, right};
  if (c.is_none(2)) l["bias"] = false;
  std::string name = c.layers->add(l, {x.layer}, weight_name(c, 1, "weight"));
  c.layers->set_tensor(name, "weight", w.contiguous());
  if (!c.is_none(2)) c.layers->set_tensor(name, "bias", c.constant(2, "bias").contiguous());
  c.set_out({name, Layout::channels_first});
}

// A linear map y = x w^T + b of the last axis: a linear layer on flat input, a 1x1 convolution on [batch, length,
// channels].
void linear_layer(OpContext& c, const Activation& x, const torch::Tensor& w, const torch::Tensor& b,
                  const std::string& hint) {
  if (w.dim() != 2) c.stop("its weight has {} dimensions, not 2", w.dim());
  nlohmann::json l;
  torch::Tensor weight = w.contiguous();
  Layout out = x.layout;
  if (x.layout == Layout::flat) {
    l = {{"type", "linear"}, {"units", w.size(0)}};
  } else if (x.layout == Layout::channels_last) {
    l = {{"type", "conv"}, {"filters", w.size(0)}, {"kernel", 1}};
    weight = weight.unsqueeze(2).contiguous();
  } else {
    c.stop("a linear map over the last axis of a {} tensor", layout_name(x.layout));
  }
  if (!b.defined()) l["bias"] = false;
  std::string name = c.layers->add(l, {x.layer}, hint);
  c.layers->set_tensor(name, "weight", weight);
  if (b.defined()) c.layers->set_tensor(name, "bias", b.reshape({-1}).contiguous());
  c.set_out({name, out});
}

void linear(OpContext& c) {
  torch::Tensor b = c.is_none(2) ? torch::Tensor() : c.constant(2, "bias");
  linear_layer(c, c.act(0), c.constant(1, "weight"), b, weight_name(c, 1, "weight"));
}

// aten::matmul(x, w) / aten::mm(x, w) with a constant w [in, out].
void matmul(OpContext& c) {
  torch::Tensor w = c.constant(1, "second operand");
  if (w.dim() != 2) c.stop("a product with a {}-dimensional tensor", w.dim());
  linear_layer(c, c.act(0), w.t(), torch::Tensor(), "");
}

// aten::addmm(b, x, w, beta, alpha): b + x w.
void addmm(OpContext& c) {
  if (c.number(3) != 1.0 || c.number(4) != 1.0) c.stop("beta and alpha other than 1");
  torch::Tensor w = c.constant(2, "weight");
  if (w.dim() != 2) c.stop("a product with a {}-dimensional tensor", w.dim());
  linear_layer(c, c.act(1), w.t(), c.constant(0, "bias"), "");
}

// aten::batch_norm(x, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled), in eval mode.
void batch_norm(OpContext& c) {
  const Activation& x = c.act(0);
  if (x.layout == Layout::channels_last) c.stop("batch norm over the length axis of a [batch, length, channels] tensor");
  if (c.flag(5)) c.stop("batch norm with batch statistics (the module is in training mode)");
  if (c.is_none(3) || c.is_none(4)) c.stop("batch norm without running statistics");
  torch::Tensor mean = c.constant(3, "running mean").to(torch::kFloat32), var = c.constant(4, "running variance").to(torch::kFloat32);
  const int64_t channels = mean.numel();
  // seqdl's layer divides by sqrt(var + 1e-5): another eps moves into the variance.
  const double eps = c.number(7);
  if (eps != kSeqdlBatchNormEps) var = var + (eps - kSeqdlBatchNormEps);
  torch::Tensor w = c.is_none(1) ? torch::ones({channels}) : c.constant(1, "weight");
  torch::Tensor b = c.is_none(2) ? torch::zeros({channels}) : c.constant(2, "bias");
  std::string name = c.layers->add({{"type", "batchnorm"}}, {x.layer}, weight_name(c, 3, "running_mean"));
  c.layers->set_tensor(name, "weight", w.contiguous());
  c.layers->set_tensor(name, "bias", b.contiguous());
  c.layers->set_tensor(name, "running_mean", mean.contiguous());
  c.layers->set_tensor(name, "running_var", var.contiguous());
  c.layers->set_tensor(name, "num_batches_tracked", torch::zeros({}, torch::kLong));
  c.set_out({name, x.layout});
}

OpMapper activation(const std::string& type) {
  return [type](OpContext& c) {
    const std::string kind = c.kind();
    if (kind.rfind("aten::elu", 0) == 0) {
      for (size_t i = 1; i < 4 && i < c.in.size(); ++i) {
        if (c.number(i) != 1.0) c.stop("ELU with alpha or scale other than 1");
      }
    } else if (kind.rfind("aten::gelu", 0) == 0) {
      if (c.in.size() > 1 && c.value(1).isString() && c.value(1).toStringRef() != "none") c.stop("GELU's tanh approximation");
    } else if (kind.rfind("aten::softplus", 0) == 0) {
      if (c.number(1) != 1.0 || c.number(2) != 20.0) c.stop("softplus with beta other than 1 or threshold other than 20");
    }
    const Activation& x = c.act(0);
    std::string name = c.layers->add({{"type", type}}, {x.layer});
    c.set_out({name, x.layout});
  };
}

// max_pool1d(x, kernel, stride, padding, dilation, ceil_mode) / avg_pool1d(x, kernel, stride, padding, ceil_mode, ...).
OpMapper pool(const std::string& type) {
  return [type](OpContext& c) {
    const Activation& x = c.act(0);
    need_sequence(c, x);
    const int64_t size = single(c, c.integers(1), "kernel size", 1);
    const int64_t stride = single(c, c.integers(2), "stride", size);
    if (single(c, c.integers(3), "padding", 0) != 0) c.stop("a padded pool; seqdl's pools are unpadded");
    if (type == "maxpool" && single(c, c.integers(4), "dilation", 1) != 1) c.stop("a dilated pool");
    const int64_t length = c.in_shape(0)[2];
    if (c.out_shape()[2] != (length - size) / stride + 1) c.stop("ceil_mode adds a partial window at the end");
    std::string name = c.layers->add({{"type", type}, {"size", size}, {"stride", stride}}, {x.layer});
    c.set_out({name, Layout::channels_first});
    if (c.out->size() > 1) (*c.out)[1].opaque = "the positions of a max pool";
  };
}

// adaptive_{max,avg}_pool1d(x, output_size): a global pool (size 1), an identity, or a plain pool.
OpMapper adaptive_pool(const std::string& type) {
  return [type](OpContext& c) {
    const Activation& x = c.act(0);
    need_sequence(c, x);
    const int64_t n = single(c, c.integers(1), "output size", 1), length = c.in_shape(0)[2];
    if (c.out->size() > 1) (*c.out)[1].opaque = "the positions of a max pool";
    if (n == length) {
      c.set_out(x);
    } else if (n == 1) {
      std::string name = c.layers->add({{"type", "global_" + type}}, {x.layer});
      c.set_out({name, Layout::pooled});
    } else if (length % n == 0) {
      std::string name = c.layers->add({{"type", type}, {"size", length / n}, {"stride", length / n}}, {x.layer});
      c.set_out({name, Layout::channels_first});
    } else {
      c.stop("an adaptive pool from {} to {} positions (uneven windows)", length, n);
    }
  };
}

// amax(x, dims, keepdim), max.dim(x, dim, keepdim), mean.dim(x, dims, keepdim, dtype): global pools over the length.
OpMapper reduction(const std::string& type) {
  return [type](OpContext& c) {
    const std::string overload = c.node->schema().overload_name();
    if (c.kind() == "aten::max" && overload != "dim") c.stop("a max over the whole tensor or of two tensors");
    if (c.kind() == "aten::mean" && overload != "dim") c.stop("a mean over the whole tensor");
    if (c.kind() == "aten::mean" && c.in.size() > 3 && !c.is_none(3)) c.stop("a mean with a dtype");
    const Activation& x = c.act(0);
    std::vector<int64_t> dims = c.integers(1);
    const auto rank = static_cast<int64_t>(c.in_shape(0).size());
    if (dims.size() != 1 || normalise_dim(dims[0], rank) != length_axis(x.layout)) {
      c.stop("a reduction over dimensions other than the length of a {} tensor", layout_name(x.layout));
    }
    const bool keepdim = c.flag(2);
    if (keepdim && x.layout != Layout::channels_first) c.stop("a pool with keepdim over [batch, length, channels]");
    std::string name = c.layers->add({{"type", "global_" + type}}, {x.layer});
    c.set_out({name, keepdim ? Layout::pooled : Layout::flat});
    if (c.out->size() > 1) (*c.out)[1].opaque = "the positions of a max";
  };
}

// A constant added after a convolution or linear layer moves into its bias (aten::add / aten::sub).
void fold_bias(OpContext& c, size_t act_index, double sign) {
  const Activation& x = c.act(act_index);
  torch::jit::Node* producer = c.node->input(act_index)->node();
  static const std::set<std::string> layer_ops = {"aten::linear", "aten::matmul", "aten::mm", "aten::conv1d",
                                                   "aten::_convolution", "aten::convolution"};
  size_t uses = 0;
  for (const auto& use : c.node->input(act_index)->uses()) {
    std::string k = use.user->kind().toQualString();
    if (k != "aten::size" && k != "aten::dim") ++uses;
  }
  const std::vector<int64_t> shape = c.in_shape(act_index);
  const size_t other = 1 - act_index;
  torch::Tensor k = c.value(other).isTensor() ? c.constant(other, "constant") : torch::tensor(c.number(other));
  if (x.layer == "input" || layer_ops.count(producer->kind().toQualString()) == 0 || uses != 1) {
    c.stop("it adds a constant of shape {} to activations (seqdl folds a constant only into the bias of the linear "
           "or convolution layer right before it)", nlohmann::json(k.sizes().vec()).dump());
  }
  torch::Tensor full;
  try {
    full = k.to(torch::kFloat32).expand(shape);
  } catch (const std::exception&) {
    c.stop("a constant of shape {} does not broadcast", nlohmann::json(k.sizes().vec()).dump());
  }
  const int64_t axis = x.layout == Layout::flat ? 1 : channel_axis(x.layout);
  torch::Tensor per_channel = full;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (d != axis) per_channel = per_channel.select(d, 0);
  }
  std::vector<int64_t> view(shape.size(), 1);
  view[static_cast<size_t>(axis)] = shape[static_cast<size_t>(axis)];
  if (!torch::equal(per_channel.reshape(view).expand(shape), full)) c.stop("it adds a constant that varies along the length");
  const double alpha = c.in.size() > 2 ? c.number(2) : 1.0;
  torch::Tensor* bias = c.layers->tensor(x.layer, "bias");
  torch::Tensor add = per_channel.contiguous() * (sign * alpha);
  c.layers->set_tensor(x.layer, "bias", bias != nullptr ? (*bias + add).contiguous() : add);
  c.layers->layer(x.layer).erase("bias");
  c.set_out(x);
}

// aten::add / aten::sub: a residual addition of two activations, or a bias.
void add(OpContext& c) {
  const bool sub = c.kind().rfind("aten::sub", 0) == 0;
  const bool a = c.is_act(0), b = c.in.size() > 1 && c.is_act(1);
  if (a && b) {
    if (sub) c.stop("a difference of activations; seqdl's layers only add");
    if (c.in.size() > 2 && c.number(2) != 1.0) c.stop("an addition with alpha {}", c.number(2));
    const Activation &x = c.act(0), &y = c.act(1);
    if (x.layout != y.layout) c.stop("it adds {} and {} tensors", layout_name(x.layout), layout_name(y.layout));
    std::string name = c.layers->add({{"type", "add"}}, {x.layer, y.layer});
    c.set_out({name, x.layout});
  } else if (a) {
    fold_bias(c, 0, sub ? -1.0 : 1.0);
  } else {
    if (sub) c.stop("it subtracts activations from a constant");
    fold_bias(c, 1, 1.0);
  }
}

// aten::cat(tensors, dim) along channels.
void cat(OpContext& c) {
  const Known& list = *c.in[0];
  std::vector<std::string> inputs;
  std::optional<Layout> layout;
  for (const auto& item : list.items) {
    if (!item) c.stop("it concatenates a constant tensor with activations");
    if (layout && *layout != item->layout) c.stop("it concatenates tensors of different layouts");
    layout = item->layout;
    inputs.push_back(item->layer);
  }
  const auto rank = static_cast<int64_t>(c.out_shape().size());
  const int64_t dim = normalise_dim(c.integer(1), rank);
  if (dim != (*layout == Layout::flat ? 1 : channel_axis(*layout))) c.stop("a concatenation along the length or batch");
  if (inputs.size() == 1) {
    c.set_out(*list.items[0]);
    return;
  }
  std::string name = c.layers->add({{"type", "cat"}}, inputs);
  c.set_out({name, *layout});
}

// aten::lstm(x, hx, params, has_biases, layers, dropout, train, bidirectional, batch_first): seqdl's bilstm layer.
void lstm(OpContext& c) {
  const Activation& x = c.act(0);
  if (!c.flag(8) || x.layout != Layout::channels_last) {
    c.stop("seqdl's LSTM layer reads [batch, length, channels] (batch_first=True, after a transpose)");
  }
  if (!c.flag(7)) c.stop("a unidirectional LSTM; seqdl's LSTM layer is bidirectional");
  if (c.flag(6)) c.stop("an LSTM in training mode");
  if (c.in[1]->depends_on_input()) c.stop("an initial state that depends on the input");
  for (const auto& h : c.value(1).toTensorVector()) {
    if (h.defined() && h.abs().max().item<double>() != 0) c.stop("a non-zero initial state");
  }
  const bool biases = c.flag(3);
  const int64_t layers = c.integer(4);
  std::vector<torch::Tensor> params = c.value(2).toTensorVector();
  const size_t per = biases ? 4 : 2;
  if (params.size() != per * 2 * static_cast<size_t>(layers)) c.stop("{} weights for {} layers", params.size(), layers);
  const int64_t hidden = params[1].size(1);
  std::string name = c.layers->add({{"type", "bilstm"}, {"hidden", hidden}, {"layers", layers}}, {x.layer},
                                   weight_name(c, 2, "_flat_weights"));
  for (int64_t l = 0; l < layers; ++l) {
    for (int dir = 0; dir < 2; ++dir) {
      const size_t at = (static_cast<size_t>(l) * 2 + static_cast<size_t>(dir)) * per;
      const std::string suffix = fmt::format("_l{}{}", l, dir == 1 ? "_reverse" : "");
      c.layers->set_tensor(name, "lstm.weight_ih" + suffix, params[at].contiguous());
      c.layers->set_tensor(name, "lstm.weight_hh" + suffix, params[at + 1].contiguous());
      torch::Tensor zeros = torch::zeros({4 * hidden});
      c.layers->set_tensor(name, "lstm.bias_ih" + suffix, biases ? params[at + 2].contiguous() : zeros);
      c.layers->set_tensor(name, "lstm.bias_hh" + suffix, biases ? params[at + 3].contiguous() : zeros);
    }
  }
  c.set_out({name, Layout::channels_last});
  for (size_t i = 1; i < c.out->size(); ++i) (*c.out)[i].opaque = "an LSTM's final states";
}

}  // namespace

void add_layer_ops(OpTable& t) {
  for (const char* k : {"aten::conv1d", "aten::_convolution", "aten::convolution"}) t[k] = conv;
  t["aten::linear"] = linear;
  t["aten::matmul"] = matmul;
  t["aten::mm"] = matmul;
  t["aten::addmm"] = addmm;
  t["aten::batch_norm"] = batch_norm;
  for (const char* type : {"relu", "sigmoid", "tanh", "exp", "elu", "gelu", "softplus"}) {
    t[fmt::format("aten::{}", type)] = activation(type);
    t[fmt::format("aten::{}_", type)] = activation(type);
  }
  t["aten::max_pool1d"] = pool("maxpool");
  t["aten::max_pool1d_with_indices"] = pool("maxpool");
  t["aten::avg_pool1d"] = pool("avgpool");
  t["aten::adaptive_max_pool1d"] = adaptive_pool("maxpool");
  t["aten::adaptive_avg_pool1d"] = adaptive_pool("avgpool");
  t["aten::amax"] = reduction("maxpool");
  t["aten::max"] = reduction("maxpool");
  t["aten::mean"] = reduction("avgpool");
  for (const char* k : {"aten::add", "aten::add_", "aten::sub", "aten::sub_"}) t[k] = add;
  t["aten::cat"] = cat;
  t["aten::concat"] = cat;
  t["aten::lstm"] = lstm;
}

}  // namespace seqdl::nn::importer
