#include "nn/network.hpp"

#include "nn/blocks.hpp"
#include "nn/one_hot_conv.hpp"
#include "util/error.hpp"

namespace seqdl::nn {
namespace {

int64_t count_of(const nlohmann::json& layer, const char* key, int64_t tasks, int64_t fallback = -1) {
  if (!layer.contains(key)) return fallback;
  const auto& v = layer[key];
  if (v.is_string()) return tasks;  // "tasks" (validated by ArchSpec::from_json)
  return v.get<int64_t>();
}

}  // namespace

NetworkImpl::NetworkImpl(const ArchSpec& spec, int64_t input_length, int64_t tasks)
    : spec_(spec), input_length_(input_length), tasks_(tasks) {
  if (input_length < 1) throw ModelError("{}: input length must be positive", spec.name);
  Shape shape{4, input_length, false};
  for (size_t i = 0; i < spec.layers.size(); ++i) {
    const auto& l = spec.layers[i];
    const std::string type = l["type"];
    LayerInfo info;
    info.type = type;
    info.in = shape;
    std::string where = fmt::format("{} layer {} ({})", spec.name, i + 1, type);
    auto need_sequence = [&] {
      if (shape.flat()) throw ModelError("{}: needs [channels, length] input but the activations are already flat", where);
    };
    torch::nn::AnyModule module;

    if (type == "conv") {
      need_sequence();
      int64_t filters = count_of(l, "filters", tasks), k = l["kernel"], d = l.value("dilation", 1), s = l.value("stride", 1);
      bool same = l.value("padding", std::string("valid")) == "same";
      if (same && (k % 2 == 0 || s != 1)) throw ModelError("{}: \"same\" padding needs an odd kernel and stride 1", where);
      int64_t pad = same ? d * (k - 1) / 2 : 0;
      module = torch::nn::AnyModule(torch::nn::Conv1d(
          torch::nn::Conv1dOptions(shape.channels, filters, k).dilation(d).stride(s).padding(pad).bias(l.value("bias", true))));
      info.local = true;
      info.span = d * (k - 1) + 1;
      info.stride = s;
      info.pad = pad;
      info.kernel = k;
      info.dilation = d;
      int64_t covered = shape.length + 2 * pad - info.span;
      shape = {filters, covered < 0 ? 0 : covered / s + 1};
    } else if (type == "maxpool" || type == "avgpool") {
      need_sequence();
      int64_t size = l["size"], s = l.value("stride", size);
      if (type == "maxpool") {
        module = torch::nn::AnyModule(torch::nn::MaxPool1d(torch::nn::MaxPool1dOptions(size).stride(s)));
      } else {
        module = torch::nn::AnyModule(torch::nn::AvgPool1d(torch::nn::AvgPool1dOptions(size).stride(s)));
      }
      info.local = true;
      info.span = size;
      info.stride = s;
      shape.length = shape.length < size ? 0 : (shape.length - size) / s + 1;
    } else if (type == "batchnorm") {
      module = torch::nn::AnyModule(torch::nn::BatchNorm1d(shape.channels));
      info.local = info.position_wise = !shape.flat();
    } else if (type == "dropout") {
      module = torch::nn::AnyModule(torch::nn::Dropout(l["p"].get<double>()));
      info.local = info.position_wise = !shape.flat();
    } else if (type == "relu" || type == "gelu" || type == "sigmoid" || type == "tanh" || type == "exp" ||
               type == "softplus") {
      module = torch::nn::AnyModule(Activation(type));
      info.local = info.position_wise = !shape.flat();
    } else if (type == "flatten") {
      module = torch::nn::AnyModule(Flatten());
      shape = {shape.flat() ? shape.channels : shape.channels * shape.length, 0, true};
    } else if (type == "linear") {
      if (!shape.flat()) throw ModelError("{}: needs flat input; add a flatten or global pool layer before it", where);
      int64_t units = count_of(l, "units", tasks);
      module = torch::nn::AnyModule(torch::nn::Linear(torch::nn::LinearOptions(shape.channels, units).bias(l.value("bias", true))));
      shape = {units, 0, true};
    } else if (type == "global_maxpool" || type == "global_avgpool") {
      need_sequence();
      module = torch::nn::AnyModule(GlobalPool(type == "global_maxpool"));
      shape = {shape.channels, 0, true};
    } else if (type == "bilstm") {
      need_sequence();
      int64_t hidden = l["hidden"];
      module = torch::nn::AnyModule(BiLstm(shape.channels, hidden, l.value("layers", 1)));
      shape.channels = 2 * hidden;
    } else if (type == "positional_encoding") {
      need_sequence();
      module = torch::nn::AnyModule(PositionalEncoding(shape.channels, shape.length));
    } else if (type == "transformer_encoder") {
      need_sequence();
      module = torch::nn::AnyModule(TransformerEncoder(shape.channels, l["layers"], l["heads"], l["ff"],
                                                       l.value("dropout", 0.1), l.value("norm_first", true)));
    } else if (type == "spliceai_tower") {
      need_sequence();
      std::vector<std::pair<int64_t, int64_t>> units;
      for (const auto& u : l["units"]) units.emplace_back(u[0].get<int64_t>(), u[1].get<int64_t>());
      int64_t channels = l["channels"], context = l["context"];
      module = torch::nn::AnyModule(SpliceAiTower(shape.channels, channels, units, l.value("group", 4), context));
      info.local = true;
      info.span = context + 1;
      shape = {channels, std::max<int64_t>(shape.length - context, 0)};
    } else {
      throw ModelError("{}: unsupported layer type", where);
    }

    if (!shape.flat() && shape.length < 1) {
      throw ModelError("input length {} is too short for {}: no positions are left after layer {} ({})", input_length,
                       spec.name, i + 1, type);
    }
    info.out = shape;
    if (i == 0 && type == "conv" && info.in.channels == 4) first_conv_ = module.get<torch::nn::Conv1d>();
    modules_.push_back(module);
    register_module(fmt::format("{}_{}", i, type), module.ptr());
    info_.push_back(info);
  }
  if (first_conv_) {
    // Monotone non-decreasing activations commute with max: max_j f(x_j) = f(max_j x_j).
    auto monotone = [](const std::string& t) {
      return t == "relu" || t == "sigmoid" || t == "tanh" || t == "exp" || t == "softplus";
    };
    size_t i = 1;
    while (i < info_.size() && monotone(info_[i].type)) ++i;
    if (i < info_.size() && info_[i].type == "global_maxpool") fused_max_pool_ = i;
  }
}

torch::Tensor NetworkImpl::forward(const torch::Tensor& x) { return forward_range(x, 0, modules_.size()); }

torch::Tensor NetworkImpl::forward_indices(const torch::Tensor& indices) {
  if (first_conv_ && fused_max_pool_ > 0) {
    const LayerInfo& c = info_[0];
    auto h = one_hot_conv1d_max(indices, first_conv_->weight, first_conv_->bias, c.stride, c.dilation, c.pad);
    h = forward_range(h, 1, fused_max_pool_);  // the activations, on [batch, channels]
    return forward_range(h, fused_max_pool_ + 1, modules_.size());
  }
  return forward_prefix(indices, modules_.size());
}

torch::Tensor NetworkImpl::forward_prefix(const torch::Tensor& input, size_t to) {
  if (input.scalar_type() != torch::kUInt8) return forward_range(input, 0, to);
  if (!first_conv_) return forward_range(one_hot_from_indices(input), 0, to);
  if (to == 0) return one_hot_from_indices(input);
  const LayerInfo& c = info_[0];
  auto h = one_hot_conv1d(input, first_conv_->weight, first_conv_->bias, c.stride, c.dilation, c.pad);
  return forward_range(h, 1, to);
}

torch::Tensor NetworkImpl::forward_range(torch::Tensor x, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i) x = modules_[i].forward(x);
  return x;
}

size_t NetworkImpl::trunk_size() const {
  size_t n = 0;
  while (n < info_.size() && info_[n].local) ++n;
  return n;
}

int64_t NetworkImpl::parameter_count() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

}  // namespace seqdl::nn
