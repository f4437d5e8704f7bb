// The writers that format their own text: GeoJSON escapes strings and writes numbers that read
// back exactly, with RFC 7946 ring orientation; KML keeps placemarks grouped by folder and in
// order when they pass through its scratch file; the GeoPackage writer's guessed table shape is
// replaced when a record does not fit it.
#include "core/errors.h"
#include "export/flat_geometry.h"
#include "export/vector_export.h"
#include "export/writers.h"
#include "read_back.h"
#include "support/fixture.h"

#include <doctest/doctest.h>
#include <expat.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

using namespace borderlens;
using exports::Day;
using exports::FieldType;
using exports::LayerDef;
using exports::Record;
using exports::Value;

namespace {

LayerDef layerDef(const std::string& name, std::vector<std::pair<std::string, FieldType>> fields) {
  LayerDef def;
  def.name = name;
  def.title = name;
  for (auto& [field, type] : fields) def.fields.push_back({field, type, field});
  return def;
}

Record record(std::vector<Value> values, std::string wkt = {}) {
  Record r;
  r.values = std::move(values);
  r.wkt = std::move(wkt);
  r.family = exports::familyOfWkt(r.wkt);
  return r;
}

// Writes `records` of `def` (and nothing of `others`, which only add fields) as GeoJSON.
std::string writeGeoJson(const std::string& path, const LayerDef& def, const std::vector<Record>& records,
                         const std::vector<LayerDef>& others = {}, std::vector<std::string>* warnings = nullptr) {
  std::vector<LayerDef> all = others;
  all.push_back(def);
  auto writer = exports::makeGeoJsonWriter(path, all);
  writer->beginLayer(def, {});
  for (const auto& r : records) writer->write(r);
  CHECK(writer->endLayer().written == records.size());
  writer->finish({});
  if (warnings) *warnings = writer->warnings();
  return test::readFile(path);
}

double ringArea(const nlohmann::json& ring) {
  double area = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
    const double x0 = ring[i][0].get<double>(), y0 = ring[i][1].get<double>();
    const double x1 = ring[i + 1][0].get<double>(), y1 = ring[i + 1][1].get<double>();
    area += x0 * y1 - x1 * y0;
  }
  return area;
}

} // namespace

TEST_CASE("GeoJSON: strings are escaped and numbers read back exactly") {
  test::TempDir dir;
  const LayerDef def = layerDef("things", {{"text", FieldType::Text},
                                           {"count", FieldType::Integer},
                                           {"value", FieldType::Real},
                                           {"day", FieldType::Date}});
  const std::string tricky = std::string("say \"hi\"\\ / \x01\x1f\x7f\n\t\r\b\f end ") + "丹东 단둥 Sinŭiju";
  const std::vector<double> reals{0.1, 1e300, -0.0, 5e-324, std::numeric_limits<double>::max(), 123456789.12345679,
                                  2.0, 1e21, 0.30000000000000004, -7.25e-8};
  const std::vector<std::int64_t> integers{std::numeric_limits<std::int64_t>::min(),
                                           std::numeric_limits<std::int64_t>::max(), 0, -1};
  std::vector<Record> records;
  records.push_back(record({tricky, std::int64_t{1}, 1.5, Day{0}}, "POINT(1 2)"));
  for (double real : reals) records.push_back(record({std::string("r"), std::int64_t{0}, real, Day{-1}}));
  for (auto integer : integers) records.push_back(record({Value{}, integer, Value{}, Day{2932896}}));
  records.push_back(record({std::string("nan"), Value{}, std::numeric_limits<double>::quiet_NaN(), Value{}}));

  const std::string path = dir.file("t.geojson");
  const std::string text = writeGeoJson(path, def, records);
  // Control characters as JSON escapes, UTF-8 and '/' as they are, DEL untouched.
  CHECK(text.find(R"("say \"hi\"\\ / \u0001\u001f)" "\x7f" R"(\n\t\r\b\f end 丹东 단둥 Sinŭiju")") != std::string::npos);
  // A real keeps its decimal point; JSON has no NaN.
  CHECK(text.find(R"("value": 2.0,)") != std::string::npos);
  CHECK(text.find(R"("value": -0.0,)") != std::string::npos);
  CHECK(text.find(R"("text": "nan", "count": null, "value": null, "day": null)") != std::string::npos);
  CHECK(text.find(R"("day": "1970-01-01")") != std::string::npos);
  CHECK(text.find(R"("day": "1969-12-31")") != std::string::npos);
  CHECK(text.find(R"("day": "9999-12-31")") != std::string::npos);

  const auto json = nlohmann::ordered_json::parse(text);
  REQUIRE(json.at("type") == "FeatureCollection");
  const auto& features = json.at("features");
  REQUIRE(features.size() == records.size());
  CHECK(features[0].at("properties").at("text").get<std::string>() == tricky);
  CHECK(features[0].at("properties").at("day") == "1970-01-01");
  for (std::size_t i = 0; i < reals.size(); ++i) {
    const double read = features[1 + i].at("properties").at("value").get<double>();
    CHECK_MESSAGE(read == reals[i], reals[i]);
    CHECK(std::signbit(read) == std::signbit(reals[i]));
  }
  for (std::size_t i = 0; i < integers.size(); ++i) {
    CHECK(features[1 + reals.size() + i].at("properties").at("count").get<std::int64_t>() == integers[i]);
  }
  CHECK(features.back().at("properties").at("value").is_null());

  // GDAL reads it too, with the same text and numbers.
  const auto read = test::readAll(path);
  REQUIRE(read.size() == records.size());
  CHECK(read[0].fields.at("text") == tricky);
  CHECK(read[0].wkt == "POINT (1 2)");
  CHECK(std::stod(read[1].fields.at("value")) == 0.1);
}

TEST_CASE("GeoJSON: `layer` first, then the layer's own fields in the union's order") {
  test::TempDir dir;
  const LayerDef first = layerDef("first", {{"a", FieldType::Text}, {"b", FieldType::Integer}});
  const LayerDef second =
      layerDef("second", {{"c", FieldType::Text}, {"b", FieldType::Integer}, {"a", FieldType::Text}});
  const std::string text =
      writeGeoJson(dir.file("u.geojson"), second, {record({std::string("x"), std::int64_t{2}, Value{}})}, {first});
  const auto properties = nlohmann::ordered_json::parse(text).at("features").at(0).at("properties");
  std::vector<std::string> keys;
  for (const auto& [key, value] : properties.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"layer", "a", "b", "c"});
  CHECK(properties.at("layer") == "second");
  CHECK(properties.at("a").is_null());
}

