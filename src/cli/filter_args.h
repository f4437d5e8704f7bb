#pragma once

#include "cli/args.h"
#include "store/filter.h"

#include <vector>

namespace borderlens::cli {

// The filter flags shared by every subcommand that filters.
const std::vector<OptionSpec>& filterOptions();

// Builds and validates a FilterSpec from parsed flags; throws core::UsageError naming the flag.
store::FilterSpec filterFromArgs(const ParsedArgs& args);

// The paragraph of --help that explains what the filters mean.
const char* filterSemanticsHelp();

} // namespace borderlens::cli
