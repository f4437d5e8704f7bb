#pragma once

#include "store/sqlite/connection.h"

namespace borderlens::store::sqlite {

// The schema version stored in the file: 0 for a file with no tables at all (a new database).
// Throws core::DatabaseUnavailable for a SQLite file that is not a borderlens database.
int readSchemaVersion(Connection& connection);

// Creates the schema on an empty database, or migrates an older one forward to kSchemaVersion,
// each migration in its own transaction. Throws core::SchemaMismatch for a newer schema. Tests
// stop at an older targetVersion to check that later migrations keep data.
void migrate(Connection& connection, int targetVersion);

// Registers the SQL functions the schema's migrations use on this connection.
void registerFunctions(Connection& connection);

} // namespace borderlens::store::sqlite
