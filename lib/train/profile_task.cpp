#include "train/profile_task.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "infer/batches.hpp"
#include "metrics/profile.hpp"
#include "nn/model_file.hpp"
#include "nn/network_file.hpp"
#include "train/profile_arch.hpp"
#include "train/profile_batches.hpp"
#include "train/profile_loss.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/text.hpp"

namespace seqdl::train {
namespace {

constexpr int64_t kValidationBatch = 64;

void check_options(const TrainOptions& o) {
  const auto& d = o.data;
  if (data::has_labelled_input(d) || !d.intervals.empty() || !d.positives.empty()) {
    throw UsageError("--coverage trains on read coverage around --peaks; --class, --table, --intervals and --positives "
                     "are for labelled sequences");
  }
  if (d.negatives.has_value() && *d.negatives != data::Negatives::gc_matched) {
    throw UsageError("--negatives {}: coverage models draw GC-matched background windows (--negatives gc-matched)",
                     choice_name(data::kNegativesChoices, *d.negatives));
  }
  const auto& p = o.profile;
  if (!p.control.inputs.empty()) {
    throw UsageError("--control: a control track as a second model input is not supported yet (docs/profile.md)");
  }
  if (p.jitter < 0) throw UsageError("--jitter must be >= 0");
  if (p.bin < 0) throw UsageError("--bin must be >= 0");
  if (p.bin > 0 && !p.bias_model.empty()) throw UsageError("--bias-model is for profile models, not --bin track regression");
  if (o.rc_augment || o.max_shift > 0) {
    throw UsageError("--rc-augment and --max-shift are for labelled sequences; coverage models use --jitter and "
                     "reverse-complement by default (--no-rc-augment)");
  }
  if (p.counts_weight != "auto") {
    double w = parse_double(p.counts_weight, "--counts-weight");
    if (!(w >= 0) || !std::isfinite(w)) throw UsageError("--counts-weight must be 'auto' or a number >= 0");
  }
}

// Median of the training peaks' totals over the output window (all channels), and the average normalised profile
// per channel (the baseline evaluation compares with).
void training_profile_stats(const std::vector<data::ProfileExample>& peaks, int64_t length, double& median,
                            std::vector<std::vector<double>>& average) {
  std::vector<double> totals;
  const int channels = peaks.empty() ? 0 : peaks[0].strands;
  average.assign(static_cast<size_t>(channels), std::vector<double>(static_cast<size_t>(length), 0.0));
  std::vector<uint64_t> used(static_cast<size_t>(channels), 0);
  for (const auto& span : peaks) {
    data::ProfileExample e = data::cut(span, 0);
    double total = 0;
    for (int c = 0; c < channels; ++c) {
      const float* row = e.counts.data() + c * length;
      double sum = 0;
      for (int64_t i = 0; i < length; ++i) sum += row[i];
      total += sum;
      if (sum <= 0) continue;
      auto& avg = average[static_cast<size_t>(c)];
      for (int64_t i = 0; i < length; ++i) avg[static_cast<size_t>(i)] += row[i] / sum;
      ++used[static_cast<size_t>(c)];
    }
    totals.push_back(total);
  }
  for (int c = 0; c < channels; ++c) {
    for (auto& v : average[static_cast<size_t>(c)]) v /= static_cast<double>(std::max<uint64_t>(used[static_cast<size_t>(c)], 1));
  }
  median = metrics::nan_median(totals);
}

}  // namespace

ProfileTask::ProfileTask(const TrainOptions& o, int64_t length) : o_(o) {
  check_options(o);
  const auto& p = o.profile;
  profile_.kind = p.bin > 0 ? nn::CoverageModelKind::tracks : nn::CoverageModelKind::profile;
  profile_.tasks = {p.task_name};
  profile_.strands = io::strand_channels(p.coverage.strands);
  profile_.bin = std::max<int64_t>(p.bin, 1);
  profile_.loss = p.bin > 0 ? std::string(choice_name(kTrackLossChoices, p.track_loss)) : "mnll";
  arch_ = adapt_coverage_arch(nn::load_arch(o.arch), {p.arch_options, p.output_length, p.bin});
  if (!p.bias_model.empty()) {
    nn::ModelHeader bias = nn::read_model_header(p.bias_model);
    if (bias.input_length != length) {
      throw UsageError("--bias-model {} takes {} bp; this model takes {} bp", p.bias_model, bias.input_length, length);
    }
    if (bias.tasks != profile_.channels()) {
      throw UsageError("--bias-model {} predicts {} channels; this coverage has {}", p.bias_model, bias.tasks,
                       profile_.channels());
    }
    arch_ = add_bias_model(arch_, bias.spec, p.bias_model);
    profile_.bias_factorised = true;
  }
  check_heads(length);

  windows_.input_length = length;
  windows_.output_length = profile_.output_length;
  windows_.max_jitter = p.jitter;
  windows_.valid_chroms = o.split.valid_chroms;
  windows_.test_chroms = o.split.test_chroms;
  data::ProfileDataSpec spec{o.data.genome, p.peaks, p.exclude, p.coverage, p.control, windows_, {}};
  data_ = data::load_profile_dataset(spec);
  fetcher_ = std::make_unique<data::ProfileFetcher>(*data_.genome, data_.counts, data_.control.get(), windows_);
  data::BackgroundOptions bg;
  bg.ratio = o.data.negative_ratio;
  background_ = std::make_unique<data::ProfileBackground>(*data_.genome, data_.peaks, data_.exclusion, windows_, bg);
  fetch_examples();
}

void ProfileTask::check_heads(int64_t length) {
  nn::Graph graph(arch_, length, profile_.channels());
  const auto& outs = graph.outputs();
  const bool tracks = profile_.tracks();
  auto shape = [&](size_t k) { return graph.node(outs[k].node).out; };
  if (tracks ? outs.empty() : outs.size() < 2) {
    throw UsageError("--arch {}: a {} model needs {}", o_.arch, tracks ? "track" : "profile",
                     tracks ? "a per-position head" : "two heads: a per-position profile and a per-window counts head");
  }
  const nn::Shape head = shape(0);
  if (head.flat || (!tracks && !shape(1).flat)) {
    throw UsageError("--arch {}: the first head must be per position{}", o_.arch, tracks ? "" : ", the second per window");
  }
  profile_.profile_head = 0;
  profile_.counts_head = tracks ? 0 : 1;
  profile_.output_length = head.length * profile_.bin;
  if (o_.profile.output_length > 0 && o_.profile.output_length != profile_.output_length) {
    throw UsageError("--output-length {}: the architecture's profile covers {} bases", o_.profile.output_length,
                     profile_.output_length);
  }
  if (profile_.output_length > length || (length - profile_.output_length) % 2 != 0) {
    throw UsageError("the output ({} bp) must be centred in the input ({} bp): their difference must be even and >= 0",
                     profile_.output_length, length);
  }
  profile_.output_offset = (length - profile_.output_length) / 2;
}

void ProfileTask::fetch_examples() {
  const auto& peaks = data_.peaks.windows;
  for (const auto& w : peaks) {
    if (w.split == data::ProfileSplit::train) train_peaks_.push_back(fetcher_->fetch(w));
    if (w.split == data::ProfileSplit::valid) valid_.push_back(data::cut(fetcher_->fetch(w), 0));
    if (w.split == data::ProfileSplit::test) ++test_peaks_;
  }
  if (train_peaks_.empty()) {
    throw InputError("{}: no peak is left on the training chromosomes (all are in --valid-chroms/--test-chroms, or skipped)",
                     o_.profile.peaks);
  }
  valid_peaks_ = valid_.size();
  for (const auto& w : background_->for_epoch(o_.seed, 0, data::ProfileSplit::valid)) valid_.push_back(data::cut(fetcher_->fetch(w), 0));
  background_per_epoch_ = static_cast<size_t>(std::llround(static_cast<double>(train_peaks_.size()) * o_.data.negative_ratio));
  training_profile_stats(train_peaks_, windows_.output_length, median_total_, average_profile_);
  if (o_.profile.counts_weight == "auto") {
    counts_weight_ = median_total_ > 0 ? median_total_ / 10 : 1.0;
    if (!profile_.tracks()) {
      log::info("counts weight lambda = median training-peak total {} / 10 = {:.4g}", exact_number(median_total_),
                counts_weight_);
    }
  } else {
    counts_weight_ = parse_double(o_.profile.counts_weight, "--counts-weight");
  }
  log::info("{} windows: train {} peaks + {} background per epoch, valid {} peaks + {} background, test {} peaks",
            profile_.tracks() ? "track" : "profile", with_commas(train_peaks_.size()), with_commas(background_per_epoch_),
            with_commas(valid_peaks_), with_commas(valid_.size() - valid_peaks_), with_commas(test_peaks_));
  if (valid_.empty()) log::warn("no validation windows (--valid-chroms): no early stopping, the last epoch is kept");
}

nn::ModelInfo ProfileTask::model_info() const {
  nn::ModelInfo info;
  info.source = "the network in training";
  info.input_length = windows_.input_length;
  info.task_names = profile_.channel_names();
  info.task_type = info.task_names.size() > 1 ? data::TaskType::multilabel : data::TaskType::binary;
  info.unknown = encode::Unknown::zero;
  info.profile = profile_;
  return info;
}

int64_t ProfileTask::batches_per_epoch(int world) const {
  const auto n = static_cast<int64_t>(train_size());
  int64_t batches = (n + o_.batch - 1) / o_.batch;
  if (n > 1 && n % o_.batch == 1) --batches;  // as BatchStream: no batch of one
  return std::max<int64_t>(batches / world, 1);
}

std::unique_ptr<BatchSource> ProfileTask::batches(uint64_t seed, int epoch, int rank, int world) {
  ProfileBatchOptions b{o_.batch, o_.profile.rc, profile_.tracks() ? profile_.bin : 0};
  return std::make_unique<ProfileBatchStream>(train_peaks_, *background_, *fetcher_, b, seed, epoch, rank, world,
                                              batches_per_epoch(world));
}

torch::Tensor ProfileTask::loss(const std::vector<torch::Tensor>& heads, const Batch& batch) const {
  if (profile_.tracks()) return track_loss(heads[0], batch.targets[0], o_.profile.track_loss);
  return profile_loss(heads[0], heads[1], batch.targets[0], counts_weight_).total;
}

Validation ProfileTask::validate(nn::Model& model) {
  if (valid_.empty()) return {};
  if (profile_.tracks()) return validate_tracks(model);
  torch::NoGradGuard no_grad;
  const int64_t L = windows_.input_length, width = windows_.output_length, C = profile_.channels();
  metrics::ProfileAccumulator acc;
  double mnll = 0, mse = 0;
  for (size_t begin = 0; begin < valid_.size(); begin += kValidationBatch) {
    const auto b = static_cast<int64_t>(std::min<size_t>(kValidationBatch, valid_.size() - begin));
    torch::Tensor x = torch::empty({b, L}, torch::kUInt8), y = torch::empty({b, C, width}), none;
    for (int64_t i = 0; i < b; ++i) write_example(valid_[begin + static_cast<size_t>(i)], i, 0, x, y, none);
    auto heads = infer::run_model_heads(model, x);
    auto parts = profile_loss(heads[0], heads[1], y, counts_weight_);
    mnll += parts.mnll.item<double>() * static_cast<double>(b);
    mse += parts.mse.item<double>() * static_cast<double>(b);
    auto probs = torch::softmax(heads[0], -1).contiguous();
    auto log_counts = heads[1].contiguous();
    for (int64_t i = 0; i < b && begin + static_cast<size_t>(i) < valid_peaks_; ++i) {
      for (int64_t c = 0; c < C; ++c) {
        acc.add(static_cast<int>(c), y[i][c].data_ptr<float>(), probs[i][c].data_ptr<float>(), width,
                log_counts[i][c].item<double>());
      }
    }
  }
  const auto n = static_cast<double>(valid_.size());
  mnll /= n;
  mse /= n;
  const double loss = mnll + counts_weight_ * mse;
  metrics::ProfileSummary s = acc.summary();
  return {loss, -loss,
          {{"mnll", mnll}, {"counts_mse", mse}, {"counts_pearson", s.counts_pearson},
           {"jsd_median", s.jsd_median}, {"profile_pearson", s.profile_pearson_median}}};
}

Validation ProfileTask::validate_tracks(nn::Model& model) {
  torch::NoGradGuard no_grad;
  const int64_t L = windows_.input_length, C = profile_.channels(), bins = windows_.output_length / profile_.bin;
  std::vector<std::vector<double>> predicted(static_cast<size_t>(C)), observed(static_cast<size_t>(C));
  double loss = 0;
  for (size_t begin = 0; begin < valid_.size(); begin += kValidationBatch) {
    const auto b = static_cast<int64_t>(std::min<size_t>(kValidationBatch, valid_.size() - begin));
    torch::Tensor x = torch::empty({b, L}, torch::kUInt8), y = torch::empty({b, C, bins}), none;
    for (int64_t i = 0; i < b; ++i) write_example(valid_[begin + static_cast<size_t>(i)], i, profile_.bin, x, y, none);
    auto out = infer::run_model_heads(model, x)[0];
    loss += track_loss(out, y, o_.profile.track_loss).item<double>() * static_cast<double>(b);
    auto pred = track_prediction(out, o_.profile.track_loss).contiguous();
    for (int64_t c = 0; c < C; ++c) {
      auto pc = pred.select(1, c).contiguous(), yc = y.select(1, c).contiguous();
      auto& pv = predicted[static_cast<size_t>(c)];
      auto& ov = observed[static_cast<size_t>(c)];
      pv.insert(pv.end(), pc.data_ptr<float>(), pc.data_ptr<float>() + pc.numel());
      ov.insert(ov.end(), yc.data_ptr<float>(), yc.data_ptr<float>() + yc.numel());
    }
  }
  loss /= static_cast<double>(valid_.size());
  Validation v{loss, -loss, {}};
  double mean_r = 0;
  for (int64_t c = 0; c < C; ++c) mean_r += metrics::pearson(predicted[static_cast<size_t>(c)], observed[static_cast<size_t>(c)]);
  v.metrics.emplace_back("pearson", mean_r / static_cast<double>(C));
  return v;
}

void ProfileTask::prepare(nn::NetworkImpl& network) const {
  if (o_.profile.bias_model.empty()) return;
  nn::LoadedNetwork bias = nn::load_network(o_.profile.bias_model);
  std::vector<std::pair<std::string, torch::Tensor>> renamed;
  for (auto& [name, t] : nn::network_state(*bias.network)) renamed.emplace_back(bias_weight_name(name), t);
  // Only the bias model's tensors: load_state checks that each exists in the combined network with its shape.
  auto state = nn::network_state(network);
  torch::NoGradGuard no_grad;
  size_t loaded = 0;
  for (auto& [name, value] : renamed) {
    for (auto& [own, target] : state) {
      if (own != name) continue;
      if (target.sizes() != value.sizes()) throw ModelError("--bias-model {}: {} has another shape", o_.profile.bias_model, name);
      target.copy_(value);
      target.set_requires_grad(false);
      ++loaded;
    }
  }
  if (loaded != renamed.size()) throw ModelError("--bias-model {}: its weights do not fit its spec", o_.profile.bias_model);
  log::info("bias model {}: {} tensors loaded and frozen", o_.profile.bias_model, loaded);
}

}  // namespace seqdl::train

