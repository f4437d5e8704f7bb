#pragma once

#include "store/store.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace borderlens::store::postgis {

// Query parameters, sent in binary with their types stated, so that no value is ever spliced into
// SQL text and no number is rounded through a decimal string.
class Params {
 public:
  Params& add(std::int64_t value);
  Params& add(int value) { return add(static_cast<std::int64_t>(value)); }
  Params& add(double value);
  Params& add(std::string_view value);
  Params& add(const std::string& value) { return add(std::string_view(value)); }
  Params& add(const char* value) { return add(std::string_view(value)); }
  Params& addBytes(const std::vector<std::uint8_t>& bytes);
  Params& addNull();
  template <typename T>
  Params& add(const std::optional<T>& value) {
    return value ? add(*value) : addNull();
  }
  Params& add(const DumpValue& value);

  std::size_t size() const { return m_types.size(); }
  const unsigned* types() const { return m_types.data(); }
  const int* lengths() const { return m_lengths.data(); }
  const int* formats() const { return m_formats.data(); }
  // Pointers into the stored values (null for SQL NULL); valid until the next add().
  std::vector<const char*> values() const;

 private:
  std::vector<unsigned> m_types;
  std::vector<std::string> m_values;
  std::vector<bool> m_null;
  std::vector<int> m_lengths;
  std::vector<int> m_formats;
};

// The payload of COPY ... FROM STDIN (FORMAT binary): no value is parsed from text on the way in.
class BinaryCopy {
 public:
  BinaryCopy() { clear(); }
  BinaryCopy& row(int fields);
  BinaryCopy& null();
  BinaryCopy& int8(std::int64_t value);
  BinaryCopy& float8(double value);
  BinaryCopy& text(std::string_view value);
  BinaryCopy& bytes(const std::uint8_t* data, std::size_t size);
  // PostGIS reads a geometry's binary form as EWKB: the WKB type gains the SRID flag and the SRID.
  BinaryCopy& geometry(const std::vector<std::uint8_t>& wkb, std::uint32_t srid);

  bool empty() const { return m_rows == 0; }
  std::size_t rows() const { return m_rows; }
  std::size_t bytes() const { return m_data.size(); }
  // The payload with its trailer; the buffer starts over.
  std::string take();

 private:
  void clear();
  std::string m_data;
  std::size_t m_rows = 0;
};

// A query result in binary format; rows and columns are 0-based.
class Result {
 public:
  explicit Result(pg_result* result) : m_result(result) {}
  ~Result();
  Result(Result&& other) noexcept : m_result(other.m_result) { other.m_result = nullptr; }
  Result& operator=(Result&& other) noexcept;
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;

  int rows() const;
  bool isNull(int row, int column) const;
  std::int64_t integer(int row, int column) const;
  double real(int row, int column) const;
  std::string text(int row, int column) const;
  std::vector<std::uint8_t> bytes(int row, int column) const;
  std::optional<double> optionalReal(int row, int column) const;
  std::optional<std::string> optionalText(int row, int column) const;
  unsigned columnType(int column) const { return type(column); }
  // The column as a dump value of its own type (bigint, double, text, bytea; NULL).
  DumpValue value(int row, int column) const;

 private:
  unsigned type(int column) const;
  pg_result* m_result = nullptr;
};

// One libpq connection. Every message it puts in an exception names the location with its
// password redacted, and never the connection string itself.
class Connection {
 public:
  // `conninfo`: a postgresql:// URL or libpq key=value string; `location`: what the user gave,
  // shown redacted in messages.
  Connection(const std::string& conninfo, const std::string& location);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  const std::string& location() const { return m_location; }

  // Runs one or more statements without parameters or results.
  void command(std::string_view sql);
  // Runs one statement; results come back in binary.
  Result query(const std::string& sql, const Params& params = {});
  // The same, through a statement prepared once per connection: the per-row inserts of an
  // import run the same few statements millions of times.
  Result prepared(const std::string& sql, const Params& params = {});
  // Streams a query's rows through a cursor, `batch` rows per round trip, so a million rows never
  // sit in memory at once and the callback may run other queries. Must run inside a
  // transaction. The callback returns false to stop. The next batch is asked for before the
  // callback sees this one, so the server forms it meanwhile.
  void stream(const std::string& sql, const Params& params,
              const std::function<bool(const Result&, int row)>& callback, int batch = 4096);
  // COPY ... FROM STDIN with the given (binary or text) payload. `Deferred` returns once the
  // payload is sent: the server's work on it overlaps the caller's until the connection's next
  // use, which waits for it and throws its error.
  enum class Completion { Wait, Deferred };
  void copyIn(const std::string& sql, const std::string& payload,
              Completion completion = Completion::Wait);
  // Ends the transaction; the outcome of a deferred COPY in it no longer matters.
  void rollback();

  bool inTransaction() const;

 private:
  [[noreturn]] void fail(const std::string& what, pg_result* result = nullptr) const;
  std::string scrub(std::string message) const;
  Result check(pg_result* result, const std::string& sql) const;
  // Waits for a deferred COPY or a prefetched batch; throws its error.
  void settle();

  // The statement whose result has not been read yet: a deferred COPY, or the FETCH of a
  // stream's next batch, which goes to m_prefetch once it arrives.
  std::string m_pendingSql;
  std::optional<Result>* m_prefetch = nullptr;

  pg_conn* m_conn = nullptr;
  std::string m_location;
  std::string m_password;  // only to scrub it from server messages, never shown
  std::unordered_map<std::string, std::string> m_statements;
  int m_cursors = 0;
};

} // namespace borderlens::store::postgis
