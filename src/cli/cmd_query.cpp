#include "core/args.h"
#include "cli/commands.h"
#include "ops/filter_args.h"
#include "core/errors.h"
#include "ops/query_op.h"

#include <ostream>

namespace borderlens::cli {

namespace {

const std::vector<core::OptionSpec>& queryOptions() {
  static const std::vector<core::OptionSpec> options = ops::withFilterOptions({
        {"--format", "F", "table (default), csv (with a header row) or geojson"},
        {"--limit", "N", "stop after N features"},
        {"--threads", "N", "read with N connections at once (default: one per core, at most 4)"},
  });
  return options;
}

} // namespace

std::string queryHelp() {
  return std::string("Usage: borderlens query DB [filters] [--format table|csv|geojson] [--limit N]\n"
                     "                        [--threads N]\n\n"
                     "Lists the entities (one row per location; unlocated ones without "
                     "coordinates) and the\nincidents that match the filters, entities first, "
                     "each in id order. Rows stream as they\nare read, "
                     "in parts by several connections at once (one per core), all seeing the\n"
                     "database at one moment: the output is the same for any --threads. A query "
                     "with --limit\nreads with one connection.\n\n") +
         ops::filterSemanticsHelp() + "\nOptions:\n" + core::optionsHelp(queryOptions());
}

int runQueryCommand(const std::vector<std::string>& args, std::ostream& out) {
  const core::ParsedArgs parsed = core::parseArgs("query", args, queryOptions());
  if (parsed.positionals.size() != 1) {
    throw core::UsageError("query needs exactly one database (see: borderlens query --help)");
  }
  ops::QueryOptions options;
  options.database = parsed.positionals.front();
  options.filter = ops::filterFromArgs(parsed);
  options.format = ops::queryFormatFromString(parsed.value("--format", "table"));
  if (parsed.has("--limit")) options.limit = core::parseCount("--limit", parsed.value("--limit"));
  if (parsed.has("--threads")) {
    const std::uint64_t threads = core::parseCount("--threads", parsed.value("--threads"));
    if (threads == 0 || threads > 64) {
      throw core::UsageError("--threads must be between 1 and 64, not " +
                             parsed.value("--threads"));
    }
    options.threads = static_cast<unsigned>(threads);
  }
  ops::runQuery(options, out);
  return 0;
}

} // namespace borderlens::cli
