#include "io/track_writer.hpp"

#include <filesystem>
#include <unordered_map>

#include "io/bigwig_writer.hpp"
#include "io/coverage_writer.hpp"
#include "io/npy.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace {

std::string value_text(float v) { return fmt::format("{:.6g}", v); }

// "chrom<TAB>start<TAB>end", the start of every text track line, without fmt's parsing: tracks write a line per base.
void append_interval(std::string& line, const std::string& chrom, int64_t start, int64_t end) {
  line += chrom;
  line += '\t';
  append_int(line, start);
  line += '\t';
  append_int(line, end);
}

class TsvTrack : public TrackWriter {
 public:
  TsvTrack(const std::string& output, const std::vector<std::string>& tasks) : out_(output), tasks_(tasks.size()) {
    out_.write("chrom\tstart\tend");
    for (const auto& t : tasks) out_.print("\t{}", t);
    out_.write("\n");
  }
  void add(const std::string& chrom, int64_t start, int64_t end, const float* v) override {
    line_.clear();
    append_interval(line_, chrom, start, end);
    for (size_t t = 0; t < tasks_; ++t) {
      line_ += '\t';
      append_g6(line_, v[t]);
    }
    line_ += '\n';
    out_.write(line_);
  }
  void finish() override { out_.commit(); }
  std::vector<std::string> files() const override { return {out_.target()}; }

 private:
  AtomicFile out_;
  size_t tasks_;
  std::string line_;
};

class BedGraphTrack : public TrackWriter {
 public:
  BedGraphTrack(const std::string& output, const std::vector<std::string>& tasks) {
    for (const auto& t : tasks) outs_.push_back(std::make_unique<AtomicFile>(per_task_path(output, t, tasks.size())));
  }
  void add(const std::string& chrom, int64_t start, int64_t end, const float* v) override {
    for (size_t t = 0; t < outs_.size(); ++t) {
      line_.clear();
      append_interval(line_, chrom, start, end);
      line_ += '\t';
      append_g6(line_, v[t]);
      line_ += '\n';
      outs_[t]->write(line_);
    }
  }
  void finish() override {
    for (auto& o : outs_) o->commit();
  }
  std::vector<std::string> files() const override {
    std::vector<std::string> f;
    for (const auto& o : outs_) f.push_back(o->target());
    return f;
  }

 private:
  std::vector<std::unique_ptr<AtomicFile>> outs_;
  std::string line_;
};

// bigWig through io::BigWigWriter (whose batching keeps libBigWig off its unchecked write paths: a full disk is
// an error, not a corrupted heap): the header needs every chromosome size first; values come per chromosome.
class BigWigTrack : public TrackWriter {
 public:
  BigWigTrack(const std::string& output, const std::vector<std::string>& tasks, const std::vector<Contig>& contigs) {
    if (output == "-") throw UsageError("bigWig output needs a file name, not '-'");
    for (size_t i = 0; i < contigs.size(); ++i) contig_index_.emplace(contigs[i].name, i);
    for (const auto& t : tasks) {
      Track tr;
      tr.file = std::make_unique<AtomicFile>(per_task_path(output, t, tasks.size()), AtomicFile::Mode::path);
      tr.bw = std::make_unique<BigWigWriter>(tr.file->temp_path(), tr.file->target(), contigs);
      tracks_.push_back(std::move(tr));
    }
  }
  void add(const std::string& chrom, int64_t start, int64_t end, const float* v) override {
    if (chrom != chrom_) {
      const auto it = contig_index_.find(chrom);
      if (it == contig_index_.end()) throw InputError("bigWig {}: {} is not in the genome's contigs", files()[0], chrom);
      chrom_ = chrom;
      contig_ = it->second;
    }
    for (size_t i = 0; i < tracks_.size(); ++i) {
      tracks_[i].bw->add(contig_, static_cast<uint32_t>(start), static_cast<uint32_t>(end), v[i]);
    }
  }
  void finish() override {
    for (auto& t : tracks_) {
      t.bw->close();  // writes the index and zoom levels; throws when any write failed
      t.file->commit();
    }
  }
  std::vector<std::string> files() const override {
    std::vector<std::string> f;
    for (const auto& t : tracks_) f.push_back(t.file->target());
    return f;
  }

 private:
  struct Track {
    std::unique_ptr<AtomicFile> file;
    std::unique_ptr<BigWigWriter> bw;  // declared after the file: released before the temporary is removed
  };
  std::vector<Track> tracks_;
  std::unordered_map<std::string, size_t> contig_index_;
  std::string chrom_;
  size_t contig_ = 0;
};

