#include "evaluate/evaluate.hpp"

#include <chrono>
#include <cmath>
#include <memory>
#include <optional>

#include "encode/one_hot.hpp"
#include "evaluate/html_report.hpp"
#include "evaluate/outputs.hpp"
#include "io/table.hpp"
#include "nn/inference.hpp"
#include "nn/model.hpp"
#include "train/objective.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/provenance.hpp"
#include "util/text.hpp"

namespace seqdl::evaluate {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

void check_options(const EvaluateOptions& o) {
  const bool model = !o.model.empty();
  const bool tables = !o.tables.scores.empty() || !o.tables.labels.empty();
  if (model && tables) throw UsageError("give --model with labelled data, or --scores with --labels (not both)");
  if (!model && !tables) {
    throw UsageError("nothing to evaluate: give --model with labelled data (--class, --table, --genome with "
                     "--intervals/--positives), or --scores with --labels");
  }
  if (tables) {
    if (o.tables.scores.empty()) throw UsageError("--labels needs --scores (the table of scores to evaluate)");
    if (o.tables.labels.empty()) throw UsageError("--scores needs --labels (a table of id and label)");
    if (data::has_labelled_input(o.data) || !o.data.genome.empty() || !o.data.negatives.empty()) {
      throw UsageError("with --scores the labels come from --labels; --class, --table, --genome, --intervals, "
                       "--positives and --negatives are for --model");
    }
    if (!o.data.sequence_column.empty()) throw UsageError("--sequence-column is for --model with --table");
    if (o.window > 0 || !o.task_type.empty() || !o.unknown.empty()) {
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

// Index of each wanted name in `available`, or nullopt if any is missing.
std::optional<std::vector<size_t>> by_name(const std::vector<std::string>& wanted, const std::vector<std::string>& available) {
  std::vector<size_t> out;
  for (const auto& w : wanted) {
    auto it = std::find(available.begin(), available.end(), w);
    if (it == available.end()) return std::nullopt;
    out.push_back(static_cast<size_t>(it - available.begin()));
  }
  return out;
}

std::string describe_type(data::TaskType t, const std::vector<std::string>& names) {
  return fmt::format("{} ({}: {})", data::task_type_name(t), t == data::TaskType::multiclass ? "classes" : "tasks",
                     list(names));
}

struct ModelRun {
  ScoredSet set;
  nlohmann::json inputs;
  std::vector<std::pair<std::string, std::string>> report_inputs;
  double seconds_reading = 0, seconds_scoring = 0;
};

ModelRun score_model(const EvaluateOptions& o) {
  ModelRun run;
  auto start = Clock::now();
  nn::ModelOverrides overrides{o.window, o.task_names, o.task_type};
  std::unique_ptr<nn::Model> model = nn::open_model(o.model, overrides);
  const nn::ModelInfo& info = model->info();
  const bool multiclass = info.task_type == "multiclass";
  // Binary and multi-label differ only in the number of outputs (a TorchScript file may not say which).
  data::TaskType model_type = multiclass                   ? data::TaskType::multiclass
                              : info.task_names.size() > 1 ? data::TaskType::multilabel
                                                           : data::TaskType::binary;
  std::string unknown = o.unknown;
  if (unknown.empty()) {
    unknown = info.unknown;
    if (info.metadata.is_object() && info.metadata.contains("encoding")) {
      unknown = info.metadata["encoding"].value("unknown", unknown);
    }
  }
  encode::OneHotTable table(encode::parse_unknown(unknown));

  data::LabelledSpec spec = o.data;
  spec.length = info.input_length;
  spec.seed = o.seed;
  if (!spec.table.empty()) complete_table_spec(spec, info.task_names, multiclass);
  data::LoadedSet loaded = data::load_labelled(spec);
  data::LabelledSet& set = loaded.set;

  // Which model output scores which task of the data.
  const size_t outputs = info.task_names.size();
  ScoredSet& out = run.set;
  out.type = model_type;
  out.rows = set.size();
  std::vector<size_t> columns;
  if (multiclass != (set.type == data::TaskType::multiclass)) {
    throw ModelError("{} is {}, but the labelled data is {}{}", o.model, describe_type(model_type, info.task_names),
                     describe_type(set.type, set.task_names),
                     multiclass ? "; give the classes as --class NAME=FILE (one per class) or --class-column" : "");
  }
  if (multiclass) {
    out.names = info.task_names;
    for (size_t c = 0; c < outputs; ++c) columns.push_back(c);
    auto index = by_name(set.task_names, info.task_names);
    if (!index) {
      if (set.task_names.size() != outputs) {
        for (const auto& name : set.task_names) {
          if (!by_name({name}, info.task_names)) {
            throw InputError("class '{}' of the labelled data is not one of the classes of {} ({})", name, o.model,
                             list(info.task_names));
          }
        }
      }
      log::info("the data's classes ({}) are matched to the model's ({}) by position", list(set.task_names),
                list(info.task_names));
      index = std::vector<size_t>();
      for (size_t c = 0; c < set.task_names.size(); ++c) index->push_back(c);
    }
    out.classes.reserve(set.size());
    for (int32_t c : set.classes) out.classes.push_back(static_cast<int32_t>((*index)[static_cast<size_t>(c)]));
  } else {
    auto index = by_name(set.task_names, info.task_names);
    if (!index) {
      if (set.task_names.size() != outputs) {
        throw ModelError("{} has {} outputs ({}), but the labelled data's {} {} ({}) do not name them", o.model, outputs,
                         list(info.task_names), set.task_names.size(), set.task_names.size() == 1 ? "task" : "tasks",
                         list(set.task_names));
      }
      if (set.task_names != info.task_names) {
        log::info("the data's tasks ({}) are scored by the model's outputs ({}) in order", list(set.task_names),
                  list(info.task_names));
      }
      index = std::vector<size_t>();
      for (size_t c = 0; c < outputs; ++c) index->push_back(c);
    }
    columns = *index;
    out.type = columns.size() > 1 ? data::TaskType::multilabel : data::TaskType::binary;
    out.names.clear();
    for (size_t c : columns) out.names.push_back(info.task_names[c]);
    const size_t tasks = set.task_names.size();
    out.labels.resize(set.size() * tasks);
    for (size_t i = 0; i < out.labels.size(); ++i) out.labels[i] = set.targets[i] > 0.5f;
  }
  log::info("{} examples of {} bp from {}; model {}: {}", with_commas(set.size()), set.length,
            loaded.sources.empty() ? "the data" : loaded.sources.back().path, o.model,
            describe_type(model_type, info.task_names));
  if (loaded.cropped + loaded.padded > 0) {
    log::info("{} sequences cropped and {} padded with N to the model's input length {}", with_commas(loaded.cropped),
              with_commas(loaded.padded), set.length);
  }
  if (info.per_position) log::info("{} predicts per position; its central output is scored", o.model);
  if (!spec.table.empty() && (spec.sequence_column != o.data.sequence_column || spec.label_columns != o.data.label_columns ||
                              spec.class_column != o.data.class_column)) {
    log::info("{}: sequences from column '{}', labels from {} {}", spec.table, spec.sequence_column,
              spec.class_column.empty() ? "columns" : "column",
              spec.class_column.empty() ? list(spec.label_columns) : spec.class_column);
  }
  run.seconds_reading = seconds_since(start);

  // The model in eval mode over the base codes, batch by batch, as `seqdl train` validates.
  start = Clock::now();
  auto n = static_cast<int64_t>(set.size());
  torch::Tensor logits = nn::predict_codes(*model, set.codes, n, o.batch, table);
  std::vector<double> p = train::probabilities(logits, model_type);
  out.scores.resize(set.size() * columns.size());
  for (size_t i = 0; i < set.size(); ++i) {
    for (size_t k = 0; k < columns.size(); ++k) out.scores[i * columns.size() + k] = p[i * outputs + columns[k]];
  }
  run.seconds_scoring = seconds_since(start);
  log::info("scored {} sequences in {:.1f} s", with_commas(set.size()), run.seconds_scoring);

  nlohmann::json sources = nlohmann::json::array();
  std::string data_text;
  for (const auto& s : loaded.sources) {
    sources.push_back({{"role", s.role}, {"path", s.path}, {"records", s.records}, {"md5", s.digest.md5}});
    data_text += fmt::format("{}{} {} ({} records)", data_text.empty() ? "" : "; ", s.role, s.path, with_commas(s.records));
  }
  run.inputs = {{"model", o.model},       {"input_length", info.input_length}, {"unknown", unknown},
                {"batch", o.batch},       {"data", sources},                   {"shuffled_negatives", loaded.shuffled_negatives},
                {"genomic_negatives", loaded.genomic_negatives}};
  run.report_inputs = {{"model", fmt::format("{} ({} bp input, N as {})", o.model, info.input_length, unknown)},
                       {"data", data_text}};
  if (loaded.shuffled_negatives > 0) {
    run.report_inputs.push_back({"negatives", fmt::format("{} dinucleotide-shuffled", with_commas(loaded.shuffled_negatives))});
  }
  if (info.metadata.is_object() && info.metadata.contains("validation")) {
    const auto& v = info.metadata["validation"];
    run.report_inputs.push_back(
        {"training validation", fmt::format("epoch {}: AUPRC {:.4f}, AUROC {:.4f}", v.value("epoch", 0),
                                            v.value("auprc", 0.0), v.value("auroc", 0.0))});
  }
  return run;
}

void apply_logits(ScoredSet& set) {
  const size_t k = set.columns();
  if (set.type == data::TaskType::multiclass) {
    for (size_t i = 0; i < set.rows; ++i) {
      double* row = set.scores.data() + i * k;
      double top = *std::max_element(row, row + k), sum = 0;
      for (size_t c = 0; c < k; ++c) sum += (row[c] = std::exp(row[c] - top));
      for (size_t c = 0; c < k; ++c) row[c] /= sum;
    }
  } else {
    for (double& x : set.scores) x = 1.0 / (1.0 + std::exp(-x));
  }
}

}  // namespace

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
                       list(t.columns()));
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
                         "table's columns: {})", spec.table, multiclass ? "classes" : "tasks", list(model_tasks),
                         list(t.columns()));
      }
      spec.label_columns = model_tasks;
    }
  }
}

EvaluateSummary run_evaluate(const EvaluateOptions& o) {
  check_options(o);
  // Open the outputs first: a bad output path fails before any work.
  AtomicFile main_out(o.output);
  std::unique_ptr<AtomicDir> curves_dir = o.curves.empty() ? nullptr : std::make_unique<AtomicDir>(o.curves);
  std::unique_ptr<AtomicFile> report_out = o.report.empty() ? nullptr : std::make_unique<AtomicFile>(o.report);

  EvaluateSummary summary;
  ReportContext context;
  nlohmann::json inputs;
  ScoredSet set;
  if (!o.model.empty()) {
    ModelRun run = score_model(o);
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
    if (spec.task_names.empty()) spec.task_names = o.task_names;
    ScoreTableStats stats;
    set = read_scores_and_labels(spec, &stats);
    summary.seconds_reading = seconds_since(start);
    log::info("read {} rows of {} and {} in {:.2f} s ({} paired in order, {} by id): {}", with_commas(set.rows),
              spec.scores, spec.labels, summary.seconds_reading, with_commas(stats.in_order), with_commas(stats.by_id),
              describe_type(set.type, set.names));
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
