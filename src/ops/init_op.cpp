#include "ops/init_op.h"

#include "core/errors.h"
#include "core/redact.h"
#include "ingest/base_geodata.h"
#include "ops/geodata_path.h"
#include "store/store.h"

#include <filesystem>

namespace borderlens::ops {

namespace {

std::optional<std::string> borderSource(const InitOptions& options, InitReport& report) {
  if (options.noBorder) return std::nullopt;
  if (!options.geodata.empty()) return options.geodata;
  if (auto dir = findGeodataDir()) return (std::filesystem::path(*dir) / "base.gpkg").string();
  report.warnings.push_back(
      "no geodata/base.gpkg found (set BORDERLENS_GEODATA): distance-to-border filters are off");
  return std::nullopt;
}

} // namespace

InitReport runInit(const InitOptions& options) {
  if (options.database.empty()) throw core::UsageError("init: no database given");
  if (!options.geodata.empty() && !std::filesystem::exists(options.geodata)) {
    throw core::UsageError("init: --geodata " + options.geodata + ": no such file");
  }
  InitReport report;
  std::error_code ec;
  // A server database exists before init; it is new to borderlens while it has no schema.
  const bool server = store::isServerLocation(options.database);
  report.created = !server && !std::filesystem::exists(options.database, ec);
  try {
    // A read-only peek first, so that a newer or foreign database is refused before anything
    // writes.
    if (!report.created) {
      report.previousVersion = store::peekSchemaVersion(options.database);
      report.created = server && report.previousVersion == 0;
      if (report.previousVersion > store::kSchemaVersion) {
        throw core::SchemaMismatch(core::redactSecrets(options.database) + ": schema version " +
                                   std::to_string(report.previousVersion) +
                                   " is newer than this borderlens supports (" +
                                   std::to_string(store::kSchemaVersion) + "); upgrade borderlens");
      }
    }
    // The border is read before the schema is made: a server database cannot be removed like a
    // new file when a bad geodata file fails the init.
    std::optional<std::vector<std::string>> lines;
    if (report.previousVersion == 0) {
      if (auto gpkg = borderSource(options, report)) {
        lines = ingest::readBorderLines(*gpkg, kBorderLayer, kBorderCountries);
      }
    }
    auto db = store::openStore(options.database, store::OpenMode::Create);
    report.schemaVersion = db->schemaVersion();
    if (lines) {
      store::Transaction transaction(*db);
      db->setBorder(*lines);
      transaction.commit();
      report.borderLines = lines->size();
    }
  } catch (...) {
    if (report.created && !server) {
      std::filesystem::remove(options.database, ec);
      std::filesystem::remove(options.database + "-wal", ec);
      std::filesystem::remove(options.database + "-shm", ec);
    }
    throw;
  }
  return report;
}

} // namespace borderlens::ops
