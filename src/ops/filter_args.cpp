#include "ops/filter_args.h"

#include "core/errors.h"
#include "core/model.h"
#include "geo/bbox.h"

namespace borderlens::ops {

const std::vector<core::OptionSpec>& filterOptions(bool toIsOutput) {
  static const std::vector<core::OptionSpec> all{
      {"--bbox", "W,S,E,N", "only features inside this lon/lat box"},
      {"--from", "DATE", "time window start (YYYY, YYYY-MM or YYYY-MM-DD)"},
      {"--to", "DATE", "time window end (YYYY, YYYY-MM or YYYY-MM-DD)"},
      {"--until", "DATE", "the same as --to DATE"},
      {"--round", "ID", "designation round id, as `rounds` lists it", true},
      {"--authority", "A", "designating authority (UN, OFAC, EU, UK, ...)", true},
      {"--program", "P", "sanctions program (DPRK3, NPWMD, ...)", true},
      {"--kind", "K", "entity kind (organization, person, vessel, aircraft) or incident kind", true},
      {"--text", "T", "search names, aliases and identifiers in any script"},
      {"--near", "LON,LAT", "centre for --within-km"},
      {"--within-km", "N", "with --near: only features within N km (geodesic)"},
      {"--border-km", "N", "only features within N km of the national border"},
      {"--min-confidence", "X", "incidents with confidence >= X (0-1)"},
  };
  static const std::vector<core::OptionSpec> withoutTo = [] {
    std::vector<core::OptionSpec> list;
    for (const auto& option : all) {
      if (option.name == "--to") continue;
      list.push_back(option);
      if (option.name == "--until") list.back().help = "time window end (YYYY, YYYY-MM or YYYY-MM-DD)";
    }
    return list;
  }();
  return toIsOutput ? withoutTo : all;
}

std::vector<core::OptionSpec> withFilterOptions(std::vector<core::OptionSpec> own, bool toIsOutput) {
  const auto& filters = filterOptions(toIsOutput);
  own.insert(own.end(), filters.begin(), filters.end());
  return own;
}

const char* filterSemanticsHelp() {
  return "Filters combine with AND; a repeated flag matches any of its values. Entities match the\n"
         "time window when one of their designations is in force during it; incidents when their\n"
         "time span overlaps it, a month- or year-precision date covering its whole month or year.\n"
         "--round, --authority and --program select entities with one designation matching all\n"
         "of them, and incidents linked to such entities. --min-confidence applies to incidents.\n";
}

store::FilterSpec filterFromArgs(const core::ParsedArgs& args, bool toIsOutput) {
  store::FilterSpec filter;
  if (args.has("--bbox")) filter.bbox = geo::parseBBox(args.value("--bbox"));
  if (args.has("--from")) {
    filter.window.from = core::Date::parseOrThrow(args.value("--from"), "--from date").firstDay();
  }
  if (args.has("--until") && !toIsOutput && args.has("--to")) {
    throw core::UsageError("give the time window's end once: --to DATE or --until DATE");
  }
  const std::string toFlag = toIsOutput || args.has("--until") ? "--until" : "--to";
  if (args.has(toFlag)) {
    filter.window.to = core::Date::parseOrThrow(args.value(toFlag), toFlag + " date").lastDay();
  }
  if (filter.window.from && filter.window.to && *filter.window.from > *filter.window.to) {
    throw core::UsageError("--from " + args.value("--from") + " is after " + toFlag + " " + args.value(toFlag));
  }
  filter.rounds = args.all("--round");
  filter.authorities = args.all("--authority");
  filter.programs = args.all("--program");
  for (const auto& kind : args.all("--kind")) {
    if (auto entityKind = core::entityKindFromString(kind)) {
      filter.entityKinds.push_back(*entityKind);
    } else if (core::isIncidentKind(kind)) {
      filter.incidentKinds.push_back(kind);
    } else {
      std::string known = "organization, person, vessel, aircraft";
      for (const auto& k : core::incidentKinds()) known += ", " + k;
      throw core::UsageError("unknown --kind '" + kind + "': expected one of " + known);
    }
  }
  if (args.has("--text")) {
    filter.text = args.value("--text");
    if (store::ftsQuery(filter.text).empty()) {
      throw core::UsageError("--text '" + filter.text + "' has no letters or digits to search for");
    }
  }
  if (args.has("--near") != args.has("--within-km")) {
    throw core::UsageError("--near and --within-km go together");
  }
  if (args.has("--near")) {
    const std::string near = args.value("--near");
    const auto comma = near.find(',');
    if (comma == std::string::npos) throw core::UsageError("invalid --near '" + near + "': expected LON,LAT");
    store::FilterSpec::Near n;
    n.lon = core::parseNumber("--near", near.substr(0, comma));
    n.lat = core::parseNumber("--near", near.substr(comma + 1));
    if (n.lon < -180 || n.lon > 180 || n.lat < -90 || n.lat > 90) {
      throw core::UsageError("invalid --near '" + near + "': out of range");
    }
    n.km = core::parseNumber("--within-km", args.value("--within-km"));
    if (n.km <= 0) throw core::UsageError("--within-km must be greater than 0");
    filter.near = n;
  }
  if (args.has("--border-km")) {
    filter.borderKm = core::parseNumber("--border-km", args.value("--border-km"));
    if (*filter.borderKm < 0) throw core::UsageError("--border-km must not be negative");
  }
  if (args.has("--min-confidence")) {
    filter.minConfidence = core::parseNumber("--min-confidence", args.value("--min-confidence"));
    if (*filter.minConfidence < 0 || *filter.minConfidence > 1) {
      throw core::UsageError("--min-confidence must lie in [0, 1]");
    }
  }
  return filter;
}

} // namespace borderlens::ops
