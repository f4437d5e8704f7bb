#include "store/sqlite/schema.h"

#include "core/errors.h"
#include "core/utf8.h"
#include "store/sqlite/rtree_pack.h"
#include "store/store.h"

#include <sqlite3.h>

#include <array>
#include <string>

namespace borderlens::store::sqlite {

namespace {

// Version 1: the records. Geometry columns are added through SpatiaLite so that its metadata and
// R*Tree indexes know them. The CHECKs list values with OR, not IN: SQLite builds the lookup table
// of an IN list anew for every row a CHECK tests, a third of the cost of a record_sources insert.
// (Databases created with the IN lists hold the same rows; only their imports are slower.)
constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources(
  id INTEGER PRIMARY KEY,
  publisher TEXT NOT NULL,
  title TEXT NOT NULL,
  published TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  file TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL DEFAULT '',
  UNIQUE(publisher, title, published, url, file, sha256));
CREATE TABLE import_batches(
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  format TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL DEFAULT '',
  report TEXT NOT NULL DEFAULT '{}');
CREATE INDEX import_batches_sha256 ON import_batches(sha256);
CREATE TABLE entities(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL
    CHECK (kind = 'organization' OR kind = 'person' OR kind = 'vessel' OR kind = 'aircraft'),
  primary_name TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  first_seen TEXT,
  last_seen TEXT);
CREATE TABLE names(
  id INTEGER PRIMARY KEY,
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  script TEXT NOT NULL,
  language TEXT NOT NULL DEFAULT '',
  is_primary INTEGER NOT NULL DEFAULT 0,
  quality TEXT NOT NULL DEFAULT '');
CREATE INDEX names_entity ON names(entity_id);
CREATE TABLE identifiers(
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  scheme TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY(scheme, value, entity_id)) WITHOUT ROWID;
CREATE INDEX identifiers_entity ON identifiers(entity_id);
CREATE TABLE locations(
  id INTEGER PRIMARY KEY,
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  precision TEXT NOT NULL
    CHECK (precision = 'exact' OR precision = 'street' OR precision = 'city' OR
           precision = 'province' OR precision = 'country' OR precision = 'region'),
  address TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT '',
  border_km REAL);
CREATE INDEX locations_entity ON locations(entity_id);
CREATE TABLE rounds(
  id TEXT PRIMARY KEY,
  authority TEXT NOT NULL,
  date TEXT NOT NULL,
  day INTEGER NOT NULL,
  label TEXT NOT NULL,
  legal_basis TEXT NOT NULL DEFAULT '');
CREATE TABLE designations(
  id INTEGER PRIMARY KEY,
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  authority TEXT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  listed TEXT,
  listed_day INTEGER,
  delisted TEXT,
  delisted_day INTEGER,
  round_id TEXT REFERENCES rounds(id));
CREATE INDEX designations_entity ON designations(entity_id);
CREATE INDEX designations_round ON designations(round_id);
CREATE TABLE designation_programs(
  designation_id INTEGER NOT NULL REFERENCES designations(id) ON DELETE CASCADE,
  program TEXT NOT NULL,
  PRIMARY KEY(designation_id, program)) WITHOUT ROWID;
CREATE TABLE incidents(
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  span_start TEXT NOT NULL,
  span_end TEXT NOT NULL DEFAULT '',
  first_day INTEGER NOT NULL,
  last_day INTEGER NOT NULL CHECK (last_day >= first_day),
  precision TEXT NOT NULL
    CHECK (precision = 'exact' OR precision = 'street' OR precision = 'city' OR
           precision = 'province' OR precision = 'country' OR precision = 'region'),
  place TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  border_km REAL);
CREATE INDEX incidents_time ON incidents(first_day, last_day);
CREATE TABLE incident_entities(
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  role TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(incident_id, entity_id, role)) WITHOUT ROWID;
CREATE INDEX incident_entities_entity ON incident_entities(entity_id);
CREATE TABLE entity_links(
  id INTEGER PRIMARY KEY,
  from_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  to_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
  relation TEXT NOT NULL,
  UNIQUE(from_id, to_id, relation));
CREATE TABLE record_sources(
  kind TEXT NOT NULL
    CHECK (kind = 'entity' OR kind = 'designation' OR kind = 'incident' OR kind = 'round' OR
           kind = 'entity_link'),
  record_id INTEGER NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  PRIMARY KEY(kind, record_id, source_id)) WITHOUT ROWID;
CREATE TABLE border_lines(id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
)SQL";

constexpr std::array<const char*, 5> kSpatialV1{
    "SELECT AddGeometryColumn('locations', 'geom', 4326, 'GEOMETRY', 'XY', 1)",
    "SELECT AddGeometryColumn('incidents', 'geom', 4326, 'GEOMETRY', 'XY', 1)",
    "SELECT AddGeometryColumn('border_lines', 'geom', 4326, 'GEOMETRY', 'XY', 1)",
    "SELECT CreateSpatialIndex('locations', 'geom')",
    "SELECT CreateSpatialIndex('incidents', 'geom')",
};

// Version 2: full-text search over names, identifiers and incident text. The indexed text is
// pre-split (bl_search_text) so that FTS5's standard unicode61 tokenizer, readable by any SQLite,
// sees every Han and Hangul syllable as a token.
constexpr const char* kSchemaV2 = R"SQL(
CREATE VIRTUAL TABLE search USING fts5(
  body, kind UNINDEXED, record_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO search(body, kind, record_id)
  SELECT bl_search_text(text), 'entity', entity_id FROM names;
INSERT INTO search(body, kind, record_id)
  SELECT bl_search_text(value), 'entity', entity_id FROM identifiers;
INSERT INTO search(body, kind, record_id)
  SELECT bl_search_text(title || ' ' || place || ' ' || description), 'incident', id
  FROM incidents;
)SQL";

// Version 3: importers look incidents up by their file's own id to merge re-imported rows.
constexpr const char* kSchemaV3 = R"SQL(
CREATE INDEX incidents_external_id ON incidents(external_id);
)SQL";

// Version 5: incidents by place and time together, for a viewport with a time window. Through
// SpatiaLite's 2-D R*Tree, every incident in the box is looked up to test its dates: 250,527
// lookups for a 1-degree box at Dandong to keep the tenth that falls in two years. The third
// dimension is the day span (days since 1970 are exact in the R*Tree's floats up to 2^24). The
// columns are named as SpatiaLite's are, so that a query reads either tree alike. The triggers
// keep it up with every write; a load into an empty table drops the insert trigger and packs the
// tree after loading (SqliteStore::flushDeferred), as it does SpatiaLite's.
constexpr const char* kSchemaV5 = R"SQL(
CREATE VIRTUAL TABLE incidents_span_rtree USING rtree(pkid, xmin, xmax, ymin, ymax, first_day, last_day);
CREATE TRIGGER incidents_span_rtree_insert AFTER INSERT ON incidents
WHEN MbrMinX(new.geom) IS NOT NULL BEGIN
  INSERT OR REPLACE INTO incidents_span_rtree VALUES(new.id, MbrMinX(new.geom), MbrMaxX(new.geom),
    MbrMinY(new.geom), MbrMaxY(new.geom), new.first_day, new.last_day);
END;
CREATE TRIGGER incidents_span_rtree_update AFTER UPDATE OF id, geom, first_day, last_day ON incidents
BEGIN
  DELETE FROM incidents_span_rtree WHERE pkid = old.id;
  INSERT OR REPLACE INTO incidents_span_rtree SELECT new.id, MbrMinX(new.geom), MbrMaxX(new.geom),
    MbrMinY(new.geom), MbrMaxY(new.geom), new.first_day, new.last_day
    WHERE MbrMinX(new.geom) IS NOT NULL;
END;
CREATE TRIGGER incidents_span_rtree_delete AFTER DELETE ON incidents BEGIN
  DELETE FROM incidents_span_rtree WHERE pkid = old.id;
END;
)SQL";

