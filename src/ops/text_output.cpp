#include "ops/text_output.h"

#include "core/utf8.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace borderlens::ops {

void appendCsvField(std::string& out, std::string_view value) {
  // One pass over the bytes; find_first_of searches its set once per byte, which was a tenth of
  // a CSV query's time.
  const auto special = [](char c) { return c == ',' || c == '"' || c == '\r' || c == '\n'; };
  if (std::none_of(value.begin(), value.end(), special)) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

namespace {

std::size_t cellWidth(char32_t c) { return core::isHan(c) || core::isHangul(c) ? 2 : 1; }

// Cuts to at most `width` cells, marking the cut with "…".
std::string fit(std::string_view text, std::size_t width) {
  if (displayWidth(text) <= width) return std::string(text);
  std::string out;
  std::size_t used = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const char32_t c = core::decodeUtf8(text, pos);
    if (used + cellWidth(c) + 1 > width) break;
    used += cellWidth(c);
    out.append(text.substr(start, pos - start));
  }
  return out + "\u2026";
}

} // namespace

std::size_t displayWidth(std::string_view text) {
  std::size_t width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) width += cellWidth(core::decodeUtf8(text, pos));
  return width;
}

std::string TextTable::header() const {
  std::vector<std::string> titles;
  for (const auto& column : m_columns) titles.push_back(column.title);
  return row(titles);
}

std::string TextTable::row(const std::vector<std::string>& cells) const {
  std::string line;
  for (std::size_t i = 0; i < m_columns.size(); ++i) {
    const std::string cell = i < cells.size() ? cells[i] : std::string();
    const std::size_t width = m_columns[i].width;
    if (width == 0) {
      line += cell;
      break;
    }
    const std::string shown = fit(cell, width);
    line += shown;
    if (i + 1 < m_columns.size()) line.append(width - displayWidth(shown) + 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line + "\n";
}

std::string formatCoordinate(double value) {
  std::string text;
  appendFixed(text, value, 6);
  return text;
}

void appendFixed(std::string& out, double value, int decimals) {
  // printf's rounding without parsing a format for every number. A double in fixed notation
  // takes at most 309 digits before the point.
  char buffer[384];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  out.append(buffer, result.ptr);
}

} // namespace borderlens::ops
