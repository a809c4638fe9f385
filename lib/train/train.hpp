// `seqdl train`: labelled sequences -> a .seqdl model. Torch-free interface; the work is in trainer.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "data/labelled_sources.hpp"
#include "data/splice_annotation.hpp"
#include "data/splits.hpp"
#include "encode/one_hot.hpp"
#include "train/profile_options.hpp"
#include "util/choices.hpp"

namespace seqdl::train {

enum class OptimizerKind { adam, adamw, sgd };
inline constexpr Choices<OptimizerKind, 3> kOptimizerChoices{
    {{"adam", OptimizerKind::adam}, {"adamw", OptimizerKind::adamw}, {"sgd", OptimizerKind::sgd}}};
enum class ScheduleKind { none, plateau, cosine };
inline constexpr Choices<ScheduleKind, 3> kScheduleChoices{
    {{"none", ScheduleKind::none}, {"plateau", ScheduleKind::plateau}, {"cosine", ScheduleKind::cosine}}};
enum class Precision { fp32, bf16 };
inline constexpr Choices<Precision, 2> kPrecisionChoices{{{"fp32", Precision::fp32}, {"bf16", Precision::bf16}}};
enum class ClassWeights { none, automatic };
inline constexpr Choices<ClassWeights, 2> kClassWeightChoices{{{"none", ClassWeights::none}, {"auto", ClassWeights::automatic}}};

// Data-parallel training over processes (distributed.hpp; docs/distributed.md). world 0: from the environment
// (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, with SLURM_PROCID / SLURM_STEP_NUM_TASKS / LOCAL_RANK fallbacks).
// `batch` is per rank: one optimiser step sees batch x world examples.
struct DistributedOptions {
  int rank = 0;
  int world = 0;  // 0: from the environment; 1: this process alone
  std::string master_addr;
  int master_port = 29500;
  double timeout_seconds = 600;  // --dist-timeout: rendezvous and every collective (rank 0 validates meanwhile)
};

struct TrainOptions {
  data::LabelledSpec data;  // data.length is set from `length` or the architecture
  data::SplitSpec split;
  std::string save_splits;  // folder for train.tsv / valid.tsv / test.tsv
  ProfileTrainOptions profile;  // read coverage: profile models (BPNet) and binned track regression

  // Per-position splice sites from a gene annotation instead (splice_task.hpp): chosen when splice.annotation is
  // set; the genome is data.genome; splits are by chromosome (split.valid_chroms / test_chroms) or by gene span.
  data::SpliceOptions splice;
  double site_free_blocks = 1.0;  // fraction of training blocks without a splice site that are kept (seeded)

  std::string arch = "deepbind";  // zoo name or spec file
  int64_t length = 0;             // input length (0: the architecture's)
  std::string output;             // model file; the log (.log.tsv) and checkpoint (.ckpt) go beside it

  int epochs = 20;
  int patience = 3;      // early stopping on validation AUPRC (0: never stop early)
  int64_t batch = 64;
  OptimizerKind optimizer = OptimizerKind::adam;
  double lr = 1e-3, weight_decay = 0.0, momentum = 0.9, clip = 0.0;
  ScheduleKind schedule = ScheduleKind::none;
  double plateau_factor = 0.5;
  int plateau_patience = 1;
  double warmup_epochs = 0.0;     // cosine
  double min_lr = 0.0;
  std::string pos_weight = "none";     // binary/multi-label: none | auto | a number
  std::optional<ClassWeights> class_weights;  // multi-class; default none (auto for splice sites)
  bool rc_augment = false;
  int64_t max_shift = 0;
  Precision precision = Precision::fp32;
  encode::Unknown unknown = encode::Unknown::zero;  // one-hot of N and IUPAC codes
  bool resume = false;
  int threads = 1;  // per rank
  uint64_t seed = 0;
  DistributedOptions distributed;
};

struct EpochLog {
  int epoch = 0;
  double train_loss = 0, valid_loss = 0, valid_score = 0;
  std::vector<std::pair<std::string, double>> metrics;  // the task's validation metrics ("auprc", "auroc", ...)
  double samples_per_second = 0, lr = 0, seconds = 0;
};

// The validation metrics of `epoch` with its validation loss first ("loss"), as the model's metadata and the
// closing log line report them; empty when the log has no such epoch or there was no validation data.
inline std::vector<std::pair<std::string, double>> validation_of(const std::vector<EpochLog>& log, int epoch,
                                                                 size_t valid_size) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& e : log) {
    if (valid_size == 0 || e.epoch != epoch) continue;
    out.emplace_back("loss", e.valid_loss);
    out.insert(out.end(), e.metrics.begin(), e.metrics.end());
  }
  return out;
}

struct TrainSummary {
  int best_epoch = 0;
  int epochs_run = 0;
  bool stopped_early = false;
  size_t train_size = 0, valid_size = 0;
  std::string log_path;
  std::vector<EpochLog> epochs;  // validation_of(epochs, best_epoch, valid_size): what the kept epoch measured
};

// UsageError for contradictory options, InputError/FormatError for bad data, ModelError for an architecture that
// does not fit the data. Writes the model, its log (log_path_for) and, while running, a checkpoint.
TrainSummary train_model(const TrainOptions& options);

// Where a model's training log and checkpoint live.
std::string log_path_for(const std::string& model_path);
std::string checkpoint_path_for(const std::string& model_path);

}  // namespace seqdl::train