void searchTextFunction(sqlite3_context* context, int, sqlite3_value** argv) {
  const auto* text = sqlite3_value_text(argv[0]);
  if (!text) {
    sqlite3_result_null(context);
    return;
  }
  // By length, not up to a NUL: the same text as SqliteStore::indexText() indexes.
  const std::string folded = core::searchIndexText(std::string(
      reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
  sqlite3_result_text(context, folded.c_str(), static_cast<int>(folded.size()), SQLITE_TRANSIENT);
}

void execSpatial(Connection& connection, const char* sql) {
  // SpatiaLite reports failure as a 0 result, not as an SQL error.
  Statement statement(connection, sql);
  if (!statement.step() || statement.integer(0) != 1) {
    throw core::StoreError(connection.path() + ": SpatiaLite refused: " + sql);
  }
}

void setVersion(Connection& connection, int version) {
  Statement statement(connection,
                      "INSERT INTO meta(key, value) VALUES('schema_version', ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  statement.bind(1, std::to_string(version)).run();
}

void applyMigration(Connection& connection, int version) {
  switch (version) {
    case 1:
      connection.exec(kSchemaV1);
      for (const char* sql : kSpatialV1) execSpatial(connection, sql);
      break;
    case 2: connection.exec(kSchemaV2); break;
    case 3: connection.exec(kSchemaV3); break;
    // Version 4 changed PostGIS only (its bulk indexes wait for a table's first load); SQLite
    // already drops and rebuilds them around a load into an empty table, within the transaction.
    case 4: break;
    case 5:
      connection.exec(kSchemaV5);
      packIncidentRtrees(connection, {kIncidentSpanRtree});
      break;
    default: throw core::StoreError("no migration to schema version " + std::to_string(version));
  }
}

} // namespace

void packIncidentRtrees(Connection& connection, const std::vector<std::string>& tables) {
  std::vector<RtreeBox> boxes;
  {
    Statement select(connection,
                     "SELECT id, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom), "
                     "first_day, last_day FROM incidents WHERE MbrMinX(geom) IS NOT NULL");
    while (select.step()) {
      boxes.push_back({select.integer(0), select.real(1), select.real(2), select.real(3),
                       select.real(4), static_cast<double>(select.integer(5)),
                       static_cast<double>(select.integer(6))});
    }
  }
  for (const auto& table : tables) packRtree(connection, table, boxes);
}

void registerFunctions(Connection& connection) {
  sqlite3_create_function_v2(connection.handle(), "bl_search_text", 1,
                             SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, &searchTextFunction,
                             nullptr, nullptr, nullptr);
}

int readSchemaVersion(Connection& connection) {
  Statement tables(connection,
                   "SELECT count(*), sum(name = 'meta') FROM sqlite_master WHERE type = 'table'");
  tables.step();
  const std::int64_t tableCount = tables.integer(0);
  const bool hasMeta = tables.integer(1) > 0;
  if (tableCount == 0) return 0;
  if (!hasMeta) {
    throw core::DatabaseUnavailable(connection.path() +
                                    ": a SQLite database, but not a borderlens database");
  }
  Statement version(connection, "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!version.step()) {
    throw core::DatabaseUnavailable(connection.path() + ": borderlens metadata has no schema version");
  }
  const std::string text = version.text(0);
  try {
    return std::stoi(text);
  } catch (const std::exception&) {
    throw core::DatabaseUnavailable(connection.path() + ": unreadable schema version '" + text + "'");
  }
}

void migrate(Connection& connection, int targetVersion) {
  int version = readSchemaVersion(connection);
  if (version > kSchemaVersion) {
    throw core::SchemaMismatch(connection.path() + ": schema version " + std::to_string(version) +
                               " is newer than this borderlens supports (" +
                               std::to_string(kSchemaVersion) + "); upgrade borderlens");
  }
  registerFunctions(connection);
  if (version == 0) {
    // WAL lets analysts keep reading while an import commits. InitSpatialMetadata(1) runs in its
    // own transaction (one per SRS row without the 1: ~10 s).
    connection.exec("PRAGMA journal_mode=WAL");
    Statement init(connection, "SELECT InitSpatialMetadata(1)");
    if (!init.step() || init.integer(0) != 1) {
      throw core::StoreError(connection.path() + ": SpatiaLite could not initialise its metadata");
    }
  }
  while (version < targetVersion) {
    const int next = version + 1;
    connection.exec("BEGIN IMMEDIATE");
    try {
      applyMigration(connection, next);
      setVersion(connection, next);
      connection.exec("COMMIT");
    } catch (...) {
      connection.exec("ROLLBACK");
      throw;
    }
    version = next;
  }
}

} // namespace borderlens::store::sqlite
