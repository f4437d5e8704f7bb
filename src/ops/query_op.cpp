#include "ops/query_op.h"

#include "core/errors.h"
#include "geo/geos_ops.h"
#include "ops/text_output.h"
#include "store/store.h"

#include <nlohmann/json.hpp>

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

// A CSV row is built in a reused buffer: with a stream insertion and a temporary string for each
// field, writing was a sixth of a 140k-row query.
void appendCsvRow(std::string& out, const store::FeatureRow& row) {
  const auto text = [&](std::string_view value) {
    appendCsvField(out, value);
    out.push_back(',');
  };
  const auto number = [&](const std::optional<double>& value, int decimals) {
    if (value) appendFixed(out, *value, decimals);
  };
  text(store::nameOf(row.type));
  text(std::to_string(row.id));
  text(row.locationId ? std::to_string(row.locationId) : std::string());
  text(row.kind);
  text(row.name);
  number(row.lon, 6);
  out.push_back(',');
  number(row.lat, 6);
  out.push_back(',');
  for (const std::string* field : {&row.precision, &row.start, &row.end, &row.place,
                                   &row.authorities, &row.rounds}) {
    text(*field);
  }
  number(row.confidence, 2);
  out.push_back('\n');
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
  // As much as the stream buffers itself, so rows still appear as they are read.
  constexpr std::size_t kPendingBytes = 8192;
  std::string pending;
  const auto flushPending = [&] {
    out.write(pending.data(), static_cast<std::streamsize>(pending.size()));
    pending.clear();
  };
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
        appendCsvRow(pending, row);
        if (pending.size() >= kPendingBytes) flushPending();
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
  flushPending();
  if (options.format == QueryFormat::GeoJson) out << "\n]}\n";
  if (!out) throw core::OutputFailed("cannot write the query output");
  return report;
}

} // namespace borderlens::ops
