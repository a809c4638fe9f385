#include "nn/one_hot_conv.hpp"

#include <ATen/Parallel.h>

#include <cstring>
#include <vector>

namespace seqdl::nn {
namespace {

struct Geometry {
  int64_t batch, length, out_channels, kernel, out_length, stride, dilation, padding;
  // Input position read by output position j at tap k (may fall outside [0, length): padding, no base).
  int64_t input(int64_t j, int64_t k) const { return j * stride - padding + k * dilation; }
};

// Fixed chunks of the batch, one per thread, so that sums over the batch are added in the same order
// every time (bit-identical results for a given thread count).
std::vector<std::pair<int64_t, int64_t>> chunks(int64_t n) {
  int64_t parts = std::max<int64_t>(1, std::min<int64_t>(at::get_num_threads(), n));
  std::vector<std::pair<int64_t, int64_t>> out;
  for (int64_t p = 0; p < parts; ++p) out.emplace_back(n * p / parts, n * (p + 1) / parts);
  return out;
}

// weight [O, 4, K] -> taps [K, 4, O]: the column added for base c at tap k is contiguous.
torch::Tensor taps_of(const torch::Tensor& weight) { return weight.permute({2, 1, 0}).contiguous(); }

// The kernels work on blocks of 16 output channels held in one vector register (GCC vector extensions, lowered
// to AVX-512, AVX2 or SSE), across the taps of one output position. Built for each of those instruction sets
// and picked at load time by the CPU.
constexpr int64_t kBlock = 16;
using Vec = float __attribute__((vector_size(kBlock * sizeof(float))));

using IVec = int32_t __attribute__((vector_size(kBlock * sizeof(int32_t))));

// The vector helpers are always inlined into the per-ISA clones below, so their ABI never matters.
#pragma GCC diagnostic ignored "-Wpsabi"

inline Vec load(const float* p) {
  Vec v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, Vec v) { std::memcpy(p, &v, sizeof v); }

#define SEQDL_MULTIVERSION __attribute__((target_clones("avx512f", "avx2", "default")))

SEQDL_MULTIVERSION void forward_rows(const uint8_t* bases, const float* taps, const float* bias, float* out,
                                     const Geometry& g, int64_t j_begin, int64_t j_end) {
  const int64_t O = g.out_channels, full = O / kBlock * kBlock;
  for (int64_t j = j_begin; j < j_end; ++j) {
    float* row = out + j * O;
    for (int64_t c0 = 0; c0 < full; c0 += kBlock) {
      Vec acc = bias ? load(bias + c0) : Vec{};
      for (int64_t k = 0; k < g.kernel; ++k) {
        int64_t p = g.input(j, k);
        if (p < 0 || p >= g.length || bases[p] >= 4) continue;
        acc += load(taps + (k * 4 + bases[p]) * O + c0);
      }
      store(row + c0, acc);
    }
    for (int64_t c = full; c < O; ++c) {  // the last channels when O is not a multiple of the block
      float acc = bias ? bias[c] : 0.0f;
      for (int64_t k = 0; k < g.kernel; ++k) {
        int64_t p = g.input(j, k);
        if (p >= 0 && p < g.length && bases[p] < 4) acc += taps[(k * 4 + bases[p]) * O + c];
      }
      row[c] = acc;
    }
  }
}

SEQDL_MULTIVERSION void backward_rows(const uint8_t* bases, const float* grad, float* acc_taps, const Geometry& g) {
  const int64_t O = g.out_channels, full = O / kBlock * kBlock;
  for (int64_t j = 0; j < g.out_length; ++j) {
    const float* row = grad + j * O;
    for (int64_t c0 = 0; c0 < full; c0 += kBlock) {
      Vec r = load(row + c0);
      for (int64_t k = 0; k < g.kernel; ++k) {
        int64_t p = g.input(j, k);
        if (p < 0 || p >= g.length || bases[p] >= 4) continue;
        float* dst = acc_taps + (k * 4 + bases[p]) * O + c0;
        store(dst, load(dst) + r);
      }
    }
    for (int64_t c = full; c < O; ++c) {
      for (int64_t k = 0; k < g.kernel; ++k) {
        int64_t p = g.input(j, k);
        if (p >= 0 && p < g.length && bases[p] < 4) acc_taps[(k * 4 + bases[p]) * O + c] += row[c];
      }
    }
  }
}

// Max over positions of the convolution, with the winning position per channel (the first one on ties).
SEQDL_MULTIVERSION void forward_max(const uint8_t* bases, const float* taps, const float* bias, float* best_out,
                                    int32_t* arg_out, const Geometry& g) {
  const int64_t O = g.out_channels, full = O / kBlock * kBlock;
  for (int64_t c0 = 0; c0 < full; c0 += kBlock) {
    Vec best = Vec{} - __builtin_inff();
    IVec arg = IVec{};
    const Vec b = bias ? load(bias + c0) : Vec{};
    for (int64_t j = 0; j < g.out_length; ++j) {
      Vec acc = b;
      for (int64_t k = 0; k < g.kernel; ++k) {
        int64_t p = g.input(j, k);
        if (p < 0 || p >= g.length || bases[p] >= 4) continue;
        acc += load(taps + (k * 4 + bases[p]) * O + c0);
      }
      IVec better = acc > best;
      best = better ? acc : best;
      arg = better ? IVec{} + static_cast<int32_t>(j) : arg;
    }
    store(best_out + c0, best);
    std::memcpy(arg_out + c0, &arg, sizeof arg);
  }
  for (int64_t c = full; c < O; ++c) {
    float best = -__builtin_inff();
    int32_t arg = 0;
    for (int64_t j = 0; j < g.out_length; ++j) {
      float acc = bias ? bias[c] : 0.0f;
      for (int64_t k = 0; k < g.kernel; ++k) {
        int64_t p = g.input(j, k);
        if (p >= 0 && p < g.length && bases[p] < 4) acc += taps[(k * 4 + bases[p]) * O + c];
      }
      if (acc > best) {
        best = acc;
        arg = static_cast<int32_t>(j);
      }
    }
    best_out[c] = best;
    arg_out[c] = arg;
  }
}

torch::Tensor forward_impl(const torch::Tensor& idx, const torch::Tensor& taps, const torch::Tensor& bias,
                           const Geometry& g) {
  auto out = torch::empty({g.batch, g.out_length, g.out_channels});  // position-major, transposed at the end
  const uint8_t* in = idx.data_ptr<uint8_t>();
  const float* w = taps.data_ptr<float>();
  const float* b = bias.defined() ? bias.data_ptr<float>() : nullptr;
  float* o = out.data_ptr<float>();
  // Work items are (sequence, block of positions), so one long sequence (a genome chunk) uses every thread.
  constexpr int64_t kPositions = 4096;
  const int64_t blocks = (g.out_length + kPositions - 1) / kPositions;
  at::parallel_for(0, g.batch * blocks, 1, [&](int64_t begin, int64_t end) {
    for (int64_t item = begin; item < end; ++item) {
      int64_t s = item / blocks, j0 = item % blocks * kPositions;
      forward_rows(in + s * g.length, w, b, o + s * g.out_length * g.out_channels, g, j0,
                   std::min(g.out_length, j0 + kPositions));
    }
  });
  return out.permute({0, 2, 1}).contiguous();  // later layers run much faster on contiguous [B, O, L]
}

class OneHotConv : public torch::autograd::Function<OneHotConv> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& idx,
                               const torch::Tensor& weight, const torch::Tensor& bias, int64_t stride,
                               int64_t dilation, int64_t padding) {
    Geometry g{idx.size(0), idx.size(1), weight.size(0), weight.size(2), 0, stride, dilation, padding};
    g.out_length = (g.length + 2 * padding - dilation * (g.kernel - 1) - 1) / stride + 1;
    ctx->save_for_backward({idx});
    ctx->saved_data["geometry"] = std::vector<int64_t>{g.batch, g.length, g.out_channels, g.kernel, g.out_length,
                                                       stride, dilation, padding};
    ctx->saved_data["has_bias"] = bias.defined();
    return forward_impl(idx, taps_of(weight.detach()), bias.defined() ? bias.detach() : bias, g);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto idx = ctx->get_saved_variables()[0];
    auto v = ctx->saved_data["geometry"].toIntVector();
    Geometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
    auto grad = grads[0].transpose(1, 2).contiguous();  // [B, Lout, O]
    const int64_t O = g.out_channels;
    auto parts = chunks(g.batch);
    auto partial = torch::zeros({static_cast<int64_t>(parts.size()), g.kernel, 4, O});
    const uint8_t* in = idx.data_ptr<uint8_t>();
    const float* gr = grad.data_ptr<float>();
    float* acc_all = partial.data_ptr<float>();
    at::parallel_for(0, static_cast<int64_t>(parts.size()), 1, [&](int64_t pb, int64_t pe) {
      for (int64_t part = pb; part < pe; ++part) {
        float* acc = acc_all + part * g.kernel * 4 * O;
        for (int64_t s = parts[part].first; s < parts[part].second; ++s) {
          backward_rows(in + s * g.length, gr + s * g.out_length * O, acc, g);
        }
      }
    });
    auto grad_weight = partial.sum(0).permute({2, 1, 0}).contiguous();  // [K, 4, O] -> [O, 4, K]
    torch::Tensor grad_bias;
    if (ctx->saved_data["has_bias"].toBool()) grad_bias = grads[0].sum(at::IntArrayRef{0, 2});
    return {torch::Tensor(), grad_weight, grad_bias, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

class OneHotConvMax : public torch::autograd::Function<OneHotConvMax> {
 public:
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& idx,
                               const torch::Tensor& weight, const torch::Tensor& bias, int64_t stride,
                               int64_t dilation, int64_t padding) {
    Geometry g{idx.size(0), idx.size(1), weight.size(0), weight.size(2), 0, stride, dilation, padding};
    g.out_length = (g.length + 2 * padding - dilation * (g.kernel - 1) - 1) / stride + 1;
    auto taps = taps_of(weight.detach());
    auto best = torch::empty({g.batch, g.out_channels});
    auto arg = torch::empty({g.batch, g.out_channels}, torch::kInt32);
    const uint8_t* in = idx.data_ptr<uint8_t>();
    const float* b = bias.defined() ? bias.data_ptr<float>() : nullptr;
    at::parallel_for(0, g.batch, 1, [&](int64_t begin, int64_t end) {
      for (int64_t s = begin; s < end; ++s) {
        forward_max(in + s * g.length, taps.data_ptr<float>(), b, best.data_ptr<float>() + s * g.out_channels,
                    arg.data_ptr<int32_t>() + s * g.out_channels, g);
      }
    });
    ctx->save_for_backward({idx, arg});
    ctx->saved_data["geometry"] = std::vector<int64_t>{g.batch, g.length, g.out_channels, g.kernel, g.out_length,
                                                       stride, dilation, padding};
    ctx->saved_data["has_bias"] = bias.defined();
    return best;
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    auto saved = ctx->get_saved_variables();
    auto v = ctx->saved_data["geometry"].toIntVector();
    Geometry g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
    auto grad = grads[0].contiguous();  // [B, O]
    const int64_t O = g.out_channels;
    auto parts = chunks(g.batch);
    auto partial = torch::zeros({static_cast<int64_t>(parts.size()), g.kernel, 4, O});
    const uint8_t* in = saved[0].data_ptr<uint8_t>();
    const int32_t* arg = saved[1].data_ptr<int32_t>();
    const float* gr = grad.data_ptr<float>();
    float* acc_all = partial.data_ptr<float>();
    at::parallel_for(0, static_cast<int64_t>(parts.size()), 1, [&](int64_t pb, int64_t pe) {
      for (int64_t part = pb; part < pe; ++part) {
        float* acc = acc_all + part * g.kernel * 4 * O;
        for (int64_t s = parts[part].first; s < parts[part].second; ++s) {
          const uint8_t* bases = in + s * g.length;
          for (int64_t c = 0; c < O; ++c) {
            int64_t j = arg[s * O + c];
            float d = gr[s * O + c];
            for (int64_t k = 0; k < g.kernel; ++k) {
              int64_t p = g.input(j, k);
              if (p >= 0 && p < g.length && bases[p] < 4) acc[(k * 4 + bases[p]) * O + c] += d;
            }
          }
        }
      }
    });
    auto grad_weight = partial.sum(0).permute({2, 1, 0}).contiguous();
    torch::Tensor grad_bias;
    if (ctx->saved_data["has_bias"].toBool()) grad_bias = grads[0].sum(0);
    return {torch::Tensor(), grad_weight, grad_bias, torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor one_hot_conv1d_max(const torch::Tensor& indices, const torch::Tensor& weight, const torch::Tensor& bias,
                                 int64_t stride, int64_t dilation, int64_t padding) {
  TORCH_CHECK(indices.scalar_type() == torch::kUInt8 && indices.dim() == 2, "indices must be uint8 [batch, length]");
  TORCH_CHECK(weight.size(1) == 4, "one_hot_conv1d_max needs a convolution with 4 input channels");
  return OneHotConvMax::apply(indices.contiguous(), weight, bias, stride, dilation, padding);
}

torch::Tensor one_hot_conv1d(const torch::Tensor& indices, const torch::Tensor& weight, const torch::Tensor& bias,
                             int64_t stride, int64_t dilation, int64_t padding) {
  TORCH_CHECK(indices.scalar_type() == torch::kUInt8 && indices.dim() == 2, "indices must be uint8 [batch, length]");
  TORCH_CHECK(weight.size(1) == 4, "one_hot_conv1d needs a convolution with 4 input channels");
  return OneHotConv::apply(indices.contiguous(), weight, bias, stride, dilation, padding);
}

torch::Tensor indices_from_one_hot(const torch::Tensor& x) {
  auto x_cont = x.contiguous();
  auto sum = x_cont.sum(1);
  auto [maxv, arg] = x_cont.max(1);
  auto exact = (maxv == 1.0f) & (sum == 1.0f);
  return torch::where(exact, arg, torch::full_like(arg, kNoBase)).to(torch::kUInt8);
}

torch::Tensor one_hot_from_indices(const torch::Tensor& indices) {
  auto idx = indices.to(torch::kInt64);
  auto valid = idx < 4;
  auto oh = torch::nn::functional::one_hot(torch::where(valid, idx, torch::zeros_like(idx)), 4).to(torch::kFloat32);
  return (oh * valid.unsqueeze(2).to(torch::kFloat32)).permute({0, 2, 1}).contiguous();
}

}  // namespace seqdl::nn
