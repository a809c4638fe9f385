#include <ATen/autocast_mode.h>

#include <chrono>
#include <filesystem>

#include "nn/model.hpp"
#include "nn/network.hpp"
#include "nn/network_file.hpp"
#include "train/checkpoint.hpp"
#include "train/distributed.hpp"
#include "train/flat_optimizer.hpp"
#include "train/task.hpp"
#include "train/train.hpp"
#include "train/train_metadata.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

namespace seqdl::train {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

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

// The forward pass (from base indices or one-hot floats), in bfloat16 autocast when asked; every head in float32.
std::vector<torch::Tensor> forward(nn::NetworkImpl& net, const torch::Tensor& x, bool bf16) {
  if (!bf16) return net.forward_heads(x);
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
  std::vector<torch::Tensor> heads;
  {
    Autocast autocast;
    heads = net.forward_heads(x);
  }
  for (auto& h : heads) h = h.to(torch::kFloat32);
  return heads;
}

nn::NamedTensors snapshot(nn::NetworkImpl& net) {
  nn::NamedTensors out;
  for (auto& [name, t] : nn::network_state(net)) out.emplace_back(name, t.detach().clone());
  return out;
}

// The task's network, prepared (fixed parts loaded and frozen), and the parameters the optimiser updates.
nn::Network build_network(const Task& task, const nn::ArchSpec& spec, int64_t length) {
  nn::Network net(spec, length, task.outputs());
  task.prepare(*net);
  return net;
}

std::vector<torch::Tensor> trainable(nn::NetworkImpl& net) {
  std::vector<torch::Tensor> out;
  for (auto& p : net.parameters()) {
    if (p.requires_grad()) out.push_back(p);
  }
  return out;
}

void write_log(const std::string& path, const std::vector<EpochLog>& log) {
  AtomicFile out(path);
  out.write("epoch\ttrain_loss\tvalid_loss");
  if (!log.empty()) {
    for (const auto& [name, value] : log[0].metrics) out.print("\tvalid_{}", name);
  }
  out.write("\tsamples_per_s\tlr\tseconds\n");
  for (const auto& e : log) {
    out.print("{}\t{:.6f}\t{:.6f}", e.epoch, e.train_loss, e.valid_loss);
    for (const auto& [name, value] : e.metrics) out.print("\t{:.6f}", value);
    out.print("\t{:.1f}\t{:.6g}\t{:.2f}\n", e.samples_per_second, e.lr, e.seconds);
  }
  out.commit();
}

std::string metrics_text(const std::vector<std::pair<std::string, double>>& metrics) {
  return join(metrics, ", ", [](const auto& m) { return fmt::format("{} {:.4f}", m.first, m.second); });
}

// One training run: the network, its optimiser and schedule, the state a checkpoint holds, and the loop.
class Training {
 public:
  Training(const TrainOptions& o, Task& task, const nn::ArchSpec& spec, int64_t length, ProcessGroup& group)
      : o_(o), task_(task), length_(length), group_(group), net_(build_network(task, spec, length)),
        model_(nn::wrap_network(net_, task.model_info())),  // the same network, seen as a Model for validation
        optimizer_(trainable(*net_), {o.optimizer, o.lr, o.weight_decay, o.momentum}),
        schedule_(o.lr, {o.schedule, o.plateau_factor, o.plateau_patience, o.min_lr,
                         static_cast<int64_t>(o.warmup_epochs * static_cast<double>(task.batches_per_epoch(group.world()))),
                         task.batches_per_epoch(group.world()) * o.epochs}),
        ckpt_path_(checkpoint_path_for(o.output)), log_path_(log_path_for(o.output)) {
    if (model_->info().per_position() && task.labels_per_sequence()) {
      log::info("{} predicts per position; training on per-sequence labels uses its central output", spec.name);
    }
    state_.fingerprint = options_fingerprint(o, length, task.fingerprint());
    check_same_options();
    state_.best_model = snapshot(*net_);
    if (o.resume) resume();
    group_.broadcast(optimizer_.values(), "the broadcast of rank 0's initial weights");
  }

