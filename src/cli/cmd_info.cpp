#include "core/args.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "core/redact.h"
#include "ops/info_op.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<core::OptionSpec>& infoOptions() {
  static const std::vector<core::OptionSpec> options{
      {"--json", "", "print one JSON object instead of text"},
  };
  return options;
}

} // namespace

std::string infoHelp() {
  return "Usage: borderlens info DB [--json]\n\n"
         "Summarises a database without changing it. --json prints one object with: "
         "schema_version,\nentities, entities_by_kind, names, names_by_script, identifiers, "
         "locations, designations,\ndesignations_by_authority, rounds, incidents, "
         "incidents_by_kind, sources, links,\nlinks_by_type, unlocated_entities, "
         "records_without_source, import_batches, border,\nextent ([W,S,E,N] or null).\n\n"
         "Options:\n" + core::optionsHelp(infoOptions());
}

int runInfoCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("info", args, infoOptions());
  if (parsed.positionals.size() != 1) {
    throw core::UsageError("info needs exactly one database (see: borderlens info --help)");
  }
  ops::InfoReport report = ops::runInfo({parsed.positionals.front()});
  report.location = core::redactSecrets(report.location);
  if (parsed.has("--json")) {
    out << ops::infoJson(report).dump(2) << "\n";
  } else {
    out << ops::infoText(report);
  }
  return 0;
}

} // namespace borderlens::cli
