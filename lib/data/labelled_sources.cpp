#include "data/labelled_sources.hpp"

#include <filesystem>

#include "data/gc_matched.hpp"
#include "data/genome_regions.hpp"
#include "encode/bases.hpp"
#include "encode/shuffle.hpp"
#include "io/bed.hpp"
#include "io/indexed_fasta.hpp"
#include "io/label_table.hpp"
#include "io/line_reader.hpp"
#include "io/sequence_reader.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

// Fits a sequence to the set's length and counts what had to change.
std::string fitted(std::string_view seq, int64_t length, LoadedSet& out) {
  auto n = static_cast<int64_t>(seq.size());
  out.cropped += n > length;
  out.padded += n < length;
  return n == length ? std::string(seq) : encode::fit_length(seq, static_cast<size_t>(length));
}

void check_target(float v, const std::string& where) {
  if (!(v >= 0.0f && v <= 1.0f)) throw FormatError("{}: label {} is outside [0, 1]", where, v);
}

SourceRecord source(std::string role, const std::string& path, uint64_t records) {
  return {std::move(role), path, records, io::file_digest(path)};
}

void load_classes(const LabelledSpec& spec, LoadedSet& out) {
  std::vector<std::pair<std::string, std::string>> classes;
  for (const auto& c : spec.classes) {
    size_t eq = c.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == c.size()) {
      throw UsageError("--class: expected NAME=FILE, found '{}'", c);
    }
    classes.emplace_back(c.substr(0, eq), c.substr(eq + 1));
  }
  for (size_t i = 0; i < classes.size(); ++i) {
    for (size_t j = 0; j < i; ++j) {
      if (classes[i].first == classes[j].first) throw UsageError("--class: '{}' is named twice", classes[i].first);
    }
  }
  LabelledSet& set = out.set;
  bool binary = classes.size() <= 2;
  set.type = binary ? TaskType::binary : TaskType::multiclass;
  if (binary) {
    set.task_names = {classes.back().first};
  } else {
    for (const auto& [name, path] : classes) set.task_names.push_back(name);
  }
  for (size_t k = 0; k < classes.size(); ++k) {
    const auto& [name, path] = classes[k];
    io::SequenceReader reader(path);
    io::SequenceRecord rec;
    uint64_t n = 0;
    // Binary: the first class is the negative one (label 0) unless it is the only class.
    float label = (classes.size() == 1 || k == 1) ? 1.0f : 0.0f;
    while (reader.next(rec)) {
      set.add(rec.name, fitted(rec.seq, set.length, out), &label, static_cast<int32_t>(k), chrom_of_id(rec.name));
      ++n;
    }
    if (n == 0) throw InputError("--class {}={}: the file has no sequences", name, path);
    out.sources.push_back(source("class " + name, path, n));
  }
}

void load_table(const LabelledSpec& spec, LoadedSet& out) {
  io::LabelTable t = io::read_label_table(
      {spec.table, spec.sequence_column, spec.label_columns, spec.class_column, spec.id_column});
  LabelledSet& set = out.set;
  if (!spec.class_column.empty()) {
    set.type = TaskType::multiclass;
    set.task_names = t.class_names;
    if (t.class_names.size() < 2) throw InputError("{}: column '{}' holds only one class", spec.table, spec.class_column);
    if (t.class_names.size() == 2) {  // two classes are a binary task, the first seen being negative
      set.type = TaskType::binary;
      set.task_names = {t.class_names[1]};
    }
  } else {
    set.type = t.tasks.size() == 1 ? TaskType::binary : TaskType::multilabel;
    set.task_names = t.tasks;
  }
  size_t tasks = t.tasks.size();
  for (size_t i = 0; i < t.sequences.size(); ++i) {
    const float* target = nullptr;
    float cls_label = 0;
    if (set.type == TaskType::binary && !spec.class_column.empty()) {
      cls_label = static_cast<float>(t.classes[i]);
      target = &cls_label;
    } else if (set.type != TaskType::multiclass) {
      target = &t.labels[i * tasks];
      for (size_t k = 0; k < tasks; ++k) check_target(target[k], fmt::format("{}: row {}", spec.table, i + 1));
    }
    set.add(t.ids[i], fitted(t.sequences[i], set.length, out), target, t.classes.empty() ? 0 : t.classes[i],
            chrom_of_id(t.ids[i]));
  }
  out.sources.push_back(source("table", spec.table, t.sequences.size()));
}

