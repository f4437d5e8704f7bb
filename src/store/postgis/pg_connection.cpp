#include "store/postgis/pg_connection.h"

#include "core/errors.h"
#include "core/redact.h"

#include <libpq-fe.h>

#include <bit>
#include <cstring>
#include <utility>

namespace borderlens::store::postgis {

namespace {

// Type OIDs from PostgreSQL's pg_type.dat; stable across releases (client programs may rely on
// them, and the server headers that name them are not part of libpq-dev).
constexpr Oid kBool = 16;
constexpr Oid kBytea = 17;
constexpr Oid kName = 19;
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kText = 25;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kUnknown = 705;
constexpr Oid kBpchar = 1042;
constexpr Oid kVarchar = 1043;

std::string bigEndian(std::uint64_t value, int bytes) {
  std::string out(static_cast<std::size_t>(bytes), '\0');
  for (int i = bytes - 1; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return out;
}

std::uint64_t readBigEndian(const char* data, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) value = (value << 8) | static_cast<unsigned char>(data[i]);
  return value;
}

// libpq messages run over several lines ("...failed: Connection refused\n\tIs the server
// running..."); a CLI error is one line.
std::string oneLine(std::string text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

void ignoreNotice(void*, const char*) {}

} // namespace

Params& Params::add(std::int64_t value) {
  m_types.push_back(kInt8);
  m_values.push_back(bigEndian(static_cast<std::uint64_t>(value), 8));
  m_null.push_back(false);
  m_lengths.push_back(8);
  m_formats.push_back(1);
  return *this;
}

Params& Params::add(double value) {
  m_types.push_back(kFloat8);
  m_values.push_back(bigEndian(std::bit_cast<std::uint64_t>(value), 8));
  m_null.push_back(false);
  m_lengths.push_back(8);
  m_formats.push_back(1);
  return *this;
}

Params& Params::add(std::string_view value) {
  m_types.push_back(kText);
  m_values.emplace_back(value);
  m_null.push_back(false);
  m_lengths.push_back(static_cast<int>(value.size()));
  m_formats.push_back(1);
  return *this;
}

Params& Params::addBytes(const std::vector<std::uint8_t>& bytes) {
  m_types.push_back(kBytea);
  m_values.emplace_back(bytes.begin(), bytes.end());
  m_null.push_back(false);
  m_lengths.push_back(static_cast<int>(bytes.size()));
  m_formats.push_back(1);
  return *this;
}

Params& Params::addNull() {
  m_types.push_back(0);
  m_values.emplace_back();
  m_null.push_back(true);
  m_lengths.push_back(0);
  m_formats.push_back(1);
  return *this;
}

Params& Params::add(const DumpValue& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) addNull();
        else if constexpr (std::is_same_v<T, DumpBlob>) addBytes(v);
        else add(v);
      },
      value);
  return *this;
}

std::vector<const char*> Params::values() const {
  std::vector<const char*> out;
  out.reserve(m_values.size());
  for (std::size_t i = 0; i < m_values.size(); ++i) {
    out.push_back(m_null[i] ? nullptr : m_values[i].data());
  }
  return out;
}

void BinaryCopy::clear() {
  static constexpr char kHeader[] = "PGCOPY\n\377\r\n";
  m_data.assign(kHeader, sizeof kHeader);  // the signature ends with its own NUL
  m_data += bigEndian(0, 4);               // flags
  m_data += bigEndian(0, 4);               // header extension length
  m_rows = 0;
}

BinaryCopy& BinaryCopy::row(int fields) {
  m_data += bigEndian(static_cast<std::uint64_t>(fields), 2);
  ++m_rows;
  return *this;
}

BinaryCopy& BinaryCopy::null() {
  m_data += bigEndian(0xffffffffu, 4);
  return *this;
}

BinaryCopy& BinaryCopy::int8(std::int64_t value) {
  m_data += bigEndian(8, 4);
  m_data += bigEndian(static_cast<std::uint64_t>(value), 8);
  return *this;
}

BinaryCopy& BinaryCopy::float8(double value) {
  m_data += bigEndian(8, 4);
  m_data += bigEndian(std::bit_cast<std::uint64_t>(value), 8);
  return *this;
}

BinaryCopy& BinaryCopy::text(std::string_view value) {
  m_data += bigEndian(value.size(), 4);
  m_data.append(value);
  return *this;
}

