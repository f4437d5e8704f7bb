#pragma once

#include "core/key_index.h"
#include "core/model.h"
#include "geo/bbox.h"
#include "store/filter.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

// The storage contract every backend fulfils (SpatiaLite file; PostGIS for teams). Nothing here
// names a backend's types, so callers cannot depend on one.
namespace borderlens::store {

inline constexpr int kSchemaVersion = 5;
// A read-only open takes a database of this schema or later as it is, so that a newer borderlens
// still reads, renders and exports a database nobody has upgraded yet: version 5 added only an
// index, which reads of an older database do without. Older ones need `borderlens init`.
inline constexpr int kOldestReadableSchemaVersion = 4;

// What a store makes of a plain point ("POINT(x y)", store/plain_point.h) alone: its stored
// encoding (SpatiaLite blob or WKB) and its distance to the border.
struct PreparedPoint {
  std::vector<std::uint8_t> encoded;
  std::optional<double> borderKm;
};
using PointPreparer = std::function<std::optional<PreparedPoint>(const std::string& wkt)>;

enum class FeatureType { Entity, Incident };
const char* nameOf(FeatureType type);

// One drawable/listable record: an entity at one of its locations (or unlocated), or an incident.
struct FeatureRow {
  FeatureType type = FeatureType::Entity;
  core::RecordId id = 0;
  core::RecordId locationId = 0;  // entities only; 0 when the entity has no location
  std::string kind;
  std::string name;               // entity primary name, incident title
  std::optional<double> lon;      // a point on the geometry (the point itself for points)
  std::optional<double> lat;
  std::string precision;          // empty for unlocated entities
  std::string start;              // incident start; entity: earliest listing date
  std::string end;                // incident end (empty: same period as start)
  std::string place;              // incident place text; entity: the location's address text
  std::string authorities;        // comma-separated, sorted (entities; incidents via their links)
  std::string rounds;             // comma-separated round ids, sorted
  std::string programs;           // comma-separated sanctions programs, sorted
  std::optional<double> confidence;  // incidents only
  // Days since 1970-01-01 covered by the feature: an incident's span; for an entity, from its
  // earliest listing to its last delisting (open while any designation is in force). Unset ends
  // are open.
  std::optional<std::int32_t> firstDay;
  std::optional<std::int32_t> lastDay;
  std::optional<double> borderKm;    // geodesic distance to the national border, when known
  std::string wkt;                // filled only when the query asks for geometry
  // Filled only when the query asks for details (incidents; an export), so that a caller needs
  // no lookup a row: the incident's own fields the map does not show, its sources, and how many
  // entities it links (look the links up only where there are some).
  std::string externalId;
  std::string description;
  std::vector<core::RecordId> sourceIds;
  std::int64_t linkCount = 0;
};

struct QueryOptions {
  bool withGeometry = false;
  // Stop after this many rows (0 = all).
  std::uint64_t limit = 0;
  bool withDetails = false;
  // Streams only part `part` (0-based) of `parts`, so that several readers sharing a snapshot
  // (snapshotReaders) can read one query in parallel: the parts cut the incidents' id range into
  // equal spans, and part 0 also streams the entities. Read in order, the parts stream exactly
  // the rows of the whole, in the same order. A limit applies to each part alone.
  unsigned part = 0;
  unsigned parts = 1;
};

// Return false to stop the stream.
using FeatureCallback = std::function<bool(const FeatureRow&)>;

// A record linked to another: an entity's linked entities and incidents, an incident's entities.
struct LinkedRecord {
  FeatureType type = FeatureType::Entity;
  core::RecordId id = 0;
  std::string name;       // primary name or incident title
  std::string relation;   // "linked to", or the incident role ("vessel", "defendant")
  std::optional<double> lon;
  std::optional<double> lat;
};

struct RoundRow {
  core::Round round;
  std::int64_t designations = 0;
};

// What the importer needs to recognise an entity it meets again (in another list, or in a newer
// snapshot): its kind, names, identifiers and the countries of its locations.
struct EntityDigest {
  core::RecordId id = 0;
  core::EntityKind kind = core::EntityKind::Organization;
  std::vector<core::Name> names;
  std::vector<core::Identifier> identifiers;
  std::vector<std::string> countries;
};

// A designation with the newest list date among its sources (their `published`, YYYY-MM-DD):
// the latest list snapshot known to state it. Empty when no source has a date.
struct DesignationRow {
  core::Designation designation;
  std::string lastListed;
};

struct Stats {
  int schemaVersion = 0;
  std::int64_t entities = 0;
  std::map<std::string, std::int64_t> entitiesByKind;
  std::int64_t names = 0;
  std::map<std::string, std::int64_t> namesByScript;
  std::int64_t identifiers = 0;
  std::int64_t locations = 0;
  std::int64_t designations = 0;
  std::map<std::string, std::int64_t> designationsByAuthority;
  std::int64_t rounds = 0;
  std::int64_t incidents = 0;
  std::map<std::string, std::int64_t> incidentsByKind;
  std::int64_t sources = 0;
  std::int64_t entityLinks = 0;
  std::int64_t incidentLinks = 0;
  std::int64_t unlocatedEntities = 0;
  std::int64_t recordsWithoutSource = 0;
  std::int64_t importBatches = 0;
  bool hasBorder = false;
  std::optional<geo::BBox> extent;
};

// A backend-neutral image of the whole database, one logical table at a time, so that `copy` moves
// a database between backends without loss: ids are kept, dates stay as written, geometries travel
// as ISO WKB (EPSG:4326) so that no coordinate is rounded through text.
using DumpBlob = std::vector<std::uint8_t>;
using DumpValue = std::variant<std::monostate, std::int64_t, double, std::string, DumpBlob>;
using DumpRow = std::vector<DumpValue>;

struct DumpTable {
  std::string name;
  std::vector<std::string> columns;  // "geom" holds WKB; every other column keeps its SQL type
};

// The logical tables in the order their rows must be written (referenced tables first). Rows
// stream ordered by their columns in turn (geometry aside), the same on every backend. One
// exception: a round has a text id, so a record_sources row of kind 'round' carries the round's
// 1-based position among the rounds ordered by id (bytewise) as its record_id.
const std::vector<DumpTable>& dumpTables();

enum class OpenMode {
  ReadOnly,   // never writes; fails on a missing file or an older schema
  ReadWrite,  // migrates an older schema forward
  Create,     // creates the file when missing, otherwise as ReadWrite
};

class Store {
 public:
  virtual ~Store() = default;

