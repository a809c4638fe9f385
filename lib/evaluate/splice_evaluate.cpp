#include "evaluate/splice_evaluate.hpp"

#include <chrono>
#include <set>

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
  if (o.model.empty()) throw UsageError("--annotation evaluates a model: give --model");
  if (o.data.genome.empty()) throw UsageError("--annotation needs --genome: the indexed FASTA of its contigs");
  if (data::has_labelled_input(o.data) || o.data.negatives.has_value()) {
    throw UsageError("--annotation labels the bases of the genes itself: --class, --table, --intervals, --positives "
                     "and --negatives do not apply");
  }
  if (!o.tables.scores.empty() || !o.tables.labels.empty() || o.logits) {
    throw UsageError("--annotation evaluates a model: --scores, --labels and --logits do not apply");
  }
  if (!o.curves.empty() || !o.report.empty()) {
    throw UsageError("--curves and --report are not available with --annotation: write the metrics (--json)");
  }
  if (o.metrics.bootstrap > 0) throw UsageError("--bootstrap is not available with --annotation");
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  if (o.output.empty()) throw UsageError("-o/--output: name the metrics file, or - for stdout");
}

std::vector<std::string> chosen_chroms(const EvaluateOptions& o, const data::SpliceAnnotation& a) {
  std::set<std::string> with_genes;
  for (const auto& s : a.labels.gene_spans()) with_genes.insert(s.chrom);
  if (with_genes.empty()) throw InputError("{}: no gene to evaluate on", o.splice.annotation);
  if (o.chroms.empty()) return {with_genes.begin(), with_genes.end()};
  for (const auto& c : o.chroms) {
    if (with_genes.count(c) == 0) {
      throw UsageError("--chroms {}: the annotation has no gene there (chromosomes with genes: {})", c,
                       join(std::vector<std::string>(with_genes.begin(), with_genes.end()), ", "));
    }
  }
  return o.chroms;
}

struct ClassResults {
  std::optional<SiteMetrics> acceptor, donor;
  std::optional<double> mean_auprc() const {
    double sum = 0;
    int n = 0;
    for (const auto* m : {&acceptor, &donor}) {
      if (*m && (*m)->auprc) {
        sum += *(*m)->auprc;
        ++n;
      }
    }
    return n > 0 ? std::optional<double>(sum / n) : std::nullopt;
  }
};

ClassResults results(const SiteScores& scores, const char* set) {
  ClassResults r{scores.metrics(1), scores.metrics(2)};
  for (auto [m, name] : {std::pair{&r.acceptor, "acceptor"}, std::pair{&r.donor, "donor"}}) {
    if (*m && !(*m)->auprc) log::warn("{}: no {} site among the scored bases: its AUPRC and top-k are undefined", set, name);
  }
  return r;
}

nlohmann::json optional_json(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

nlohmann::json class_json(const SiteMetrics& m) {
  return {{"positions", m.positions},
          {"positives", m.positives},
          {"prevalence", m.prevalence},
          {"auprc", optional_json(m.auprc)},
          {"auroc", optional_json(m.auroc)},
          {"topk_accuracy", m.top_k ? nlohmann::json(m.top_k->accuracy) : nlohmann::json(nullptr)},
          {"topk_threshold", m.top_k ? nlohmann::json(m.top_k->threshold) : nlohmann::json(nullptr)},
          {"k", m.top_k ? m.top_k->k : 0}};
}

void put_classes(nlohmann::json& j, const ClassResults& r) {
  if (r.acceptor) j["acceptor"] = class_json(*r.acceptor);
  if (r.donor) j["donor"] = class_json(*r.donor);
  j["mean_auprc"] = optional_json(r.mean_auprc());
}

std::string value_text(const std::optional<double>& v) { return v ? fmt::format("{:.6f}", *v) : "NA"; }

void tsv_rows(std::string& out, const char* set, const ClassResults& r) {
  for (auto [m, name] : {std::pair{&r.acceptor, "acceptor"}, std::pair{&r.donor, "donor"}}) {
    if (!*m) continue;
    const SiteMetrics& s = **m;
    out += fmt::format("{}\t{}\t{}\t{}\t{:.6g}\t{}\t{}\t{}\t{}\n", set, name, s.positions, s.positives, s.prevalence,
                       value_text(s.auprc), value_text(s.auroc),
                       value_text(s.top_k ? std::optional<double>(s.top_k->accuracy) : std::nullopt),
                       s.top_k ? fmt::format("{:.6g}", s.top_k->threshold) : "NA");
  }
}

void log_results(const char* set, const ClassResults& r) {
  std::vector<std::string> parts;
  for (auto [m, name] : {std::pair{&r.acceptor, "acceptor"}, std::pair{&r.donor, "donor"}}) {
    if (!*m) continue;
    parts.push_back(fmt::format("{} AUPRC {} (prevalence {:.2g}), top-k {}", name, value_text((*m)->auprc),
                                (*m)->prevalence,
                                value_text((*m)->top_k ? std::optional<double>((*m)->top_k->accuracy) : std::nullopt)));
  }
  log::info("{}: {}", set, join(parts, "; "));
}

TaskMetrics task_metrics(const std::string& name, const SiteMetrics& m) {
  TaskMetrics t;
  t.name = name;
  t.samples = m.positions;
  t.positives = m.positives;
  t.prevalence = m.prevalence;
  t.auprc = m.auprc;
  t.auroc = m.auroc;
  t.top_k = m.top_k;
  return t;
}

}  // namespace

