#include "store/sqlite/connection.h"

#include "core/errors.h"

// spatialite.h uses sqlite3 types without including sqlite3.h.
#include <sqlite3.h>

#include <spatialite.h>

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <system_error>

namespace borderlens::store::sqlite {

namespace {

[[noreturn]] void throwUnavailable(const std::string& path, const std::string& why) {
  throw core::DatabaseUnavailable(path + ": " + why);
}

std::string parentDirectory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// An SQLite URI naming `path` (absolute, percent-encoded: spaces, '?', '#' and non-ASCII names
// must survive the URI parser) with the given query.
std::string fileUri(const std::string& path, const std::string& query) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::error_code ec;
  const std::string absolute = std::filesystem::absolute(path, ec).lexically_normal().string();
  std::string uri = "file:";
  for (const char c : ec ? path : absolute) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += c;
    } else {
      uri += '%';
      uri += kHex[byte >> 4];
      uri += kHex[byte & 0xF];
    }
  }
  return uri + "?" + query;
}

// Whether the write-ahead log beside `path` holds frames: while it does, the database cannot be
// read from the main file alone.
bool walHasFrames(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path + "-wal", ec);
  return !ec && size > 0;
}

// Why a database cannot be written by this user: SQLite's own "attempt to write a readonly
// database" names neither the file nor the directory at fault.
std::string readOnlyReason(const std::string& path) {
  if (::access(path.c_str(), W_OK) != 0) {
    return "the database file is read-only (no permission to write it)";
  }
  return "the directory " + parentDirectory(path) +
         " is not writable, and SQLite keeps the database's write-ahead log (-wal, -shm files) "
         "there";
}

// A failed statement: a damaged file is the database's state, not a bug (exit 3, like a file
// that is not SQLite at all); anything else is a store error.
[[noreturn]] void throwStatementError(sqlite3* db, const std::string& path, const std::string& message) {
  const int code = sqlite3_errcode(db) & 0xff;
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
    throw core::DatabaseUnavailable(path + ": the database is damaged (" + message +
                                    "); restore it from a copy");
  }
  throw core::StoreError(path + ": " + message);
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
  int code = open(path, flags);
  if ((code & 0xff) == SQLITE_READONLY && mode == Mode::ReadOnly && !walHasFrames(path)) {
    // A WAL database is read through a shared-memory index (-shm) created beside it, which
    // fails in a directory this user cannot write. With no log pending the main file is the
    // whole database, and SQLite reads it as immutable: no -shm, no locks. A writer with more
    // rights starting meanwhile is not seen; a read-only command has no better option.
    code = open(fileUri(path, "immutable=1"), flags | SQLITE_OPEN_URI);
  }
  if (code != SQLITE_OK) {
    if ((code & 0xff) == SQLITE_READONLY && mode != Mode::ReadOnly) {
      throwUnavailable(path, readOnlyReason(path));
    }
    if ((code & 0xff) == SQLITE_CANTOPEN && !exists &&
        ::access(parentDirectory(path).c_str(), W_OK) != 0) {
      throwUnavailable(path, "cannot be created: no permission to write in the directory " +
                                 parentDirectory(path));
    }
    if ((code & 0xff) == SQLITE_READONLY && walHasFrames(path)) {
      throwUnavailable(path, "cannot be read: its write-ahead log holds changes not yet in the "
                             "file, and reading them needs an index (-shm) that cannot be "
                             "created in " + parentDirectory(path));
    }
    throwUnavailable(path, m_openError);
  }
  // SQLite opens a write-protected file read-only instead of failing; an import would only learn
  // so at its first write.
  if (mode != Mode::ReadOnly && sqlite3_db_readonly(m_db, "main") == 1) {
    close();
    throwUnavailable(path, readOnlyReason(path));
  }
  exec("PRAGMA foreign_keys=ON");
  if (mode == Mode::ReadOnly) {
    // A bounding box is an `id IN (SELECT pkid FROM <R*Tree> ...)` read in id order, for which
    // SQLite builds a temporary index of the ids. In a file (the default) a million ids spilled
    // 1.9 GB of page writes to /var/tmp: the same 1M-row query took 3.1 s, against 1.8 s with
    // the index in memory (about 7 MB more). A writer keeps the default: in memory, the sorts
    // that build a 1M-row import's indexes raised its peak by 80 MB, in the same time.
    exec("PRAGMA temp_store=MEMORY");
  }
  setCacheMib(mode == Mode::ReadOnly ? kReadCacheMib : kCacheMib);
}

