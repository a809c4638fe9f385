// What a coverage model predicts, as its metadata's "profile" object records it, without LibTorch: a
// base-resolution profile model (BPNet, ChromBPNet: a profile head of per-base logits and a counts head of
// log(1 + total) per channel), or a binned coverage-track regression model (Basenji-style: one value per bin of
// `bin` bases). Evaluate, predict and saliency read it to know the heads' meaning; train/profile_task.hpp writes it.
//
// Channels: task t, strand s is channel t * strands + s (strands 2: plus then minus; 1: combined).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace seqdl::nn {

enum class CoverageModelKind { profile, tracks };

struct ProfileInfo {
  CoverageModelKind kind = CoverageModelKind::profile;
  std::vector<std::string> tasks;  // coverage tasks
  int strands = 1;                 // per task
  int64_t output_length = 0;       // bases the outputs cover (profile length, or bins x bin)
  int64_t output_offset = 0;       // first output base within the input window
  int64_t bin = 1;                 // tracks: bases per output value
  std::string loss = "mnll";       // profile: mnll (+ counts MSE); tracks: poisson | mse
  int profile_head = 0, counts_head = 1;  // head indices (tracks: profile_head is the binned track head)
  bool bias_factorised = false;    // ChromBPNet: heads also hold the bias-free "profile_nobias"/"counts_nobias"

  int64_t channels() const { return static_cast<int64_t>(tasks.size()) * strands; }
  std::vector<std::string> channel_names() const;  // "task" (combined) or "task.plus", "task.minus"
  bool tracks() const { return kind == CoverageModelKind::tracks; }
};

// The metadata object, and back (ModelError naming `source` for a malformed one).
nlohmann::json profile_info_json(const ProfileInfo& info);
ProfileInfo read_profile_info(const nlohmann::json& j, const std::string& source);

// Predicted total count of a channel from the counts head's log(1 + total) (never negative).
double predicted_total(double log_counts);

}  // namespace seqdl::nn
