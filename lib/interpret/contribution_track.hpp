// A genome track of per-base contributions (chrombpnet's importance tracks): the observed base's contribution
// of every explained window placed at its genome position, averaged where windows overlap, written as bigWig or
// bedGraph (from the output's name) once all windows are in. Windows arrive in any order; their values wait in a
// temporary file (4 bytes per base), so memory holds only one record per window.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "interpret/sequence_batches.hpp"
#include "io/indexed_fasta.hpp"

namespace seqdl::interpret {

// One thread; owns its temporary file.
class ContributionTrack {
 public:
  // UsageError unless the output is .bw/.bigWig or .bedGraph/.bdg.
  ContributionTrack(std::string output, std::vector<io::Contig> contigs);
  ~ContributionTrack();
  ContributionTrack(const ContributionTrack&) = delete;
  ContributionTrack& operator=(const ContributionTrack&) = delete;

  // values: [batch.size(), length] row-major, in window orientation (reversed for '-' windows).
  void add(const SequenceBatch& batch, const float* values, int64_t length);
  // Writes the track atomically; returns its path.
  std::string finish();

 private:
  struct Window {
    size_t contig = 0;
    int64_t start = 0, length = 0;
    bool reverse = false;
    long offset = 0;  // in the temporary file
  };
  std::vector<float> read(const Window& w) const;
  std::string output_;
  std::vector<io::Contig> contigs_;
  std::vector<Window> windows_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> values_;
};

// The sequence source of windows of `length` bases centred on each region (summits for narrowPeak) of an indexed
// genome, shard "K/N" (or "") of them; fills `contigs` with the genome's contigs.
data::SourceSpec genome_windows(const std::string& genome, const std::vector<std::string>& regions, int64_t length,
                                const std::string& shard, std::vector<io::Contig>& contigs);

}  // namespace seqdl::interpret
