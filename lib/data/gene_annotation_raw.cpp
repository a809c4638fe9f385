#include "data/gene_annotation_raw.hpp"

#include <fmt/format.h>

namespace seqdl::data {
namespace {

struct IssueInfo {
  std::string_view name, description;
  bool excludes;
};

constexpr std::array<IssueInfo, kAnnotationIssueKinds> kIssues = {{
    {"exon-without-transcript", "exons without a transcript (GFF3 Parent / GTF transcript_id): skipped", false},
    {"implied-parent", "transcripts or genes no line declares: built from their exons", false},
    {"duplicate-id", "transcripts under an ID declared twice: excluded", true},
    {"exon-off-transcript", "transcripts with an exon on another contig or strand: excluded", true},
    {"exon-outside-transcript", "transcripts with an exon outside the declared transcript: excluded", true},
    {"transcript-outside-gene", "transcripts outside their declared gene: excluded", true},
    {"overlapping-exons", "transcripts with overlapping or touching exons: excluded", true},
    {"no-strand", "transcripts without a strand (. or ?): excluded", true},
    {"gene-strand-conflict", "transcripts on another strand than their gene: excluded", true},
    {"missing-contig", "transcripts on a contig the genome lacks: excluded", true},
    {"outside-contig", "transcripts with an exon past the end of its contig: excluded", true},
}};

const IssueInfo& info(AnnotationIssue kind) { return kIssues[static_cast<size_t>(kind)]; }

void declare(std::unordered_map<std::string, detail::Declared>& map, const std::string& id,
             const io::GffRecord& r, std::string parent) {
  auto [it, inserted] = map.try_emplace(id);
  if (!inserted) {
    ++it->second.copies;
    return;
  }
  it->second = detail::Declared{r.type, r.seqid, r.strand, r.start, r.end, std::move(parent), r.line, 1};
}

detail::ExonRecord exon_of(const io::GffRecord& r, std::string transcript) {
  return detail::ExonRecord{std::move(transcript), r.seqid, r.strand, r.start, r.end, r.line};
}

// Feature types that are never a transcript or gene: their IDs (one per line in GENCODE, millions) are
// not kept.
bool is_leaf_type(std::string_view type) {
  for (std::string_view leaf : {"exon", "CDS", "five_prime_UTR", "three_prime_UTR", "UTR", "start_codon",
                                "stop_codon", "intron", "stop_codon_redefined_as_selenocysteine"}) {
    if (type == leaf) return true;
  }
  return false;
}

void add_gff3(const io::GffRecord& r, const std::string& path, detail::RawAnnotation& raw, AnnotationReport& report) {
  if (const std::string* id = r.attribute("ID"); id != nullptr && !id->empty() && !is_leaf_type(r.type)) {
    const std::string* parent = r.attribute("Parent");
    declare(raw.features, *id, r, parent != nullptr ? *parent : "");
  }
  if (r.type != "exon") return;
  ++report.exon_records;
  std::vector<std::string> parents = r.values("Parent");
  bool any = false;
  for (auto& p : parents) {
    if (p.empty()) continue;
    raw.exons.push_back(exon_of(r, std::move(p)));
    any = true;
  }
  if (!any) report.add(AnnotationIssue::exon_without_transcript, fmt::format("{}:{}: exon without Parent", path, r.line));
}

void add_gtf(const io::GffRecord& r, const std::string& path, detail::RawAnnotation& raw, AnnotationReport& report) {
  const std::string* transcript = r.attribute("transcript_id");
  const std::string* gene = r.attribute("gene_id");
  bool has_transcript = transcript != nullptr && !transcript->empty();
  bool has_gene = gene != nullptr && !gene->empty();
  if (r.type == "gene" && has_gene) {
    declare(raw.gtf_genes, *gene, r, "");
  } else if (r.type == "transcript" && has_transcript) {
    declare(raw.features, *transcript, r, has_gene ? *gene : "");
  } else if (r.type == "exon") {
    ++report.exon_records;
    if (!has_transcript) {
      report.add(AnnotationIssue::exon_without_transcript,
                 fmt::format("{}:{}: exon without transcript_id", path, r.line));
      return;
    }
    if (has_gene) {
      auto [it, inserted] = raw.gtf_gene_of.try_emplace(*transcript, *gene);
      if (!inserted && it->second != *gene) raw.gtf_two_genes.insert(*transcript);
    }
    raw.exons.push_back(exon_of(r, *transcript));
  }
}

}  // namespace

std::string_view issue_name(AnnotationIssue kind) { return info(kind).name; }
std::string_view issue_description(AnnotationIssue kind) { return info(kind).description; }
bool issue_excludes(AnnotationIssue kind) { return info(kind).excludes; }

void AnnotationReport::add(AnnotationIssue kind, std::string example) {
  IssueTally& t = issues[static_cast<size_t>(kind)];
  ++t.count;
  if (t.examples.size() < kExamples) t.examples.push_back(std::move(example));
}

int64_t Transcript::exon_length() const {
  int64_t n = 0;
  for (const Exon& e : exons) n += e.end - e.start;
  return n;
}

namespace detail {

RawAnnotation read_raw_annotation(const AnnotationOptions& options, AnnotationReport& report) {
  io::GffReader reader(options.path, options.format);
  RawAnnotation raw;
  io::GffRecord r;
  while (reader.next(r)) {
    ++report.records;
    if (reader.format() == io::GffFormat::gff3) {
      add_gff3(r, options.path, raw, report);
    } else {
      add_gtf(r, options.path, raw, report);
    }
  }
  raw.format = reader.format();
  report.format = raw.format;
  return raw;
}

}  // namespace detail
}  // namespace seqdl::data
