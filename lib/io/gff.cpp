#include "io/gff.hpp"

#include "util/error.hpp"
#include "util/text.hpp"

namespace seqdl::io {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// GFF3 when the first attribute's '=' comes before any space or quote; GTF otherwise. Empty: undecided.
std::optional<GffFormat> format_of_attributes(std::string_view attributes) {
  std::string_view t = trim(attributes);
  if (t.empty() || t == ".") return std::nullopt;
  size_t pos = t.find_first_of("= \"");
  if (pos != std::string_view::npos && t[pos] == '=') return GffFormat::gff3;
  return GffFormat::gtf;
}

void parse_gff3_attributes(std::string_view text, const std::string& where, std::vector<GffAttribute>& out) {
  for (std::string_view token : split(text, ';')) {
    token = trim(token);
    if (token.empty()) continue;
    size_t eq = token.find('=');
    if (eq == std::string_view::npos) {
      throw FormatError("{}: GFF3 attribute '{}' has no '=' (expected key=value)", where, token);
    }
    GffAttribute a;
    a.key = percent_decode(trim(token.substr(0, eq)));
    for (std::string_view v : split(token.substr(eq + 1), ',')) a.values.push_back(percent_decode(trim(v)));
    out.push_back(std::move(a));
  }
}

// `key "value"; key value; ...` with ';' allowed inside quotes.
void parse_gtf_attributes(std::string_view text, const std::string& where, std::vector<GffAttribute>& out) {
  size_t i = 0, n = text.size();
  auto skip_space = [&] {
    while (i < n && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  while (true) {
    skip_space();
    while (i < n && text[i] == ';') {
      ++i;
      skip_space();
    }
    if (i >= n) return;
    if (text[i] == '#') return;  // a trailing comment
    size_t key_start = i;
    while (i < n && text[i] != ' ' && text[i] != '\t' && text[i] != ';') ++i;
    GffAttribute a;
    a.key = std::string(text.substr(key_start, i - key_start));
    skip_space();
    std::string value;
    if (i < n && text[i] == '"') {
      size_t close = text.find('"', i + 1);
      if (close == std::string_view::npos) {
        throw FormatError("{}: GTF attribute '{}' has an unterminated quoted value", where, a.key);
      }
      value = std::string(text.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      size_t value_start = i;
      while (i < n && text[i] != ';') ++i;
      value = std::string(trim(text.substr(value_start, i - value_start)));
    }
    a.values.push_back(std::move(value));
    out.push_back(std::move(a));
    skip_space();
    if (i < n && text[i] != ';') {
      throw FormatError("{}: GTF attribute '{}' is followed by '{}' (expected ';')", where, out.back().key,
                        text.substr(i));
    }
  }
}

}  // namespace

std::string_view format_name(GffFormat format) { return format == GffFormat::gff3 ? "GFF3" : "GTF"; }

const std::string* GffRecord::attribute(std::string_view key) const {
  for (const auto& a : attributes) {
    if (a.key == key && !a.values.empty()) return &a.values.front();
  }
  return nullptr;
}

std::vector<std::string> GffRecord::values(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& a : attributes) {
    if (a.key == key) out.insert(out.end(), a.values.begin(), a.values.end());
  }
  return out;
}

std::string percent_decode(std::string_view text) {
  if (text.find('%') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

GffReader::GffReader(std::string path, std::optional<GffFormat> format)
    : lines_(path),
      format_(format),
      guess_(ends_with_ci(path, ".gtf") || ends_with_ci(path, ".gtf.gz") ? GffFormat::gtf : GffFormat::gff3) {}

bool GffReader::next(GffRecord& record) {
  std::string_view line;
  while (!done_ && lines_.next(line)) {
    if (line.empty() || trim(line).empty()) continue;
    if (line.front() == '>' || line.starts_with("##FASTA")) break;
    if (line.front() == '#') {
      if (!format_ && line.starts_with("##gff-version")) {
        std::string_view version = trim(line.substr(13));
        format_ = version.starts_with("3") ? GffFormat::gff3 : GffFormat::gtf;
      }
      continue;
    }
    parse(line, record);
    return true;
  }
  done_ = true;
  return false;
}

void GffReader::parse(std::string_view line, GffRecord& record) {
  std::string where = lines_.where();
  auto cols = split(line, '\t');
  if (cols.size() != 9) {
    throw FormatError("{}: expected 9 tab-separated columns (seqid source type start end score strand phase "
                      "attributes), found {}", where, cols.size());
  }
  if (!format_) format_ = format_of_attributes(cols[8]);
  bool gff3 = format() == GffFormat::gff3;
  record = GffRecord{};
  record.line = lines_.line_number();
  record.seqid = gff3 ? percent_decode(cols[0]) : std::string(cols[0]);
  record.source = gff3 ? percent_decode(cols[1]) : std::string(cols[1]);
  record.type = gff3 ? percent_decode(cols[2]) : std::string(cols[2]);
  if (record.seqid.empty()) throw FormatError("{}: empty seqid (column 1)", where);
  int64_t start = parse_int(cols[3], where + ": start");
  int64_t end = parse_int(cols[4], where + ": end");
  if (start < 1) throw FormatError("{}: start {} is below 1 (coordinates are 1-based)", where, start);
  if (start > end) throw FormatError("{}: start {} is after end {}", where, start, end);
  record.start = start - 1;
  record.end = end;
  if (cols[5] != ".") record.score = parse_double(cols[5], where + ": score");
  if (cols[6].size() != 1 || std::string_view("+-.?").find(cols[6][0]) == std::string_view::npos) {
    throw FormatError("{}: strand '{}' is not one of + - . ?", where, cols[6]);
  }
  record.strand = cols[6][0];
  if (cols[7] != ".") {
    if (cols[7].size() != 1 || cols[7][0] < '0' || cols[7][0] > '2') {
      throw FormatError("{}: phase '{}' is not one of 0 1 2 .", where, cols[7]);
    }
    record.phase = cols[7][0] - '0';
  }
  std::string_view attributes = trim(cols[8]);
  if (attributes == ".") return;
  if (gff3) {
    parse_gff3_attributes(attributes, where, record.attributes);
  } else {
    parse_gtf_attributes(attributes, where, record.attributes);
  }
}

}  // namespace seqdl::io
