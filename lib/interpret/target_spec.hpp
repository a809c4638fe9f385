// What an attribution explains: one output of the model (a task, or a class of a multi-class model), as a
// logit or a probability, and for per-position models a position or a window of positions (summed). Models with
// several heads (profile models: profile and counts) name the head; a profile head without a position explains
// its softmax-weighted, mean-centred logits (ChromBPNet's profile target). Torch-free:
// commands fill it from --target, --position, --span and --probability; target.hpp resolves it against a model.
#pragma once

#include <cstdint>
#include <string>

namespace seqdl::interpret {

struct TargetSpec {
  std::string target;        // task or class name, or index; "" = the first output
  int64_t position = -1;     // per-position models: output position (-1 = the centre)
  int64_t window = 0;        // per-position models: explain the sum over this many positions around `position`
  bool probability = false;  // explain the probability instead of the logit
  std::string head;          // head name or index; "" = the first head (profile models: "counts")
};

}  // namespace seqdl::interpret
