// The subcommands of `seqdl`. Each cmd_<name>.cpp adds its CLI11 subcommand, wires the options into the
// library's option struct and returns the function that runs it. No logic beyond argument wiring.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace seqdl::cli {

// Options every subcommand accepts (before or after the subcommand name).
struct GlobalOptions {
  int threads = 0;  // 0: all cores
  bool verbose = false;
  bool quiet = false;
  uint64_t seed = 0;
};

struct Command {
  CLI::App* app = nullptr;
  std::function<void()> run;
};

// Validators whose messages read well after CLI11's "--option: " prefix.
CLI::Validator integer_at_least(long long min);
CLI::Validator number_in(double low, double high);

Command add_coverage(CLI::App& parent, const GlobalOptions& global);
Command add_import(CLI::App& parent, const GlobalOptions& global);
Command add_info(CLI::App& parent, const GlobalOptions& global);
Command add_ism(CLI::App& parent, const GlobalOptions& global);
Command add_predict(CLI::App& parent, const GlobalOptions& global);
Command add_saliency(CLI::App& parent, const GlobalOptions& global);
Command add_train(CLI::App& parent, const GlobalOptions& global);
Command add_encode(CLI::App& parent, const GlobalOptions& global);
Command add_evaluate(CLI::App& parent, const GlobalOptions& global);
Command add_motifs(CLI::App& parent, const GlobalOptions& global);
Command add_motifs_discover(CLI::App& motifs, const GlobalOptions& global);  // under `seqdl motifs`
Command add_simulate(CLI::App& parent, const GlobalOptions& global);
Command add_sites(CLI::App& parent, const GlobalOptions& global);
Command add_variants(CLI::App& parent, const GlobalOptions& global);

// The threads the run uses after resolving --threads 0 (set by main before any command runs).
int resolved_threads();

struct TorchJobs;
// The LibTorch half of seqdl (torch_jobs.hpp), loaded on first use and configured with --threads and --seed.
const TorchJobs& torch_commands();

}  // namespace seqdl::cli
