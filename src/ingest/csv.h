#pragma once

#include "core/progress.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// RFC 4180 reading for the CSV formats borderlens imports (incidents, rounds, ACLED,
// OpenSanctions targets.simple.csv). GDAL's CSV driver and CPL's CSVReadParseLine*() were not
// enough: neither tells on which line a record starts once a quoted field spans lines, and both
// quietly pad or cut a row of the wrong width. The import report must name the line of every
// rejected row and reject rows of the wrong width, hence this small reader.
namespace borderlens::ingest {

struct CsvRecord {
  std::vector<std::string> fields;
  std::uint64_t line = 0;  // where the record starts, 1-based
  // Set when the record is malformed (an unterminated quote, text after a closing quote); the
  // fields then hold what could be read, and the caller rejects the record.
  std::string error;
};

class CsvReader {
 public:
  // Throws core::InputRejected naming the file when it cannot be opened.
  explicit CsvReader(const std::string& path);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // The next record, skipping empty lines; false at the end of the file. A UTF-8 byte-order
  // mark before the first record is dropped.
  bool next(CsvRecord& record);

  std::uint64_t bytesRead() const { return m_bytesRead; }
  std::uint64_t fileSize() const { return m_fileSize; }

 private:
  int get();
  int peek();
  bool fill();

  std::FILE* m_file = nullptr;
  std::vector<char> m_buffer;
  std::size_t m_pos = 0;
  std::size_t m_end = 0;
  std::uint64_t m_bytesRead = 0;
  std::uint64_t m_fileSize = 0;
  std::uint64_t m_line = 1;
  bool m_started = false;
};

// A header row: column names looked up case-insensitively, as OGR does, so that an ACLED export
// with EVENT_DATE and one with event_date read alike.
class CsvHeader {
 public:
  // Throws core::InputRejected naming the file for an empty or duplicated column name or a name
  // that is not UTF-8.
  CsvHeader(const std::string& path, std::vector<std::string> names);

  std::optional<std::size_t> find(std::string_view name) const;
  bool has(std::string_view name) const { return find(name).has_value(); }
  const std::vector<std::string>& names() const { return m_names; }
  std::size_t size() const { return m_names.size(); }

  // The value of `name` in `record`, or an empty view when the column is absent.
  std::string_view value(const CsvRecord& record, std::string_view name) const;

  // Why a row cannot be read, or "" when it can: the reader's own error (an unterminated
  // quote), a field count other than the header's, or a field that is not UTF-8 ("invalid
  // UTF-8 in column 'NAME'").
  std::string rowProblem(const CsvRecord& record) const;

  // The columns not in `known`, for the report ("unknown columns are reported and ignored").
  std::vector<std::string> unknownColumns(const std::vector<std::string>& known) const;

 private:
  std::vector<std::string> m_names;
  std::vector<std::string> m_folded;
};

// Reads the header row; throws core::InputRejected naming the file when it is empty or the
// header is malformed.
CsvHeader readCsvHeader(CsvReader& reader, const std::string& path);

// The values of a cell that holds several, separated by `separator` and quoted RFC 4180 style
// when a value contains it (OpenSanctions writes its list cells so). Values are trimmed and
// empty ones dropped.
std::vector<std::string> splitList(std::string_view cell, char separator = ';');

std::string_view trim(std::string_view text);
std::string toLower(std::string_view text);

// Shared by the parsers: the file name of a path (for list sources and progress messages), and
// progress as `done` of `total` (bytes or records) that throws core::Cancelled when the callback
// asks to stop.
std::string fileName(const std::string& path);
void reportReadProgress(const core::Progress& progress, std::uint64_t done, std::uint64_t total,
                        const std::string& path);

} // namespace borderlens::ingest
