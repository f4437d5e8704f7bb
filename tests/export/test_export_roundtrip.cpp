// Every vector export read back with GDAL finds the records of the export's model: the same
// features, attributes, times and names (Latin, Chinese, Korean); the KML is well-formed XML with
// time elements; vector tiles read back with their names.
#include "core/errors.h"
#include "export/tiles.h"
#include "export/vector_export.h"
#include "read_back.h"
#include "support/fixture.h"

#include <doctest/doctest.h>
#include <expat.h>

#include <cmath>
#include <fstream>
#include <set>

using namespace borderlens;
using exports::LayerKind;
using exports::VectorFormat;

namespace {

exports::VectorExportOptions optionsFor(VectorFormat format, const std::string& output) {
  exports::VectorExportOptions options;
  options.output = output;
  options.format = format;
  options.database = "fixture.db";
  options.stylePath = std::string(BORDERLENS_ASSETS_DIR) + "/style.json";
  options.geodataDir = BORDERLENS_GEODATA_DIR;
  options.version = "test";
  options.createdAt = "2026-01-02T03:04:05Z";
  return options;
}

// The layer a read-back feature belongs to: GeoJSON and CSV say it in `layer`; KML folders are
// named by authority, round or kind, so the id fields tell; tables and files carry the layer's
// name, with _point/_polygon/... for a split layer.
std::string layerOf(const test::ReadFeature& f, VectorFormat format) {
  if (format == VectorFormat::GeoJson || format == VectorFormat::Csv) return f.fields.at("layer");
  if (format == VectorFormat::Kml) {
    if (f.fields.count("designation_id")) return "designations";
    if (f.fields.count("incident_id")) return "incidents";
    if (f.fields.count("from_id")) return "links";
    return "entities";
  }
  for (const char* suffix : {"_point", "_line", "_polygon", "_none"}) {
    const std::string s(suffix);
    if (f.table.size() > s.size() && f.table.compare(f.table.size() - s.size(), s.size(), s) == 0) {
      return f.table.substr(0, f.table.size() - s.size());
    }
  }
  return f.table;
}

std::string keyOf(const std::string& layer, const std::map<std::string, std::string>& fields) {
  const auto get = [&](const char* name) {
    const auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  };
  if (layer == "entities") return get("entity_id") + "/" + get("location_id");
  if (layer == "designations") return get("designation_id");
  if (layer == "incidents") return get("incident_id");
  return get("from_id") + "/" + get("to_type") + "/" + get("to_id");
}

std::map<std::string, std::string> valuesOf(const exports::LayerDef& def, const exports::Record& record) {
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < def.fields.size(); ++i) {
    if (!std::holds_alternative<std::monostate>(record.values[i])) out[def.fields[i].name] = exports::valueText(record.values[i]);
  }
  return out;
}

bool sameReal(const exports::Value& expected, const std::string& actual) {
  const double e = std::get<double>(expected);
  return std::fabs(std::stod(actual) - e) <= 1e-9 * std::max(1.0, std::fabs(e));
}

