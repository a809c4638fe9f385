// seqdl: one CLI11 app, one try/catch, exit codes. 0 success, 2 bad usage or bad input, 1 anything else.

#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"
#include "io/hts_log.hpp"
#include "torch_jobs.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/memory.hpp"
#include "util/provenance.hpp"
#include "util/threads.hpp"
#include "util/version.hpp"

namespace seqdl::cli {
namespace {

int g_threads = 1;
uint64_t g_seed = 0;

std::string version_text() {
  return fmt::format("seqdl {}\nlibtorch {}\nhtslib {}", kVersion, kTorchVersion, io::htslib_version());
}

// The subcommand named on the command line, for error messages raised before parsing finished.
std::string command_in_argv(int argc, char** argv, const std::vector<Command>& commands) {
  for (int i = 1; i < argc; ++i) {
    for (const auto& c : commands) {
      if (c.app->get_name() == argv[i]) return argv[i];
    }
  }
  return "";
}

int report(const std::string& command, const std::string& message, int status) {
  std::string who = command.empty() ? "seqdl" : "seqdl " + command;
  std::fprintf(stderr, "%s: error: %s\n", who.c_str(), message.c_str());
  return status;
}

// CLI11 messages can span lines (e.g. the list of valid choices); keep them to one.
std::string flatten(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace

int resolved_threads() { return g_threads; }

const TorchJobs& torch_commands() { return torch_jobs(g_threads, g_seed); }

int main(int argc, char** argv) {
  tune_memory_allocator();
  io::set_htslib_verbosity(false);
  CLI::App app{"seqdl: deep learning on DNA sequences. One native binary for training, evaluation, "
               "genome-wide prediction and interpretation of sequence models.",
               "seqdl"};
  app.footer("Run 'seqdl <command> --help' for a command's options and an example.");
  app.set_version_flag("--version", version_text(), "Print the versions of seqdl, LibTorch and htslib");
  app.fallthrough();  // global options may follow the subcommand: seqdl train ... -t 4
  app.require_subcommand(0, 1);

  GlobalOptions global;
  app.add_option("-t,--threads", global.threads, "Threads for LibTorch and the data pipeline (0 = all cores)")
      ->check(integer_at_least(0))
      ->capture_default_str();
  app.add_flag("-v,--verbose", global.verbose, "Log debug details and periodic progress lines");
  app.add_flag("-q,--quiet", global.quiet, "Log warnings and errors only");
  app.add_option("--seed", global.seed, "Seed for initialisation, splits, shuffles and augmentation")
      ->capture_default_str();

  std::vector<Command> commands = {
      add_coverage(app, global),
      add_encode(app, global),
      add_evaluate(app, global),
      add_import(app, global),
      add_info(app, global),
      add_ism(app, global),
      add_motifs(app, global),
      add_predict(app, global),
      add_saliency(app, global),
      add_simulate(app, global),
      add_sites(app, global),
      add_train(app, global),
      add_variants(app, global),
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    std::string command = command_in_argv(argc, argv, commands);
    if (command.empty() && argc > 1 && argv[1][0] != '-') {
      return report("", fmt::format("unknown command '{}' (run 'seqdl --help' for the list)", argv[1]), 2);
    }
    return report(command, flatten(e.what()), 2);
  } catch (const CLI::ParseError& e) {
    return report(command_in_argv(argc, argv, commands), flatten(e.what()), 2);
  }

  const Command* chosen = nullptr;
  for (const auto& c : commands) {
    if (c.app->parsed()) chosen = &c;
  }
  if (chosen == nullptr) {
    std::fputs(app.help().c_str(), stderr);
    return 2;
  }

  std::string name = chosen->app->get_name();
  try {
    if (global.verbose && global.quiet) throw UsageError("--verbose and --quiet cannot be used together");
    log::set_program("seqdl " + name);
    log::set_level(global.quiet ? log::Level::warn : global.verbose ? log::Level::debug : log::Level::info);
    io::set_htslib_verbosity(global.verbose);
    g_threads = resolve_threads(global.threads);
    g_seed = global.seed;

    Provenance& prov = run_provenance();
    prov.command = name;
    prov.argv.assign(argv, argv + argc);
    prov.seed = global.seed;
    prov.threads = g_threads;
    prov.versions["htslib"] = io::htslib_version();
    for (const CLI::Option* opt : chosen->app->get_options()) {
      if (opt->get_name() == "--help" || opt->count() == 0) continue;
      auto values = opt->results();
      prov.options[opt->get_name()] = values.size() == 1 ? nlohmann::json(values[0]) : nlohmann::json(values);
    }

    chosen->run();
    return 0;
  } catch (const std::exception& e) {
    return report(name, one_line_message(e), exit_status(e));
  }
}

}  // namespace seqdl::cli

int main(int argc, char** argv) { return seqdl::cli::main(argc, argv); }
