// Option groups shared by several subcommands, so that every command spells them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include "data/labelled_sources.hpp"
#include "data/sequence_source.hpp"

namespace seqdl::cli {

// --regions/--region, --stranded, --reference, --min-mapq, --require-flags, --exclude-flags,
// --read-orientation, --sequence-column, --id-column.
void add_source_options(CLI::App* app, data::SourceSpec& spec);

// Labelled data as train and evaluate read it: --class, --table with its columns, --genome with --intervals
// or --positives, --negatives, --negative-ratio.
void add_labelled_options(CLI::App* app, data::LabelledSpec& spec);

}  // namespace seqdl::cli
