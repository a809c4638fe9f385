#include "nn/import_walk.hpp"

#include <filesystem>
#include <unordered_map>

#include "util/text.hpp"

namespace seqdl::nn::importer {
namespace {

using torch::jit::Block;
using torch::jit::Node;
using torch::jit::Value;

// Ops that read only a tensor's metadata (its shape, type, device): their values come from the probe run even when
// the tensor depends on the input.
bool reads_metadata_only(const std::string& kind) {
  static const std::set<std::string> ops = {
      "aten::size", "aten::dim",   "aten::len",     "prim::shape",   "prim::dtype", "prim::device",
      "prim::layout", "prim::is_cuda", "aten::numel", "aten::__is__", "aten::__isnot__", "aten::is_floating_point",
      "aten::format", "aten::warn"};
  return ops.count(kind) != 0;
}

// Lists and tuples: their elements keep what is known of them.
bool is_container_op(const std::string& kind) {
  return kind == "prim::ListConstruct" || kind == "prim::TupleConstruct" || kind == "prim::ListUnpack" ||
         kind == "prim::TupleUnpack" || kind == "prim::TupleIndex" || kind == "aten::__getitem__" ||
         kind == "prim::unchecked_cast";
}

class Walker {
 public:
  Walker(const OpTable& ops, LayerBuilder& layers) : ops_(ops), layers_(layers) {}

  WalkResult run(torch::jit::Graph& graph, const c10::IValue& self, const torch::Tensor& probe) {
    torch::NoGradGuard no_grad;
    auto inputs = graph.inputs();
    if (inputs.size() != 2) {
      throw ImportStop(fmt::format("forward takes {} arguments; seqdl passes one (the one-hot batch)", inputs.size() - 1));
    }
    known_[inputs[0]] = Known{self, {}, {}, {}};
    known_[inputs[1]] = Known{probe, Activation{"input", Layout::channels_first}, {}, {}};
    walk(graph.block());
    const Known& result = known_.at(graph.outputs()[0]);
    WalkResult out;
    auto shape = [](const c10::IValue& v) { return v.isTensor() ? v.toTensor().sizes().vec() : std::vector<int64_t>{}; };
    if (result.act) {
      out.heads.push_back({"logits", *result.act, shape(result.value)});
    } else if (!result.items.empty()) {
      const auto elements = result.value.isTuple() ? result.value.toTupleRef().elements().vec() : std::vector<c10::IValue>{};
      for (size_t i = 0; i < result.items.size(); ++i) {
        if (!result.items[i]) throw ImportStop(fmt::format("output {} of the module does not depend on its input", i));
        out.heads.push_back({i == 0 ? "logits" : fmt::format("output{}", i), *result.items[i],
                             i < elements.size() ? shape(elements[i]) : std::vector<int64_t>{}});
      }
    } else if (!result.opaque.empty()) {
      throw ImportStop(fmt::format("the module returns {}", result.opaque));
    } else {
      throw ImportStop("the module's output does not depend on its input");
    }
    return out;
  }

 private:
  void walk(Block* block) {
    for (Node* n : block->nodes()) step(n);
  }

  void step(Node* n) {
    const std::string kind = n->kind().toQualString();
    if (kind == "prim::Constant") {
      // (The graph is a frozen copy's: ops run on the probe cannot change the user's module.)
      known_[n->output()] = Known{torch::jit::toIValue(n->output()).value(), {}, {}, {}};
    } else if (kind == "prim::If") {
      branch(n);
    } else if (kind == "prim::Loop") {
      loop(n);
    } else if (kind == "prim::RaiseException") {
      std::string message = known_.at(n->input(0)).value.isString() ? known_.at(n->input(0)).value.toStringRef() : "";
      throw ImportStop(fmt::format("the module raises an exception on this input length{}",
                                   message.empty() ? "" : ": " + message.substr(0, message.find('\n'))));
    } else {
      apply(n, kind);
    }
  }

  void branch(Node* n) {
    const Known& cond = known_.at(n->input(0));
    if (cond.depends_on_input()) throw ImportStop("a branch depends on the values of the input (prim::If)");
    Block* taken = n->blocks()[cond.value.toBool() ? 0 : 1];
    walk(taken);
    for (size_t i = 0; i < n->outputs().size(); ++i) known_[n->outputs()[i]] = known_.at(taken->outputs()[i]);
  }

  void loop(Node* n) {
    const Known& trips = known_.at(n->input(0));
    const Known& first = known_.at(n->input(1));
    if (trips.depends_on_input() || first.depends_on_input()) {
      throw ImportStop("a loop's length depends on the values of the input (prim::Loop)");
    }
    Block* body = n->blocks()[0];
    std::vector<Known> carried;
    for (size_t i = 2; i < n->inputs().size(); ++i) carried.push_back(known_.at(n->inputs()[i]));
    bool go = first.value.toBool();
    for (int64_t i = 0; go && i < trips.value.toInt(); ++i) {
      known_[body->inputs()[0]] = Known{c10::IValue(i), {}, {}, {}};
      for (size_t k = 0; k < carried.size(); ++k) known_[body->inputs()[k + 1]] = carried[k];
      walk(body);
      const Known& cond = known_.at(body->outputs()[0]);
      if (cond.depends_on_input()) throw ImportStop("a loop's condition depends on the values of the input (prim::Loop)");
      go = cond.value.toBool();
      for (size_t k = 0; k < carried.size(); ++k) carried[k] = known_.at(body->outputs()[k + 1]);
    }
    for (size_t k = 0; k < carried.size(); ++k) known_[n->outputs()[k]] = carried[k];
  }

