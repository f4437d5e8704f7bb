#pragma once

#include "store/postgis/local_spatialite.h"
#include "store/postgis/pg_connection.h"

#include "core/model.h"

#include <string>

namespace borderlens::store::postgis {

// The schema version in the connection's current schema (search_path): 0 when it has no tables
// (PostGIS's spatial_ref_sys aside). Throws core::DatabaseUnavailable when it has tables but no
// borderlens metadata.
int readSchemaVersion(Connection& connection);

// Creates the schema (and the PostGIS extension) in an empty database, or migrates an older one
// forward, each migration in its own transaction under the writers' lock so that two processes
// initialising at once do not collide. Throws core::SchemaMismatch for a newer schema. Tests stop
// at an older targetVersion to check that later migrations keep data.
void migrate(Connection& connection, LocalSpatialite& local, int targetVersion);

// Builds the incident and text indexes a table with rows lacks: a table has them from the commit
// of its first load on (schema version 4). Call in a write transaction, before its COMMIT.
// Returns whether every one of them now exists.
bool ensureBulkIndexes(Connection& connection);
// Takes the lock every borderlens writer holds for its transaction, as SQLite's BEGIN IMMEDIATE
// does: one writer at a time per schema, readers never wait.
void lockWriters(Connection& connection);

// Rewrites the search table from names, identifiers and incidents.
void rebuildSearch(Connection& connection, LocalSpatialite& local);

// A line of COPY text format for the search table.
std::string searchCopyLine(const std::string& kind, core::RecordId recordId, const std::string& vector);

// A tsvector literal holding the tokens of a text at their positions, or "" when it has none.
std::string searchVector(LocalSpatialite& local, const std::string& text);

} // namespace borderlens::store::postgis
