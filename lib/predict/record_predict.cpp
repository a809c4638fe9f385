#include "predict/record_predict.hpp"

#include <chrono>

#include "data/genome_regions.hpp"
#include "encode/bases.hpp"
#include "io/indexed_fasta.hpp"
#include "infer/outputs.hpp"
#include "infer/window_runner.hpp"
#include "io/npy.hpp"
#include "predict/windows.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/progress.hpp"

namespace seqdl::predict {
namespace {

struct Record {
  std::string id;
  std::string chrom;  // intervals only
  int64_t start = 0, end = 0;
  char strand = '.';
  bool padded = false;
};

// Intervals of a genome, or the sequence stream, as records with their window's bases.
class RecordSource {
 public:
  RecordSource(const PredictOptions& o, int64_t window) : window_(window) {
    if (!o.intervals.empty()) {
      genome_ = std::make_unique<io::IndexedFasta>(o.genome);
      regions_ = data::read_regions(*genome_, {o.intervals}, window);
    } else {
      stream_ = data::open_sequences(o.sequences);
    }
  }
  bool intervals() const { return genome_ != nullptr; }
  bool next(Record& rec, std::string& bases) {
    if (genome_) {
      if (next_ >= regions_.size()) return false;
      const auto& gi = regions_[next_++];
      rec = {gi.id, gi.source.chrom, gi.source.start, gi.source.end, gi.strand, gi.off_contig};  // the interval itself
      bases = genome_->fetch_padded(gi.region.chrom, gi.region.start, gi.region.end);
      return true;
    }
    data::NamedSequence s;
    if (!stream_->next(s)) return false;
    rec = {s.id, "", 0, 0, '.', false};
    bases = static_cast<int64_t>(s.seq.size()) == window_ ? std::move(s.seq)
                                                           : encode::fit_length(s.seq, static_cast<size_t>(window_));
    return true;
  }

 private:
  int64_t window_;
  std::unique_ptr<io::IndexedFasta> genome_;
  std::vector<data::GenomeInterval> regions_;
  size_t next_ = 0;
  std::unique_ptr<data::SequenceSource> stream_;
};

}  // namespace

PredictSummary predict_records(const PredictOptions& o, nn::Model& model) {
  auto start = std::chrono::steady_clock::now();
  const nn::ModelInfo& info = model.info();
  const int64_t W = info.input_length;
  OutputFormat format = format_for(o.output, o.format);
  RecordSource source(o, W);
  if (format == OutputFormat::bedgraph || format == OutputFormat::bigwig) {
    throw UsageError("bedGraph and bigWig are tracks along a genome: use --genome (without --intervals) for them");
  }
  if (format == OutputFormat::bed && !source.intervals()) {
    throw UsageError("BED output needs intervals (--genome with --intervals); use TSV for sequences and reads");
  }
  int shard_k = 1, shard_n = 1;
  if (!o.shard.empty()) std::tie(shard_k, shard_n) = parse_shard(o.shard);

  infer::OutputSelection tasks(info, o.tasks, "--task");
  encode::OneHotTable table(info.unknown);
  WindowGeometry g{W, W, info.per_position() ? info.output_positions() : 1, 0, false};
  infer::WindowRunner runner(model, g, o.strands, o.logits, o.batch, table, false);
  const int64_t positions = info.per_position() ? info.output_positions() : 1;

  std::unique_ptr<AtomicFile> text;
  std::unique_ptr<io::NpyWriter> npy;
  if (format == OutputFormat::npy) {
    std::vector<int64_t> shape{static_cast<int64_t>(tasks.size())};
    if (info.per_position()) shape.push_back(positions);
    npy = std::make_unique<io::NpyWriter>(o.output, io::NpyType::float32, shape);
  } else {
    text = std::make_unique<AtomicFile>(o.output);
    if (format == OutputFormat::tsv) {
      text->write(source.intervals() ? "id\tchrom\tstart\tend" : "id");
      if (info.per_position()) text->write("\tposition");
      for (const auto& t : tasks.names()) text->print("\t{}", t);
      text->write("\n");
    }
  }

  PredictSummary summary;
  summary.engine = runner.description();
  Progress progress("predict", 0, "records");
  std::vector<Record> batch;
  std::string codes, bases;
  std::vector<float> values(tasks.size() * static_cast<size_t>(positions));
  auto flush = [&] {
    if (batch.empty()) return;
    auto out = runner.run(codes, static_cast<int64_t>(batch.size())).contiguous();
    const float* v = out.data_ptr<float>();
    const int64_t per = out[0].numel();
    for (size_t i = 0; i < batch.size(); ++i) {
      const Record& r = batch[i];
      tasks.select_rows(v + static_cast<int64_t>(i) * per, positions, values.data());  // [tasks, positions]
      if (npy) {
        npy->write_rows(values.data(), 1);
      } else if (format == OutputFormat::bed) {
        text->print("{}\t{}\t{}\t{}\t{:.6g}\t{}\n", r.chrom, r.start, r.end, r.id, values[0], r.strand);
      } else {
        for (int64_t p = 0; p < positions; ++p) {
          text->write(r.id);
          if (source.intervals()) text->print("\t{}\t{}\t{}", r.chrom, r.start, r.end);
          if (info.per_position()) text->print("\t{}", p);
          for (size_t t = 0; t < tasks.size(); ++t) text->print("\t{:.6g}", values[t * static_cast<size_t>(positions) + static_cast<size_t>(p)]);
          text->write("\n");
        }
      }
      summary.padded += r.padded;
    }
    summary.predictions += batch.size();
    progress.add(batch.size());
    batch.clear();
    codes.clear();
  };
  Record rec;
  for (uint64_t index = 0; source.next(rec, bases); ++index) {
    if (shard_n > 1 && static_cast<int>(index % static_cast<uint64_t>(shard_n)) != shard_k - 1) continue;
    batch.push_back(rec);
    codes += bases;
    if (static_cast<int64_t>(batch.size()) == o.batch) flush();
  }
  flush();
  progress.finish();
  if (summary.predictions == 0 && shard_n == 1) throw InputError("nothing to predict: the input holds no records");
  if (npy) {
    npy->finish();
    summary.outputs = {npy->path()};
  } else {
    text->commit();
    summary.outputs = {text->target()};
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace seqdl::predict