TEST_CASE("GeoJSON: geometries from WKT and WKB, exterior rings counterclockwise and holes clockwise") {
  test::TempDir dir;
  const LayerDef def = layerDef("shapes", {{"n", FieldType::Integer}});
  std::vector<Record> records;
  const auto add = [&](const std::string& wkt) { records.push_back(record({std::int64_t(records.size())}, wkt)); };
  add("POINT (124.13110548123456 40.1)");
  add("LINESTRING(1 2,3 4,5 6)");
  add("POLYGON ((0 0,0 10,10 10,10 0,0 0),(2 2,4 2,4 4,2 4,2 2))");  // clockwise shell, counterclockwise hole
  add("MULTIPOINT ((1 2),(3 4))");
  add("MULTIPOINT (1 2, 3 4)");
  add("MULTIPOLYGON (((0 0,1 0,1 1,0 0)))");
  add("GEOMETRYCOLLECTION (POINT (1 2),LINESTRING (1 2,3 4))");
  add("POINT Z (1 2 3)");
  add("POINT M (1 2 3)");
  add("point(1 2)");
  add("CIRCULARSTRING (0 0,1 1,2 0)");  // not ours to read: OGR reads it, linearised
  add("POINT EMPTY");
  add("POINT (1 2");
  std::string polygonWkt = "POLYGON ((5 5,6 5,6 6,5 5))";
  char* cursor = polygonWkt.data();
  OGRGeometryH polygon = nullptr;
  REQUIRE(OGR_G_CreateFromWkt(&cursor, nullptr, &polygon) == OGRERR_NONE);
  std::string wkb(static_cast<std::size_t>(OGR_G_WkbSize(polygon)), '\0');
  OGR_G_ExportToIsoWkb(polygon, wkbXDR, reinterpret_cast<unsigned char*>(wkb.data()));  // big-endian
  OGR_G_DestroyGeometry(polygon);
  Record base = record({std::int64_t(records.size())});
  base.wkb = wkb;
  records.push_back(base);
  add("CURVEPOLYGON ((0 0,1 0,1 1,0 0))");

  std::vector<std::string> warnings;
  const std::string path = dir.file("g.geojson");
  const auto json = nlohmann::json::parse(writeGeoJson(path, def, records, {}, &warnings));
  const auto& f = json.at("features");
  const auto geometry = [&](std::size_t i) -> const nlohmann::json& { return f.at(i).at("geometry"); };
  CHECK(geometry(0).at("coordinates").at(0).get<double>() == 124.13110548123456);  // GDAL cut it to 7 decimals
  CHECK(geometry(1).at("type") == "LineString");
  CHECK(geometry(1).at("coordinates") == nlohmann::json::parse("[[1,2],[3,4],[5,6]]"));
  const auto& rings = geometry(2).at("coordinates");
  CHECK(ringArea(rings.at(0)) > 0);
  CHECK(ringArea(rings.at(1)) < 0);
  CHECK(rings.at(0).front() == rings.at(0).back());
  CHECK(geometry(3) == geometry(4));
  CHECK(geometry(3).at("type") == "MultiPoint");
  CHECK(geometry(5).at("coordinates").at(0).at(0).size() == 4);
  CHECK(geometry(6).at("type") == "GeometryCollection");
  CHECK(geometry(6).at("geometries").at(1).at("coordinates") == nlohmann::json::parse("[[1,2],[3,4]]"));
  CHECK(geometry(7).at("coordinates") == nlohmann::json::parse("[1,2,3]"));
  CHECK(geometry(8).at("coordinates") == nlohmann::json::parse("[1,2]"));
  CHECK(geometry(9).at("coordinates") == nlohmann::json::parse("[1,2]"));
  CHECK(geometry(10).at("type") == "LineString");
  CHECK(geometry(10).at("coordinates").size() > 3);
  CHECK(geometry(11).is_null());
  CHECK(geometry(12).is_null());
  CHECK(geometry(13).at("coordinates") == nlohmann::json::parse("[[[5,5],[6,5],[6,6],[5,5]]]"));
  CHECK(geometry(14).at("type") == "Polygon");
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].rfind("1 geometries", 0) == 0);
  CHECK(test::readAll(path).size() == records.size());
}

