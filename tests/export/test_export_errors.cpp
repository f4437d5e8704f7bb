// Bad requests fail before anything is written; failures and cancels leave nothing behind and an
// existing output as it was; a filter that selects nothing gives valid, empty layers.
#include "core/errors.h"
#include "export/layers.h"
#include "export/tiles.h"
#include "export/vector_export.h"
#include "read_back.h"
#include "support/fixture.h"

#include <doctest/doctest.h>

#include <fstream>

using namespace borderlens;
using exports::LayerKind;
using exports::VectorFormat;

namespace {

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<store::Store> store;
  Fixture() : store(store::openStore(dir.file("fixture.db"), store::OpenMode::Create)) { test::fillFixture(*store); }

  exports::VectorExportOptions options(VectorFormat format, const std::string& name) const {
    exports::VectorExportOptions o;
    o.output = dir.file(name);
    o.format = format;
    o.database = "fixture.db";
    o.stylePath = std::string(BORDERLENS_ASSETS_DIR) + "/style.json";
    o.geodataDir = BORDERLENS_GEODATA_DIR;
    o.version = "test";
    o.createdAt = "2026-01-02T03:04:05Z";
    return o;
  }

  // The files in the fixture's directory other than the database and its companions.
  std::vector<std::string> outputs() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("fixture.db", 0) != 0) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
};

