// The fixture cut into vector tiles and read back tile by tile: every point is in the deepest
// level at its place, lines and areas cut at tile edges stay within each tile's buffer and add up
// to the whole, ids are the records' ids, and GDAL's MBTiles driver reads the file's metadata.
#include "core/errors.h"
#include "export/tiles.h"
#include "read_back.h"
#include "support/fixture.h"
#include "test_mvt_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>

using namespace borderlens;

namespace {

constexpr int kMaxZoom = 12;
// The buffer the writer keeps around a tile, in tile units, and one unit of rounding.
constexpr double kBufferUnits = 64 + 1;

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<store::Store> store;
  test::FixtureIds ids;
  Fixture() : store(store::openStore(dir.file("fixture.db"), store::OpenMode::Create)) { ids = test::fillFixture(*store); }
};

// Web Mercator of a lon/lat geometry, vertex by vertex (the writer projects vertices too).
void toMercator(OGRGeometryH g) {
  for (int i = 0; i < OGR_G_GetGeometryCount(g); ++i) toMercator(OGR_G_GetGeometryRef(g, i));
  for (int i = 0; i < OGR_G_GetPointCount(g); ++i) {
    const double lon = OGR_G_GetX(g, i);
    const double lat = OGR_G_GetY(g, i);
    OGR_G_SetPoint_2D(g, i, test::TileGrid::kHalfWorld * lon / 180.0,
                      test::TileGrid::kHalfWorld / std::numbers::pi *
                          std::log(std::tan(std::numbers::pi / 4 + lat * std::numbers::pi / 360.0)));
  }
}

OGRGeometryH geometryOf(const std::string& wkt) {
  OGRGeometryH g = nullptr;
  char* text = const_cast<char*>(wkt.c_str());
  REQUIRE(OGR_G_CreateFromWkt(&text, nullptr, &g) == OGRERR_NONE);
  return g;
}

// What of a piece lies in its tile proper (without the buffer): its length or area.
double measureInside(const std::string& wkt, const test::TileGrid& grid, bool area) {
  OGRGeometryH piece = geometryOf(wkt);
  OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
  OGR_G_AddPoint_2D(ring, grid.minX, grid.maxY);
  OGR_G_AddPoint_2D(ring, grid.minX + grid.size, grid.maxY);
  OGR_G_AddPoint_2D(ring, grid.minX + grid.size, grid.maxY - grid.size);
  OGR_G_AddPoint_2D(ring, grid.minX, grid.maxY - grid.size);
  OGR_G_AddPoint_2D(ring, grid.minX, grid.maxY);
  OGRGeometryH rect = OGR_G_CreateGeometry(wkbPolygon);
  OGR_G_AddGeometryDirectly(rect, ring);
  OGRGeometryH inside = OGR_G_Intersection(piece, rect);
  const double measure = inside ? (area ? OGR_G_Area(inside) : OGR_G_Length(inside)) : 0.0;
  OGR_G_DestroyGeometry(inside);
  OGR_G_DestroyGeometry(rect);
  OGR_G_DestroyGeometry(piece);
  return measure;
}

exports::TilesOptions optionsFor(const Fixture& fx) {
  exports::TilesOptions options;
  options.output = fx.dir.file("t.mbtiles");
  options.layers = {exports::LayerKind::Entities, exports::LayerKind::Incidents, exports::LayerKind::Links};
  options.maxZoom = kMaxZoom;
  options.database = "fixture.db";
  options.version = "test";
  options.createdAt = "2026-01-02T03:04:05Z";
  return options;
}

} // namespace

