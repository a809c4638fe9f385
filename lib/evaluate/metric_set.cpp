#include "evaluate/metric_set.hpp"

#include <algorithm>
#include <cmath>

#include "metrics/input_checks.hpp"
#include "metrics/ranking.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace seqdl::evaluate {
namespace {

void check_options(const MetricOptions& o) {
  for (double l : o.recall_levels) {
    if (!(l >= 0 && l <= 1)) throw UsageError("--recall-levels: {} is not in [0, 1]", l);
  }
  for (double l : o.precision_levels) {
    if (!(l >= 0 && l <= 1)) throw UsageError("--precision-levels: {} is not in [0, 1]", l);
  }
  if (o.bins < 1) throw UsageError("--bins must be at least 1");
  if (!(o.confidence > 0 && o.confidence < 1)) throw UsageError("--confidence must be in (0, 1), found {}", o.confidence);
}

void check_set(const ScoredSet& set) {
  size_t k = set.columns();
  if (k == 0) throw InputError("no score columns to evaluate");
  if (set.rows == 0) throw InputError("no samples to evaluate");
  if (set.scores.size() != set.rows * k) {
    throw InputError("{} scores for {} samples and {} columns", set.scores.size(), set.rows, k);
  }
  if (size_t i = metrics::first_non_finite(set.scores); i < set.scores.size()) {
    throw InputError("the score of sample {} for '{}' is {}; scores must be finite numbers", i / k + 1,
                     set.names[i % k], set.scores[i]);
  }
  if (set.type == data::TaskType::multiclass) {
    if (set.classes.size() != set.rows) throw InputError("{} class labels for {} samples", set.classes.size(), set.rows);
    for (size_t i = 0; i < set.rows; ++i) {
      if (set.classes[i] < 0 || static_cast<size_t>(set.classes[i]) >= k) {
        throw InputError("sample {} has class index {}; expected one of the {} classes", i + 1, set.classes[i], k);
      }
    }
  } else {
    if (set.labels.size() != set.rows * k) throw InputError("{} labels for {} samples and {} tasks", set.labels.size(), set.rows, k);
    for (size_t i = 0; i < set.labels.size(); ++i) {
      if (set.labels[i] > 1) throw InputError("the label of sample {} for '{}' is {}; expected 0 or 1", i / k + 1, set.names[i % k], set.labels[i]);
    }
  }
}

bool all_probabilities(std::span<const double> v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return x >= 0.0 && x <= 1.0; });
}

std::optional<Interval> interval(const metrics::ConfidenceInterval& ci) {
  if (!ci.estimate) return std::nullopt;
  return Interval{ci.lower, ci.upper, ci.replicates, ci.skipped};
}

Calibration calibration(std::span<const double> p, std::span<const uint8_t> y, size_t bins) {
  Calibration c;
  c.brier = metrics::brier_score(p, y);
  auto n = static_cast<double>(p.size());
  c.reliability = metrics::reliability_curve(p, y, bins, metrics::Binning::equal_width);
  for (const auto& b : c.reliability) c.ece += static_cast<double>(b.count) / n * std::abs(b.mean_predicted - b.fraction_positive);
  c.reliability_equal_mass = metrics::reliability_curve(p, y, bins, metrics::Binning::equal_mass);
  for (const auto& b : c.reliability_equal_mass) {
    c.ece_equal_mass += static_cast<double>(b.count) / n * std::abs(b.mean_predicted - b.fraction_positive);
  }
  return c;
}

class Builder {
 public:
  Builder(const ScoredSet& set, const MetricOptions& o) : set_(set), o_(o) {
    ev_.type = set.type;
    ev_.options = o;
  }

  Evaluation run() {
    check_options(o_);
    check_set(set_);
    ev_.probabilities = all_probabilities(set_.scores);
    if (!ev_.probabilities) {
      log::info("the scores are not all in [0, 1], so they are not read as probabilities: no calibration metrics "
                "(Brier score, ECE, reliability curve)");
    }
    const size_t k = set_.columns(), n = set_.rows;
    const bool multiclass = set_.type == data::TaskType::multiclass;
    std::vector<double> column;
    std::vector<uint8_t> labels;
    for (size_t c = 0; c < k; ++c) {
      std::span<const double> s;
      std::span<const uint8_t> y;
      if (k == 1 && !multiclass) {
        s = set_.scores;
        y = set_.labels;
      } else {
        column.resize(n);
        labels.resize(n);
        for (size_t i = 0; i < n; ++i) {
          column[i] = set_.scores[i * k + c];
          labels[i] = multiclass ? set_.classes[i] == static_cast<int32_t>(c) : set_.labels[i * k + c];
        }
        s = column;
        y = labels;
      }
      ev_.tasks.push_back(task(set_.names[c], s, y));
    }
    overall();
    return std::move(ev_);
  }

 private:
  void warn(std::string message) {
    log::warn("{}", message);
    ev_.warnings.push_back(std::move(message));
  }

