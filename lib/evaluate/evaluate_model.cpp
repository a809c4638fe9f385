#include "evaluate/evaluate_model.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "encode/one_hot.hpp"
#include "infer/batches.hpp"
#include "infer/outputs.hpp"
#include "nn/model.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::evaluate {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

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

std::vector<size_t> in_order(size_t n) {
  std::vector<size_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

// Binary and multi-label differ only in the number of outputs (a TorchScript file may not say which).
data::TaskType model_task_type(const nn::ModelInfo& info) {
  if (info.multiclass()) return data::TaskType::multiclass;
  return info.task_names.size() > 1 ? data::TaskType::multilabel : data::TaskType::binary;
}

// Multi-class: the model's classes are the scored columns; the data's class labels are mapped onto them by name,
// else by position when the counts agree.
void pair_classes(const nn::ModelInfo& info, const data::LabelledSet& set, const std::string& model, ScoredSet& out) {
  out.names = info.task_names;
  auto index = by_name(set.task_names, info.task_names);
  if (!index) {
    if (set.task_names.size() != info.task_names.size()) {
      for (const auto& name : set.task_names) {
        if (!by_name({name}, info.task_names)) {
          throw InputError("class '{}' of the labelled data is not one of the classes of {} ({})", name, model,
                           join(info.task_names, ", "));
        }
      }
    }
    log::info("the data's classes ({}) are matched to the model's ({}) by position", join(set.task_names, ", "),
              join(info.task_names, ", "));
    index = in_order(set.task_names.size());
  }
  out.classes.reserve(set.size());
  for (int32_t c : set.classes) out.classes.push_back(static_cast<int32_t>((*index)[static_cast<size_t>(c)]));
}

// Binary / multi-label: the model outputs that score the data's tasks, by name, else all of them in order.
std::vector<size_t> pair_tasks(const nn::ModelInfo& info, const data::LabelledSet& set, const std::string& model,
                               ScoredSet& out) {
  const size_t outputs = info.task_names.size();
  auto index = by_name(set.task_names, info.task_names);
  if (!index) {
    if (set.task_names.size() != outputs) {
      throw ModelError("{} has {} outputs ({}), but the labelled data's {} {} ({}) do not name them", model, outputs,
                       join(info.task_names, ", "), set.task_names.size(), set.task_names.size() == 1 ? "task" : "tasks",
                       join(set.task_names, ", "));
    }
    if (set.task_names != info.task_names) {
      log::info("the data's tasks ({}) are scored by the model's outputs ({}) in order", join(set.task_names, ", "),
                join(info.task_names, ", "));
    }
    index = in_order(outputs);
  }
  out.type = index->size() > 1 ? data::TaskType::multilabel : data::TaskType::binary;
  out.names.clear();
  for (size_t c : *index) out.names.push_back(info.task_names[c]);
  out.labels.resize(set.targets.size());
  for (size_t i = 0; i < out.labels.size(); ++i) out.labels[i] = set.targets[i] > 0.5f;
  return *index;
}

// Which column of the model's outputs scores each column of the evaluation, with the labels filled into `out`.
std::vector<size_t> pair_outputs(const nn::ModelInfo& info, const data::LabelledSet& set, const std::string& model,
                                 ScoredSet& out) {
  const data::TaskType model_type = model_task_type(info);
  out.type = model_type;
  out.rows = set.size();
  if (info.multiclass() != (set.type == data::TaskType::multiclass)) {
    throw ModelError("{} is {}, but the labelled data is {}{}", model, describe_task_type(model_type, info.task_names),
                     describe_task_type(set.type, set.task_names),
                     info.multiclass() ? "; give the classes as --class NAME=FILE (one per class) or --class-column" : "");
  }
  if (info.multiclass()) {
    pair_classes(info, set, model, out);
    return in_order(info.task_names.size());
  }
  return pair_tasks(info, set, model, out);
}

void log_data(const EvaluateOptions& o, const data::LoadedSet& loaded, const data::LabelledSpec& spec,
              const nn::ModelInfo& info) {
  const auto& set = loaded.set;
  log::info("{} examples of {} bp from {}; model {}: {}", with_commas(set.size()), set.length,
            loaded.sources.empty() ? "the data" : loaded.sources.back().path, o.model,
            describe_task_type(model_task_type(info), info.task_names));
  if (loaded.cropped + loaded.padded > 0) {
    log::info("{} sequences cropped and {} padded with N to the model's input length {}", with_commas(loaded.cropped),
              with_commas(loaded.padded), set.length);
  }
  if (info.per_position()) log::info("{} predicts per position; its central output is scored", o.model);
  if (!spec.table.empty() && (spec.sequence_column != o.data.sequence_column || spec.label_columns != o.data.label_columns ||
                              spec.class_column != o.data.class_column)) {
    log::info("{}: sequences from column '{}', labels from {} {}", spec.table, spec.sequence_column,
              spec.class_column.empty() ? "columns" : "column",
              spec.class_column.empty() ? join(spec.label_columns, ", ") : spec.class_column);
  }
}

// The probabilities of the paired columns, row-major [rows, columns]. Per-position models are scored at their
// central output, as training on per-sequence labels does.
std::vector<double> score_columns(nn::Model& model, const data::LabelledSet& set, const std::vector<size_t>& columns,
                                  const EvaluateOptions& o) {
  const nn::ModelInfo& info = model.info();
  encode::OneHotTable table(info.unknown);
  auto logits = infer::predict_codes(model, set.codes, static_cast<int64_t>(set.size()), o.batch, table);
  if (logits.dim() == 3) logits = logits.select(2, logits.size(2) / 2);
  std::vector<double> p = infer::probability_rows(nn::output_activation(info.task_type), logits);
  const size_t outputs = info.task_names.size();
  std::vector<double> scores(set.size() * columns.size());
  for (size_t i = 0; i < set.size(); ++i) {
    for (size_t k = 0; k < columns.size(); ++k) scores[i * columns.size() + k] = p[i * outputs + columns[k]];
  }
  return scores;
}

void describe_inputs(const EvaluateOptions& o, const data::LoadedSet& loaded, const nn::ModelInfo& info,
                     ModelScores& run) {
  nlohmann::json sources = nlohmann::json::array();
  std::vector<std::string> texts;
  for (const auto& s : loaded.sources) {
    sources.push_back({{"role", s.role}, {"path", s.path}, {"records", s.records}, {"md5", s.digest.md5}});
    texts.push_back(fmt::format("{} {} ({} records)", s.role, s.path, with_commas(s.records)));
  }
  std::string_view unknown = encode::unknown_name(info.unknown);
  run.inputs = {{"model", o.model},       {"input_length", info.input_length}, {"unknown", unknown},
                {"batch", o.batch},       {"data", sources},                   {"shuffled_negatives", loaded.shuffled_negatives},
                {"genomic_negatives", loaded.genomic_negatives}};
  run.report_inputs = {{"model", fmt::format("{} ({} bp input, N as {})", o.model, info.input_length, unknown)},
                       {"data", join(texts, "; ")}};
  if (loaded.shuffled_negatives > 0) {
    run.report_inputs.push_back({"negatives", fmt::format("{} dinucleotide-shuffled", with_commas(loaded.shuffled_negatives))});
  }
  if (info.metadata.is_object() && info.metadata.contains("validation")) {
    const auto& v = info.metadata["validation"];
    run.report_inputs.push_back(
        {"training validation", fmt::format("epoch {}: AUPRC {:.4f}, AUROC {:.4f}", v.value("epoch", 0),
                                            v.value("auprc", 0.0), v.value("auroc", 0.0))});
  }
}

}  // namespace

ModelScores score_model(const EvaluateOptions& o) {
  ModelScores run;
  auto start = Clock::now();
  std::unique_ptr<nn::Model> model = nn::open_model(o.model, o.overrides);
  const nn::ModelInfo& info = model->info();

  data::LabelledSpec spec = o.data;
  spec.length = info.input_length;
  spec.seed = o.seed;
  if (!spec.table.empty()) complete_table_spec(spec, info.task_names, info.multiclass());
  data::LoadedSet loaded = data::load_labelled(spec);
  std::vector<size_t> columns = pair_outputs(info, loaded.set, o.model, run.set);
  log_data(o, loaded, spec, info);
  run.seconds_reading = seconds_since(start);

  start = Clock::now();
  run.set.scores = score_columns(*model, loaded.set, columns, o);
  run.seconds_scoring = seconds_since(start);
  log::info("scored {} sequences in {:.1f} s", with_commas(loaded.set.size()), run.seconds_scoring);
  describe_inputs(o, loaded, info, run);
  return run;
}

}  // namespace seqdl::evaluate
