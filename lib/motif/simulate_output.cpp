// seqdl simulate's files: reading the inputs and writing the output directory atomically.

#include <cctype>
#include <cerrno>
#include <cstdio>

#include "io/sequence_reader.hpp"
#include "motif/motif_io.hpp"
#include "motif/simulate.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"

namespace seqdl::motif {
namespace {

// A file inside the temporary output directory; close() reports write errors (a full disk).
class PlainFile {
 public:
  explicit PlainFile(std::string path) : path_(std::move(path)), fp_(std::fopen(path_.c_str(), "wb")) {
    if (fp_ == nullptr) throw InputError("cannot write {}: {}", path_, errno_text(errno));
  }
  ~PlainFile() {
    if (fp_ != nullptr) std::fclose(fp_);
  }
  PlainFile(const PlainFile&) = delete;
  PlainFile& operator=(const PlainFile&) = delete;

  void write(std::string_view s) { std::fwrite(s.data(), 1, s.size(), fp_); }
  void close() {
    bool bad = std::ferror(fp_) != 0;
    bad = std::fclose(fp_) != 0 || bad;
    fp_ = nullptr;
    if (bad) throw InputError("cannot write {}: {}", path_, errno_text(errno));
  }

 private:
  std::string path_;
  std::FILE* fp_;
};

std::vector<std::string> read_backgrounds(const std::string& path) {
  std::vector<std::string> out;
  io::SequenceReader reader(path);
  io::SequenceRecord r;
  while (reader.next(r)) {
    for (char& c : r.seq) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out.push_back(std::move(r.seq));
  }
  if (out.empty()) throw FormatError("{}: no sequences for --background", path);
  return out;
}

void write_set(const SimulatedSet& set, const SimulateOptions& o, AtomicDir& dir) {
  PlainFile pos(dir.path("pos.fa")), neg(dir.path("neg.fa")), labels(dir.path("labels.tsv")), sites(dir.path("sites.bed"));
  std::string header = "id\tsequence\tlabel";
  if (o.multilabel) {
    for (const Motif& m : set.motifs) header += "\t" + m.id;
  }
  labels.write(header + "\n");
  std::string line;
  for (size_t i = 0; i < set.ids.size(); ++i) {
    line = ">" + set.ids[i] + "\n" + set.sequences[i] + "\n";
    (set.label[i] != 0 ? pos : neg).write(line);
    line = set.ids[i] + "\t" + set.sequences[i] + "\t" + (set.label[i] != 0 ? "1" : "0");
    if (o.multilabel) {
      for (uint8_t v : set.per_motif[i]) line += v != 0 ? "\t1" : "\t0";
    }
    labels.write(line + "\n");
  }
  for (const PlantedSite& s : set.sites) {
    const Motif& m = s.decoy ? set.decoys[s.motif] : set.motifs[s.motif];
    sites.write(fmt::format("{}\t{}\t{}\t{}\t0\t{}\n", set.ids[s.sequence], s.start,
                            s.start + static_cast<int64_t>(s.bases.size()), m.id, s.strand));
  }
  for (PlainFile* f : {&pos, &neg, &labels, &sites}) f->close();
  std::vector<Motif> truth = set.motifs;
  truth.insert(truth.end(), set.decoys.begin(), set.decoys.end());
  PlainFile motifs(dir.path("motifs.meme"));
  motifs.write(format_meme(truth));
  motifs.close();
}

}  // namespace

SimulateSummary simulate(const SimulateOptions& o) {
  if (o.output.empty() || o.output == "-") throw UsageError("-o/--output: give a directory to write into");
  check_simulate_options(o);
  MotifFile file = read_motifs(o.motifs);
  std::vector<Motif> decoys = select_motifs(file, o.decoy_ids, "--decoy");
  if (o.decoy_ids.empty()) decoys.clear();
  std::vector<Motif> motifs;
  if (o.motif_ids.empty()) {
    for (const Motif& m : file.motifs) {  // every motif that is not a decoy
      bool is_decoy = false;
      for (const Motif& d : decoys) is_decoy = is_decoy || d.id == m.id;
      if (!is_decoy) motifs.push_back(m);
    }
  } else {
    motifs = select_motifs(file, o.motif_ids, "--motif");
  }
  std::vector<std::string> backgrounds;
  if (!o.background.empty()) backgrounds = read_backgrounds(o.background);
  SimulatedSet set = simulate_set(motifs, decoys, backgrounds, o);

  AtomicDir dir(o.output);
  write_set(set, o, dir);
  dir.commit();
  SimulateSummary summary;
  for (uint8_t l : set.label) (l != 0 ? summary.positives : summary.negatives) += 1;
  for (const PlantedSite& s : set.sites) (s.decoy ? summary.decoy_sites : summary.sites) += 1;
  return summary;
}

}  // namespace seqdl::motif