template <typename Call>
std::string messageOf(Call call) {
  try {
    call();
  } catch (const core::Error& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

} // namespace

TEST_CASE("the format comes from --format or the extension, and contradictions are usage errors") {
  CHECK(exports::resolveVectorFormat("", "a.gpkg") == VectorFormat::GeoPackage);
  CHECK(exports::resolveVectorFormat("", "a.JSON") == VectorFormat::GeoJson);
  CHECK(exports::resolveVectorFormat("", "a.kml") == VectorFormat::Kml);
  CHECK(exports::resolveVectorFormat("shp", "dir") == VectorFormat::Shapefile);
  CHECK(exports::resolveVectorFormat("fgb", "dir") == VectorFormat::FlatGeobuf);
  CHECK(exports::resolveVectorFormat("csv", "table.txt") == VectorFormat::Csv);
  CHECK_THROWS_AS(exports::resolveVectorFormat("xlsx", "a.gpkg"), core::UsageError);
  CHECK(messageOf([] { exports::resolveVectorFormat("", "a.xyz"); }) ==
        "cannot tell the export format from 'a.xyz': give --format gpkg, geojson, kml, csv, shp or fgb");
  CHECK_THROWS_AS(exports::resolveVectorFormat("geojson", "a.gpkg"), core::UsageError);
  CHECK_THROWS_AS(exports::resolveVectorFormat("", "a.shp"), core::UsageError);

  const std::vector<LayerKind> all{LayerKind::Entities, LayerKind::Designations, LayerKind::Incidents,
                                   LayerKind::Links, LayerKind::Base};
  CHECK(exports::parseLayerList("incidents,entities,incidents", all) ==
        std::vector<LayerKind>{LayerKind::Entities, LayerKind::Incidents});
  CHECK(messageOf([&] { exports::parseLayerList("entities,roads", all); }) ==
        "unknown layer 'roads' in --layers: expected some of entities,designations,incidents,links,base");
  CHECK_THROWS_AS(exports::parseLayerList("", all), core::UsageError);
  CHECK_THROWS_AS(exports::parseLayerList("designations", exports::tileLayerKinds()), core::UsageError);
}

TEST_CASE("a .fgb file takes one layer, and the base layer counts as three") {
  Fixture fx;
  auto options = fx.options(VectorFormat::FlatGeobuf, "one.fgb");
  CHECK_THROWS_AS(exports::checkVectorExport(options), core::UsageError);
  options.layers = {LayerKind::Base};
  CHECK_THROWS_AS(exports::checkVectorExport(options), core::UsageError);
  options.layers = {LayerKind::Incidents};
  CHECK_NOTHROW(exports::checkVectorExport(options));
  CHECK(fx.outputs().empty());
}

TEST_CASE("an existing output is kept without --overwrite and replaced with it") {
  Fixture fx;
  auto options = fx.options(VectorFormat::GeoJson, "out.geojson");
  { std::ofstream(options.output) << "mine"; }
  CHECK(messageOf([&] { exports::writeVectorExport(*fx.store, options); }) ==
        options.output + ": exists (use --overwrite to replace it)");
  CHECK(test::readFile(options.output) == "mine");
  CHECK(fx.outputs() == std::vector<std::string>{"out.geojson"});

  options.overwrite = true;
  exports::writeVectorExport(*fx.store, options);
  CHECK(test::readAll(options.output).size() == 17);
  CHECK(fx.outputs() == std::vector<std::string>{"out.geojson", "out.geojson.manifest.json"});

  // A manifest alone blocks too: it would be overwritten.
  auto other = fx.options(VectorFormat::Kml, "other.kml");
  { std::ofstream(other.output + ".manifest.json") << "{}"; }
  CHECK_THROWS_AS(exports::writeVectorExport(*fx.store, other), core::OutputFailed);
}

TEST_CASE("a directory output is replaced only when it holds nothing but export files") {
  Fixture fx;
  auto options = fx.options(VectorFormat::Shapefile, "shp");
  exports::writeVectorExport(*fx.store, options);
  options.overwrite = true;
  options.layers = {LayerKind::Incidents};
  exports::writeVectorExport(*fx.store, options);
  CHECK(!std::filesystem::exists(fx.dir.file("shp/entities.shp")));
  CHECK(std::filesystem::exists(fx.dir.file("shp/incidents_point.shp")));

  { std::ofstream(fx.dir.file("shp/notes.txt")) << "an analyst's notes"; }
  CHECK(messageOf([&] { exports::writeVectorExport(*fx.store, options); }) ==
        options.output + ": holds 'notes.txt', which no export writes; not replacing the directory");
  CHECK(std::filesystem::exists(fx.dir.file("shp/notes.txt")));
}

TEST_CASE("unwritable outputs fail with OutputFailed and leave nothing behind") {
  Fixture fx;
  auto missing = fx.options(VectorFormat::GeoPackage, "no/such/dir/out.gpkg");
  CHECK(messageOf([&] { exports::writeVectorExport(*fx.store, missing); }) ==
        missing.output + ": no such directory '" + fx.dir.file("no/such/dir") + "'");
  auto underFile = fx.options(VectorFormat::GeoPackage, "fixture.db/out.gpkg");
  CHECK_THROWS_AS(exports::writeVectorExport(*fx.store, underFile), core::OutputFailed);
  CHECK(fx.outputs().empty());

  // /proc takes no new files, not even from root: the failure comes from GDAL while writing.
  for (auto format : {VectorFormat::GeoPackage, VectorFormat::Kml, VectorFormat::Shapefile}) {
    auto options = fx.options(format, "x");
    options.output = format == VectorFormat::Kml ? "/proc/borderlens-test.kml" : "/proc/borderlens-test.gpkg";
    if (format == VectorFormat::Shapefile) options.output = "/proc/borderlens-test-shp";
    CHECK_THROWS_AS(exports::writeVectorExport(*fx.store, options), core::OutputFailed);
  }
}

TEST_CASE("a cancel leaves no file behind and an existing output as it was") {
  Fixture fx;
  for (auto [format, name] : std::vector<std::pair<VectorFormat, std::string>>{
           {VectorFormat::GeoPackage, "out.gpkg"}, {VectorFormat::Shapefile, "shp"}, {VectorFormat::Csv, "out.csv"}}) {
    auto options = fx.options(format, name);
    int calls = 0;
    CHECK_THROWS_AS(exports::writeVectorExport(*fx.store, options,
                                               [&](double, std::string_view) { return ++calls < 3; }),
                    core::Cancelled);
    CHECK(fx.outputs().empty());
  }
  auto options = fx.options(VectorFormat::GeoPackage, "out.gpkg");
  exports::writeVectorExport(*fx.store, options);
  const std::string before = test::sha256File(options.output);
  options.overwrite = true;
  options.createdAt = "2027-01-01T00:00:00Z";
  CHECK_THROWS_AS(exports::writeVectorExport(*fx.store, options, [](double f, std::string_view) { return f < 0.5; }),
                  core::Cancelled);
  CHECK(test::sha256File(options.output) == before);
  CHECK(fx.outputs() == std::vector<std::string>{"out.gpkg", "out.gpkg.manifest.json"});
}

TEST_CASE("a filter that selects nothing writes valid, empty layers in every format") {
  Fixture fx;
  for (auto [format, name] : std::vector<std::pair<VectorFormat, std::string>>{
           {VectorFormat::GeoPackage, "e.gpkg"}, {VectorFormat::GeoJson, "e.geojson"}, {VectorFormat::Kml, "e.kml"},
           {VectorFormat::Csv, "e.csv"}, {VectorFormat::Shapefile, "e-shp"}, {VectorFormat::FlatGeobuf, "e-fgb"}}) {
    INFO(name);
    auto options = fx.options(format, name);
    options.filter.text = "nothingmatchesthis";
    const auto report = exports::writeVectorExport(*fx.store, options);
    REQUIRE(report.layers.size() == 4);
    for (const auto& layer : report.layers) CHECK(layer.features == 0);
    std::size_t features = 0;
    for (const auto& f : test::readAll(options.output)) {
      if (f.table != "sources" && f.table != "layer_styles") ++features;
    }
    CHECK(features == 0);
  }
  exports::TilesOptions tiles;
  tiles.output = fx.dir.file("e.mbtiles");
  tiles.filter.text = "nothingmatchesthis";
  tiles.maxZoom = 4;
  tiles.createdAt = "2026-01-02T03:04:05Z";
  const auto report = exports::writeTiles(*fx.store, tiles);
  CHECK(report.layers.at(0).features == 0);
  CHECK(std::filesystem::exists(tiles.output));
}

TEST_CASE("tiles: zoom ranges and the .mbtiles extension are checked first") {
  int minZoom = -1;
  int maxZoom = -1;
  exports::parseZoomRange("0-14", minZoom, maxZoom);
  CHECK((minZoom == 0 && maxZoom == 14));
  exports::parseZoomRange("9", minZoom, maxZoom);
  CHECK((minZoom == 9 && maxZoom == 9));
  for (const char* bad : {"5-2", "0-23", "-1", "a-b", "3-", ""}) {
    CHECK_THROWS_AS(exports::parseZoomRange(bad, minZoom, maxZoom), core::UsageError);
  }
  exports::TilesOptions options;
  options.output = "tiles.gpkg";
  CHECK_THROWS_AS(exports::checkTiles(options), core::UsageError);
}
