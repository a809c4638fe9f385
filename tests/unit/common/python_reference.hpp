// A Python reference script, run once per test suite: the independent computation (numpy, scipy, scikit-learn)
// that a unit test compares seqdl's numbers with. The script is called as `/usr/bin/python3 SCRIPT OUT.json`,
// writes seeded inputs and the reference's values as JSON, and exits 77 when a package it needs is missing.
#pragma once

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace seqdl::test {

// Debian's interpreter: the one that sees python3-numpy, -scipy, -sklearn (another python3 may come first on PATH).
inline constexpr const char* kDebianPython = "/usr/bin/python3";

// What a reference script gave: `data` when both reasons are empty; `skip` when Python or a package is missing
// (the tests are skipped, naming what to install); `failure` when the script failed (the tests fail).
struct PythonReference {
  nlohmann::json data;
  std::string skip, failure;

  // For a fixture's SetUp(): skips or fails the current test unless the reference ran.
  void require() const {
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_TRUE(failure.empty()) << failure;
  }
};

// Runs `script` (relative to the source tree, e.g. "tests/unit/metrics/sklearn_reference.py") into a private
// temporary JSON file, parses it and removes it. `packages` names the Debian packages for the skip message.
// Never throws (a malformed JSON is a failure); not for concurrent use with the same script.
inline PythonReference run_python_reference(const std::string& script, const std::string& packages) {
  PythonReference ref;
  if (!std::filesystem::exists(kDebianPython)) {
    ref.skip = std::string(kDebianPython) + " is missing (install " + packages + ")";
    return ref;
  }
  const std::filesystem::path stem = std::filesystem::path(script).stem();
  const std::filesystem::path out =
      std::filesystem::temp_directory_path() / ("seqdl_" + stem.string() + "_" + std::to_string(::getpid()) + ".json");
  const std::string command = std::string(kDebianPython) + " " SEQDL_SOURCE_DIR "/" + script + " " + out.string();
  const int status = std::system(command.c_str());
  if (status == 0) {
    std::ifstream in(out);
    ref.data = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (ref.data.is_discarded()) ref.failure = script + " wrote no valid JSON";
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
    ref.skip = "a package " + script + " needs is not importable by " + kDebianPython + " (install " + packages + ")";
  } else {
    ref.failure = script + " failed with status " + std::to_string(status);
  }
  std::error_code ignored;
  std::filesystem::remove(out, ignored);
  return ref;
}

}  // namespace seqdl::test
