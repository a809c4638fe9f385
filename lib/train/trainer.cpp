#include <ATen/autocast_mode.h>

#include <chrono>
#include <filesystem>

#include "nn/model.hpp"
#include "nn/network_file.hpp"
#include "nn/network.hpp"
#include "train/batches.hpp"
#include "train/checkpoint.hpp"
#include "train/flat_optimizer.hpp"
#include "train/objective.hpp"
#include "train/train.hpp"
#include "train/train_metadata.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace seqdl::train {
namespace {

using Clock = std::chrono::steady_clock;

void check_options(const TrainOptions& o) {
  if (o.output.empty()) throw UsageError("-o/--output: name the model file to write");
  if (o.epochs < 1) throw UsageError("--epochs must be at least 1");
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  if (!(o.lr > 0)) throw UsageError("--lr must be positive");
  if (o.patience < 0) throw UsageError("--patience must be >= 0");
  if (o.pos_weight != "none" && o.pos_weight != "auto") parse_double(o.pos_weight, "--pos-weight");
  if (o.resume && !std::filesystem::exists(checkpoint_path_for(o.output))) {
    throw UsageError("--resume: there is no checkpoint {} to continue from", checkpoint_path_for(o.output));
  }
}

// Runs the forward pass (from base indices or one-hot floats), in bfloat16 autocast when asked.
torch::Tensor forward(nn::NetworkImpl& net, const torch::Tensor& x, bool bf16) {
  auto run = [&] { return x.scalar_type() == torch::kUInt8 ? net.forward_indices(x) : net.forward(x); };
  if (!bf16) return run();
  struct Autocast {  // restores fp32 even when the forward pass throws
    Autocast() {
      at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
      at::autocast::set_cpu_enabled(true);
    }
    ~Autocast() {
      at::autocast::set_cpu_enabled(false);
      at::autocast::clear_cache();
    }
  };
  torch::Tensor y;
  {
    Autocast autocast;
    y = run();
  }
  return y.to(torch::kFloat32);
}

nn::NamedTensors snapshot(nn::NetworkImpl& net) {
  nn::NamedTensors out;
  for (auto& [name, t] : nn::network_state(net)) out.emplace_back(name, t.detach().clone());
  return out;
}

void write_log(const std::string& path, const std::vector<EpochLog>& log) {
  AtomicFile out(path);
  out.write("epoch\ttrain_loss\tvalid_loss\tvalid_auprc\tvalid_auroc\tsamples_per_s\tlr\tseconds\n");
  for (const auto& e : log) {
    out.print("{}\t{:.6f}\t{:.6f}\t{:.6f}\t{:.6f}\t{:.1f}\t{:.6g}\t{:.2f}\n", e.epoch, e.train_loss, e.valid_loss,
              e.valid_auprc, e.valid_auroc, e.samples_per_second, e.lr, e.seconds);
  }
  out.commit();
}

}  // namespace

std::string log_path_for(const std::string& model_path) { return model_path + ".log.tsv"; }
std::string checkpoint_path_for(const std::string& model_path) { return model_path + ".ckpt"; }