TEST_CASE("GeoJSON: an output that cannot be written fails naming it") {
  const LayerDef def = layerDef("x", {});
  try {
    exports::makeGeoJsonWriter("/proc/borderlens-test.geojson", {def});
    FAIL("no error");
  } catch (const core::OutputFailed& e) {
    CHECK(std::string(e.what()).rfind("/proc/borderlens-test.geojson: cannot write it", 0) == 0);
  }
}

TEST_CASE("flat geometry: WKT and WKB the writers read themselves, and what they leave to OGR") {
  exports::FlatGeometry g;
  CHECK(exports::readWkt(
      "MULTIPOLYGON (((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5),(5.1 5.1,5.2 5.1,5.2 5.2,5.1 5.1)))", g));
  CHECK(g.nodes.size() == 6);  // multipolygon, polygon, ring, polygon, ring, ring
  CHECK(g.ordinates.size() == 24);
  CHECK(exports::readWkt("LINESTRING ZM (1 2 3 4,5 6 7 8)", g));
  CHECK(g.dims == 3);
  CHECK(g.ordinates == std::vector<double>{1, 2, 3, 5, 6, 7});
  for (const char* bad : {"POINT (1)", "POINT (1 2 3 4 5)", "LINESTRING (1 2,3 4 5)", "POINT (nan 1)", "POINT (1 2) x",
                          "TRIANGLE ((0 0,1 0,0 1,0 0))", "POINT (1e999 0)", ""}) {
    CHECK_MESSAGE(!exports::readWkt(bad, g), bad);
  }
  CHECK(!exports::readWkb(std::string("\x01\x01\x00\x00\x00", 5), g));  // a point without coordinates
  CHECK(!exports::readWkb(std::string("\x01\x04\x00\x00\x00\xff\xff\xff\x7f", 9), g));  // 2^31 members in 9 bytes
}

namespace {

struct Folders {
  std::vector<std::string> path;                            // open folders
  std::map<std::string, std::vector<std::string>> names;    // folder path -> placemark names in order
  std::vector<std::string> order;                           // folder paths as they open
  std::string text;
  bool inPlacemark = false;
  bool inFolderName = false;
};

void XMLCALL folderStart(void* data, const XML_Char* name, const XML_Char**) {
  auto& s = *static_cast<Folders*>(data);
  s.text.clear();
  const std::string n(name);
  if (n == "Placemark") s.inPlacemark = true;
  if (n == "Folder") s.path.push_back("");
}

void XMLCALL folderEnd(void* data, const XML_Char* name) {
  auto& s = *static_cast<Folders*>(data);
  const std::string n(name);
  std::string key;
  for (const auto& p : s.path) key += "/" + p;
  if (n == "name" && s.inPlacemark) s.names[key].push_back(s.text);
  if (n == "name" && !s.inPlacemark && !s.path.empty() && s.path.back().empty()) {
    s.path.back() = s.text;
    key.clear();
    for (const auto& p : s.path) key += "/" + p;
    s.order.push_back(key);
  }
  if (n == "Placemark") s.inPlacemark = false;
  if (n == "Folder") s.path.pop_back();
  s.text.clear();
}

void XMLCALL folderText(void* data, const XML_Char* text, int length) {
  static_cast<Folders*>(data)->text.append(text, static_cast<std::size_t>(length));
}

} // namespace

