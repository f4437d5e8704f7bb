#pragma once

#include "core/date.h"
#include "core/model.h"
#include "geo/bbox.h"

#include <optional>
#include <string>
#include <vector>

namespace borderlens::store {

// What an analyst asked to see. Empty members do not filter. Semantics (documented in the CLI
// help and README):
// - bbox/near/borderKm select located features; unlocated entities drop out when any is set.
// - window: incidents whose time span overlaps it (respecting date precision); entities with a
//   designation in force during it (listed on or before its end, not delisted before its start).
// - rounds/authorities/programs: entities with one designation matching all of them; incidents
//   linked to such an entity.
// - entityKinds/incidentKinds: when either is set, only features whose kind is listed appear.
// - minConfidence: incidents only.
// - text: full-text search over every name, alias and identifier of entities, and the title,
//   place and description of incidents, in every script.
struct FilterSpec {
  struct Near {
    double lon = 0;
    double lat = 0;
    double km = 0;
  };

  std::optional<geo::BBox> bbox;
  core::DayWindow window;
  std::vector<std::string> rounds;
  std::vector<std::string> authorities;
  std::vector<std::string> programs;
  std::vector<core::EntityKind> entityKinds;
  std::vector<std::string> incidentKinds;
  std::optional<double> minConfidence;
  std::string text;
  std::optional<Near> near;
  std::optional<double> borderKm;

  bool spatial() const { return bbox || near || borderKm; }
  bool designationFilter() const {
    return !rounds.empty() || !authorities.empty() || !programs.empty();
  }
  bool wantsEntities() const { return !entityKinds.empty() || incidentKinds.empty(); }
  bool wantsIncidents() const { return !incidentKinds.empty() || entityKinds.empty(); }
};

// Builds an FTS5 MATCH expression from user text: each word becomes a quoted phrase of its tokens
// (a Han/Hangul run becomes a phrase of single characters), Latin words match as prefixes. User
// text never reaches FTS5 syntax unquoted. Returns an empty string when nothing is searchable.
std::string ftsQuery(const std::string& text);

} // namespace borderlens::store
