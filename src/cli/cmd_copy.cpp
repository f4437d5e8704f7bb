#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "core/args.h"
#include "core/errors.h"
#include "ops/copy_op.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<core::OptionSpec>& copyOptions() {
  static const std::vector<core::OptionSpec> options{
      {"--json", "", "print the report as one JSON object"},
  };
  return options;
}

} // namespace

std::string copyHelp() {
  return "Usage: borderlens copy SRC DST [--json]\n\n"
         "Copies a whole borderlens database into an empty one, without loss, between any two\n"
         "kinds: a SpatiaLite file, or a PostGIS database given as postgresql://USER@HOST:PORT/DB\n"
         "or PG:service=NAME (password from ~/.pgpass or PGPASSWORD). Everything travels: every\n"
         "entity with its names in every script, identifiers, locations with their precision and\n"
         "address, designations, rounds, incidents, links, sources, the import history and the\n"
         "border geometry. Record ids stay the same, dates stay as written and geometries are\n"
         "copied as binary (WKB), so no coordinate is rounded; the search index is rebuilt.\n\n"
         "SRC is only read, in one snapshot (imports running meanwhile are either wholly in the\n"
         "copy or not at all), and must have the current schema: upgrade an older one first with\n"
         "`borderlens init SRC` (exit code 4 otherwise). DST is created when it is a file that\n"
         "does not exist; an existing DST must be a borderlens database holding no records (one\n"
         "made by `borderlens init`, whose border geometry is replaced by SRC's), else copy\n"
         "refuses with exit code 6 and changes nothing. A PostgreSQL database must exist on the\n"
         "server; copy creates the borderlens tables in it when it has none.\n\n"
         "All rows are written in one transaction on DST, and the copy's counts are checked\n"
         "against SRC's before it commits. On any failure or cancel DST is left as it was (a\n"
         "file created by this run is removed; the empty tables created in a PostgreSQL database\n"
         "stay). A progress bar is drawn on standard error when it is a terminal. Passwords in\n"
         "locations are printed as ***.\n\n"
         "The report names both databases and the rows copied per table; --json prints {source,\n"
         "destination, created, schema_version, tables {table: rows}, rows}.\n\n"
         "Options:\n" +
         core::optionsHelp(copyOptions());
}

int runCopyCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("copy", args, copyOptions());
  if (parsed.positionals.size() != 2) {
    throw core::UsageError(
        "copy needs a source and a destination database (see: borderlens copy --help)");
  }
  ops::CopyOptions options;
  options.source = parsed.positionals[0];
  options.destination = parsed.positionals[1];

  ops::CopyReport report;
  {
    ProgressBar bar;
    report = ops::runCopy(options, bar.callback());
  }
  if (parsed.has("--json")) {
    out << ops::copyReportJson(report).dump(2) << "\n";
  } else {
    out << ops::copyReportText(report);
  }
  return 0;
}

} // namespace borderlens::cli
