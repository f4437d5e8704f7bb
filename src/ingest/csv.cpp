#include "ingest/csv.h"

#include "core/errors.h"
#include "core/utf8.h"
#include "ingest/file_source.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace borderlens::ingest {

namespace {

constexpr std::size_t kBufferSize = 1 << 20;
// Far more columns than any format borderlens reads (ACLED has 31).
constexpr std::size_t kMaxFields = 4096;

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// Parsers look columns up by name for every row, so this must not allocate.
bool equalsFolded(std::string_view folded, std::string_view name) {
  if (folded.size() != name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (lower(name[i]) != folded[i]) return false;
  }
  return true;
}

} // namespace

CsvReader::CsvReader(const std::string& path) : m_buffer(kBufferSize) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    throw core::InputRejected(path + ": is a directory, not a CSV file");
  }
  m_file = std::fopen(path.c_str(), "rb");
  if (!m_file) throw core::InputRejected(path + ": cannot open (" + std::strerror(errno) + ")");
  const auto size = std::filesystem::file_size(path, error);
  m_fileSize = error ? 0 : size;
}

CsvReader::~CsvReader() {
  if (m_file) std::fclose(m_file);
}

bool CsvReader::fill() {
  m_pos = 0;
  m_end = std::fread(m_buffer.data(), 1, m_buffer.size(), m_file);
  return m_end > 0;
}

int CsvReader::get() {
  if (m_pos == m_end && !fill()) return EOF;
  ++m_bytesRead;
  return static_cast<unsigned char>(m_buffer[m_pos++]);
}

int CsvReader::peek() {
  if (m_pos == m_end && !fill()) return EOF;
  return static_cast<unsigned char>(m_buffer[m_pos]);
}

bool CsvReader::next(CsvRecord& record) {
  record.fields.clear();
  record.error.clear();
  if (!m_started) {
    m_started = true;
    const bool bom = peek() != EOF && m_end - m_pos >= 3 &&
                     std::memcmp(&m_buffer[m_pos], "\xEF\xBB\xBF", 3) == 0;
    if (bom) {
      m_pos += 3;
      m_bytesRead += 3;
    }
  }

  // Only a line end counts as a line; "\r\n" and a lone "\r" are one line end each.
  auto endOfLine = [this](int c) {
    if (c == '\r' && peek() == '\n') get();
    ++m_line;
  };

  int c = get();
  while (c == '\n' || c == '\r') {
    endOfLine(c);
    c = get();
  }
  if (c == EOF) return false;
  record.line = m_line;

  enum class State { FieldStart, Unquoted, Quoted, AfterQuote };
  State state = State::FieldStart;
  std::string field;
  // A record past kMaxRecordBytes is still read to its end, so that the next one starts in the
  // right place, but nothing more of it is kept: the caller rejects it by its error.
  std::size_t recordBytes = 0;
  bool tooLong = false;
  auto stopKeeping = [&](std::string why) {
    tooLong = true;
    record.error = std::move(why);
    record.fields = {};
    field = {};
  };
  auto endField = [&] {
    // An empty field costs no bytes of the file but a string of memory: a line of commas
    // must not become millions of them.
    if (!tooLong && record.fields.size() == kMaxFields) {
      stopKeeping("the record has more than " + std::to_string(kMaxFields) + " fields");
    }
    if (!tooLong) record.fields.push_back(std::move(field));
    field.clear();
  };
  for (;; c = get()) {
    if (c == EOF) {
      if (state == State::Quoted && record.error.empty()) {
        record.error = "unterminated quoted field";
      }
      endField();
      return true;
    }
    if (!tooLong && ++recordBytes > kMaxRecordBytes) {
      stopKeeping("the record is longer than " + std::to_string(kMaxRecordBytes >> 20) + " MiB");
    }
    const char ch = static_cast<char>(c);
    switch (state) {
      case State::FieldStart:
        if (ch == '"') {
          state = State::Quoted;
          break;
        }
        state = State::Unquoted;
        [[fallthrough]];
      case State::Unquoted:
      case State::AfterQuote:
        if (ch == ',') {
          endField();
          state = State::FieldStart;
        } else if (ch == '\n' || ch == '\r') {
          endOfLine(c);
          endField();
          return true;
        } else {
          if (state == State::AfterQuote && record.error.empty()) {
            record.error = "text after the closing quote of field " +
                           std::to_string(record.fields.size() + 1);
          }
          if (!tooLong) field += ch;
        }
        break;
      case State::Quoted:
        if (ch == '"') {
          if (peek() == '"') {
            get();
            if (!tooLong) field += '"';
          } else {
            state = State::AfterQuote;
          }
        } else {
          if (ch == '\n' || (ch == '\r' && peek() != '\n')) ++m_line;
          if (!tooLong) field += ch;
        }
        break;
    }
  }
}

