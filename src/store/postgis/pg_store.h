#pragma once

#include "store/border_cache.h"
#include "store/postgis/local_spatialite.h"
#include "store/postgis/pg_connection.h"
#include "store/store.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>

namespace borderlens::store::postgis {

// Whether a location names a PostgreSQL database: a postgresql:// or postgres:// URL, or a
// `PG:` libpq connection string (PG:service=border, PG:host=... dbname=...).
bool isServerLocation(const std::string& location);
// What libpq gets of such a location: a URL as it is, a `PG:` string without its prefix.
std::string conninfoOf(const std::string& location);
// Whether libpq reads `text` as a connection string of its own keywords (host=... dbname=...).
bool isLibpqKeywords(const std::string& text);

// The team backend: PostGIS on a PostgreSQL server, reached through libpq. Credentials come from
// the URL or from libpq's own sources (PGPASSWORD, ~/.pgpass, the service file); none is ever
// printed. Writers take a lock for their transaction, as SQLite's BEGIN IMMEDIATE does, so that
// imports from several machines serialise instead of racing on de-duplication.
class PgStore final : public Store {
 public:
  PgStore(const std::string& location, OpenMode mode);
  ~PgStore() override;

  std::string location() const override { return m_connection->location(); }
  int schemaVersion() const override { return m_schemaVersion; }

  void begin() override;
  void commit() override;
  void rollback() override;

  core::RecordId addSource(const core::Source& source) override;
  core::RecordId addEntity(const core::Entity& entity) override;
  void upsertRound(const core::Round& round) override;
  core::RecordId addDesignation(const core::Designation& designation) override;
  core::RecordId addIncident(const core::Incident& incident) override;
  PointPreparer pointPreparer() override;
  core::RecordId addPreparedIncident(const core::Incident& incident,
                                     const PreparedPoint& point) override;
  void addIncidentLink(const core::IncidentLink& link) override;
  void addEntityLink(const core::EntityLink& link) override;
  core::RecordId addImportBatch(const core::ImportBatch& batch) override;
  void setBorder(const std::vector<std::string>& lineWkts) override;

  void forEachFeature(const FilterSpec& filter, const QueryOptions& options,
                      const FeatureCallback& callback) override;
  std::vector<std::unique_ptr<Store>> snapshotReaders(unsigned count) override;
  std::uint64_t countIncidents(const FilterSpec& filter) override;
  void forEachRound(const std::function<bool(const RoundRow&)>& callback) override;
  std::optional<core::RecordId> findEntityByIdentifier(const std::string& scheme,
                                                       const std::string& value) override;
  std::optional<core::Entity> entity(core::RecordId id) override;
  std::vector<core::Designation> designationsOf(core::RecordId entityId) override;
  std::optional<core::Incident> incident(core::RecordId id) override;
  std::optional<core::Source> source(core::RecordId id) override;
  std::vector<LinkedRecord> linksOf(FeatureType type, core::RecordId id) override;
  Stats stats() override;
  std::vector<EntityDigest> entityDigests() override;
  void extendEntity(core::RecordId id, const core::Entity& more) override;
  void updateDesignation(const core::Designation& designation) override;
  std::vector<DesignationRow> designationsByAuthority(const std::string& authority) override;
  std::optional<core::ImportBatch> findImportBatch(const std::string& sha256) override;
  std::optional<core::RecordId> findIncident(const std::string& externalId, const std::string& kind,
                                             const std::string& start) override;
  void addRecordSources(const std::string& kind, core::RecordId id,
                        const std::vector<core::RecordId>& sourceIds) override;
  void forEachDumpRow(const DumpTable& table,
                      const std::function<bool(const DumpRow&)>& callback) override;
  void restoreRows(const DumpTable& table, const std::vector<DumpRow>& rows) override;
  void finishRestore() override;

