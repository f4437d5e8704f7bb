#pragma once

#include "core/date.h"
#include "core/progress.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace borderlens::ops {

struct ImportOptions {
  std::string database;
  std::vector<std::string> files;
  // "auto" (by content) or one of ingest::importFormats().
  std::string format = "auto";
  // The date of the list snapshot being imported, for lists without dates of their own: entries
  // get first_seen/last_seen, new entries go to that day's round, vanished ones are delisted.
  std::optional<core::Date> asOf;
  // A rounds CSV (docs/formats.md) assigning list entries to rounds; wins over first_seen.
  std::string roundsFile;
  // Incidents: our field name -> the file's column.
  std::map<std::string, std::string> fieldMap;
  // Do everything, report everything, write nothing.
  bool dryRun = false;
  // base.gpkg for geocoding; empty: geodata/ (findGeodataDir).
  std::string geodata;
};

// A record the report names: where it is ("sdn.csv:412 (23175)") and what happened to it.
struct ImportNote {
  std::string where;
  std::string what;
};

struct FileImportReport {
  std::string file;
  std::vector<std::string> companions;  // add.csv / alt.csv read with an sdn.csv
  std::string format;
  std::string sha256;
  std::string listDate;  // the list's own date, when it states one
  std::string snapshotDate;  // --as-of, else the list date: first/last seen, delisting
  std::string skipped;  // why nothing was done ("imported before: batch 3, ..."); empty otherwise
  std::uint64_t recordsRead = 0;
  std::map<std::string, std::uint64_t> created;  // entity kind -> count
  std::map<std::string, std::uint64_t> merged;  // entity kind -> count
  std::uint64_t designationsAdded = 0;
  std::uint64_t designationsUpdated = 0;
  std::map<std::string, std::uint64_t> rounds;  // round id -> designations this file put there
  std::uint64_t withoutRound = 0;
  std::vector<ImportNote> delisted;
  std::map<std::string, std::uint64_t> geocoded;  // precision -> locations
  std::vector<ImportNote> unlocated;
  std::vector<ImportNote> approximate;  // placed through a near-miss spelling
  std::vector<ImportNote> crossListMerges;  // merged by IMO, passport or name
  std::uint64_t incidentsCreated = 0;
  std::uint64_t incidentsMerged = 0;
  std::uint64_t linksAdded = 0;
  std::vector<ImportNote> unresolvedLinks;
  std::vector<ImportNote> rejected;
  std::vector<std::string> warnings;
};

struct ImportReport {
  std::string database;
  bool dryRun = false;
  std::string roundsFile;
  std::vector<ImportNote> roundsRejected;
  std::vector<std::string> warnings;
  std::vector<FileImportReport> files;
};

// Imports list and incident files into a database as one transaction: all files or nothing.
// Arguments are checked before any file is read; every file is parsed before the database is
// written. A file whose SHA-256 is in import_batches is skipped (re-import is a no-op). Problems
// are handled at two levels:
// - a bad record (no name or reference, an unreadable date, a wrong column count, invalid UTF-8
//   in a CSV row, an incident without geometry) is rejected alone and named in the report, and
//   the import goes on;
// - a bad file (unreadable, empty, of no known or of the wrong format, malformed or truncated
//   XML, a DTD or entity declaration, no valid record at all) aborts the run with
//   core::InputRejected naming the file and line, and the database stays as it was.
// With dryRun the transaction is rolled back at the end, after the report is complete.
ImportReport runImport(const ImportOptions& options, const core::Progress& progress);

// `import --json`: {database, dry_run, rounds_file, rounds_rejected, warnings, files: [...],
// totals: {...}} (keys documented in `borderlens import --help`).
nlohmann::ordered_json importReportJson(const ImportReport& report);
std::string importReportText(const ImportReport& report);

} // namespace borderlens::ops
