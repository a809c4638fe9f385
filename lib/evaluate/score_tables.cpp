#include "evaluate/score_tables.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <optional>
#include <unordered_map>

#include "io/line_reader.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::evaluate {
namespace {

std::string_view clean(std::string_view f) {
  while (!f.empty() && (f.front() == ' ' || f.front() == '\t')) f.remove_prefix(1);
  while (!f.empty() && (f.back() == ' ' || f.back() == '\t')) f.remove_suffix(1);
  if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
  return f;
}

std::string list(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// A delimited table read row by row with as little work per row as possible: the fields are views into
// the line reader's buffer, split with memchr.
class FastTable {
 public:
  explicit FastTable(const std::string& path) : lines_(path) {
    std::string_view header;
    do {
      if (!lines_.next(header)) throw InputError("{}: empty file (expected a header line)", display());
    } while (trim(header).empty() || header.front() == '#');
    if (ends_with_ci(path, ".csv") || ends_with_ci(path, ".csv.gz")) {
      delimiter_ = ',';
    } else {
      delimiter_ = header.find('\t') != std::string_view::npos ? '\t' : ',';
    }
    split_line(header);
    for (auto f : fields_) {
      if (f.empty()) throw FormatError("{}: the header has an empty column name", lines_.where());
      columns_.emplace_back(f);
    }
  }

  const std::vector<std::string>& columns() const { return columns_; }
  bool has(const std::string& name) const { return contains(columns_, name); }
  size_t column(const std::string& name, std::string_view option) const {
    auto it = std::find(columns_.begin(), columns_.end(), name);
    if (it == columns_.end()) {
      throw InputError("{}: {} names column '{}', but the columns are: {}", display(), option, name, list(columns_));
    }
    return static_cast<size_t>(it - columns_.begin());
  }

  bool next() {
    std::string_view line;
    do {
      if (!lines_.next(line)) return false;
    } while (line.empty() || (line.front() == ' ' && trim(line).empty()));
    split_line(line);
    if (fields_.size() != columns_.size()) {
      throw FormatError("{}: expected {} fields as in the header, found {}", lines_.where(), columns_.size(),
                        fields_.size());
    }
    ++rows_;
    return true;
  }

  std::string_view field(size_t c) const { return fields_[c]; }
  std::string where() const { return lines_.where(); }
  uint64_t line() const { return lines_.line_number(); }
  std::string display() const { return io::is_stdin(lines_.path()) ? "stdin" : lines_.path(); }
  uint64_t rows() const { return rows_; }

 private:
  void split_line(std::string_view line) {
    fields_.clear();
    const char* p = line.data();
    const char* end = p + line.size();
    while (true) {
      const char* d = static_cast<const char*>(std::memchr(p, delimiter_, static_cast<size_t>(end - p)));
      const char* stop = d == nullptr ? end : d;
      std::string_view f(p, static_cast<size_t>(stop - p));
      if (!f.empty() && (f.front() == ' ' || f.back() == ' ' || f.front() == '"' || f.back() == '\t')) f = clean(f);
      fields_.push_back(f);
      if (d == nullptr) break;
      p = d + 1;
    }
  }

  io::LineReader lines_;
  char delimiter_ = '\t';
  std::vector<std::string> columns_;
  std::vector<std::string_view> fields_;
  uint64_t rows_ = 0;
};

double parse_score(std::string_view f, const FastTable& t, const std::string& column) {
  const char* b = f.data();
  const char* e = b + f.size();
  if (b != e && *b == '+') ++b;
  double v = 0;
  auto [p, ec] = std::from_chars(b, e, v);
  if (f.empty() || ec != std::errc() || p != e) {
    if (ec == std::errc::result_out_of_range) {
      throw FormatError("{}: {} '{}' is out of the range of double-precision numbers", t.where(), column, f);
    }
    throw FormatError("{}: {} '{}' is not a number", t.where(), column, f);
  }
  if (!std::isfinite(v)) throw FormatError("{}: {} is {}; scores must be finite numbers", t.where(), column, f);
  return v;
}

uint8_t parse_binary_label(std::string_view f, const FastTable& t, const std::string& column) {
  if (f.size() == 1 && (f[0] == '0' || f[0] == '1')) return static_cast<uint8_t>(f[0] - '0');
  double v = -1;
  auto [p, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (ec == std::errc() && p == f.data() + f.size() && (v == 0.0 || v == 1.0)) return v == 1.0;
  throw FormatError("{}: {} '{}' is not a binary label; expected 0 or 1", t.where(), column, f);
}

// How the two files' columns pair up, decided from their headers.
struct Layout {
  data::TaskType type = data::TaskType::binary;
  size_t score_id = 0, label_id = 0;
  std::vector<size_t> score_cols;  // in task order
  std::vector<size_t> label_cols;  // binary/multi-label: paired with score_cols; multi-class: one column
  std::vector<std::string> names;
  std::unordered_map<std::string_view, int32_t> class_index;  // multi-class: class name -> column
};

std::vector<std::string> default_columns(const FastTable& t, const std::string& id,
                                         std::initializer_list<std::string_view> preferred) {
  for (auto p : preferred) {
    if (t.has(std::string(p))) return {std::string(p)};
  }
  std::vector<std::string> out;
  for (const auto& c : t.columns()) {
    if (c != id) out.push_back(c);
  }
  if (out.empty()) throw InputError("{}: no columns besides the id column '{}'", t.display(), id);
  return out;
}

Layout plan(const ScoreTableSpec& spec, const FastTable& scores, const FastTable& labels) {
  Layout l;
  l.score_id = scores.column(spec.id_column, "--id-column");
  l.label_id = labels.column(spec.id_column, "--id-column");
  std::vector<std::string> s = spec.score_columns.empty() ? default_columns(scores, spec.id_column, {"score"})
                                                          : spec.score_columns;
  std::vector<std::string> y = spec.label_columns.empty()
                                   ? default_columns(labels, spec.id_column, {"label", "class"})
                                   : spec.label_columns;
  for (const auto& c : s) l.score_cols.push_back(scores.column(c, "--score-columns"));
  for (const auto& c : y) l.label_cols.push_back(labels.column(c, "--label-columns"));
  if (s.size() == 1 && y.size() == 1) {
    l.type = data::TaskType::binary;
    l.names = {y[0] != "label" && y[0] != "class" ? y[0] : s[0] != "score" ? s[0] : y[0]};
  } else if (s.size() > 1 && y.size() == 1 && !contains(s, y[0])) {
    l.type = data::TaskType::multiclass;
    l.names = s;
  } else if (s.size() == y.size()) {
    l.type = data::TaskType::multilabel;
    l.names = s;
    if (spec.score_columns.empty() || spec.label_columns.empty()) {
      std::vector<std::string> sorted_s = s, sorted_y = y;
      std::sort(sorted_s.begin(), sorted_s.end());
      std::sort(sorted_y.begin(), sorted_y.end());
      if (sorted_s != sorted_y) {
        throw InputError("the score columns of {} ({}) and the label columns of {} ({}) do not pair up by name; "
                         "name both with --score-columns and --label-columns to pair them by position",
                         scores.display(), list(s), labels.display(), list(y));
      }
      for (size_t k = 0; k < s.size(); ++k) l.label_cols[k] = labels.column(s[k], "--label-columns");
    }
  } else {
    throw InputError("{} score columns ({}) in {} and {} label columns ({}) in {}: expected one of each (binary), "
                     "one label column of class names (multi-class) or one label column per score column",
                     s.size(), list(s), scores.display(), y.size(), list(y), labels.display());
  }
  if (!spec.task_names.empty()) {
    if (spec.task_names.size() != l.names.size()) {
      throw UsageError("--task-names gives {} names for {} {}", spec.task_names.size(), l.names.size(),
                       l.type == data::TaskType::multiclass ? "classes" : "tasks");
    }
  }
  if (l.type == data::TaskType::multiclass) {
    for (size_t k = 0; k < l.names.size(); ++k) {
      if (!l.class_index.emplace(l.names[k], static_cast<int32_t>(k)).second) {
        throw InputError("{}: score column '{}' is named twice", scores.display(), l.names[k]);
      }
    }
  }
  return l;
}

// Ids held back to back in one string, with their hashes.
class IdList {
 public:
  void add(std::string_view id) {
    text_.append(id);
    ends_.push_back(text_.size());
    hashes_.push_back(std::hash<std::string_view>{}(id));
  }
  size_t size() const { return ends_.size(); }
  uint64_t hash(size_t i) const { return hashes_[i]; }
  std::string_view id(size_t i) const {
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }
  void prefetch(size_t i) const {
    __builtin_prefetch(&ends_[i]);
    __builtin_prefetch(text_.data() + (i == 0 ? 0 : ends_[i - 1]));
  }

 private:
  std::string text_;
  std::vector<size_t> ends_;
  std::vector<uint64_t> hashes_;
};

// An open-addressing hash table (linear probing) over an IdList. Each slot keeps an id's index and 32 more
// bits of its hash, so most probes touch no id text; lookups are batched with prefetches, because with
// millions of ids in random order every probe is otherwise a cache miss.
class IdIndex {
 public:
  static constexpr size_t kNone = ~size_t{0};

  // Builds the table; returns the index of an id seen before (a duplicate), else kNone.
  size_t build(const IdList& ids) {
    ids_ = &ids;
    size_t capacity = 16;
    while (capacity < ids.size() + ids.size() / 2) capacity *= 2;
    mask_ = capacity - 1;
    slots_.assign(capacity, Slot{kEmpty, 0});
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i + kAhead < ids.size()) __builtin_prefetch(&slots_[ids.hash(i + kAhead) & mask_]);
      uint64_t h = ids.hash(i);
      auto tag = static_cast<uint32_t>(h >> 32);
      for (size_t pos = h & mask_;; pos = (pos + 1) & mask_) {
        Slot& slot = slots_[pos];
        if (slot.index == kEmpty) {
          slot = {static_cast<uint32_t>(i), tag};
          break;
        }
        if (slot.tag == tag && ids.id(slot.index) == ids.id(i)) return i;
      }
    }
    return kNone;
  }

  // For each key, the index of the same id, or kNone.
  std::vector<size_t> find_all(const IdList& keys) const {
    const size_t n = keys.size();
    std::vector<size_t> found(n);
    // Pass 1: the first slot whose hash bits match (the id text is compared in pass 2).
    for (size_t r = 0; r < n; ++r) {
      if (r + kAhead < n) __builtin_prefetch(&slots_[keys.hash(r + kAhead) & mask_]);
      uint64_t h = keys.hash(r);
      auto tag = static_cast<uint32_t>(h >> 32);
      found[r] = kNone;
      for (size_t pos = h & mask_;; pos = (pos + 1) & mask_) {
        const Slot& slot = slots_[pos];
        if (slot.index == kEmpty) break;
        if (slot.tag == tag) {
          found[r] = slot.index;
          break;
        }
      }
    }
    // Pass 2: confirm with the text; a rare false match is looked up again in full.
    for (size_t r = 0; r < n; ++r) {
      if (r + kAhead < n && found[r + kAhead] != kNone) ids_->prefetch(found[r + kAhead]);
      if (found[r] != kNone && ids_->id(found[r]) != keys.id(r)) found[r] = find(keys.id(r), keys.hash(r));
    }
    return found;
  }

  size_t find(std::string_view key, uint64_t h) const {
    auto tag = static_cast<uint32_t>(h >> 32);
    for (size_t pos = h & mask_;; pos = (pos + 1) & mask_) {
      const Slot& slot = slots_[pos];
      if (slot.index == kEmpty) return kNone;
      if (slot.tag == tag && ids_->id(slot.index) == key) return slot.index;
    }
  }

 private:
  static constexpr size_t kAhead = 16;
  static constexpr uint32_t kEmpty = ~uint32_t{0};
  struct Slot {
    uint32_t index, tag;
  };

  const IdList* ids_ = nullptr;
  std::vector<Slot> slots_;
  size_t mask_ = 0;
};

class Joiner {
 public:
  Joiner(const ScoreTableSpec& spec, FastTable& scores, FastTable& labels)
      : s_(scores), y_(labels), l_(plan(spec, scores, labels)) {
    set_.type = l_.type;
    set_.names = spec.task_names.empty() ? l_.names : spec.task_names;
    if (l_.type == data::TaskType::multiclass) {
      for (size_t k = 0; k < l_.names.size(); ++k) score_names_.push_back("score column '" + l_.names[k] + "'");
    } else {
      for (size_t c : l_.score_cols) score_names_.push_back("score column '" + s_.columns()[c] + "'");
      for (size_t c : l_.label_cols) label_names_.push_back("label column '" + y_.columns()[c] + "'");
    }
    if (l_.type == data::TaskType::multiclass) label_names_.push_back("class '" + y_.columns()[l_.label_cols[0]] + "'");
  }

