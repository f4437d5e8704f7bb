#include "store/postgis/pg_store.h"

#include "core/errors.h"
#include "core/utf8.h"
#include "store/filter_sql.h"
#include "store/plain_point.h"
#include "store/postgis/pg_schema.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <variant>

namespace borderlens::store::postgis {

namespace {

Params paramsOf(const FilterSql& where) {
  Params params;
  for (const auto& value : where.params) std::visit([&](const auto& v) { params.add(v); }, value);
  return params;
}

// A point on the geometry (the point itself for points), as SqliteStore's pointColumns picks it:
// both call GEOS's PointOnSurface.
std::string pointOnGeometry(const std::string& geom) {
  return "CASE WHEN GeometryType(" + geom + ") = 'POINT' THEN " + geom +
         " ELSE ST_PointOnSurface(" + geom + ") END";
}

// SpatiaLite's X()/Y(): the coordinate of a geometry made of exactly one point, NULL otherwise.
std::string singlePointX(const std::string& geom) {
  return "CASE WHEN ST_NPoints(" + geom + ") = 1 AND ST_Dimension(" + geom + ") = 0 THEN ST_XMin(" +
         geom + ") END";
}

std::string singlePointY(const std::string& geom) {
  return "CASE WHEN ST_NPoints(" + geom + ") = 1 AND ST_Dimension(" + geom + ") = 0 THEN ST_YMin(" +
         geom + ") END";
}

std::string quotedLexeme(const std::string& token) {
  std::string out = "'";
  for (char c : token) {
    if (c == '\'' || c == '\\') out.push_back(c == '\'' ? '\'' : '\\');
    out.push_back(c);
  }
  return out + "'";
}

// The FTS5 query ftsQuery() built, as a tsquery over the search vectors: the same phrases of the
// same tokens (each phrase's text split by the same tokenizer FTS5 uses), the last token a prefix
// where FTS5's is. Like FTS5, a phrase left without tokens drops out of the conjunction, and a
// query with no phrase left matches nothing (empty result).
std::string tsQuery(LocalSpatialite& local, const std::string& fts) {
  std::string query;
  std::size_t i = 0;
  while (i < fts.size()) {
    if (fts[i] != '"') {
      ++i;
      continue;
    }
    std::string phrase;
    for (++i; i < fts.size(); ++i) {
      if (fts[i] == '"') {
        if (i + 1 < fts.size() && fts[i + 1] == '"') {
          phrase.push_back('"');
          ++i;
          continue;
        }
        break;
      }
      phrase.push_back(fts[i]);
    }
    ++i;
    const bool prefix = i < fts.size() && fts[i] == '*';
    const auto tokens = local.tokens(phrase);
    if (tokens.empty()) continue;
    std::string part;
    for (std::size_t t = 0; t < tokens.size(); ++t) {
      if (t > 0) part += " <-> ";
      part += quotedLexeme(tokens[t]);
    }
    if (prefix) part += ":*";
    if (!query.empty()) query += " & ";
    query += tokens.size() > 1 ? "(" + part + ")" : part;
  }
  return query;
}

std::optional<std::int32_t> optionalDay(const Result& rows, int row, int column) {
  if (rows.isNull(row, column)) return std::nullopt;
  return static_cast<std::int32_t>(rows.integer(row, column));
}

std::optional<core::Date> optionalDate(const Result& rows, int row, int column) {
  if (rows.isNull(row, column)) return std::nullopt;
  return core::Date::parse(rows.text(row, column));
}

// The shortest text that reads back as the same double.
std::string formatDouble(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string sourcesColumn(const std::string& kind, const std::string& idExpression) {
  return "(SELECT string_agg(source_id::text, ',' ORDER BY source_id) FROM record_sources "
         "WHERE kind = '" + kind + "' AND record_id = " + idExpression + ")";
}

} // namespace

std::string conninfoOf(const std::string& location) {
  return location.rfind("PG:", 0) == 0 ? location.substr(3) : location;
}

bool isServerLocation(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0 ||
         location.rfind("PG:", 0) == 0;
}

bool isLibpqKeywords(const std::string& text) {
  if (text.find('=') == std::string::npos) return false;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(text.c_str(), &error);
  PQfreemem(error);
  if (!options) return false;
  PQconninfoFree(options);
  return true;
}

PgStore::PgStore(const std::string& location, OpenMode mode)
    : m_connection(std::make_unique<Connection>(conninfoOf(location), location)),
      m_openedAs(location),
      m_readOnly(mode == OpenMode::ReadOnly) {
  Connection& c = *m_connection;
  const int version = readSchemaVersion(c);
  if (version > kSchemaVersion) {
    throw core::SchemaMismatch(c.location() + ": schema version " + std::to_string(version) +
                               " is newer than this borderlens supports (" +
                               std::to_string(kSchemaVersion) + "); upgrade borderlens");
  }
  if (version == 0 && mode != OpenMode::Create) {
    throw core::DatabaseUnavailable(c.location() + ": no borderlens tables in this database "
                                    "(create them with: borderlens init " + c.location() + ")");
  }
  if (version < kOldestReadableSchemaVersion && mode == OpenMode::ReadOnly) {
    throw core::SchemaMismatch(c.location() + ": schema version " + std::to_string(version) +
                               " is older than this borderlens reads (" +
                               std::to_string(kOldestReadableSchemaVersion) +
                               " or later); upgrade it with: borderlens init " + c.location());
  }
  if (version < kSchemaVersion && !m_readOnly) migrate(c, m_local, kSchemaVersion);
  if (m_readOnly) c.command("SET default_transaction_read_only = on");
  m_schemaVersion = m_readOnly ? version : kSchemaVersion;
}

PgStore::~PgStore() = default;

void PgStore::begin() {
  if (m_connection->inTransaction()) {
    throw core::StoreError(location() + ": cannot start a transaction within a transaction");
  }
  if (m_readOnly) {
    // A reader's transaction is one snapshot, as SQLite's is.
    m_connection->command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return;
  }
  m_connection->command("BEGIN");
  try {
    lockWriters(*m_connection);
  } catch (...) {
    m_connection->rollback();
    throw;
  }
  m_writing = true;
}

void PgStore::commit() {
  flush();
  // Ids are handed out as max + 1 under the writers' lock (SQLite's rule, so both backends number
  // records alike); the identity sequences follow, for rows inserted by hand.
  std::string sync;
  for (const auto& [key, last] : m_lastIds) {
    if (last <= 0) continue;
    const auto dot = key.find('.');
    sync += std::string(sync.empty() ? "SELECT " : ", ") + "setval(pg_get_serial_sequence('" +
            key.substr(0, dot) + "', '" + key.substr(dot + 1) + "'), " + std::to_string(last) +
            ")";
  }
  if (!sync.empty()) m_connection->query(sync);
  const bool built = m_bulkIndexesBuilt || (m_writing && ensureBulkIndexes(*m_connection));
  m_writing = false;
  m_lastIds.clear();
  m_incidentKeys.clear();
  m_incidentKeysLoaded = false;
  m_connection->command("COMMIT");
  m_bulkIndexesBuilt = built;
}

void PgStore::rollback() {
  forgetTransaction();
  m_connection->rollback();
}

void PgStore::forgetTransaction() {
  m_writing = false;
  m_lastIds.clear();
  m_sourceIds.clear();
  m_buffer = IncidentBuffer{};
  m_incidentKeys.clear();
  m_incidentKeysLoaded = false;
}

void PgStore::flush() {
  if (m_buffer.first == 0) return;
  // Cleared first: if a COPY fails, the transaction is lost anyway and must not send it again.
  IncidentBuffer buffer = std::move(m_buffer);
  m_buffer = IncidentBuffer{};
  // Each COPY waits for the one before; the last runs on the server while the import reads and
  // encodes the next batch (the provenance rows, last, are a third of the server's work: one
  // foreign-key check each).
  constexpr auto kDeferred = Connection::Completion::Deferred;
  m_connection->copyIn("COPY incidents(id, external_id, kind, title, span_start, span_end, "
                       "first_day, last_day, precision, place, description, confidence, "
                       "border_km, geom) FROM STDIN (FORMAT binary)",
                       buffer.incidents.take(), kDeferred);
  if (!buffer.search.empty()) {
    m_connection->copyIn("COPY search(kind, record_id, body) FROM STDIN", buffer.search, kDeferred);
  }
  if (!buffer.sources.empty()) {
    m_connection->copyIn("COPY record_sources(kind, record_id, source_id) FROM STDIN "
                         "(FORMAT binary)",
                         buffer.sources.take(), kDeferred);
  }
  if (!buffer.links.empty()) {
    m_connection->copyIn("COPY incident_entities(incident_id, entity_id, role) FROM STDIN "
                         "(FORMAT binary)",
                         buffer.links.take(), kDeferred);
  }
}

core::RecordId PgStore::peekId(const std::string& table, const std::string& column) {
  const std::string key = table + "." + column;
  auto it = m_lastIds.find(key);
  if (it == m_lastIds.end()) {
    const Result max = m_connection->query("SELECT coalesce(max(" + column + "), 0) FROM " + table);
    it = m_lastIds.emplace(key, max.integer(0, 0)).first;
  }
  return it->second + 1;
}

void PgStore::useId(const std::string& table, const std::string& column) {
  ++m_lastIds[table + "." + column];
}

core::RecordId PgStore::nextId(const std::string& table) {
  const core::RecordId id = peekId(table, "id");
  useId(table, "id");
  return id;
}

core::RecordId PgStore::addSource(const core::Source& source) {
  std::string key;
  for (const std::string* field : {&source.publisher, &source.title, &source.published,
                                   &source.url, &source.file, &source.sha256}) {
    key += std::to_string(field->size()) + ":" + *field;
  }
  if (const auto it = m_sourceIds.find(key); it != m_sourceIds.end()) return it->second;
  WriteScope scope(*this);
  Params fields;
  fields.add(source.publisher).add(source.title).add(source.published);
  fields.add(source.url).add(source.file).add(source.sha256);
  const std::string match =
      "publisher = $1 AND title = $2 AND published = $3 AND url = $4 AND file = $5 AND sha256 = $6";
  Result found = m_connection->prepared("SELECT id FROM sources WHERE " + match, fields);
  core::RecordId id = 0;
  if (found.rows() > 0) {
    id = found.integer(0, 0);
  } else {
    const core::RecordId candidate = peekId("sources", "id");
    Params insert = fields;
    insert.add(candidate);
    const Result added = m_connection->prepared(
        "INSERT INTO sources(publisher, title, published, url, file, sha256, id) "
        "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (source_key) DO NOTHING RETURNING id",
        insert);
    if (added.rows() > 0) {
      useId("sources", "id");
      id = added.integer(0, 0);
    } else {
      found = m_connection->prepared("SELECT id FROM sources WHERE " + match, fields);
      if (found.rows() == 0) throw core::StoreError("source vanished after insert: " + source.title);
      id = found.integer(0, 0);
    }
  }
  scope.done();
  m_sourceIds.emplace(std::move(key), id);
  return id;
}

void PgStore::addSources(const char* kind, core::RecordId recordId,
                         const std::vector<core::RecordId>& ids) {
  for (core::RecordId sourceId : ids) {
    m_connection->prepared("INSERT INTO record_sources(kind, record_id, source_id) "
                           "VALUES($1, $2, $3) ON CONFLICT DO NOTHING",
                           Params().add(kind).add(recordId).add(sourceId));
  }
}

void PgStore::indexText(const char* kind, core::RecordId recordId, const std::string& text) {
  const std::string body = searchVector(m_local, text);
  if (body.empty()) return;
  m_connection->prepared("INSERT INTO search(kind, record_id, body) VALUES($1, $2, $3::tsvector)",
                         Params().add(kind).add(recordId).add(body));
}

std::vector<std::uint8_t> PgStore::checkedWkb(const std::string& wkt, const std::string& what) {
  auto wkb = m_local.checkedWkb(wkt);
  if (!wkb) {
    throw core::InputRejected(what + ": invalid or out-of-range geometry '" + wkt.substr(0, 80) +
                              "'");
  }
  return std::move(*wkb);
}

std::vector<std::string> PgStore::borderLines() {
  std::vector<std::string> lines;
  const Result rows = m_connection->query("SELECT ST_AsBinary(geom) FROM border_lines ORDER BY id");
  for (int row = 0; row < rows.rows(); ++row) lines.push_back(m_local.wkt(rows.bytes(row, 0)));
  return lines;
}

void PgStore::insertLocations(core::RecordId entityId, const std::vector<core::Location>& locations,
                              const std::string& entityName) {
  for (const auto& loc : locations) {
    const auto wkb = checkedWkb(loc.wkt, "location of '" + entityName + "'");
    Params params;
    params.add(nextId("locations")).add(entityId).add(core::nameOf(loc.precision)).add(loc.address);
    params.add(loc.country).add(m_border.km(loc.wkt)).addBytes(wkb);
    m_connection->prepared(
        "INSERT INTO locations(id, entity_id, precision, address, country, border_km, geom) "
        "VALUES($1, $2, $3, $4, $5, $6, ST_GeomFromWKB($7, 4326))",
        params);
  }
}

core::RecordId PgStore::addEntity(const core::Entity& entity) {
  if (entity.names.empty()) throw core::InputRejected("an entity needs at least one name");
  WriteScope scope(*this);
  flush();
  const core::RecordId id = nextId("entities");
  Params row;
  row.add(id).add(core::nameOf(entity.kind)).add(entity.primaryName()).add(entity.notes);
  if (entity.firstSeen) row.add(entity.firstSeen->toString()); else row.addNull();
  if (entity.lastSeen) row.add(entity.lastSeen->toString()); else row.addNull();
  m_connection->prepared("INSERT INTO entities(id, kind, primary_name, notes, first_seen, last_seen) "
                         "VALUES($1, $2, $3, $4, $5, $6)",
                         row);
  const std::string& primary = entity.primaryName();
  bool primaryWritten = false;
  for (const auto& n : entity.names) {
    const bool isPrimary = !primaryWritten && n.text == primary;
    primaryWritten = primaryWritten || isPrimary;
    Params name;
    name.add(nextId("names")).add(id).add(n.text).add(core::nameOf(n.script)).add(n.language);
    name.add(std::int64_t{isPrimary ? 1 : 0}).add(n.quality);
    m_connection->prepared("INSERT INTO names(id, entity_id, text, script, language, is_primary, "
                           "quality) VALUES($1, $2, $3, $4, $5, $6, $7)",
                           name);
    indexText("entity", id, n.text);
  }
  for (const auto& ident : entity.identifiers) {
    m_connection->prepared("INSERT INTO identifiers(entity_id, scheme, value) VALUES($1, $2, $3) "
                           "ON CONFLICT DO NOTHING",
                           Params().add(id).add(ident.scheme).add(ident.value));
    // Indexed even when the row was already there, as SqliteStore's INSERT OR IGNORE does.
    indexText("entity", id, ident.value);
  }
  insertLocations(id, entity.locations, primary);
  addSources("entity", id, entity.sourceIds);
  scope.done();
  return id;
}

void PgStore::upsertRound(const core::Round& round) {
  WriteScope scope(*this);
  flush();
  const core::RecordId candidate = peekId("rounds", "rowid");
  Params params;
  params.add(candidate).add(round.id).add(round.authority).add(round.date.toString());
  params.add(std::int64_t{round.date.firstDay()}).add(round.label).add(round.legalBasis);
  const Result upserted = m_connection->prepared(
      "INSERT INTO rounds(rowid, id, authority, date, day, label, legal_basis) "
      "VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(id) DO UPDATE SET "
      "label = CASE WHEN excluded.label <> '' THEN excluded.label ELSE rounds.label END, "
      "legal_basis = CASE WHEN excluded.legal_basis <> '' THEN excluded.legal_basis "
      "ELSE rounds.legal_basis END RETURNING rowid",
      params);
  const core::RecordId rowid = upserted.integer(0, 0);
  if (rowid == candidate) useId("rounds", "rowid");
  addSources("round", rowid, round.sourceIds);
  scope.done();
}

core::RecordId PgStore::addDesignation(const core::Designation& d) {
  WriteScope scope(*this);
  flush();
  const core::RecordId id = nextId("designations");
  Params row;
  row.add(id).add(d.entityId).add(d.authority).add(d.reference);
  if (d.listed) row.add(d.listed->toString()).add(std::int64_t{d.listed->firstDay()});
  else row.addNull().addNull();
  if (d.delisted) row.add(d.delisted->toString()).add(std::int64_t{d.delisted->lastDay()});
  else row.addNull().addNull();
  if (d.roundId.empty()) row.addNull(); else row.add(d.roundId);
  m_connection->prepared(
      "INSERT INTO designations(id, entity_id, authority, reference, listed, listed_day, delisted, "
      "delisted_day, round_id) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      row);
  for (const auto& p : d.programs) {
    m_connection->prepared("INSERT INTO designation_programs(designation_id, program) "
                           "VALUES($1, $2) ON CONFLICT DO NOTHING",
                           Params().add(id).add(p));
  }
  addSources("designation", id, d.sourceIds);
  scope.done();
  return id;
}

core::RecordId PgStore::addIncident(const core::Incident& incident) {
  const auto wkb = checkedWkb(incident.wkt, "incident '" + incident.title + "'");
  return insertIncident(incident, wkb, m_border.km(incident.wkt));
}

PointPreparer PgStore::pointPreparer() {
  return pointPreparerFor(m_border.lines(), &LocalSpatialite::pointWkb);
}

core::RecordId PgStore::addPreparedIncident(const core::Incident& incident,
                                            const PreparedPoint& point) {
  return insertIncident(incident, point.encoded, point.borderKm);
}

core::RecordId PgStore::insertIncident(const core::Incident& incident,
                                       const std::vector<std::uint8_t>& wkb,
                                       std::optional<double> borderKm) {
  checkIncidentFields(incident);
  WriteScope scope(*this);
  const core::RecordId id = nextId("incidents");
  const std::string start = incident.span.start.toString();
  BinaryCopy& row = m_buffer.incidents;
  row.row(14).int8(id).text(incident.externalId).text(incident.kind).text(incident.title);
  row.text(start).text(incident.span.end ? incident.span.end->toString() : std::string());
  row.int8(incident.span.firstDay()).int8(incident.span.lastDay());
  row.text(core::nameOf(incident.precision)).text(incident.place).text(incident.description);
  row.float8(incident.confidence);
  if (borderKm) row.float8(*borderKm); else row.null();
  row.geometry(wkb, 4326);
  if (m_buffer.first == 0) m_buffer.first = id;
  const std::string body =
      searchVector(m_local, incident.title + " " + incident.place + " " + incident.description);
  if (!body.empty()) m_buffer.search += searchCopyLine("incident", id, body);
  // INSERT OR IGNORE's de-duplication, for a record no row cites yet: a record cites a source or
  // two, so a look back beats building a set per row.
  const auto& sources = incident.sourceIds;
  for (auto it = sources.begin(); it != sources.end(); ++it) {
    if (std::find(sources.begin(), it, *it) == it)
      m_buffer.sources.row(3).text("incident").int8(id).int8(*it);
  }
  if (m_incidentKeysLoaded) {
    m_incidentKeys.add(incident.externalId, incident.kind, start, id);
  }
  if (m_buffer.incidents.bytes() > (32u << 20)) flush();
  scope.done();
  return id;
}

void PgStore::addIncidentLink(const core::IncidentLink& link) {
  WriteScope scope(*this);
  if (buffered(link.incidentId)) {
    if (m_buffer.linked.emplace(link.incidentId, link.entityId, link.role).second) {
      m_buffer.links.row(3).int8(link.incidentId).int8(link.entityId).text(link.role);
    }
    scope.done();
    return;
  }
  m_connection->prepared("INSERT INTO incident_entities(incident_id, entity_id, role) "
                         "VALUES($1, $2, $3) ON CONFLICT DO NOTHING",
                         Params().add(link.incidentId).add(link.entityId).add(link.role));
  scope.done();
}

void PgStore::addEntityLink(const core::EntityLink& link) {
  WriteScope scope(*this);
  flush();
  const core::RecordId candidate = peekId("entity_links", "id");
  m_connection->prepared("INSERT INTO entity_links(id, from_id, to_id, relation) "
                         "VALUES($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                         Params().add(candidate).add(link.fromId).add(link.toId).add(link.relation));
  const Result select = m_connection->prepared(
      "SELECT id FROM entity_links WHERE from_id = $1 AND to_id = $2 AND relation = $3",
      Params().add(link.fromId).add(link.toId).add(link.relation));
  const core::RecordId id = select.integer(0, 0);
  if (id == candidate) useId("entity_links", "id");
  addSources("entity_link", id, link.sourceIds);
  scope.done();
}

core::RecordId PgStore::addImportBatch(const core::ImportBatch& batch) {
  WriteScope scope(*this);
  flush();
  const core::RecordId id = nextId("import_batches");
  Params row;
  row.add(id).add(batch.file).add(batch.sha256).add(batch.format).add(batch.startedAt);
  row.add(batch.finishedAt).add(batch.reportJson);
  m_connection->prepared("INSERT INTO import_batches(id, file, sha256, format, started_at, "
                         "finished_at, report) VALUES($1, $2, $3, $4, $5, $6, $7)",
                         row);
  scope.done();
  return id;
}

void PgStore::setBorder(const std::vector<std::string>& lineWkts) {
  WriteScope scope(*this);
  flush();
  m_connection->command("DELETE FROM border_lines");
  for (const auto& wkt : lineWkts) {
    const auto wkb = checkedWkb(wkt, "border line");
    m_connection->prepared("INSERT INTO border_lines(id, name, geom) "
                           "VALUES($1, '', ST_GeomFromWKB($2, 4326))",
                           Params().add(nextId("border_lines")).addBytes(wkb));
  }
  m_border.set(lineWkts);
  const geo::BorderDistance* border = m_border.lines();
  for (const char* table : {"locations", "incidents"}) {
    if (!border) {
      m_connection->command(std::string("UPDATE ") + table + " SET border_km = NULL");
      continue;
    }
    // Distances are measured from the geometry's text as SpatiaLite prints it, as SqliteStore
    // measures them, so both backends store the same numbers.
    std::string payload;
    m_connection->stream(std::string("SELECT id, ST_AsBinary(geom) FROM ") + table, {},
                         [&](const Result& rows, int row) {
                           const double km = border->distanceKm(m_local.wkt(rows.bytes(row, 1)));
                           payload += std::to_string(rows.integer(row, 0)) + "\t" +
                                      formatDouble(km) + "\n";
                           return true;
                         });
    m_connection->command("CREATE TEMP TABLE IF NOT EXISTS bl_border_km(id bigint, km double "
                          "precision) ON COMMIT DROP");
    m_connection->command("TRUNCATE bl_border_km");
    m_connection->copyIn("COPY bl_border_km(id, km) FROM STDIN", payload);
    m_connection->command(std::string("UPDATE ") + table +
                          " t SET border_km = b.km FROM bl_border_km b WHERE t.id = b.id");
  }
  scope.done();
}

void PgStore::forEachFeature(const FilterSpec& filter, const QueryOptions& options,
                             const FeatureCallback& callback) {
  const std::string match = tsQuery(m_local, searchQuery(filter.text));
  flush();
  const Snapshot snapshot(*m_connection);
  std::uint64_t emitted = 0;
  bool stopped = false;
  const auto emit = [&](const FeatureRow& row) {
    ++emitted;
    stopped = !callback(row) || (options.limit != 0 && emitted >= options.limit);
    return !stopped;
  };
  const auto limitClause = [&] {
    return options.limit == 0 ? std::string()
                              : " LIMIT " + std::to_string(options.limit - emitted);
  };

  if (filter.wantsEntities() && options.part == 0) {
    const FilterSql where = entityConditions(filter, SqlDialect::Postgis, match);
    // Duplicate rows from the programs join change neither DISTINCT lists, minima and maxima,
    // nor whether every designation has a delisting date.
    const std::string sql =
        "SELECT e.id, e.kind, e.primary_name, l.id, ST_X(pt.p), ST_Y(pt.p), l.precision, "
        "dz.first_listed, l.address, dz.authorities, dz.rounds, " +
        std::string(options.withGeometry ? "ST_AsBinary(l.geom)" : "NULL::bytea") +
        ", dz.first_day, dz.last_day, l.border_km, dz.programs "
        "FROM entities e LEFT JOIN locations l ON l.entity_id = e.id "
        "CROSS JOIN LATERAL (SELECT " + pointOnGeometry("l.geom") + " AS p) pt "
        "CROSS JOIN LATERAL (SELECT "
        "(array_agg(d.listed ORDER BY d.listed_day, d.id) FILTER (WHERE d.listed IS NOT NULL))[1] "
        "AS first_listed, "
        "string_agg(DISTINCT d.authority, ',' ORDER BY d.authority) AS authorities, "
        "string_agg(DISTINCT d.round_id, ',' ORDER BY d.round_id) AS rounds, "
        "min(d.listed_day) AS first_day, "
        "CASE WHEN count(d.id) = count(d.delisted_day) THEN max(d.delisted_day) END AS last_day, "
        "string_agg(DISTINCT p.program, ',' ORDER BY p.program) AS programs "
        "FROM designations d LEFT JOIN designation_programs p ON p.designation_id = d.id "
        "WHERE d.entity_id = e.id) dz "
        "WHERE true" + where.conditions + " ORDER BY e.id, l.id" + limitClause();
    FeatureRow row;
    row.type = FeatureType::Entity;
    m_connection->stream(sql, paramsOf(where), [&](const Result& r, int i) {
      row.id = r.integer(i, 0);
      row.kind = r.text(i, 1);
      row.name = r.text(i, 2);
      row.locationId = r.isNull(i, 3) ? 0 : r.integer(i, 3);
      row.lon = r.optionalReal(i, 4);
      row.lat = r.optionalReal(i, 5);
      row.precision = r.text(i, 6);
      row.start = r.text(i, 7);
      row.place = r.text(i, 8);
      row.authorities = r.text(i, 9);
      row.rounds = r.text(i, 10);
      row.wkt = r.isNull(i, 11) ? std::string() : m_local.wkt(r.bytes(i, 11));
      row.firstDay = optionalDay(r, i, 12);
      row.lastDay = optionalDay(r, i, 13);
      row.borderKm = r.optionalReal(i, 14);
      row.programs = r.text(i, 15);
      return emit(row);
    });
    if (stopped) return;
  }

  if (filter.wantsIncidents()) {
    std::optional<IdSlice> slice;
    if (options.parts > 1) {
      const Result range = m_connection->query("SELECT min(id), max(id) FROM incidents");
      std::optional<std::pair<core::RecordId, core::RecordId>> ids;
      if (!range.isNull(0, 0)) ids = std::pair{range.integer(0, 0), range.integer(0, 1)};
      slice = idSlice(ids, options.part, options.parts);
    }
    const FilterSql where = incidentConditions(filter, SqlDialect::Postgis, match, slice);
    // Most incidents link no entity: one index probe spares them the aggregates, whose sorts
    // (DISTINCT ... ORDER BY) are set up anew for every row. The three lists come from one
    // probe and one aggregate (OFFSET 0 keeps PostgreSQL from copying them into each column that
    // reads them): a probe per list took a third of the server's time for a 141,506-row viewport
    // query, one takes a sixth. The rows are chosen and sorted first, in a subquery, so that this
    // work is done as the cursor is fetched, while the client reads the rows before.
    const std::string links =
        "CROSS JOIN LATERAL (SELECT CASE WHEN EXISTS (SELECT 1 FROM incident_entities "
        "WHERE incident_id = i.id) THEN (SELECT ARRAY["
        "string_agg(DISTINCT d.authority, ',' ORDER BY d.authority), "
        "string_agg(DISTINCT d.round_id, ',' ORDER BY d.round_id), "
        "string_agg(DISTINCT p.program, ',' ORDER BY p.program)] "
        "FROM incident_entities ie JOIN designations d ON d.entity_id = ie.entity_id "
        "LEFT JOIN designation_programs p ON p.designation_id = d.id "
        "WHERE ie.incident_id = i.id) END AS lists OFFSET 0) lk ";
    const std::string sql =
        "SELECT i.id, i.kind, i.title, ST_X(pt.p), ST_Y(pt.p), i.precision, i.span_start, "
        "i.span_end, i.place, lk.lists[1], lk.lists[2], i.confidence, " +
        std::string(options.withGeometry ? "ST_AsBinary(i.geom)" : "NULL::bytea") +
        ", i.first_day, i.last_day, i.border_km, lk.lists[3]" +
        (options.withDetails ? ", i.external_id, i.description, " + sourcesColumn("incident", "i.id") +
                                   ", (SELECT count(*) FROM incident_entities WHERE incident_id = i.id)"
                             : std::string()) +
        " FROM (SELECT * FROM incidents i WHERE true" + where.conditions + " ORDER BY i.id" +
        (options.limit == 0 ? " OFFSET 0" : limitClause()) + ") i CROSS JOIN LATERAL (SELECT " +
        pointOnGeometry("i.geom") + " AS p) pt " + links + "ORDER BY i.id";
    FeatureRow row;
    row.type = FeatureType::Incident;
    m_connection->stream(sql, paramsOf(where), [&](const Result& r, int i) {
      row.id = r.integer(i, 0);
      row.kind = r.text(i, 1);
      row.name = r.text(i, 2);
      row.lon = r.optionalReal(i, 3);
      row.lat = r.optionalReal(i, 4);
      row.precision = r.text(i, 5);
      row.start = r.text(i, 6);
      row.end = r.text(i, 7);
      row.place = r.text(i, 8);
      row.authorities = r.text(i, 9);
      row.rounds = r.text(i, 10);
      row.confidence = r.real(i, 11);
      row.wkt = r.isNull(i, 12) ? std::string() : m_local.wkt(r.bytes(i, 12));
      row.firstDay = optionalDay(r, i, 13);
      row.lastDay = optionalDay(r, i, 14);
      row.borderKm = r.optionalReal(i, 15);
      row.programs = r.text(i, 16);
      if (options.withDetails) {
        row.externalId = r.text(i, 17);
        row.description = r.text(i, 18);
        row.sourceIds = parseIdList(r.text(i, 19));
        row.linkCount = r.integer(i, 20);
      }
      return emit(row);
    });
  }
}

std::vector<std::unique_ptr<Store>> PgStore::snapshotReaders(unsigned count) {
  if (m_connection->inTransaction()) return {};
  // pg_dump -j's way: one transaction exports its snapshot and each reader's adopts it, while
  // the exporting one is still open.
  m_connection->command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  std::vector<std::unique_ptr<Store>> readers;
  try {
    const std::string snapshot = m_connection->query("SELECT pg_export_snapshot()").text(0, 0);
    if (snapshot.find_first_not_of("0123456789ABCDEF-") != std::string::npos) {
      throw core::StoreError(location() + ": unexpected snapshot name '" + snapshot + "'");
    }
    for (unsigned i = 0; i < count; ++i) {
      auto reader = std::make_unique<PgStore>(m_openedAs, OpenMode::ReadOnly);
      reader->m_connection->command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      reader->m_connection->command("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
      readers.push_back(std::move(reader));
    }
  } catch (const core::Error&) {
    // A server out of connections, or a standby that exports no snapshots: read alone.
    readers.clear();
  }
  m_connection->command("COMMIT");
  return readers;
}

std::uint64_t PgStore::countIncidents(const FilterSpec& filter) {
  if (!filter.wantsIncidents()) return 0;
  const std::string match = tsQuery(m_local, searchQuery(filter.text));
  flush();
  const FilterSql where = incidentConditions(filter, SqlDialect::Postgis, match);
  const Result count = m_connection->query("SELECT count(*) FROM incidents i WHERE true" + where.conditions,
                                           paramsOf(where));
  return static_cast<std::uint64_t>(count.integer(0, 0));
}

void PgStore::forEachRound(const std::function<bool(const RoundRow&)>& callback) {
  flush();
  const Result rows = m_connection->query(
      "SELECT r.id, r.authority, r.date, r.label, r.legal_basis, "
      "(SELECT count(*) FROM designations d WHERE d.round_id = r.id), " +
      sourcesColumn("round", "r.rowid") + " FROM rounds r ORDER BY r.day, r.authority, r.id");
  RoundRow row;
  for (int i = 0; i < rows.rows(); ++i) {
    row.round.id = rows.text(i, 0);
    row.round.authority = rows.text(i, 1);
    row.round.date = core::Date::parse(rows.text(i, 2)).value_or(core::Date{});
    row.round.label = rows.text(i, 3);
    row.round.legalBasis = rows.text(i, 4);
    row.designations = rows.integer(i, 5);
    row.round.sourceIds = parseIdList(rows.text(i, 6));
    if (!callback(row)) return;
  }
}

std::optional<core::RecordId> PgStore::findEntityByIdentifier(const std::string& scheme,
                                                              const std::string& value) {
  const Result rows = m_connection->prepared(
      "SELECT entity_id FROM identifiers WHERE scheme = $1 AND value = $2 "
      "ORDER BY entity_id LIMIT 1",
      Params().add(scheme).add(value));
  if (rows.rows() == 0) return std::nullopt;
  return rows.integer(0, 0);
}

std::optional<core::Entity> PgStore::entity(core::RecordId id) {
  flush();
  const Snapshot snapshot(*m_connection);
  const Result select = m_connection->prepared(
      "SELECT kind, notes, first_seen, last_seen, " + sourcesColumn("entity", "$1") +
          " FROM entities WHERE id = $1",
      Params().add(id));
  if (select.rows() == 0) return std::nullopt;
  core::Entity e;
  e.id = id;
  e.kind = core::entityKindFromString(select.text(0, 0)).value_or(core::EntityKind::Organization);
  e.notes = select.text(0, 1);
  e.firstSeen = optionalDate(select, 0, 2);
  e.lastSeen = optionalDate(select, 0, 3);
  e.sourceIds = parseIdList(select.text(0, 4));

  const Result names = m_connection->prepared(
      "SELECT text, script, language, is_primary, quality FROM names "
      "WHERE entity_id = $1 ORDER BY is_primary DESC, id",
      Params().add(id));
  for (int row = 0; row < names.rows(); ++row) {
    e.names.push_back({names.text(row, 0), core::scriptFromString(names.text(row, 1)),
                       names.text(row, 2), names.integer(row, 3) != 0, names.text(row, 4)});
  }
  const Result identifiers = m_connection->prepared(
      "SELECT scheme, value FROM identifiers WHERE entity_id = $1 ORDER BY scheme, value",
      Params().add(id));
  for (int row = 0; row < identifiers.rows(); ++row) {
    e.identifiers.push_back({identifiers.text(row, 0), identifiers.text(row, 1)});
  }
  const Result locations = m_connection->prepared(
      "SELECT id, ST_AsBinary(geom), precision, address, country FROM locations "
      "WHERE entity_id = $1 ORDER BY id",
      Params().add(id));
  for (int row = 0; row < locations.rows(); ++row) {
    core::Location loc;
    loc.id = locations.integer(row, 0);
    loc.wkt = m_local.wkt(locations.bytes(row, 1));
    loc.precision =
        core::precisionFromString(locations.text(row, 2)).value_or(core::Precision::Exact);
    loc.address = locations.text(row, 3);
    loc.country = locations.text(row, 4);
    e.locations.push_back(std::move(loc));
  }
  return e;
}

std::vector<core::Designation> PgStore::designationsOf(core::RecordId entityId) {
  flush();
  const Result rows = m_connection->prepared(
      "SELECT d.id, d.authority, d.reference, d.listed, d.delisted, d.round_id, " +
          sourcesColumn("designation", "d.id") +
          " FROM designations d WHERE d.entity_id = $1 ORDER BY d.listed_day NULLS FIRST, d.id",
      Params().add(entityId));
  std::vector<core::Designation> out;
  for (int row = 0; row < rows.rows(); ++row) {
    core::Designation d;
    d.id = rows.integer(row, 0);
    d.entityId = entityId;
    d.authority = rows.text(row, 1);
    d.reference = rows.text(row, 2);
    d.listed = optionalDate(rows, row, 3);
    d.delisted = optionalDate(rows, row, 4);
    d.roundId = rows.text(row, 5);
    d.sourceIds = parseIdList(rows.text(row, 6));
    out.push_back(std::move(d));
  }
  // Programs may hold commas, so they come one row each rather than folded into one column.
  if (!out.empty()) {
    const Result programs = m_connection->prepared(
        "SELECT p.designation_id, p.program FROM designation_programs p JOIN designations d ON "
        "d.id = p.designation_id WHERE d.entity_id = $1 ORDER BY p.designation_id, p.program",
        Params().add(entityId));
    std::map<core::RecordId, std::vector<std::string>> byDesignation;
    for (int row = 0; row < programs.rows(); ++row) {
      byDesignation[programs.integer(row, 0)].push_back(programs.text(row, 1));
    }
    for (auto& d : out) d.programs = std::move(byDesignation[d.id]);
  }
  return out;
}

std::optional<core::Incident> PgStore::incident(core::RecordId id) {
  flush();
  const Result select = m_connection->prepared(
      "SELECT external_id, kind, title, span_start, span_end, ST_AsBinary(geom), precision, "
      "place, description, confidence, " + sourcesColumn("incident", "$1") +
          " FROM incidents WHERE id = $1",
      Params().add(id));
  if (select.rows() == 0) return std::nullopt;
  core::Incident i;
  i.id = id;
  i.externalId = select.text(0, 0);
  i.kind = select.text(0, 1);
  i.title = select.text(0, 2);
  i.span.start = core::Date::parse(select.text(0, 3)).value_or(core::Date{});
  if (const std::string end = select.text(0, 4); !end.empty()) i.span.end = core::Date::parse(end);
  i.wkt = m_local.wkt(select.bytes(0, 5));
  i.precision = core::precisionFromString(select.text(0, 6)).value_or(core::Precision::Exact);
  i.place = select.text(0, 7);
  i.description = select.text(0, 8);
  i.confidence = select.real(0, 9);
  i.sourceIds = parseIdList(select.text(0, 10));
  return i;
}

std::optional<core::Source> PgStore::source(core::RecordId id) {
  const Result select = m_connection->prepared(
      "SELECT publisher, title, published, url, file, sha256 FROM sources WHERE id = $1",
      Params().add(id));
  if (select.rows() == 0) return std::nullopt;
  return core::Source{id, select.text(0, 0), select.text(0, 1), select.text(0, 2),
                      select.text(0, 3), select.text(0, 4), select.text(0, 5)};
}

std::vector<LinkedRecord> PgStore::linksOf(FeatureType type, core::RecordId id) {
  flush();
  std::vector<LinkedRecord> out;
  const auto collect = [&](const Result& rows, FeatureType linkedType) {
    for (int row = 0; row < rows.rows(); ++row) {
      LinkedRecord r;
      r.type = linkedType;
      r.id = rows.integer(row, 0);
      r.name = rows.text(row, 1);
      r.relation = rows.text(row, 2);
      r.lon = rows.optionalReal(row, 3);
      r.lat = rows.optionalReal(row, 4);
      out.push_back(std::move(r));
    }
  };
  const std::string entityPoint =
      "(SELECT " + singlePointX("geom") + " FROM locations WHERE entity_id = e.id ORDER BY id "
      "LIMIT 1), (SELECT " + singlePointY("geom") + " FROM locations WHERE entity_id = e.id "
      "ORDER BY id LIMIT 1)";
  const Snapshot snapshot(*m_connection);
  if (type == FeatureType::Entity) {
    collect(m_connection->prepared(
                "SELECT e.id, e.primary_name, l.relation, " + entityPoint +
                    " FROM entity_links l JOIN entities e ON e.id = "
                    "CASE WHEN l.from_id = $1 THEN l.to_id ELSE l.from_id END "
                    "WHERE l.from_id = $1 OR l.to_id = $1 ORDER BY e.id, l.relation",
                Params().add(id)),
            FeatureType::Entity);
    collect(m_connection->prepared(
                "SELECT i.id, i.title, ie.role, ST_X(pt.p), ST_Y(pt.p) FROM incident_entities ie "
                "JOIN incidents i ON i.id = ie.incident_id CROSS JOIN LATERAL (SELECT " +
                    pointOnGeometry("i.geom") +
                    " AS p) pt WHERE ie.entity_id = $1 ORDER BY i.id, ie.role",
                Params().add(id)),
            FeatureType::Incident);
  } else {
    collect(m_connection->prepared(
                "SELECT e.id, e.primary_name, ie.role, " + entityPoint +
                    " FROM incident_entities ie JOIN entities e ON e.id = ie.entity_id "
                    "WHERE ie.incident_id = $1 ORDER BY e.id, ie.role",
                Params().add(id)),
            FeatureType::Entity);
  }
  return out;
}

Stats PgStore::stats() {
  flush();
  Connection& c = *m_connection;
  const Snapshot snapshot(c);
  Stats s;
  s.schemaVersion = m_schemaVersion;
  const Result counts = c.query(
      "SELECT (SELECT count(*) FROM entities), (SELECT count(*) FROM names), "
      "(SELECT count(*) FROM identifiers), (SELECT count(*) FROM locations), "
      "(SELECT count(*) FROM designations), (SELECT count(*) FROM rounds), "
      "(SELECT count(*) FROM incidents), (SELECT count(*) FROM sources), "
      "(SELECT count(*) FROM entity_links), (SELECT count(*) FROM incident_entities), "
      "(SELECT count(*) FROM entities e WHERE NOT EXISTS "
      "(SELECT 1 FROM locations l WHERE l.entity_id = e.id)), "
      "(SELECT count(*) FROM entities x WHERE NOT EXISTS (SELECT 1 FROM record_sources r "
      "WHERE r.kind = 'entity' AND r.record_id = x.id)) + "
      "(SELECT count(*) FROM designations x WHERE NOT EXISTS (SELECT 1 FROM record_sources r "
      "WHERE r.kind = 'designation' AND r.record_id = x.id)) + "
      "(SELECT count(*) FROM incidents x WHERE NOT EXISTS (SELECT 1 FROM record_sources r "
      "WHERE r.kind = 'incident' AND r.record_id = x.id)) + "
      "(SELECT count(*) FROM rounds x WHERE NOT EXISTS (SELECT 1 FROM record_sources r "
      "WHERE r.kind = 'round' AND r.record_id = x.rowid)), "
      "(SELECT count(*) FROM import_batches), EXISTS (SELECT 1 FROM border_lines)");
  s.entities = counts.integer(0, 0);
  s.names = counts.integer(0, 1);
  s.identifiers = counts.integer(0, 2);
  s.locations = counts.integer(0, 3);
  s.designations = counts.integer(0, 4);
  s.rounds = counts.integer(0, 5);
  s.incidents = counts.integer(0, 6);
  s.sources = counts.integer(0, 7);
  s.entityLinks = counts.integer(0, 8);
  s.incidentLinks = counts.integer(0, 9);
  s.unlocatedEntities = counts.integer(0, 10);
  s.recordsWithoutSource = counts.integer(0, 11);
  s.importBatches = counts.integer(0, 12);
  s.hasBorder = counts.integer(0, 13) != 0;
  const Result groups = c.query(
      "SELECT 0, kind, count(*) FROM entities GROUP BY kind UNION ALL "
      "SELECT 1, script, count(*) FROM names GROUP BY script UNION ALL "
      "SELECT 2, authority, count(*) FROM designations GROUP BY authority UNION ALL "
      "SELECT 3, kind, count(*) FROM incidents GROUP BY kind");
  for (int row = 0; row < groups.rows(); ++row) {
    std::map<std::string, std::int64_t>* maps[] = {&s.entitiesByKind, &s.namesByScript,
                                                   &s.designationsByAuthority, &s.incidentsByKind};
    (*maps[groups.integer(row, 0)])[groups.text(row, 1)] = groups.integer(row, 2);
  }
  const Result extent = c.query(
      "SELECT min(ST_XMin(geom)), min(ST_YMin(geom)), max(ST_XMax(geom)), max(ST_YMax(geom)) "
      "FROM (SELECT geom FROM locations UNION ALL SELECT geom FROM incidents) g");
  if (!extent.isNull(0, 0)) {
    s.extent = geo::BBox{extent.real(0, 0), extent.real(0, 1), extent.real(0, 2), extent.real(0, 3)};
  }
  return s;
}

std::vector<EntityDigest> PgStore::entityDigests() {
  flush();
  const Snapshot snapshot(*m_connection);
  std::vector<EntityDigest> digests;
  std::map<core::RecordId, std::size_t> index;
  m_connection->stream("SELECT id, kind FROM entities ORDER BY id", {},
                       [&](const Result& rows, int row) {
                         EntityDigest digest;
                         digest.id = rows.integer(row, 0);
                         digest.kind = core::entityKindFromString(rows.text(row, 1))
                                           .value_or(core::EntityKind::Organization);
                         index[digest.id] = digests.size();
                         digests.push_back(std::move(digest));
                         return true;
                       });
  m_connection->stream("SELECT entity_id, text, script, language, is_primary, quality FROM names "
                       "ORDER BY entity_id, is_primary DESC, id",
                       {}, [&](const Result& rows, int row) {
                         digests[index.at(rows.integer(row, 0))].names.push_back(
                             {rows.text(row, 1), core::scriptFromString(rows.text(row, 2)),
                              rows.text(row, 3), rows.integer(row, 4) != 0, rows.text(row, 5)});
                         return true;
                       });
  m_connection->stream(
      "SELECT entity_id, scheme, value FROM identifiers ORDER BY entity_id, scheme, value", {},
      [&](const Result& rows, int row) {
        digests[index.at(rows.integer(row, 0))].identifiers.push_back(
            {rows.text(row, 1), rows.text(row, 2)});
        return true;
      });
  m_connection->stream("SELECT DISTINCT entity_id, country FROM locations WHERE country <> '' "
                       "ORDER BY entity_id, country",
                       {}, [&](const Result& rows, int row) {
                         digests[index.at(rows.integer(row, 0))].countries.push_back(
                             rows.text(row, 1));
                         return true;
                       });
  return digests;
}

void PgStore::extendEntity(core::RecordId id, const core::Entity& more) {
  WriteScope scope(*this);
  flush();
  const Result stored = m_connection->prepared(
      "SELECT notes, first_seen, last_seen FROM entities WHERE id = $1", Params().add(id));
  if (stored.rows() == 0) throw core::StoreError("no entity " + std::to_string(id) + " to extend");
  std::string notes = stored.text(0, 0);
  std::optional<core::Date> firstSeen = optionalDate(stored, 0, 1);
  std::optional<core::Date> lastSeen = optionalDate(stored, 0, 2);
  if (more.firstSeen && (!firstSeen || *more.firstSeen < *firstSeen)) firstSeen = more.firstSeen;
  if (more.lastSeen && (!lastSeen || *more.lastSeen > *lastSeen)) lastSeen = more.lastSeen;
  if (!more.notes.empty() && notes.find(more.notes) == std::string::npos) {
    notes = notes.empty() ? more.notes : notes + "\n" + more.notes;
  }
  Params update;
  update.add(notes);
  if (firstSeen) update.add(firstSeen->toString()); else update.addNull();
  if (lastSeen) update.add(lastSeen->toString()); else update.addNull();
  update.add(id);
  m_connection->prepared("UPDATE entities SET notes = $1, first_seen = $2, last_seen = $3 "
                         "WHERE id = $4",
                         update);

  for (const auto& n : more.names) {
    const bool known = m_connection->prepared(
                           "SELECT 1 FROM names WHERE entity_id = $1 AND text = $2",
                           Params().add(id).add(n.text)).rows() > 0;
    if (known) continue;
    Params name;
    name.add(nextId("names")).add(id).add(n.text).add(core::nameOf(n.script)).add(n.language);
    name.add(n.quality);
    m_connection->prepared("INSERT INTO names(id, entity_id, text, script, language, is_primary, "
                           "quality) VALUES($1, $2, $3, $4, $5, 0, $6)",
                           name);
    indexText("entity", id, n.text);
  }
  for (const auto& ident : more.identifiers) {
    const bool known =
        m_connection->prepared(
            "SELECT 1 FROM identifiers WHERE entity_id = $1 AND scheme = $2 AND value = $3",
            Params().add(id).add(ident.scheme).add(ident.value)).rows() > 0;
    if (known) continue;
    m_connection->prepared("INSERT INTO identifiers(entity_id, scheme, value) VALUES($1, $2, $3)",
                           Params().add(id).add(ident.scheme).add(ident.value));
    indexText("entity", id, ident.value);
  }
  std::vector<core::Location> fresh;
  for (const auto& loc : more.locations) {
    // A geometry SpatiaLite cannot read compares as unknown there too; it is refused on insert.
    const auto wkb = m_local.checkedWkb(loc.wkt);
    bool known = false;
    if (wkb) {
      known = m_connection->prepared(
                  "SELECT 1 FROM locations WHERE entity_id = $1 AND address = $2 AND "
                  "precision = $3 AND ST_Equals(geom, ST_GeomFromWKB($4, 4326))",
                  Params().add(id).add(loc.address).add(core::nameOf(loc.precision)).addBytes(*wkb))
                  .rows() > 0;
    }
    if (!known) fresh.push_back(loc);
  }
  insertLocations(id, fresh, more.primaryName());
  addSources("entity", id, more.sourceIds);
  scope.done();
}

void PgStore::updateDesignation(const core::Designation& d) {
  WriteScope scope(*this);
  flush();
  Params update;
  if (d.listed) update.add(d.listed->toString()).add(std::int64_t{d.listed->firstDay()});
  else update.addNull().addNull();
  if (d.delisted) update.add(d.delisted->toString()).add(std::int64_t{d.delisted->lastDay()});
  else update.addNull().addNull();
  if (d.roundId.empty()) update.addNull(); else update.add(d.roundId);
  update.add(d.id);
  m_connection->prepared("UPDATE designations SET listed = $1, listed_day = $2, delisted = $3, "
                         "delisted_day = $4, round_id = $5 WHERE id = $6",
                         update);
  m_connection->prepared("DELETE FROM designation_programs WHERE designation_id = $1",
                         Params().add(d.id));
  for (const auto& p : d.programs) {
    m_connection->prepared("INSERT INTO designation_programs(designation_id, program) "
                           "VALUES($1, $2) ON CONFLICT DO NOTHING",
                           Params().add(d.id).add(p));
  }
  addSources("designation", d.id, d.sourceIds);
  scope.done();
}

std::vector<DesignationRow> PgStore::designationsByAuthority(const std::string& authority) {
  flush();
  const Snapshot snapshot(*m_connection);
  const Result rows = m_connection->prepared(
      "SELECT d.id, d.entity_id, d.reference, d.listed, d.delisted, d.round_id, "
      "(SELECT max(s.published) FROM record_sources r JOIN sources s ON s.id = r.source_id "
      "WHERE r.kind = 'designation' AND r.record_id = d.id), " +
          sourcesColumn("designation", "d.id") +
          " FROM designations d WHERE d.authority = $1 ORDER BY d.id",
      Params().add(authority));
  const Result programs = m_connection->prepared(
      "SELECT p.designation_id, p.program FROM designation_programs p JOIN designations d ON "
      "d.id = p.designation_id WHERE d.authority = $1 ORDER BY p.designation_id, p.program",
      Params().add(authority));
  std::map<core::RecordId, std::vector<std::string>> byDesignation;
  for (int row = 0; row < programs.rows(); ++row) {
    byDesignation[programs.integer(row, 0)].push_back(programs.text(row, 1));
  }
  std::vector<DesignationRow> out;
  for (int row = 0; row < rows.rows(); ++row) {
    DesignationRow r;
    core::Designation& d = r.designation;
    d.id = rows.integer(row, 0);
    d.entityId = rows.integer(row, 1);
    d.authority = authority;
    d.reference = rows.text(row, 2);
    d.listed = optionalDate(rows, row, 3);
    d.delisted = optionalDate(rows, row, 4);
    d.roundId = rows.text(row, 5);
    r.lastListed = rows.text(row, 6);
    d.programs = std::move(byDesignation[d.id]);
    d.sourceIds = parseIdList(rows.text(row, 7));
    out.push_back(std::move(r));
  }
  return out;
}

std::optional<core::ImportBatch> PgStore::findImportBatch(const std::string& sha256) {
  flush();
  const Result select = m_connection->prepared(
      "SELECT id, file, sha256, format, started_at, finished_at, report FROM import_batches "
      "WHERE sha256 = $1 ORDER BY id LIMIT 1",
      Params().add(sha256));
  if (select.rows() == 0) return std::nullopt;
  return core::ImportBatch{select.integer(0, 0), select.text(0, 1), select.text(0, 2),
                           select.text(0, 3),    select.text(0, 4), select.text(0, 5),
                           select.text(0, 6)};
}

std::optional<core::RecordId> PgStore::findIncident(const std::string& externalId,
                                                    const std::string& kind,
                                                    const std::string& start) {
  if (m_writing) {
    // Under the writers' lock only this transaction changes incidents: read every key once.
    if (!m_incidentKeysLoaded) {
      flush();
      m_connection->stream("SELECT external_id, kind, span_start, min(id) FROM incidents "
                           "GROUP BY external_id, kind, span_start",
                           {}, [&](const Result& rows, int row) {
                             m_incidentKeys.add(rows.text(row, 0), rows.text(row, 1),
                                                rows.text(row, 2), rows.integer(row, 3));
                             return true;
                           });
      m_incidentKeysLoaded = true;
    }
    return m_incidentKeys.find(externalId, kind, start);
  }
  flush();
  const Result select = m_connection->prepared(
      "SELECT id FROM incidents WHERE external_id = $1 AND kind = $2 AND span_start = $3 "
      "ORDER BY id LIMIT 1",
      Params().add(externalId).add(kind).add(start));
  if (select.rows() == 0) return std::nullopt;
  return select.integer(0, 0);
}

void PgStore::addRecordSources(const std::string& kind, core::RecordId id,
                               const std::vector<core::RecordId>& sourceIds) {
  WriteScope scope(*this);
  flush();
  addSources(kind.c_str(), id, sourceIds);
  scope.done();
}

} // namespace borderlens::store::postgis
