#include "evaluate/evaluate.hpp"

#include <chrono>
#include <cmath>
#include <memory>

#include "evaluate/html_report.hpp"
#include "evaluate/outputs.hpp"
#include "io/table.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/provenance.hpp"
#include "util/text.hpp"

namespace seqdl::evaluate {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void check_options(const EvaluateOptions& o) {
  const bool model = !o.model.empty();
  const bool tables = !o.tables.scores.empty() || !o.tables.labels.empty();
  if (o.profile.enabled() && !model) throw UsageError("--coverage evaluates a profile or track model: give --model");
  if (model && tables) throw UsageError("give --model with labelled data, or --scores with --labels (not both)");
  if (!model && !tables) {
    throw UsageError("nothing to evaluate: give --model with labelled data (--class, --table, --genome with "
                     "--intervals/--positives), or --scores with --labels");
  }
  if (tables) {
    if (o.tables.scores.empty()) throw UsageError("--labels needs --scores (the table of scores to evaluate)");
    if (o.tables.labels.empty()) throw UsageError("--scores needs --labels (a table of id and label)");
    if (data::has_labelled_input(o.data) || !o.data.genome.empty() || o.data.negatives.has_value()) {
      throw UsageError("with --scores the labels come from --labels; --class, --table, --genome, --intervals, "
                       "--positives and --negatives are for --model");
    }
    if (!o.data.sequence_column.empty()) throw UsageError("--sequence-column is for --model with --table");
    if (o.overrides.window > 0 || o.overrides.task_type || o.overrides.unknown) {
      throw UsageError("--window, --task-type and --unknown describe a model; they do not apply to --scores");
    }
  }
  if (model) {
    if (!data::has_labelled_input(o.data)) {
      throw UsageError("--model needs labelled data: --class NAME=FILE (repeat), --table with its columns, or --genome "
                       "with --intervals or --positives");
    }
    if (o.logits) throw UsageError("--logits is for --scores: a model's outputs are always turned into probabilities");
    if (!o.tables.score_columns.empty()) throw UsageError("--score-columns is for --scores");
  }
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  if (o.output.empty()) throw UsageError("-o/--output: name the metrics file, or - for stdout");
}

void apply_logits(ScoredSet& set) {
  const size_t k = set.columns();
  const nn::Activation activation = nn::output_activation(set.type);
  if (activation == nn::Activation::sigmoid) {
    nn::activate_row(activation, set.scores.data(), set.scores.size());
    return;
  }
  for (size_t i = 0; i < set.rows; ++i) nn::activate_row(activation, set.scores.data() + i * k, k);
}

}  // namespace

std::string describe_task_type(data::TaskType t, const std::vector<std::string>& names) {
  return fmt::format("{} ({}: {})", data::task_type_name(t), t == data::TaskType::multiclass ? "classes" : "tasks",
                     join(names, ", "));
}

void complete_table_spec(data::LabelledSpec& spec, const std::vector<std::string>& model_tasks, bool multiclass) {
  if (!spec.sequence_column.empty() && (!spec.label_columns.empty() || !spec.class_column.empty())) return;
  io::TableReader t(spec.table);
  if (spec.sequence_column.empty()) {
    if (t.has_column("sequence")) {
      spec.sequence_column = "sequence";
    } else if (t.has_column("seq")) {
      spec.sequence_column = "seq";
    } else {
      throw UsageError("--table {}: name the column of sequences with --sequence-column (the columns: {})", spec.table,
                       join(t.columns(), ", "));
    }
  }
  if (spec.id_column.empty() && t.has_column("id")) spec.id_column = "id";
  if (spec.label_columns.empty() && spec.class_column.empty()) {
    if (multiclass && t.has_column("class")) {
      spec.class_column = "class";
    } else {
      bool all = !model_tasks.empty();
      for (const auto& name : model_tasks) all = all && t.has_column(name);
      if (!all) {
        throw UsageError("--table {}: name the labels with --label-columns or --class-column (the model's {}: {}; the "
                         "table's columns: {})", spec.table, multiclass ? "classes" : "tasks", join(model_tasks, ", "),
                         join(t.columns(), ", "));
      }
      spec.label_columns = model_tasks;
    }
  }
}

EvaluateSummary run_evaluate(const EvaluateOptions& o, ModelScorer scorer) {
  check_options(o);
  if (!o.model.empty() && scorer == nullptr) throw UsageError("--model: this build of seqdl cannot run models");
  // Open the outputs first: a bad output path fails before any work.
  AtomicFile main_out(o.output);
  std::unique_ptr<AtomicDir> curves_dir = o.curves.empty() ? nullptr : std::make_unique<AtomicDir>(o.curves);
  std::unique_ptr<AtomicFile> report_out = o.report.empty() ? nullptr : std::make_unique<AtomicFile>(o.report);

  EvaluateSummary summary;
  ReportContext context;
  nlohmann::json inputs;
  ScoredSet set;
  if (!o.model.empty()) {
    ModelScores run = scorer(o);
    set = std::move(run.set);
    inputs = std::move(run.inputs);
    context.inputs = std::move(run.report_inputs);
    context.subject = o.model;
    summary.seconds_reading = run.seconds_reading;
    summary.seconds_scoring = run.seconds_scoring;
  } else {
    auto start = Clock::now();
    ScoreTableSpec spec = o.tables;
    if (spec.label_columns.empty() && !o.data.label_columns.empty()) spec.label_columns = o.data.label_columns;
    if (spec.label_columns.empty() && !o.data.class_column.empty()) spec.label_columns = {o.data.class_column};
    if (!o.data.id_column.empty()) spec.id_column = o.data.id_column;
    if (spec.task_names.empty()) spec.task_names = o.overrides.task_names;
    ScoreTableStats stats;
    set = read_scores_and_labels(spec, &stats);
    summary.seconds_reading = seconds_since(start);
    log::info("read {} rows of {} and {} in {:.2f} s ({} paired in order, {} by id): {}", with_commas(set.rows),
              spec.scores, spec.labels, summary.seconds_reading, with_commas(stats.in_order), with_commas(stats.by_id),
              describe_task_type(set.type, set.names));
    if (o.logits) apply_logits(set);
    inputs = {{"scores", spec.scores}, {"labels", spec.labels}, {"logits", o.logits}};
    context.inputs = {{"scores", spec.scores + (o.logits ? " (logits)" : "")}, {"labels", spec.labels}};
    context.subject = spec.scores;
  }
  summary.samples = set.rows;

  auto start = Clock::now();
  MetricOptions m = o.metrics;
  m.seed = o.seed;
  m.curves = curves_dir != nullptr || report_out != nullptr;
  Evaluation ev = evaluate_scores(set, m);
  set = ScoredSet();  // the scores are no longer needed
  summary.seconds_metrics = seconds_since(start);

  start = Clock::now();
  context.provenance = run_provenance().to_json();
  if (o.json) {
    nlohmann::json j = metrics_json(ev);
    j["inputs"] = inputs;
    j["provenance"] = context.provenance;
    main_out.write(j.dump(2));
    main_out.write("\n");
  } else {
    main_out.write(metrics_tsv(ev));
  }
  if (curves_dir) write_curves(ev, *curves_dir);
  if (report_out) report_out->write(report_html(ev, context));
  main_out.commit();
  if (curves_dir) curves_dir->commit();
  if (report_out) report_out->commit();
  summary.seconds_writing = seconds_since(start);
  summary.evaluation = std::move(ev);
  return summary;
}

}  // namespace seqdl::evaluate