  ScoredSet run(ScoreTableStats* stats) {
    while (true) {
      bool hs = s_.next(), hy = y_.next();
      if (hs && hy && s_.field(l_.score_id) == y_.field(l_.label_id)) {
        add_scores();
        add_labels_from_row();
        ++set_.rows;
        continue;
      }
      if (!hs && !hy) break;
      in_order_ = set_.rows;
      join_by_id(hs, hy);
      break;
    }
    if (set_.rows == 0) {
      throw InputError("{} and {} hold no rows to evaluate (only headers)", s_.display(), y_.display());
    }
    if (stats != nullptr) {
      stats->in_order = in_order_ == kAll ? set_.rows : in_order_;
      stats->by_id = set_.rows - stats->in_order;
    }
    return std::move(set_);
  }

 private:
  static constexpr uint64_t kAll = ~uint64_t{0};

  void add_scores() {
    for (size_t k = 0; k < l_.score_cols.size(); ++k) {
      set_.scores.push_back(parse_score(s_.field(l_.score_cols[k]), s_, score_names_[k]));
    }
  }

  int32_t parse_class(std::string_view f) const {
    auto it = l_.class_index.find(f);
    if (it == l_.class_index.end()) {
      throw FormatError("{}: class '{}' is not one of the classes scored in {} ({})", y_.where(), f, s_.display(),
                        list(l_.names));
    }
    return it->second;
  }

