#include "predict/predict.hpp"

#include "predict/genome_scan.hpp"
#include "predict/profile_scan.hpp"
#include "predict/record_predict.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::predict {

OutputFormat format_for(const std::string& output, std::optional<OutputFormat> format) {
  return format ? *format : io::track_format_for(output);
}

std::pair<int, int> parse_shard(const std::string& text) { return seqdl::parse_shard(text, "--shard"); }

PredictSummary run_predict(const PredictOptions& o) {
  bool genome_scan = !o.genome.empty() && o.intervals.empty();
  bool records = !o.intervals.empty() || !o.sequences.input.empty();
  if (genome_scan == records) {
    throw UsageError("predict on one input: --genome (a scan), --genome with --intervals, --sequences, or --bam");
  }
  if (!o.intervals.empty() && o.genome.empty()) throw UsageError("--intervals needs --genome");
  if (!o.regions.empty() && !genome_scan) throw UsageError("--regions selects parts of a --genome scan");
  if (o.strand_tracks == StrandTracks::both && !genome_scan) throw UsageError("--strand-tracks is for --genome scans");
  if (o.batch < 1) throw UsageError("--batch must be at least 1");
  if (o.output.empty()) throw UsageError("-o/--output: name the output (or - for stdout)");
  if (!o.shard.empty()) parse_shard(o.shard);  // a malformed --shard fails before the model loads

  auto model = nn::open_model(o.model, o.overrides);
  if (model->info().profile) {  // coverage models: per-base predicted counts along the genome
    if (!genome_scan) throw UsageError("{} is a profile model: predict over --genome (and --regions)", o.model);
    return scan_profile(o, *model);
  }
  PredictSummary s = genome_scan ? scan_genome(o, *model) : predict_records(o, *model);
  return s;
}

}  // namespace seqdl::predict