TrainSummary train_model(const TrainOptions& o) {
  check_options(o);
  nn::ArchSpec spec = nn::load_arch(o.arch);
  const int64_t length = o.length > 0 ? o.length : spec.input_length;
  nn::Network(spec, length, 1);  // fails fast, naming the layer, if the length is too short for the architecture

  data::LabelledSpec data_spec = o.data;
  data_spec.length = length;
  data_spec.seed = o.seed;
  data::LoadedSet loaded = data::load_labelled(data_spec);
  data::SplitSpec split_spec = o.split;
  split_spec.seed = o.seed;
  data::Splits splits = data::make_splits(loaded.set, split_spec);
  Objective objective(splits.train, o.pos_weight, o.class_weights);  // checks the options fit the task type
  log_dataset(loaded, splits);
  if (!o.save_splits.empty()) save_splits(splits, o.save_splits);

  torch::manual_seed(o.seed);  // initial weights depend on the seed only
  nn::Network net(spec, length, loaded.set.outputs());
  nn::ModelInfo info = model_info(loaded.set, length, o.unknown);
  auto model = nn::wrap_network(net, info);  // the same network, seen as a Model for validation
  if (model->info().per_position()) {
    log::info("{} predicts per position; training on per-sequence labels uses its central output", spec.name);
  }
  FlatOptimizer optimizer(net->parameters(), {o.optimizer, o.lr, o.weight_decay, o.momentum});
  const int64_t batches_per_epoch = BatchStream::batches_for(splits.train.size(), o.batch);
  Schedule schedule(o.lr, {o.schedule, o.plateau_factor, o.plateau_patience, o.min_lr,
                           static_cast<int64_t>(o.warmup_epochs * static_cast<double>(batches_per_epoch)),
                           batches_per_epoch * o.epochs});
  encode::OneHotTable table(o.unknown);
  const std::string ckpt_path = checkpoint_path_for(o.output);
  TrainSummary summary;
  summary.log_path = log_path_for(o.output);
  summary.train_size = splits.train.size();
  summary.valid_size = splits.valid.size();
  summary.test_size = splits.test.size();
  summary.dropped_duplicates = splits.dropped_duplicates;

  Checkpoint state;
  state.fingerprint = options_fingerprint(o, length);
  state.best_model = snapshot(*net);
  if (o.resume) {
    Checkpoint c = load_checkpoint(ckpt_path);
    if (c.fingerprint != state.fingerprint) {
      throw UsageError("--resume: {} was made with different options or data ({})", ckpt_path,
                       fingerprint_difference(c.fingerprint, state.fingerprint));
    }
    state = std::move(c);
    nn::load_state(*net, state.model, ckpt_path);
    optimizer.load_state(state.optimizer, state.steps);
    schedule.load_state(state.schedule);
    set_torch_rng_state(state.rng_state);
    log::info("resuming after epoch {} of {} (best so far: epoch {}, valid AUPRC {:.4f})", state.epoch, o.epochs,
              state.best_epoch, state.best_auprc);
  }

  const bool bf16 = o.precision == Precision::bf16;
  const bool has_valid = splits.valid.size() > 0;
  for (int epoch = state.epoch + 1; epoch <= o.epochs; ++epoch) {
    if (o.patience > 0 && state.bad_epochs >= o.patience) break;
    auto start = Clock::now();
    net->train();
    BatchStream batches(splits.train, o.batch, o.seed, epoch, {o.rc_augment, o.max_shift}, table);
    Progress progress(fmt::format("epoch {}/{}", epoch, o.epochs), static_cast<uint64_t>(batches.batches()), "batches");
    double loss_sum = 0;
    int64_t seen = 0;
    while (auto batch = batches.next()) {
      optimizer.zero_grad();
      schedule.at_step(optimizer.steps());
      auto loss = objective.loss(forward(*net, batch->x, bf16), batch->y);
      loss.backward();
      if (o.clip > 0) optimizer.clip_grad_norm(o.clip);
      optimizer.step(schedule.lr());
      loss_sum += loss.item<double>() * static_cast<double>(batch->x.size(0));
      seen += batch->x.size(0);
      progress.add();
    }
    progress.finish();
    double train_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    net->eval();
    Validation v = has_valid ? validate(*model, splits.valid, objective, 256, table) : Validation{};
    EpochLog e{epoch, loss_sum / static_cast<double>(std::max<int64_t>(seen, 1)), v.loss, v.auprc, v.auroc,
               static_cast<double>(seen) / train_seconds, schedule.lr(),
               std::chrono::duration<double>(Clock::now() - start).count()};
    schedule.after_epoch(v.auprc);
    if (!has_valid || v.auprc > state.best_auprc) {
      state.best_auprc = v.auprc;
      state.best_auroc = v.auroc;
      state.best_epoch = epoch;
      state.best_model = snapshot(*net);
      state.bad_epochs = 0;
    } else {
      ++state.bad_epochs;
    }
    state.log.push_back(e);
    log::info("epoch {}/{}: train loss {:.4f}, valid loss {:.4f}, valid AUPRC {:.4f}, AUROC {:.4f}, {} samples/s, "
              "lr {:.3g}{}", epoch, o.epochs, e.train_loss, e.valid_loss, e.valid_auprc, e.valid_auroc,
              si_number(e.samples_per_second), e.lr, state.best_epoch == epoch ? " (best)" : "");
    write_log(summary.log_path, state.log);
    state.epoch = epoch;
    state.steps = optimizer.steps();
    state.schedule = schedule.state();
    state.model = nn::network_state(*net);
    state.optimizer = optimizer.state();
    state.rng_state = torch_rng_state();
    save_checkpoint(ckpt_path, state);
  }
  summary.stopped_early = state.epoch < o.epochs;
  if (summary.stopped_early) {
    log::info("stopping early: no better validation AUPRC for {} epochs", o.patience);
  }

  nn::load_state(*net, state.best_model, "the best epoch");
  net->eval();
  nlohmann::json metadata = model_metadata(o, loaded, splits, state, info);
  nn::save_model(o.output, *net, metadata);
  std::error_code ec;
  std::filesystem::remove(ckpt_path, ec);  // the model holds the result; the checkpoint was for resuming
  summary.best_epoch = state.best_epoch;
  summary.best_auprc = state.best_auprc;
  summary.best_auroc = state.best_auroc;
  summary.epochs_run = state.epoch;
  summary.epochs = state.log;
  return summary;
}

}  // namespace seqdl::train
