#include "predict/strand_tracks.hpp"

#include "util/error.hpp"

namespace seqdl::predict {

bool strand_specific(const nn::ModelInfo& info) {
  const nlohmann::json& m = info.metadata;
  if (!m.is_object()) return false;
  if (m.contains("strand_specific") && m["strand_specific"].is_boolean()) return m["strand_specific"].get<bool>();
  if (m.contains("data") && m["data"].is_object() && m["data"].contains("strand_specific") &&
      m["data"]["strand_specific"].is_boolean()) {
    return m["data"]["strand_specific"].get<bool>();
  }
  return false;
}

bool use_strand_tracks(const nn::ModelInfo& info, const PredictOptions& o) {
  switch (o.strand_tracks) {
    case StrandTracks::none: return false;
    case StrandTracks::automatic: return info.per_position() && o.strands == Strands::none && strand_specific(info);
    case StrandTracks::both: break;
  }
  if (!info.per_position()) {
    throw UsageError("--strand-tracks both is for per-position models; {} gives one output per window (use --rc)",
                     o.model);
  }
  if (o.strands != Strands::none) {
    throw UsageError("--rc combines the two strands and --strand-tracks both writes each: choose one");
  }
  return true;
}

std::vector<std::string> strand_track_names(const std::vector<std::string>& tasks) {
  std::vector<std::string> names;
  for (const auto& t : tasks) {
    names.push_back(t + ".plus");
    names.push_back(t + ".minus");
  }
  return names;
}

std::vector<char> strand_track_strands(size_t tasks) {
  std::vector<char> strands;
  for (size_t t = 0; t < tasks; ++t) {
    strands.push_back('+');
    strands.push_back('-');
  }
  return strands;
}

MinusStrand::MinusStrand(nn::Model& model, const encode::OneHotTable& table, int64_t batch, bool logits,
                         bool allow_shared)
    : scanner_(model, table, batch, -1, logits, allow_shared) {}

void MinusStrand::run(const io::IndexedFasta& genome, const std::string& chrom, int64_t begin, int64_t end) {
  const int64_t length = genome.length(chrom);
  // Minus-strand bases [length - end, length - begin) are genomic end - 1 down to begin: flipped, genome order.
  outputs_ = scanner_.scan(genome, chrom, '-', length - end, length - begin).flip({1}).contiguous();
  begin_ = begin;
}

void MinusStrand::interleave(const infer::OutputSelection& selection, int64_t position, float* values) const {
  const int64_t n = outputs_.size(1), at = position - begin_;
  const float* v = outputs_.data_ptr<float>();
  for (size_t k = selection.size(); k-- > 0;) {
    values[2 * k] = values[k];
    values[2 * k + 1] = v[selection.indices()[k] * n + at];
  }
}

}  // namespace seqdl::predict
