// Labelled sets from every source `seqdl train` and `seqdl evaluate` accept:
//   per-class sequence files   --class neg=neg.fa --class pos=pos.fa   (2 classes: binary, the first negative;
//                                                                       3+: multi-class)
//   label tables               --table t.tsv --sequence-column seq --label-columns A,B   (or --class-column)
//   genomic intervals          --genome g.fa --intervals labels.bed   (label columns after chrom/start/end)
//                              --genome g.fa --positives peaks.narrowPeak --negatives gc-matched
// plus negatives made from the positives (--negatives shuffle: dinucleotide-shuffled copies). Every sequence
// is centre-cropped or N-padded to `length`; genomic windows are cut around the summit or centre instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "data/labelled_set.hpp"
#include "io/checksum.hpp"
#include "util/choices.hpp"

namespace seqdl::data {

// Negatives made from the positives: dinucleotide-shuffled copies, or genomic windows with their GC content.
enum class Negatives { shuffle, gc_matched };
inline constexpr Choices<Negatives, 2> kNegativesChoices{
    {{"shuffle", Negatives::shuffle}, {"gc-matched", Negatives::gc_matched}}};

struct LabelledSpec {
  std::vector<std::string> classes;  // "NAME=FILE"
  std::string table, sequence_column, id_column, class_column;
  std::vector<std::string> label_columns;
  std::string genome, intervals, positives;
  std::optional<Negatives> negatives;  // none unless given
  double negative_ratio = 1.0;
  int64_t length = 0;
  uint64_t seed = 0;
};

struct SourceRecord {
  std::string role;  // "class neg", "table", "positives", ...
  std::string path;
  uint64_t records = 0;
  io::FileDigest digest;
};

struct LoadedSet {
  LabelledSet set;
  std::vector<SourceRecord> sources;
  uint64_t cropped = 0, padded = 0;  // sequences longer / shorter than the length
  uint64_t shuffled_negatives = 0, genomic_negatives = 0;
  uint64_t unmatched_gc = 0;         // gc-matched negatives that had to come from a neighbouring GC bin
};

// Reads the labelled set a spec describes. UsageError for contradictory options, InputError/FormatError
// naming the file and line for bad input (an empty class file, a label outside [0, 1], label columns that
// differ between lines, an interval off its chromosome...).
LoadedSet load_labelled(const LabelledSpec& spec);

// True if the spec names any labelled data at all.
bool has_labelled_input(const LabelledSpec& spec);

}  // namespace seqdl::data