  // Runs the node on the probe values, then maps it where it reads the input.
  void apply(Node* n, const std::string& kind) {
    OpContext ctx;
    ctx.node = n;
    bool dependent = false;
    for (Value* v : n->inputs()) {
      ctx.in.push_back(&known_.at(v));
      dependent = dependent || ctx.in.back()->depends_on_input();
    }
    std::vector<Known> out(n->outputs().size());
    evaluate(ctx, out);
    ctx.out = &out;
    ctx.layers = &layers_;
    if (dependent && !reads_metadata_only(kind)) {
      if (is_container_op(kind)) {
        propagate(ctx);
      } else if (auto it = ops_.find(kind); it != ops_.end()) {
        for (const Known* k : ctx.in) {
          if (!k->opaque.empty()) ctx.stop("it reads {}, which seqdl's layers do not compute", k->opaque);
        }
        it->second(ctx);
        // An in-place op (relu_) changed its input too.
        if (kind.back() == '_' && !out.empty()) known_[n->input(0)] = out[0];
      } else {
        ctx.stop("seqdl has no layer for this op");
      }
    }
    for (size_t i = 0; i < out.size(); ++i) known_[n->outputs()[i]] = std::move(out[i]);
  }

  static void evaluate(const OpContext& ctx, std::vector<Known>& out) {
    if (evaluate_container(ctx, out)) return;
    torch::jit::Stack stack;
    for (const Known* k : ctx.in) stack.push_back(k->value);
    try {
      ctx.node->getOperation()(stack);
    } catch (const ImportStop&) {
      throw;
    } catch (const std::exception& e) {
      std::string what = e.what();
      ctx.stop("it cannot be run on the probe input ({})", what.substr(0, what.find('\n')));
    }
    if (stack.size() != out.size()) ctx.stop("it returned {} values, not {}", stack.size(), out.size());
    for (size_t i = 0; i < out.size(); ++i) out[i].value = std::move(stack[i]);
  }

  // Lists and tuples are built and taken apart here (the interpreter does it with instructions, not operators).
  static bool evaluate_container(const OpContext& ctx, std::vector<Known>& out) {
    const std::string kind = ctx.kind();
    if (kind == "prim::ListConstruct") {
      c10::impl::GenericList list(ctx.node->output()->type()->expectRef<c10::ListType>().getElementType());
      for (const Known* k : ctx.in) list.push_back(k->value);
      out[0].value = c10::IValue(list);
    } else if (kind == "prim::TupleConstruct") {
      std::vector<c10::IValue> items;
      for (const Known* k : ctx.in) items.push_back(k->value);
      out[0].value = c10::ivalue::Tuple::create(std::move(items));
    } else if (kind == "prim::ListUnpack" || kind == "prim::TupleUnpack") {
      const c10::IValue& v = ctx.in[0]->value;
      std::vector<c10::IValue> items = v.isTuple() ? v.toTupleRef().elements().vec() : v.toListRef().vec();
      if (items.size() != out.size()) ctx.stop("it unpacks {} values from {}", out.size(), items.size());
      for (size_t i = 0; i < out.size(); ++i) out[i].value = items[i];
    } else if (kind == "prim::TupleIndex") {
      const auto& items = ctx.in[0]->value.toTupleRef().elements();
      int64_t i = ctx.integer(1);
      if (i < 0) i += static_cast<int64_t>(items.size());
      out[0].value = items.at(static_cast<size_t>(i));
    } else if (kind == "prim::unchecked_cast") {
      out[0].value = ctx.in[0]->value;
    } else {
      return false;
    }
    return true;
  }

  // Containers keep what is known of their elements.
  static void propagate(OpContext& ctx) {
    const std::string kind = ctx.kind();
    std::vector<Known>& out = *ctx.out;
    auto opaque_in = [&]() -> std::string {
      for (const Known* k : ctx.in) {
        if (!k->opaque.empty()) return k->opaque;
      }
      return "";
    };
    if (kind == "prim::ListConstruct" || kind == "prim::TupleConstruct") {
      for (const Known* k : ctx.in) {
        if (!k->items.empty()) ctx.stop("nested lists of activations are not supported");
        out[0].items.push_back(k->act);
      }
      out[0].opaque = opaque_in();
    } else if (kind == "prim::ListUnpack" || kind == "prim::TupleUnpack") {
      const Known& in = *ctx.in[0];
      for (size_t i = 0; i < out.size(); ++i) {
        if (i < in.items.size()) out[i].act = in.items[i];
        out[i].opaque = in.opaque;
      }
    } else if (kind == "prim::unchecked_cast") {
      out[0] = *ctx.in[0];
    } else {  // TupleIndex, __getitem__ on a list
      if (ctx.in[1]->depends_on_input()) ctx.stop("an index that depends on the input");
      const Known& in = *ctx.in[0];
      if (in.act) ctx.stop("indexing a tensor that depends on the input");
      int64_t i = ctx.integer(1);
      if (i < 0) i += static_cast<int64_t>(in.items.size());
      if (i >= 0 && i < static_cast<int64_t>(in.items.size())) out[0].act = in.items[static_cast<size_t>(i)];
      out[0].opaque = in.opaque;
    }
  }

