// The run-provenance record: which seqdl, which libraries, which command line, options, seed and
// threads produced an output. Commands embed it in their outputs (model files, reports, JSON).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace seqdl {

struct Provenance {
  std::string command;                 // the subcommand, e.g. "train"
  std::vector<std::string> argv;       // the whole command line as given
  nlohmann::json options;              // resolved option values, by name
  uint64_t seed = 0;
  int threads = 1;
  std::string started;                 // UTC, ISO 8601
  std::map<std::string, std::string> versions;  // "seqdl", "libtorch", "htslib", ...

  nlohmann::json to_json() const;
  std::string command_line() const;    // argv joined with shell quoting where needed
};

// The process-wide record, filled by main before a command runs; read it (from any thread) after that, and
// do not change it while commands run.
Provenance& run_provenance();

// The current UTC time as ISO 8601 ("2026-11-21T09:14:00Z").
std::string utc_now();

}  // namespace seqdl
