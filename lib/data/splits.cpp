#include "data/splits.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <span>
#include <tuple>
#include <unordered_set>

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

// FNV-1a over the upper-cased bases: sequences equal up to case hash equally.
uint64_t folded_hash(std::string_view seq) {
  uint64_t h = 14695981039346656037ull;
  for (char c : seq) h = (h ^ static_cast<uint8_t>(upper(c))) * 1099511628211ull;
  return h;
}

bool same_folded(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (upper(a[i]) != upper(b[i])) return false;
  }
  return true;
}

enum Split { kTrain = 0, kValid = 1, kTest = 2 };

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Each named chromosome must hold examples (a typo would leave a split silently empty) and belong to one split.
void check_named_chroms(const LabelledSet& set, const SplitSpec& spec) {
  std::vector<std::string> present;  // in order of first appearance
  std::unordered_set<std::string_view> known;  // views into set.chroms: a search per row was quadratic
  for (const auto& c : set.chroms) {
    if (known.insert(c).second) present.push_back(c);
  }
  for (const auto* option : {&spec.valid_chroms, &spec.test_chroms}) {
    const char* name = option == &spec.valid_chroms ? "--valid-chroms" : "--test-chroms";
    for (const auto& c : *option) {
      if (contains(present, c)) continue;
      std::string list = join(std::span(present).first(std::min<size_t>(present.size(), 10)), ", ");
      if (present.size() > 10) list += fmt::format(", ... ({} in all)", present.size());
      throw UsageError("{}: no example lies on '{}' (the examples' chromosomes: {})", name, c, list);
    }
  }
  for (const auto& c : spec.valid_chroms) {
    if (contains(spec.test_chroms, c)) throw UsageError("'{}' is in both --valid-chroms and --test-chroms", c);
  }
}

std::vector<int> assign_by_chromosome(const LabelledSet& set, const SplitSpec& spec) {
  for (size_t i = 0; i < set.size(); ++i) {
    if (set.chroms[i].empty()) {
      throw UsageError("--valid-chroms/--test-chroms need examples with chromosomes, but '{}' has none", set.ids[i]);
    }
  }
  check_named_chroms(set, spec);
  std::vector<int> which(set.size(), kTrain);
  for (size_t i = 0; i < set.size(); ++i) {
    const std::string& c = set.chroms[i];
    which[i] = contains(spec.test_chroms, c) ? kTest : contains(spec.valid_chroms, c) ? kValid : kTrain;
  }
  return which;
}

// floor(n x test_fraction) examples drawn at random for test, floor(n x valid_fraction) for validation.
std::vector<int> assign_by_fraction(const LabelledSet& set, const SplitSpec& spec) {
  std::vector<size_t> order(set.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  Rng rng(spec.seed, 21);
  rng.shuffle(order);
  auto n_test = static_cast<size_t>(static_cast<double>(set.size()) * spec.test_fraction);
  auto n_valid = static_cast<size_t>(static_cast<double>(set.size()) * spec.valid_fraction);
  std::vector<int> which(set.size(), kTrain);
  for (size_t k = 0; k < order.size(); ++k) {
    which[order[k]] = k < n_test ? kTest : k < n_test + n_valid ? kValid : kTrain;
  }
  return which;
}

// For each row, whether a sequence equal to it (up to case) lies in an earlier split (train, then valid, then
// test). Sorted (hash, split, row) keys: 16 bytes a row, where a set of the sequences themselves held two copies
// of every sequence (10 million 101-bp rows: 6 GB and two minutes).
std::vector<char> repeats_an_earlier_split(const LabelledSet& set, const std::vector<int>& which) {
  struct Key {
    uint64_t hash;
    uint32_t split;
    uint32_t row;
  };
  std::vector<Key> keys(set.size());
  for (size_t i = 0; i < set.size(); ++i) {
    keys[i] = {folded_hash(set.sequence(i)), static_cast<uint32_t>(which[i]), static_cast<uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return std::tie(a.hash, a.split, a.row) < std::tie(b.hash, b.split, b.row);
  });
  std::vector<char> repeat(set.size(), 0);
  for (size_t begin = 0; begin < keys.size();) {
    size_t end = begin + 1;
    while (end < keys.size() && keys[end].hash == keys[begin].hash) ++end;
    for (size_t k = begin; k < end; ++k) {
      // Earlier splits come first in the group; the first comparison decides unless two different sequences
      // share the hash.
      for (size_t j = begin; j < k && keys[j].split < keys[k].split; ++j) {
        if (same_folded(set.sequence(keys[j].row), set.sequence(keys[k].row))) {
          repeat[keys[k].row] = 1;
          break;
        }
      }
    }
    begin = end;
  }
  return repeat;
}

}  // namespace

Splits make_splits(const LabelledSet& set, const SplitSpec& spec) {
  bool by_chrom = !spec.valid_chroms.empty() || !spec.test_chroms.empty();
  if (!(spec.valid_fraction >= 0 && spec.test_fraction >= 0 && spec.valid_fraction + spec.test_fraction < 1)) {
    throw UsageError("--valid-fraction and --test-fraction must be >= 0 and sum to less than 1");
  }
  std::vector<int> which = by_chrom ? assign_by_chromosome(set, spec) : assign_by_fraction(set, spec);
  if (set.size() > UINT32_MAX) throw UsageError("{} examples: more than this seqdl can split", set.size());
  // Identical sequences: keep them in the earliest split (train, valid, test), drop them from later ones.
  std::vector<char> repeat = repeats_an_earlier_split(set, which);
  std::vector<size_t> rows[3];
  Splits out;
  for (size_t i = 0; i < set.size(); ++i) {
    if (repeat[i]) {
      ++out.dropped_duplicates;
    } else {
      rows[which[i]].push_back(i);
    }
  }
  out.train = set.subset(rows[kTrain]);
  out.valid = set.subset(rows[kValid]);
  out.test = set.subset(rows[kTest]);
  if (out.train.size() == 0) throw UsageError("the training split is empty");
  return out;
}

std::vector<std::string> split_label_columns(const LabelledSet& set) {
  if (set.type == TaskType::multiclass) return {"class"};
  return set.task_names;
}

void write_split(const LabelledSet& set, const std::string& path) {
  AtomicFile out(path);
  out.write("id\tsequence");
  for (const auto& c : split_label_columns(set)) out.print("\t{}", c);
  out.write("\n");
  auto tasks = static_cast<size_t>(set.outputs());
  for (size_t i = 0; i < set.size(); ++i) {
    out.print("{}\t{}", set.ids[i], set.sequence(i));
    if (set.type == TaskType::multiclass) {
      out.print("\t{}", set.task_names[static_cast<size_t>(set.classes[i])]);
    } else {
      for (size_t k = 0; k < tasks; ++k) out.print("\t{}", exact_number(set.targets[i * tasks + k]));
    }
    out.write("\n");
  }
  out.commit();
}

}  // namespace seqdl::data
