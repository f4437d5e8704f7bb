#include "core/args.h"
#include "cli/commands.h"
#include "core/errors.h"
#include "ops/rounds_op.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<core::OptionSpec>& roundsOptions() {
  static const std::vector<core::OptionSpec> options{
      {"--json", "", "print a JSON list of {id, authority, date, label, legal_basis, designations}"},
  };
  return options;
}

} // namespace

std::string roundsHelp() {
  return "Usage: borderlens rounds DB [--json]\n\n"
         "Lists the designation rounds (dated tranches of designations by one authority) in date\n"
         "order, with the number of designations in each. A round's id is what --round takes.\n\n"
         "Options:\n" + core::optionsHelp(roundsOptions());
}

int runRoundsCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("rounds", args, roundsOptions());
  if (parsed.positionals.size() != 1) {
    throw core::UsageError("rounds needs exactly one database (see: borderlens rounds --help)");
  }
  const auto rounds = ops::runRounds({parsed.positionals.front()});
  if (parsed.has("--json")) {
    out << ops::roundsJson(rounds).dump(2) << "\n";
  } else {
    out << ops::roundsText(rounds);
  }
  return 0;
}

} // namespace borderlens::cli
