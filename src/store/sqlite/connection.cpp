#include "store/sqlite/connection.h"

#include "core/errors.h"

// spatialite.h uses sqlite3 types without including sqlite3.h.
#include <sqlite3.h>

#include <spatialite.h>

#include <filesystem>
#include <system_error>

namespace borderlens::store::sqlite {

namespace {

[[noreturn]] void throwUnavailable(const std::string& path, const std::string& why) {
  throw core::DatabaseUnavailable(path + ": " + why);
}

} // namespace

Connection::Connection(const std::string& path, Mode mode) : m_path(path) {
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (mode != Mode::Create && !exists) throwUnavailable(path, "no such database file");
  if (exists && std::filesystem::is_directory(path, ec)) throwUnavailable(path, "is a directory");

  int flags = SQLITE_OPEN_NOMUTEX;
  switch (mode) {
    case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
    case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case Mode::Create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    sqlite3_close_v2(m_db);
    m_db = nullptr;
    throwUnavailable(path, why);
  }
  sqlite3_extended_result_codes(m_db, 1);
  sqlite3_busy_timeout(m_db, 10000);
  m_spatialiteCache = spatialite_alloc_connection();
  spatialite_init_ex(m_db, m_spatialiteCache, 0);

  // SQLite opens lazily: reading the schema is the first touch of the file, and the place where
  // a non-database file is discovered.
  sqlite3_stmt* probe = nullptr;
  if (sqlite3_prepare_v2(m_db, "SELECT count(*) FROM sqlite_master", -1, &probe, nullptr) !=
          SQLITE_OK ||
      (sqlite3_step(probe) != SQLITE_ROW)) {
    const int code = sqlite3_errcode(m_db);
    std::string why = sqlite3_errmsg(m_db);
    sqlite3_finalize(probe);
    if ((code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT) {
      why = "not a SQLite database (or damaged)";
    }
    sqlite3_close_v2(m_db);
    m_db = nullptr;
    spatialite_cleanup_ex(m_spatialiteCache);
    m_spatialiteCache = nullptr;
    throwUnavailable(path, why);
  }
  sqlite3_finalize(probe);
  exec("PRAGMA foreign_keys=ON");
  // 64 MB of page cache: an import touches the R*Tree, FTS and table pages over and over.
  exec("PRAGMA cache_size=-65536");
}

Connection::~Connection() {
  m_cache.clear();
  if (m_db) sqlite3_close_v2(m_db);
  if (m_spatialiteCache) spatialite_cleanup_ex(m_spatialiteCache);
}

void Connection::exec(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : errorMessage();
    sqlite3_free(error);
    throw core::StoreError(m_path + ": " + message);
  }
}

std::string Connection::errorMessage() const { return m_db ? sqlite3_errmsg(m_db) : "closed"; }

std::int64_t Connection::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }

Statement& Connection::cached(const std::string& sql) {
  auto& slot = m_cache[sql];
  if (!slot) slot = std::make_unique<Statement>(*this, sql);
  else slot->reset();
  return *slot;
}

Statement::Statement(Connection& connection, std::string_view sql) : m_connection(connection) {
  if (sqlite3_prepare_v2(connection.handle(), sql.data(), static_cast<int>(sql.size()), &m_stmt,
                         nullptr) != SQLITE_OK) {
    throw core::StoreError(connection.path() + ": " + connection.errorMessage() + " in: " +
                           std::string(sql.substr(0, 200)));
  }
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(m_stmt, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bindNull(int index) {
  sqlite3_bind_null(m_stmt, index);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw core::StoreError(m_connection.path() + ": " + m_connection.errorMessage());
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const {
  return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(m_stmt, column); }

double Statement::real(int column) const { return sqlite3_column_double(m_stmt, column); }

Statement& Statement::bindBlob(int index, const std::vector<std::uint8_t>& bytes) {
  sqlite3_bind_blob(m_stmt, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

int Statement::columnType(int column) const { return sqlite3_column_type(m_stmt, column); }

std::vector<std::uint8_t> Statement::blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
  if (!data) return {};
  return {data, data + sqlite3_column_bytes(m_stmt, column)};
}

std::string Statement::text(int column) const {
  const auto* data = sqlite3_column_text(m_stmt, column);
  if (!data) return {};
  return std::string(reinterpret_cast<const char*>(data),
                     static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::optional<double> Statement::optionalReal(int column) const {
  if (isNull(column)) return std::nullopt;
  return real(column);
}

std::optional<std::string> Statement::optionalText(int column) const {
  if (isNull(column)) return std::nullopt;
  return text(column);
}

} // namespace borderlens::store::sqlite
