#include "core/args.h"

#include "core/errors.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

namespace borderlens::core {

std::string ParsedArgs::value(const std::string& name, const std::string& fallback) const {
  const auto it = values.find(name);
  return it == values.end() || it->second.empty() ? fallback : it->second.back();
}

const std::vector<std::string>& ParsedArgs::all(const std::string& name) const {
  static const std::vector<std::string> none;
  const auto it = values.find(name);
  return it == values.end() ? none : it->second;
}

ParsedArgs parseArgs(const std::string& command, const std::vector<std::string>& args,
                     const std::vector<OptionSpec>& specs) {
  const auto usage = [&](const std::string& why) {
    throw UsageError(why + " (see: borderlens " + command + " --help)");
  };
  ParsedArgs parsed;
  bool optionsEnded = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (optionsEnded || arg.size() < 2 || arg[0] != '-' || arg == "-") {
      parsed.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      optionsEnded = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> inlineValue;
    if (const auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      inlineValue = arg.substr(eq + 1);
    }
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const OptionSpec& s) { return s.name == name; });
    if (spec == specs.end()) usage("unknown option '" + name + "' for 'borderlens " + command + "'");
    if (!spec->repeatable && parsed.has(name)) usage("option " + name + " given twice");
    if (spec->valueName.empty()) {
      if (inlineValue) usage("option " + name + " takes no value");
      parsed.values[name].push_back("");
      continue;
    }
    if (!inlineValue) {
      if (i + 1 >= args.size()) usage("option " + name + " needs a value " + spec->valueName);
      inlineValue = args[++i];
    }
    parsed.values[name].push_back(*inlineValue);
  }
  return parsed;
}

std::string optionsHelp(const std::vector<OptionSpec>& specs) {
  std::string out;
  for (const auto& spec : specs) {
    std::string left = "  " + spec.name;
    if (!spec.valueName.empty()) left += " " + spec.valueName;
    if (left.size() < 28) left.append(28 - left.size(), ' ');
    else left += "\n" + std::string(28, ' ');
    out += left + spec.help + (spec.repeatable ? " (repeatable)" : "") + "\n";
  }
  return out;
}

double parseNumber(const std::string& option, const std::string& text) {
  double value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || result.ec != std::errc{} || result.ptr != text.data() + text.size() ||
      !std::isfinite(value)) {
    throw UsageError("invalid number '" + text + "' for " + option);
  }
  return value;
}

std::uint64_t parseCount(const std::string& option, const std::string& text) {
  std::uint64_t value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || result.ec != std::errc{} || result.ptr != text.data() + text.size()) {
    throw UsageError("invalid count '" + text + "' for " + option);
  }
  return value;
}

} // namespace borderlens::core