TEST_CASE("tiles cut lines and areas at tile edges and hold every point at the deepest level") {
  Fixture fx;
  const auto options = optionsFor(fx);
  exports::writeTiles(*fx.store, options);
  const auto expected = test::expectedLayers(*fx.store, options.filter, options.layers);

  // Expected points by layer and id, and the whole lengths and areas of lines and polygons.
  std::map<std::string, std::map<std::int64_t, std::array<double, 2>>> points;
  std::map<std::string, double> wholeLength;  // link key -> length
  std::map<std::int64_t, double> wholeArea;   // incident id -> area
  for (const auto& layer : expected) {
    for (const auto& record : layer.records) {
      if (record.wkt.empty()) continue;
      OGRGeometryH g = geometryOf(record.wkt);
      toMercator(g);
      const auto type = wkbFlatten(OGR_G_GetGeometryType(g));
      const auto value = [&](const char* field) {
        return exports::valueText(record.values[static_cast<std::size_t>(layer.def.fieldIndex(field))]);
      };
      if (type == wkbPoint) {
        const std::string idField = layer.def.name == "incidents" ? "incident_id" : "location_id";
        points[layer.def.name][std::stoll(value(idField.c_str()))] = {OGR_G_GetX(g, 0), OGR_G_GetY(g, 0)};
      } else if (type == wkbLineString) {
        wholeLength[value("from_id") + "/" + value("to_type") + "/" + value("to_id")] = OGR_G_Length(g);
      } else if (type == wkbPolygon) {
        wholeArea[std::stoll(value("incident_id"))] = OGR_G_Area(g);
      }
      OGR_G_DestroyGeometry(g);
    }
  }
  REQUIRE(points["entities"].size() == 3);
  REQUIRE(points["incidents"].size() == 3);
  REQUIRE(wholeLength.size() == 4);
  REQUIRE(wholeArea.size() == 1);

  std::map<std::string, std::set<std::int64_t>> pointsSeen;
  std::map<std::string, double> lengthSeen;
  std::map<std::string, int> linePieces;
  std::map<std::int64_t, double> areaSeen;
  std::map<std::int64_t, int> areaPieces;
  std::set<int> zooms;
  for (const auto& tile : test::readMbtiles(options.output)) {
    zooms.insert(tile.z);
    if (tile.z != kMaxZoom) continue;
    const test::TileGrid grid(tile.z, tile.x, tile.y);
    for (const auto& f : test::decodeTile(tile.data, tile.z, tile.x, tile.y)) {
      for (const auto& ring : f.rings) {
        for (const auto& p : ring) CHECK_MESSAGE(grid.holds(p, kBufferUnits), f.layer << " outside its tile: " << f.wkt);
      }
      if (f.type == "POINT") {
        const auto& where = points[f.layer].at(f.id);
        CHECK(std::fabs(f.rings[0][0][0] - where[0]) <= grid.unit);
        CHECK(std::fabs(f.rings[0][0][1] - where[1]) <= grid.unit);
        if (grid.holds(f.rings[0][0], 0)) pointsSeen[f.layer].insert(f.id);
        const char* idField = f.layer == "incidents" ? "incident_id" : "location_id";
        CHECK(std::stoll(f.fields.at(idField)) == f.id);
      } else if (f.layer == "links") {
        const std::string key = f.fields.at("from_id") + "/" + f.fields.at("to_type") + "/" + f.fields.at("to_id");
        lengthSeen[key] += measureInside(f.wkt, grid, false);
        ++linePieces[key];
      } else if (f.layer == "incidents") {
        CHECK(f.type == "POLYGON");
        areaSeen[f.id] += measureInside(f.wkt, grid, true);
        ++areaPieces[f.id];
      }
    }
  }
  CHECK(zooms == std::set<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  for (const auto& [layer, byId] : points) {
    for (const auto& [id, where] : byId) CHECK_MESSAGE(pointsSeen[layer].count(id) == 1, layer << " " << id);
  }
  const double unit = test::TileGrid(kMaxZoom, 0, 0).unit;
  bool crossing = false;
  for (const auto& [key, length] : wholeLength) {
    CHECK_MESSAGE(std::fabs(lengthSeen[key] - length) < 4 * unit, "link " << key);
    crossing = crossing || linePieces[key] > 1;
  }
  CHECK(crossing);  // at least one link crosses a tile edge, or this case tests no cutting
  for (const auto& [id, area] : wholeArea) {
    CHECK(areaPieces[id] > 4);
    CHECK(std::fabs(areaSeen[id] - area) < area * 1e-4);
  }
}

TEST_CASE("GDAL's MBTiles driver reads the tiles with their metadata and layer fields") {
  Fixture fx;
  const auto options = optionsFor(fx);
  const auto report = exports::writeTiles(*fx.store, options);
  REQUIRE(report.layers.size() == 3);

  GDALAllRegister();
  const char* drivers[] = {"MBTiles", nullptr};
  GDALDatasetH dataset =
      GDALOpenEx(options.output.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr);
  REQUIRE(dataset);
  CHECK(std::string(GDALGetMetadataItem(dataset, "format", nullptr)) == "pbf");
  CHECK(std::string(GDALGetMetadataItem(dataset, "maxzoom", nullptr)) == std::to_string(kMaxZoom));
  CHECK(std::string(GDALGetMetadataItem(dataset, "name", nullptr)) == "t");
  REQUIRE(GDALDatasetGetLayerCount(dataset) == 3);
  std::set<std::string> names;
  for (int i = 0; i < 3; ++i) {
    OGRLayerH layer = GDALDatasetGetLayer(dataset, i);
    names.insert(OGR_L_GetName(layer));
    if (std::string(OGR_L_GetName(layer)) == "incidents") {
      OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
      CHECK(OGR_FD_GetFieldIndex(defn, "title") >= 0);
      CHECK(OGR_FD_GetFieldIndex(defn, "description") < 0);  // long texts stay out of tiles
      CHECK(OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, OGR_FD_GetFieldIndex(defn, "confidence"))) == OFTReal);
    }
  }
  GDALClose(dataset);
  CHECK(names == std::set<std::string>{"entities", "incidents", "links"});

  // Read at the deepest level (GDAL's default), each point feature comes once: copies kept in a
  // neighbour's buffer are cut away by the reader.
  std::map<std::string, int> features;
  for (const auto& f : test::readAll(options.output)) {
    if (f.geometryType == "Point" || f.geometryType == "Multi Point") ++features[f.table];
  }
  CHECK(features["entities"] == 3);
  CHECK(features["incidents"] == 3);
}

