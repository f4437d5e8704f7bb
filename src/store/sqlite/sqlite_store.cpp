#include "store/sqlite/sqlite_store.h"

#include "core/errors.h"
#include "core/utf8.h"
#include "store/filter_sql.h"
#include "store/plain_point.h"
#include "store/sqlite/schema.h"

// gaiageo.h needs sqlite3.h before it.
#include <sqlite3.h>
#include <spatialite/gaiageo.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>

namespace borderlens::store::sqlite {

namespace {

void bindAll(Statement& statement, const FilterSql& where) {
  int index = 1;
  for (const auto& value : where.params) {
    std::visit([&](const auto& v) { statement.bind(index, v); }, value);
    ++index;
  }
}

// A point on the geometry (the point itself for points), as two columns.
std::string pointColumns(const std::string& geom) {
  // X() and Y() are NULL for anything but a point; trying them first reads a point's blob once a
  // column instead of three times.
  return "coalesce(X(" + geom + "), X(ST_PointOnSurface(" + geom + "))), coalesce(Y(" + geom +
         "), Y(ST_PointOnSurface(" + geom + ")))";
}

// pointColumns() for feature streams, which read a point's coordinates from its blob
// (pointOfBlob, with pointBlobColumn()) rather than through X() and Y(), each of which parses the
// blob into a geometry: that was a tenth of a viewport query.
std::string nonPointColumns(const std::string& geom) {
  const std::string other = "CASE WHEN NOT " + isSpatialitePoint(geom) + " THEN ";
  return other + "X(ST_PointOnSurface(" + geom + ")) END, " + other + "Y(ST_PointOnSurface(" +
         geom + ")) END";
}
std::string pointBlobColumn(const std::string& geom) {
  return "CASE WHEN " + isSpatialitePoint(geom) + " THEN " + geom + " END";
}

// The lon, lat of a point's blob (SpatiaLite's layout: 0x00, byte order 1 little-endian or 0 big,
// SRID, MBR, 0x7C, class 1 = POINT, X, Y, 0xFE); nullopt for a blob not laid out so.
std::optional<std::pair<double, double>> pointOfBlob(std::span<const std::uint8_t> blob) {
  if (blob.size() != kSpatialitePointBlobBytes) return std::nullopt;
  const bool swap = (blob[1] == 1) != (std::endian::native == std::endian::little);
  const auto int32At = [&](std::size_t at) {
    std::uint32_t value = 0;
    std::memcpy(&value, blob.data() + at, 4);
    return swap ? __builtin_bswap32(value) : value;
  };
  const auto doubleAt = [&](std::size_t at) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, blob.data() + at, 8);
    return std::bit_cast<double>(swap ? __builtin_bswap64(bits) : bits);
  };
  if (blob[0] != 0 || blob[1] > 1 || blob[38] != 0x7C || blob[59] != 0xFE || int32At(39) != 1) {
    return std::nullopt;
  }
  return std::pair(doubleAt(43), doubleAt(51));
}

// Fills row.lon, row.lat from nonPointColumns() at `column` and pointBlobColumn() at `blobColumn`.
void readPoint(const Statement& statement, int column, int blobColumn, FeatureRow& row) {
  if (const auto blob = statement.blobView(blobColumn); !blob.empty()) {
    const auto point = pointOfBlob(blob);
    if (!point) {
      throw core::StoreError(
          (row.type == FeatureType::Entity ? "a location of entity " : "incident ") +
          std::to_string(row.id) + ": its stored geometry is not a SpatiaLite point");
    }
    std::tie(row.lon, row.lat) = *point;
    return;
  }
  row.lon = statement.optionalReal(column);
  row.lat = statement.optionalReal(column + 1);
}

// Holds one read transaction over several statements, so that a stream of entities and incidents
// comes from a single snapshot even while a writer commits (WAL). Inside a caller's transaction it
// does nothing.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Connection& connection) : m_connection(connection) {
    if (sqlite3_get_autocommit(connection.handle())) {
      connection.exec("BEGIN DEFERRED");
      m_owned = true;
    }
  }
  ~ReadSnapshot() {
    if (!m_owned) return;
    try {
      m_connection.exec("COMMIT");
    } catch (...) {
      // A read transaction has nothing to lose; SQLite ends it when the connection closes.
    }
  }
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  Connection& m_connection;
  bool m_owned = false;
};

std::optional<std::int32_t> optionalDay(const Statement& statement, int column) {
  if (statement.isNull(column)) return std::nullopt;
  return static_cast<std::int32_t>(statement.integer(column));
}

std::string joinedSubquery(const std::string& inner) {
  return "(SELECT group_concat(v, ',') FROM (" + inner + " ORDER BY v))";
}

// A plain point's SpatiaLite blob, from SpatiaLite's own MakePoint() encoder without a statement
// for it; nullopt out of range. A point of plain decimals is finite, so valid.
std::optional<std::vector<std::uint8_t>> pointBlob(const std::pair<double, double>& point) {
  if (!inLonLatRange(point)) return std::nullopt;
  unsigned char* bytes = nullptr;
  int size = 0;
  gaiaMakePoint(point.first, point.second, 4326, &bytes, &size);
  if (!bytes) return std::nullopt;
  std::vector<std::uint8_t> blob(bytes, bytes + size);
  gaiaFree(bytes);
  return blob;
}

constexpr int kBulkCacheMib = 256;

} // namespace

SqliteStore::SqliteStore(const std::string& path, OpenMode mode) {
  const auto connectionMode = mode == OpenMode::ReadOnly    ? Connection::Mode::ReadOnly
                              : mode == OpenMode::ReadWrite ? Connection::Mode::ReadWrite
                                                            : Connection::Mode::Create;
  m_connection = std::make_unique<Connection>(path, connectionMode);
  m_readOnly = mode == OpenMode::ReadOnly;
  const int version = readSchemaVersion(*m_connection);
  if (version > kSchemaVersion) {
    throw core::SchemaMismatch(path + ": schema version " + std::to_string(version) +
                               " is newer than this borderlens supports (" +
                               std::to_string(kSchemaVersion) + "); upgrade borderlens");
  }
  if (version == 0 && mode != OpenMode::Create) {
    throw core::DatabaseUnavailable(path + ": an empty file, not a borderlens database "
                                    "(create one with: borderlens init " + path + ")");
  }
  if (version < kOldestReadableSchemaVersion && mode == OpenMode::ReadOnly) {
    throw core::SchemaMismatch(path + ": schema version " + std::to_string(version) +
                               " is older than this borderlens reads (" +
                               std::to_string(kOldestReadableSchemaVersion) +
                               " or later); upgrade it with: borderlens init " + path);
  }
  if (version < kSchemaVersion && mode != OpenMode::ReadOnly) migrate(*m_connection, kSchemaVersion);
  registerFunctions(*m_connection);
  m_schemaVersion = mode == OpenMode::ReadOnly ? version : kSchemaVersion;
}

std::string SqliteStore::location() const { return m_connection->path(); }

void SqliteStore::begin() { m_connection->exec("BEGIN IMMEDIATE"); }

