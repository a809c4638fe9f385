// Spec layers as graph nodes: a primitive layer becomes one node with its numbers resolved ("tasks", "same"
// padding, a crop to a length); a macro layer (spliceai_tower, residual_tower) becomes the nodes it stands for,
// named "<layer name>/<part>", its last node carrying the layer's own name. Internal to graph.cpp.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nn/graph.hpp"

namespace seqdl::nn {

// Adds a node to the graph (shapes and geometry checked there) and returns its index.
using EmitNode = std::function<int(Node)>;

// Emits the node(s) of one spec layer reading `inputs`; returns the index of its last node. ModelError naming
// `where` for numbers that do not fit.
int expand_layer(const nlohmann::json& layer, const std::string& name, const std::vector<int>& inputs, int64_t tasks,
                 const Graph& graph, const EmitNode& emit, const std::string& where);

}  // namespace seqdl::nn