TEST_CASE("below the deepest level a tile keeps one point per cell, the lowest id") {
  Fixture fx;
  auto options = optionsFor(fx);
  options.layers = {exports::LayerKind::Incidents};
  exports::writeTiles(*fx.store, options);
  // At zoom 0 a cell is 1/256 of the world's width (about 150 km): the seizure and the
  // investigation, 3 km apart near Sinuiju, share one; the closure in Shenyang has its own.
  std::vector<std::int64_t> ids;
  for (const auto& tile : test::readMbtiles(options.output)) {
    if (tile.z != 0) continue;
    for (const auto& f : test::decodeTile(tile.data, 0, 0, 0)) {
      if (f.type == "POINT") ids.push_back(f.id);
    }
  }
  std::vector<std::int64_t> expected{std::min(fx.ids.seizure, fx.ids.investigation), fx.ids.closure};
  std::sort(expected.begin(), expected.end());
  CHECK(ids == expected);

  // At the deepest level all three are there.
  std::set<std::int64_t> deepest;
  for (const auto& tile : test::readMbtiles(options.output)) {
    if (tile.z != kMaxZoom) continue;
    for (const auto& f : test::decodeTile(tile.data, tile.z, tile.x, tile.y)) {
      if (f.type == "POINT") deepest.insert(f.id);
    }
  }
  CHECK(deepest == std::set<std::int64_t>{fx.ids.seizure, fx.ids.investigation, fx.ids.closure});
}

TEST_CASE("the report names each level's tiles over the size limit, and the largest") {
  Fixture fx;
  auto options = optionsFor(fx);
  std::map<int, std::size_t> tilesAt;
  const auto write = [&](std::size_t limit) {
    options.largeTileBytes = limit;
    options.overwrite = true;
    return exports::writeTiles(*fx.store, options).largeTiles;
  };
  // A limit of 0: every tile is over it, level by level.
  const auto all = write(0);
  for (const auto& tile : test::readMbtiles(options.output)) ++tilesAt[tile.z];
  REQUIRE(all.size() == tilesAt.size());
  std::size_t largest = 0;
  for (const auto& large : all) {
    CHECK(large.count == tilesAt[large.zoom]);
    CHECK(large.largestBytes > 0);
    largest = std::max(largest, large.largestBytes);
  }
  // The largest tile is not over a limit of its own size, and alone over one a byte smaller.
  CHECK(write(largest).empty());
  const auto over = write(largest - 1);
  REQUIRE_FALSE(over.empty());
  for (const auto& large : over) CHECK(large.largestBytes == largest);
  CHECK(write(exports::kLargeTileBytes).empty());
}

TEST_CASE("tiling reports progress zoom by zoom, and a cancel there leaves nothing behind") {
  Fixture fx;
  const auto options = optionsFor(fx);
  std::vector<double> fractions;
  std::set<std::string> messages;
  exports::writeTiles(*fx.store, options, [&](double fraction, std::string_view message) {
    fractions.push_back(fraction);
    messages.insert(std::string(message));
    return true;
  });
  CHECK(std::is_sorted(fractions.begin(), fractions.end()));
  CHECK(fractions.back() == 1.0);
  for (int zoom = 0; zoom <= kMaxZoom; ++zoom) CHECK(messages.count("tiling zoom " + std::to_string(zoom)) == 1);

  auto again = optionsFor(fx);
  again.output = fx.dir.file("cancelled.mbtiles");
  CHECK_THROWS_AS(exports::writeTiles(*fx.store, again,
                                      [](double, std::string_view message) { return message != "tiling zoom 7"; }),
                  core::Cancelled);
  std::set<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(fx.dir.path())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("fixture.db", 0) != 0) left.insert(name);
  }
  CHECK(left == std::set<std::string>{"t.mbtiles", "t.mbtiles.manifest.json"});
}
