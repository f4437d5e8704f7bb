#include "core/errors.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace borderlens::store {

const char* nameOf(FeatureType type) {
  return type == FeatureType::Entity ? "entity" : "incident";
}

namespace {

void refuseServerUrl(const std::string& location) {
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0 ||
      location.rfind("PG:", 0) == 0) {
    throw core::DatabaseUnavailable(
        "PostgreSQL/PostGIS databases are not supported by this build yet; use a SpatiaLite file");
  }
  if (location.empty()) throw core::UsageError("no database given");
}

} // namespace

std::unique_ptr<Store> openStore(const std::string& location, OpenMode mode) {
  refuseServerUrl(location);
  return std::make_unique<sqlite::SqliteStore>(location, mode);
}

int peekSchemaVersion(const std::string& location) {
  refuseServerUrl(location);
  sqlite::Connection connection(location, sqlite::Connection::Mode::ReadOnly);
  return sqlite::readSchemaVersion(connection);
}

} // namespace borderlens::store
