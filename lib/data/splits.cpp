#include "data/splits.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

namespace seqdl::data {
namespace {

std::string canonical(std::string_view seq) {
  std::string s(seq);
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Splits make_splits(const LabelledSet& set, const SplitSpec& spec) {
  bool by_chrom = !spec.valid_chroms.empty() || !spec.test_chroms.empty();
  if (!(spec.valid_fraction >= 0 && spec.test_fraction >= 0 && spec.valid_fraction + spec.test_fraction < 1)) {
    throw UsageError("--valid-fraction and --test-fraction must be >= 0 and sum to less than 1");
  }
  std::vector<int> which(set.size(), 0);  // 0 train, 1 valid, 2 test
  if (by_chrom) {
    auto in = [](const std::vector<std::string>& v, const std::string& c) { return std::find(v.begin(), v.end(), c) != v.end(); };
    for (size_t i = 0; i < set.size(); ++i) {
      if (set.chroms[i].empty()) {
        throw UsageError("--valid-chroms/--test-chroms need examples with chromosomes, but '{}' has none", set.ids[i]);
      }
      which[i] = in(spec.test_chroms, set.chroms[i]) ? 2 : in(spec.valid_chroms, set.chroms[i]) ? 1 : 0;
    }
  } else {
    std::vector<size_t> order(set.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    Rng rng(spec.seed, 21);
    rng.shuffle(order);
    auto n_test = static_cast<size_t>(static_cast<double>(set.size()) * spec.test_fraction);
    auto n_valid = static_cast<size_t>(static_cast<double>(set.size()) * spec.valid_fraction);
    for (size_t k = 0; k < order.size(); ++k) which[order[k]] = k < n_test ? 2 : k < n_test + n_valid ? 1 : 0;
  }
  // Identical sequences: keep them in the earliest split (train, valid, test), drop them from later ones.
  std::unordered_set<std::string> seen;
  std::vector<size_t> rows[3];
  Splits out;
  for (int split = 0; split < 3; ++split) {
    std::unordered_set<std::string> here;
    for (size_t i = 0; i < set.size(); ++i) {
      if (which[i] != split) continue;
      std::string key = canonical(set.sequence(i));
      if (split > 0 && seen.count(key)) {
        ++out.dropped_duplicates;
        continue;
      }
      here.insert(std::move(key));
      rows[split].push_back(i);
    }
    seen.insert(here.begin(), here.end());
  }
  out.train = set.subset(rows[0]);
  out.valid = set.subset(rows[1]);
  out.test = set.subset(rows[2]);
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