  TrainSummary run() {
    for (int epoch = state_.epoch + 1; epoch <= o_.epochs; ++epoch) {
      if (o_.patience > 0 && state_.bad_epochs >= o_.patience) break;
      EpochLog e = run_epoch(epoch);
      keep_if_best(e);
      state_.log.push_back(e);
      log::info("epoch {}/{}: train loss {:.4f}, valid loss {:.4f}, {}, {} samples/s, lr {:.3g}{}", epoch, o_.epochs,
                e.train_loss, e.valid_loss, metrics_text(e.metrics), si_number(e.samples_per_second), e.lr,
                state_.best_epoch == epoch ? " (best)" : "");
      if (group_.rank() == 0) write_log(log_path_, state_.log);
      save_state(epoch);
    }
    return finish();
  }

 private:
  void resume() {
    Checkpoint c = load_checkpoint(ckpt_path_);
    if (c.fingerprint != state_.fingerprint) {
      throw UsageError("--resume: {} was made with different options or data ({})", ckpt_path_,
                       fingerprint_difference(c.fingerprint, state_.fingerprint));
    }
    state_ = std::move(c);
    nn::load_state(*net_, state_.model, ckpt_path_);
    optimizer_.load_state(state_.optimizer, state_.steps);
    schedule_.load_state(state_.schedule);
    set_torch_rng_state(state_.rng_state);
    log::info("resuming after epoch {} of {} (best so far: epoch {}, {})", state_.epoch, o_.epochs, state_.best_epoch,
              metrics_text(state_.best_metrics));
  }

  // Every rank must train with rank 0's options and data (threads aside): otherwise their steps would not match.
  void check_same_options() {
    nlohmann::json mine = state_.fingerprint;
    mine.erase("threads");
    auto rank0 = nlohmann::json::parse(group_.rank0_text("options", mine.dump(), "the comparison of options"));
    for (const auto& [key, value] : mine.items()) {
      if (!rank0.contains(key) || rank0[key] != value) {
        throw UsageError("distributed training: rank {} has other options or data than rank 0 ({}: {} on rank 0, {} "
                         "here)", group_.rank(), key, rank0.contains(key) ? rank0[key].dump() : "unset", value.dump());
      }
    }
  }

  EpochLog run_epoch(int epoch) {
    auto start = Clock::now();
    net_->train();
    // Each rank draws its own dropout masks, from (seed, epoch, rank) alone, so that a resumed run repeats them.
    if (group_.active()) {
      torch::manual_seed(Rng(Rng(o_.seed, 3000 + static_cast<uint64_t>(epoch)).next(), group_.rank()).next());
    }
    auto batches = task_.batches(o_.seed, epoch, group_.rank(), group_.world());
    Progress progress(fmt::format("epoch {}/{}", epoch, o_.epochs), static_cast<uint64_t>(batches->batches()), "batches");
    double loss_sum = 0;
    int64_t seen = 0;
    const bool bf16 = o_.precision == Precision::bf16;
    while (auto batch = batches->next()) {
      optimizer_.zero_grad();
      schedule_.at_step(optimizer_.steps());
      auto loss = task_.loss(forward(*net_, batch->x, bf16), *batch);
      loss.backward();
      group_.average_gradients(optimizer_.gradients(), batch->x.size(0));
      if (o_.clip > 0) optimizer_.clip_grad_norm(o_.clip);
      optimizer_.step(schedule_.lr());
      loss_sum += loss.item<double>() * static_cast<double>(batch->x.size(0));
      seen += batch->x.size(0);
      progress.add();
    }
    progress.finish();
    auto totals = group_.sum({loss_sum, static_cast<double>(seen)}, "the sum of the epoch's training loss");
    group_.average(net_->buffers(), "the average of batch norm statistics");  // each rank saw its own batches
    const double train_seconds = seconds_since(start);
    net_->eval();
    Validation v = validate();
    EpochLog e{epoch, totals[0] / std::max(totals[1], 1.0), v.loss, v.score, v.metrics, totals[1] / train_seconds,
               schedule_.lr(), seconds_since(start)};
    schedule_.after_epoch(v.score);
    return e;
  }