CsvHeader::CsvHeader(const std::string& path, std::vector<std::string> names) {
  for (auto& name : names) {
    if (core::firstInvalidUtf8(name) != std::string::npos) {
      throw core::InputRejected(path + ":1: the header is not valid UTF-8");
    }
    name = std::string(trim(name));
    if (name.empty()) throw core::InputRejected(path + ":1: the header has an empty column name");
    std::string folded = toLower(name);
    if (std::find(m_folded.begin(), m_folded.end(), folded) != m_folded.end()) {
      throw core::InputRejected(path + ":1: column '" + name + "' appears twice in the header");
    }
    m_folded.push_back(std::move(folded));
  }
  m_names = std::move(names);
}

std::optional<std::size_t> CsvHeader::find(std::string_view name) const {
  for (std::size_t i = 0; i < m_folded.size(); ++i) {
    if (equalsFolded(m_folded[i], name)) return i;
  }
  return std::nullopt;
}

std::string_view CsvHeader::value(const CsvRecord& record, std::string_view name) const {
  const auto index = find(name);
  if (!index || *index >= record.fields.size()) return {};
  return record.fields[*index];
}

std::string CsvHeader::rowProblem(const CsvRecord& record) const {
  if (!record.error.empty()) return record.error;
  if (record.fields.size() != m_names.size()) {
    return "expected " + std::to_string(m_names.size()) + " fields, found " + std::to_string(record.fields.size());
  }
  for (std::size_t i = 0; i < record.fields.size() && i < m_names.size(); ++i) {
    if (core::firstInvalidUtf8(record.fields[i]) != std::string::npos) {
      return "invalid UTF-8 in column '" + m_names[i] + "'";
    }
  }
  return {};
}

std::vector<std::string> CsvHeader::unknownColumns(const std::vector<std::string>& known) const {
  std::vector<std::string> unknown;
  for (std::size_t i = 0; i < m_names.size(); ++i) {
    const bool isKnown = std::any_of(known.begin(), known.end(), [&](const std::string& k) {
      return equalsFolded(m_folded[i], k);
    });
    if (!isKnown) unknown.push_back(m_names[i]);
  }
  return unknown;
}

CsvHeader readCsvHeader(CsvReader& reader, const std::string& path) {
  CsvRecord header;
  if (!reader.next(header)) throw core::InputRejected(path + ": the file is empty");
  if (!header.error.empty()) throw core::InputRejected(path + ":1: header: " + header.error);
  return CsvHeader(path, std::move(header.fields));
}

std::vector<std::string> splitList(std::string_view cell, char separator) {
  std::vector<std::string> values;
  std::string value;
  bool quoted = false;
  for (std::size_t i = 0; i < cell.size(); ++i) {
    const char ch = cell[i];
    if (quoted) {
      if (ch == '"' && i + 1 < cell.size() && cell[i + 1] == '"') {
        value += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        value += ch;
      }
    } else if (ch == '"' && trim(value).empty()) {
      value.clear();
      quoted = true;
    } else if (ch == separator) {
      if (!trim(value).empty()) values.emplace_back(trim(value));
      value.clear();
    } else {
      value += ch;
    }
  }
  if (!trim(value).empty()) values.emplace_back(trim(value));
  return values;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && isBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && isBlank(text.back())) text.remove_suffix(1);
  return text;
}

std::string fileName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

void reportReadProgress(const core::Progress& progress, std::uint64_t done, std::uint64_t total,
                        const std::string& path) {
  const double fraction =
      total == 0 ? 0.0 : std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
  if (!core::reportProgress(progress, fraction, "reading " + fileName(path))) {
    throw core::Cancelled();
  }
}

std::string toLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

} // namespace borderlens::ingest
