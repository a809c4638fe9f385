#include "train/train_metadata.hpp"

#include <algorithm>

#include "nn/model_metadata.hpp"
#include "util/atomic_file.hpp"
#include "util/log.hpp"
#include "util/provenance.hpp"
#include "util/text.hpp"

namespace seqdl::train {
namespace {

// Per task or class counts; past a dozen tasks (Basset's 164) the fewest and the most, so the line stays a line.
std::string counts(const data::LabelledSet& set) {
  auto pos = set.positives();
  auto count = [&](size_t k) {
    return fmt::format("{} {}", with_commas(static_cast<uint64_t>(pos[k])), set.task_names[k]);
  };
  if (pos.size() > 12) {
    auto [lo, hi] = std::minmax_element(pos.begin(), pos.end());
    return fmt::format("{} tasks, from {} to {}", pos.size(), count(static_cast<size_t>(lo - pos.begin())),
                       count(static_cast<size_t>(hi - pos.begin())));
  }
  std::string out;
  for (size_t k = 0; k < pos.size(); ++k) out += (k ? ", " : "") + count(k);
  return out;
}

nlohmann::json sources_json(const data::LoadedSet& loaded) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& s : loaded.sources) {
    j.push_back({{"role", s.role}, {"path", s.path}, {"records", s.records}, {"bytes", s.digest.bytes}, {"md5", s.digest.md5}});
  }
  return j;
}

}  // namespace

void log_dataset(const data::LoadedSet& loaded, const data::Splits& splits) {
  const auto& set = loaded.set;
  log::info("{} {} examples of {} bp ({}{})", with_commas(set.size()), data::task_type_name(set.type), set.length,
            set.type == data::TaskType::multiclass ? "classes: " : "positives: ", counts(set));
  if (loaded.cropped + loaded.padded > 0) {
    log::info("{} sequences cropped and {} padded with N to {} bp", with_commas(loaded.cropped),
              with_commas(loaded.padded), set.length);
  }
  if (loaded.shuffled_negatives > 0) log::info("added {} dinucleotide-shuffled negatives", with_commas(loaded.shuffled_negatives));
  if (loaded.genomic_negatives > 0) {
    log::info("drew {} GC-matched genomic negatives{}", with_commas(loaded.genomic_negatives),
              loaded.unmatched_gc ? fmt::format(" ({} from a neighbouring GC bin)", loaded.unmatched_gc) : "");
  }
  log::info("split: {} train, {} valid, {} test{}", with_commas(splits.train.size()), with_commas(splits.valid.size()),
            with_commas(splits.test.size()),
            splits.dropped_duplicates ? fmt::format("; dropped {} valid/test sequences identical to earlier splits",
                                                    with_commas(splits.dropped_duplicates))
                                      : "");
  if (splits.valid.size() == 0) log::warn("no validation set: no early stopping, the last epoch is kept");
}

void save_splits(const data::Splits& splits, const std::string& folder) {
  AtomicDir dir(folder);
  data::write_split(splits.train, dir.path("train.tsv"));
  data::write_split(splits.valid, dir.path("valid.tsv"));
  data::write_split(splits.test, dir.path("test.tsv"));
  dir.commit();
  log::info("wrote the splits to {}/ (train.tsv, valid.tsv, test.tsv)", folder);
}

nn::ModelInfo model_info(const data::LabelledSet& set, int64_t length, encode::Unknown unknown) {
  nn::ModelInfo info;
  info.input_length = length;
  info.task_names = set.task_names;
  info.task_type = set.type;
  info.unknown = unknown;
  info.source = "the network in training";
  return info;
}

nlohmann::json options_fingerprint(const TrainOptions& o, int64_t length, const nlohmann::json& task) {
  nlohmann::json j = {{"arch", o.arch}, {"length", length}, {"epochs", o.epochs}, {"patience", o.patience},
                      {"batch", o.batch}, {"optimizer", choice_name(kOptimizerChoices, o.optimizer)}, {"lr", o.lr},
                      {"weight_decay", o.weight_decay}, {"momentum", o.momentum}, {"clip", o.clip},
                      {"schedule", choice_name(kScheduleChoices, o.schedule)}, {"plateau_factor", o.plateau_factor},
                      {"plateau_patience", o.plateau_patience}, {"warmup_epochs", o.warmup_epochs},
                      {"min_lr", o.min_lr}, {"precision", choice_name(kPrecisionChoices, o.precision)},
                      {"unknown", encode::unknown_name(o.unknown)}, {"threads", o.threads}, {"seed", o.seed},
                      {"world_size", o.distributed.world}};
  j.update(task);
  return j;
}

std::string fingerprint_difference(const nlohmann::json& a, const nlohmann::json& b) {
  for (const auto& [key, value] : b.items()) {
    if (!a.contains(key) || a[key] != value) {
      return fmt::format("{}: {} then, {} now", key, a.contains(key) ? a[key].dump() : "unset", value.dump());
    }
  }
  return "different fields";
}

void describe_data(const data::LoadedSet& loaded, const data::Splits& splits, nn::MetadataParts& parts) {
  parts.data = {{"sources", sources_json(loaded)},
                {"examples", loaded.set.size()},
                {"cropped", loaded.cropped},
                {"padded", loaded.padded},
                {"shuffled_negatives", loaded.shuffled_negatives},
                {"genomic_negatives", loaded.genomic_negatives}};
  parts.splits = {{"train", splits.train.size()},
                  {"valid", splits.valid.size()},
                  {"test", splits.test.size()},
                  {"dropped_duplicates", splits.dropped_duplicates}};
}

nlohmann::json model_metadata(const TrainOptions& o, const Task& task, const Checkpoint& state, const nn::ModelInfo& info,
                              int64_t length) {
  nn::MetadataParts parts;
  task.describe(parts);
  parts.provenance = run_provenance().to_json();
  parts.provenance.erase("started");  // same seed, threads and command give a bit-identical file
  parts.training = options_fingerprint(o, length, task.fingerprint());
  parts.training["epochs_run"] = state.epoch;
  parts.training["best_epoch"] = state.best_epoch;
  parts.training["stopped_early"] = state.epoch < o.epochs;
  parts.training["batch_per_rank"] = o.batch;
  parts.training["global_batch"] = o.batch * o.distributed.world;
  parts.training["backend"] = o.distributed.world > 1 ? "gloo" : "none";
  parts.validation = {{"epoch", state.best_epoch}};
  for (const auto& [name, value] : validation_of(state.log, state.best_epoch, task.valid_size())) {
    parts.validation[name] = value;
  }
  return nn::model_metadata(info, parts);
}

}  // namespace seqdl::train
