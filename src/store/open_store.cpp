#include "core/errors.h"
#include "core/redact.h"
#include "store/postgis/pg_connection.h"
#include "store/postgis/pg_schema.h"
#include "store/postgis/pg_store.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

#include <filesystem>

namespace borderlens::store {

const char* nameOf(FeatureType type) {
  return type == FeatureType::Entity ? "entity" : "incident";
}

bool isServerLocation(const std::string& location) {
  return postgis::isServerLocation(location);
}

namespace {

// "host=db dbname=border" without PG: would otherwise become a new SQLite file of that name.
void refuseBareConninfo(const std::string& location) {
  std::error_code ec;
  if (!postgis::isLibpqKeywords(location) || std::filesystem::exists(location, ec)) return;
  const std::string shown = core::redactSecrets(location);
  throw core::UsageError("'" + shown + "' is a PostgreSQL connection string, not a file: write it "
                         "as PG:" + shown + " or as a postgresql:// URL");
}

} // namespace

std::unique_ptr<Store> openStore(const std::string& location, OpenMode mode) {
  if (location.empty()) throw core::UsageError("no database given");
  if (postgis::isServerLocation(location)) return std::make_unique<postgis::PgStore>(location, mode);
  refuseBareConninfo(location);
  return std::make_unique<sqlite::SqliteStore>(location, mode);
}

int peekSchemaVersion(const std::string& location) {
  if (location.empty()) throw core::UsageError("no database given");
  if (postgis::isServerLocation(location)) {
    postgis::Connection connection(postgis::conninfoOf(location), location);
    return postgis::readSchemaVersion(connection);
  }
  refuseBareConninfo(location);
  sqlite::Connection connection(location, sqlite::Connection::Mode::ReadOnly);
  return sqlite::readSchemaVersion(connection);
}

} // namespace borderlens::store
