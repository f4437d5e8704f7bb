#pragma once

#include "store/sqlite/connection.h"

#include <string>
#include <vector>

namespace borderlens::store::sqlite {

// The R*Trees over incidents: SpatiaLite's on (x, y), and ours on (x, y, day span).
inline constexpr const char* kIncidentRtree = "idx_incidents_geom";
inline constexpr const char* kIncidentSpanRtree = "incidents_span_rtree";
// The schema version that added kIncidentSpanRtree.
inline constexpr int kSpanRtreeSchemaVersion = 5;

// The schema version stored in the file: 0 for a file with no tables at all (a new database).
// Throws core::DatabaseUnavailable for a SQLite file that is not a borderlens database.
int readSchemaVersion(Connection& connection);

// Creates the schema on an empty database, or migrates an older one forward to kSchemaVersion,
// each migration in its own transaction. Throws core::SchemaMismatch for a newer schema. Tests
// stop at an older targetVersion to check that later migrations keep data.
void migrate(Connection& connection, int targetVersion);

// Packs each R*Tree of `tables` (kIncidentRtree, kIncidentSpanRtree) afresh from every incident
// with a geometry, read once for all of them. Runs inside the caller's transaction.
void packIncidentRtrees(Connection& connection, const std::vector<std::string>& tables);

// Registers the SQL functions the schema's migrations use on this connection.
void registerFunctions(Connection& connection);

} // namespace borderlens::store::sqlite
