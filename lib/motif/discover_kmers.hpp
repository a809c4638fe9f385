// The coarse similarity of `seqdl motifs discover`: contribution-weighted gapped k-mer embeddings.
//
// A gapped k-mer is `k` bases at positions p1 < ... < pk of a seqlet spanning at most `span` positions
// (pk - p1 < span); its weight is the sum of the contributions at those positions. Every gapped k-mer of a
// seqlet and of its reverse complement (positions whose base is unknown are skipped) is added into one
// vector, so that a seqlet and its reverse complement embed alike and similar seqlets are near whichever
// strand they were called on. The sparse vector (4^k x C(span - 1, k - 1) possible k-mers) is hashed into
// `dims` dimensions with a random sign per k-mer (feature hashing, which keeps inner products in
// expectation), then scaled to unit length: the coarse similarity of two seqlets is the dot product.
#pragma once

#include <vector>

#include "motif/discover_tracks.hpp"

namespace seqdl::motif {

struct KmerOptions {
  int k = 4;
  int span = 8;
  int dims = 128;
  int threads = 1;
};

// [tracks.count][dims] unit vectors (all 0 for a seqlet without a gapped k-mer).
std::vector<float> gapped_kmer_embedding(const SeqletTracks& tracks, const KmerOptions& options);

// The gap patterns: every choice of k - 1 positions after a first one within `span`, as offsets from the
// first (each starting with 0). C(span - 1, k - 1) of them.
std::vector<std::vector<int>> gap_patterns(int k, int span);

}  // namespace seqdl::motif
