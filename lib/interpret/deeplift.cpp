#include "interpret/deeplift.hpp"

#include "nn/fast_paths.hpp"
#include "nn/one_hot_conv.hpp"
#include "util/error.hpp"

namespace seqdl::interpret {
namespace {

constexpr double kNear = 1e-6;  // a nonlinearity whose input moved less than this passes its gradient

// f'(x): closed forms, else LibTorch's own derivative of f.
torch::Tensor derivative(const std::string& type, const torch::Tensor& x) {
  if (type == "relu") return (x > 0).to(x.scalar_type());
  if (type == "sigmoid") {
    auto s = torch::sigmoid(x);
    return s * (1 - s);
  }
  if (type == "tanh") return 1 - torch::tanh(x).square();
  if (type == "exp") return torch::exp(x);
  if (type == "softplus") return torch::sigmoid(x);
  torch::AutoGradMode enable(true);
  auto xg = x.detach().clone().requires_grad_(true);
  auto y = nn::activation(type, xg);
  return torch::autograd::grad({y}, {xg}, {torch::ones_like(y)})[0];
}

// The input gradient of a convolution (its transposed operator) for output multipliers m [N, out, L_out]: for
// stride 1 a convolution of the fully padded m with the flipped, transposed kernel (several times faster than
// LibTorch's conv_transpose1d here); otherwise conv_transpose1d. Returns [N, in, padded_length].
torch::Tensor conv_input_gradient(const torch::Tensor& m, const torch::Tensor& w, int64_t stride, int64_t dilation,
                                  int64_t padded_length) {
  const int64_t k = w.size(2), reach = dilation * (k - 1);
  if (stride == 1) {
    auto g = torch::conv1d(torch::constant_pad_nd(m, {reach, reach}), w.transpose(0, 1).flip(2), {},
                           torch::IntArrayRef{1}, torch::IntArrayRef{0}, torch::IntArrayRef{dilation});
    return g.narrow(2, 0, padded_length);
  }
  const int64_t covered = (m.size(2) - 1) * stride + reach + 1;
  return torch::conv_transpose1d(m, w, {}, stride, 0, padded_length - covered, 1, dilation);
}

// Exactly one-hot (or all-zero) columns: the input can go through the base-index path of the first convolution.
bool is_one_hot(const torch::Tensor& x) {
  return ((x == 0) | (x == 1)).all().item<bool>() && (x.sum(1) <= 1).all().item<bool>();
}

torch::Tensor model_input(const torch::Tensor& x) { return is_one_hot(x) ? nn::indices_from_one_hot(x) : x; }

// Max-pool multipliers (see the header) for windows that tile the input (size == stride): the windows as a last
// axis of size `size`, argmaxes as positions in it. m: [B * R, C, W]; x_in: [B, C, L]; r_in: [B * R, C, L].
torch::Tensor route_max_tiled(const torch::Tensor& m, const torch::Tensor& x_in, const torch::Tensor& r_in, int64_t size,
                              int64_t refs) {
  const int64_t B = x_in.size(0), C = x_in.size(1), L = x_in.size(2), W = m.size(2);
  auto xw = x_in.narrow(2, 0, W * size).view({B, 1, C, W, size});
  auto rw = r_in.narrow(2, 0, W * size).view({B, refs, C, W, size});
  auto [yx, ix] = xw.max(4, true);
  auto [yr, ir] = rw.max(4, true);
  auto top = torch::maximum(yx, yr);
  auto mp = m.view({B, refs, C, W, 1});
  auto positions = torch::arange(size, torch::kLong);
  // y > y_ref: m * (y - y_ref) to the input's argmax; y < y_ref: to the reference's argmax.
  auto routed = torch::where(positions == ix, mp * (top - yr), torch::zeros({1}, m.options())) +
                torch::where(positions == ir, mp * (yx - top), torch::zeros({1}, m.options()));
  auto dx = xw - rw;
  auto nonzero = dx != 0;  // a position that received anything has |dx| >= |y - y_ref| > 0
  auto out = torch::where(nonzero, routed / torch::where(nonzero, dx, torch::ones_like(dx)), torch::zeros({1}, m.options()));
  auto full = torch::zeros({B * refs, C, L}, m.options());
  full.narrow(2, 0, W * size).copy_(out.view({B * refs, C, W * size}));
  return full;
}

// The same for overlapping windows, whose shares are summed (scatter_add) where they overlap.
torch::Tensor route_max_overlapping(const torch::Tensor& m, const torch::Tensor& x_in, const torch::Tensor& r_in,
                                   int64_t size, int64_t stride, int64_t refs) {
  auto expand = [&](const torch::Tensor& v) {
    std::vector<int64_t> e = v.sizes().vec(), s = v.sizes().vec();
    e.insert(e.begin() + 1, refs);
    s[0] *= refs;
    return v.unsqueeze(1).expand(e).reshape(s);
  };
  auto [yx, idx_x] = torch::max_pool1d_with_indices(x_in, size, stride);
  auto [yr, idx_r] = torch::max_pool1d_with_indices(r_in, size, stride);
  auto yxp = expand(yx), top = torch::maximum(yxp, yr);
  auto dx = expand(x_in) - r_in;
  auto routed = torch::zeros_like(dx);
  routed.scatter_add_(2, expand(idx_x), m * (top - yr));
  routed.scatter_add_(2, idx_r, m * (yxp - top));
  auto nonzero = dx != 0;
  return torch::where(nonzero, routed / torch::where(nonzero, dx, torch::ones_like(dx)), torch::zeros_like(dx));
}

}  // namespace

torch::Tensor hypothetical_against(const torch::Tensor& multipliers, const torch::Tensor& reference) {
  return multipliers - (multipliers * reference).sum(1, true);
}

DeepLift::DeepLift(nn::NetworkImpl& net, const Target& target) : net_(net), target_(target) {
  std::string missing = nn::layer_without_deeplift_rule(net.graph(), net.graph().outputs().at(target.head()).node);
  if (!missing.empty()) {
    throw ModelError("DeepLIFT has no exact rule for layer {}: use --method integrated-gradients for this model", missing);
  }
  if (!target.linear()) {
    throw UsageError("DeepLIFT explains logits: --probability is for the gradient methods (a probability's "
                     "contributions are the logit's, rescaled)");
  }
}

// `value` of the references [B * R, ...] as [B, R, ...], and the input's [B, ...] as [B, 1, ...]: broadcasting pairs
// them without copying the input's activations R times.
torch::Tensor DeepLift::by_pair(const torch::Tensor& value) const {
  std::vector<int64_t> shape = value.sizes().vec();
  shape[0] /= refs_;
  shape.insert(shape.begin() + 1, refs_);
  return value.view(shape);
}

torch::Tensor DeepLift::paired(int node) const {
  const torch::Tensor& v = node == nn::kNetworkInput ? x_.input : x_.nodes[static_cast<size_t>(node)];
  std::vector<int64_t> shape = v.sizes().vec();
  std::vector<int64_t> expanded = shape;
  expanded.insert(expanded.begin() + 1, refs_);
  shape[0] *= refs_;
  return v.unsqueeze(1).expand(expanded).reshape(shape);
}

void DeepLift::add(std::vector<torch::Tensor>& m, torch::Tensor& input_m, int to, const torch::Tensor& value) const {
  torch::Tensor& slot = to == nn::kNetworkInput ? input_m : m[static_cast<size_t>(to)];
  slot = slot.defined() ? slot + value : value;
}

void DeepLift::backward_node(int n, std::vector<torch::Tensor>& m, torch::Tensor& input_m) {
  const nn::Node& node = net_.graph().node(n);
  const torch::Tensor& M = m[static_cast<size_t>(n)];
  const std::string& t = node.type;
  const nn::LayerParams& p = node.params;
  const int in = node.inputs[0];
  auto ref_value = [&](int i) -> const torch::Tensor& {
    return i == nn::kNetworkInput ? r_.input : r_.nodes[static_cast<size_t>(i)];
  };
  const int64_t in_length = node.in.flat ? 0 : node.in.length;
  if (t == "conv") {
    auto* conv = net_.module_of(n)->as<torch::nn::Conv1dImpl>();
    auto g = conv_input_gradient(M, conv->weight, p.stride, p.dilation, in_length + p.pad_left + p.pad_right);
    add(m, input_m, in, g.narrow(2, p.pad_left, in_length));
  } else if (t == "linear") {
    add(m, input_m, in, M.matmul(net_.module_of(n)->as<torch::nn::LinearImpl>()->weight));
  } else if (t == "batchnorm") {
    auto* bn = net_.module_of(n)->as<torch::nn::BatchNorm1dImpl>();
    auto scale = bn->weight / torch::sqrt(bn->running_var + bn->options.eps());
    add(m, input_m, in, M * (node.in.flat ? scale.view({1, -1}) : scale.view({1, -1, 1})));
  } else if (t == "dropout") {
    add(m, input_m, in, M);
  } else if (t == "flatten") {
    add(m, input_m, in, p.positions_first ? M.view({M.size(0), in_length, node.in.channels}).transpose(1, 2)
                                          : M.view({M.size(0), node.in.channels, in_length}));
  } else if (t == "global_avgpool") {
    add(m, input_m, in, M.unsqueeze(2).expand({M.size(0), M.size(1), in_length}) / static_cast<double>(in_length));
  } else if (t == "avgpool") {
    torch::AutoGradMode enable(true);
    auto xg = torch::zeros({M.size(0), node.in.channels, in_length}, M.options()).requires_grad_(true);
    auto y = torch::avg_pool1d(xg, p.size, p.stride);
    add(m, input_m, in, torch::autograd::grad({y}, {xg}, {M})[0]);
  } else if (t == "crop") {
    add(m, input_m, in, torch::constant_pad_nd(M, {p.pad_left, p.pad_right}));
  } else if (t == "pad") {
    add(m, input_m, in, M.narrow(2, p.pad_left, in_length));
  } else if (t == "add") {
    for (int i : node.inputs) add(m, input_m, i, M);
  } else if (t == "cat") {
    int64_t at = 0;
    for (int i : node.inputs) {
      int64_t c = net_.graph().shape_of(i).channels;
      add(m, input_m, i, M.narrow(1, at, c));
      at += c;
    }
  } else if (nn::is_nonlinearity(t)) {
    const torch::Tensor& x_in = in == nn::kNetworkInput ? x_.input : x_.nodes[static_cast<size_t>(in)];
    auto xi = x_in.unsqueeze(1);  // [B, 1, ...] against the references' [B, R, ...]
    auto dx = xi - by_pair(ref_value(in));
    auto dy = x_.nodes[static_cast<size_t>(n)].unsqueeze(1) - by_pair(r_.nodes[static_cast<size_t>(n)]);
    auto near = dx.abs() < kNear;
    auto rescale = torch::where(near, derivative(t, xi).expand_as(dx), dy / torch::where(near, torch::ones_like(dx), dx));
    add(m, input_m, in, (by_pair(M) * rescale).view(M.sizes()));
  } else if (t == "maxpool" || t == "global_maxpool") {
    const bool global = t == "global_maxpool";
    const int64_t size = global ? in_length : p.size, stride = global ? in_length : p.stride;
    const torch::Tensor& x_in = in == nn::kNetworkInput ? x_.input : x_.nodes[static_cast<size_t>(in)];
    auto mm = global ? M.unsqueeze(2) : M;
    add(m, input_m, in, size == stride ? route_max_tiled(mm, x_in, ref_value(in), size, refs_)
                                       : route_max_overlapping(mm, x_in, ref_value(in), size, stride, refs_));
  } else {
    throw ModelError("DeepLIFT has no rule for layer {} ({})", node.name, t);
  }
}

DeepLiftResult DeepLift::explain(const torch::Tensor& x, const torch::Tensor& references) {
  torch::NoGradGuard no_grad;
  const int64_t B = x.size(0), L = x.size(2);
  refs_ = references.size(1);
  const auto& graph = net_.graph();
  std::vector<int> all(graph.nodes().size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  const torch::Tensor r = references.reshape({B * refs_, 4, L});
  x_ = {model_input(x), {}};
  net_.compute(x_, all);
  r_ = {model_input(r), {}};
  net_.compute(r_, all);
  x_.input = x;  // the rules read one-hot floats
  r_.input = r;

  const int head = graph.outputs()[target_.head()].node;
  const auto& out_x = x_.nodes[static_cast<size_t>(head)];
  const auto& out_r = r_.nodes[static_cast<size_t>(head)];
  std::vector<torch::Tensor> m(graph.nodes().size());
  torch::Tensor input_m;
  m[static_cast<size_t>(head)] = target_.seed(paired(head));
  for (int n = static_cast<int>(graph.nodes().size()) - 1; n >= 0; --n) {
    if (m[static_cast<size_t>(n)].defined()) backward_node(n, m, input_m);
    m[static_cast<size_t>(n)] = torch::Tensor();
  }
  if (!input_m.defined()) input_m = torch::zeros_like(r);

  DeepLiftResult out;
  auto xp = paired(nn::kNetworkInput);
  auto hyp = hypothetical_against(input_m, r).view({B, refs_, 4, L});
  out.hypothetical = hyp.mean(1);
  out.contributions = out.hypothetical * x;
  out.score = target_.score(out_x);
  auto f_r = target_.score(out_r, paired(head)).view({B, refs_});  // weighted targets: the input's weights
  out.reference_score = f_r.mean(1);
  // Summation to delta, pair by pair: sum((x - r) * m) against f(x) - f(r).
  auto terms = ((xp - r) * input_m).view({B, refs_, -1});
  auto sum = terms.sum(2), delta = out.score.unsqueeze(1) - f_r;
  auto scale = torch::maximum(torch::maximum(terms.abs().sum(2), delta.abs()), torch::full_like(delta, 1e-6));
  out.worst_error = std::get<0>(((sum - delta).abs() / scale).max(1));
  x_ = {};
  r_ = {};
  return out;
}

}  // namespace seqdl::interpret