  // Where the store lives, safe to print (passwords redacted).
  virtual std::string location() const = 0;
  virtual int schemaVersion() const = 0;

  // On a store opened ReadOnly, begin() starts one consistent snapshot: every read until
  // commit() or rollback() sees the same state, even while other processes write.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // Writes. Each assigns and returns the new record's id; sources are de-duplicated.
  virtual core::RecordId addSource(const core::Source& source) = 0;
  virtual core::RecordId addEntity(const core::Entity& entity) = 0;
  virtual void upsertRound(const core::Round& round) = 0;
  virtual core::RecordId addDesignation(const core::Designation& designation) = 0;
  virtual core::RecordId addIncident(const core::Incident& incident) = 0;
  // A preparer safe to run on one other thread while this store is used, so that an importer
  // with many rows makes their points ahead on another core. It returns nullopt for WKT that is
  // not a plain point in range, which addIncident() then handles (or rejects) itself.
  virtual PointPreparer pointPreparer() = 0;
  // addIncident() for an incident whose incident.wkt pointPreparer() prepared as `point`.
  virtual core::RecordId addPreparedIncident(const core::Incident& incident,
                                             const PreparedPoint& point) = 0;
  virtual void addIncidentLink(const core::IncidentLink& link) = 0;
  virtual void addEntityLink(const core::EntityLink& link) = 0;
  virtual core::RecordId addImportBatch(const core::ImportBatch& batch) = 0;
  // Replaces the national-border geometry (WKT lines in EPSG:4326) that distance-to-border
  // filters measure against, and recomputes every stored distance.
  virtual void setBorder(const std::vector<std::string>& lineWkts) = 0;

  // Reads. Streams rows in a stable order (entities by id then location id, then incidents by
  // id), the same on every backend.
  virtual void forEachFeature(const FilterSpec& filter, const QueryOptions& options,
                              const FeatureCallback& callback) = 0;
  // `count` more read-only stores, each already in a read transaction, all seeing the database
  // as it was at one moment, so that parts of one query read by them in parallel threads (one
  // store each) add up to a consistent whole. Empty where the backend cannot promise one moment
  // now (SQLite: while a writer holds its lock, or where the file cannot be locked), or inside a
  // transaction of this store's; the caller then reads alone.
  virtual std::vector<std::unique_ptr<Store>> snapshotReaders(unsigned count) = 0;
  // How many incidents forEachFeature would stream under `filter`, counted without reading them.
  virtual std::uint64_t countIncidents(const FilterSpec& filter) = 0;
  virtual void forEachRound(const std::function<bool(const RoundRow&)>& callback) = 0;
  virtual std::optional<core::RecordId> findEntityByIdentifier(const std::string& scheme,
                                                               const std::string& value) = 0;
  virtual std::optional<core::Entity> entity(core::RecordId id) = 0;
  virtual std::vector<core::Designation> designationsOf(core::RecordId entityId) = 0;
  virtual std::optional<core::Incident> incident(core::RecordId id) = 0;
  virtual std::optional<core::Source> source(core::RecordId id) = 0;
  // Entities and incidents linked to a record, ordered by type then id.
  virtual std::vector<LinkedRecord> linksOf(FeatureType type, core::RecordId id) = 0;
  virtual Stats stats() = 0;

