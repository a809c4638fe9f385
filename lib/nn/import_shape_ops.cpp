// Ops that only move values around: transposes change the layout, flattens and reshapes make values flat, slices
// along the length are crops, constant pads are pads, and dropout and copies vanish.
#include "nn/import_walk.hpp"

namespace seqdl::nn::importer {
namespace {

std::string shape_text(const std::vector<int64_t>& shape) { return nlohmann::json(shape).dump(); }

// dropout(x, p, train) and its variants: identities in eval mode.
void dropout(OpContext& c) {
  if (c.flag(2)) c.stop("dropout in training mode");
  c.set_out(c.act(0));
}

void identity(OpContext& c) { c.set_out(c.act(0)); }

// aten::to: an identity when the type stays float32.
void to(OpContext& c) {
  const auto& in = c.value(0).toTensor();
  const auto& out = (*c.out)[0].value.toTensor();
  if (in.scalar_type() != out.scalar_type() || in.device() != out.device()) c.stop("a conversion to another type or device");
  c.set_out(c.act(0));
}

// [batch, ...] to [batch, features] as the TorchScript module's row-major order has it.
void to_flat(OpContext& c, const Activation& x) {
  switch (x.layout) {
    case Layout::flat: c.set_out(x); return;
    case Layout::pooled: c.set_out({x.layer, Layout::flat}); return;
    case Layout::channels_first: c.set_out({c.layers->add({{"type", "flatten"}}, {x.layer}), Layout::flat}); return;
    case Layout::channels_last:
      c.set_out({c.layers->add({{"type", "flatten"}, {"order", "positions"}}, {x.layer}), Layout::flat});
      return;
  }
}

// aten::flatten(x, start, end).
void flatten(OpContext& c) {
  const Activation& x = c.act(0);
  const auto rank = static_cast<int64_t>(c.in_shape(0).size());
  const int64_t start = normalise_dim(c.integer(1), rank), end = normalise_dim(c.integer(2), rank);
  if (start == end) return c.set_out(x);
  if (start != 1 || end != rank - 1) c.stop("a flatten of dimensions {} to {} (seqdl flattens all but the batch)", start, end);
  to_flat(c, x);
}

// view / reshape / squeeze / unsqueeze, judged by the shapes before and after: the same shape, a flatten of all
// but the batch, or a flat value given a trailing length of 1.
void reshape(OpContext& c) {
  const Activation& x = c.act(0);
  const std::vector<int64_t> in = c.in_shape(0), out = c.out_shape();
  if (in == out) return c.set_out(x);
  if (in.size() == 3 && out.size() == 2 && out[0] == in[0]) return to_flat(c, x);
  if (x.layout == Layout::flat && out == std::vector<int64_t>{in[0], in[1], 1}) return c.set_out({x.layer, Layout::pooled});
  c.stop("a reshape of {} {} to {}", layout_name(x.layout), shape_text(in), shape_text(out));
}

Layout swapped(const OpContext& c, Layout layout) {
  if (layout == Layout::channels_first) return Layout::channels_last;
  if (layout == Layout::channels_last) return Layout::channels_first;
  c.stop("a transpose of a {} tensor", layout_name(layout));
}

// aten::transpose(x, d0, d1) of the channel and length axes.
void transpose(OpContext& c) {
  const Activation& x = c.act(0);
  const auto rank = static_cast<int64_t>(c.in_shape(0).size());
  int64_t a = normalise_dim(c.integer(1), rank), b = normalise_dim(c.integer(2), rank);
  if (a == b) return c.set_out(x);
  if (rank != 3 || std::min(a, b) != 1 || std::max(a, b) != 2) c.stop("a transpose of axes {} and {}", a, b);
  c.set_out({x.layer, swapped(c, x.layout)});
}

// aten::permute(x, dims): [0, 2, 1] or the identity.
void permute(OpContext& c) {
  const Activation& x = c.act(0);
  const auto rank = static_cast<int64_t>(c.in_shape(0).size());
  std::vector<int64_t> dims = c.integers(1);
  for (auto& d : dims) d = normalise_dim(d, rank);
  if (dims == std::vector<int64_t>{0, 1, 2} || dims == std::vector<int64_t>{0, 1}) return c.set_out(x);
  if (dims != std::vector<int64_t>{0, 2, 1}) c.stop("a permutation {}", shape_text(dims));
  c.set_out({x.layer, swapped(c, x.layout)});
}

// Positions [start, end) of axis `dim`: the identity, or a crop along the length.
void keep_range(OpContext& c, const Activation& x, int64_t dim, int64_t start, int64_t end, int64_t step) {
  const int64_t size = c.in_shape(0)[static_cast<size_t>(dim)];
  if (start == 0 && end == size && step == 1) return c.set_out(x);
  if (dim != length_axis(x.layout)) c.stop("a slice of axis {} of a {} tensor (only the length can be cropped)", dim, layout_name(x.layout));
  if (step != 1) c.stop("a slice with step {}", step);
  if (end <= start) c.stop("an empty slice");
  std::string name = c.layers->add({{"type", "crop"}, {"left", start}, {"right", size - end}}, {x.layer});
  c.set_out({name, x.layout});
}

// aten::slice(x, dim, start, end, step), Python's rules for None, negative and out-of-range bounds.
void slice(OpContext& c) {
  const Activation& x = c.act(0);
  const std::vector<int64_t> shape = c.in_shape(0);
  const int64_t dim = normalise_dim(c.integer(1), static_cast<int64_t>(shape.size()));
  const int64_t size = shape[static_cast<size_t>(dim)];
  auto bound = [&](size_t i, int64_t fallback) {
    int64_t v = c.is_none(i) ? fallback : c.integer(i);
    if (v < 0) v += size;
    return std::clamp<int64_t>(v, 0, size);
  };
  keep_range(c, x, dim, bound(2, 0), bound(3, size), c.integer(4));
}

// aten::narrow(x, dim, start, length).
void narrow(OpContext& c) {
  const Activation& x = c.act(0);
  const std::vector<int64_t> shape = c.in_shape(0);
  const int64_t dim = normalise_dim(c.integer(1), static_cast<int64_t>(shape.size()));
  int64_t start = c.integer(2);
  if (start < 0) start += shape[static_cast<size_t>(dim)];
  keep_range(c, x, dim, start, start + c.integer(3), 1);
}

// constant_pad_nd(x, pad, value) / pad(x, pad, mode, value): zeros added to (or, negative, removed from) the length.
void pad(OpContext& c) {
  const Activation& x = c.act(0);
  if (c.kind() == "aten::pad" && c.value(2).isString() && c.value(2).toStringRef() != "constant") {
    c.stop("{} padding; seqdl pads with zeros", c.value(2).toStringRef());
  }
  const size_t value_at = c.kind() == "aten::pad" ? 3 : 2;
  if (c.in.size() > value_at && !c.is_none(value_at) && c.number(value_at) != 0.0) c.stop("padding with a value other than 0");
  const std::vector<int64_t> amounts = c.integers(1);
  const auto rank = static_cast<int64_t>(c.in_shape(0).size());
  int64_t left = 0, right = 0;
  for (size_t k = 0; k + 1 < amounts.size(); k += 2) {
    const int64_t dim = rank - 1 - static_cast<int64_t>(k / 2);
    if (dim == length_axis(x.layout)) {
      left = amounts[k];
      right = amounts[k + 1];
    } else if (amounts[k] != 0 || amounts[k + 1] != 0) {
      c.stop("padding of axis {} of a {} tensor (only the length can be padded)", dim, layout_name(x.layout));
    }
  }
  if (left == 0 && right == 0) return c.set_out(x);
  std::string name;
  if (left >= 0 && right >= 0) {
    name = c.layers->add({{"type", "pad"}, {"left", left}, {"right", right}}, {x.layer});
  } else if (left <= 0 && right <= 0) {
    name = c.layers->add({{"type", "crop"}, {"left", -left}, {"right", -right}}, {x.layer});
  } else {
    c.stop("padding one end while cropping the other");
  }
  c.set_out({name, x.layout});
}

}  // namespace

void add_shape_ops(OpTable& t) {
  for (const char* k : {"aten::dropout", "aten::dropout_", "aten::feature_dropout", "aten::feature_dropout_",
                        "aten::alpha_dropout", "aten::alpha_dropout_", "aten::feature_alpha_dropout",
                        "aten::feature_alpha_dropout_"}) {
    t[k] = dropout;
  }
  for (const char* k : {"aten::contiguous", "aten::clone", "aten::detach"}) t[k] = identity;
  t["aten::to"] = to;
  t["aten::flatten"] = flatten;
  for (const char* k : {"aten::view", "aten::reshape", "aten::squeeze", "aten::unsqueeze"}) t[k] = reshape;
  t["aten::transpose"] = transpose;
  t["aten::permute"] = permute;
  t["aten::slice"] = slice;
  t["aten::narrow"] = narrow;
  t["aten::constant_pad_nd"] = pad;
  t["aten::pad"] = pad;
}

}  // namespace seqdl::nn::importer
