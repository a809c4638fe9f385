#include "options.hpp"

#include "commands.hpp"
#include "util/text.hpp"

namespace seqdl::cli {
CLI::Validator sam_flags() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        try {
          size_t used = 0;
          unsigned long v = std::stoul(value, &used, 0);
          if (used != value.size() || v > 0xffff) throw std::invalid_argument(value);
          value = std::to_string(v);
          return "";
        } catch (const std::exception&) {
          return fmt::format("expected SAM flags as a number (e.g. 0x900 or 2304), found '{}'", value);
        }
      },
      "FLAGS");
}

CLI::Option* add_model_options(CLI::App* app, std::string& model, nn::ModelOverrides& overrides, bool required) {
  CLI::Option* m = app->add_option("-m,--model", model, "Model: a .seqdl file or a TorchScript file exported from PyTorch")
                       ->group("Model");
  if (required) m->required();
  app->add_option("--window", overrides.window, "TorchScript models: the input length")
      ->check(integer_at_least(1))->group("Model");
  app->add_option("--task-names", overrides.task_names, "TorchScript models: output names (comma-separated)")
      ->delimiter(',')->group("Model");
  add_choice(app, "--task-type", overrides.task_type, data::kTaskTypeChoices,
             "TorchScript models: binary, multilabel or multiclass (softmax over the outputs)")->group("Model");
  add_choice(app, "--unknown", overrides.unknown, encode::kUnknownChoices,
             "One-hot of N and IUPAC codes: zero, uniform or iupac (default: the model's own choice)")->group("Model");
  app->add_flag("--no-import", overrides.no_import, "TorchScript models: run the module as it is rather than imported "
                                                     "into seqdl's layers (which enables the fast paths)")->group("Model");
  return m;
}

void add_target_options(CLI::App* app, interpret::TargetSpec& target) {
  app->add_option("--target", target.target, "The output to explain: a task or class name, or its index (default 0)")
      ->group("Target");
  app->add_option("--position", target.position, "Per-position models: the output position to explain (default the "
                                                  "centre)")->check(integer_at_least(0))->group("Target");
  app->add_option("--span", target.window, "Per-position models: explain the sum over this many positions around "
                                           "--position")->check(integer_at_least(1))->group("Target");
  app->add_flag("--probability", target.probability, "Explain the probability instead of the logit")->group("Target");
  app->add_option("--head", target.head, "Models with several heads: which one (profile models: counts, the default, or "
                                         "profile: its logits weighted by their own softmax, as ChromBPNet explains them)")
      ->group("Target");
}

void add_read_options(CLI::App* app, data::SourceSpec& spec) {
  app->add_option("--reference", spec.reference, "Reference FASTA for CRAM input")->group("Input");
  app->add_option("--min-mapq", spec.read_filter.min_mapq, "Reads: skip reads with a lower MAPQ")
      ->check(integer_at_least(0))->group("Input");
  app->add_option("--require-flags", spec.read_filter.require_flags, "Reads: keep reads with all these flags")
      ->check(sam_flags())->group("Input");
  app->add_option("--exclude-flags", spec.read_filter.exclude_flags,
                  "Reads: skip reads with any of these flags (default 0x900: secondary, supplementary)")
      ->check(sam_flags())->group("Input");
  app->add_flag("--read-orientation", spec.read_orientation,
                "Reads: reverse-complement reverse-strand reads back to the orientation they were sequenced in")
      ->group("Input");
}

void add_table_options(CLI::App* app, data::SourceSpec& spec) {
  app->add_option("--sequence-column", spec.sequence_column, "Tables: the column holding sequences")->group("Input");
  app->add_option("--id-column", spec.id_column, "Tables: the column holding ids (default: row numbers)")->group("Input");
}

void add_source_options(CLI::App* app, data::SourceSpec& spec) {
  app->add_option("--regions,--region", spec.regions,
                  "Genome input: BED/narrowPeak files or region strings (chr1:1,000-2,000; 1-based inclusive). "
                  "SAM/BAM/CRAM input: one region to read (needs the index)")
      ->group("Input");
  app->add_flag("--stranded", spec.stranded, "Reverse-complement BED intervals on the - strand")->group("Input");
  add_read_options(app, spec);
  add_table_options(app, spec);
}

void add_labelled_options(CLI::App* app, data::LabelledSpec& spec) {
  app->add_option("--class", spec.classes, "NAME=FILE: sequences of one class (FASTA/FASTQ, gz); repeat. Two classes "
                                          "make a binary task (the first is negative), more a multi-class one")
      ->group("Data");
  app->add_option("--table", spec.table, "Label table (TSV/CSV, gz; DeepBind .seq files as they are)")->group("Data");
  app->add_option("--sequence-column", spec.sequence_column, "Table column with the sequences")->group("Data");
  app->add_option("--label-columns", spec.label_columns, "Table columns with 0/1 labels, one task each (comma-separated)")
      ->delimiter(',')->group("Data");
  app->add_option("--class-column", spec.class_column, "Table column with class names (multi-class)")->group("Data");
  app->add_option("--id-column", spec.id_column, "Table column with ids")->group("Data");
  app->add_option("--genome", spec.genome, "Indexed FASTA for --intervals or --positives")->group("Data");
  app->add_option("--intervals", spec.intervals, "BED whose columns after chrom/start/end are labels (task names from a "
                                                 "'#' header line); windows centred on each interval")->group("Data");
  app->add_option("--positives", spec.positives, "BED/narrowPeak of positive intervals (windows centred on the summit)")
      ->group("Data");
  add_choice(app, "--negatives", spec.negatives, data::kNegativesChoices,
             "shuffle: add one dinucleotide-shuffled negative per positive; gc-matched: draw genomic windows with "
             "the positives' GC content")
      ->group("Data");
  app->add_option("--negative-ratio", spec.negative_ratio, "gc-matched negatives per positive")
      ->check(number_in(1e-6, 1e6))->capture_default_str()->group("Data");
}

}  // namespace seqdl::cli
