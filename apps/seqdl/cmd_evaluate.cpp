// seqdl evaluate: a model plus labelled sequences, or scores plus labels -> metrics, curves, report.

#include "commands.hpp"
#include "io/coverage_source.hpp"
#include "evaluate/evaluate.hpp"
#include "options.hpp"
#include "splice_options.hpp"
#include "torch_jobs.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::cli {

Command add_evaluate(CLI::App& parent, const GlobalOptions& global) {
  auto opt = std::make_shared<evaluate::EvaluateOptions>();
  CLI::App* app = parent.add_subcommand(
      "evaluate", "Metrics for a model on labelled sequences, or for any scores against labels: AUPRC, AUROC, "
                  "calibration, curves and an HTML report");
  add_model_options(app, opt->model, opt->overrides, /*required=*/false);
  app->get_option("--task-names")->description("Names of the outputs (TorchScript) or of the score columns (--scores), "
                                               "comma-separated");
  app->add_option("--batch", opt->batch, "Sequences per forward pass")->check(integer_at_least(1))
      ->capture_default_str()->group("Model");
  add_labelled_options(app, opt->data);

  // Splice sites: every base of the genes of an annotation (evaluate/splice_evaluate.hpp).
  CLI::Option* annotation = add_splice_options(
      app, opt->splice, "Gene annotation (GFF3/GTF): score every base of its genes for acceptor and donor sites "
                        "(SpliceAI's AUPRC and top-k), with --genome");
  app->add_option("--chroms", opt->chroms, "Annotation or --coverage: the chromosomes to evaluate (default: every "
                                          "one with a gene; coverage models: the model's test chromosomes)")
      ->group("Splice sites");
  app->add_flag("--whole-chromosomes", opt->whole_chromosomes, "Annotation: also every base of those chromosomes, "
                                                               "both strands")
      ->needs(annotation)->group("Splice sites");
  app->add_option("--acceptor-output", opt->acceptor_output, "Annotation: the model output scoring acceptors (name "
                                                             "or index; default the one named acceptor)")
      ->needs(annotation)->group("Splice sites");
  app->add_option("--donor-output", opt->donor_output, "Annotation: the model output scoring donors (default the one "
                                                       "named donor)")
      ->needs(annotation)->group("Splice sites");
  app->add_option("--site-index", opt->site_index, "Annotation, per-window models: the window index of the base each "
                                                   "window scores (default the centre, window / 2)")
      ->check(integer_at_least(0))->needs(annotation)->group("Splice sites");
  auto& cov = opt->profile;
  const char* g = "Coverage models";
  app->add_option("--coverage", cov.coverage.inputs, "Profile/track models: the observed read coverage (BAM, BED, "
                                                     "BEDPE, fragments, bedGraph, bigWig), counted as in training")
      ->group(g);
  add_choice(app, "--coverage-format", cov.coverage.format, io::kCoverageFormatChoices,
             "auto (from the name), bam, bed, bedpe, fragments, bedgraph, bigwig")->group(g);
  app->add_option_function<std::string>("--shift", [&cov](const std::string& s) { cov.shift = s; },
                                        "Move 5' ends / cut sites by PLUS,MINUS (default: as in training)")->group(g);
  app->add_option("--min-mapq", cov.coverage.filter.min_mapq, "BAM: minimum mapping quality")
      ->check(integer_at_least(0))->group(g);
  app->add_option("--peaks", cov.peaks, "Peak summits (narrowPeak or summits BED)")->group(g);
  app->add_option("--exclude", cov.exclude, "Blacklist BED: windows touching it are skipped")->group(g);
  app->add_option("--predictions", cov.predictions, "Per-peak TSV: observed and predicted log counts, JSD, Pearson")
      ->group(g);
  app->add_option("--report-peaks", cov.examples, "Peaks (most reads first) whose profiles the report draws")
      ->check(integer_at_least(0))->capture_default_str()->group(g);

  app->add_option("--scores", opt->tables.scores, "Table of scores (TSV/CSV with a header): an id column and a "
                                                  "'score' column, or one column per task or class; '-' for stdin")
      ->group("Scores");
  app->add_option("--labels", opt->tables.labels, "Table of labels joined to --scores by id: 0/1 per task, or one "
                                                  "column of class names")
      ->group("Scores");
  app->add_option("--score-columns", opt->tables.score_columns, "Score columns (default: 'score', else all but the id)")
      ->delimiter(',')->group("Scores");
  app->add_flag("--logits", opt->logits, "The scores are logits: apply a sigmoid (softmax for classes) first")
      ->group("Scores");

  auto& m = opt->metrics;
  app->add_option("--recall-levels", m.recall_levels, "Report the precision at these recall levels")
      ->delimiter(',')->check(number_in(0, 1))->capture_default_str()->group("Metrics");
  app->add_option("--precision-levels", m.precision_levels, "Report the recall at these precision levels")
      ->delimiter(',')->check(number_in(0, 1))->capture_default_str()->group("Metrics");
  app->add_option("--bins", m.bins, "Calibration bins (ECE, reliability curve)")->check(integer_at_least(1))
      ->capture_default_str()->group("Metrics");
  app->add_option("--bootstrap", m.bootstrap, "Bootstrap replicates for AUPRC/AUROC intervals (seeded by --seed; 0: none)")
      ->check(integer_at_least(0))->capture_default_str()->group("Metrics");
  app->add_option("--confidence", m.confidence, "Level of the bootstrap intervals")->check(number_in(1e-6, 0.999999))
      ->capture_default_str()->group("Metrics");

  app->add_option("-o,--output", opt->output, "Metrics table (TSV; JSON with --json); '-' for stdout")
      ->capture_default_str()->group("Output");
  app->add_flag("--json", opt->json, "Write the metrics as JSON (per task and overall, full precision)")->group("Output");
  app->add_option("--curves", opt->curves, "Folder for the PR, ROC and reliability curve points (TSV)")->group("Output");
  app->add_option("--report", opt->report, "Self-contained HTML report with the curves, the reliability diagram and the "
                                           "metrics table")
      ->group("Output");

  app->footer(
      "Metrics are scikit-learn's (average_precision_score, roc_auc_score, ...) per task or class (one-vs-rest),\n"
      "macro and micro, with the prevalence (a random ranking's AUPRC) beside each AUPRC. Undefined metrics (a\n"
      "task without positives or negatives) are NA in the TSV and null in the JSON, with a warning.\n"
      "Examples:\n"
      "  seqdl evaluate --model usf1.seqdl --table splits/valid.tsv --json\n"
      "  seqdl evaluate --model m.seqdl --table USF1_B.seq.gz --sequence-column seq --label-columns Bound \\\n"
      "      --report report.html\n"
      "  seqdl evaluate --model m.seqdl --class neg=test_neg.fa --class pos=test_pos.fa --bootstrap 1000\n"
      "  seqdl evaluate --scores scan.tsv --labels labels.tsv --curves curves/ --json -o metrics.json\n"
      "  seqdl evaluate --model splice.seqdl --genome g.fa --annotation genes.gff3 --chroms V X --json\n"
      "  seqdl evaluate --model atac.seqdl --genome g.fa --peaks summits.bed --coverage insertions.bedGraph.gz \\\n"
      "      --chroms chrIV --json --report atac.html              # profile models: docs/profile.md\n"
      "With --annotation (a splice model): acceptor and donor AUPRC, AUROC, top-k accuracy and prevalence over every\n"
      "base of the genes of --chroms (--whole-chromosomes: also every base of them, both strands). See docs/splice.md.");
  return {app, [opt, &global] {
            opt->threads = resolved_threads();
            opt->seed = global.seed;
            if (!opt->chroms.empty() && opt->splice.annotation.empty() && !opt->profile.enabled()) {
              throw UsageError("--chroms: applies with --annotation or --coverage");
            }
            if (opt->profile.enabled()) {
              opt->profile.chroms = opt->chroms;
              opt->profile.background_ratio = opt->data.negative_ratio;
              evaluate::EvaluateSummary s = torch_commands().evaluate(*opt);
              const auto& j = s.profile;
              auto show = [&](const char* k) {
                return j.contains(k) && j[k].is_number() ? fmt::format("{:.4f}", j[k].get<double>()) : std::string("NA");
              };
              if (j.contains("pearson")) {
                log::info("{} peaks: binned coverage Pearson {} (log {})", with_commas(s.samples), show("pearson"),
                          show("pearson_log"));
              } else {
                log::info("{} peaks: counts Pearson {}, Spearman {}; median JSD {} (average-profile baseline {}); median "
                          "profile Pearson {}; AUPRC {} vs background", with_commas(s.samples), show("counts_pearson"),
                          show("counts_spearman"), show("profile_jsd_median"), show("baseline_jsd_median"),
                          show("profile_pearson_median"), show("auprc"));
              }
              return;
            }
            // Score tables need no LibTorch: only a model loads it.
            evaluate::EvaluateSummary s = opt->model.empty() && opt->splice.annotation.empty()
                                              ? evaluate::run_evaluate(*opt)
                                              : torch_commands().evaluate(*opt);
            const auto& o = s.evaluation.overall;
            auto show = [](const std::optional<double>& v) { return v ? fmt::format("{:.4f}", *v) : std::string("NA"); };
            log::info("{} samples: AUPRC {} (prevalence {:.4f}), AUROC {}{}; metrics in {:.2f} s",
                      with_commas(s.samples), show(o.auprc_macro), o.prevalence, show(o.auroc_macro),
                      s.evaluation.tasks.size() > 1 ? " (macro)" : "", s.seconds_metrics);
          }};
}

}  // namespace seqdl::cli
