#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace borderlens::ops {

// Appends an RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
void appendCsvField(std::string& out, std::string_view value);

// Columns of a fixed width (in terminal cells: Han and Hangul take two), for human output that
// streams row by row. A width of 0 means "the rest of the line".
class TextTable {
 public:
  struct Column {
    std::string title;
    std::size_t width;
  };
  explicit TextTable(std::vector<Column> columns) : m_columns(std::move(columns)) {}
  std::string header() const;
  std::string row(const std::vector<std::string>& cells) const;

 private:
  std::vector<Column> m_columns;
};

// Terminal cells a UTF-8 string takes.
std::size_t displayWidth(std::string_view text);

// Text for a coordinate, fixed to 6 decimals (~0.1 m) so output is stable.
std::string formatCoordinate(double value);

// Appends `value` with `decimals` fixed decimals, rounded as printf's "%.*f" rounds.
void appendFixed(std::string& out, double value, int decimals);

} // namespace borderlens::ops