// Reads `output` back and checks every expected record is there once, with every attribute and
// its geometry, and nothing else is.
void checkRoundTrip(VectorFormat format, const std::string& output, const std::vector<test::ExpectedLayer>& expected) {
  const std::string formatName = exports::nameOf(format);
  INFO("format: " << formatName);
  const auto features = test::readAll(output);
  std::map<std::string, std::map<std::string, const test::ReadFeature*>> found;
  std::map<std::string, std::map<std::string, std::string>> normalised;
  for (const auto& f : features) {
    if (f.table == "sources" || f.table == "layer_styles") continue;  // GeoPackage's own tables
    const std::string layer = layerOf(f, format);
    const auto def = std::find_if(expected.begin(), expected.end(), [&](const auto& e) { return e.def.name == layer; });
    REQUIRE_MESSAGE(def != expected.end(), "unexpected layer " << layer << " (table " << f.table << ")");
    std::map<std::string, std::string> fields;
    for (const auto& field : def->def.fields) {
      std::string readName = format == VectorFormat::Shapefile ? field.shortName : field.name;
      // LIBKML reads a placemark's <name> into `Name`, which takes a SimpleData `name` along.
      if (format == VectorFormat::Kml && field.name == "name") readName = "Name";
      const auto it = f.fields.find(readName);
      if (it != f.fields.end() && !it->second.empty()) fields[field.name] = it->second;
    }
    const std::string key = keyOf(layer, fields);
    CHECK_MESSAGE(found[layer].count(key) == 0, "duplicate " << layer << " " << key);
    found[layer][key] = &f;
    normalised[layer + "|" + key] = fields;
  }
  for (const auto& layer : expected) {
    std::size_t expectedCount = 0;
    for (const auto& record : layer.records) {
      const bool located = !record.wkt.empty() || !record.wkb.empty();
      if (format == VectorFormat::FlatGeobuf && !located) continue;  // FlatGeobuf holds no such feature
      ++expectedCount;
      const auto values = valuesOf(layer.def, record);
      const std::string key = keyOf(layer.def.name, values);
      INFO(layer.def.name << " " << key);
      const auto it = found[layer.def.name].find(key);
      REQUIRE_MESSAGE(it != found[layer.def.name].end(), "missing " << layer.def.name << " " << key);
      const auto& actual = normalised[layer.def.name + "|" + key];
      for (std::size_t i = 0; i < layer.def.fields.size(); ++i) {
        const auto& name = layer.def.fields[i].name;
        const auto a = actual.find(name);
        if (std::holds_alternative<std::monostate>(record.values[i])) {
          CHECK_MESSAGE(a == actual.end(), name << " should be empty, is " << a->second);
        } else if (std::holds_alternative<double>(record.values[i])) {
          REQUIRE_MESSAGE(a != actual.end(), name << " missing");
          CHECK_MESSAGE(sameReal(record.values[i], a->second), name << ": " << a->second);
        } else {
          REQUIRE_MESSAGE(a != actual.end(), name << " missing");
          CHECK_MESSAGE(a->second == exports::valueText(record.values[i]), name);
        }
      }
      const test::ReadFeature& read = *it->second;
      CHECK(read.wkt.empty() == !located);
      if (located) {
        OGRGeometryH geometry = nullptr;
        std::string wkt = record.wkt;
        char* cursor = wkt.data();
        REQUIRE(OGR_G_CreateFromWkt(&cursor, nullptr, &geometry) == OGRERR_NONE);
        OGREnvelope e;
        OGR_G_GetEnvelope(geometry, &e);
        const std::array<double, 4> want{e.MinX, e.MaxX, e.MinY, e.MaxY};
        for (int k = 0; k < 4; ++k) CHECK(std::fabs(read.envelope[static_cast<std::size_t>(k)] - want[static_cast<std::size_t>(k)]) < 1e-7);
        const std::string type = OGRGeometryTypeToName(wkbFlatten(OGR_G_GetGeometryType(geometry)));
        CHECK(read.geometryType.find(type) != std::string::npos);
        OGR_G_DestroyGeometry(geometry);
      }
    }
    CHECK_MESSAGE(found[layer.def.name].size() == expectedCount, layer.def.name);
  }
}

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<store::Store> store;
  test::FixtureIds ids;
  Fixture() : store(store::openStore(dir.file("fixture.db"), store::OpenMode::Create)) { ids = test::fillFixture(*store); }
};