TEST_CASE("KML: placemarks stay grouped by folder and in order through the scratch file") {
  test::TempDir dir;
  exports::StyleSheet styles = exports::StyleSheet::load(std::string(BORDERLENS_ASSETS_DIR) + "/style.json");
  LayerDef def = layerDef("incidents", {{"note", FieldType::Text}});
  const std::string path = dir.file("f.kml");
  auto writer = exports::makeKmlWriter(path, styles);
  writer->beginLayer(def, {});
  // Three folders, interleaved, each far beyond the 64 KiB a folder keeps in memory.
  const std::vector<std::vector<std::string>> folders{{"seizure"}, {"closure"}, {"OFAC", "round 1"}};
  const std::string note(200, 'n');
  for (int i = 0; i < 3000; ++i) {
    Record r = record({note}, "POINT (124.4 40.0)");
    r.label = "placemark " + std::to_string(i);
    r.folders = folders[static_cast<std::size_t>(i % 3)];
    r.styleKey = r.folders[0];
    writer->write(r);
  }
  CHECK(writer->endLayer().written == 3000);
  exports::FinishInfo info;
  info.manifest = nlohmann::ordered_json::object();
  info.createdAt = "2026-01-02T03:04:05Z";
  writer->finish(info);
  writer.reset();

  const std::string xml = test::readFile(path);
  Folders scan;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &scan);
  XML_SetElementHandler(parser, folderStart, folderEnd);
  XML_SetCharacterDataHandler(parser, folderText);
  CHECK(XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE) == XML_STATUS_OK);
  XML_ParserFree(parser);
  CHECK(scan.order == std::vector<std::string>{"/incidents", "/incidents/OFAC", "/incidents/OFAC/round 1",
                                               "/incidents/closure", "/incidents/seizure"});
  const std::map<std::string, int> firstOf{
      {"/incidents/seizure", 0}, {"/incidents/closure", 1}, {"/incidents/OFAC/round 1", 2}};
  for (const auto& [folder, first] : firstOf) {
    const auto& names = scan.names[folder];
    REQUIRE(names.size() == 1000);
    for (std::size_t k = 0; k < names.size(); ++k) {
      if (names[k] != "placemark " + std::to_string(first + 3 * static_cast<int>(k))) {
        FAIL_CHECK(folder << " #" << k << ": " << names[k]);
        break;
      }
    }
  }
  CHECK(xml.find("<Point><coordinates>124.4,40</coordinates></Point>") != std::string::npos);
  // Only the output is left: the scratch file had no name.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);
}

TEST_CASE("GeoPackage: a multi-part geometry after single parts rewrites the layer as multi-part") {
  test::TempDir dir;
  auto store = store::openStore(dir.file("fixture.db"), store::OpenMode::Create);
  test::fillFixture(*store);
  core::Incident incident;
  incident.kind = "seizure";
  incident.title = "Two boats";
  incident.span = {core::Date::ymd(2020, 1, 2), std::nullopt};
  incident.wkt = "MULTIPOINT ((124.4 40.0),(124.5 40.1))";
  store->addIncident(incident);

  exports::VectorExportOptions options;
  options.output = dir.file("m.gpkg");
  options.format = exports::VectorFormat::GeoPackage;
  options.layers = {exports::LayerKind::Incidents};
  options.stylePath = std::string(BORDERLENS_ASSETS_DIR) + "/style.json";
  options.createdAt = "2026-01-02T03:04:05Z";
  const auto report = exports::writeVectorExport(*store, options);
  REQUIRE(report.layers.size() == 1);
  CHECK(report.layers[0].features == 5);
  CHECK(report.layers[0].parts == std::vector<std::string>{"incidents_point", "incidents_polygon"});

  GDALDatasetH dataset = GDALOpenEx(options.output.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  REQUIRE(dataset);
  OGRLayerH points = GDALDatasetGetLayerByName(dataset, "incidents_point");
  REQUIRE(points);
  CHECK(OGR_L_GetGeomType(points) == wkbMultiPoint);
  CHECK(OGR_L_GetFeatureCount(points, TRUE) == 4);
  CHECK(GDALDatasetGetLayerByName(dataset, "incidents") == nullptr);  // the guessed table is gone
  OGRLayerH styles = GDALDatasetGetLayerByName(dataset, "layer_styles");
  REQUIRE(styles);
  CHECK(OGR_L_GetFeatureCount(styles, TRUE) == 2);
  GDALClose(dataset);
  for (const auto& f : test::readAll(options.output)) {
    if (f.table == "incidents_point") CHECK(f.geometryType == "Multi Point");
  }
}