  // Import support: recognising records met again and updating them in place, so that
  // re-importing an overlapping list merges instead of duplicating.
  // Every entity, in id order.
  virtual std::vector<EntityDigest> entityDigests() = 0;
  // Adds to a stored entity what `more` has and it lacks: names (by text), identifiers,
  // locations (by address and geometry), notes not yet in its notes, and sources; widens
  // first_seen/last_seen to cover `more`'s. The stored kind stays.
  virtual void extendEntity(core::RecordId id, const core::Entity& more) = 0;
  // Rewrites a stored designation's listed and delisted dates, round and programs; adds its
  // sources to those it has.
  virtual void updateDesignation(const core::Designation& designation) = 0;
  // Every designation by an authority, in id order, with its sources.
  virtual std::vector<DesignationRow> designationsByAuthority(const std::string& authority) = 0;
  // The import batch of a file with this SHA-256, if it was imported before.
  virtual std::optional<core::ImportBatch> findImportBatch(const std::string& sha256) = 0;
  // An incident with this external id, kind and start (as written, e.g. "2017-08").
  virtual std::optional<core::RecordId> findIncident(const std::string& externalId,
                                                     const std::string& kind,
                                                     const std::string& start) = 0;
  // Cites more sources for a stored record; `kind` is entity, designation, incident, round or
  // entity_link.
  virtual void addRecordSources(const std::string& kind, core::RecordId id,
                                const std::vector<core::RecordId>& sourceIds) = 0;

  // Copying whole databases (see dumpTables()). forEachDumpRow streams one table's rows, values
  // in the table's column order; return false to stop.
  virtual void forEachDumpRow(const DumpTable& table,
                              const std::function<bool(const DumpRow&)>& callback) = 0;
  // Writes rows, ids as given, into a database that had no records; call inside a transaction,
  // tables in dumpTables() order. finishRestore() then rebuilds what is derived from the rows
  // (text search index, id sequences, statistics) so the copy behaves like the original.
  virtual void restoreRows(const DumpTable& table, const std::vector<DumpRow>& rows) = 0;
  virtual void finishRestore() = 0;
};

// Refuses, with core::InputRejected, an incident no backend stores: a confidence outside
// [0, 1] or a span that ends before it starts.
void checkIncidentFields(const core::Incident& incident);

// Incidents by the key an importer finds them again by (findIncident): their file's id, kind and
// start, length-prefixed so that no two keys collide whatever bytes they hold. For stores that
// keep a transaction's incidents in memory, to ask the database nothing per row of an import.
class IncidentKeys {
 public:
  std::optional<core::RecordId> find(const std::string& externalId, const std::string& kind,
                                     const std::string& start);
  // Keeps the id first added for a key.
  void add(const std::string& externalId, const std::string& kind, const std::string& start,
           core::RecordId id);
  void clear() { m_ids.clear(); }
  std::size_t size() const { return m_ids.size(); }

 private:
  // The key in m_key, whose capacity a million look-ups reuse.
  const std::string& keyOf(const std::string& externalId, const std::string& kind,
                           const std::string& start);

  core::KeyIndex m_ids;
  std::string m_key;
};

// Commits on commit(); rolls back if destroyed before that (an exception, a cancel).
class Transaction {
 public:
  explicit Transaction(Store& store) : m_store(store) { m_store.begin(); }
  ~Transaction() {
    if (!m_done) {
      try {
        m_store.rollback();
      } catch (...) {
        // A failed rollback leaves SQLite/PostgreSQL to discard the transaction on close.
      }
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    m_store.commit();
    m_done = true;
  }

 private:
  Store& m_store;
  bool m_done = false;
};

// Opens a store by location: a file path (SpatiaLite), or a `postgresql://` URL / `PG:` libpq
// connection string (PostGIS). Throws core::DatabaseUnavailable or
// core::SchemaMismatch with a one-line cause.
std::unique_ptr<Store> openStore(const std::string& location, OpenMode mode);

// Whether a location names a database on a server (`postgresql://`, `postgres://`, `PG:`) rather
// than a file: such a database exists before init, empty (schema version 0).
bool isServerLocation(const std::string& location);

// The schema version of an existing database without changing it (0: an empty SQLite file, or a
// server database without borderlens tables).
// Throws core::DatabaseUnavailable for a missing file or one that is not a borderlens database.
int peekSchemaVersion(const std::string& location);

} // namespace borderlens::store
