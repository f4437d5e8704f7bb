#include "core/model.h"

#include <algorithm>

namespace borderlens::core {

const char* nameOf(EntityKind kind) {
  switch (kind) {
    case EntityKind::Organization: return "organization";
    case EntityKind::Person: return "person";
    case EntityKind::Vessel: return "vessel";
    case EntityKind::Aircraft: return "aircraft";
  }
  return "organization";
}

std::optional<EntityKind> entityKindFromString(std::string_view text) {
  for (EntityKind kind : allEntityKinds()) {
    if (text == nameOf(kind)) return kind;
  }
  return std::nullopt;
}

const std::vector<EntityKind>& allEntityKinds() {
  static const std::vector<EntityKind> kinds{EntityKind::Organization, EntityKind::Person,
                                             EntityKind::Vessel, EntityKind::Aircraft};
  return kinds;
}

const char* nameOf(Precision precision) {
  switch (precision) {
    case Precision::Exact: return "exact";
    case Precision::Street: return "street";
    case Precision::City: return "city";
    case Precision::Province: return "province";
    case Precision::Country: return "country";
    case Precision::Region: return "region";
  }
  return "exact";
}

std::optional<Precision> precisionFromString(std::string_view text) {
  for (Precision p : {Precision::Exact, Precision::Street, Precision::City, Precision::Province,
                      Precision::Country, Precision::Region}) {
    if (text == nameOf(p)) return p;
  }
  return std::nullopt;
}

const std::vector<std::string>& incidentKinds() {
  static const std::vector<std::string> kinds{
      "seizure",        "ship_to_ship_transfer", "office_closure", "investigation",
      "prosecution",    "port_activity",         "bridge_activity", "smuggling",
      "designation_event", "other"};
  return kinds;
}

bool isIncidentKind(std::string_view text) {
  const auto& kinds = incidentKinds();
  return std::find(kinds.begin(), kinds.end(), text) != kinds.end();
}

const std::string& Entity::primaryName() const {
  static const std::string empty;
  for (const auto& name : names) {
    if (name.primary) return name.text;
  }
  return names.empty() ? empty : names.front().text;
}

std::string Round::makeId(std::string_view authority, const Date& date) {
  return std::string(authority) + "-" + date.toString();
}

} // namespace borderlens::core
