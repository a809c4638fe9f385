#include "io/label_table.hpp"

#include <cmath>
#include <optional>
#include <unordered_map>

#include "encode/bases.hpp"
#include "io/table.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {

LabelTable read_label_table(const LabelTableSpec& spec) {
  if (spec.sequence_column.empty()) throw UsageError("{}: name the sequence column (--sequence-column)", spec.path);
  if (spec.label_columns.empty() == spec.class_column.empty()) {
    throw UsageError("{}: give either label columns (--label-columns) or one class column (--class-column)", spec.path);
  }
  TableReader table(spec.path);
  size_t seq_col = table.column(spec.sequence_column, "--sequence-column");
  std::vector<size_t> label_cols;
  for (const auto& name : spec.label_columns) label_cols.push_back(table.column(name, "--label-columns"));
  std::optional<size_t> class_col, id_col;
  if (!spec.class_column.empty()) class_col = table.column(spec.class_column, "--class-column");
  if (!spec.id_column.empty()) id_col = table.column(spec.id_column, "--id-column");

  LabelTable out;
  out.tasks = spec.label_columns;
  std::vector<std::string_view> fields;
  std::unordered_map<std::string, int> class_index;
  std::string key;
  uint64_t row = 0;
  while (table.next(fields)) {
    ++row;
    std::string_view seq = fields[seq_col];
    if (seq.empty()) throw FormatError("{}: column '{}' is empty", table.where(), spec.sequence_column);
    if (size_t bad = encode::find_invalid_base(seq); bad != std::string_view::npos) {
      throw FormatError("{}: column '{}' has '{}', which is not a nucleotide code", table.where(),
                        spec.sequence_column, seq[bad]);
    }
    out.sequences.emplace_back(seq);
    out.ids.push_back(id_col ? std::string(fields[*id_col]) : fmt::format("row{}", row));
    for (size_t k = 0; k < label_cols.size(); ++k) {
      std::string what = fmt::format("{}: column '{}'", table.where(), spec.label_columns[k]);
      double v = parse_double(fields[label_cols[k]], what);
      if (!std::isfinite(v)) throw FormatError("{}: expected a finite number, found '{}'", what, fields[label_cols[k]]);
      out.labels.push_back(static_cast<float>(v));
    }
    if (class_col) {
      std::string_view name = fields[*class_col];
      if (name.empty()) throw FormatError("{}: column '{}' is empty", table.where(), spec.class_column);
      // A hash, not a search of class_names: a column of distinct values (ids given as the class column by
      // mistake) would otherwise make the read quadratic in the rows.
      key.assign(name);
      auto [it, added] = class_index.try_emplace(key, static_cast<int>(out.class_names.size()));
      if (added) out.class_names.push_back(key);
      out.classes.push_back(it->second);
    }
  }
  if (out.sequences.empty()) throw FormatError("{}: the table has a header but no rows", spec.path);
  return out;
}

}  // namespace seqdl::io