 private:
  // Holds one read-only snapshot over several queries, so that a stream of entities and
  // incidents (or the counts of stats()) come from one state of the database even while a writer
  // commits, as SQLite's read transaction gives. Inside a caller's transaction it does nothing.
  class Snapshot {
   public:
    explicit Snapshot(Connection& connection) : m_connection(connection) {
      if (!connection.inTransaction()) {
        connection.command("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        m_owned = true;
      }
    }
    ~Snapshot() {
      if (!m_owned) return;
      try {
        m_connection.command("COMMIT");
      } catch (...) {
        // A read-only transaction has nothing to lose; the server ends it with the connection.
      }
    }
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

   private:
    Connection& m_connection;
    bool m_owned = false;
  };

  // A write outside the caller's transaction runs in one of its own, under the writers' lock, as
  // SQLite's autocommit statement takes its write lock.
  class WriteScope {
   public:
    explicit WriteScope(PgStore& store) : m_store(store) {
      if (!store.m_connection->inTransaction()) {
        store.begin();
        m_owned = true;
      }
    }
    ~WriteScope() {
      if (!m_owned) return;
      try {
        m_store.rollback();
      } catch (...) {
        // The server discards the transaction with the connection.
      }
    }
    WriteScope(const WriteScope&) = delete;
    WriteScope& operator=(const WriteScope&) = delete;
    void done() {
      if (m_owned) m_store.commit();
      m_owned = false;
    }

   private:
    PgStore& m_store;
    bool m_owned = false;
  };

  // Record ids are max + 1, counted from the table's maximum once per write transaction (under
  // the writers' lock nobody else inserts): SQLite's rule, so both backends number alike.
  core::RecordId peekId(const std::string& table, const std::string& column);
  void useId(const std::string& table, const std::string& column);
  core::RecordId nextId(const std::string& table);

  void addSources(const char* kind, core::RecordId recordId, const std::vector<core::RecordId>& ids);
  void insertLocations(core::RecordId entityId, const std::vector<core::Location>& locations,
                       const std::string& entityName);
  void indexText(const char* kind, core::RecordId recordId, const std::string& text);
  std::vector<std::uint8_t> checkedWkb(const std::string& wkt, const std::string& what);
  std::vector<std::string> borderLines();
  core::RecordId insertIncident(const core::Incident& incident, const std::vector<std::uint8_t>& wkb,
                                std::optional<double> borderKm);
  // Writes buffered incidents (and what cites them) before anything reads or references them.
  void flush();
  bool buffered(core::RecordId incidentId) const {
    return m_buffer.first != 0 && incidentId >= m_buffer.first;
  }
  // Drops what is only valid inside the transaction that ends.
  void forgetTransaction();

  std::unique_ptr<Connection> m_connection;
  // The location as given, password included, for opening more connections like this one.
  std::string m_openedAs;
  LocalSpatialite m_local;
  int m_schemaVersion = 0;
  bool m_readOnly = false;
  BorderCache m_border{[this] { return borderLines(); }};
  // Inside begin()/commit() on a writable store: the writers' lock is held.
  bool m_writing = false;
  // Every bulk index exists (ensureBulkIndexes); once they do, no commit needs to look again.
  bool m_bulkIndexesBuilt = false;

  // Incidents added in this transaction and not yet sent, with their search rows, sources and
  // links: an import of a million rows sends them by COPY in large batches instead of a round
  // trip per row. Ids are known before sending (max + 1 under the lock).
  struct IncidentBuffer {
    BinaryCopy incidents;
    BinaryCopy sources;
    BinaryCopy links;
    std::string search;
    core::RecordId first = 0;  // the first buffered incident's id; 0 when none is
    std::set<std::tuple<core::RecordId, core::RecordId, std::string>> linked;
  };
  IncidentBuffer m_buffer;
  // While writing: every incident's (external id, kind, start) and its lowest id, so that an
  // import asks the server nothing per row to recognise incidents it meets again.
  IncidentKeys m_incidentKeys;
  bool m_incidentKeysLoaded = false;
  // Sources met in this session by their six fields: an import cites the same few per record.
  std::unordered_map<std::string, core::RecordId> m_sourceIds;
  // "table.column" -> the last id used in this transaction.
  std::map<std::string, core::RecordId> m_lastIds;
};

} // namespace borderlens::store::postgis