int Connection::open(const std::string& name, int flags) {
  close();
  int rc = sqlite3_open_v2(name.c_str(), &m_db, flags, nullptr);
  if (rc != SQLITE_OK) {
    m_openError = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
    if (m_db) rc = sqlite3_extended_errcode(m_db);
    close();
    return rc;
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
    rc = sqlite3_extended_errcode(m_db);
    m_openError = sqlite3_errmsg(m_db);
    sqlite3_finalize(probe);
    if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
      m_openError = "not a SQLite database (or damaged)";
    }
    close();
    return rc == SQLITE_OK ? SQLITE_ERROR : rc;
  }
  sqlite3_finalize(probe);
  return SQLITE_OK;
}

void Connection::close() {
  m_cache.clear();
  if (m_db) sqlite3_close_v2(m_db);
  m_db = nullptr;
  if (m_spatialiteCache) spatialite_cleanup_ex(m_spatialiteCache);
  m_spatialiteCache = nullptr;
}

Connection::~Connection() { close(); }

void Connection::exec(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : errorMessage();
    sqlite3_free(error);
    throwStatementError(m_db, m_path, message);
  }
}

namespace {

std::string quotedWith(std::string_view text, char quote) {
  std::string out(1, quote);
  for (const char c : text) {
    out += c;
    if (c == quote) out += c;
  }
  return out + quote;
}

} // namespace

std::string quotedIdentifier(std::string_view name) { return quotedWith(name, '"'); }

std::string quotedLiteral(std::string_view text) { return quotedWith(text, '\''); }

std::string Connection::errorMessage() const { return m_db ? sqlite3_errmsg(m_db) : "closed"; }

std::int64_t Connection::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }

void Connection::setCacheMib(int mib) { exec("PRAGMA cache_size=-" + std::to_string(mib * 1024)); }

bool Connection::anyStatementActive() const {
  for (sqlite3_stmt* s = sqlite3_next_stmt(m_db, nullptr); s; s = sqlite3_next_stmt(m_db, s)) {
    if (sqlite3_stmt_busy(s)) return true;
  }
  return false;
}

Statement& Connection::cached(const std::string& sql) {
  auto& slot = m_cache[sql];
  if (!slot) slot = std::make_unique<Statement>(*this, sql);
  else slot->reset();
  return *slot;
}

Statement::Statement(Connection& connection, std::string_view sql) : m_connection(connection) {
  if (sqlite3_prepare_v2(connection.handle(), sql.data(), static_cast<int>(sql.size()), &m_stmt,
                         nullptr) != SQLITE_OK) {
    throwStatementError(connection.handle(), connection.path(),
                        connection.errorMessage() + " in: " + std::string(sql.substr(0, 200)));
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
  throwStatementError(m_connection.handle(), m_connection.path(), m_connection.errorMessage());
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

std::span<const std::uint8_t> Statement::blobView(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(m_stmt, column));
  if (!data) return {};
  return {data, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
}

void Statement::textInto(int column, std::string& out) const {
  const auto* data = sqlite3_column_text(m_stmt, column);
  if (!data) {
    out.clear();
    return;
  }
  out.assign(reinterpret_cast<const char*>(data),
             static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)));
}

std::string Statement::text(int column) const {
  std::string out;
  textInto(column, out);
  return out;
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
