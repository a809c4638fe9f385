// Label tables (io/label_table, io/table): the header decides the columns; the selector byte picks the spec
// (numeric labels, a class column, ids) and the delimiter rule (by content, or .csv by name).
#include <cstdint>
#include <string>

#include "fuzz_input.hpp"
#include "io/label_table.hpp"
#include "io/table.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  uint8_t mode = seqdl::fuzz::take_selector(data, size);
  std::string path = seqdl::fuzz::write_input(mode & 1 ? "table.csv" : "table.tsv", data, size);
  seqdl::io::LabelTableSpec spec;
  spec.path = path;
  spec.sequence_column = "seq";
  if (mode & 2) {
    spec.class_column = "class";
  } else {
    spec.label_columns = {"label"};
    if (mode & 8) spec.label_columns.push_back("label2");
  }
  if (mode & 4) spec.id_column = "id";
  try {
    seqdl::io::read_label_table(spec);
  } catch (const seqdl::Error&) {
  }
  // The table reader alone, every row, whatever the columns are.
  try {
    seqdl::io::TableReader table(path);
    std::vector<std::string_view> fields;
    while (table.next(fields)) {
    }
  } catch (const seqdl::Error&) {
  }
  return 0;
}
