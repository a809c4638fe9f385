// Single-base substitutions scored by local recomputation (the fastISM idea, Nair et al. 2022, for VCF variants):
// each SNV's REF window runs through the network's local trunk once, and its ALT window, which differs in one base
// at the window's centre, recomputes only the positions of each trunk layer that the substitution reaches, from
// slices of the REF activations (nn/mutation_reach.hpp); the rest of the network runs on the REF frontier with the
// recomputed positions spliced in. Every SNV of a batch has its substitution at the same window index, so the
// slices are the same for all of them and ALT runs as a handful of batched operations.
//
// REF activations come from one of two sources, both exact up to floating-point summation order:
//   windows  each window through the trunk, a batch at a time (any network local recomputation applies to)
//   shared   SNVs whose windows overlap on a contig share one pass over the span they cover: a trunk layer whose
//            outputs are s bases apart runs once for each offset modulo s that the windows start at (a layer
//            after pools of 3 and 4 runs at most 12 times, each over 1/12 of the positions), and each window
//            takes its slices of the results. Needs a trunk whose values do not depend on the window's edges
//            (no padding), as for the shared-trunk genome scan (nn/fast_paths.hpp).
// Networks whose first layer is not local, or TorchScript modules, cannot be recomputed locally: the caller runs
// whole windows (why_not says why).
// (A LibTorch header, private to the variants layer: lib/variants/*.hpp is the torch-free interface that commands
// include, which tests/layering checks; the engine's headers live in lib/variants/torch/.)
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "encode/one_hot.hpp"
#include "nn/model.hpp"
#include "nn/mutation_reach.hpp"

namespace seqdl::variants {

// One SNV: the contig (any id that is equal for equal contigs), the genome position of its REF window's first base,
// the REF window's bases (the model's input length) and the ALT base, which goes at the engine's mutation index.
struct SnvSite {
  int contig = 0;
  int64_t start = 0;
  std::string_view window;
  char alt = 'N';
};

// Logits of every head for the REF and ALT windows of a batch of SNVs, in the order given: [n, ...] per head.
struct SnvHeads {
  std::vector<torch::Tensor> ref, alt;
};

// Ownership: refers to the network and table (both must outlive it). One thread at a time.
class SnvEngine {
 public:
  // Why the model does not allow local recomputation of SNVs ("" if it does).
  static std::string why_not(nn::Model& model);

  // mutation_index: the window index of the substituted base (W / 2, or W - 1 - W / 2 on the reverse strand).
  // memory_budget: bytes of activations a batch may hold (the batch is split to stay within it).
  SnvEngine(nn::NetworkImpl& net, const encode::OneHotTable& table, int64_t mutation_index,
            double memory_budget = 96.0 * (1 << 20));

  // Runs under InferenceMode. Sites whose windows overlap on the same contig share their REF work when the
  // network allows it (and there are enough of them to pay for it). A site whose ALT equals its REF base gets ALT
  // logits equal to its REF logits, exactly.
  SnvHeads run(const std::vector<SnvSite>& sites);

  bool can_share() const { return can_share_; }
  // Sites per run() that keep what a run holds per site (REF slices and frontier values, ALT copies) within the
  // memory budget.
  int64_t batch_limit() const;
  // For the log: "local recomputation of N layers, REF shared between overlapping windows".
  std::string description() const;
  // Counters since construction: windows whose REF came from shared passes, and from window-by-window batches.
  uint64_t shared_windows() const { return shared_windows_; }
  uint64_t single_windows() const { return single_windows_; }

 private:
  // The REF values the ALT recomputation reads, per SNV: for each trunk node and each of its inputs that is a
  // node, the input's REF values on the slice the node recomputes from ([n, C, slice width], zero outside the
  // input's length); and every frontier node's full REF value ([n, C, L]).
  struct RefValues {
    std::vector<std::vector<torch::Tensor>> slices;  // [node][input k]
    std::vector<torch::Tensor> frontier;             // [node]
  };

  RefValues allocate(int64_t n) const;
  bool covered(int node, int input) const;
  void ref_by_windows(const std::vector<SnvSite>& sites, const std::vector<int64_t>& rows, RefValues& out);
  // Groups of overlapping windows go through ref_shared when that costs less than their windows; the rest are
  // appended to `singles`.
  void ref_shared_groups(const std::vector<SnvSite>& sites, RefValues& out, std::vector<int64_t>& singles);
  void ref_shared(const std::vector<SnvSite>& sites, const std::vector<int64_t>& rows, RefValues& out);
  std::vector<std::map<int64_t, std::vector<std::pair<int64_t, int64_t>>>> needed_intervals(
      const std::vector<SnvSite>& sites, const std::vector<int64_t>& rows, int64_t origin) const;
  void copy_out(int node, const std::vector<SnvSite>& sites, const std::vector<int64_t>& rows, int64_t origin,
                const std::vector<std::pair<int64_t, torch::Tensor>>& phases, RefValues& out);
  double window_cost() const;
  double shared_cost(const std::vector<SnvSite>& sites, const std::vector<int64_t>& rows) const;
  torch::Tensor alt_input_slice(int node, const std::vector<SnvSite>& sites);
  void keep_values(int node, const torch::Tensor& value, const torch::Tensor& rows, RefValues& out) const;
  std::vector<torch::Tensor> alt_frontier(const std::vector<SnvSite>& sites, const RefValues& ref);
  std::vector<torch::Tensor> heads(const std::vector<torch::Tensor>& frontier);
  int64_t window_batch() const;
  bool plan_sharing();

  nn::NetworkImpl& net_;
  const encode::OneHotTable& table_;
  nn::MutationReach reach_;
  int64_t index_;
  double budget_;
  std::vector<int64_t> start_;      // per node: the first recomputed output
  std::vector<int> needed_;         // nodes up to the frontier, in order
  std::vector<char> is_frontier_;   // per node
  std::vector<int> outputs_;
  std::vector<double> macs_;        // per node: multiply-adds per output position (a cost estimate)
  int64_t max_span_ = 0;            // longest genome span one shared pass covers (the memory budget)
  bool can_share_ = false;
  std::string why_not_shared_;
  uint64_t shared_windows_ = 0, single_windows_ = 0;
};

}  // namespace seqdl::variants
