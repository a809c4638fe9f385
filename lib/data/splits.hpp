// Train / validation / test splits: seeded random fractions, or whole chromosomes for genomic sets. A
// sequence that also occurs in an earlier split (train, then validation) is dropped from the later one, so
// that identical sequences never straddle splits; how many were dropped is reported. Sequences are compared
// case-insensitively; a sequence and its reverse complement count as different.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/labelled_set.hpp"

namespace seqdl::data {

struct SplitSpec {
  double valid_fraction = 0.1;
  double test_fraction = 0.0;
  std::vector<std::string> valid_chroms, test_chroms;  // instead of fractions
  uint64_t seed = 0;
};

struct Splits {
  LabelledSet train, valid, test;
  uint64_t dropped_duplicates = 0;
};

// Fractions: floor(n x test_fraction) examples drawn by the seed go to test, floor(n x valid_fraction) to
// validation, the rest to train. Chromosomes (either list non-empty; fractions and seed then unused): examples
// on a test chromosome go to test, on a valid one to validation, the rest to train. Examples keep the set's
// order within each split. UsageError for fractions outside [0, 1) or summing to 1 or more; for chromosome
// splits of examples without a chromosome, a named chromosome that no example lies on, or one named in both
// lists; and for an empty training split.
Splits make_splits(const LabelledSet& set, const SplitSpec& spec);

// Writes a split as a label table (id, sequence, then one column per task or a `class` column) that
// `seqdl train/evaluate/predict --table` read back. Atomic (util/atomic_file.hpp): InputError on a write error.
void write_split(const LabelledSet& set, const std::string& path);

// The label columns of a written split, for reading it back.
std::vector<std::string> split_label_columns(const LabelledSet& set);

}  // namespace seqdl::data
