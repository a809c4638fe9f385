// The gene-annotation options of the commands that work on splice sites (train, evaluate, variants), spelled as
// `seqdl sites` spells them: --annotation, --canonical, --types, --junctions, --min-count, --junction-source, and
// --annotation-format (sites calls it --format; here --format names the output's).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "data/splice_annotation.hpp"

namespace seqdl::cli {

// Returns the --annotation option; the others need it.
CLI::Option* add_splice_options(CLI::App* app, data::SpliceOptions& options, const std::string& annotation_help,
                                const std::string& group = "Splice sites");

}  // namespace seqdl::cli
