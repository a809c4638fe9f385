#include "nn/network.hpp"

#include <stdexcept>

#include "nn/blocks.hpp"
#include "nn/one_hot_conv.hpp"
#include "util/error.hpp"

namespace seqdl::nn {
namespace {

// The module of a node that has weights, or an empty AnyModule.
torch::nn::AnyModule make_module(const Node& n) {
  const LayerParams& p = n.params;
  if (n.type == "conv") {
    auto o = torch::nn::Conv1dOptions(n.in.channels, p.filters, p.kernel).dilation(p.dilation).stride(p.stride).bias(p.bias);
    if (p.pad_left == p.pad_right) o.padding(p.pad_left);  // asymmetric padding is applied before the convolution
    return torch::nn::AnyModule(torch::nn::Conv1d(o));
  }
  if (n.type == "batchnorm") return torch::nn::AnyModule(torch::nn::BatchNorm1d(n.in.channels));
  if (n.type == "dropout") return torch::nn::AnyModule(torch::nn::Dropout(p.p));
  if (n.type == "linear") return torch::nn::AnyModule(torch::nn::Linear(torch::nn::LinearOptions(n.in.channels, p.units).bias(p.bias)));
  if (n.type == "bilstm") return torch::nn::AnyModule(BiLstm(n.in.channels, p.hidden, p.layers));
  if (n.type == "positional_encoding") return torch::nn::AnyModule(PositionalEncoding(n.in.channels, n.in.length));
  if (n.type == "transformer_encoder") {
    return torch::nn::AnyModule(TransformerEncoder(n.in.channels, p.layers, p.heads, p.ff, p.p, p.norm_first));
  }
  return {};
}

}  // namespace

torch::Tensor activation(const std::string& type, const torch::Tensor& x) {
  if (type == "relu") return torch::relu(x);
  if (type == "gelu") return torch::gelu(x);
  if (type == "elu") return torch::elu(x);
  if (type == "sigmoid") return torch::sigmoid(x);
  if (type == "tanh") return torch::tanh(x);
  if (type == "exp") return torch::exp(x);
  return torch::softplus(x);
}

NetworkImpl::NetworkImpl(const ArchSpec& spec, int64_t input_length, int64_t tasks) : graph_(spec, input_length, tasks) {
  const auto& nodes = graph_.nodes();
  modules_.resize(nodes.size());
  callables_.resize(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    torch::nn::AnyModule m = make_module(nodes[i]);
    if (m.is_empty()) continue;
    modules_[i] = m.ptr();
    callables_[i] = m;
    register_module(nodes[i].name, m.ptr());
  }
  plan_fused_max();
}

void NetworkImpl::plan_fused_max() {
  const auto& nodes = graph_.nodes();
  const auto& consumers = graph_.consumers();
  if (nodes.empty() || nodes[0].type != "conv" || nodes[0].inputs[0] != kNetworkInput || nodes[0].in.channels != 4) return;
  std::vector<int> chain{0};
  int at = 0;
  while (consumers[static_cast<size_t>(at)].size() == 1) {
    int next = consumers[static_cast<size_t>(at)][0];
    const Node& n = nodes[static_cast<size_t>(next)];
    for (const auto& o : graph_.outputs()) {
      if (o.node == at) return;  // an intermediate value is an output: nothing to fuse away
    }
    if (n.type == "global_maxpool") {
      chain.push_back(next);
      fused_ = chain;
      return;
    }
    if (!is_monotone(n.type)) return;
    chain.push_back(next);
    at = next;
  }
}

int64_t NetworkImpl::parameter_count() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

torch::nn::Module* NetworkImpl::module_of(int node) const { return modules_[static_cast<size_t>(node)].get(); }

torch::Tensor NetworkImpl::run_node(int i, const std::vector<torch::Tensor>& in) {
  const Node& n = graph_.node(i);
  const LayerParams& p = n.params;
  const std::string& t = n.type;
  if (t == "conv") {
    auto* conv = modules_[static_cast<size_t>(i)]->as<torch::nn::Conv1dImpl>();
    torch::Tensor x = in[0];
    if (x.scalar_type() == torch::kUInt8) {
      if (p.pad_left != 0 || p.pad_right != 0) x = torch::constant_pad_nd(x, {p.pad_left, p.pad_right}, kNoBase);
      return one_hot_conv1d(x, conv->weight, conv->bias, p.stride, p.dilation, 0);
    }
    if (p.pad_left != p.pad_right) x = torch::constant_pad_nd(x, {p.pad_left, p.pad_right});
    return conv->forward(x);
  }
  if (is_nonlinearity(t)) return activation(t, in[0]);
  if (t == "maxpool") return torch::max_pool1d(in[0], p.size, p.stride);
  if (t == "avgpool") return torch::avg_pool1d(in[0], p.size, p.stride);
  if (t == "flatten") return p.positions_first ? in[0].transpose(1, 2).flatten(1) : in[0].flatten(1);
  // max(dim) rather than amax: the same values, and a backward pass that is twice as fast.
  if (t == "global_maxpool") return std::get<0>(in[0].max(2));
  if (t == "global_avgpool") return in[0].mean(2);
  if (t == "add") {
    torch::Tensor sum = in[0] + in[1];
    for (size_t k = 2; k < in.size(); ++k) sum = sum + in[k];
    return sum;
  }
  if (t == "cat") return torch::cat(in, 1);
  if (t == "logsumexp") return torch::logsumexp(torch::stack(in, 0), 0);
  if (t == "crop") return in[0].narrow(2, p.pad_left, in[0].size(2) - p.pad_left - p.pad_right);
  if (t == "pad") return torch::constant_pad_nd(in[0], {p.pad_left, p.pad_right});
  auto& module = callables_[static_cast<size_t>(i)];
  if (module.is_empty()) throw std::logic_error("seqdl: no way to run layer type " + t);
  return module.forward(in[0]);
}

torch::Tensor NetworkImpl::run_node_on_slices(int i, const std::vector<torch::Tensor>& in) {
  const Node& n = graph_.node(i);
  if (n.type == "crop" || n.type == "pad") return in[0];
  if (n.type != "conv") return run_node(i, in);
  auto* conv = modules_[static_cast<size_t>(i)]->as<torch::nn::Conv1dImpl>();
  const LayerParams& p = n.params;
  if (in[0].scalar_type() == torch::kUInt8) return one_hot_conv1d(in[0], conv->weight, conv->bias, p.stride, p.dilation, 0);
  return torch::conv1d(in[0], conv->weight, conv->bias, torch::IntArrayRef{p.stride}, torch::IntArrayRef{0},
                       torch::IntArrayRef{p.dilation});
}

torch::Tensor NetworkImpl::input_of(Activations& values, int node, int input) {
  if (input != kNetworkInput) return values.nodes[static_cast<size_t>(input)];
  if (!values.input.defined()) throw std::logic_error("seqdl: a layer needs the network input, which was not given");
  // Base indices feed convolutions directly; any other layer reads one-hot floats.
  if (values.input.scalar_type() == torch::kUInt8 && graph_.node(node).type != "conv") {
    values.input = one_hot_from_indices(values.input);
  }
  return values.input;
}

bool NetworkImpl::fused_max(Activations& values) {
  if (fused_.empty() || !values.input.defined() || values.input.scalar_type() != torch::kUInt8) return false;
  const int pool = fused_.back();
  if (values.nodes[static_cast<size_t>(pool)].defined()) return false;
  const Node& c = graph_.node(0);
  auto* conv = modules_[0]->as<torch::nn::Conv1dImpl>();
  torch::Tensor x = values.input;
  if (c.params.pad_left != 0 || c.params.pad_right != 0) {
    x = torch::constant_pad_nd(x, {c.params.pad_left, c.params.pad_right}, kNoBase);
  }
  torch::Tensor h = one_hot_conv1d_max(x, conv->weight, conv->bias, c.params.stride, c.params.dilation, 0);
  for (size_t k = 1; k + 1 < fused_.size(); ++k) h = activation(graph_.node(fused_[k]).type, h);
  values.nodes[static_cast<size_t>(pool)] = h;
  return true;
}

void NetworkImpl::compute(Activations& values, const std::vector<int>& wanted) {
  const auto& nodes = graph_.nodes();
  values.nodes.resize(nodes.size());
  // Which nodes to run: those wanted and, recursively, the missing inputs of nodes that run.
  std::vector<char> run(nodes.size(), 0), keep(nodes.size(), 0);
  for (int w : wanted) keep[static_cast<size_t>(w)] = 1;
  for (int w : wanted) run[static_cast<size_t>(w)] = !values.nodes[static_cast<size_t>(w)].defined();
  for (size_t i = nodes.size(); i-- > 0;) {
    if (!run[i]) continue;
    for (int j : nodes[i].inputs) {
      if (j != kNetworkInput && !values.nodes[static_cast<size_t>(j)].defined()) run[static_cast<size_t>(j)] = 1;
    }
  }
  // The last node that reads each value in this computation, to drop values nobody wants once read.
  std::vector<int> last_use(nodes.size(), -1);
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!run[i]) continue;
    for (int j : nodes[i].inputs) {
      if (j != kNetworkInput) last_use[static_cast<size_t>(j)] = static_cast<int>(i);
    }
  }
  std::vector<torch::Tensor> in;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!run[i]) continue;
    in.clear();
    for (int j : nodes[i].inputs) in.push_back(input_of(values, static_cast<int>(i), j));
    values.nodes[i] = run_node(static_cast<int>(i), in);
    for (int j : nodes[i].inputs) {
      auto u = static_cast<size_t>(j);
      if (j != kNetworkInput && last_use[u] == static_cast<int>(i) && !keep[u] && run[u]) values.nodes[u] = torch::Tensor();
    }
  }
}

std::vector<torch::Tensor> NetworkImpl::forward_heads(const torch::Tensor& input) {
  Activations values{input, std::vector<torch::Tensor>(graph_.nodes().size())};
  fused_max(values);
  std::vector<int> wanted;
  for (const auto& o : graph_.outputs()) wanted.push_back(o.node);
  compute(values, wanted);
  std::vector<torch::Tensor> heads;
  for (int w : wanted) heads.push_back(values.nodes[static_cast<size_t>(w)]);
  return heads;
}

}  // namespace seqdl::nn