  TaskMetrics task(const std::string& name, std::span<const double> s, std::span<const uint8_t> y) {
    const bool multiclass = set_.type == data::TaskType::multiclass;
    metrics::Ranking r(s, y);
    TaskMetrics t;
    t.name = name;
    t.samples = r.size();
    t.positives = r.positives();
    t.prevalence = metrics::prevalence(r);
    t.auprc = metrics::average_precision(r);
    t.auroc = metrics::roc_auc(r);
    t.why_auprc_undefined = metrics::why_auprc_undefined(r);
    t.why_auroc_undefined = metrics::why_auroc_undefined(r);
    std::string who = fmt::format("{} '{}'", multiclass ? "class" : "task", name);
    if (r.positives() == 0) {
      warn(fmt::format("{}: {}, so AUPRC, AUROC, F1, precision at recall, recall at precision and top-k accuracy "
                       "are undefined (null)", who, multiclass ? "no sample has this class" : "no positive labels"));
    } else if (r.negatives() == 0) {
      warn(fmt::format("{}: {}, so AUROC is undefined (null)",
                       who, multiclass ? "every sample has this class" : "no negative labels"));
    }
    t.best_f1 = metrics::best_f1(r);
    for (double level : o_.recall_levels) t.precision_at_recall.push_back({level, metrics::precision_at_recall(r, level)});
    for (double level : o_.precision_levels) t.recall_at_precision.push_back({level, metrics::recall_at_precision(r, level)});
    t.top_k = metrics::top_k_accuracy(r);
    if (o_.bootstrap > 0 && t.auprc) {
      metrics::BootstrapIntervals b = metrics::bootstrap_intervals(r, {o_.bootstrap, o_.confidence, o_.seed});
      t.auprc_ci = interval(b.auprc);
      t.auroc_ci = interval(b.auroc);
      if (b.auprc.skipped + b.auroc.skipped > 0) {
        log::info("{}: {} of {} bootstrap replicates drew a single class and were left out of the AUROC interval", who,
                  b.auroc.skipped, o_.bootstrap);
      }
    }
    if (ev_.probabilities) t.calibration = calibration(s, y, o_.bins);
    if (o_.curves) {
      t.pr = metrics::pr_curve(r);
      t.roc = metrics::roc_curve(r);
    }
    return t;
  }

  void overall() {
    OverallMetrics& o = ev_.overall;
    const size_t k = set_.columns(), n = set_.rows;
    const bool multiclass = set_.type == data::TaskType::multiclass;
    o.samples = n;
    o.pairs = static_cast<uint64_t>(n) * k;
    for (const auto& t : ev_.tasks) o.positives += t.positives;
    o.prevalence = static_cast<double>(o.positives) / static_cast<double>(o.pairs);
    // Macro: the mean over the tasks where the metric is defined, summed in task order as lib/metrics does
    // for validation, so that the value is bit for bit what `seqdl train` logged.
    auto macro = [](const std::vector<TaskMetrics>& tasks, auto member) -> std::optional<double> {
      double sum = 0;
      size_t defined = 0;
      for (const auto& t : tasks) {
        if (auto v = t.*member) {
          sum += *v;
          ++defined;
        }
      }
      if (defined == 0) return std::nullopt;
      return sum / static_cast<double>(defined);
    };
    o.auprc_macro = macro(ev_.tasks, &TaskMetrics::auprc);
    o.auroc_macro = macro(ev_.tasks, &TaskMetrics::auroc);
    if (k > 1) {
      size_t undefined = 0;
      for (const auto& t : ev_.tasks) undefined += !t.auprc || !t.auroc;
      if (undefined > 0) {
        warn(fmt::format("the macro averages leave out {} of the {} {}, where a metric is undefined", undefined, k,
                         multiclass ? "classes" : "tasks"));
      }
    }
    std::vector<uint8_t> indicator;
    std::span<const uint8_t> pooled_labels = set_.labels;
    if (multiclass) {
      indicator.assign(n * k, 0);
      for (size_t i = 0; i < n; ++i) indicator[i * k + static_cast<size_t>(set_.classes[i])] = 1;
      pooled_labels = indicator;
    }
    if (k == 1) {
      o.auprc_micro = ev_.tasks[0].auprc;
      o.auroc_micro = ev_.tasks[0].auroc;
    } else {
      metrics::Ranking pooled(set_.scores, pooled_labels);
      o.auprc_micro = metrics::average_precision(pooled);
      o.auroc_micro = metrics::roc_auc(pooled);
    }
    if (multiclass) {
      metrics::ScoreMatrix m{set_.scores, k};
      o.accuracy = metrics::accuracy(m, set_.classes);
      o.confusion = metrics::confusion_matrix(m, set_.classes);
    }
    if (!ev_.probabilities) return;
    if (k == 1 && !multiclass) {
      o.calibration = ev_.tasks[0].calibration;
    } else if (!multiclass) {
      o.calibration = calibration(set_.scores, set_.labels, o_.bins);
    } else {
      // Top-label calibration: the confidence in the predicted class against whether it is right.
      std::vector<int32_t> predicted = metrics::predicted_classes({set_.scores, k});
      std::vector<double> confidence(n);
      std::vector<uint8_t> correct(n);
      long double squares = 0;
      for (size_t i = 0; i < n; ++i) {
        confidence[i] = set_.scores[i * k + static_cast<size_t>(predicted[i])];
        correct[i] = predicted[i] == set_.classes[i];
        for (size_t c = 0; c < k; ++c) {
          double e = set_.scores[i * k + c] - static_cast<double>(indicator[i * k + c]);
          squares += e * e;
        }
      }
      Calibration c = calibration(confidence, correct, o_.bins);
      c.brier = static_cast<double>(squares / static_cast<long double>(n));
      o.calibration = std::move(c);
    }
  }

  const ScoredSet& set_;
  const MetricOptions& o_;
  Evaluation ev_;
};

}  // namespace

Evaluation evaluate_scores(const ScoredSet& set, const MetricOptions& options) { return Builder(set, options).run(); }

}  // namespace seqdl::evaluate
