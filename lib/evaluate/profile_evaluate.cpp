#include "evaluate/profile_evaluate.hpp"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <limits>

#include "data/profile_dataset.hpp"
#include "data/profile_examples.hpp"
#include "encode/one_hot.hpp"
#include "evaluate/profile_report.hpp"
#include "infer/batches.hpp"
#include "metrics/binary.hpp"
#include "metrics/profile.hpp"
#include "nn/model.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/provenance.hpp"
#include "util/text.hpp"

namespace seqdl::evaluate {
namespace {

constexpr int64_t kBatch = 64;

std::vector<std::string> evaluated_chroms(const EvaluateOptions& o, const nn::ModelInfo& info) {
  if (!o.profile.chroms.empty()) return o.profile.chroms;
  const auto& m = info.metadata;
  if (m.is_object() && m.contains("splits") && m["splits"].contains("test_chroms")) {
    auto chroms = m["splits"]["test_chroms"].get<std::vector<std::string>>();
    if (!chroms.empty()) {
      log::info("evaluating on the model's test chromosomes: {}", join(chroms, ", "));
      return chroms;
    }
  }
  throw UsageError("--chroms: name the chromosomes to evaluate on ({} records no test chromosomes)", o.model);
}

io::CoverageOptions coverage_for(const EvaluateOptions& o, const nn::ModelInfo& info) {
  io::CoverageOptions c = o.profile.coverage;
  c.strands = info.profile->strands == 2 ? io::StrandMode::both : io::StrandMode::combined;
  if (o.profile.shift) {
    c.shift = io::parse_shift(*o.profile.shift, "--shift");
    return c;
  }
  const auto& m = info.metadata;
  if (m.is_object() && m.contains("data") && m["data"].contains("coverage")) {
    auto s = m["data"]["coverage"].value("shift", std::vector<int64_t>{0, 0});
    if (s.size() == 2) c.shift = {s[0], s[1]};
    if (c.shift.plus != 0 || c.shift.minus != 0) {
      log::info("read 5' ends shifted by {},{} as in training (--shift to change)", c.shift.plus, c.shift.minus);
    }
  }
  return c;
}

std::vector<std::vector<double>> average_profile(const nn::ModelInfo& info) {
  const auto& m = info.metadata;
  if (!m.is_object() || !m.contains("profile") || !m["profile"].contains("average_profile")) return {};
  return m["profile"]["average_profile"].get<std::vector<std::vector<double>>>();
}

// The model's outputs for a run of windows: profile probabilities [b, C, W] and log counts [b, C], or track
// predictions [b, C, bins]; observed counts [b, C, W] (binned for tracks).
struct WindowBatch {
  torch::Tensor probabilities, log_counts, tracks, observed;
};

class WindowScorer {
 public:
  WindowScorer(nn::Model& model, const data::ProfileFetcher& fetcher) : model_(model), fetcher_(fetcher) {}

  WindowBatch run(const std::vector<data::ProfileWindow>& windows, size_t begin, size_t count) {
    const nn::ProfileInfo& p = *model_.info().profile;
    const auto& wo = fetcher_.options();
    const auto b = static_cast<int64_t>(count);
    const int64_t cols = wo.output_length / p.bin;
    torch::Tensor x = torch::empty({b, wo.input_length}, torch::kUInt8), y = torch::zeros({b, p.channels(), cols});
    for (int64_t i = 0; i < b; ++i) {
      data::ProfileExample e = data::cut(fetcher_.fetch(windows[begin + static_cast<size_t>(i)]), 0);
      encode::base_indices(e.bases, x.data_ptr<uint8_t>() + i * wo.input_length);
      float* row = y.data_ptr<float>() + i * p.channels() * cols;
      for (size_t k = 0; k < e.counts.size(); ++k) row[static_cast<int64_t>(k) / p.bin] += e.counts[k];
    }
    torch::InferenceMode guard;
    auto heads = infer::run_model_heads(model_, x);
    WindowBatch out;
    out.observed = y;
    if (p.tracks()) {
      const bool mse = p.loss == "mse";
      auto t = heads[static_cast<size_t>(p.profile_head)];
      out.tracks = (mse ? torch::clamp_min(torch::expm1(t), 0) : torch::exp(t)).contiguous();
    } else {
      out.probabilities = torch::softmax(heads[static_cast<size_t>(p.profile_head)], -1).contiguous();
      out.log_counts = heads[static_cast<size_t>(p.counts_head)].contiguous();
    }
    return out;
  }