  // Rank 0 validates on the whole validation set while the others wait; they need its score to stop early and
  // to follow the plateau schedule in step.
  Validation validate() {
    Validation v;
    if (group_.rank() == 0) v = task_.validate(*model_);
    auto shared = group_.broadcast({v.loss, v.score}, "the broadcast of rank 0's validation");
    v.loss = shared[0];
    v.score = shared[1];
    return v;
  }

  // Without validation data the last epoch is kept.
  void keep_if_best(const EpochLog& e) {
    if (task_.valid_size() == 0 || e.valid_score > state_.best_score) {
      state_.best_score = e.valid_score;
      state_.best_metrics = e.metrics;
      state_.best_epoch = e.epoch;
      state_.best_model = snapshot(*net_);
      state_.bad_epochs = 0;
    } else {
      ++state_.bad_epochs;
    }
  }

  void save_state(int epoch) {
    state_.epoch = epoch;
    state_.steps = optimizer_.steps();
    state_.schedule = schedule_.state();
    state_.model = nn::network_state(*net_);
    state_.optimizer = optimizer_.state();
    state_.rng_state = torch_rng_state();
    if (group_.rank() == 0) save_checkpoint(ckpt_path_, state_);
  }

  TrainSummary finish() {
    TrainSummary summary;
    summary.stopped_early = state_.epoch < o_.epochs;
    if (summary.stopped_early) log::info("stopping early: no better {} for {} epochs", task_.score_name(), o_.patience);
    nn::load_state(*net_, state_.best_model, "the best epoch");
    net_->eval();
    if (group_.rank() == 0) {
      nn::save_model(o_.output, *net_, model_metadata(o_, task_, state_, model_->info(), length_));
      std::error_code ec;
      std::filesystem::remove(ckpt_path_, ec);  // the model holds the result; the checkpoint was for resuming
    }
    group_.barrier("the end of training");  // no rank reports success before rank 0 has written the model
    summary.log_path = log_path_;
    summary.train_size = task_.train_size();
    summary.valid_size = task_.valid_size();
    summary.best_epoch = state_.best_epoch;
    summary.epochs_run = state_.epoch;
    summary.epochs = state_.log;
    return summary;
  }

  const TrainOptions& o_;
  Task& task_;
  int64_t length_;
  ProcessGroup& group_;
  nn::Network net_;
  std::unique_ptr<nn::Model> model_;
  FlatOptimizer optimizer_;
  Schedule schedule_;
  std::string ckpt_path_, log_path_;
  Checkpoint state_;
};

}  // namespace

std::string log_path_for(const std::string& model_path) { return model_path + ".log.tsv"; }
std::string checkpoint_path_for(const std::string& model_path) { return model_path + ".ckpt"; }

TrainSummary train_model(const TrainOptions& options) {
  TrainOptions o = options;
  o.distributed = resolve_distributed(options.distributed);
  check_options(o);
  if (o.distributed.rank > 0) {
    log::set_level(std::max(log::level(), log::Level::warn));  // rank 0 speaks for the job
    o.save_splits.clear();                                        // and alone writes files
  } else {
    // A missing or unwritable output folder is an error before the work, not after the first epoch.
    AtomicFile probe(o.output, AtomicFile::Mode::path);
  }
  nn::ArchSpec spec = nn::load_arch(o.arch);
  const int64_t length = o.length > 0 ? o.length : spec.input_length;
  // Fails fast, naming the layer, if the length is too short for the architecture (coverage tasks check the spec
  // they adapt to their output length: profile_task.cpp).
  if (!o.profile.enabled()) nn::Network(spec, length, 1);
  ProcessGroup group(o.distributed);
  std::unique_ptr<Task> task = make_task(o, length);
  spec = task->architecture(spec);
  torch::manual_seed(o.seed);  // initial weights depend on the seed only
  Training training(o, *task, spec, length, group);
  return training.run();
}

}  // namespace seqdl::train
