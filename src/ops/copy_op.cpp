#include "ops/copy_op.h"

#include "core/errors.h"
#include "core/redact.h"
#include "store/store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <map>
#include <sstream>

namespace borderlens::ops {

namespace {

namespace fs = std::filesystem;

bool sameDatabase(const std::string& a, const std::string& b) {
  if (a == b) return true;
  std::error_code ec;
  return !store::isServerLocation(a) && !store::isServerLocation(b) && fs::equivalent(a, b, ec);
}

// What a database holds that a copy would collide with; empty when it holds no records. The
// border geometry is not a record: `init` stores one, and the copy replaces it.
std::string recordsHeld(const store::Stats& s) {
  std::string held;
  const auto add = [&](std::int64_t count, const char* what) {
    if (count == 0) return;
    held += (held.empty() ? "" : ", ") + std::string(what) + " " + std::to_string(count);
  };
  add(s.entities, "entities");
  add(s.designations, "designations");
  add(s.rounds, "rounds");
  add(s.incidents, "incidents");
  add(s.sources, "sources");
  add(s.entityLinks + s.incidentLinks, "links");
  add(s.importBatches, "import batches");
  return held;
}

void refuseUnlessEmpty(const store::Stats& stats, const std::string& location) {
  const std::string held = recordsHeld(stats);
  if (held.empty()) return;
  throw core::OutputFailed(location + ": already holds records (" + held +
                           "); copy writes only into a new or empty database");
}

// The destination as it is before this run, without writing to it: a foreign, newer or
// older-schema database, or one holding records, is refused here, before it is opened for
// writing (which would upgrade an older schema).
void checkExistingDestination(const std::string& location) {
  const int version = store::peekSchemaVersion(location);
  if (version == 0) return;
  if (version < store::kSchemaVersion) {
    throw core::SchemaMismatch(core::redactSecrets(location) + ": schema version " +
                               std::to_string(version) + " is older than " +
                               std::to_string(store::kSchemaVersion) +
                               "; upgrade it with borderlens init, or copy into a new database");
  }
  auto existing = store::openStore(location, store::OpenMode::ReadOnly);
  refuseUnlessEmpty(existing->stats(), existing->location());
}

// Each table's rows, as far as the source's counts tell, for a progress fraction by rows. The
// three tables stats() does not count are estimated from the records they hang off.
std::int64_t expectedRows(const std::string& table, const store::Stats& s) {
  static const std::map<std::string, std::int64_t store::Stats::*> counted{
      {"sources", &store::Stats::sources},
      {"import_batches", &store::Stats::importBatches},
      {"entities", &store::Stats::entities},
      {"names", &store::Stats::names},
      {"identifiers", &store::Stats::identifiers},
      {"locations", &store::Stats::locations},
      {"rounds", &store::Stats::rounds},
      {"designations", &store::Stats::designations},
      {"designation_programs", &store::Stats::designations},
      {"incidents", &store::Stats::incidents},
      {"incident_entities", &store::Stats::incidentLinks},
      {"entity_links", &store::Stats::entityLinks},
  };
  if (const auto it = counted.find(table); it != counted.end()) return s.*(it->second);
  if (table == "record_sources") {
    return s.entities + s.designations + s.incidents + s.rounds + s.entityLinks;
  }
  return 1;
}

// The copy must reproduce every count the source reports; a difference means rows were lost or
// invented on the way, and the copy is rolled back rather than committed.
void checkCopy(const store::Stats& source, const store::Stats& copy) {
  std::string differences;
  const auto compare = [&](const auto& a, const auto& b, const char* what) {
    if (a == b) return;
    differences += std::string(differences.empty() ? "" : ", ") + what;
  };
  compare(source.entities, copy.entities, "entities");
  compare(source.entitiesByKind, copy.entitiesByKind, "entities by kind");
  compare(source.names, copy.names, "names");
  compare(source.namesByScript, copy.namesByScript, "names by script");
  compare(source.identifiers, copy.identifiers, "identifiers");
  compare(source.locations, copy.locations, "locations");
  compare(source.designations, copy.designations, "designations");
  compare(source.designationsByAuthority, copy.designationsByAuthority,
          "designations by authority");
  compare(source.rounds, copy.rounds, "rounds");
  compare(source.incidents, copy.incidents, "incidents");
  compare(source.incidentsByKind, copy.incidentsByKind, "incidents by kind");
  compare(source.sources, copy.sources, "sources");
  compare(source.entityLinks, copy.entityLinks, "entity links");
  compare(source.incidentLinks, copy.incidentLinks, "incident links");
  compare(source.unlocatedEntities, copy.unlocatedEntities, "unlocated entities");
  compare(source.recordsWithoutSource, copy.recordsWithoutSource, "records without a source");
  compare(source.importBatches, copy.importBatches, "import batches");
  compare(source.hasBorder, copy.hasBorder, "border geometry");
  if (!differences.empty()) {
    throw core::StoreError("the copy does not match the source (" + differences +
                           "); nothing was written");
  }
}

void removeDatabaseFile(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

} // namespace

CopyReport runCopy(const CopyOptions& options, const core::Progress& progress) {
  if (options.source.empty() || options.destination.empty()) {
    throw core::UsageError("copy needs a source and a destination database");
  }
  if (options.batchRows == 0) throw core::UsageError("copy: the batch size must be at least 1");
  if (sameDatabase(options.source, options.destination)) {
    throw core::UsageError("copy: " + core::redactSecrets(options.source) +
                           " is both the source and the destination");
  }

  CopyReport report;
  auto source = store::openStore(options.source, store::OpenMode::ReadOnly);
  report.source = source->location();
  // One read transaction over every table: a copy taken while others import is one state of the
  // source, never half of an import.
  store::Transaction snapshot(*source);
  const store::Stats sourceStats = source->stats();

  std::error_code ec;
  report.created =
      !store::isServerLocation(options.destination) && !fs::exists(options.destination, ec);
  if (!report.created) checkExistingDestination(options.destination);

  std::int64_t expected = 0;
  for (const auto& table : store::dumpTables()) expected += expectedRows(table.name, sourceStats);
  std::int64_t done = 0;
  const auto fraction = [&] {
    // Writing is most of the work; the last 5% are the index rebuild and the check.
    return 0.95 * static_cast<double>(done) / static_cast<double>(std::max(expected, done + 1));
  };

  std::unique_ptr<store::Store> destination;
  try {
    destination = store::openStore(options.destination, store::OpenMode::Create);
    report.destination = destination->location();
    report.schemaVersion = destination->schemaVersion();
    store::Transaction transaction(*destination);
    // Checked again inside the transaction: another writer may have come in since the first look.
    const store::Stats before = destination->stats();
    refuseUnlessEmpty(before, report.destination);
    if (before.hasBorder) destination->setBorder({});

    for (const auto& table : store::dumpTables()) {
      const std::string message = "copying " + table.name;
      if (!core::reportProgress(progress, fraction(), message)) throw core::Cancelled();
      std::vector<store::DumpRow> batch;
      std::int64_t rows = 0;
      std::exception_ptr failure;
      const auto flush = [&] {
        destination->restoreRows(table, batch);
        rows += static_cast<std::int64_t>(batch.size());
        done += static_cast<std::int64_t>(batch.size());
        batch.clear();
        if (!core::reportProgress(progress, fraction(), message)) throw core::Cancelled();
      };
      // Failures inside the callback stop the stream and are rethrown after it, so that no
      // backend has to unwind an exception through its result reading.
      source->forEachDumpRow(table, [&](const store::DumpRow& row) {
        try {
          batch.push_back(row);
          if (batch.size() >= options.batchRows) flush();
          return true;
        } catch (...) {
          failure = std::current_exception();
          return false;
        }
      });
      if (failure) std::rethrow_exception(failure);
      if (!batch.empty()) flush();
      report.tables.push_back({table.name, rows});
      report.totalRows += rows;
    }

    if (!core::reportProgress(progress, 0.95, "rebuilding the search index")) {
      throw core::Cancelled();
    }
    destination->finishRestore();
    checkCopy(sourceStats, destination->stats());
    if (!core::reportProgress(progress, 1.0, "committing")) throw core::Cancelled();
    transaction.commit();
  } catch (...) {
    destination.reset();
    if (report.created) removeDatabaseFile(options.destination);
    throw;
  }
  return report;
}

nlohmann::ordered_json copyReportJson(const CopyReport& report) {
  nlohmann::ordered_json j;
  j["source"] = report.source;
  j["destination"] = report.destination;
  j["created"] = report.created;
  j["schema_version"] = report.schemaVersion;
  nlohmann::ordered_json tables = nlohmann::ordered_json::object();
  for (const auto& table : report.tables) tables[table.table] = table.rows;
  j["tables"] = tables;
  j["rows"] = report.totalRows;
  return j;
}

std::string copyReportText(const CopyReport& report) {
  std::ostringstream out;
  out << "copied " << report.source << " to " << report.destination << " ("
      << (report.created ? "new file, " : "") << "schema " << report.schemaVersion << "): "
      << report.totalRows << " rows\n";
  for (const auto& table : report.tables) {
    std::string name = "  " + table.table;
    name.append(24 - std::min<std::size_t>(name.size(), 23), ' ');
    out << name << table.rows << "\n";
  }
  return out.str();
}

} // namespace borderlens::ops
