#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace borderlens::core {

// One option a subcommand accepts.
struct OptionSpec {
  std::string name;        // "--bbox"
  std::string valueName;   // "W,S,E,N"; empty for a switch
  std::string help;
  bool repeatable = false;
};

struct ParsedArgs {
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> values;

  bool has(const std::string& name) const { return values.count(name) > 0; }
  // The value of a single-valued option, or `fallback` when absent.
  std::string value(const std::string& name, const std::string& fallback = {}) const;
  const std::vector<std::string>& all(const std::string& name) const;
};

// Parses argv for one subcommand before any I/O: unknown options, missing values and repeated
// single options throw UsageError naming the option. "--name=value" and "--name value"
// are both accepted; "--" ends options.
ParsedArgs parseArgs(const std::string& command, const std::vector<std::string>& args,
                     const std::vector<OptionSpec>& specs);

// The options block of a --help text.
std::string optionsHelp(const std::vector<OptionSpec>& specs);

// Parses a number for an option; throws UsageError naming the option.
double parseNumber(const std::string& option, const std::string& text);
std::uint64_t parseCount(const std::string& option, const std::string& text);

} // namespace borderlens::core
