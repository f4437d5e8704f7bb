#include "core/args.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "core/redact.h"
#include "ops/init_op.h"

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<core::OptionSpec>& initOptions() {
  static const std::vector<core::OptionSpec> options{
      {"--geodata", "GPKG", "take the national border from this base.gpkg (default: geodata/)"},
      {"--no-border", "", "store no border geometry (--border-km filters then match nothing)"},
  };
  return options;
}

} // namespace

std::string initHelp() {
  return "Usage: borderlens init DB [--geodata GPKG] [--no-border]\n\n"
         "Creates a borderlens database (a SpatiaLite file in WAL mode) with the national-border\n"
         "geometry that distance-to-border filters measure against. On an existing borderlens\n"
         "database, upgrades an older schema in place and changes nothing else.\n\n"
         "DB may also be a PostGIS database on a server: postgresql://USER@HOST:PORT/NAME or\n"
         "PG:service=NAME (any libpq connection string after PG:). The database must exist;\n"
         "init creates the postgis extension and the borderlens tables in it. Give passwords\n"
         "through ~/.pgpass or PGPASSWORD, not in the URL; borderlens never prints them.\n\n"
         "Options:\n" + core::optionsHelp(initOptions());
}

int runInitCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("init", args, initOptions());
  if (parsed.positionals.size() != 1) {
    throw core::UsageError("init needs exactly one database (see: borderlens init --help)");
  }
  if (parsed.has("--geodata") && parsed.has("--no-border")) {
    throw core::UsageError("--geodata and --no-border exclude each other");
  }
  ops::InitOptions options;
  options.database = parsed.positionals.front();
  options.geodata = parsed.value("--geodata");
  options.noBorder = parsed.has("--no-border");

  const ops::InitReport report = ops::runInit(options);
  const std::string shown = core::redactSecrets(options.database);
  for (const auto& warning : report.warnings) out << "warning: " << warning << "\n";
  if (report.created) {
    out << "created " << shown << " (schema " << report.schemaVersion << ", "
        << report.borderLines << " border lines)\n";
  } else if (report.previousVersion < report.schemaVersion) {
    out << "upgraded " << shown << " from schema " << report.previousVersion << " to "
        << report.schemaVersion << "\n";
  } else {
    out << shown << " is already a borderlens database (schema "
        << report.schemaVersion << "); nothing to do\n";
  }
  return 0;
}

} // namespace borderlens::cli
