// Delimited tables with a header line: TSV (also DeepBind .seq files), CSV, optionally gzip, from a path
// or "-". Fields are trimmed of surrounding spaces and double quotes (UCI-style "EI, name, ACGT" works);
// quoted fields may not contain the delimiter. Lines starting with '#' before the header are skipped.
//
// Threads: a reader is used by one thread at a time; distinct readers are independent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/line_reader.hpp"

namespace seqdl::io {

class TableReader {
 public:
  // Opens the table and reads its header. delimiter: by default ',' for .csv[.gz], else a tab if the header
  // has one, else ','. InputError when the file cannot be opened; FormatError for no header line or an empty
  // column name.
  explicit TableReader(std::string path, std::optional<char> delimiter = std::nullopt);

  const std::vector<std::string>& columns() const { return columns_; }  // the header's names, in order
  // Index of a named column; InputError listing the columns if there is none. `option` names the flag
  // that asked for it (e.g. "--label-columns").
  size_t column(const std::string& name, std::string_view option) const;
  bool has_column(const std::string& name) const;

  // The next data row (views valid until the next call), or false at the end. FormatError if the row has
  // a different number of fields than the header.
  bool next(std::vector<std::string_view>& fields);

  std::string where() const { return lines_.where(); }
  const std::string& path() const { return lines_.path(); }

 private:
  LineReader lines_;
  char delimiter_ = '\t';
  std::vector<std::string> columns_;
};

}  // namespace seqdl::io
