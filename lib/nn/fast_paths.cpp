#include "nn/fast_paths.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "nn/mutation_reach.hpp"
#include "util/text.hpp"

namespace seqdl::nn {
namespace {

bool is_global_pool(const Node& n) { return n.type == "global_maxpool" || n.type == "global_avgpool"; }

std::string shape_text(const Shape& s) {
  return s.flat ? fmt::format("[{}]", s.channels) : fmt::format("[{}, {}]", s.channels, s.length);
}

}  // namespace

SharedTrunk shared_trunk(const Graph& graph) {
  SharedTrunk plan;
  std::vector<int> trunk = graph.trunk();
  if (trunk.empty()) {
    plan.why_not = "the first layer is not local: nothing to share";
    return plan;
  }
  std::set<int> in_trunk(trunk.begin(), trunk.end());
  std::vector<int> outputs;
  for (const auto& o : graph.outputs()) outputs.push_back(o.node);
  if (std::all_of(outputs.begin(), outputs.end(), [&](int o) { return in_trunk.count(o) != 0; })) {
    for (int o : outputs) {
      const Node& n = graph.node(o);
      if (!n.fully_valid()) return {fmt::format("layer {} sees the window's edges", n.name)};
      if (n.field.stride != 1) return {"per-position outputs at a coarser resolution than the input"};
    }
    plan.whole = true;
    return plan;
  }
  for (const auto& n : graph.nodes()) {
    for (int j : n.inputs) {
      if (j == kNetworkInput && !n.local) return {fmt::format("layer {} outside the trunk reads the input", n.name)};
    }
  }
  plan.frontier = graph.trunk_frontier();
  for (int f : plan.frontier) {
    const Node& n = graph.node(f);
    if (!n.fully_valid()) return {fmt::format("layer {} sees the window's edges (padding or a crop)", n.name)};
    plan.factor = std::max(plan.factor, n.field.stride);
    // A frontier read only by one global pool (and not an output) is pooled along the chunk instead of sliced.
    int pool = -1, outside = 0;
    for (int c : graph.consumers()[static_cast<size_t>(f)]) {
      if (in_trunk.count(c) != 0) continue;
      ++outside;
      if (is_global_pool(graph.node(c))) pool = c;
    }
    bool output = std::find(outputs.begin(), outputs.end(), f) != outputs.end();
    plan.pooled.push_back(outside == 1 && !output ? pool : -1);
  }
  // Different strides among the frontier need a common multiple; seqdl's layers give powers of the pool sizes.
  for (int f : plan.frontier) {
    if (plan.factor % graph.node(f).field.stride != 0) return {"trunk outputs at incommensurate resolutions"};
  }
  return plan;
}

bool has_deeplift_rule(const std::string& type) {
  return type != "bilstm" && type != "positional_encoding" && type != "transformer_encoder" && type != "logsumexp";
}

std::string layer_without_deeplift_rule(const Graph& graph) {
  for (const auto& n : graph.nodes()) {
    if (!has_deeplift_rule(n.type)) return n.name + " (" + n.type + ")";
  }
  return "";
}

std::string layer_without_deeplift_rule(const Graph& graph, int output) {
  for (int i : graph.ancestors({output})) {
    const Node& n = graph.node(i);
    if (!has_deeplift_rule(n.type)) return n.name + " (" + n.type + ")";
  }
  return "";
}

std::vector<std::string> describe_layers(const Graph& graph) {
  std::vector<std::string> rows;
  for (size_t i = 0; i < graph.nodes().size(); ++i) {
    const Node& n = graph.nodes()[i];
    std::string row = fmt::format("{:<28} {:<20} {} -> {}", n.name, n.type, shape_text(n.in), shape_text(n.out));
    // Inputs are named where the layer does not simply read the one before it.
    if (n.inputs != std::vector<int>{static_cast<int>(i) - 1}) {
      row += " from " + join(n.inputs, ", ", [&](int j) { return j == kNetworkInput ? std::string("input") : graph.node(j).name; });
    }
    if (n.local) row += fmt::format("  field {} bp{}", n.field.span, n.fully_valid() ? "" : ", edges padded");
    rows.push_back(row);
  }
  return rows;
}

std::vector<std::pair<std::string, std::string>> describe_fast_paths(const Graph& graph) {
  std::vector<std::pair<std::string, std::string>> out;
  SharedTrunk trunk = shared_trunk(graph);
  if (!trunk.why_not.empty()) {
    out.emplace_back("shared trunk", "no: " + trunk.why_not);
  } else if (trunk.whole) {
    out.emplace_back("shared trunk", "yes: whole chunks (fully convolutional)");
  } else {
    out.emplace_back("shared trunk", fmt::format("yes: {} of {} layers shared at strides that are multiples of {}",
                                                 graph.trunk().size(), graph.nodes().size(), trunk.factor));
  }
  MutationReach reach(graph);
  out.emplace_back("fast ISM", reach.why_not().empty() ? fmt::format("yes: {} layers recomputed locally", reach.trunk().size())
                                                       : "no: " + reach.why_not());
  std::string missing = layer_without_deeplift_rule(graph);
  out.emplace_back("DeepLIFT rules", missing.empty() ? "yes: every layer" : "no: " + missing + " has no exact rule");
  int64_t field = graph.receptive_field();
  out.emplace_back("receptive field", field > 0 ? fmt::format("{} bp (per trunk output)", field) : "the whole input");
  return out;
}

}  // namespace seqdl::nn