void SqliteStore::commit() {
  flushDeferred();
  m_connection->exec("COMMIT");
}

void SqliteStore::rollback() {
  // The rollback also brings back the triggers and indexes deferIncidentIndexes() dropped.
  m_pendingText.clear();
  m_deferredAfter.reset();
  m_droppedTriggers.clear();
  m_droppedIndexes.clear();
  m_newIncidents.clear();
  m_connection->exec("ROLLBACK");
  m_connection->setCacheMib(Connection::kCacheMib);
}

bool SqliteStore::inTransaction() const { return sqlite3_get_autocommit(m_connection->handle()) == 0; }

namespace {

// The per-row AFTER INSERT triggers on incidents (SpatiaLite's two on incidents.geom and the span
// R*Tree's), each with what it does for all the rows after id ?1 at once, and the R*Tree it fills,
// which fillIncidentRtrees() may pack instead. The R*Tree rows are those CreateSpatialIndex() fills
// SpatiaLite's with.
struct DeferredTrigger {
  const char* name;
  const char* bulkSql;
  const char* rtree;
};
constexpr std::array<DeferredTrigger, 3> kDeferredTriggers{{
    {"gii_incidents_geom",
     "INSERT OR REPLACE INTO idx_incidents_geom(pkid, xmin, xmax, ymin, ymax) "
     "SELECT id, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom) "
     "FROM incidents WHERE id > ?1 AND MbrMinX(geom) IS NOT NULL",
     kIncidentRtree},
    {"incidents_span_rtree_insert",
     "INSERT OR REPLACE INTO incidents_span_rtree "
     "SELECT id, MbrMinX(geom), MbrMaxX(geom), MbrMinY(geom), MbrMaxY(geom), first_day, last_day "
     "FROM incidents WHERE id > ?1 AND MbrMinX(geom) IS NOT NULL",
     kIncidentSpanRtree},
    {"tmi_incidents_geom",
     "UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
     "WHERE Lower(f_table_name) = Lower('incidents') AND Lower(f_geometry_column) = Lower('geom') "
     "AND EXISTS (SELECT 1 FROM incidents WHERE id > ?1)",
     nullptr},
}};

} // namespace

