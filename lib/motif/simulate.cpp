#include "motif/simulate.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <numeric>

#include "encode/bases.hpp"
#include "encode/shuffle.hpp"
#include "util/error.hpp"
#include "util/memory.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

namespace seqdl::motif {
namespace {

// Independent random streams, so that e.g. a different background never moves the labels.
enum Stream : uint64_t { kLabels = 1, kBackground = 2, kPlanting = 3 };

void check(const SimulateOptions& o, const std::vector<Motif>& motifs, const std::vector<Motif>& decoys) {
  check_simulate_options(o);
  if (motifs.empty()) throw UsageError("no motifs to plant: every motif in {} is a decoy", o.motifs);
  size_t widest = 0;
  for (const auto* list : {&motifs, &decoys}) {
    for (const Motif& m : *list) widest = std::max(widest, m.width());
  }
  // Every sequence may need `instances` sites of each motif (with --multilabel): they must fit side by side.
  size_t per_sequence = static_cast<size_t>(o.instances) * (o.multilabel ? std::max(motifs.size(), size_t{1}) : 1);
  if (per_sequence * widest > static_cast<size_t>(o.length)) {
    throw UsageError("--length {} cannot hold {} motif instances of up to {} bp each", o.length, per_sequence, widest);
  }
}

// k distinct indices of [0, n), marked true.
std::vector<bool> choose(size_t n, size_t k, Rng& rng) {
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  rng.shuffle(order);
  std::vector<bool> chosen(n, false);
  for (size_t i = 0; i < k && i < n; ++i) chosen[order[i]] = true;
  return chosen;
}

size_t share(size_t n, double fraction) { return static_cast<size_t>(std::llround(static_cast<double>(n) * fraction)); }

std::string generated_background(int64_t length, double gc, Rng& rng) {
  std::string s(static_cast<size_t>(length), 'A');
  for (char& c : s) {
    bool strong = rng.uniform() < gc;
    bool second = rng.below(2) == 1;
    c = strong ? (second ? 'G' : 'C') : (second ? 'T' : 'A');
  }
  return s;
}

// A dinucleotide shuffle of `source`, tiled with further shuffles when short, cropped at random when long.
std::string shuffled_background(const std::string& source, int64_t length, Rng& rng) {
  auto target = static_cast<size_t>(length);
  std::string s = encode::dinucleotide_shuffle(source, rng);
  while (s.size() < target) s += encode::dinucleotide_shuffle(source, rng);
  if (s.size() > target) s = s.substr(rng.below(s.size() - target + 1), target);
  return s;
}

std::string sample_instance(const Motif& m, Rng& rng) {
  std::string bases;
  for (const Column& c : m.rows) {
    double u = rng.uniform(), acc = 0;
    int b = 0;
    while (b < 3 && u >= (acc += c[b])) ++b;
    bases += "ACGT"[b];
  }
  return bases;
}

double standard_normal(Rng& rng) {  // Box-Muller
  double u1 = 1.0 - rng.uniform(), u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

class Planter {
 public:
  Planter(const SimulateOptions& o, SimulatedSet& set) : o_(o), set_(set), rng_(o.seed, kPlanting) {}

  void plant(size_t seq, size_t motif, bool decoy) {
    const Motif& m = decoy ? set_.decoys[motif] : set_.motifs[motif];
    auto w = static_cast<int64_t>(m.width());
    char strand = o_.both_strands && rng_.below(2) == 1 ? '-' : '+';
    std::string bases = sample_instance(m, rng_);
    if (strand == '-') encode::reverse_complement_in_place(bases);
    int64_t start = place(seq, w);
    set_.sequences[seq].replace(static_cast<size_t>(start), static_cast<size_t>(w), bases);
    set_.sites.push_back({seq, start, motif, decoy, strand, std::move(bases)});
  }

 private:
  bool free(size_t seq, int64_t start, int64_t w) const {
    for (size_t k = first_site_; k < set_.sites.size(); ++k) {
      const PlantedSite& s = set_.sites[k];
      if (s.sequence != seq) continue;
      int64_t end = s.start + static_cast<int64_t>(s.bases.size());
      if (start < end && s.start < start + w) return false;
    }
    return true;
  }

  int64_t place(size_t seq, int64_t w) {
    while (first_site_ < set_.sites.size() && set_.sites[first_site_].sequence != seq) ++first_site_;
    int64_t last = o_.length - w;  // the last possible start
    double spread = o_.spread > 0 ? o_.spread : static_cast<double>(o_.length) / 10;
    for (int attempt = 0; attempt < 100; ++attempt) {
      int64_t start = 0;
      if (o_.placement == Placement::uniform) {
        start = static_cast<int64_t>(rng_.below(static_cast<uint64_t>(last + 1)));
      } else {
        double centre = static_cast<double>(o_.length) / 2 + spread * standard_normal(rng_);
        start = std::clamp<int64_t>(std::llround(centre - static_cast<double>(w) / 2), 0, last);
      }
      if (free(seq, start, w)) return start;
    }
    // Crowded (e.g. a narrow centre spread): any free start, uniformly.
    std::vector<int64_t> starts;
    for (int64_t s = 0; s <= last; ++s) {
      if (free(seq, s, w)) starts.push_back(s);
    }
    if (starts.empty()) throw UsageError("cannot fit {} non-overlapping instances into {} bp", o_.instances, o_.length);
    return starts[rng_.below(starts.size())];
  }

  const SimulateOptions& o_;
  SimulatedSet& set_;
  Rng rng_;
  size_t first_site_ = 0;  // sites are planted sequence by sequence: earlier ones need no overlap check
};

}  // namespace

void check_simulate_options(const SimulateOptions& o) {
  auto fraction = [](double v, const char* name) {
    if (!(v >= 0 && v <= 1)) throw UsageError("{}: expected a number in [0, 1], found {}", name, v);
  };
  if (o.n < 1) throw UsageError("--n: expected an integer >= 1, found {}", o.n);
  if (o.length < 1) throw UsageError("--length: expected an integer >= 1, found {}", o.length);
  fraction(o.positives_fraction, "--positives-fraction");
  fraction(o.carrier_fraction, "--carrier-fraction");
  fraction(o.decoy_fraction, "--decoy-fraction");
  if (o.gc && !(*o.gc > 0 && *o.gc < 1)) throw UsageError("--gc: expected a number in (0, 1), found {}", *o.gc);
  if (o.gc && !o.background.empty()) throw UsageError("--gc and --background are alternatives: give one");
  if (!(o.spread >= 0) || !std::isfinite(o.spread)) throw UsageError("--spread: expected a number >= 0, found {}", o.spread);
  if (o.instances < 1) throw UsageError("--instances: expected an integer >= 1, found {}", o.instances);
  // The set is built in memory before it is written (about the bases plus 100 bytes of id, labels and strings
  // per sequence): a size that cannot fit is refused here, not by std::bad_alloc after minutes of work.
  uint64_t memory = physical_memory_bytes();
  auto n = static_cast<uint64_t>(o.n), length = static_cast<uint64_t>(o.length);
  if (memory > 0 && (length > memory / 2 || n > memory / 2 / (length + 100))) {
    throw UsageError("--n {} x --length {}: the set would need more than half of this machine's {} bytes of memory",
                     with_commas(n), with_commas(length), with_commas(memory));
  }
}

SimulatedSet simulate_set(const std::vector<Motif>& motifs, const std::vector<Motif>& decoys,
                          const std::vector<std::string>& backgrounds, const SimulateOptions& o) {
  check(o, motifs, decoys);
  auto n = static_cast<size_t>(o.n);
  SimulatedSet set{motifs, decoys, {}, {}, std::vector<uint8_t>(n, 0), {}, {}};

  // Labels: which sequences carry which motif.
  Rng label_rng(o.seed, kLabels);
  size_t columns = o.multilabel ? motifs.size() : 1;
  std::vector<std::vector<bool>> positive(columns), carrier(columns);
  for (size_t k = 0; k < columns; ++k) {
    positive[k] = choose(n, share(n, o.positives_fraction), label_rng);
    std::vector<size_t> members;
    for (size_t i = 0; i < n; ++i) {
      if (positive[k][i]) members.push_back(i);
    }
    std::vector<bool> picked = choose(members.size(), share(members.size(), o.carrier_fraction), label_rng);
    carrier[k].assign(n, false);
    for (size_t j = 0; j < members.size(); ++j) carrier[k][members[j]] = picked[j];
  }
  if (o.multilabel) set.per_motif.assign(n, std::vector<uint8_t>(columns, 0));
  std::vector<size_t> negatives;
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < columns; ++k) {
      if (positive[k][i]) set.label[i] = 1;
      if (o.multilabel) set.per_motif[i][k] = positive[k][i] ? 1 : 0;
    }
    if (set.label[i] == 0) negatives.push_back(i);
  }
  std::vector<bool> decoy_carrier(n, false);
  if (!decoys.empty()) {
    std::vector<bool> picked = choose(negatives.size(), share(negatives.size(), o.decoy_fraction), label_rng);
    for (size_t j = 0; j < negatives.size(); ++j) decoy_carrier[negatives[j]] = picked[j];
  }

