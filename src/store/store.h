#pragma once

#include "core/model.h"
#include "geo/bbox.h"
#include "store/filter.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// The storage contract every backend fulfils (SpatiaLite file; PostGIS for teams). Nothing here
// names a backend's types, so callers cannot depend on one.
namespace borderlens::store {

inline constexpr int kSchemaVersion = 2;

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
  std::optional<double> confidence;  // incidents only
  std::string wkt;                // filled only when the query asks for geometry
};

struct QueryOptions {
  bool withGeometry = false;
  // Stop after this many rows (0 = all).
  std::uint64_t limit = 0;
};

// Return false to stop the stream.
using FeatureCallback = std::function<bool(const FeatureRow&)>;

struct RoundRow {
  core::Round round;
  std::int64_t designations = 0;
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

  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;

  // Writes. Each assigns and returns the new record's id; sources are de-duplicated.
  virtual core::RecordId addSource(const core::Source& source) = 0;
  virtual core::RecordId addEntity(const core::Entity& entity) = 0;
  virtual void upsertRound(const core::Round& round) = 0;
  virtual core::RecordId addDesignation(const core::Designation& designation) = 0;
  virtual core::RecordId addIncident(const core::Incident& incident) = 0;
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
  virtual void forEachRound(const std::function<bool(const RoundRow&)>& callback) = 0;
  virtual std::optional<core::RecordId> findEntityByIdentifier(const std::string& scheme,
                                                               const std::string& value) = 0;
  virtual std::optional<core::Entity> entity(core::RecordId id) = 0;
  virtual std::vector<core::Designation> designationsOf(core::RecordId entityId) = 0;
  virtual Stats stats() = 0;
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

// Opens a store by location: a file path (SpatiaLite). Throws core::DatabaseUnavailable or
// core::SchemaMismatch with a one-line cause.
std::unique_ptr<Store> openStore(const std::string& location, OpenMode mode);

// The schema version of an existing database without changing it (0: an empty SQLite file).
// Throws core::DatabaseUnavailable for a missing file or one that is not a borderlens database.
int peekSchemaVersion(const std::string& location);

} // namespace borderlens::store
