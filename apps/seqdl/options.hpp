// Option groups shared by several subcommands, so that every command spells them the same way, and the one way an
// option's text becomes an enum (add_choice, from the library's Choices table).
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "data/labelled_sources.hpp"
#include "data/sequence_source.hpp"
#include "interpret/target_spec.hpp"
#include "nn/model_info.hpp"
#include "util/choices.hpp"

namespace seqdl::cli {

// An option whose words are a library's Choices table: checked by CLI11 (the accepted words in the message and
// the help), then converted into `target`.
template <class E, size_t N>
CLI::Option* add_choice(CLI::App* app, const std::string& name, E& target, const Choices<E, N>& choices,
                        const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name, [&target, &choices, name](const std::string& text) { target = parse_choice(choices, text, name); },
          help)
      ->check(CLI::IsMember(choice_names(choices)))
      ->default_str(std::string(choice_name(choices, target)));
}
template <class E, size_t N>
CLI::Option* add_choice(CLI::App* app, const std::string& name, std::optional<E>& target, const Choices<E, N>& choices,
                        const std::string& help) {
  return app
      ->add_option_function<std::string>(
          name, [&target, &choices, name](const std::string& text) { target = parse_choice(choices, text, name); },
          help)
      ->check(CLI::IsMember(choice_names(choices)));
}

// SAM flags as samtools takes them (0x900 or 2304), normalised to decimal.
CLI::Validator sam_flags();

// -m/--model and what flags say about a TorchScript model: --window, --task-names, --task-type, and --unknown (N
// and IUPAC codes; default the model's own choice). Returns the --model option (required unless told otherwise).
CLI::Option* add_model_options(CLI::App* app, std::string& model, nn::ModelOverrides& overrides, bool required = true);

// --target, --position, --span, --probability: what saliency and ISM explain.
void add_target_options(CLI::App* app, interpret::TargetSpec& target);

// --reference, --min-mapq, --require-flags, --exclude-flags, --read-orientation: SAM/BAM/CRAM input.
void add_read_options(CLI::App* app, data::SourceSpec& spec);

// --sequence-column, --id-column: table input.
void add_table_options(CLI::App* app, data::SourceSpec& spec);

// --regions/--region and --stranded, then the read and table options: every form of sequence input.
void add_source_options(CLI::App* app, data::SourceSpec& spec);

// Labelled data as train and evaluate read it: --class, --table with its columns, --genome with --intervals
// or --positives, --negatives, --negative-ratio.
void add_labelled_options(CLI::App* app, data::LabelledSpec& spec);

}  // namespace seqdl::cli
