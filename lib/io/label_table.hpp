// Labelled sequences from a table: a sequence column and either numeric label columns (one binary task
// per column) or one class column (multi-class, text class names). DeepBind .seq files
// (FoldID, EventID, seq, Bound) load as they are by naming "seq" and "Bound".
#pragma once

#include <string>
#include <vector>

namespace seqdl::io {

struct LabelTableSpec {
  std::string path;
  std::string sequence_column;
  std::vector<std::string> label_columns;  // numeric labels, one task each
  std::string class_column;                // or: one column of class names
  std::string id_column;                   // optional ids (default: row numbers)
};

struct LabelTable {
  std::vector<std::string> ids;
  std::vector<std::string> sequences;
  std::vector<std::string> tasks;        // label column names (numeric labels)
  std::vector<float> labels;             // rows x tasks, row-major (numeric labels)
  std::vector<std::string> class_names;  // class column: names in order of first appearance
  std::vector<int> classes;              // class column: index into class_names per row
};

// Reads the whole table into memory. FormatError naming file and line for a non-numeric or non-finite label,
// an empty or non-nucleotide sequence, an empty class name, a row with the wrong number of fields, or no rows;
// InputError for a missing column or an unreadable file; UsageError when the spec names no sequence column,
// or both or neither of label columns and a class column.
LabelTable read_label_table(const LabelTableSpec& spec);

}  // namespace seqdl::io