BinaryCopy& BinaryCopy::bytes(const std::uint8_t* data, std::size_t size) {
  m_data += bigEndian(size, 4);
  m_data.append(reinterpret_cast<const char*>(data), size);
  return *this;
}

BinaryCopy& BinaryCopy::geometry(const std::vector<std::uint8_t>& wkb, std::uint32_t srid) {
  if (wkb.size() < 5) throw core::StoreError("a geometry of " + std::to_string(wkb.size()) + " bytes");
  const bool little = wkb[0] == 1;
  const auto put32 = [&](std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
      const int shift = little ? 8 * i : 8 * (3 - i);
      m_data.push_back(static_cast<char>((value >> shift) & 0xff));
    }
  };
  std::uint32_t type = 0;
  for (int i = 0; i < 4; ++i) {
    const std::uint32_t byte = wkb[static_cast<std::size_t>(1 + i)];
    type |= little ? byte << (8 * i) : byte << (8 * (3 - i));
  }
  constexpr std::uint32_t kSridFlag = 0x20000000;
  m_data += bigEndian(wkb.size() + 4, 4);
  m_data.push_back(static_cast<char>(wkb[0]));
  put32(type | kSridFlag);
  put32(srid);
  m_data.append(reinterpret_cast<const char*>(wkb.data()) + 5, wkb.size() - 5);
  return *this;
}

std::string BinaryCopy::take() {
  std::string out = std::move(m_data);
  out += bigEndian(0xffff, 2);
  clear();
  return out;
}

Result::~Result() { PQclear(m_result); }

Result& Result::operator=(Result&& other) noexcept {
  if (this != &other) {
    PQclear(m_result);
    m_result = other.m_result;
    other.m_result = nullptr;
  }
  return *this;
}

int Result::rows() const { return PQntuples(m_result); }

unsigned Result::type(int column) const { return PQftype(m_result, column); }

bool Result::isNull(int row, int column) const { return PQgetisnull(m_result, row, column) != 0; }

std::int64_t Result::integer(int row, int column) const {
  if (isNull(row, column)) return 0;
  const char* data = PQgetvalue(m_result, row, column);
  switch (type(column)) {
    case kInt8: return static_cast<std::int64_t>(readBigEndian(data, 8));
    case kInt4: return static_cast<std::int32_t>(readBigEndian(data, 4));
    case kInt2: return static_cast<std::int16_t>(readBigEndian(data, 2));
    case kBool: return data[0] != 0 ? 1 : 0;
    default:
      throw core::StoreError("result column " + std::to_string(column) + " is not an integer");
  }
}

double Result::real(int row, int column) const {
  if (isNull(row, column)) return 0;
  const char* data = PQgetvalue(m_result, row, column);
  switch (type(column)) {
    case kFloat8: return std::bit_cast<double>(readBigEndian(data, 8));
    case kFloat4:
      return std::bit_cast<float>(static_cast<std::uint32_t>(readBigEndian(data, 4)));
    case kInt8:
    case kInt4:
    case kInt2: return static_cast<double>(integer(row, column));
    default:
      throw core::StoreError("result column " + std::to_string(column) + " is not a number");
  }
}

std::string Result::text(int row, int column) const {
  if (isNull(row, column)) return {};
  switch (type(column)) {
    case kText:
    case kVarchar:
    case kBpchar:
    case kName:
    case kUnknown:
    case kBytea:
      return std::string(PQgetvalue(m_result, row, column),
                         static_cast<std::size_t>(PQgetlength(m_result, row, column)));
    default:
      throw core::StoreError("result column " + std::to_string(column) + " is not text");
  }
}

std::vector<std::uint8_t> Result::bytes(int row, int column) const {
  if (isNull(row, column)) return {};
  const auto* data = reinterpret_cast<const std::uint8_t*>(PQgetvalue(m_result, row, column));
  return {data, data + PQgetlength(m_result, row, column)};
}

std::optional<double> Result::optionalReal(int row, int column) const {
  if (isNull(row, column)) return std::nullopt;
  return real(row, column);
}

std::optional<std::string> Result::optionalText(int row, int column) const {
  if (isNull(row, column)) return std::nullopt;
  return text(row, column);
}