namespace seqdl::train {
namespace {

nlohmann::json source_json(const std::string& role, const std::string& path) {
  std::error_code ec;
  auto bytes = std::filesystem::file_size(path, ec);
  return {{"role", role}, {"path", path}, {"bytes", ec ? 0 : bytes}};
}

nlohmann::json coverage_json(const io::CoverageOptions& c) {
  return {{"inputs", c.inputs},
          {"format", io::coverage_format_name(c.format)},
          {"strands", choice_name(io::kStrandModeChoices, c.strands)},
          {"shift", {c.shift.plus, c.shift.minus}},
          {"min_mapq", c.filter.min_mapq},
          {"require_flags", c.filter.require_flags},
          {"exclude_flags", c.filter.exclude_flags}};
}

}  // namespace

void ProfileTask::describe(nn::MetadataParts& parts) const {
  const auto& p = o_.profile;
  nlohmann::json sources = nlohmann::json::array({source_json("genome", o_.data.genome), source_json("peaks", p.peaks)});
  for (const auto& f : p.coverage.inputs) sources.push_back(source_json("coverage", f));
  for (const auto& f : p.control.inputs) sources.push_back(source_json("control", f));
  if (!p.exclude.empty()) sources.push_back(source_json("exclude", p.exclude));
  if (!p.bias_model.empty()) sources.push_back(source_json("bias model", p.bias_model));
  parts.data = {{"sources", sources},
                {"coverage", coverage_json(p.coverage)},
                {"peaks", data_.peaks.peaks},
                {"skipped_off_contig_end", data_.peaks.off_contig_end},
                {"skipped_excluded", data_.peaks.excluded},
                {"skipped_missing_contig", data_.peaks.missing_contig},
                {"counted", data_.summary.counted}};
  parts.splits = {{"train", train_peaks_.size()}, {"valid", valid_peaks_}, {"test", test_peaks_},
                  {"background_per_epoch", background_per_epoch_}, {"valid_background", valid_.size() - valid_peaks_},
                  {"valid_chroms", o_.split.valid_chroms}, {"test_chroms", o_.split.test_chroms}};
  parts.profile = nn::profile_info_json(profile_);
  parts.profile["counts_weight"] = counts_weight_;
  parts.profile["median_training_peak_total"] = median_total_;
  if (!profile_.tracks()) parts.profile["average_profile"] = average_profile_;  // the baseline evaluate compares with
}

nlohmann::json ProfileTask::fingerprint() const {
  const auto& p = o_.profile;
  return {{"genome", o_.data.genome},        {"peaks", p.peaks},
          {"exclude", p.exclude},            {"coverage", coverage_json(p.coverage)},
          {"control", coverage_json(p.control)}, {"task_name", p.task_name},
          {"output_length", profile_.output_length}, {"jitter", p.jitter},
          {"rc_augment", p.rc},              {"counts_weight", p.counts_weight},
          {"arch_options", p.arch_options},  {"bias_model", p.bias_model},
          {"bin", p.bin},                    {"track_loss", choice_name(kTrackLossChoices, p.track_loss)},
          {"negative_ratio", o_.data.negative_ratio}, {"valid_chroms", o_.split.valid_chroms},
          {"test_chroms", o_.split.test_chroms}};
}

}  // namespace seqdl::train
