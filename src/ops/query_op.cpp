#include "ops/query_op.h"

#include "core/errors.h"
#include "geo/geos_ops.h"
#include "ops/text_output.h"
#include "store/store.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <ostream>

namespace borderlens::ops {

QueryFormat queryFormatFromString(const std::string& name) {
  if (name == "table") return QueryFormat::Table;
  if (name == "csv") return QueryFormat::Csv;
  if (name == "geojson") return QueryFormat::GeoJson;
  throw core::UsageError("unknown format '" + name + "': expected table, csv or geojson");
}

namespace {

std::string coordinate(const std::optional<double>& value) {
  return value ? formatCoordinate(*value) : std::string();
}

std::string confidenceText(const std::optional<double>& value) {
  if (!value) return {};
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, *value, std::chars_format::fixed, 2);
  return std::string(buffer, result.ptr);
}

nlohmann::ordered_json splitList(const std::string& joined) {
  auto list = nlohmann::ordered_json::array();
  std::size_t start = 0;
  while (start < joined.size()) {
    const std::size_t comma = joined.find(',', start);
    list.push_back(joined.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return list;
}

std::string featureId(const store::FeatureRow& row) {
  if (row.type == store::FeatureType::Incident) return "incident:" + std::to_string(row.id);
  return "entity:" + std::to_string(row.id) + ":" + std::to_string(row.locationId);
}

} // namespace

QueryReport runQuery(const QueryOptions& options, std::ostream& out) {
  auto db = store::openStore(options.database, store::OpenMode::ReadOnly);
  QueryReport report;
  store::QueryOptions storeOptions;
  storeOptions.withGeometry = options.format == QueryFormat::GeoJson;
  storeOptions.limit = options.limit;

  const TextTable table({{"TYPE", 8}, {"ID", 6}, {"KIND", 21}, {"NAME", 40}, {"LON", 11},
                         {"LAT", 10}, {"PRECISION", 9}, {"DATE", 10}, {"AUTHORITIES", 0}});
  bool firstFeature = true;
  switch (options.format) {
    case QueryFormat::Table: out << table.header(); break;
    case QueryFormat::Csv:
      out << "type,id,location_id,kind,name,lon,lat,precision,start,end,place,authorities,"
             "rounds,confidence\n";
      break;
    case QueryFormat::GeoJson: out << "{\"type\":\"FeatureCollection\",\"features\":["; break;
  }

  db->forEachFeature(options.filter, storeOptions, [&](const store::FeatureRow& row) {
    (row.type == store::FeatureType::Entity ? report.entities : report.incidents)++;
    switch (options.format) {
      case QueryFormat::Table:
        out << table.row({store::nameOf(row.type), std::to_string(row.id), row.kind, row.name,
                          coordinate(row.lon), coordinate(row.lat), row.precision, row.start,
                          row.authorities});
        break;
      case QueryFormat::Csv:
        out << store::nameOf(row.type) << ',' << row.id << ','
            << (row.locationId ? std::to_string(row.locationId) : std::string()) << ','
            << csvField(row.kind) << ',' << csvField(row.name) << ',' << coordinate(row.lon) << ','
            << coordinate(row.lat) << ',' << row.precision << ',' << row.start << ',' << row.end
            << ',' << csvField(row.place) << ',' << csvField(row.authorities) << ','
            << csvField(row.rounds) << ',' << confidenceText(row.confidence) << '\n';
        break;
      case QueryFormat::GeoJson: {
        nlohmann::ordered_json properties;
        properties["type"] = store::nameOf(row.type);
        properties["id"] = row.id;
        if (row.type == store::FeatureType::Entity) properties["location_id"] = row.locationId;
        properties["kind"] = row.kind;
        properties["name"] = row.name;
        properties["precision"] = row.precision;
        properties["start"] = row.start;
        properties["end"] = row.end;
        properties["place"] = row.place;
        properties["authorities"] = splitList(row.authorities);
        properties["rounds"] = splitList(row.rounds);
        if (row.confidence) properties["confidence"] = *row.confidence;
        out << (firstFeature ? "\n" : ",\n") << "{\"type\":\"Feature\",\"id\":\""
            << featureId(row) << "\",\"geometry\":"
            << (row.wkt.empty() ? std::string("null") : geo::wktToGeoJson(row.wkt))
            << ",\"properties\":" << properties.dump() << "}";
        firstFeature = false;
        break;
      }
    }
    return static_cast<bool>(out);
  });
  if (options.format == QueryFormat::GeoJson) out << "\n]}\n";
  if (!out) throw core::OutputFailed("cannot write the query output");
  return report;
}

} // namespace borderlens::ops
