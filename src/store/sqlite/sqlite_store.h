#pragma once

#include "store/border_cache.h"
#include "store/filter_sql.h"
#include "store/sqlite/connection.h"
#include "store/store.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace borderlens::store::sqlite {

// The embedded default backend: one SpatiaLite file in WAL mode.
class SqliteStore final : public Store {
 public:
  SqliteStore(const std::string& path, OpenMode mode);

  std::string location() const override;
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
  void addSources(const char* kind, core::RecordId recordId, const std::vector<core::RecordId>& ids);
  void insertLocations(core::RecordId entityId, const std::vector<core::Location>& locations,
                       const std::string& entityName);
  void indexText(const char* kind, core::RecordId recordId, const std::string& text);
  // The geometry as a SpatiaLite blob; throws core::InputRejected when invalid or out of range.
  std::vector<std::uint8_t> checkGeometry(const std::string& wkt, const std::string& what);
  bool inTransaction() const;
  // The smallest and largest incident id, or nullopt when there are none.
  std::optional<std::pair<core::RecordId, core::RecordId>> incidentIdRange();
  core::RecordId insertIncident(const core::Incident& incident,
                                const std::vector<std::uint8_t>& geometry,
                                std::optional<double> borderKm);
  // Inside a transaction, incidents join the R*Trees and the search index at the commit, in bulk:
  // SpatiaLite's per-row triggers cost more than the row (RTreeAlign prepares an INSERT for every
  // row). They are dropped until then, inside the transaction, so that a rollback restores them.
  void deferIncidentIndexes();
  // Writes what the transaction deferred; before commit and before reading those indexes.
  void flushDeferred();
  // Fills the incidents R*Trees named in `rtrees` with the rows after `after`: packed anew when
  // they are at least as many as those held, else row by row.
  void fillIncidentRtrees(core::RecordId after, const std::vector<std::string>& rtrees);
  // The incident R*Trees this file has: a read-only open of schema 4 has no span R*Tree.
  IncidentRtrees incidentRtrees() const;
  bool hasBorder();
  std::vector<std::string> borderLines();
  std::vector<core::RecordId> sourcesOf(const char* kind, core::RecordId recordId);

  std::unique_ptr<Connection> m_connection;
  int m_schemaVersion = 0;
  bool m_readOnly = false;
  BorderCache m_border{[this] { return borderLines(); }};

  struct PendingText {
    const char* kind;
    core::RecordId recordId;
    std::string body;
  };
  std::vector<PendingText> m_pendingText;
  // Incidents with a larger id are not yet in the R*Tree nor the search index.
  std::optional<core::RecordId> m_deferredAfter;
  // The triggers deferIncidentIndexes() dropped (index into its list, SQL to create it again).
  std::vector<std::pair<std::size_t, std::string>> m_droppedTriggers;
  // The SQL of the incidents indexes dropped for a load into an empty table; built at the commit.
  std::vector<std::string> m_droppedIndexes;
  // While those indexes are away, findIncident() answers from here: every incident in the table
  // came in this transaction. Keyed by external id, kind and start.
  IncidentKeys m_newIncidents;
};

} // namespace borderlens::store::sqlite
