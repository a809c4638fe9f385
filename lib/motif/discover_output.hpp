// The output directory of `seqdl motifs discover` (written atomically: all files or none):
//   patterns.meme         each pattern's PPM (base frequencies of its aligned seqlets), MEME minimal format,
//                         nsites = its seqlet count; the name is the consensus
//   cwm.meme              each pattern's contribution-weight matrix in the same layout: mean contributions,
//                         NOT probabilities (as tfmodisco-lite exports CWMs; motif tools that check for
//                         probabilities will refuse it)
//   hypothetical_cwm.meme the mean hypothetical contributions, the same way
//   patterns.tsv          pattern metacluster seqlets forward reverse width consensus mean_similarity
//                         [best_match best_match_name best_similarity best_evalue]
//   seqlets.tsv           every seqlet called: row sequence start end strand metacluster pattern similarity
//                         score site_start site_end [chrom genome_start genome_end] (0-based half-open;
//                         strand '-' = the seqlet matches its pattern reverse-complemented; site = the
//                         pattern's extent on the seqlet; '.' where a seqlet has no pattern)
//   sites.bed             with --coords: each assigned seqlet's site in genome coordinates
//   matches.tsv           with --db: pattern rank target_id target_name orientation offset overlap similarity
//                         p_value e_value pattern_consensus target_consensus
//   report.html           self-contained: per pattern its CWM and PWM logos, counts and best matches
#pragma once

#include <string>

#include "motif/discover.hpp"
#include "util/atomic_file.hpp"

namespace seqdl::motif {

// Writes every file into `dir` and commits it (the directory appears whole, or not at all).
void write_discovery(const DiscoveryResult& result, const DiscoverOptions& options, AtomicDir& dir);

// The text of each file (for tests and for write_discovery).
std::string patterns_meme(const DiscoveryResult& result);
std::string matrices_meme(const DiscoveryResult& result, bool hypothetical);
std::string patterns_tsv(const DiscoveryResult& result);
std::string seqlets_tsv(const DiscoveryResult& result);
std::string sites_bed(const DiscoveryResult& result);
std::string matches_tsv(const DiscoveryResult& result);
std::string discovery_report(const DiscoveryResult& result, const DiscoverOptions& options);

// The seqlet thresholds for messages: "+4.03 / -4.503", a side that passes nothing as "none", and the clamp.
std::string thresholds_text(const SeqletCall& call);

// A seqlet's site: the part of its pattern that lies on it, in row coordinates (0-based half-open), and
// its strand. {start, start, '.'} for a seqlet without a pattern.
struct Site {
  int64_t start = 0, end = 0;
  char strand = '.';
};
Site seqlet_site(const SeqletResult& s, const DiscoveryResult& result);

// An interval of a row in genome coordinates (rows on '-' map reversed); false without coordinates.
bool to_genome(const RowCoordinate& row, int64_t length, int64_t start, int64_t end, char strand, int64_t& gstart,
               int64_t& gend, char& gstrand);

}  // namespace seqdl::motif