// BED with numeric label columns after chrom/start/end (after a name column if the fourth is not numeric);
// task names from a '#' header line when there is one.
void load_intervals(const LabelledSpec& spec, const io::IndexedFasta& genome, LoadedSet& out) {
  std::vector<std::string> header;
  {
    io::LineReader lines(spec.intervals);
    std::string_view first;
    if (lines.next(first) && first.starts_with("#")) {
      first.remove_prefix(1);
      for (auto f : split(first, '\t')) header.emplace_back(trim(f));
    }
  }
  io::BedReader bed(spec.intervals, false);
  io::BedRecord rec;
  LabelledSet& set = out.set;
  size_t first_label = 0, tasks = 0;
  uint64_t n = 0;
  std::vector<float> labels;
  while (bed.next(rec)) {
    std::string where = fmt::format("{}:{}", spec.intervals, rec.line);
    if (n == 0) {
      if (rec.extra.empty()) throw FormatError("{}: no label columns after chrom, start, end", where);
      try {
        parse_double(rec.extra[0], where);
      } catch (const FormatError&) {
        first_label = 1;  // a name column
      }
      tasks = rec.extra.size() - first_label;
      if (tasks == 0) throw FormatError("{}: no label columns after the name column", where);
      for (size_t k = 0; k < tasks; ++k) {
        size_t col = 3 + first_label + k;
        set.task_names.push_back(col < header.size() ? header[col] : fmt::format("label{}", k + 1));
      }
      set.type = tasks == 1 ? TaskType::binary : TaskType::multilabel;
    }
    if (rec.extra.size() - first_label != tasks) {
      throw FormatError("{}: {} label columns, but the first line has {}", where, rec.extra.size() - first_label, tasks);
    }
    labels.clear();
    for (size_t k = 0; k < tasks; ++k) {
      labels.push_back(static_cast<float>(parse_double(rec.extra[first_label + k], where + ": label")));
      check_target(labels.back(), where);
    }
    genome.resolve(rec.region, where);  // the interval itself must lie on its chromosome
    io::Region w = centred_window(rec.region.chrom, rec.centre(), set.length);
    std::string id = first_label ? rec.extra[0] : rec.region.to_string();
    set.add(id, genome.fetch_padded(w.chrom, w.start, w.end), labels.data(), 0, rec.region.chrom);
    ++n;
  }
  if (n == 0) throw InputError("{}: no intervals", spec.intervals);
  out.sources.push_back(source("intervals", spec.intervals, n));
}

void load_positives(const LabelledSpec& spec, const io::IndexedFasta& genome, LoadedSet& out) {
  LabelledSet& set = out.set;
  set.type = TaskType::binary;
  set.task_names = {std::filesystem::path(spec.positives).stem().string()};
  std::vector<io::Region> peaks, windows;
  io::BedReader bed(spec.positives);
  io::BedRecord rec;
  float one = 1.0f, zero = 0.0f;
  while (bed.next(rec)) {
    std::string where = fmt::format("{}:{}", spec.positives, rec.line);
    genome.resolve(rec.region, where);
    io::Region w = centred_window(rec.region.chrom, rec.centre(), set.length);
    set.add(rec.region.name.empty() ? rec.region.to_string() : rec.region.name,
            genome.fetch_padded(w.chrom, w.start, w.end), &one, 0, w.chrom);
    peaks.push_back(rec.region);
    windows.push_back(w);
  }
  if (peaks.empty()) throw InputError("{}: no intervals", spec.positives);
  out.sources.push_back(source("positives", spec.positives, peaks.size()));
  if (spec.negatives == Negatives::gc_matched) {
    std::vector<io::Region> exclude = peaks;
    exclude.insert(exclude.end(), windows.begin(), windows.end());
    Rng rng(spec.seed, 11);
    GcMatchResult neg = gc_matched_negatives(genome, windows, exclude,
                                             {.window = set.length, .ratio = spec.negative_ratio}, rng);
    for (const auto& r : neg.negatives) set.add(r.to_string(), genome.fetch(r.chrom, r.start, r.end), &zero, 0, r.chrom);
    out.genomic_negatives = neg.negatives.size();
    out.unmatched_gc = neg.from_neighbouring_bins;
  }
}