// Calls: runs of adjacent bins at or above the threshold become one BED interval, scored by their peak.
class BedCallTrack : public TrackWriter {
 public:
  BedCallTrack(const std::string& output, const std::vector<std::string>& tasks, double threshold,
               const std::vector<char>& strands)
      : threshold_(threshold), names_(tasks), strands_(strands) {
    strands_.resize(tasks.size(), '.');
    for (const auto& t : tasks) outs_.push_back(std::make_unique<AtomicFile>(per_task_path(output, t, tasks.size())));
    open_.resize(tasks.size());
  }
  void add(const std::string& chrom, int64_t start, int64_t end, const float* v) override {
    for (size_t t = 0; t < outs_.size(); ++t) {
      Call& c = open_[t];
      bool above = v[t] >= threshold_;
      bool continues = c.active && c.chrom == chrom && c.end == start;
      if (c.active && (!above || !continues)) close(t);
      if (!above) continue;
      if (!c.active) c = {true, chrom, start, end, v[t], start};
      c.end = end;
      if (v[t] > c.peak) {
        c.peak = v[t];
        c.peak_at = start;
      }
    }
  }
  void finish() override {
    for (size_t t = 0; t < outs_.size(); ++t) {
      if (open_[t].active) close(t);
      outs_[t]->commit();
    }
  }
  std::vector<std::string> files() const override {
    std::vector<std::string> f;
    for (const auto& o : outs_) f.push_back(o->target());
    return f;
  }

 private:
  struct Call {
    bool active = false;
    std::string chrom;
    int64_t start = 0, end = 0;
    float peak = 0;
    int64_t peak_at = 0;
  };
  void close(size_t t) {
    Call& c = open_[t];
    // BED6 + the peak's position (like a narrowPeak summit offset) in column 7.
    outs_[t]->print("{}\t{}\t{}\t{}\t{}\t{}\t{}\n", c.chrom, c.start, c.end, names_[t], value_text(c.peak),
                    strands_[t], c.peak_at - c.start);
    c.active = false;
  }
  double threshold_;
  std::vector<std::string> names_;
  std::vector<char> strands_;
  std::vector<std::unique_ptr<AtomicFile>> outs_;
  std::vector<Call> open_;
};

class NpyTrack : public TrackWriter {
 public:
  NpyTrack(const std::string& output, size_t tasks)
      : npy_(output, NpyType::float32, {static_cast<int64_t>(tasks)}) {}
  void add(const std::string&, int64_t, int64_t, const float* v) override { npy_.write_rows(v, 1); }
  void finish() override { npy_.finish(); }
  std::vector<std::string> files() const override { return {npy_.path()}; }

 private:
  NpyWriter npy_;
};

}  // namespace

std::string per_task_path(const std::string& output, const std::string& task, size_t tasks) {
  if (tasks <= 1 || output == "-") return output;
  std::filesystem::path p(output);
  return (p.parent_path() / (p.stem().string() + "." + task + p.extension().string())).string();
}

TrackFormat track_format_for(const std::string& output) {
  std::string o = output;
  if (ends_with_ci(o, ".gz")) o = o.substr(0, o.size() - 3);
  if (ends_with_ci(o, ".bedgraph") || ends_with_ci(o, ".bdg") || ends_with_ci(o, ".bg")) return TrackFormat::bedgraph;
  if (ends_with_ci(o, ".bw") || ends_with_ci(o, ".bigwig")) return TrackFormat::bigwig;
  if (ends_with_ci(o, ".bed")) return TrackFormat::bed;
  if (ends_with_ci(o, ".npy")) return TrackFormat::npy;
  return TrackFormat::tsv;
}

std::unique_ptr<TrackWriter> open_track_writer(TrackFormat format, const std::string& output,
                                               const std::vector<std::string>& tasks, const std::vector<Contig>& contigs,
                                               double threshold, const std::vector<char>& strands) {
  if (output == "-" && tasks.size() > 1 && (format == TrackFormat::bedgraph || format == TrackFormat::bed)) {
    throw UsageError("{} holds one track and stdout one file: choose one task with --task (the model has {})",
                     format == TrackFormat::bed ? "BED" : "bedGraph", tasks.size());
  }
  switch (format) {
    case TrackFormat::tsv: return std::make_unique<TsvTrack>(output, tasks);
    case TrackFormat::bedgraph: return std::make_unique<BedGraphTrack>(output, tasks);
    case TrackFormat::bigwig: return std::make_unique<BigWigTrack>(output, tasks, contigs);
    case TrackFormat::bed: return std::make_unique<BedCallTrack>(output, tasks, threshold, strands);
    case TrackFormat::npy: return std::make_unique<NpyTrack>(output, tasks.size());
  }
  throw UsageError("unknown output format");
}

}  // namespace seqdl::io