  const OpTable& ops_;
  LayerBuilder& layers_;
  std::unordered_map<const Value*, Known> known_;
};

}  // namespace

bool Known::depends_on_input() const {
  if (act || !opaque.empty()) return true;
  for (const auto& i : items) {
    if (i) return true;
  }
  return false;
}

std::string layout_name(Layout layout) {
  switch (layout) {
    case Layout::channels_first: return "[batch, channels, length]";
    case Layout::channels_last: return "[batch, length, channels]";
    case Layout::flat: return "[batch, features]";
    case Layout::pooled: return "[batch, channels, 1]";
  }
  return "?";
}

int64_t normalise_dim(int64_t dim, int64_t rank) { return dim < 0 ? dim + rank : dim; }

int64_t length_axis(Layout layout) {
  return layout == Layout::channels_first ? 2 : layout == Layout::channels_last ? 1 : -1;
}

int64_t channel_axis(Layout layout) { return layout == Layout::channels_last ? 2 : 1; }

std::string OpContext::where() const {
  // The line of the module's own forward that led here (the first frame of the inlined call stack), else the
  // op's own source line.
  torch::jit::SourceRange range = node->sourceRange();
  if (auto stack = node->callstack()) {
    auto frames = (*stack)->vec();
    if (!frames.empty()) range = std::get<1>(frames.front());
  }
  // A loaded file's ranges point into its serialized code; its debug records lead back to the exporter's source.
  if (auto original = range.findSourceRangeThatGenerated()) range = *original;
  std::string text = kind();
  if (auto flc = range.file_line_col()) {
    std::string file = std::filesystem::path(std::get<0>(*flc)).filename().string();
    if (!file.empty()) text += fmt::format(" ({} line {})", file, std::get<1>(*flc));
  }
  return text;
}

void OpContext::stop(const std::string& why) const { throw ImportStop(where() + ": " + why); }

const Activation& OpContext::act(size_t i) const {
  if (!in[i]->act) stop("argument {} is not a tensor that seqdl's layers compute", i + 1);
  return *in[i]->act;
}

torch::Tensor OpContext::constant(size_t i, const char* what) const {
  if (in[i]->depends_on_input()) stop("its {} depends on the input", what);
  if (!in[i]->value.isTensor()) stop("its {} is not a tensor", what);
  return in[i]->value.toTensor();
}

int64_t OpContext::integer(size_t i) const {
  const auto& v = in[i]->value;
  if (v.isInt()) return v.toInt();
  if (v.isIntList() && v.toIntList().size() == 1) return v.toIntList().get(0);
  stop("argument {} is not an integer", i + 1);
}

std::vector<int64_t> OpContext::integers(size_t i) const {
  const auto& v = in[i]->value;
  if (v.isInt()) return {v.toInt()};
  if (v.isIntList()) return v.toIntVector();
  if (v.isNone()) return {};
  stop("argument {} is not a list of integers", i + 1);
}

double OpContext::number(size_t i) const {
  const auto& v = in[i]->value;
  if (v.isDouble()) return v.toDouble();
  if (v.isInt()) return static_cast<double>(v.toInt());
  stop("argument {} is not a number", i + 1);
}

bool OpContext::flag(size_t i) const {
  const auto& v = in[i]->value;
  if (v.isBool()) return v.toBool();
  if (v.isNone()) return false;
  stop("argument {} is not a boolean", i + 1);
}

std::vector<int64_t> OpContext::in_shape(size_t i) const {
  if (!in[i]->value.isTensor()) stop("argument {} is not a tensor", i + 1);
  return in[i]->value.toTensor().sizes().vec();
}

std::vector<int64_t> OpContext::out_shape(size_t i) const {
  if (!(*out)[i].value.isTensor()) stop("output {} is not a tensor", i + 1);
  return (*out)[i].value.toTensor().sizes().vec();
}

std::string OpContext::arg_name(size_t i) const {
  const auto* schema = node->maybeSchema();
  if (schema == nullptr || i >= schema->arguments().size()) return "";
  return schema->arguments()[i].name();
}

WalkResult walk_graph(torch::jit::Graph& graph, const c10::IValue& self, const torch::Tensor& probe,
                      LayerBuilder& layers) {
  static const OpTable table = [] {
    OpTable t;
    add_layer_ops(t);
    add_shape_ops(t);
    return t;
  }();
  Walker walker(table, layers);
  return walker.run(graph, self, probe);
}

}  // namespace seqdl::nn::importer