DumpValue Result::value(int row, int column) const {
  if (isNull(row, column)) return std::monostate{};
  switch (type(column)) {
    case kInt8:
    case kInt4:
    case kInt2:
    case kBool: return integer(row, column);
    case kFloat8:
    case kFloat4: return real(row, column);
    case kBytea: return bytes(row, column);
    default: return text(row, column);
  }
}

Connection::Connection(const std::string& conninfo, const std::string& location)
    : m_location(core::redactSecrets(location)) {
  char* parseError = nullptr;
  if (PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &parseError)) {
    for (PQconninfoOption* o = options; o->keyword; ++o) {
      if (std::strcmp(o->keyword, "password") == 0 && o->val) m_password = o->val;
    }
    PQconninfoFree(options);
  } else {
    // The parser quotes what it cannot read (the whole URL, a bad percent-escape in the password);
    // the password is unknown when parsing fails, so nothing quoted is shown.
    std::string why = parseError ? oneLine(parseError) : "unreadable connection string";
    PQfreemem(parseError);
    why = why.substr(0, why.find('"'));
    while (!why.empty() && (why.back() == ' ' || why.back() == ':')) why.pop_back();
    throw core::DatabaseUnavailable(m_location + ": " + why);
  }
  // Later keywords override earlier ones, and the expanded dbname overrides those before it: the
  // user's connection string may change the timeout and the application name, never the encoding.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                            nullptr};
  const char* values[] = {"10", "borderlens", conninfo.c_str(), "UTF8", nullptr};
  m_conn = PQconnectdbParams(keywords, values, 1);
  if (!m_conn) throw core::DatabaseUnavailable(m_location + ": out of memory connecting");
  if (PQstatus(m_conn) != CONNECTION_OK) {
    const std::string why = scrub(oneLine(PQerrorMessage(m_conn)));
    PQfinish(m_conn);
    m_conn = nullptr;
    throw core::DatabaseUnavailable(m_location + ": " + why);
  }
  // Notices ("extension already exists, skipping") would go to stderr from inside a library.
  PQsetNoticeProcessor(m_conn, &ignoreNotice, nullptr);
  // The planner prices a feature stream with its per-row link aggregates high enough to compile
  // it (JIT, PostgreSQL 11 and later): 200 ms of a 280 ms viewport query of 14,000 incidents,
  // for a query that never runs long enough to repay it.
  if (PQserverVersion(m_conn) >= 110000) query("SET jit = off");
  // Every cursor here is read to its end (a caller wanting fewer rows puts a LIMIT in its SQL);
  // planned for the first tenth, PostgreSQL's default, a 140,000-row viewport query of 1M
  // incidents took 0.52 s on the server instead of 0.44 s.
  query("SET cursor_tuple_fraction = 1");
}

Connection::~Connection() {
  if (m_conn) PQfinish(m_conn);
}

std::string Connection::scrub(std::string message) const {
  if (m_password.empty()) return message;
  for (std::size_t at = message.find(m_password); at != std::string::npos;
       at = message.find(m_password, at + 3)) {
    message.replace(at, m_password.size(), "***");
  }
  return message;
}

void Connection::fail(const std::string& what, pg_result* result) const {
  std::string why = result ? PQresultErrorMessage(result) : "";
  if (why.empty()) why = PQerrorMessage(m_conn);
  PQclear(result);
  why = scrub(oneLine(why));
  if (PQstatus(m_conn) != CONNECTION_OK) {
    throw core::DatabaseUnavailable(m_location + ": connection lost: " + why);
  }
  throw core::StoreError(m_location + ": " + why + (what.empty() ? "" : " in: " + what));
}

Result Connection::check(pg_result* result, const std::string& sql) const {
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(sql.substr(0, 200), result);
  return Result(result);
}

void Connection::settle() {
  if (m_pendingSql.empty()) return;
  const std::string sql = std::exchange(m_pendingSql, {});
  std::optional<Result>* into = std::exchange(m_prefetch, nullptr);
  pg_result* result = PQgetResult(m_conn);
  // One result per statement: the null that ends it is read before the next one is sent.
  while (pg_result* extra = PQgetResult(m_conn)) PQclear(extra);
  Result checked = check(result, sql);
  if (into) *into = std::move(checked);
}

void Connection::rollback() {
  if (!m_pendingSql.empty()) {
    m_pendingSql.clear();
    m_prefetch = nullptr;
    while (pg_result* result = PQgetResult(m_conn)) PQclear(result);
  }
  command("ROLLBACK");
}

