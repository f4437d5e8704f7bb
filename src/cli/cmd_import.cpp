#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "core/args.h"
#include "core/errors.h"
#include "ingest/detect.h"
#include "ops/import_op.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<core::OptionSpec>& importOptions() {
  static const std::vector<core::OptionSpec> options{
      {"--format", "F", "auto (the default: by content) or one of the formats above"},
      {"--as-of", "DATE", "the day the imported list snapshot was taken (YYYY-MM-DD)"},
      {"--rounds", "FILE", "a rounds CSV (docs/formats.md) assigning list entries to rounds"},
      {"--map", "FIELD=COLUMN", "incidents: read our FIELD from the file's COLUMN", true},
      {"--dry-run", "", "read, match and report everything; write nothing"},
      {"--json", "", "print the report as one JSON object"},
  };
  return options;
}

} // namespace

std::string importHelp() {
  return "Usage: borderlens import DB FILE... [--format F] [--as-of DATE] [--rounds FILE]\n"
         "                         [--map FIELD=COLUMN ...] [--dry-run] [--json]\n\n"
         "Imports sanctions lists and incident files into DB, all files in one transaction: either\n"
         "everything is imported or nothing is. The format of each FILE is told by its content:\n"
         "  un-xml         UN Security Council Consolidated List XML (every list type)\n"
         "  ofac-csv       OFAC legacy sdn.csv, with add.csv and alt.csv found beside it or given too\n"
         "  ofac-xml       OFAC legacy sdn.xml\n"
         "  ofac-advanced  OFAC SDN advanced XML\n"
         "  ftm, ftm-csv   OpenSanctions FollowTheMoney JSON lines, targets.simple.csv\n"
         "  incidents      incidents CSV (docs/formats.md), ACLED CSV, GeoJSON or any GDAL vector file\n"
         "Lists are imported before incidents, so that incidents can link to their entities.\n\n"
         "Entities listed by several authorities, or again in a newer list, become one entity with\n"
         "all their designations: by list reference, IMO or passport number, or by name with a\n"
         "shared country, nationality or date of birth. Addresses are placed offline with the\n"
         "gazetteer of geodata/base.gpkg at city, province or country precision; what cannot be\n"
         "placed is imported without a location and named in the report.\n\n"
         "Rounds: UN entries go to the round of their LISTED_ON date (labelled with the resolution\n"
         "adopted that day), advanced-XML entries to their EntryEvent date. Each list is a snapshot\n"
         "dated by --as-of (default: the list's own publication date, where it states one):\n"
         "entries record first and last seen, and entries an earlier snapshot of the same authority\n"
         "had and this one lacks are marked delisted on that day, never deleted. Entries without a\n"
         "designation date (OFAC CSV and sdn.xml) go to the round of the day they were first seen.\n"
         "--rounds assigns entries explicitly, also entries imported before, and wins.\n\n"
         "A file imported before (same SHA-256) is skipped. A bad record (no name or reference, an\n"
         "unreadable date, a wrong column count, invalid UTF-8 in a row) is rejected alone and\n"
         "named in the report with its file and line; a bad file (unreadable, empty, of the wrong\n"
         "format, malformed or truncated XML, a DTD or entity declaration) stops the import with\n"
         "exit code 5 and leaves the database as it was. A progress bar is drawn on standard error\n"
         "when it is a terminal.\n\n"
         "--json prints {database, dry_run, rounds_file, rounds_rejected, warnings, files, totals};\n"
         "each file has file, companions, format, sha256, list_date, snapshot_date, skipped,\n"
         "records_read, entities {created, merged, created_by_kind, merged_by_kind}, designations\n"
         "{added, updated, delisted, without_round}, rounds {id: count}, geocoded {precision:\n"
         "count}, unlocated, approximate, cross_list_merges, delisted, incidents {created,\n"
         "merged}, links {added, unresolved}, rejected (each {record, reason}) and warnings.\n\n"
         "Options:\n" +
         core::optionsHelp(importOptions());
}

int runImportCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("import", args, importOptions());
  if (parsed.positionals.size() < 2) {
    throw core::UsageError(
        "import needs a database and at least one file (see: borderlens import --help)");
  }
  ops::ImportOptions options;
  options.database = parsed.positionals.front();
  options.files.assign(parsed.positionals.begin() + 1, parsed.positionals.end());
  options.format = parsed.value("--format", "auto");
  if (options.format != "auto" && !ingest::isImportFormat(options.format)) {
    throw core::UsageError("unknown --format '" + options.format +
                           "' (see: borderlens import --help)");
  }
  if (parsed.has("--as-of")) {
    options.asOf = core::Date::parseOrThrow(parsed.value("--as-of"), "--as-of");
    if (options.asOf->precision() != core::DatePrecision::Day) {
      throw core::UsageError("--as-of " + parsed.value("--as-of") +
                             ": the snapshot date must be a day (YYYY-MM-DD)");
    }
  }
  options.roundsFile = parsed.value("--rounds");
  for (const auto& mapping : parsed.all("--map")) {
    const auto eq = mapping.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == mapping.size()) {
      throw core::UsageError("--map " + mapping + ": expected FIELD=COLUMN");
    }
    const std::string field = mapping.substr(0, eq);
    if (options.fieldMap.count(field))
      throw core::UsageError("--map: field '" + field + "' mapped twice");
    options.fieldMap[field] = mapping.substr(eq + 1);
  }
  options.dryRun = parsed.has("--dry-run");

  ops::ImportReport report;
  {
    ProgressBar bar;
    report = ops::runImport(options, bar.callback());
  }
  if (parsed.has("--json")) {
    // A file name need not be UTF-8; the report stays JSON (U+FFFD for a bad byte).
    out << ops::importReportJson(report).dump(2, ' ', false,
                                              nlohmann::ordered_json::error_handler_t::replace)
        << "\n";
  } else {
    out << ops::importReportText(report);
  }
  return 0;
}

} // namespace borderlens::cli