void SqliteStore::deferIncidentIndexes() {
  if (m_deferredAfter) return;
  core::RecordId after = 0;
  {
    Statement last(*m_connection, "SELECT coalesce(max(id), 0) FROM incidents");
    last.step();
    after = last.integer(0);
  }
  Statement trigger(*m_connection,
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
  for (std::size_t i = 0; i < kDeferredTriggers.size(); ++i) {
    trigger.bind(1, kDeferredTriggers[i].name);
    const bool exists = trigger.step();
    if (exists) m_droppedTriggers.emplace_back(i, trigger.text(0));
    trigger.reset();
    if (exists)
      m_connection->exec("DROP TRIGGER " + quotedIdentifier(kDeferredTriggers[i].name));
  }
  // A load into an empty table builds its indexes after loading, by sorting, instead of keeping
  // them up row by row: at a million rows that halves the time the rows take. A table that
  // already holds rows keeps its indexes, which findIncident() needs for them.
  if (after == 0 && !m_connection->anyStatementActive()) {
    // Building the search index, the indexes and the R*Tree at the commit rereads the new rows
    // several times: at a million rows, a larger cache for this transaction saves a second.
    m_connection->setCacheMib(kBulkCacheMib);
    std::vector<std::pair<std::string, std::string>> indexes;
    {
      Statement select(*m_connection,
                       "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                       "tbl_name = 'incidents' AND sql IS NOT NULL ORDER BY name");
      while (select.step()) indexes.emplace_back(select.text(0), select.text(1));
    }
    for (auto& [name, sql] : indexes) {
      m_connection->exec("DROP INDEX " + quotedIdentifier(name));
      m_droppedIndexes.push_back(std::move(sql));
    }
  }
  m_deferredAfter = after;
}

void SqliteStore::flushDeferred() {
  if (!m_pendingText.empty()) {
    Statement& insert =
        m_connection->cached("INSERT INTO search(body, kind, record_id) VALUES(?, ?, ?)");
    for (const auto& pending : m_pendingText) {
      insert.bind(1, pending.body).bind(2, pending.kind).bind(3, pending.recordId).run();
    }
    m_pendingText.clear();
  }
  if (!m_deferredAfter) return;
  // The same text, and the same skipping of empty text, as indexText(). The LIMIT keeps SQLite
  // from flattening the subquery, which would fold each text twice.
  Statement text(*m_connection,
                 "INSERT INTO search(body, kind, record_id) SELECT body, 'incident', id FROM "
                 "(SELECT bl_search_text(title || ' ' || place || ' ' || description) AS body, id "
                 "FROM incidents WHERE id > ? ORDER BY id LIMIT -1) WHERE body <> ''");
  text.bind(1, *m_deferredAfter).run();
  std::vector<std::string> rtrees;
  for (const auto& [index, sql] : m_droppedTriggers) {
    if (kDeferredTriggers[index].rtree) rtrees.emplace_back(kDeferredTriggers[index].rtree);
  }
  fillIncidentRtrees(*m_deferredAfter, rtrees);
  for (const auto& [index, sql] : m_droppedTriggers) {
    if (!kDeferredTriggers[index].rtree) {
      Statement bulk(*m_connection, kDeferredTriggers[index].bulkSql);
      bulk.bind(1, *m_deferredAfter).run();
    }
    m_connection->exec(sql);
  }
  for (const auto& sql : m_droppedIndexes) m_connection->exec(sql);
  m_connection->setCacheMib(Connection::kCacheMib);
  m_droppedTriggers.clear();
  m_droppedIndexes.clear();
  m_newIncidents.clear();
  m_deferredAfter.reset();
}

IncidentRtrees SqliteStore::incidentRtrees() const {
  return m_schemaVersion >= kSpanRtreeSchemaVersion ? IncidentRtrees::PlaceAndSpan
                                                    : IncidentRtrees::Place;
}

void SqliteStore::fillIncidentRtrees(core::RecordId after, const std::vector<std::string>& rtrees) {
  if (rtrees.empty()) return;
  Statement held(*m_connection, "SELECT count(*) FROM idx_incidents_geom_rowid");
  Statement added(*m_connection, "SELECT count(*) FROM incidents WHERE id > ?");
  added.bind(1, after);
  held.step();
  added.step();
  if (added.integer(0) >= held.integer(0)) {
    packIncidentRtrees(*m_connection, rtrees);
    return;
  }
  for (const auto& trigger : kDeferredTriggers) {
    if (trigger.rtree && std::find(rtrees.begin(), rtrees.end(), trigger.rtree) != rtrees.end()) {
      Statement bulk(*m_connection, trigger.bulkSql);
      bulk.bind(1, after).run();
    }
  }
}

core::RecordId SqliteStore::addSource(const core::Source& source) {
  Statement& select = m_connection->cached(
      "SELECT id FROM sources WHERE publisher = ? AND title = ? AND published = ? "
      "AND url = ? AND file = ? AND sha256 = ?");
  select.bind(1, source.publisher).bind(2, source.title).bind(3, source.published);
  select.bind(4, source.url).bind(5, source.file).bind(6, source.sha256);
  const bool known = select.step();
  const core::RecordId id = known ? select.integer(0) : 0;
  select.reset();
  if (known) return id;
  Statement& insert = m_connection->cached(
      "INSERT INTO sources(publisher, title, published, url, file, sha256) "
      "VALUES(?, ?, ?, ?, ?, ?)");
  insert.bind(1, source.publisher).bind(2, source.title).bind(3, source.published);
  insert.bind(4, source.url).bind(5, source.file).bind(6, source.sha256).run();
  return m_connection->lastInsertId();
}

void SqliteStore::addSources(const char* kind, core::RecordId recordId,
                             const std::vector<core::RecordId>& ids) {
  Statement& insert = m_connection->cached(
      "INSERT OR IGNORE INTO record_sources(kind, record_id, source_id) VALUES(?, ?, ?)");
  for (core::RecordId sourceId : ids) {
    insert.bind(1, kind).bind(2, recordId).bind(3, sourceId).run();
  }
}

void SqliteStore::indexText(const char* kind, core::RecordId recordId, const std::string& text) {
  std::string body = core::searchIndexText(text);
  if (body.empty()) return;
  // Inside a transaction the text waits for the commit: FTS5 writes its pending terms out as a
  // new segment at every statement savepoint, which per row costs more than the row itself.
  if (inTransaction()) {
    m_pendingText.push_back({kind, recordId, std::move(body)});
    return;
  }
  Statement& insert = m_connection->cached("INSERT INTO search(body, kind, record_id) VALUES(?, ?, ?)");
  insert.bind(1, body).bind(2, kind).bind(3, recordId).run();
}

std::vector<std::uint8_t> SqliteStore::checkGeometry(const std::string& wkt,
                                                     const std::string& what) {
  // SQLite evaluates the geometry once per row here (a deterministic function of parameters);
  // the caller stores the blob instead of parsing the WKT again.
  const auto rejected = [&] {
    return core::InputRejected(what + ": invalid or out-of-range geometry '" + wkt.substr(0, 80) +
                               "'");
  };
  if (const auto point = plainPoint(wkt)) {
    if (auto blob = pointBlob(*point)) return std::move(*blob);
    throw rejected();
  }
  Statement& check = m_connection->cached(
      "SELECT g IS NOT NULL AND ST_IsValid(g) = 1 AND MbrMinX(g) >= -180 AND "
      "MbrMaxX(g) <= 180 AND MbrMinY(g) >= -90 AND MbrMaxY(g) <= 90, g "
      "FROM (SELECT GeomFromText(?, 4326) AS g)");
  check.bind(1, wkt);
  const bool valid = check.step() && check.integer(0) == 1;
  std::vector<std::uint8_t> blob = valid ? check.blob(1) : std::vector<std::uint8_t>{};
  check.reset();
  if (!valid) throw rejected();
  return blob;
}

bool SqliteStore::hasBorder() {
  Statement count(*m_connection, "SELECT EXISTS (SELECT 1 FROM border_lines)");
  count.step();
  return count.integer(0) != 0;
}

std::vector<std::string> SqliteStore::borderLines() {
  std::vector<std::string> lines;
  Statement select(*m_connection, "SELECT AsText(geom) FROM border_lines ORDER BY id");
  while (select.step()) lines.push_back(select.text(0));
  return lines;
}

void SqliteStore::insertLocations(core::RecordId entityId, const std::vector<core::Location>& locations,
                                  const std::string& entityName) {
  for (const auto& loc : locations) {
    const auto geometry = checkGeometry(loc.wkt, "location of '" + entityName + "'");
    Statement& location = m_connection->cached(
        "INSERT INTO locations(entity_id, precision, address, country, border_km, geom) "
        "VALUES(?, ?, ?, ?, ?, ?)");
    location.bind(1, entityId).bind(2, core::nameOf(loc.precision)).bind(3, loc.address);
    location.bind(4, loc.country).bind(5, m_border.km(loc.wkt)).bindBlob(6, geometry).run();
  }
}

core::RecordId SqliteStore::addEntity(const core::Entity& entity) {
  if (entity.names.empty()) throw core::InputRejected("an entity needs at least one name");
  Statement insert(*m_connection,
                   "INSERT INTO entities(kind, primary_name, notes, first_seen, last_seen) "
                   "VALUES(?, ?, ?, ?, ?)");
  insert.bind(1, core::nameOf(entity.kind)).bind(2, entity.primaryName()).bind(3, entity.notes);
  if (entity.firstSeen) insert.bind(4, entity.firstSeen->toString()); else insert.bindNull(4);
  if (entity.lastSeen) insert.bind(5, entity.lastSeen->toString()); else insert.bindNull(5);
  insert.run();
  const core::RecordId id = m_connection->lastInsertId();

  Statement name(*m_connection,
                 "INSERT INTO names(entity_id, text, script, language, is_primary, quality) "
                 "VALUES(?, ?, ?, ?, ?, ?)");
  const std::string& primary = entity.primaryName();
  bool primaryWritten = false;
  for (const auto& n : entity.names) {
    const bool isPrimary = !primaryWritten && n.text == primary;
    primaryWritten = primaryWritten || isPrimary;
    name.bind(1, id).bind(2, n.text).bind(3, core::nameOf(n.script)).bind(4, n.language);
    name.bind(5, isPrimary ? 1 : 0).bind(6, n.quality).run();
    indexText("entity", id, n.text);
  }
  Statement identifier(*m_connection,
                       "INSERT OR IGNORE INTO identifiers(entity_id, scheme, value) VALUES(?, ?, ?)");
  for (const auto& ident : entity.identifiers) {
    identifier.bind(1, id).bind(2, ident.scheme).bind(3, ident.value).run();
    indexText("entity", id, ident.value);
  }
  insertLocations(id, entity.locations, primary);
  addSources("entity", id, entity.sourceIds);
  return id;
}

void SqliteStore::upsertRound(const core::Round& round) {
  Statement upsert(*m_connection,
                   "INSERT INTO rounds(id, authority, date, day, label, legal_basis) "
                   "VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                   "label = CASE WHEN excluded.label <> '' THEN excluded.label ELSE label END, "
                   "legal_basis = CASE WHEN excluded.legal_basis <> '' THEN excluded.legal_basis "
                   "ELSE legal_basis END");
  upsert.bind(1, round.id).bind(2, round.authority).bind(3, round.date.toString());
  upsert.bind(4, std::int64_t{round.date.firstDay()}).bind(5, round.label).bind(6, round.legalBasis);
  upsert.run();
  Statement rowid(*m_connection, "SELECT rowid FROM rounds WHERE id = ?");
  rowid.bind(1, round.id);
  rowid.step();
  addSources("round", rowid.integer(0), round.sourceIds);
}

core::RecordId SqliteStore::addDesignation(const core::Designation& d) {
  Statement insert(*m_connection,
                   "INSERT INTO designations(entity_id, authority, reference, listed, listed_day, "
                   "delisted, delisted_day, round_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, d.entityId).bind(2, d.authority).bind(3, d.reference);
  if (d.listed) {
    insert.bind(4, d.listed->toString()).bind(5, std::int64_t{d.listed->firstDay()});
  } else {
    insert.bindNull(4).bindNull(5);
  }
  if (d.delisted) {
    insert.bind(6, d.delisted->toString()).bind(7, std::int64_t{d.delisted->lastDay()});
  } else {
    insert.bindNull(6).bindNull(7);
  }
  if (d.roundId.empty()) insert.bindNull(8); else insert.bind(8, d.roundId);
  insert.run();
  const core::RecordId id = m_connection->lastInsertId();
  Statement program(*m_connection,
                    "INSERT OR IGNORE INTO designation_programs(designation_id, program) VALUES(?, ?)");
  for (const auto& p : d.programs) program.bind(1, id).bind(2, p).run();
  addSources("designation", id, d.sourceIds);
  return id;
}

core::RecordId SqliteStore::addIncident(const core::Incident& incident) {
  const auto geometry = checkGeometry(incident.wkt, "incident '" + incident.title + "'");
  return insertIncident(incident, geometry, m_border.km(incident.wkt));
}

PointPreparer SqliteStore::pointPreparer() { return pointPreparerFor(m_border.lines(), &pointBlob); }

core::RecordId SqliteStore::addPreparedIncident(const core::Incident& incident,
                                                const PreparedPoint& point) {
  return insertIncident(incident, point.encoded, point.borderKm);
}

core::RecordId SqliteStore::insertIncident(const core::Incident& incident,
                                           const std::vector<std::uint8_t>& geometry,
                                           std::optional<double> borderKm) {
  checkIncidentFields(incident);
  // A bulk import fills the spatial and text indexes at its commit (flushDeferred).
  const bool deferred = inTransaction();
  if (deferred) deferIncidentIndexes();
  Statement& insert = m_connection->cached(
      "INSERT INTO incidents(external_id, kind, title, span_start, span_end, first_day, last_day, "
      "precision, place, description, confidence, border_km, geom) "
      "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, incident.externalId).bind(2, incident.kind).bind(3, incident.title);
  insert.bind(4, incident.span.start.toString());
  insert.bind(5, incident.span.end ? incident.span.end->toString() : std::string());
  insert.bind(6, std::int64_t{incident.span.firstDay()});
  insert.bind(7, std::int64_t{incident.span.lastDay()});
  insert.bind(8, core::nameOf(incident.precision)).bind(9, incident.place);
  insert.bind(10, incident.description).bind(11, incident.confidence);
  insert.bind(12, borderKm).bindBlob(13, geometry);
  insert.run();
  const core::RecordId id = m_connection->lastInsertId();
  if (!m_droppedIndexes.empty()) {
    m_newIncidents.add(incident.externalId, incident.kind, incident.span.start.toString(), id);
  }
  if (!deferred)
    indexText("incident", id, incident.title + " " + incident.place + " " + incident.description);
  addSources("incident", id, incident.sourceIds);
  return id;
}

void SqliteStore::addIncidentLink(const core::IncidentLink& link) {
  Statement& insert = m_connection->cached(
      "INSERT OR IGNORE INTO incident_entities(incident_id, entity_id, role) VALUES(?, ?, ?)");
  insert.bind(1, link.incidentId).bind(2, link.entityId).bind(3, link.role).run();
}

void SqliteStore::addEntityLink(const core::EntityLink& link) {
  Statement insert(*m_connection,
                   "INSERT INTO entity_links(from_id, to_id, relation) VALUES(?, ?, ?) "
                   "ON CONFLICT DO NOTHING");
  insert.bind(1, link.fromId).bind(2, link.toId).bind(3, link.relation).run();
  Statement select(*m_connection,
                   "SELECT id FROM entity_links WHERE from_id = ? AND to_id = ? AND relation = ?");
  select.bind(1, link.fromId).bind(2, link.toId).bind(3, link.relation);
  select.step();
  addSources("entity_link", select.integer(0), link.sourceIds);
}

core::RecordId SqliteStore::addImportBatch(const core::ImportBatch& batch) {
  Statement insert(*m_connection,
                   "INSERT INTO import_batches(file, sha256, format, started_at, finished_at, "
                   "report) VALUES(?, ?, ?, ?, ?, ?)");
  insert.bind(1, batch.file).bind(2, batch.sha256).bind(3, batch.format);
  insert.bind(4, batch.startedAt).bind(5, batch.finishedAt).bind(6, batch.reportJson).run();
  return m_connection->lastInsertId();
}

void SqliteStore::setBorder(const std::vector<std::string>& lineWkts) {
  m_connection->exec("DELETE FROM border_lines");
  Statement insert(*m_connection, "INSERT INTO border_lines(name, geom) VALUES('', ?)");
  for (const auto& wkt : lineWkts) insert.bindBlob(1, checkGeometry(wkt, "border line")).run();
  m_border.set(lineWkts);
  for (const char* table : {"locations", "incidents"}) {
    std::vector<std::pair<core::RecordId, std::string>> rows;
    Statement select(*m_connection, std::string("SELECT id, AsText(geom) FROM ") + table);
    while (select.step()) rows.emplace_back(select.integer(0), select.text(1));
    Statement update(*m_connection, std::string("UPDATE ") + table + " SET border_km = ? WHERE id = ?");
    for (const auto& [id, wkt] : rows) update.bind(1, m_border.km(wkt)).bind(2, id).run();
  }
}

void SqliteStore::forEachFeature(const FilterSpec& filter, const QueryOptions& options,
                                 const FeatureCallback& callback) {
  flushDeferred();
  const std::string match = searchQuery(filter.text);
  const ReadSnapshot snapshot(*m_connection);
  std::uint64_t emitted = 0;
  const auto emit = [&](const FeatureRow& row) {
    ++emitted;
    return callback(row) && (options.limit == 0 || emitted < options.limit);
  };

  if (filter.wantsEntities() && options.part == 0) {
    const FilterSql where = entityConditions(filter, SqlDialect::Spatialite, match);
    const std::string sql =
        "SELECT e.id, e.kind, e.primary_name, l.id, " + nonPointColumns("l.geom") +
        ", l.precision, (SELECT d.listed FROM designations d WHERE d.entity_id = e.id AND "
        "d.listed IS NOT NULL ORDER BY d.listed_day, d.id LIMIT 1), l.address, " +
        joinedSubquery("SELECT DISTINCT authority v FROM designations WHERE entity_id = e.id") +
        ", " +
        joinedSubquery("SELECT DISTINCT round_id v FROM designations WHERE entity_id = e.id AND "
                       "round_id IS NOT NULL") +
        (options.withGeometry ? ", AsText(l.geom)" : ", NULL") +
        ", (SELECT min(listed_day) FROM designations WHERE entity_id = e.id), "
        "(SELECT CASE WHEN count(*) = count(delisted_day) THEN max(delisted_day) END "
        "FROM designations WHERE entity_id = e.id), l.border_km, " +
        joinedSubquery("SELECT DISTINCT p.program v FROM designations d JOIN designation_programs p "
                       "ON p.designation_id = d.id WHERE d.entity_id = e.id") +
        ", " + pointBlobColumn("l.geom") +
        " FROM entities e LEFT JOIN locations l ON l.entity_id = e.id WHERE 1 = 1" +
        where.conditions + " ORDER BY e.id, l.id";
    Statement statement(*m_connection, sql);
    bindAll(statement, where);
    FeatureRow row;
    row.type = FeatureType::Entity;
    while (statement.step()) {
      row.id = statement.integer(0);
      statement.textInto(1, row.kind);
      statement.textInto(2, row.name);
      row.locationId = statement.isNull(3) ? 0 : statement.integer(3);
      readPoint(statement, 4, 16, row);
      statement.textInto(6, row.precision);
      statement.textInto(7, row.start);
      statement.textInto(8, row.place);
      statement.textInto(9, row.authorities);
      statement.textInto(10, row.rounds);
      statement.textInto(11, row.wkt);
      row.firstDay = optionalDay(statement, 12);
      row.lastDay = optionalDay(statement, 13);
      row.borderKm = statement.optionalReal(14);
      statement.textInto(15, row.programs);
      if (!emit(row)) return;
    }
  }

  if (filter.wantsIncidents()) {
    const FilterSql where = incidentConditions(
        filter, SqlDialect::Spatialite, match,
        options.parts > 1 ? idSlice(incidentIdRange(), options.part, options.parts) : std::nullopt,
        incidentRtrees());
    // Most incidents link no entity: one index probe per row spares them the three lists, each
    // of which sets up a sorter; the few linked rows ask for them with a statement of their own.
    // A probe per list took a tenth of a 141,506-row viewport query.
    const std::string linked =
        " FROM incident_entities ie JOIN designations d ON d.entity_id = ie.entity_id "
        "WHERE ie.incident_id = ?1";
    const std::string listsSql =
        "SELECT " + joinedSubquery("SELECT DISTINCT d.authority v" + linked) + ", " +
        joinedSubquery("SELECT DISTINCT d.round_id v" + linked + " AND d.round_id IS NOT NULL") +
        ", " +
        joinedSubquery("SELECT DISTINCT p.program v" + linked.substr(0, linked.find(" WHERE")) +
                       " JOIN designation_programs p ON p.designation_id = d.id" +
                       linked.substr(linked.find(" WHERE")));
    const std::string sql =
        "SELECT i.id, i.kind, i.title, " + nonPointColumns("i.geom") +
        ", i.precision, i.span_start, i.span_end, i.place, "
        "EXISTS (SELECT 1 FROM incident_entities WHERE incident_id = i.id), i.confidence" +
        (options.withGeometry ? ", AsText(i.geom)" : ", NULL") +
        ", i.first_day, i.last_day, i.border_km" +
        (options.withDetails
             ? ", i.external_id, i.description, (SELECT group_concat(source_id, ',') FROM record_sources "
               "WHERE kind = 'incident' AND record_id = i.id), (SELECT count(*) FROM incident_entities "
               "WHERE incident_id = i.id)"
             : "") +
        ", " + pointBlobColumn("i.geom") + " FROM incidents i WHERE 1 = 1" + where.conditions +
        " ORDER BY i.id";
    const int blobColumn = options.withDetails ? 19 : 15;
    Statement statement(*m_connection, sql);
    bindAll(statement, where);
    FeatureRow row;
    row.type = FeatureType::Incident;
    while (statement.step()) {
      row.id = statement.integer(0);
      statement.textInto(1, row.kind);
      statement.textInto(2, row.name);
      readPoint(statement, 3, blobColumn, row);
      statement.textInto(5, row.precision);
      statement.textInto(6, row.start);
      statement.textInto(7, row.end);
      statement.textInto(8, row.place);
      if (statement.integer(9) != 0) {
        Statement& lists = m_connection->cached(listsSql);
        const ResetOnExit listsDone(lists);
        lists.bind(1, row.id);
        lists.step();
        lists.textInto(0, row.authorities);
        lists.textInto(1, row.rounds);
        lists.textInto(2, row.programs);
      } else {
        row.authorities.clear();
        row.rounds.clear();
        row.programs.clear();
      }
      row.confidence = statement.real(10);
      statement.textInto(11, row.wkt);
      row.firstDay = optionalDay(statement, 12);
      row.lastDay = optionalDay(statement, 13);
      row.borderKm = statement.optionalReal(14);
      if (options.withDetails) {
        statement.textInto(15, row.externalId);
        statement.textInto(16, row.description);
        row.sourceIds = parseIdList(statement.text(17));
        row.linkCount = statement.integer(18);
      }
      if (!emit(row)) return;
    }
  }
}

std::optional<std::pair<core::RecordId, core::RecordId>> SqliteStore::incidentIdRange() {
  // Two subqueries: SQLite reads a lone min() or max() from the end of the index, but scans the
  // table for both in one.
  Statement range(*m_connection,
                  "SELECT (SELECT min(id) FROM incidents), (SELECT max(id) FROM incidents)");
  range.step();
  if (range.isNull(0)) return std::nullopt;
  return std::pair{range.integer(0), range.integer(1)};
}

std::vector<std::unique_ptr<Store>> SqliteStore::snapshotReaders(unsigned count) {
  if (inTransaction()) return {};
  // Without SQLITE_ENABLE_SNAPSHOT (Debian's build has none) connections cannot be handed one
  // snapshot. PRAGMA data_version tells whether another connection committed between two reads
  // of this one: unchanged around the readers' first reads, they all saw the same commit.
  const auto dataVersion = [&] {
    Statement version(*m_connection, "PRAGMA data_version");
    version.step();
    return version.integer(0);
  };
  std::vector<std::unique_ptr<SqliteStore>> readers;
  for (unsigned i = 0; i < count; ++i) {
    readers.push_back(std::make_unique<SqliteStore>(location(), OpenMode::ReadOnly));
  }
  // Opened first: the readers' snapshots are then taken within a fraction of a millisecond.
  constexpr int kAttempts = 5;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const std::int64_t before = dataVersion();
    for (auto& reader : readers) {
      reader->m_connection->exec("BEGIN DEFERRED");
      reader->incidentIdRange();  // a read: the transaction takes its snapshot here
    }
    if (dataVersion() == before) {
      return {std::make_move_iterator(readers.begin()), std::make_move_iterator(readers.end())};
    }
    for (auto& reader : readers) reader->m_connection->exec("COMMIT");
  }
  return {};
}

std::uint64_t SqliteStore::countIncidents(const FilterSpec& filter) {
  if (!filter.wantsIncidents()) return 0;
  flushDeferred();
  const FilterSql where = incidentConditions(filter, SqlDialect::Spatialite,
                                             searchQuery(filter.text), std::nullopt, incidentRtrees());
  Statement count(*m_connection, "SELECT count(*) FROM incidents i WHERE 1 = 1" + where.conditions);
  bindAll(count, where);
  count.step();
  return static_cast<std::uint64_t>(count.integer(0));
}

std::vector<core::RecordId> SqliteStore::sourcesOf(const char* kind, core::RecordId recordId) {
  Statement& select = m_connection->cached(
      "SELECT source_id FROM record_sources WHERE kind = ? AND record_id = ? "
      "ORDER BY source_id");
  const ResetOnExit selectDone(select);
  select.bind(1, kind).bind(2, recordId);
  std::vector<core::RecordId> ids;
  while (select.step()) ids.push_back(select.integer(0));
  return ids;
}

void SqliteStore::forEachRound(const std::function<bool(const RoundRow&)>& callback) {
  Statement select(*m_connection,
                   "SELECT r.rowid, r.id, r.authority, r.date, r.label, r.legal_basis, "
                   "(SELECT count(*) FROM designations d WHERE d.round_id = r.id) "
                   "FROM rounds r ORDER BY r.day, r.authority, r.id");
  RoundRow row;
  while (select.step()) {
    row.round.id = select.text(1);
    row.round.authority = select.text(2);
    row.round.date = core::Date::parse(select.text(3)).value_or(core::Date{});
    row.round.label = select.text(4);
    row.round.legalBasis = select.text(5);
    row.designations = select.integer(6);
    row.round.sourceIds = sourcesOf("round", select.integer(0));
    if (!callback(row)) return;
  }
}

std::optional<core::RecordId> SqliteStore::findEntityByIdentifier(const std::string& scheme,
                                                                  const std::string& value) {
  Statement& select = m_connection->cached(
      "SELECT entity_id FROM identifiers WHERE scheme = ? AND value = ? "
      "ORDER BY entity_id LIMIT 1");
  const ResetOnExit selectDone(select);
  select.bind(1, scheme).bind(2, value);
  if (!select.step()) return std::nullopt;
  return select.integer(0);
}

std::optional<core::Entity> SqliteStore::entity(core::RecordId id) {
  Statement& select = m_connection->cached(
      "SELECT kind, notes, first_seen, last_seen FROM entities WHERE id = ?");
  const ResetOnExit selectDone(select);
  select.bind(1, id);
  if (!select.step()) return std::nullopt;
  core::Entity e;
  e.id = id;
  e.kind = core::entityKindFromString(select.text(0)).value_or(core::EntityKind::Organization);
  e.notes = select.text(1);
  if (auto first = select.optionalText(2)) e.firstSeen = core::Date::parse(*first);
  if (auto last = select.optionalText(3)) e.lastSeen = core::Date::parse(*last);

  Statement& names = m_connection->cached(
      "SELECT text, script, language, is_primary, quality FROM names "
      "WHERE entity_id = ? ORDER BY is_primary DESC, id");
  const ResetOnExit namesDone(names);
  names.bind(1, id);
  while (names.step()) {
    e.names.push_back({names.text(0), core::scriptFromString(names.text(1)), names.text(2),
                       names.integer(3) != 0, names.text(4)});
  }
  Statement& identifiers = m_connection->cached(
      "SELECT scheme, value FROM identifiers WHERE entity_id = ? "
      "ORDER BY scheme, value");
  const ResetOnExit identifiersDone(identifiers);
  identifiers.bind(1, id);
  while (identifiers.step()) e.identifiers.push_back({identifiers.text(0), identifiers.text(1)});
  Statement& locations = m_connection->cached(
      "SELECT id, AsText(geom), precision, address, country FROM locations "
      "WHERE entity_id = ? ORDER BY id");
  const ResetOnExit locationsDone(locations);
  locations.bind(1, id);
  while (locations.step()) {
    core::Location loc;
    loc.id = locations.integer(0);
    loc.wkt = locations.text(1);
    loc.precision = core::precisionFromString(locations.text(2)).value_or(core::Precision::Exact);
    loc.address = locations.text(3);
    loc.country = locations.text(4);
    e.locations.push_back(std::move(loc));
  }
  e.sourceIds = sourcesOf("entity", id);
  return e;
}

std::vector<core::Designation> SqliteStore::designationsOf(core::RecordId entityId) {
  Statement& select = m_connection->cached(
      "SELECT id, authority, reference, listed, delisted, round_id FROM designations "
      "WHERE entity_id = ? ORDER BY listed_day, id");
  const ResetOnExit selectDone(select);
  select.bind(1, entityId);
  std::vector<core::Designation> out;
  while (select.step()) {
    core::Designation d;
    d.id = select.integer(0);
    d.entityId = entityId;
    d.authority = select.text(1);
    d.reference = select.text(2);
    if (auto listed = select.optionalText(3)) d.listed = core::Date::parse(*listed);
    if (auto delisted = select.optionalText(4)) d.delisted = core::Date::parse(*delisted);
    d.roundId = select.text(5);
    Statement& programs = m_connection->cached(
        "SELECT program FROM designation_programs WHERE designation_id = ? "
        "ORDER BY program");
    const ResetOnExit programsDone(programs);
    programs.bind(1, d.id);
    while (programs.step()) d.programs.push_back(programs.text(0));
    d.sourceIds = sourcesOf("designation", d.id);
    out.push_back(std::move(d));
  }
  return out;
}

std::optional<core::Incident> SqliteStore::incident(core::RecordId id) {
  Statement& select = m_connection->cached(
      "SELECT external_id, kind, title, span_start, span_end, AsText(geom), precision, "
      "place, description, confidence FROM incidents WHERE id = ?");
  const ResetOnExit selectDone(select);
  select.bind(1, id);
  if (!select.step()) return std::nullopt;
  core::Incident i;
  i.id = id;
  i.externalId = select.text(0);
  i.kind = select.text(1);
  i.title = select.text(2);
  i.span.start = core::Date::parse(select.text(3)).value_or(core::Date{});
  if (const std::string end = select.text(4); !end.empty()) i.span.end = core::Date::parse(end);
  i.wkt = select.text(5);
  i.precision = core::precisionFromString(select.text(6)).value_or(core::Precision::Exact);
  i.place = select.text(7);
  i.description = select.text(8);
  i.confidence = select.real(9);
  i.sourceIds = sourcesOf("incident", id);
  return i;
}

std::optional<core::Source> SqliteStore::source(core::RecordId id) {
  Statement& select = m_connection->cached(
      "SELECT publisher, title, published, url, file, sha256 FROM sources WHERE id = ?");
  const ResetOnExit selectDone(select);
  select.bind(1, id);
  if (!select.step()) return std::nullopt;
  return core::Source{id, select.text(0), select.text(1), select.text(2),
                      select.text(3), select.text(4), select.text(5)};
}

std::vector<LinkedRecord> SqliteStore::linksOf(FeatureType type, core::RecordId id) {
  std::vector<LinkedRecord> out;
  const auto collect = [&](Statement& statement, FeatureType linkedType) {
    while (statement.step()) {
      LinkedRecord r;
      r.type = linkedType;
      r.id = statement.integer(0);
      r.name = statement.text(1);
      r.relation = statement.text(2);
      r.lon = statement.optionalReal(3);
      r.lat = statement.optionalReal(4);
      out.push_back(std::move(r));
    }
  };
  const std::string entityPoint =
      "(SELECT X(geom) FROM locations WHERE entity_id = e.id ORDER BY id LIMIT 1), "
      "(SELECT Y(geom) FROM locations WHERE entity_id = e.id ORDER BY id LIMIT 1)";
  if (type == FeatureType::Entity) {
    Statement& entities = m_connection->cached(
        "SELECT e.id, e.primary_name, l.relation, " + entityPoint +
        " FROM entity_links l JOIN entities e ON e.id = "
        "CASE WHEN l.from_id = ?1 THEN l.to_id ELSE l.from_id END "
        "WHERE l.from_id = ?1 OR l.to_id = ?1 ORDER BY e.id, l.relation");
    const ResetOnExit entitiesDone(entities);
    entities.bind(1, id);
    collect(entities, FeatureType::Entity);
    Statement& incidents = m_connection->cached(
        "SELECT i.id, i.title, ie.role, " + pointColumns("i.geom") +
        " FROM incident_entities ie JOIN incidents i ON i.id = ie.incident_id "
        "WHERE ie.entity_id = ? ORDER BY i.id, ie.role");
    const ResetOnExit incidentsDone(incidents);
    incidents.bind(1, id);
    collect(incidents, FeatureType::Incident);
  } else {
    Statement& entities = m_connection->cached(
        "SELECT e.id, e.primary_name, ie.role, " + entityPoint +
        " FROM incident_entities ie JOIN entities e ON e.id = ie.entity_id "
        "WHERE ie.incident_id = ? ORDER BY e.id, ie.role");
    const ResetOnExit entitiesDone(entities);
    entities.bind(1, id);
    collect(entities, FeatureType::Entity);
  }
  return out;
}

namespace {

std::int64_t scalar(Connection& connection, const std::string& sql) {
  Statement statement(connection, sql);
  statement.step();
  return statement.integer(0);
}

std::map<std::string, std::int64_t> grouped(Connection& connection, const std::string& sql) {
  Statement statement(connection, sql);
  std::map<std::string, std::int64_t> out;
  while (statement.step()) out[statement.text(0)] = statement.integer(1);
  return out;
}

} // namespace

Stats SqliteStore::stats() {
  Connection& c = *m_connection;
  const ReadSnapshot snapshot(c);
  Stats s;
  s.schemaVersion = m_schemaVersion;
  s.entities = scalar(c, "SELECT count(*) FROM entities");
  s.entitiesByKind = grouped(c, "SELECT kind, count(*) FROM entities GROUP BY kind");
  s.names = scalar(c, "SELECT count(*) FROM names");
  s.namesByScript = grouped(c, "SELECT script, count(*) FROM names GROUP BY script");
  s.identifiers = scalar(c, "SELECT count(*) FROM identifiers");
  s.locations = scalar(c, "SELECT count(*) FROM locations");
  s.designations = scalar(c, "SELECT count(*) FROM designations");
  s.designationsByAuthority =
      grouped(c, "SELECT authority, count(*) FROM designations GROUP BY authority");
  s.rounds = scalar(c, "SELECT count(*) FROM rounds");
  s.incidents = scalar(c, "SELECT count(*) FROM incidents");
  s.incidentsByKind = grouped(c, "SELECT kind, count(*) FROM incidents GROUP BY kind");
  s.sources = scalar(c, "SELECT count(*) FROM sources");
  s.entityLinks = scalar(c, "SELECT count(*) FROM entity_links");
  s.incidentLinks = scalar(c, "SELECT count(*) FROM incident_entities");
  s.unlocatedEntities = scalar(
      c, "SELECT count(*) FROM entities e WHERE NOT EXISTS "
         "(SELECT 1 FROM locations l WHERE l.entity_id = e.id)");
  s.recordsWithoutSource = scalar(
      c,
      "SELECT (SELECT count(*) FROM entities x WHERE NOT EXISTS (SELECT 1 FROM record_sources r "
      "WHERE r.kind = 'entity' AND r.record_id = x.id)) + "
      "(SELECT count(*) FROM designations x WHERE NOT EXISTS (SELECT 1 FROM record_sources r "
      "WHERE r.kind = 'designation' AND r.record_id = x.id)) + "
      "(SELECT count(*) FROM incidents x WHERE NOT EXISTS (SELECT 1 FROM record_sources r "
      "WHERE r.kind = 'incident' AND r.record_id = x.id)) + "
      "(SELECT count(*) FROM rounds x WHERE NOT EXISTS (SELECT 1 FROM record_sources r "
      "WHERE r.kind = 'round' AND r.record_id = x.rowid))");
  s.importBatches = scalar(c, "SELECT count(*) FROM import_batches");
  s.hasBorder = hasBorder();
  Statement extent(c,
                   "SELECT min(x0), min(y0), max(x1), max(y1) FROM ("
                   "SELECT MbrMinX(geom) x0, MbrMinY(geom) y0, MbrMaxX(geom) x1, MbrMaxY(geom) y1 "
                   "FROM locations UNION ALL "
                   "SELECT MbrMinX(geom), MbrMinY(geom), MbrMaxX(geom), MbrMaxY(geom) FROM incidents)");
  if (extent.step() && !extent.isNull(0)) {
    s.extent = geo::BBox{extent.real(0), extent.real(1), extent.real(2), extent.real(3)};
  }
  return s;
}

std::vector<EntityDigest> SqliteStore::entityDigests() {
  const ReadSnapshot snapshot(*m_connection);
  std::vector<EntityDigest> digests;
  std::map<core::RecordId, std::size_t> index;
  Statement entities(*m_connection, "SELECT id, kind FROM entities ORDER BY id");
  while (entities.step()) {
    EntityDigest digest;
    digest.id = entities.integer(0);
    digest.kind = core::entityKindFromString(entities.text(1)).value_or(core::EntityKind::Organization);
    index[digest.id] = digests.size();
    digests.push_back(std::move(digest));
  }
  Statement names(*m_connection,
                  "SELECT entity_id, text, script, language, is_primary, quality FROM names "
                  "ORDER BY entity_id, is_primary DESC, id");
  while (names.step()) {
    digests[index.at(names.integer(0))].names.push_back(
        {names.text(1), core::scriptFromString(names.text(2)), names.text(3), names.integer(4) != 0,
         names.text(5)});
  }
  Statement identifiers(*m_connection,
                        "SELECT entity_id, scheme, value FROM identifiers ORDER BY entity_id, scheme, value");
  while (identifiers.step()) {
    digests[index.at(identifiers.integer(0))].identifiers.push_back({identifiers.text(1), identifiers.text(2)});
  }
  Statement countries(*m_connection,
                      "SELECT DISTINCT entity_id, country FROM locations WHERE country <> '' "
                      "ORDER BY entity_id, country");
  while (countries.step()) digests[index.at(countries.integer(0))].countries.push_back(countries.text(1));
  return digests;
}

void SqliteStore::extendEntity(core::RecordId id, const core::Entity& more) {
  Statement stored(*m_connection, "SELECT notes, first_seen, last_seen FROM entities WHERE id = ?");
  stored.bind(1, id);
  if (!stored.step()) throw core::StoreError("no entity " + std::to_string(id) + " to extend");
  std::string notes = stored.text(0);
  std::optional<core::Date> firstSeen;
  std::optional<core::Date> lastSeen;
  if (auto text = stored.optionalText(1)) firstSeen = core::Date::parse(*text);
  if (auto text = stored.optionalText(2)) lastSeen = core::Date::parse(*text);
  if (more.firstSeen && (!firstSeen || *more.firstSeen < *firstSeen)) firstSeen = more.firstSeen;
  if (more.lastSeen && (!lastSeen || *more.lastSeen > *lastSeen)) lastSeen = more.lastSeen;
  if (!more.notes.empty() && notes.find(more.notes) == std::string::npos) {
    notes = notes.empty() ? more.notes : notes + "\n" + more.notes;
  }
  Statement update(*m_connection, "UPDATE entities SET notes = ?, first_seen = ?, last_seen = ? WHERE id = ?");
  update.bind(1, notes);
  if (firstSeen) update.bind(2, firstSeen->toString()); else update.bindNull(2);
  if (lastSeen) update.bind(3, lastSeen->toString()); else update.bindNull(3);
  update.bind(4, id).run();

  Statement hasName(*m_connection, "SELECT 1 FROM names WHERE entity_id = ? AND text = ?");
  Statement name(*m_connection,
                 "INSERT INTO names(entity_id, text, script, language, is_primary, quality) "
                 "VALUES(?, ?, ?, ?, 0, ?)");
  for (const auto& n : more.names) {
    hasName.bind(1, id).bind(2, n.text);
    const bool known = hasName.step();
    hasName.reset();
    if (known) continue;
    name.bind(1, id).bind(2, n.text).bind(3, core::nameOf(n.script)).bind(4, n.language).bind(5, n.quality).run();
    indexText("entity", id, n.text);
  }
  Statement hasIdentifier(*m_connection,
                          "SELECT 1 FROM identifiers WHERE entity_id = ? AND scheme = ? AND value = ?");
  Statement identifier(*m_connection, "INSERT INTO identifiers(entity_id, scheme, value) VALUES(?, ?, ?)");
  for (const auto& ident : more.identifiers) {
    hasIdentifier.bind(1, id).bind(2, ident.scheme).bind(3, ident.value);
    const bool known = hasIdentifier.step();
    hasIdentifier.reset();
    if (known) continue;
    identifier.bind(1, id).bind(2, ident.scheme).bind(3, ident.value).run();
    indexText("entity", id, ident.value);
  }
  Statement hasLocation(*m_connection,
                        "SELECT 1 FROM locations WHERE entity_id = ? AND address = ? AND precision = ? "
                        "AND ST_Equals(geom, GeomFromText(?, 4326)) = 1");
  std::vector<core::Location> fresh;
  for (const auto& loc : more.locations) {
    hasLocation.bind(1, id).bind(2, loc.address).bind(3, core::nameOf(loc.precision)).bind(4, loc.wkt);
    const bool known = hasLocation.step();
    hasLocation.reset();
    if (!known) fresh.push_back(loc);
  }
  insertLocations(id, fresh, more.primaryName());
  addSources("entity", id, more.sourceIds);
}

void SqliteStore::updateDesignation(const core::Designation& d) {
  Statement update(*m_connection,
                   "UPDATE designations SET listed = ?, listed_day = ?, delisted = ?, delisted_day = ?, "
                   "round_id = ? WHERE id = ?");
  if (d.listed) {
    update.bind(1, d.listed->toString()).bind(2, std::int64_t{d.listed->firstDay()});
  } else {
    update.bindNull(1).bindNull(2);
  }
  if (d.delisted) {
    update.bind(3, d.delisted->toString()).bind(4, std::int64_t{d.delisted->lastDay()});
  } else {
    update.bindNull(3).bindNull(4);
  }
  if (d.roundId.empty()) update.bindNull(5); else update.bind(5, d.roundId);
  update.bind(6, d.id).run();
  Statement clear(*m_connection, "DELETE FROM designation_programs WHERE designation_id = ?");
  clear.bind(1, d.id).run();
  Statement program(*m_connection,
                    "INSERT OR IGNORE INTO designation_programs(designation_id, program) VALUES(?, ?)");
  for (const auto& p : d.programs) program.bind(1, d.id).bind(2, p).run();
  addSources("designation", d.id, d.sourceIds);
}

std::vector<DesignationRow> SqliteStore::designationsByAuthority(const std::string& authority) {
  Statement select(*m_connection,
                   "SELECT d.id, d.entity_id, d.reference, d.listed, d.delisted, d.round_id, "
                   "(SELECT max(s.published) FROM record_sources r JOIN sources s ON s.id = r.source_id "
                   "WHERE r.kind = 'designation' AND r.record_id = d.id) "
                   "FROM designations d WHERE d.authority = ? ORDER BY d.id");
  select.bind(1, authority);
  Statement programs(*m_connection,
                     "SELECT program FROM designation_programs WHERE designation_id = ? ORDER BY program");
  std::vector<DesignationRow> rows;
  while (select.step()) {
    DesignationRow row;
    core::Designation& d = row.designation;
    d.id = select.integer(0);
    d.entityId = select.integer(1);
    d.authority = authority;
    d.reference = select.text(2);
    if (auto listed = select.optionalText(3)) d.listed = core::Date::parse(*listed);
    if (auto delisted = select.optionalText(4)) d.delisted = core::Date::parse(*delisted);
    d.roundId = select.text(5);
    row.lastListed = select.text(6);
    programs.bind(1, d.id);
    while (programs.step()) d.programs.push_back(programs.text(0));
    programs.reset();
    d.sourceIds = sourcesOf("designation", d.id);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<core::ImportBatch> SqliteStore::findImportBatch(const std::string& sha256) {
  Statement select(*m_connection,
                   "SELECT id, file, sha256, format, started_at, finished_at, report FROM import_batches "
                   "WHERE sha256 = ? ORDER BY id LIMIT 1");
  select.bind(1, sha256);
  if (!select.step()) return std::nullopt;
  return core::ImportBatch{select.integer(0), select.text(1), select.text(2), select.text(3),
                           select.text(4),    select.text(5), select.text(6)};
}

std::optional<core::RecordId> SqliteStore::findIncident(const std::string& externalId,
                                                        const std::string& kind,
                                                        const std::string& start) {
  if (!m_droppedIndexes.empty()) {
    return m_newIncidents.find(externalId, kind, start);
  }
  Statement& select = m_connection->cached(
      "SELECT id FROM incidents WHERE external_id = ? AND kind = ? AND span_start = ? ORDER BY id LIMIT 1");
  select.bind(1, externalId).bind(2, kind).bind(3, start);
  const std::optional<core::RecordId> id =
      select.step() ? std::optional<core::RecordId>(select.integer(0)) : std::nullopt;
  select.reset();
  return id;
}

void SqliteStore::addRecordSources(const std::string& kind, core::RecordId id,
                                   const std::vector<core::RecordId>& sourceIds) {
  addSources(kind.c_str(), id, sourceIds);
}

} // namespace borderlens::store::sqlite