void add_shuffled_negatives(const LabelledSpec& spec, LoadedSet& out) {
  LabelledSet& set = out.set;
  if (set.type != TaskType::binary) {
    throw UsageError("--negatives shuffle makes negatives for one binary task; this set is {}",
                     task_type_name(set.type));
  }
  size_t n = set.size(), existing = 0;
  for (float t : set.targets) existing += t < 0.5f;
  if (existing > 0) {
    log::warn("--negatives shuffle: the data already holds {} negatives; adding no shuffled ones", with_commas(existing));
    return;
  }
  Rng rng(spec.seed, 12);
  float zero = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    std::string seq(set.sequence(i));
    set.add(set.ids[i] + "_shuffled", encode::dinucleotide_shuffle(seq, rng), &zero, 0, set.chroms[i]);
  }
  out.shuffled_negatives = n;
}

}  // namespace

bool has_labelled_input(const LabelledSpec& spec) {
  return !spec.classes.empty() || !spec.table.empty() || !spec.intervals.empty() || !spec.positives.empty();
}

LoadedSet load_labelled(const LabelledSpec& spec) {
  int kinds = !spec.classes.empty() + !spec.table.empty() + !spec.intervals.empty() + !spec.positives.empty();
  if (kinds == 0) throw UsageError("no labelled data: give --class NAME=FILE, --table, or --genome with --intervals/--positives");
  if (kinds > 1) throw UsageError("give one kind of labelled data: --class, --table, --intervals or --positives");
  if (spec.length < 1) throw UsageError("--length must be positive");
  bool genomic = !spec.intervals.empty() || !spec.positives.empty();
  if (genomic && spec.genome.empty()) throw UsageError("--intervals and --positives need --genome");
  if (!genomic && !spec.genome.empty()) throw UsageError("--genome is for --intervals or --positives");
  if (spec.negatives == Negatives::gc_matched && spec.positives.empty()) {
    throw UsageError("--negatives gc-matched draws from a genome: use it with --genome and --positives");
  }
  if (!spec.positives.empty() && !spec.negatives) {
    throw UsageError("--positives needs --negatives gc-matched or shuffle");
  }
  if (!(spec.negative_ratio > 0)) throw UsageError("--negative-ratio must be positive");

  LoadedSet out;
  out.set.length = spec.length;
  if (!spec.classes.empty()) {
    load_classes(spec, out);
  } else if (!spec.table.empty()) {
    load_table(spec, out);
  } else {
    io::IndexedFasta genome(spec.genome);
    out.sources.push_back(source("genome", spec.genome, genome.contigs().size()));
    if (!spec.intervals.empty()) load_intervals(spec, genome, out);
    if (!spec.positives.empty()) load_positives(spec, genome, out);
  }
  if (spec.negatives == Negatives::shuffle) add_shuffled_negatives(spec, out);
  if (out.set.type == TaskType::binary) {
    auto pos = out.set.positives()[0];
    if (pos == 0 || pos == static_cast<int64_t>(out.set.size())) {
      throw InputError("the labelled data holds only {}: a binary task needs both (add --negatives shuffle for "
                       "positives-only data)", pos == 0 ? "negatives" : "positives");
    }
  }
  return out;
}

}  // namespace seqdl::data