const test::ReadFeature& featureOf(const std::vector<test::ReadFeature>& features, VectorFormat format,
                                   const std::string& layer, const std::string& idField, const std::string& id) {
  for (const auto& f : features) {
    const auto it = f.fields.find(idField);
    if (it != f.fields.end() && it->second == id && layerOf(f, format) == layer) return f;
  }
  FAIL("no " << layer << " feature with " << idField << " " << id);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("the layer model holds what the fixture says, in every script") {
  Fixture fx;
  const auto layers = test::expectedLayers(*fx.store, {}, exports::defaultVectorLayers());
  REQUIRE(layers.size() == 4);
  const auto field = [&](std::size_t layer, std::size_t record, const char* name) {
    const auto& def = layers[layer].def;
    return exports::valueText(layers[layer].records.at(record).values.at(static_cast<std::size_t>(def.fieldIndex(name))));
  };
  // Entities: one per location, the unlocated vessel included.
  REQUIRE(layers[0].records.size() == 4);
  CHECK(field(0, 0, "name") == "Dandong Fixture Trading Co");
  CHECK(field(0, 0, "name_han") == "丹东测试贸易有限公司");
  CHECK(field(0, 0, "name_hangul") == "단둥시험무역회사");
  CHECK(field(0, 0, "authority") == "OFAC");
  CHECK(field(0, 0, "programs") == "DPRK3,NPWMD");
  CHECK(field(0, 0, "time_begin") == "2016-09-26");
  CHECK(field(0, 0, "time_end").empty());
  CHECK(field(0, 0, "sources") == "borderlens test fixture: hand-written test records (2026-11-28)");
  CHECK(field(0, 1, "authority") == "UN");  // UN wins over OFAC, as on the map
  CHECK(field(0, 1, "authorities") == "OFAC,UN");
  CHECK(field(0, 2, "name") == "FIXTURE STAR");
  CHECK(layers[0].records[2].wkt.empty());
  CHECK(field(0, 3, "authority").empty());
  CHECK(field(0, 3, "sources").empty());  // the fixture's one record without a source

  // Designations: PAK's OFAC listing runs from January 2018 to the end of 2020.
  REQUIRE(layers[1].records.size() == 4);
  CHECK(field(1, 2, "authority") == "OFAC");
  CHECK(field(1, 2, "listed") == "2018-01");
  CHECK(field(1, 2, "delisted") == "2020");
  CHECK(field(1, 2, "time_begin") == "2018-01-01");
  CHECK(field(1, 2, "time_end") == "2020-12-31");
  CHECK(field(1, 1, "round_label") == "UN 2017-12-22 (fixture)");
  CHECK(layers[1].records[1].folders == std::vector<std::string>{"UN", "UN 2017-12-22 (fixture)"});

  // Incidents: time spans cover what their precision covers.
  REQUIRE(layers[2].records.size() == 4);
  CHECK(field(2, 0, "time_begin") == "2017-08-15");
  CHECK(field(2, 0, "time_end") == "2017-08-15");
  CHECK(field(2, 1, "time_begin") == "2018-01-01");
  CHECK(field(2, 1, "time_end") == "2018-01-31");
  CHECK(field(2, 1, "start_precision") == "month");
  CHECK(field(2, 2, "time_end") == "2019-12-31");
  CHECK(field(2, 2, "place") == "丹东");
  CHECK(field(2, 3, "entities") == "PAK Fixture (manager); Shenyang Fixture Office (subject)");
  CHECK(layers[2].records[1].family == exports::GeometryFamily::Polygon);

  // Links: the entity-to-entity link once; the unlocated vessel's link has no line.
  REQUIRE(layers[3].records.size() == 5);
  int lines = 0;
  for (const auto& r : layers[3].records) lines += r.wkt.empty() ? 0 : 1;
  CHECK(lines == 4);
}

TEST_CASE("every vector format reads back with the same features, attributes, times and names") {
  Fixture fx;
  const auto expected = test::expectedLayers(*fx.store, {}, exports::defaultVectorLayers());
  const std::map<VectorFormat, std::string> outputs{
      {VectorFormat::GeoPackage, "out.gpkg"}, {VectorFormat::GeoJson, "out.geojson"}, {VectorFormat::Kml, "out.kml"},
      {VectorFormat::Csv, "out.csv"},         {VectorFormat::Shapefile, "shp"},       {VectorFormat::FlatGeobuf, "fgb"}};
  for (const auto& [format, name] : outputs) {
    INFO("output: " << name);
    const std::string output = fx.dir.file(name);
    const auto report = exports::writeVectorExport(*fx.store, optionsFor(format, output));
    checkRoundTrip(format, output, expected);

    // Names in every script, read back byte for byte.
    const auto features = test::readAll(output);
    const bool shp = format == VectorFormat::Shapefile;
    const auto& trading = featureOf(features, format, "entities", "entity_id", "1");
    CHECK(trading.fields.at("name_han") == "丹东测试贸易有限公司");
    CHECK(trading.fields.at(shp ? "name_hang" : "name_hangul") == "단둥시험무역회사");
    const auto& pak = featureOf(features, format, "entities", "entity_id", "2");
    CHECK(pak.fields.at(shp ? "name_hang" : "name_hangul") == "박시험");
    CHECK(pak.fields.at("aliases") == "박시험 | Sinŭiju Fixture");
    const auto& investigation = featureOf(features, format, "incidents", shp ? "inc_id" : "incident_id", "3");
    CHECK(investigation.fields.at("place") == "丹东");

    std::uint64_t total = 0;
    for (const auto& layer : report.layers) total += layer.features;
    CHECK(total == (format == VectorFormat::FlatGeobuf ? 14u : 17u));
  }
}

TEST_CASE("GeoPackage: split layers, QGIS styles, sources table and metadata") {
  Fixture fx;
  const std::string output = fx.dir.file("out.gpkg");
  const auto report = exports::writeVectorExport(*fx.store, optionsFor(VectorFormat::GeoPackage, output));
  REQUIRE(report.layers.size() == 4);
  CHECK(report.layers[2].parts == std::vector<std::string>{"incidents_point", "incidents_polygon"});

  GDALDatasetH dataset = GDALOpenEx(output.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  REQUIRE(dataset);
  const char* manifest = GDALGetMetadataItem(dataset, "MANIFEST", "BORDERLENS");
  REQUIRE(manifest);
  CHECK(std::string(manifest).find("\"schema_version\":" + std::to_string(store::kSchemaVersion)) != std::string::npos);
  OGRLayerH styles = GDALDatasetExecuteSQL(
      dataset, "SELECT f_table_name, styleQML, styleSLD, useAsDefault, update_time FROM layer_styles ORDER BY id",
      nullptr, nullptr);
  REQUIRE(styles);
  std::map<std::string, std::string> qml;
  while (OGRFeatureH f = OGR_L_GetNextFeature(styles)) {
    qml[OGR_F_GetFieldAsString(f, 0)] = OGR_F_GetFieldAsString(f, 1);
    CHECK(std::string(OGR_F_GetFieldAsString(f, 2)).find("StyledLayerDescriptor") != std::string::npos);
    CHECK(OGR_F_GetFieldAsInteger(f, 3) == 1);
    CHECK(std::string(OGR_F_GetFieldAsString(f, 4)) == "2026/01/02 03:04:05+00");
    OGR_F_Destroy(f);
  }
  GDALDatasetReleaseResultSet(dataset, styles);
  CHECK(qml.size() == 5);
  // Colours of assets/style.json: UN #1f6fb4, OFAC #c0392b, EU #d4a017, UK #7d3c98; seizure #e67e22.
  for (const char* color : {"31,111,180,255", "192,57,43,255", "212,160,23,255", "125,60,152,255"}) {
    CHECK(qml["entities"].find(color) != std::string::npos);
    CHECK(qml["designations"].find(color) != std::string::npos);
  }
  CHECK(qml["incidents_point"].find("230,126,34,255") != std::string::npos);
  CHECK(qml["incidents_polygon"].find("SimpleFill") != std::string::npos);
  CHECK(qml["links"].find("SimpleLine") != std::string::npos);

  OGRLayerH sources = GDALDatasetGetLayerByName(dataset, "sources");
  REQUIRE(sources);
  CHECK(OGR_L_GetFeatureCount(sources, TRUE) == 1);
  OGRLayerH contents = GDALDatasetExecuteSQL(dataset, "SELECT DISTINCT last_change FROM gpkg_contents", nullptr, nullptr);
  REQUIRE(contents);
  OGRFeatureH change = OGR_L_GetNextFeature(contents);
  REQUIRE(change);
  CHECK(std::string(OGR_F_GetFieldAsString(change, 0)) == "2026/01/02 03:04:05+00");
  CHECK(OGR_L_GetNextFeature(contents) == nullptr);
  OGR_F_Destroy(change);
  GDALDatasetReleaseResultSet(dataset, contents);
  GDALClose(dataset);
}

namespace {

std::string firstValue(GDALDatasetH dataset, const std::string& sql) {
  OGRLayerH result = GDALDatasetExecuteSQL(dataset, sql.c_str(), nullptr, nullptr);
  if (!result) return "(no result for " + sql + ")";
  std::string value = "(no row)";
  if (OGRFeatureH row = OGR_L_GetNextFeature(result)) {
    value = OGR_F_GetFieldAsString(row, 0);
    OGR_F_Destroy(row);
  }
  GDALDatasetReleaseResultSet(dataset, result);
  return value;
}

} // namespace

TEST_CASE("GeoPackage: every geometry table has a packed R*Tree of its features, and edits keep it up") {
  Fixture fx;
  const std::string output = fx.dir.file("out.gpkg");
  exports::writeVectorExport(*fx.store, optionsFor(VectorFormat::GeoPackage, output));

  GDALDatasetH dataset = GDALOpenEx(output.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr);
  REQUIRE(dataset);
  int tables = 0;
  for (int i = 0; i < GDALDatasetGetLayerCount(dataset); ++i) {
    OGRLayerH layer = GDALDatasetGetLayer(dataset, i);
    if (OGR_L_GetGeomType(layer) == wkbNone) continue;
    ++tables;
    const std::string table = OGR_L_GetName(layer);
    const std::string rtree = "rtree_" + table + "_geom";
    CAPTURE(table);
    CHECK(firstValue(dataset, "SELECT count(*) FROM \"" + rtree + "\"") ==
          firstValue(dataset, "SELECT count(*) FROM \"" + table + "\" WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)"));
    CHECK(firstValue(dataset, "SELECT count(*) FROM \"" + rtree + "\"") != "0");
    CHECK(firstValue(dataset, "SELECT rtreecheck('" + rtree + "')") == "ok");
    // Each box holds its feature (the R*Tree's floats round outward).
    CHECK(firstValue(dataset, "SELECT count(*) FROM \"" + table + "\" t JOIN \"" + rtree +
                                  "\" r ON r.id = t.fid WHERE r.minx > ST_MinX(t.geom) OR r.maxx < ST_MaxX(t.geom) "
                                  "OR r.miny > ST_MinY(t.geom) OR r.maxy < ST_MaxY(t.geom)") == "0");
    CHECK(firstValue(dataset, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '" + rtree +
                                  "_%'") == "6");
    CHECK(firstValue(dataset, "SELECT count(*) FROM gpkg_extensions WHERE table_name = '" + table +
                                  "' AND extension_name = 'gpkg_rtree_index'") == "1");
  }
  CHECK(tables == 5);  // entities, designations, incidents_point, incidents_polygon, links

  // A point added afterwards, as QGIS would, is found through the index.
  OGRLayerH points = GDALDatasetGetLayerByName(dataset, "incidents_point");
  REQUIRE(points);
  OGRFeatureH added = OGR_F_Create(OGR_L_GetLayerDefn(points));
  OGRGeometryH point = OGR_G_CreateGeometry(wkbPoint);
  OGR_G_SetPoint_2D(point, 0, 100.5, 10.5);
  OGR_F_SetGeometryDirectly(added, point);
  const OGRErr created = OGR_L_CreateFeature(points, added);
  OGR_F_Destroy(added);
  REQUIRE(created == OGRERR_NONE);
  OGR_L_SetSpatialFilterRect(points, 100, 10, 101, 11);
  CHECK(OGR_L_GetFeatureCount(points, TRUE) == 1);
  OGR_L_SetSpatialFilterRect(points, 60, 0, 61, 1);
  CHECK(OGR_L_GetFeatureCount(points, TRUE) == 0);
  OGR_L_SetSpatialFilter(points, nullptr);
  GDALClose(dataset);
}

TEST_CASE("Shapefile: UTF-8 code page, field name map, and long text cut at a character boundary") {
  Fixture fx;
  core::Incident incident;
  incident.kind = "seizure";
  incident.title = "Long description";
  incident.span = {core::Date::ymd(2020, 1, 2), std::nullopt};
  incident.wkt = "POINT(124.4 40.0)";
  std::string description;
  while (description.size() < 300) description += "丹东";  // 3 bytes a character
  incident.description = description;
  fx.store->addIncident(incident);

  const std::string output = fx.dir.file("shp");
  const auto report = exports::writeVectorExport(*fx.store, optionsFor(VectorFormat::Shapefile, output));
  REQUIRE(report.warnings.size() == 1);
  CHECK(report.warnings[0].find("254 bytes") != std::string::npos);
  std::ifstream cpg(output + "/entities.cpg");
  std::string codePage;
  std::getline(cpg, codePage);
  CHECK(codePage == "UTF-8");
  std::ifstream names(output + "/field_names.csv");
  std::string header, first;
  std::getline(names, header);
  std::getline(names, first);
  CHECK(header == "file,field,shapefile_field,type");
  CHECK(first == "entities.shp,entity_id,entity_id,integer");
  bool found = false;
  for (const auto& f : test::readAll(output)) {
    const auto it = f.fields.find("descr");
    if (it == f.fields.end()) continue;
    found = true;
    CHECK(it->second.size() == 252);  // 84 whole characters
    CHECK(description.rfind(it->second, 0) == 0);
  }
  CHECK(found);
}

namespace {

struct KmlScan {
  int depth = 0;
  int maxFolderDepth = 0;
  int folderDepth = 0;
  std::string text;
  std::string placemark;
  std::map<std::string, std::string> times;  // placemark name -> "when" or "begin..end"
  std::string when, begin, end;
};

void XMLCALL onStart(void* data, const XML_Char* name, const XML_Char**) {
  auto& s = *static_cast<KmlScan*>(data);
  s.text.clear();
  const std::string n(name);
  if (n == "Folder") s.maxFolderDepth = std::max(s.maxFolderDepth, ++s.folderDepth);
  if (n == "Placemark") s.when = s.begin = s.end = s.placemark = "";
}

void XMLCALL onEnd(void* data, const XML_Char* name) {
  auto& s = *static_cast<KmlScan*>(data);
  const std::string n(name);
  if (n == "Folder") --s.folderDepth;
  if (n == "name" && s.placemark.empty()) s.placemark = s.text;
  if (n == "when") s.when = s.text;
  if (n == "begin") s.begin = s.text;
  if (n == "end") s.end = s.text;
  if (n == "Placemark") s.times[s.placemark] = s.when.empty() ? s.begin + ".." + s.end : s.when;
  s.text.clear();
}

void XMLCALL onText(void* data, const XML_Char* text, int length) {
  static_cast<KmlScan*>(data)->text.append(text, static_cast<std::size_t>(length));
}

} // namespace

TEST_CASE("KML is well-formed, nests folders by authority and round, and has time elements") {
  Fixture fx;
  const std::string output = fx.dir.file("out.kml");
  exports::writeVectorExport(*fx.store, optionsFor(VectorFormat::Kml, output));
  const std::string xml = test::readFile(output);

  KmlScan scan;
  XML_Parser parser = XML_ParserCreate("UTF-8");
  XML_SetUserData(parser, &scan);
  XML_SetElementHandler(parser, onStart, onEnd);
  XML_SetCharacterDataHandler(parser, onText);
  const auto status = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE);
  CHECK_MESSAGE(status == XML_STATUS_OK, XML_ErrorString(XML_GetErrorCode(parser)) << " at line "
                                                                                     << XML_GetCurrentLineNumber(parser));
  XML_ParserFree(parser);

  CHECK(scan.maxFolderDepth == 3);  // designations / authority / round
  CHECK(scan.times["Fixture seizure at Dandong customs"] == "2017-08-15");
  CHECK(scan.times["Fixture ship-to-ship transfer"] == "2018-01-01..2018-01-31");
  CHECK(scan.times["Fixture investigation"] == "2019-01-01..2019-12-31");
  CHECK(scan.times["Fixture office closure"] == "2017-12-20..2018-01-10");
  CHECK(scan.times["PAK Fixture (OFAC 90002)"] == "2018-01-01..2020-12-31");
  CHECK(scan.times["Dandong Fixture Trading Co"] == "2016-09-26..");
  CHECK(xml.find("<Style id=\"entities-OFAC-approx\">") != std::string::npos);
  CHECK(xml.find("<color>ffb46f1f</color>") != std::string::npos);  // UN #1f6fb4 as aabbggrr
}

TEST_CASE("the base layer comes from geodata/base.gpkg with its attribution") {
  Fixture fx;
  auto options = optionsFor(VectorFormat::GeoPackage, fx.dir.file("base.gpkg"));
  options.layers = {LayerKind::Base};
  options.filter.bbox = geo::BBox{124.2, 39.8, 124.6, 40.2};
  const auto report = exports::writeVectorExport(*fx.store, options);
  REQUIRE(report.layers.size() == 3);
  CHECK(report.layers[0].name == "base_borders");
  for (const auto& layer : report.layers) CHECK(layer.features > 0);
  bool attributed = false;
  for (const auto& f : test::readAll(options.output)) {
    if (f.table == "base_borders") attributed = f.fields.at("sources").find("GSHHG") != std::string::npos;
  }
  CHECK(attributed);
}

TEST_CASE("vector tiles hold entities and incidents with their names") {
  Fixture fx;
  exports::TilesOptions options;
  options.output = fx.dir.file("t.mbtiles");
  options.database = "fixture.db";
  options.version = "test";
  options.createdAt = "2026-01-02T03:04:05Z";
  options.maxZoom = 10;
  std::vector<double> fractions;
  const auto report = exports::writeTiles(*fx.store, options, [&](double fraction, std::string_view) {
    fractions.push_back(fraction);
    return true;
  });
  REQUIRE(report.layers.size() == 2);
  CHECK(report.layers[0].features == 3);  // the vessel has no location
  CHECK(report.layers[1].features == 4);
  CHECK(!fractions.empty());
  CHECK(fractions.back() == 1.0);
  std::set<std::string> names;
  for (const auto& f : test::readAll(options.output)) {
    for (const char* field : {"name", "name_han", "name_hangul", "title"}) {
      if (f.fields.count(field)) names.insert(f.fields.at(field));
    }
  }
  CHECK(names.count("丹东测试贸易有限公司") == 1);
  CHECK(names.count("단둥시험무역회사") == 1);
  CHECK(names.count("Fixture ship-to-ship transfer") == 1);
}
