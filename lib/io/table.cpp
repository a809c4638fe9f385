#include "io/table.hpp"

#include <algorithm>

#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace {

std::string_view clean(std::string_view field) {
  field = trim(field);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"') field = field.substr(1, field.size() - 2);
  return field;
}

void split_into(std::string_view line, char delimiter, std::vector<std::string_view>& fields) {
  fields.clear();
  for (std::string_view f : split(line, delimiter)) fields.push_back(clean(f));
}

}  // namespace

TableReader::TableReader(std::string path, std::optional<char> delimiter) : lines_(std::move(path)) {
  std::string_view header;
  do {
    if (!lines_.next(header)) throw FormatError("{}: empty table (no header line)", lines_.path());
  } while (trim(header).empty() || header.front() == '#');
  if (delimiter) {
    delimiter_ = *delimiter;
  } else if (ends_with_ci(lines_.path(), ".csv") || ends_with_ci(lines_.path(), ".csv.gz")) {
    delimiter_ = ',';
  } else {
    delimiter_ = header.find('\t') != std::string_view::npos ? '\t' : ',';
  }
  std::vector<std::string_view> fields;
  split_into(header, delimiter_, fields);
  for (auto f : fields) {
    if (f.empty()) throw FormatError("{}: the header has an empty column name", lines_.where());
    columns_.emplace_back(f);
  }
}

bool TableReader::has_column(const std::string& name) const {
  return std::find(columns_.begin(), columns_.end(), name) != columns_.end();
}

size_t TableReader::column(const std::string& name, std::string_view option) const {
  auto it = std::find(columns_.begin(), columns_.end(), name);
  if (it == columns_.end()) {
    throw InputError("{}: {} names column '{}', but the table's columns are: {}", lines_.path(), option, name,
                     join(columns_, ", "));
  }
  return static_cast<size_t>(it - columns_.begin());
}

bool TableReader::next(std::vector<std::string_view>& fields) {
  std::string_view line;
  do {
    if (!lines_.next(line)) return false;
  } while (trim(line).empty());
  split_into(line, delimiter_, fields);
  if (fields.size() != columns_.size()) {
    throw FormatError("{}: expected {} fields as in the header, found {}", lines_.where(), columns_.size(), fields.size());
  }
  return true;
}

}  // namespace seqdl::io
