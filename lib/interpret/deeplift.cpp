#include "interpret/deeplift.hpp"

#include "nn/fast_paths.hpp"
#include "nn/one_hot_conv.hpp"
#include "util/error.hpp"

namespace seqdl::interpret {
namespace {

constexpr double kNear = 1e-6;  // a nonlinearity whose input moved less than this passes its gradient

torch::Tensor activation(const std::string& type, const torch::Tensor& x) {
  if (type == "relu") return torch::relu(x);
  if (type == "gelu") return torch::gelu(x);
  if (type == "elu") return torch::elu(x);
  if (type == "sigmoid") return torch::sigmoid(x);
  if (type == "tanh") return torch::tanh(x);
  if (type == "exp") return torch::exp(x);
  return torch::softplus(x);
}

// f'(x), by LibTorch's own derivative of f.
torch::Tensor derivative(const std::string& type, const torch::Tensor& x) {
  torch::AutoGradMode enable(true);
  auto xg = x.detach().clone().requires_grad_(true);
  auto y = activation(type, xg);
  return torch::autograd::grad({y}, {xg}, {torch::ones_like(y)})[0];
}

// Exactly one-hot (or all-zero) columns: the input can go through the base-index path of the first convolution.
bool is_one_hot(const torch::Tensor& x) {
  return ((x == 0) | (x == 1)).all().item<bool>() && (x.sum(1) <= 1).all().item<bool>();
}

torch::Tensor model_input(const torch::Tensor& x) { return is_one_hot(x) ? nn::indices_from_one_hot(x) : x; }

// Routes max-pool multipliers (see the header): window outputs y_x, y_r with argmax positions idx_x, idx_r in
// inputs x_in, r_in ([BR, C, L]); m is the outputs' multiplier [BR, C, W].
torch::Tensor route_max(const torch::Tensor& m, const torch::Tensor& yx, const torch::Tensor& yr, const torch::Tensor& idx_x,
                        const torch::Tensor& idx_r, const torch::Tensor& dx) {
  auto top = torch::maximum(yx, yr);
  auto routed = torch::zeros_like(dx);
  routed.scatter_add_(2, idx_x, m * (top - yr));  // y > y_ref: m * (y - y_ref) to the input's argmax
  routed.scatter_add_(2, idx_r, m * (yx - top));  // y < y_ref: m * (y - y_ref) to the reference's argmax
  // A position that received anything has |dx| >= |y - y_ref| > 0.
  auto nonzero = dx != 0;
  return torch::where(nonzero, routed / torch::where(nonzero, dx, torch::ones_like(dx)), torch::zeros_like(dx));
}

}  // namespace

torch::Tensor hypothetical_against(const torch::Tensor& multipliers, const torch::Tensor& reference) {
  return multipliers - (multipliers * reference).sum(1, true);
}

DeepLift::DeepLift(nn::NetworkImpl& net, const Target& target) : net_(net), target_(target) {
  std::string missing = nn::layer_without_deeplift_rule(net.graph());
  if (!missing.empty()) {
    throw ModelError("DeepLIFT has no exact rule for layer {}: use --method integrated-gradients for this model", missing);
  }
  if (!target.linear()) {
    throw UsageError("DeepLIFT explains logits: --probability is for the gradient methods (a probability's "
                     "contributions are the logit's, rescaled)");
  }
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
    const int64_t padded = in_length + p.pad_left + p.pad_right;
    const int64_t reach = (node.out.length - 1) * p.stride + p.dilation * (p.kernel - 1) + 1;
    auto g = torch::conv_transpose1d(M, conv->weight, {}, p.stride, 0, padded - reach, 1, p.dilation);
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
    auto xi = paired(in), ri = ref_value(in);
    auto dx = xi - ri, dy = paired(n) - r_.nodes[static_cast<size_t>(n)];
    auto near = dx.abs() < kNear;
    auto rescale = torch::where(near, derivative(t, xi), dy / torch::where(near, torch::ones_like(dx), dx));
    add(m, input_m, in, M * rescale);
  } else if (t == "maxpool" || t == "global_maxpool") {
    const bool global = t == "global_maxpool";
    const int64_t size = global ? in_length : p.size, stride = global ? in_length : p.stride;
    const torch::Tensor& x_in = in == nn::kNetworkInput ? x_.input : x_.nodes[static_cast<size_t>(in)];
    auto [yx, idx_x] = torch::max_pool1d_with_indices(x_in, size, stride);
    auto [yr, idx_r] = torch::max_pool1d_with_indices(ref_value(in), size, stride);
    auto expand = [&](const torch::Tensor& v) {
      std::vector<int64_t> e = v.sizes().vec(), s = v.sizes().vec();
      e.insert(e.begin() + 1, refs_);
      s[0] *= refs_;
      return v.unsqueeze(1).expand(e).reshape(s);
    };
    auto mm = global ? M.unsqueeze(2) : M;
    add(m, input_m, in, route_max(mm, expand(yx), yr, expand(idx_x), idx_r, paired(in) - ref_value(in)));
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

  const int head = graph.outputs()[0].node;
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
  auto f_r = target_.score(out_r).view({B, refs_});
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
