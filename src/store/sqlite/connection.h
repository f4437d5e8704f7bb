#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace borderlens::store::sqlite {

// An open SQLite connection with SpatiaLite initialised on it (linked, not loaded as an
// extension: PLATFORM.md).
class Connection {
 public:
  enum class Mode { ReadOnly, ReadWrite, Create };
  Connection(const std::string& path, Mode mode);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return m_db; }
  const std::string& path() const { return m_path; }
  // Runs one or more statements without results; throws core::StoreError with the SQL error.
  void exec(std::string_view sql);
  std::string errorMessage() const;
  std::int64_t lastInsertId() const;
  // 64 MB of page cache: an import touches the R*Tree, FTS and table pages over and over.
  static constexpr int kCacheMib = 64;
  // A reader streams rows in id order and reads each table page about once; its cache need only
  // hold the interior pages. At 1M incidents a 141,506-row query peaked at 111 MB with 64 MB of
  // cache and at 52 MB with 8, a GeoJSON export at 115 and 59 MB, in the same time.
  static constexpr int kReadCacheMib = 8;
  void setCacheMib(int mib);
  // Whether a statement has stepped and not yet been reset: SQLite refuses DROP INDEX meanwhile.
  bool anyStatementActive() const;
  // A prepared statement kept for the connection's life, reset and unbound: bulk imports run the
  // same few inserts millions of times, and preparing costs more than running them.
  class Statement& cached(const std::string& sql);

 private:
  // Opens `name` (a path or a URI) and reads its schema; returns SQLite's extended result code,
  // with the reason in m_openError when it is not SQLITE_OK.
  int open(const std::string& name, int flags);
  void close();

  std::unordered_map<std::string, std::unique_ptr<class Statement>> m_cache;
  sqlite3* m_db = nullptr;
  void* m_spatialiteCache = nullptr;
  std::string m_path;
  std::string m_openError;
};

// SQL quoting for names and text that cannot be bound as parameters (DDL, table names): the
// quote doubled inside. "an identifier" and 'a literal'.
std::string quotedIdentifier(std::string_view name);
std::string quotedLiteral(std::string_view text);

// A prepared statement; binds are 1-based like SQLite's, columns 0-based.
class Statement {
 public:
  Statement(Connection& connection, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view value);
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bindNull(int index);
  Statement& bindBlob(int index, const std::vector<std::uint8_t>& bytes);
  template <typename T>
  Statement& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bindNull(index);
  }

  // Steps once; true while a row is available.
  bool step();
  // Steps to completion of a statement that returns no rows.
  void run();
  void reset();

  bool isNull(int column) const;
  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
  int columnType(int column) const;
  std::vector<std::uint8_t> blob(int column) const;
  // The column's bytes, valid until the next step, reset or read of the column as text.
  std::span<const std::uint8_t> blobView(int column) const;
  std::int64_t integer(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  // text(column) into `out`, whose capacity a loop over many rows reuses.
  void textInto(int column, std::string& out) const;
  std::optional<double> optionalReal(int column) const;
  std::optional<std::string> optionalText(int column) const;

 private:
  Connection& m_connection;
  sqlite3_stmt* m_stmt = nullptr;
};

// Resets a cached statement when a lookup leaves scope, also by an exception: a stepped statement
// left unreset would hold its read transaction, and with it a stale WAL snapshot, until its next use.
class ResetOnExit {
 public:
  explicit ResetOnExit(Statement& statement) : m_statement(statement) {}
  ~ResetOnExit() { m_statement.reset(); }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  Statement& m_statement;
};

} // namespace borderlens::store::sqlite
