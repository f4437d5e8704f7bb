#include "ops/info_op.h"

#include "ops/text_output.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace borderlens::ops {

InfoReport runInfo(const InfoOptions& options) {
  auto db = store::openStore(options.database, store::OpenMode::ReadOnly);
  return {db->location(), db->stats()};
}

nlohmann::ordered_json infoJson(const InfoReport& report) {
  const store::Stats& s = report.stats;
  nlohmann::ordered_json j;
  j["schema_version"] = s.schemaVersion;
  j["entities"] = s.entities;
  j["entities_by_kind"] = s.entitiesByKind;
  j["names"] = s.names;
  j["names_by_script"] = s.namesByScript;
  j["identifiers"] = s.identifiers;
  j["locations"] = s.locations;
  j["designations"] = s.designations;
  j["designations_by_authority"] = s.designationsByAuthority;
  j["rounds"] = s.rounds;
  j["incidents"] = s.incidents;
  j["incidents_by_kind"] = s.incidentsByKind;
  j["sources"] = s.sources;
  j["links"] = s.entityLinks + s.incidentLinks;
  j["links_by_type"] = {{"entity_entity", s.entityLinks}, {"incident_entity", s.incidentLinks}};
  j["unlocated_entities"] = s.unlocatedEntities;
  j["records_without_source"] = s.recordsWithoutSource;
  j["import_batches"] = s.importBatches;
  j["border"] = s.hasBorder;
  if (s.extent) {
    j["extent"] = {s.extent->west, s.extent->south, s.extent->east, s.extent->north};
  } else {
    j["extent"] = nullptr;
  }
  return j;
}

namespace {

void appendCounts(std::ostringstream& out, const std::map<std::string, std::int64_t>& counts) {
  if (counts.empty()) return;
  out << " (";
  bool first = true;
  for (const auto& [key, value] : counts) {
    out << (first ? "" : ", ") << key << " " << value;
    first = false;
  }
  out << ")";
}

} // namespace

std::string infoText(const InfoReport& report) {
  const store::Stats& s = report.stats;
  std::ostringstream out;
  out << report.location << "\n";
  out << "  schema version      " << s.schemaVersion << "\n";
  out << "  entities            " << s.entities;
  appendCounts(out, s.entitiesByKind);
  out << "\n  names               " << s.names;
  appendCounts(out, s.namesByScript);
  out << "\n  designations        " << s.designations;
  appendCounts(out, s.designationsByAuthority);
  out << "\n  rounds              " << s.rounds;
  out << "\n  incidents           " << s.incidents;
  appendCounts(out, s.incidentsByKind);
  out << "\n  sources             " << s.sources;
  out << "\n  links               " << s.entityLinks + s.incidentLinks << " (entity-entity "
      << s.entityLinks << ", incident-entity " << s.incidentLinks << ")";
  out << "\n  unlocated entities  " << s.unlocatedEntities;
  out << "\n  without a source    " << s.recordsWithoutSource;
  out << "\n  border geometry     " << (s.hasBorder ? "yes" : "no");
  out << "\n  extent              ";
  if (s.extent) {
    out << formatCoordinate(s.extent->west) << "," << formatCoordinate(s.extent->south) << ","
        << formatCoordinate(s.extent->east) << "," << formatCoordinate(s.extent->north);
  } else {
    out << "(empty)";
  }
  out << "\n";
  return out.str();
}

} // namespace borderlens::ops
