// Shuffles that keep a sequence's composition, for negative sets and attribution baselines.
#pragma once

#include <string>
#include <string_view>

#include "util/random.hpp"

namespace seqdl::encode {

// A uniformly random sequence with exactly the same dinucleotide counts, first and last base
// (Altschul & Erickson 1985: a random Eulerian walk through the graph whose vertices are the letters and
// whose edges are the sequence's dinucleotides). Letters are compared as bytes, so lowercase and N keep
// their own counts. Sequences shorter than 3 are returned unchanged.
std::string dinucleotide_shuffle(std::string_view seq, Rng& rng);

// A random permutation of the letters (mononucleotide counts kept).
std::string mononucleotide_shuffle(std::string_view seq, Rng& rng);

}  // namespace seqdl::encode
