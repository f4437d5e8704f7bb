// The same database and filters give byte-identical exports: run after run, and with two exports
// running at once in parallel threads; SOURCE_DATE_EPOCH fixes the creation time.
#include "core/errors.h"
#include "export/manifest.h"
#include "export/tiles.h"
#include "export/vector_export.h"
#include "ops/export_op.h"
#include "read_back.h"
#include "support/fixture.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

using namespace borderlens;
using exports::VectorFormat;

namespace {

const std::vector<std::pair<VectorFormat, std::string>> kOutputs{
    {VectorFormat::GeoPackage, "out.gpkg"}, {VectorFormat::GeoJson, "out.geojson"}, {VectorFormat::Kml, "out.kml"},
    {VectorFormat::Csv, "out.csv"},         {VectorFormat::Shapefile, "shp"},       {VectorFormat::FlatGeobuf, "fgb"}};

// Every format and the tiles into `directory`, each export on its own store connection.
void exportAll(const std::string& database, const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  for (const auto& [format, name] : kOutputs) {
    auto db = store::openStore(database, store::OpenMode::ReadOnly);
    exports::VectorExportOptions options;
    options.output = (directory / name).string();
    options.format = format;
    options.layers = {exports::LayerKind::Entities, exports::LayerKind::Designations, exports::LayerKind::Incidents,
                      exports::LayerKind::Links, exports::LayerKind::Base};
    options.filter.bbox = geo::BBox{123.0, 38.5, 125.0, 42.0};
    options.database = "fixture.db";
    options.stylePath = std::string(BORDERLENS_ASSETS_DIR) + "/style.json";
    options.geodataDir = BORDERLENS_GEODATA_DIR;
    options.version = "test";
    options.createdAt = "2026-01-02T03:04:05Z";
    exports::writeVectorExport(*db, options);
  }
  auto db = store::openStore(database, store::OpenMode::ReadOnly);
  exports::TilesOptions tiles;
  tiles.output = (directory / "t.mbtiles").string();
  tiles.layers = exports::tileLayerKinds();
  tiles.geodataDir = BORDERLENS_GEODATA_DIR;
  tiles.maxZoom = 6;
  tiles.database = "fixture.db";
  tiles.version = "test";
  tiles.createdAt = "2026-01-02T03:04:05Z";
  exports::writeTiles(*db, tiles);
}

std::map<std::string, std::map<std::string, std::string>> hashes(const std::filesystem::path& directory) {
  std::map<std::string, std::map<std::string, std::string>> out;
  for (const auto& [format, name] : kOutputs) out[name] = test::hashOutput((directory / name).string());
  out["t.mbtiles"] = test::hashOutput((directory / "t.mbtiles").string());
  return out;
}

} // namespace

TEST_CASE("exports are byte-identical run after run and when two run at once in threads") {
  test::TempDir dir;
  const std::string database = dir.file("fixture.db");
  {
    auto db = store::openStore(database, store::OpenMode::Create);
    test::fillFixture(*db);
  }
  exportAll(database, dir.path() / "first");
  exportAll(database, dir.path() / "second");
  {
    std::thread a([&] { exportAll(database, dir.path() / "threadA"); });
    std::thread b([&] { exportAll(database, dir.path() / "threadB"); });
    a.join();
    b.join();
  }
  const auto reference = hashes(dir.path() / "first");
  CHECK(reference.at("shp").size() > 10);  // every file of the set is compared
  for (const char* run : {"second", "threadA", "threadB"}) {
    const auto other = hashes(dir.path() / run);
    for (const auto& [output, files] : reference) {
      INFO(run << ": " << output);
      CHECK(other.at(output) == files);
    }
  }
}

TEST_CASE("SOURCE_DATE_EPOCH is the creation time, so exports made apart in time are identical") {
  test::TempDir dir;
  const std::string database = dir.file("fixture.db");
  {
    auto db = store::openStore(database, store::OpenMode::Create);
    test::fillFixture(*db);
  }
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  CHECK(exports::creationTime() == "2023-11-14T22:13:20Z");
  ops::ExportOptions options;
  options.database = database;
  options.output = dir.file("a.gpkg");
  ops::runExport(options);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  options.output = dir.file("b.gpkg");
  ops::runExport(options);
  CHECK(test::sha256File(dir.file("a.gpkg")) == test::sha256File(dir.file("b.gpkg")));
  CHECK(test::readFile(dir.file("a.gpkg.manifest.json")).find("\"created\": \"2023-11-14T22:13:20Z\"") !=
        std::string::npos);

  ::setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
  CHECK_THROWS_AS(exports::creationTime(), core::UsageError);
  ::unsetenv("SOURCE_DATE_EPOCH");
}
