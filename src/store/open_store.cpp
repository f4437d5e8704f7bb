#include "core/errors.h"
#include "store/postgis/pg_connection.h"
#include "store/postgis/pg_schema.h"
#include "store/postgis/pg_store.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace borderlens::store {

const char* nameOf(FeatureType type) {
  return type == FeatureType::Entity ? "entity" : "incident";
}

bool isServerLocation(const std::string& location) {
  return postgis::isServerLocation(location);
}

std::unique_ptr<Store> openStore(const std::string& location, OpenMode mode) {
  if (location.empty()) throw core::UsageError("no database given");
  if (postgis::isServerLocation(location)) return std::make_unique<postgis::PgStore>(location, mode);
  return std::make_unique<sqlite::SqliteStore>(location, mode);
}

int peekSchemaVersion(const std::string& location) {
  if (location.empty()) throw core::UsageError("no database given");
  if (postgis::isServerLocation(location)) {
    postgis::Connection connection(postgis::conninfoOf(location), location);
    return postgis::readSchemaVersion(connection);
  }
  sqlite::Connection connection(location, sqlite::Connection::Mode::ReadOnly);
  return sqlite::readSchemaVersion(connection);
}

} // namespace borderlens::store