  void add_labels_from_row() {
    if (l_.type == data::TaskType::multiclass) {
      set_.classes.push_back(parse_class(y_.field(l_.label_cols[0])));
    } else {
      for (size_t k = 0; k < l_.label_cols.size(); ++k) {
        set_.labels.push_back(parse_binary_label(y_.field(l_.label_cols[k]), y_, label_names_[k]));
      }
    }
  }

  // From the first row where the ids differ: index the rest of the labels by id, read the rest of the
  // scores, then pair them through the index.
  void join_by_id(bool score_pending, bool label_pending) {
    IdList label_ids, score_ids;
    std::vector<uint8_t> values;
    std::vector<int32_t> classes;
    std::vector<uint64_t> label_lines, score_lines;
    const size_t k = l_.label_cols.size();
    for (bool have = label_pending; have; have = y_.next()) {
      label_ids.add(y_.field(l_.label_id));
      label_lines.push_back(y_.line());
      if (l_.type == data::TaskType::multiclass) {
        classes.push_back(parse_class(y_.field(l_.label_cols[0])));
      } else {
        for (size_t c = 0; c < k; ++c) values.push_back(parse_binary_label(y_.field(l_.label_cols[c]), y_, label_names_[c]));
      }
    }
    if (label_ids.size() >= IdIndex::kNone >> 32) throw InputError("{}: too many rows to index", y_.display());
    IdIndex index;
    if (size_t dup = index.build(label_ids); dup != IdIndex::kNone) {
      throw InputError("{}:{}: id '{}' is listed twice in {}; ids must be unique", y_.display(), label_lines[dup],
                       label_ids.id(dup), y_.display());
    }
    for (bool have = score_pending; have; have = s_.next()) {
      score_ids.add(s_.field(l_.score_id));
      score_lines.push_back(s_.line());
      add_scores();
    }
    std::vector<size_t> found = index.find_all(score_ids);
    std::vector<uint8_t> used(label_ids.size(), 0);
    for (size_t r = 0; r < found.size(); ++r) {
      size_t i = found[r];
      if (i == IdIndex::kNone) {
        throw InputError("{}:{}: id '{}' has no label in {} (or has been listed before; ids must match one to one)",
                         s_.display(), score_lines[r], score_ids.id(r), y_.display());
      }
      if (used[i]) {
        throw InputError("{}:{}: id '{}' is listed twice in {}; ids must be unique", s_.display(), score_lines[r],
                         score_ids.id(r), s_.display());
      }
      used[i] = 1;
      if (r + 16 < found.size() && found[r + 16] != IdIndex::kNone) {
        __builtin_prefetch(l_.type == data::TaskType::multiclass ? static_cast<const void*>(&classes[found[r + 16]])
                                                                 : static_cast<const void*>(&values[found[r + 16] * k]));
      }
      if (l_.type == data::TaskType::multiclass) {
        set_.classes.push_back(classes[i]);
      } else {
        set_.labels.insert(set_.labels.end(), values.begin() + static_cast<ptrdiff_t>(i * k),
                           values.begin() + static_cast<ptrdiff_t>((i + 1) * k));
      }
      ++set_.rows;
    }
    auto missing = static_cast<uint64_t>(std::count(used.begin(), used.end(), uint8_t{0}));
    if (missing > 0) {
      size_t first = static_cast<size_t>(std::find(used.begin(), used.end(), uint8_t{0}) - used.begin());
      throw InputError("{} {} in {} {} no score in {} (the first: '{}' on line {})", missing,
                       missing == 1 ? "id" : "ids", y_.display(), missing == 1 ? "has" : "have", s_.display(),
                       label_ids.id(first), label_lines[first]);
    }
  }

  FastTable& s_;
  FastTable& y_;
  Layout l_;
  ScoredSet set_;
  std::vector<std::string> score_names_, label_names_;
  uint64_t in_order_ = kAll;
};

}  // namespace

ScoredSet read_scores_and_labels(const ScoreTableSpec& spec, ScoreTableStats* stats) {
  if (spec.scores.empty() || spec.labels.empty()) throw UsageError("--scores and --labels go together");
  if (io::is_stdin(spec.scores) && io::is_stdin(spec.labels)) {
    throw UsageError("--scores and --labels cannot both be read from stdin");
  }
  if (spec.id_column.empty()) throw UsageError("--id-column: name the id column of --scores and --labels");
  FastTable scores(spec.scores), labels(spec.labels);
  return Joiner(spec, scores, labels).run(stats);
}

}  // namespace seqdl::evaluate
