#include "interpret/ism.hpp"

#include <chrono>

#include "data/encode_npy.hpp"
#include "interpret/local_recompute.hpp"
#include "interpret/sequence_batches.hpp"
#include "interpret/target.hpp"
#include "io/npy.hpp"
#include "nn/model.hpp"
#include "report/sequence_plots.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/text.hpp"

namespace seqdl::interpret {
namespace {

constexpr const char* kBases = "ACGT";

}  // namespace

IsmSummary run_ism(const IsmOptions& o) {
  auto begin = std::chrono::steady_clock::now();
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  auto model = nn::open_model(o.model, o.overrides);
  const int64_t L = model->info().input_length;
  int64_t start = o.start, end = o.end == 0 ? L : o.end;
  if (start < 0 || end > L || start >= end) {
    throw UsageError("--start/--end: positions {}-{} are outside the model's {}-bp window", start + 1, end, L);
  }
  Target target(model->info(), o.target);
  encode::OneHotTable table(model->info().unknown);

  IsmSummary summary;
  std::unique_ptr<MutantScorer> scorer;
  std::string why_not = LocalRecompute::why_not(*model);
  if (o.method == IsmMethod::fast && !why_not.empty()) throw ModelError("--method fast is not possible: {}", why_not);
  if (o.method != IsmMethod::naive && why_not.empty()) {
    scorer = std::make_unique<LocalScorer>(*model, target, o.batch, table);
    summary.fast = true;
    summary.method = "fast (local recomputation)";
  } else {
    scorer = std::make_unique<NaiveScorer>(*model, target, o.batch, table);
    summary.method = o.method == IsmMethod::naive ? "naive (asked for)" : "naive (" + why_not + ")";
  }

  SequenceBatches sequences(o.sequences, L, 1);
  io::NpyWriter npy(o.output, io::NpyType::float32, {4, L});
  AtomicFile ids(o.ids_output.empty() ? data::default_ids_path(o.output) : o.ids_output);
  std::unique_ptr<AtomicFile> tsv, per_position;
  if (!o.tsv_output.empty()) {
    tsv = std::make_unique<AtomicFile>(o.tsv_output);
    tsv->write("id\tposition\tref\talt\tdelta\n");
  }
  if (!o.summary_output.empty()) {
    per_position = std::make_unique<AtomicFile>(o.summary_output);
    per_position->write("id\tposition\tref\tmax_abs_delta\tmin_delta\tmax_delta\n");
  }
  std::unique_ptr<AtomicDir> plots;
  if (!o.plot_dir.empty()) plots = std::make_unique<AtomicDir>(o.plot_dir);

  Progress progress("ism", 0, "seqs");
  std::vector<float> deltas(static_cast<size_t>(4 * L));
  SequenceBatch batch;
  while (sequences.next(batch)) {
    if (summary.sequences == 0) {  // logged once there is work, so that bad input gets its one-line error alone
      log::info("ISM of the {} over positions {}-{}: {}", target.description(), start + 1, end, summary.method);
    }
    const std::string& id = batch.ids[0];
    std::string_view seq = batch.codes;
    auto mutants = mutants_of(seq, start, end);
    auto [reference, scores] = scorer->score(seq, mutants);
    scatter_deltas(mutants, scores.data(), reference, deltas.data(), L);
    npy.write_rows(deltas.data(), 1);
    ids.print("{}\n", id);
    if (tsv) {
      for (size_t m = 0; m < mutants.size(); ++m) {
        tsv->print("{}\t{}\t{}\t{}\t{:.6g}\n", id, mutants[m].position + 1, seq[static_cast<size_t>(mutants[m].position)],
                   kBases[mutants[m].base], scores[m] - reference);
      }
    }
    if (per_position) {
      for (int64_t p = start; p < end; ++p) {
        float lo = 0, hi = 0;
        for (int c = 0; c < 4; ++c) {
          lo = std::min(lo, deltas[static_cast<size_t>(c * L + p)]);
          hi = std::max(hi, deltas[static_cast<size_t>(c * L + p)]);
        }
        per_position->print("{}\t{}\t{}\t{:.6g}\t{:.6g}\t{:.6g}\n", id, p + 1, seq[static_cast<size_t>(p)],
                            std::max(-lo, hi), lo, hi);
      }
    }
    if (plots && static_cast<int64_t>(summary.sequences) < o.plot_max) {
      AtomicFile svg(plots->path(safe_file_name(id) + ".svg"));
      svg.write(report::ism_heatmap(id + ": ISM of the " + target.description(), deltas.data(), L, seq));
      svg.commit();
    }
    ++summary.sequences;
    progress.add();
  }
  progress.finish();
  if (summary.sequences == 0) {
    throw InputError("no sequence to mutate: {}, shorter than the model's {}-bp window",
                     sequences.counts().first_skipped, L);
  }
  summary.input = sequences.counts();
  npy.finish();
  ids.commit();
  if (tsv) tsv->commit();
  if (per_position) per_position->commit();
  if (plots) plots->commit();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return summary;
}

}  // namespace seqdl::interpret