 private:
  nn::Model& model_;
  const data::ProfileFetcher& fetcher_;
};

std::string fixed(double v) { return std::isnan(v) ? "NA" : fmt::format("{:.4f}", v); }
nlohmann::json number(double v) { return std::isnan(v) ? nlohmann::json() : nlohmann::json(v); }

// The peaks drawn in the report: those with the most reads (a small bounded set, kept while streaming).
class Examples {
 public:
  explicit Examples(size_t wanted) : wanted_(wanted) {}
  void offer(double total, ProfileExamplePlot plot) {
    if (wanted_ == 0) return;
    if (kept_.size() == wanted_ && total <= kept_.back().first) return;
    kept_.emplace_back(total, std::move(plot));
    std::stable_sort(kept_.begin(), kept_.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    if (kept_.size() > wanted_) kept_.pop_back();
  }
  // Totals at or under this are not kept (nothing is when no example is wanted).
  double floor() const {
    if (wanted_ == 0) return std::numeric_limits<double>::infinity();
    return kept_.size() < wanted_ ? -1 : kept_.back().first;
  }
  std::vector<ProfileExamplePlot> plots() const {
    std::vector<ProfileExamplePlot> out;
    for (const auto& [t, p] : kept_) out.push_back(p);
    return out;
  }

 private:
  size_t wanted_;
  std::vector<std::pair<double, ProfileExamplePlot>> kept_;
};

struct Figures {
  nlohmann::json json;
  std::vector<std::pair<std::string, std::string>> rows;  // report and TSV
  void put(const std::string& key, double value) {
    json[key] = number(value);
    rows.emplace_back(key, fixed(value));
  }
};

}  // namespace

EvaluateSummary run_profile_evaluate(const EvaluateOptions& o) {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  if (o.model.empty()) throw UsageError("--coverage evaluates a profile or track model: give --model");
  if (o.data.genome.empty()) throw UsageError("--coverage needs the genome FASTA (--genome)");
  if (o.output.empty()) throw UsageError("-o/--output: name the metrics file, or - for stdout");
  AtomicFile main_out(o.output);
  std::unique_ptr<AtomicFile> report_out = o.report.empty() ? nullptr : std::make_unique<AtomicFile>(o.report);
  std::unique_ptr<AtomicFile> per_peak =
      o.profile.predictions.empty() ? nullptr : std::make_unique<AtomicFile>(o.profile.predictions);

  auto model = nn::open_model(o.model, o.overrides);
  const nn::ModelInfo& info = model->info();
  if (!info.profile) {
    throw UsageError("--coverage: {} is not a profile or coverage-track model (train one with --coverage); evaluate "
                     "it on labelled sequences instead", o.model);
  }
  const nn::ProfileInfo& p = *info.profile;
  const std::vector<std::string> chroms = evaluated_chroms(o, info);
  data::ProfileWindowOptions wo;
  wo.input_length = info.input_length;
  wo.output_length = p.output_length;
  wo.test_chroms = chroms;
  data::ProfileDataSpec spec{o.data.genome, o.profile.peaks, o.profile.exclude, coverage_for(o, info), {}, wo, chroms};
  data::ProfileDataset d = data::load_profile_dataset(spec);
  std::vector<data::ProfileWindow> windows;
  for (const auto& w : d.peaks.windows) {
    if (w.split == data::ProfileSplit::test) windows.push_back(w);
  }
  const size_t n_peaks = windows.size();
  if (n_peaks == 0) {
    throw InputError("{}: no peak on {} leaves a {}-bp window inside its contig and clear of the exclusion list",
                     o.profile.peaks, join(chroms, ", "), wo.input_length);
  }
  data::BackgroundOptions bg;
  bg.ratio = o.profile.background_ratio;
  for (auto& w : data::ProfileBackground(*d.genome, d.peaks, d.exclusion, wo, bg).for_epoch(o.seed, 0, data::ProfileSplit::test)) {
    windows.push_back(std::move(w));
  }
  data::ProfileFetcher fetcher(*d.genome, d.counts, nullptr, wo);
  WindowScorer scorer(*model, fetcher);
  metrics::ProfileAccumulator acc(average_profile(info));
  std::vector<double> scores;
  std::vector<uint8_t> labels;
  const int64_t C = p.channels(), cols = p.output_length / p.bin;
  std::vector<std::vector<double>> track_pred(static_cast<size_t>(C)), track_obs(static_cast<size_t>(C));
  Examples examples(report_out ? static_cast<size_t>(std::max<int64_t>(o.profile.examples, 0)) : 0);
  const std::vector<std::string> channels = p.channel_names();
  if (per_peak) per_peak->write(p.tracks() ? "id\tchrom\tsummit\tchannel\tobserved\tpredicted\n"
                                           : "id\tchrom\tsummit\tchannel\tobserved_log_counts\tpredicted_log_counts\tjsd\tprofile_pearson\n");
  for (size_t begin = 0; begin < windows.size(); begin += kBatch) {
    const size_t count = std::min<size_t>(kBatch, windows.size() - begin);
    WindowBatch r = scorer.run(windows, begin, count);
    for (size_t i = 0; i < count; ++i) {
      const auto k = static_cast<int64_t>(i);
      const data::ProfileWindow& w = windows[begin + i];
      const bool peak = begin + i < n_peaks;
      if (p.tracks()) {
        for (int64_t c = 0; c < C; ++c) {
          const float* pr = r.tracks[k][c].data_ptr<float>();
          const float* ob = r.observed[k][c].data_ptr<float>();
          track_pred[static_cast<size_t>(c)].insert(track_pred[static_cast<size_t>(c)].end(), pr, pr + cols);
          track_obs[static_cast<size_t>(c)].insert(track_obs[static_cast<size_t>(c)].end(), ob, ob + cols);
          if (per_peak && peak) {
            per_peak->print("{}\t{}\t{}\t{}\t{}\t{}\n", w.id, w.chrom, w.centre, channels[static_cast<size_t>(c)],
                            exact_number(r.observed[k][c].sum().item<double>()), exact_number(r.tracks[k][c].sum().item<double>()));
          }
        }
        continue;
      }
      double predicted_total = 0, observed_total = r.observed[k].sum().item<double>();
      for (int64_t c = 0; c < C; ++c) predicted_total += nn::predicted_total(r.log_counts[k][c].item<double>());
      scores.push_back(std::log1p(predicted_total));
      labels.push_back(peak ? 1 : 0);
      if (!peak) continue;
      ProfileExamplePlot plot{fmt::format("{} ({}:{})", w.id, w.chrom, with_commas(static_cast<uint64_t>(w.centre + 1))), channels, {}, {}, 0};
      for (int64_t c = 0; c < C; ++c) {
        const double lc = r.log_counts[k][c].item<double>();
        acc.add(static_cast<int>(c), r.observed[k][c].data_ptr<float>(), r.probabilities[k][c].data_ptr<float>(), cols, lc);
        if (per_peak) {
          per_peak->print("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", w.id, w.chrom, w.centre, channels[static_cast<size_t>(c)],
                          exact_number(acc.observed_log_counts().back()), exact_number(lc), exact_number(acc.jsd().back()),
                          exact_number(acc.profile_pearson().back()));
        }
        if (observed_total > examples.floor()) {
          const float* ob = r.observed[k][c].data_ptr<float>();
          const float* pr = r.probabilities[k][c].data_ptr<float>();
          const double total = nn::predicted_total(lc);
          plot.observed.emplace_back(ob, ob + cols);
          plot.predicted.emplace_back(cols);
          for (int64_t j = 0; j < cols; ++j) plot.predicted.back()[static_cast<size_t>(j)] = pr[j] * total;
          plot.jsd = acc.jsd().back();
        }
      }
      if (!plot.observed.empty()) examples.offer(observed_total, std::move(plot));
    }
  }
  const double seconds_scoring = std::chrono::duration<double>(Clock::now() - start).count();

  Figures f;
  f.json["chroms"] = chroms;
  f.json["peaks"] = n_peaks;
  f.json["background"] = windows.size() - n_peaks;
  if (p.tracks()) {
    double mean = 0, mean_log = 0;
    nlohmann::json per_track = nlohmann::json::array();
    for (int64_t c = 0; c < C; ++c) {
      const auto& pr = track_pred[static_cast<size_t>(c)];
      const auto& ob = track_obs[static_cast<size_t>(c)];
      std::vector<double> lp(pr.size()), lo(ob.size());
      for (size_t i = 0; i < pr.size(); ++i) lp[i] = std::log1p(pr[i]);
      for (size_t i = 0; i < ob.size(); ++i) lo[i] = std::log1p(ob[i]);
      const double r = metrics::pearson(pr, ob), rl = metrics::pearson(lp, lo);
      per_track.push_back({{"track", channels[static_cast<size_t>(c)]}, {"pearson", number(r)}, {"pearson_log", number(rl)}});
      f.rows.emplace_back("pearson " + channels[static_cast<size_t>(c)], fixed(r));
      mean += r / static_cast<double>(C);
      mean_log += rl / static_cast<double>(C);
    }
    f.put("pearson", mean);
    f.put("pearson_log", mean_log);
    f.json["tracks"] = per_track;
  } else {
    metrics::ProfileSummary s = acc.summary();
    f.put("counts_pearson", s.counts_pearson);
    f.put("counts_spearman", s.counts_spearman);
    f.put("counts_mse", s.counts_mse);
    f.put("profile_jsd_median", s.jsd_median);
    f.put("profile_pearson_median", s.profile_pearson_median);
    f.put("baseline_jsd_median", s.baseline_jsd_median);
    f.put("baseline_pearson_median", s.baseline_pearson_median);
    f.put("auprc", metrics::average_precision(scores, labels).value_or(std::nan("")));
    f.put("auroc", metrics::roc_auc(scores, labels).value_or(std::nan("")));
    f.json["peaks_with_counts"] = s.with_counts;
  }
  nlohmann::json provenance = run_provenance().to_json();
  nlohmann::json inputs = {{"model", o.model}, {"genome", o.data.genome}, {"peaks", o.profile.peaks},
                           {"coverage", data::describe_coverage(spec.coverage)}, {"exclude", o.profile.exclude},
                           {"background_ratio", o.profile.background_ratio}};
  if (o.json) {
    nlohmann::json j = f.json;
    j["inputs"] = inputs;
    j["provenance"] = provenance;
    main_out.write(j.dump(2) + "\n");
  } else {
    main_out.write("metric\tvalue\n");
    for (const auto& [k, v] : f.rows) main_out.print("{}\t{}\n", k, v);
  }
  if (report_out) {
    ProfileReportData data{o.model, {}, f.rows, acc.observed_log_counts(), acc.predicted_log_counts(), examples.plots(), provenance};
    for (const auto& [k, v] : inputs.items()) data.inputs.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
    data.inputs.emplace_back("chromosomes", join(chroms, ", "));
    report_out->write(profile_report_html(data));
  }
  main_out.commit();
  if (report_out) report_out->commit();
  if (per_peak) per_peak->commit();
  EvaluateSummary summary;
  summary.profile = f.json;
  summary.samples = n_peaks;
  summary.seconds_scoring = seconds_scoring;
  return summary;
}

}  // namespace seqdl::evaluate