  // Backgrounds.
  Rng bg_rng(o.seed, kBackground);
  int digits = static_cast<int>(std::to_string(n).size());
  for (size_t i = 0; i < n; ++i) {
    set.ids.push_back(fmt::format("seq{:0{}}", i + 1, digits));
    set.sequences.push_back(backgrounds.empty() ? generated_background(o.length, o.gc.value_or(0.5), bg_rng)
                                                : shuffled_background(backgrounds[i % backgrounds.size()], o.length, bg_rng));
  }

  // Sites, sequence by sequence.
  Planter planter(o, set);
  Rng pick(o.seed, kPlanting + 100);
  for (size_t i = 0; i < n; ++i) {
    for (size_t k = 0; k < columns; ++k) {
      if (!carrier[k][i]) continue;
      for (int j = 0; j < o.instances; ++j) planter.plant(i, o.multilabel ? k : pick.below(motifs.size()), false);
    }
    if (decoy_carrier[i]) {
      for (int j = 0; j < o.instances; ++j) planter.plant(i, pick.below(decoys.size()), true);
    }
  }
  std::stable_sort(set.sites.begin(), set.sites.end(), [](const PlantedSite& a, const PlantedSite& b) {
    return a.sequence != b.sequence ? a.sequence < b.sequence : a.start < b.start;
  });
  return set;
}

}  // namespace seqdl::motif