EvaluateSummary run_splice_evaluate(const EvaluateOptions& o, SpliceScorer scorer) {
  check_options(o);
  if (scorer == nullptr) throw UsageError("--model: this build of seqdl cannot run models");
  AtomicFile out(o.output);  // a bad output path fails before any work
  auto start = Clock::now();
  data::SpliceOptions s = o.splice;
  s.genome = o.data.genome;
  const data::SpliceAnnotation annotation = data::load_splice_annotation(s);
  const std::vector<std::string> chroms = chosen_chroms(o, annotation);
  EvaluateSummary summary;
  summary.seconds_reading = seconds_since(start);

  ExactSiteScores genes;
  BinnedSiteScores whole;
  SpliceScoring run = scorer(o, {annotation, chroms, genes, o.whole_chromosomes ? &whole : nullptr});
  summary.seconds_scoring = run.seconds;

  start = Clock::now();
  const ClassResults gene_results = results(genes, "genes");
  std::optional<ClassResults> whole_results;
  if (o.whole_chromosomes) whole_results = results(whole, "whole chromosomes");
  summary.seconds_metrics = seconds_since(start);
  log_results(fmt::format("genes on {} ({} spans, {} bases)", join(chroms, ", "), with_commas(run.spans),
                          with_commas(run.gene_bases)).c_str(), gene_results);
  if (whole_results) {
    log_results(fmt::format("whole chromosomes, both strands ({} bases)", with_commas(run.chromosome_bases)).c_str(),
                *whole_results);
  }

  start = Clock::now();
  if (o.json) {
    nlohmann::json j;
    put_classes(j, gene_results);
    if (whole_results) {
      nlohmann::json w;
      put_classes(w, *whole_results);
      w["score_resolution"] = fmt::format("float32 scores with the lowest {} bits cleared (relative step 2^-14)",
                                          BinnedSiteScores::kDroppedBits);
      j["whole_chromosomes"] = w;
    }
    j["inputs"] = {{"model", o.model},       {"model_description", run.model_description},
                   {"genome", o.data.genome}, {"annotation", o.splice.annotation},
                   {"chroms", chroms},       {"spans", run.spans},
                   {"gene_bases", run.gene_bases}, {"whole_chromosomes", o.whole_chromosomes},
                   {"chromosome_bases", run.chromosome_bases}};
    j["provenance"] = run_provenance().to_json();
    out.write(j.dump(2));
    out.write("\n");
  } else {
    std::string text = "set\tclass\tpositions\tpositives\tprevalence\tauprc\tauroc\ttopk_accuracy\ttopk_threshold\n";
    tsv_rows(text, "genes", gene_results);
    if (whole_results) tsv_rows(text, "whole_chromosomes", *whole_results);
    out.write(text);
  }
  out.commit();
  summary.seconds_writing = seconds_since(start);

  Evaluation& ev = summary.evaluation;
  ev.type = data::TaskType::multilabel;
  ev.probabilities = true;
  uint64_t positives = 0, pairs = 0;
  for (auto [m, name] : {std::pair{&gene_results.acceptor, "acceptor"}, std::pair{&gene_results.donor, "donor"}}) {
    if (!*m) continue;
    ev.tasks.push_back(task_metrics(name, **m));
    positives += (*m)->positives;
    pairs += (*m)->positions;
  }
  ev.overall.samples = genes.positions();
  ev.overall.pairs = pairs;
  ev.overall.positives = positives;
  ev.overall.prevalence = pairs > 0 ? static_cast<double>(positives) / static_cast<double>(pairs) : 0.0;
  ev.overall.auprc_macro = gene_results.mean_auprc();
  summary.samples = genes.positions();
  return summary;
}

}  // namespace seqdl::evaluate
