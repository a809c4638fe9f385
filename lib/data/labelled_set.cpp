#include "data/labelled_set.hpp"

#include <cctype>

namespace seqdl::data {

void LabelledSet::add(std::string id, std::string_view seq, const float* target, int32_t cls, std::string chrom) {
  ids.push_back(std::move(id));
  chroms.push_back(std::move(chrom));
  codes.append(seq);
  if (type == TaskType::multiclass) {
    classes.push_back(cls);
  } else {
    targets.insert(targets.end(), target, target + outputs());
  }
}

LabelledSet LabelledSet::subset(const std::vector<size_t>& rows) const {
  LabelledSet out;
  out.type = type;
  out.task_names = task_names;
  out.length = length;
  out.codes.reserve(rows.size() * static_cast<size_t>(length));
  for (size_t r : rows) {
    out.add(ids[r], sequence(r), type == TaskType::multiclass ? nullptr : &targets[r * static_cast<size_t>(outputs())],
            type == TaskType::multiclass ? classes[r] : 0, chroms[r]);
  }
  return out;
}

std::vector<int64_t> LabelledSet::positives() const {
  std::vector<int64_t> counts(static_cast<size_t>(outputs()), 0);
  if (type == TaskType::multiclass) {
    for (int32_t c : classes) ++counts[static_cast<size_t>(c)];
  } else {
    for (size_t i = 0; i < targets.size(); ++i) counts[i % counts.size()] += targets[i] > 0.5f;
  }
  return counts;
}

std::string chrom_of_id(std::string_view id) {
  size_t colon = id.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return "";
  std::string_view range = id.substr(colon + 1);
  size_t dash = range.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= range.size()) return "";
  for (size_t i = 0; i < range.size(); ++i) {
    if (i != dash && !std::isdigit(static_cast<unsigned char>(range[i])) && range[i] != ',') return "";
  }
  return std::string(id.substr(0, colon));
}

}  // namespace seqdl::data
