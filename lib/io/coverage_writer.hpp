// Writes a CoverageStore as tracks: bedGraph (one line per run of equal non-zero value, contigs in the store's
// order) or bigWig (libBigWig, the store's contigs as its chromosome list). Both strands go to two files
// (NAME.plus.EXT and NAME.minus.EXT), a combined store to the output itself. Atomic: nothing is left under
// any output name if writing fails, and both strands' files appear together.
#pragma once

#include <string>
#include <vector>

#include "io/coverage_store.hpp"
#include "io/track_writer.hpp"

namespace seqdl::io {

// From the output name: .bw/.bigWig -> bigwig, .bedGraph/.bdg/.bg -> bedgraph ("-" is bedGraph on stdout).
// UsageError naming `what` otherwise.
TrackFormat track_format_from_name(const std::string& path, const std::string& what);

// "out.bw" + "plus" -> "out.plus.bw" (the strand goes before the extension).
std::string strand_path(const std::string& output, const std::string& strand);

// The files written, plus then minus (or the one combined file).
std::vector<std::string> write_coverage_tracks(const CoverageStore& store, const std::string& output);

// libBigWig's one-time global initialisation (safe to call from any thread, any number of times).
void init_bigwig();

}  // namespace seqdl::io
