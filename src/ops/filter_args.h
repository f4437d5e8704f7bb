#pragma once

#include "core/args.h"
#include "store/filter.h"

#include <vector>

namespace borderlens::ops {

// The filter flags shared by every subcommand that filters. Commands that write a file take
// `--to FILE` (render, export, tiles): for them the time window ends with `--until DATE`, which
// every command also accepts.
const std::vector<core::OptionSpec>& filterOptions(bool toIsOutput = false);

// A command's own options followed by the filter options.
std::vector<core::OptionSpec> withFilterOptions(std::vector<core::OptionSpec> own, bool toIsOutput = false);

// Builds and validates a FilterSpec from parsed flags; throws core::UsageError naming the flag.
store::FilterSpec filterFromArgs(const core::ParsedArgs& args, bool toIsOutput = false);

// The paragraph of --help that explains what the filters mean.
const char* filterSemanticsHelp();

} // namespace borderlens::ops