void Connection::command(std::string_view sql) {
  settle();
  const std::string text(sql);
  pg_result* result = PQexec(m_conn, text.c_str());
  check(result, text);
}

Result Connection::query(const std::string& sql, const Params& params) {
  settle();
  const auto values = params.values();
  return check(PQexecParams(m_conn, sql.c_str(), static_cast<int>(params.size()), params.types(),
                            values.data(), params.lengths(), params.formats(), 1),
               sql);
}

Result Connection::prepared(const std::string& sql, const Params& params) {
  // A statement is prepared for the parameter types it is first run with; SQL NULLs have no
  // type, so a later run with other types gets its own prepared variant.
  std::string key = sql;
  settle();
  key.push_back('\0');
  for (std::size_t i = 0; i < params.size(); ++i) key += std::to_string(params.types()[i]) + ",";
  auto it = m_statements.find(key);
  if (it == m_statements.end()) {
    const std::string name = "bl_" + std::to_string(m_statements.size() + 1);
    check(PQprepare(m_conn, name.c_str(), sql.c_str(), static_cast<int>(params.size()),
                    params.types()),
          sql);
    it = m_statements.emplace(std::move(key), name).first;
  }
  const auto values = params.values();
  return check(PQexecPrepared(m_conn, it->second.c_str(), static_cast<int>(params.size()),
                              values.data(), params.lengths(), params.formats(), 1),
               sql);
}

void Connection::stream(const std::string& sql, const Params& params,
                        const std::function<bool(const Result&, int row)>& callback, int batch) {
  const std::string cursor = "bl_cursor_" + std::to_string(++m_cursors);
  query("DECLARE " + cursor + " NO SCROLL CURSOR FOR " + sql, params);
  struct Closer {
    Connection& connection;
    const std::string& cursor;
    ~Closer() {
      try {
        if (PQtransactionStatus(connection.m_conn) == PQTRANS_INTRANS) {
          connection.command("CLOSE " + cursor);
        }
      } catch (...) {
        // The cursor dies with its transaction anyway.
      }
    }
  } closer{*this, cursor};
  const std::string fetch = "FETCH FORWARD " + std::to_string(batch) + " FROM " + cursor;
  std::optional<Result> rows = query(fetch);
  // Leaving by an exception, the batch on its way is read before `rows` goes and before the
  // cursor is closed.
  struct PrefetchReader {
    Connection& connection;
    std::optional<Result>& rows;
    ~PrefetchReader() {
      try {
        if (connection.m_prefetch == &rows) connection.settle();
      } catch (...) {
        // The error that is unwinding is the one to report.
      }
    }
  } reader{*this, rows};
  for (;;) {
    if (!rows) throw core::StoreError(m_location + ": a transaction ended while its cursor was read");
    const Result current = std::move(*rows);
    rows.reset();
    const bool more = current.rows() == batch;
    if (more) {
      // Read at the connection's next use: the callback's own query, or the next turn here.
      if (PQsendQueryParams(m_conn, fetch.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1) != 1) {
        fail(fetch);
      }
      m_prefetch = &rows;
      m_pendingSql = fetch;
    }
    for (int row = 0; row < current.rows(); ++row) {
      if (!callback(current, row)) {
        if (m_prefetch == &rows) settle();
        return;
      }
    }
    if (!more) return;
    if (m_prefetch == &rows) settle();
  }
}

void Connection::copyIn(const std::string& sql, const std::string& payload,
                        Completion completion) {
  settle();
  pg_result* start = PQexec(m_conn, sql.c_str());
  if (PQresultStatus(start) != PGRES_COPY_IN) fail(sql, start);
  PQclear(start);
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t at = 0; at < payload.size(); at += kChunk) {
    const std::size_t size = std::min(kChunk, payload.size() - at);
    if (PQputCopyData(m_conn, payload.data() + at, static_cast<int>(size)) != 1) fail(sql);
  }
  if (PQputCopyEnd(m_conn, nullptr) != 1) fail(sql);
  m_pendingSql = sql;
  if (completion == Completion::Wait) settle();
}

bool Connection::inTransaction() const {
  return PQtransactionStatus(m_conn) != PQTRANS_IDLE;
}

} // namespace borderlens::store::postgis
