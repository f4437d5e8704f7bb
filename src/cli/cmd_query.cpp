#include "cli/args.h"
#include "cli/commands.h"
#include "cli/filter_args.h"
#include "core/errors.h"
#include "ops/query_op.h"

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<OptionSpec>& queryOptions() {
  static const std::vector<OptionSpec> options = [] {
    std::vector<OptionSpec> list{
        {"--format", "F", "table (default), csv (with a header row) or geojson"},
        {"--limit", "N", "stop after N features"},
    };
    const auto& filters = filterOptions();
    list.insert(list.end(), filters.begin(), filters.end());
    return list;
  }();
  return options;
}

} // namespace

std::string queryHelp() {
  return std::string("Usage: borderlens query DB [filters] [--format table|csv|geojson] [--limit N]\n\n"
                     "Lists the entities (one row per location; unlocated ones without "
                     "coordinates) and the\nincidents that match the filters, entities first, "
                     "each in id order. Rows stream as they\nare read.\n\n") +
         filterSemanticsHelp() + "\nOptions:\n" + optionsHelp(queryOptions());
}

int runQueryCommand(const std::vector<std::string>& args, std::ostream& out) {
  const ParsedArgs parsed = parseArgs("query", args, queryOptions());
  if (parsed.positionals.size() != 1) {
    throw core::UsageError("query needs exactly one database (see: borderlens query --help)");
  }
  ops::QueryOptions options;
  options.database = parsed.positionals.front();
  options.filter = filterFromArgs(parsed);
  options.format = ops::queryFormatFromString(parsed.value("--format", "table"));
  if (parsed.has("--limit")) options.limit = parseCount("--limit", parsed.value("--limit"));
  ops::runQuery(options, out);
  return 0;
}

} // namespace borderlens::cli
