// The command-line parser (core/args.h) and the filter flags every filtering subcommand shares
// (ops/filter_args.h). The input is an argv, one argument per line (or NUL-separated); its
// first byte picks whether --to names the output file (render, export, tiles). Every filter that
// is accepted must satisfy what the store relies on.

#include "core/args.h"
#include "fuzz_support.h"
#include "ops/filter_args.h"

#include <cmath>

namespace {

void checkFilter(const borderlens::store::FilterSpec& filter) {
  using borderlens::fuzz::invariantBroken;
  if (filter.bbox) {
    const auto& box = *filter.bbox;
    if (!(box.west >= -180 && box.west <= box.east && box.east <= 180)) invariantBroken("bbox longitudes");
    if (!(box.south >= -90 && box.south <= box.north && box.north <= 90)) invariantBroken("bbox latitudes");
  }
  if (filter.window.from && filter.window.to && *filter.window.from > *filter.window.to) {
    invariantBroken("time window ends before it starts");
  }
  if (filter.near) {
    const auto& near = *filter.near;
    if (!(std::fabs(near.lon) <= 180 && std::fabs(near.lat) <= 90)) invariantBroken("--near out of range");
    if (!(std::isfinite(near.km) && near.km > 0)) invariantBroken("--within-km not a positive number");
  }
  if (filter.borderKm && !(std::isfinite(*filter.borderKm) && *filter.borderKm >= 0)) {
    invariantBroken("--border-km not a non-negative number");
  }
  if (filter.minConfidence && !(*filter.minConfidence >= 0 && *filter.minConfidence <= 1)) {
    invariantBroken("--min-confidence outside [0, 1]");
  }
  if (!filter.text.empty() && borderlens::store::ftsQuery(filter.text).empty()) {
    invariantBroken("--text accepted with nothing to search");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  if (size == 0) return 0;
  const bool toIsOutput = (data[0] & 1) != 0;
  std::string text(fuzz::asText(data + 1, size - 1));
  for (char& c : text) {
    if (c == '\0') c = '\n';
  }
  std::vector<std::string> args;
  if (!text.empty()) {
    for (const std::string_view arg : fuzz::splitAt(text, '\n')) args.emplace_back(arg);
  }
  std::vector<core::OptionSpec> own{{"--db", "PATH", "database"}, {"--limit", "N", "at most N"},
                                    {"--json", "", "JSON output"}};
  if (toIsOutput) own.push_back({"--to", "FILE", "output file"});
  const auto specs = ops::withFilterOptions(own, toIsOutput);
  fuzz::expectRefusalsOnly([&] {
    const core::ParsedArgs parsed = core::parseArgs("query", args, specs);
    if (parsed.has("--limit")) core::parseCount("--limit", parsed.value("--limit"));
    checkFilter(ops::filterFromArgs(parsed, toIsOutput));
  });
  return 0;
}
