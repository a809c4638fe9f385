// report.html of `seqdl motifs discover`: one self-contained page (inline SVG, no scripts).
#include <algorithm>

#include <fmt/format.h>

#include "motif/discover_output.hpp"
#include "report/html.hpp"
#include "report/sequence_plots.hpp"
#include "util/text.hpp"

namespace seqdl::motif {
namespace {

std::string number(double v, int decimals = 3) { return fmt::format("{:.{}f}", v, decimals); }

// Channel-major [4 * width] floats of a position-major matrix (what attribution_logo draws).
std::vector<float> channel_major(const std::vector<double>& m, int width) {
  std::vector<float> out(m.size());
  for (int q = 0; q < width; ++q) {
    for (int b = 0; b < 4; ++b) out[static_cast<size_t>(b * width + q)] = static_cast<float>(m[static_cast<size_t>(q * 4 + b)]);
  }
  return out;
}

std::vector<std::array<double, 4>> rows_of(const Motif& m) { return {m.rows.begin(), m.rows.end()}; }

void summary(report::HtmlPage& page, const DiscoveryResult& r, const DiscoverOptions& o) {
  size_t metacluster_total = r.positive + r.negative;
  page.tiles({
      {"sequences", with_commas(static_cast<uint64_t>(r.rows)), fmt::format("{} positions each", r.length)},
      {"seqlets", with_commas(r.seqlets.size()),
       fmt::format("{} positive, {} negative", with_commas(r.positive), with_commas(r.negative))},
      {"patterns", std::to_string(r.patterns.size()), "after merging, reassignment and filtering"},
      {"seqlets in patterns", with_commas(r.assigned()),
       metacluster_total ? fmt::format("{:.1f}% of those clustered", 100.0 * static_cast<double>(r.assigned()) /
                                                                         static_cast<double>(metacluster_total))
                         : ""},
  });
  const SeqletCall& c = r.call;
  page.paragraph(fmt::format(
      "Seqlets: windows of {} positions (with {} flanking positions each side) among {} scored; Laplace null scales "
      "{:.4g} (positive) and {:.4g} (negative); thresholds {} at a target FDR of {}; {} windows passed.",
      o.seqlets.window, o.seqlets.flank, with_commas(c.windows), c.null.positive_scale, c.null.negative_scale,
      thresholds_text(c), o.seqlets.target_fdr, with_commas(c.passing)));
  for (const std::string& note : r.notes) page.paragraph(note, "warning");
  if (r.seqlets.empty()) page.paragraph("No seqlet was called: the attributions hold no window above the null.", "warning");
  if (r.capped > 0) {
    page.paragraph(fmt::format("{} weaker seqlets were left out by --max-seqlets {}.", with_commas(r.capped), o.max_seqlets),
                   "note");
  }
}

void pattern_card(report::HtmlPage& page, const DiscoveredPattern& d, const DiscoveryResult& r,
                  const CompareSettings& compare) {
  const Pattern& p = d.pattern;
  size_t metacluster = d.negative ? r.negative : r.positive;
  Motif pwm = pattern_motif(p, d.id, "");
  page.open("card");
  page.heading(3, fmt::format("{}: {}", d.id, consensus(pwm)), d.id);
  page.paragraph(fmt::format("{} seqlets ({:.1f}% of the {} metacluster): {} as called, {} reverse-complemented; "
                             "width {}.", with_commas(p.members.size()),
                             metacluster ? 100.0 * static_cast<double>(p.members.size()) / static_cast<double>(metacluster) : 0.0,
                             d.negative ? "negative" : "positive", with_commas(d.forward), with_commas(d.reverse), p.width),
                 "note");
  std::vector<float> cwm = channel_major(p.cwm, p.width);
  std::vector<float> hyp = channel_major(p.hypothetical, p.width);
  std::string consensus_bases(static_cast<size_t>(p.width), 'N');
  page.open("figures");
  page.figure(report::attribution_logo("CWM", cwm.data(), p.width, consensus_bases, true), "contribution-weight matrix");
  page.figure(report::pwm_logo("PWM", rows_of(pwm)), "base frequencies of the seqlets (bits)");
  page.figure(report::attribution_logo("hypothetical CWM", hyp.data(), p.width, consensus_bases, true),
              "mean hypothetical contributions");
  page.close();
  if (!d.matches.empty()) {
    report::Table t;
    t.header = {"rank", "database motif", "name", "strand", "similarity", "p-value", "E-value", "consensus"};
    t.numeric = {true, false, false, false, true, true, true, false};
    page.open("figures");
    for (size_t k = 0; k < d.matches.size(); ++k) {
      const Match& m = d.matches[k];
      Motif target = m.alignment.reverse ? reverse_complement(r.database[m.target]) : r.database[m.target];
      t.rows.push_back({std::to_string(k + 1), target.id, target.name, m.alignment.reverse ? "-" : "+",
                        number(m.alignment.similarity), fmt::format("{:.3g}", m.pvalue), fmt::format("{:.3g}", m.evalue),
                        consensus(target)});
      page.figure(report::pwm_logo(fmt::format("{}. {}", k + 1, target.label()), rows_of(target)),
                  fmt::format("similarity {} (E = {:.3g})", number(m.alignment.similarity), m.evalue));
    }
    page.close();
    std::string_view similarity = choice_name(kColumnSimilarityChoices, compare.similarity);
    t.caption = compare.method == CompareMethod::tomtom
                    ? fmt::format("Best matches in the database (motifs compare, Tomtom's method: similarity is the "
                                  "mean column {} similarity at the best alignment; the p-value is that of the "
                                  "summed similarity when each column meets a random database column, corrected for "
                                  "the alignments tried; E = p x database size).", similarity)
                    : fmt::format("Best matches in the database (motifs compare --method mean-shuffle: mean column "
                                  "{} similarity at the best offset; E-value against column-shuffled database "
                                  "motifs).", similarity);
    page.table(t);
  }
  page.close();
}

}  // namespace

std::string discovery_report(const DiscoveryResult& r, const DiscoverOptions& o) {
  report::HtmlPage page("seqdl motifs discover");
  page.heading(1, "Motifs discovered from attributions");
  page.paragraph(fmt::format("{} and {}; TF-MoDISco-style seqlets, clustering and patterns.", o.inputs.onehot,
                             o.inputs.attributions), "subtitle");
  summary(page, r, o);
  page.heading(2, "Patterns");
  if (r.patterns.empty()) page.paragraph("No pattern was found.", "warning");
  if (!r.patterns.empty()) {
    report::Table t;
    t.header = {"pattern", "metacluster", "seqlets", "width", "consensus", "best match", "similarity", "E-value"};
    t.numeric = {false, false, true, true, false, false, true, true};
    for (const DiscoveredPattern& d : r.patterns) {
      std::vector<std::string> row = {d.id, d.negative ? "negative" : "positive", with_commas(d.pattern.members.size()),
                                      std::to_string(d.pattern.width), consensus(pattern_motif(d.pattern, d.id, ""))};
      if (d.matches.empty()) {
        row.insert(row.end(), {"", "", ""});
      } else {
        const Match& m = d.matches[0];
        row.insert(row.end(), {r.database[m.target].label(), number(m.alignment.similarity), fmt::format("{:.3g}", m.evalue)});
      }
      t.rows.push_back(std::move(row));
    }
    page.table(t);
  }
  for (const DiscoveredPattern& d : r.patterns) pattern_card(page, d, r, o.compare);
  return page.html();
}

}  // namespace seqdl::motif
