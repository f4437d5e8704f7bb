#include "core/errors.h"
#include "ingest/incidents.h"
#include "support/fixture.h"
#include "support/printers.h"

#include <cpl_error.h>
#include <doctest/doctest.h>
#include <gdal.h>
#include <gdal_utils.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>

using namespace borderlens;
using ingest::IncidentRecord;
using ingest::ParseResult;

namespace {

const std::string kFixtures = std::string(BORDERLENS_FIXTURES) + "/incidents/";
const std::map<std::string, std::string> kNoMap;

const IncidentRecord& incident(const ParseResult& result, const std::string& id) {
  const auto it = std::find_if(result.incidents.begin(), result.incidents.end(),
                               [&](const IncidentRecord& r) { return r.incident.externalId == id; });
  REQUIRE_MESSAGE(it != result.incidents.end(), "no incident " << id);
  return *it;
}

std::string rejectedOn(const ParseResult& result, std::uint64_t line) {
  for (const auto& rejected : result.rejected) {
    if (rejected.where.line == line) return rejected.reason;
  }
  return {};
}

std::string rejectedFeature(const ParseResult& result, const std::string& id) {
  for (const auto& rejected : result.rejected) {
    if (rejected.where.id == id) return rejected.reason;
  }
  return {};
}

std::string thrownBy(const std::function<void()>& call) {
  try {
    call();
  } catch (const core::Error& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

// Writes `source` to `target` through GDAL's ogr2ogr, so that binary formats (GeoPackage,
// Shapefile, FlatGeobuf) are made at run time rather than committed.
void translate(const std::string& source, const std::string& target,
               std::vector<std::string> arguments) {
  GDALAllRegister();
  CPLPushErrorHandler(CPLQuietErrorHandler);  // ogr2ogr warns about the Shapefile's field names
  GDALDatasetH input = GDALOpenEx(source.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
  REQUIRE(input);
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
  REQUIRE(options);
  int usageError = 0;
  GDALDatasetH output = GDALVectorTranslate(target.c_str(), nullptr, 1, &input, options, &usageError);
  GDALVectorTranslateOptionsFree(options);
  REQUIRE(output);
  GDALClose(output);
  GDALClose(input);
  CPLPopErrorHandler();
}

// `withoutGeometry`: whether the file kept fx-geo-4, which has none (GDAL's FlatGeobuf writer
// drops such features).
void checkGeoJsonIncidents(const ParseResult& result, bool withoutGeometry = true) {
  CHECK(result.recordsRead == (withoutGeometry ? 4 : 3));
  CHECK(result.incidents.size() == 2);
  CHECK(rejectedFeature(result, "fx-geo-3") == "unknown kind 'raid'");
  if (withoutGeometry) {
    CHECK(rejectedFeature(result, "fx-geo-4") == "no geometry (lon/lat or wkt)");
  }
  const auto& seizure = incident(result, "fx-geo-1");
  CHECK(seizure.incident.kind == "seizure");
  CHECK(seizure.incident.span.start == core::Date::ym(2017, 8));
  CHECK_FALSE(seizure.incident.span.end);
  CHECK(seizure.incident.precision == core::Precision::City);
  CHECK(seizure.incident.confidence == doctest::Approx(0.7));
  REQUIRE(seizure.links.size() == 1);
  CHECK(seizure.links[0].target.value == "fx-trading");
  REQUIRE(seizure.sources.size() == 1);
  CHECK(seizure.sources[0].publisher == "Fixture Press");
  CHECK(seizure.sources[0].published == "2017-09");
  const auto& transfer = incident(result, "fx-geo-2");
  CHECK(transfer.incident.wkt.rfind("POLYGON ((123.5 39", 0) == 0);
  CHECK(transfer.incident.span.start == core::Date::ymd(2018, 2, 1));
  CHECK(transfer.incident.span.end == core::Date::ymd(2018, 2, 28));
  CHECK(transfer.incident.precision == core::Precision::Region);
}

} // namespace

TEST_CASE("incidents CSV: every field of a good file") {
  const std::string path = kFixtures + "good.csv";
  const auto result = ingest::parseIncidents(path, kNoMap, {});
  CHECK(result.format == "incidents");
  CHECK(result.listSource.file == "good.csv");
  CHECK(result.recordsRead == 3);
  CHECK(result.rejected.empty());
  CHECK(result.warnings == std::vector<std::string>{path + ": columns not imported: reviewer"});
  REQUIRE(result.incidents.size() == 3);

  const auto& seizure = incident(result, "fx-inc-1");
  CHECK(seizure.where.line == 2);
  CHECK(seizure.where.id == "fx-inc-1");
  CHECK(seizure.incident.kind == "seizure");
  CHECK(seizure.incident.title == "Fixture cargo seized at Dandong customs");
  CHECK(seizure.incident.span.start == core::Date::ymd(2017, 8, 22));
  CHECK_FALSE(seizure.incident.span.end);
  CHECK(seizure.incident.wkt == "POINT(124.383 40.117)");
  CHECK(seizure.incident.precision == core::Precision::City);
  CHECK(seizure.incident.place == "Dandong customs");
  CHECK(seizure.incident.confidence == doctest::Approx(0.9));
  REQUIRE(seizure.links.size() == 2);
  CHECK(seizure.links[0].role == "subject");
  CHECK(seizure.links[0].target.scheme == "ftm");
  CHECK(seizure.links[0].target.value == "fx-trading");
  CHECK(seizure.links[1].role == "owner");
  CHECK(seizure.links[1].target.scheme == "ofac");
  CHECK(seizure.links[1].target.value == "90001");
  REQUIRE(seizure.sources.size() == 1);
  CHECK(seizure.sources[0].publisher == "Fixture Press");
  CHECK(seizure.sources[0].title == "Fixture seizure");
  CHECK(seizure.sources[0].published == "2017-08-23");
  CHECK(seizure.sources[0].url == "https://example.org/fixture/seizure");

  const auto& transfer = incident(result, "fx-inc-2");
  CHECK(transfer.where.line == 3);
  CHECK(transfer.incident.span.start == core::Date::ym(2018, 2));
  CHECK(transfer.incident.span.end == core::Date::ym(2018, 3));
  CHECK(transfer.incident.wkt == "POLYGON ((123.5 39.0,124.5 39.0,124.5 39.6,123.5 39.6,123.5 39.0))");
  CHECK(transfer.incident.precision == core::Precision::Region);
  CHECK(transfer.incident.description == "A fixture transfer,\nreported over two lines.");
  REQUIRE(transfer.links.size() == 2);
  CHECK(transfer.links[0].target.scheme == "imo");
  CHECK(transfer.links[1].role == "owner");
  CHECK(transfer.links[1].target.scheme == "ftm");
  CHECK(transfer.sources[0].title == "Transfer, \"fixture\"");

  const auto& probe = incident(result, "fx-inc-3");
  CHECK(probe.where.line == 5);  // after a description spanning two lines
  CHECK(probe.incident.span.start == core::Date::y(2019));
  CHECK(probe.incident.confidence == doctest::Approx(0.5));
  REQUIRE(probe.links.size() == 2);
  CHECK(probe.links[0].target.scheme == "name");
  CHECK(probe.links[0].target.value == "Dandong Fixture Trading Co.");
  CHECK(probe.sources[0].published.empty());
}

TEST_CASE("incidents CSV: each bad row is rejected with its line and reason") {
  const auto result = ingest::parseIncidents(kFixtures + "bad.csv", kNoMap, {});
  CHECK(result.recordsRead == 21);
  CHECK(rejectedOn(result, 2) == "expected 17 fields, found 16");
  CHECK(rejectedOn(result, 3) == "unknown kind 'raid'");
  CHECK(rejectedOn(result, 4) == "start '2017-13-01' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)");
  CHECK(rejectedOn(result, 5) == "end '2016' is before start '2017-02'");
  CHECK(rejectedOn(result, 6) == "lon '200' is out of range [-180, 180]");
  CHECK(rejectedOn(result, 7) == "lat 'nan' is not a finite number");
  CHECK(rejectedOn(result, 8) == "lon 'abc' is not a number");
  CHECK(rejectedOn(result, 9) == "wkt 'POINT(1' cannot be parsed");
  CHECK(rejectedOn(result, 10) == "both lon/lat and wkt given");
  CHECK(rejectedOn(result, 11) == "unknown geo_precision 'town'");
  CHECK(rejectedOn(result, 12) == "confidence '1.5' is out of range [0, 1]");
  CHECK(rejectedOn(result, 13) == "links: 'subject' is not ROLE=SCHEME:VALUE");
  CHECK(rejectedOn(result, 14) == "links: unknown scheme 'xyz' in 'subject=xyz:1'");
  CHECK(rejectedOn(result, 15) == "source_url is empty");
  CHECK(rejectedOn(result, 16).empty());
  CHECK(rejectedOn(result, 17) == "duplicate id 'fx-ok' (first on line 16)");
  CHECK(rejectedOn(result, 18) == "no geometry (lon/lat or wkt)");
  CHECK(rejectedOn(result, 19) == "wkt is out of range (lon -180..180, lat -90..90)");
  CHECK(rejectedOn(result, 20) == "wkt is not a valid geometry");
  CHECK(rejectedOn(result, 21) == "lat '-inf' is not a finite number");
  CHECK(rejectedOn(result, 22) == "unterminated quoted field");
  CHECK(result.rejected.size() == 20);
  REQUIRE(result.incidents.size() == 1);
  CHECK(result.incidents[0].incident.title == "A good row");
  for (const auto& rejected : result.rejected) CHECK(rejected.where.file == kFixtures + "bad.csv");
  CHECK(result.rejected[1].where.id == "fx-bad-03");
}

TEST_CASE("incidents CSV: invalid UTF-8 is rejected by row") {
  test::TempDir dir;
  const std::string path = dir.file("utf8.csv");
  std::ofstream(path, std::ios::binary)
      << "id,kind,title,start,lon,lat,geo_precision\n"
      << "fx-1,seizure,Fixture \xFF seizure,2017-08-22,124.383,40.117,city\n"
      << "fx-2,seizure,Fixture seizure,2017-08-22,124.383,40.117,city\n";
  const auto result = ingest::parseIncidents(path, kNoMap, {});
  REQUIRE(result.rejected.size() == 1);
  CHECK(result.rejected[0].where.line == 2);
  CHECK(result.rejected[0].reason == "invalid UTF-8 in column 'title'");
  CHECK(result.incidents.size() == 1);
}

TEST_CASE("incidents CSV: CRLF line ends and a byte-order mark") {
  test::TempDir dir;
  const std::string path = dir.file("crlf.csv");
  std::ofstream(path, std::ios::binary)
      << "\xEF\xBB\xBFid,kind,title,start,lon,lat,geo_precision,description\r\n"
      << "fx-1,seizure,Fixture seizure,2017-08-22,124.383,40.117,city,\"two\r\nlines\"\r\n"
      << "\r\n"
      << "fx-2,seizure,Fixture seizure,2017-08-23,124.383,40.117,town,\r\n";
  const auto result = ingest::parseIncidents(path, kNoMap, {});
  REQUIRE(result.incidents.size() == 1);
  CHECK(result.incidents[0].incident.description == "two\r\nlines");
  REQUIRE(result.rejected.size() == 1);
  CHECK(result.rejected[0].where.line == 5);
  CHECK(result.rejected[0].reason == "unknown geo_precision 'town'");
}

TEST_CASE("incidents CSV: files that cannot be incidents are rejected whole") {
  const std::string kind = kFixtures + "missing_kind.csv";
  CHECK(thrownBy([&] { ingest::parseIncidents(kind, kNoMap, {}); }) ==
        kind + ": missing required column 'kind'");
  const std::string url = kFixtures + "missing_source_url.csv";
  CHECK(thrownBy([&] { ingest::parseIncidents(url, kNoMap, {}); }) ==
        url + ": missing required column 'source_url'");
  const std::string rounds = std::string(BORDERLENS_FIXTURES) + "/rounds/good.csv";
  CHECK(thrownBy([&] { ingest::parseIncidents(rounds, kNoMap, {}); }) ==
        rounds + ": missing required column 'id'");

  test::TempDir dir;
  std::ofstream(dir.file("empty.csv")).close();
  CHECK(thrownBy([&] { ingest::parseIncidents(dir.file("empty.csv"), kNoMap, {}); }) ==
        dir.file("empty.csv") + ": the file is empty");
  std::ofstream(dir.file("nogeometry.csv")) << "id,kind,title,start,geo_precision\n";
  CHECK(thrownBy([&] { ingest::parseIncidents(dir.file("nogeometry.csv"), kNoMap, {}); }) ==
        dir.file("nogeometry.csv") + ": missing required columns 'lon' and 'lat', or 'wkt'");
  std::ofstream(dir.file("garbage.gpkg")) << "not a GeoPackage at all\n";
  CHECK(thrownBy([&] { ingest::parseIncidents(dir.file("garbage.gpkg"), kNoMap, {}); })
            .rfind(dir.file("garbage.gpkg") + ": not a vector file GDAL can read", 0) == 0);
}

TEST_CASE("incidents CSV without source columns: the file is the only source, and the report "
          "says so") {
  const std::string path = kFixtures + "no_sources.csv";
  const auto result = ingest::parseIncidents(path, kNoMap, {});
  CHECK(result.rejected.empty());
  REQUIRE(result.incidents.size() == 2);
  CHECK(result.incidents[0].sources.empty());
  CHECK(result.incidents[1].incident.precision == core::Precision::Province);
  CHECK(result.warnings ==
        std::vector<std::string>{path + ": 2 of 2 incidents name no source of their own; the "
                                        "file itself is their only source"});
}

TEST_CASE("--map: unknown fields and missing columns") {
  const std::string path = kFixtures + "good.csv";
  CHECK_THROWS_AS(ingest::parseIncidents(path, {{"colour", "red"}}, {}), core::UsageError);
  CHECK(thrownBy([&] { ingest::parseIncidents(path, {{"colour", "red"}}, {}); })
            .rfind("--map: unknown field 'colour' (fields: id, kind, title,", 0) == 0);
  CHECK(thrownBy([&] { ingest::parseIncidents(path, {{"kind", "type"}}, {}); }) ==
        path + ": --map kind=type: the file has no column 'type'");
  // A mapped column replaces ours.
  const auto result = ingest::parseIncidents(path, {{"place", "title"}}, {});
  CHECK(incident(result, "fx-inc-1").incident.place == "Fixture cargo seized at Dandong customs");
}

TEST_CASE("ACLED CSV: dates, precisions and kinds after ACLED's codebook") {
  const std::string path = kFixtures + "acled.csv";
  const auto result = ingest::parseIncidents(path, kNoMap, {});
  CHECK(result.listSource.publisher == "ACLED");
  CHECK(result.recordsRead == 7);
  CHECK(rejectedOn(result, 5) == "event_date '31 February 2021' is not a date");
  CHECK(rejectedOn(result, 6) == "time_precision '4' is not 1, 2 or 3");
  CHECK(rejectedOn(result, 7) == "lat '95' is out of range [-90, 90]");
  CHECK(result.rejected.size() == 3);
  CHECK(result.rejected[0].where.id == "CHN9004");
  REQUIRE(result.incidents.size() == 4);

  const auto& arrests = incident(result, "CHN9001");
  CHECK(arrests.incident.kind == "investigation");
  CHECK(arrests.incident.title == "Arrests in Dandong");
  CHECK(arrests.incident.place == "Dandong, Liaoning, China");
  CHECK(arrests.incident.description == "Police arrested fixture smugglers.");
  CHECK(arrests.incident.span.start == core::Date::ymd(2021, 3, 5));
  CHECK_FALSE(arrests.incident.span.end);
  CHECK(arrests.incident.precision == core::Precision::City);
  CHECK(arrests.incident.wkt == "POINT(124.3833 40.1167)");
  REQUIRE(arrests.sources.size() == 2);
  CHECK(arrests.sources[0].publisher == "Fixture News");
  CHECK(arrests.sources[1].publisher == "Fixture Daily");

  const auto& cache = incident(result, "CHN9002");  // time precision 2: the week around the date
  CHECK(cache.incident.kind == "seizure");
  CHECK(cache.incident.span.start == core::Date::ymd(2021, 4, 11));
  CHECK(cache.incident.span.end == core::Date::ymd(2021, 4, 17));
  CHECK(cache.incident.precision == core::Precision::Province);

  const auto& protest = incident(result, "CHN9003");  // time precision 3: the month
  CHECK(protest.incident.kind == "other");
  CHECK(protest.incident.span.start == core::Date::ym(2021, 6));
  CHECK(protest.incident.precision == core::Precision::Region);

  CHECK(incident(result, "CHN9007").incident.span.start == core::Date::ymd(2021, 8, 2));
  CHECK(incident(result, "CHN9007").sources.empty());
  CHECK(result.warnings ==
        std::vector<std::string>{
            path + ": columns not imported: year disorder_type actor1 fatalities",
            path + ": 1 of 4 incidents name no source of their own; the file itself is their "
                   "only source"});
}

TEST_CASE("GeoJSON incidents through OGR") {
  const auto result = ingest::parseIncidents(kFixtures + "incidents.geojson", kNoMap, {});
  CHECK(result.warnings.empty());
  checkGeoJsonIncidents(result);
  CHECK(incident(result, "fx-geo-1").incident.wkt == "POINT (124.383 40.117)");
  for (const auto& rejected : result.rejected) CHECK(rejected.where.line == 0);
}

TEST_CASE("GeoPackage and FlatGeobuf incidents, and a layer reprojected to lon/lat") {
  test::TempDir dir;
  const std::string geojson = kFixtures + "incidents.geojson";
  translate(geojson, dir.file("incidents.gpkg"), {"-f", "GPKG"});
  checkGeoJsonIncidents(ingest::parseIncidents(dir.file("incidents.gpkg"), kNoMap, {}));
  translate(geojson, dir.file("incidents.fgb"), {"-f", "FlatGeobuf"});
  checkGeoJsonIncidents(ingest::parseIncidents(dir.file("incidents.fgb"), kNoMap, {}), false);

  translate(geojson, dir.file("mercator.gpkg"), {"-f", "GPKG", "-t_srs", "EPSG:3857"});
  const auto result = ingest::parseIncidents(dir.file("mercator.gpkg"), kNoMap, {});
  checkGeoJsonIncidents(result);
  double lon = 0;
  double lat = 0;
  REQUIRE(std::sscanf(incident(result, "fx-geo-1").incident.wkt.c_str(), "POINT (%lf %lf)", &lon,
                      &lat) == 2);
  CHECK(lon == doctest::Approx(124.383).epsilon(1e-9));
  CHECK(lat == doctest::Approx(40.117).epsilon(1e-9));
}

TEST_CASE("Shapefile incidents need --map for field names cut to ten characters") {
  test::TempDir dir;
  const std::string shp = dir.file("incidents.shp");
  translate(kFixtures + "incidents.geojson", shp,
            {"-f", "ESRI Shapefile", "-where", "id = 'fx-geo-1'"});
  CHECK(thrownBy([&] { ingest::parseIncidents(shp, kNoMap, {}); }) ==
        shp + ": missing required field 'geo_precision'");
  const std::map<std::string, std::string> map{{"geo_precision", "geo_precis"},
                                               {"description", "descriptio"},
                                               {"source_publisher", "source_pub"},
                                               {"source_title", "source_tit"},
                                               {"source_date", "source_dat"}};
  const auto result = ingest::parseIncidents(shp, map, {});
  CHECK(result.rejected.empty());
  REQUIRE(result.incidents.size() == 1);
  const auto& seizure = result.incidents[0];
  CHECK(seizure.incident.externalId == "fx-geo-1");
  CHECK(seizure.incident.precision == core::Precision::City);
  CHECK(seizure.incident.description == "Fixture cargo seized.");
  CHECK(seizure.sources[0].title == "Fixture seizure");
}

TEST_CASE("KML incidents: TimeSpan and TimeStamp become start and end") {
  const std::string path = kFixtures + "incidents.kml";
  CHECK(thrownBy([&] { ingest::parseIncidents(path, kNoMap, {}); }) ==
        path + ": missing required field 'kind'");
  const auto result =
      ingest::parseIncidents(path, {{"kind", "type"}, {"geo_precision", "precision"}}, {});
  CHECK(result.rejected.empty());
  REQUIRE(result.incidents.size() == 2);
  const auto& bridge = result.incidents[0];
  CHECK(bridge.incident.externalId == "1");  // no id field: the feature's FID
  CHECK(bridge.incident.kind == "bridge_activity");
  CHECK(bridge.incident.title == "Fixture bridge closure");
  CHECK(bridge.incident.description == "The fixture bridge was closed to trucks.");
  CHECK(bridge.incident.span.start == core::Date::ymd(2017, 8, 5));
  CHECK(bridge.incident.span.end == core::Date::ymd(2017, 8, 10));
  CHECK(bridge.incident.wkt == "POINT (124.396 40.118)");  // altitude dropped
  const auto& office = result.incidents[1];
  CHECK(office.incident.span.start == core::Date::ymd(2018, 1, 9));
  CHECK_FALSE(office.incident.span.end);
  CHECK(office.incident.precision == core::Precision::Street);
  CHECK(result.warnings ==
        std::vector<std::string>{path + ": 2 of 2 incidents name no source of their own; the "
                                        "file itself is their only source"});
}

TEST_CASE("the demo incidents.csv parses with nothing rejected") {
  const auto result = ingest::parseIncidents(
      std::string(BORDERLENS_GEODATA_DIR) + "/demo/incidents.csv", kNoMap, {});
  CHECK(result.rejected.empty());
  CHECK(result.warnings.empty());
  CHECK(result.incidents.size() == 62);
  std::map<std::string, int> kinds;
  for (const auto& record : result.incidents) {
    ++kinds[record.incident.kind];
    CHECK(record.sources.size() == 1);
  }
  CHECK(kinds == std::map<std::string, int>{{"bridge_activity", 10},
                                            {"designation_event", 15},
                                            {"investigation", 3},
                                            {"office_closure", 2},
                                            {"other", 4},
                                            {"port_activity", 16},
                                            {"prosecution", 2},
                                            {"seizure", 4},
                                            {"ship_to_ship_transfer", 4},
                                            {"smuggling", 2}});
}

TEST_CASE("a feature repeating an earlier feature's id is rejected, naming the first feature") {
  test::TempDir dir;
  const std::string path = dir.file("repeated.geojson");
  std::ofstream(path) << R"({"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"id": "fx-a", "kind": "seizure", "title": "First", "start": "2017", "geo_precision": "exact"},
 "geometry": {"type": "Point", "coordinates": [124.383, 40.117]}},
{"type": "Feature", "properties": {"id": "fx-b", "kind": "seizure", "title": "Second", "start": "2017", "geo_precision": "exact"},
 "geometry": {"type": "Point", "coordinates": [124.4, 40.1]}},
{"type": "Feature", "properties": {"id": "fx-b", "kind": "seizure", "title": "Third", "start": "2018", "geo_precision": "exact"},
 "geometry": {"type": "Point", "coordinates": [124.5, 40.2]}}]})";
  const auto result = ingest::parseIncidents(path, kNoMap, {});
  REQUIRE(result.incidents.size() == 2);
  REQUIRE(result.rejected.size() == 1);
  CHECK(result.rejected[0].reason == "duplicate id 'fx-b' (first in feature 1)");
  CHECK(result.rejected[0].where.toString() == path + ": record fx-b");
}
