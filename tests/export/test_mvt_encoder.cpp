// The hand-written Mapbox Vector Tile encoder, read back by GDAL's MVT driver: ids, attributes of
// every type, points, lines and polygons (with their holes) within one tile unit, winding fixed,
// repeated positions dropped, and gzip that GDAL inflates.
#include "export/mvt_encoder.h"
#include "test_mvt_support.h"

#include <doctest/doctest.h>

#include <cmath>

using namespace borderlens;
using exports::mvt::GeomType;
using exports::mvt::TilePoint;

namespace {

constexpr int kZ = 10;
constexpr int kX = 873;
constexpr int kY = 388;

std::vector<std::uint32_t> pointCommands(std::vector<TilePoint> points) {
  std::vector<std::uint32_t> out;
  exports::mvt::GeometryWriter(out).points(points);
  return out;
}

// A tile with three features: a point with every kind of value, a line with repeated positions
// and a polygon whose rings come in the wrong winding.
std::string sampleTile() {
  exports::mvt::LayerWriter layer("things", {"name", "count", "delta", "share", "day", "unused"});
  std::string tile;
  const auto tag = [&](std::uint32_t key, std::uint32_t id, const exports::Value& value) {
    layer.tag(key, id, exports::mvt::encodeValue(value));
  };

  layer.beginFeature(7, GeomType::Point);
  tag(0, 0, std::string("丹东 shared"));
  tag(1, 1, std::int64_t{42});
  tag(2, 2, std::int64_t{-5});
  tag(3, 3, 0.25);
  tag(4, 4, exports::Day{17562});  // 2018-01-31
  layer.geometry(pointCommands({{100, 200}}));
  layer.endFeature();

  layer.beginFeature(8, GeomType::LineString);
  tag(0, 0, std::string("丹东 shared"));
  std::vector<std::uint32_t> line;
  std::vector<TilePoint> positions{{-10, 50}, {300, 50}, {300, 50}, {300, 4000}, {4100, 4000}};
  REQUIRE(exports::mvt::GeometryWriter(line).lineString(positions));
  CHECK(positions.size() == 4);
  layer.geometry(line);
  layer.endFeature();

  layer.beginFeature(std::nullopt, GeomType::Polygon);
  tag(1, 5, std::int64_t{3});
  std::vector<std::uint32_t> polygon;
  exports::mvt::GeometryWriter writer(polygon);
  // Counter-clockwise with y down (a negative area): must be turned.
  std::vector<TilePoint> outer{{1000, 1000}, {1000, 2000}, {2000, 2000}, {2000, 1000}, {1000, 1000}};
  std::vector<TilePoint> hole{{1200, 1200}, {1400, 1200}, {1400, 1400}, {1200, 1400}};
  std::vector<TilePoint> flat{{1500, 1500}, {1600, 1600}, {1700, 1700}};
  REQUIRE(writer.ring(outer, true));
  REQUIRE(writer.ring(hole, false));
  CHECK_FALSE(writer.ring(flat, false));  // no area: left out
  layer.geometry(polygon);
  layer.endFeature();

  layer.finish(tile);
  CHECK(layer.empty());
  return tile;
}

} // namespace

TEST_CASE("an encoded tile reads back through GDAL with its ids, values and geometries") {
  const std::string tile = sampleTile();
  // The shared value is in the tile's value table once, however many features use it.
  std::size_t occurrences = 0;
  for (std::size_t at = tile.find("丹东 shared"); at != std::string::npos; at = tile.find("丹东 shared", at + 1)) {
    ++occurrences;
  }
  CHECK(occurrences == 1);
  CHECK(tile.find("unused") == std::string::npos);  // only the keys used are written

  const auto features = test::decodeTile(tile, kZ, kX, kY);
  REQUIRE(features.size() == 3);
  const test::TileGrid grid(kZ, kX, kY);

  const auto& point = features[0];
  CHECK(point.layer == "things");
  CHECK(point.id == 7);
  CHECK(point.fields.at("name") == "丹东 shared");
  CHECK(point.fields.at("count") == "42");
  CHECK(point.fields.at("delta") == "-5");
  CHECK(point.fields.at("share") == "0.25");
  CHECK(point.fields.at("day") == "2018-01-31");
  CHECK(point.fields.count("unused") == 0);
  REQUIRE(point.type == "POINT");
  REQUIRE(point.rings.size() == 1);
  CHECK(grid.near(point.rings[0][0], {100, 200}));

  const auto& line = features[1];
  CHECK(line.id == 8);
  CHECK(line.fields.at("name") == "丹东 shared");
  REQUIRE(line.type == "LINESTRING");
  const std::vector<TilePoint> expectedLine{{-10, 50}, {300, 50}, {300, 4000}, {4100, 4000}};
  REQUIRE(line.rings[0].size() == expectedLine.size());
  for (std::size_t i = 0; i < expectedLine.size(); ++i) CHECK(grid.near(line.rings[0][i], expectedLine[i]));

  const auto& polygon = features[2];
  CHECK(polygon.id == -1);
  CHECK(polygon.fields.at("count") == "3");
  // GDAL tells exterior rings from holes by their winding: one polygon with one hole, not two.
  REQUIRE(polygon.type == "POLYGON");
  REQUIRE(polygon.rings.size() == 2);
  CHECK(polygon.rings[0].size() == 5);
  CHECK(polygon.rings[1].size() == 5);
  // GDAL accepts either winding, so the tile's own is checked: exterior clockwise, hole not.
  CHECK(test::signedArea(polygon.rings[0]) < 0);
  CHECK(test::signedArea(polygon.rings[1]) > 0);
  CHECK(std::fabs(polygon.area - grid.area(1000 * 1000 - 200 * 200)) < grid.area(1000 * 1000) * 1e-9);
  for (const auto& p : polygon.rings[0]) {
    CHECK((grid.near(p, {1000, 1000}) || grid.near(p, {1000, 2000}) || grid.near(p, {2000, 2000}) ||
           grid.near(p, {2000, 1000})));
  }
}

TEST_CASE("a gzipped tile inflates to the same bytes and reads back") {
  const std::string tile = sampleTile();
  const auto packed = exports::mvt::gzip(tile);
  REQUIRE(packed.size() > 2);
  CHECK(packed[0] == 0x1F);
  CHECK(packed[1] == 0x8B);
  CHECK(test::gunzip(packed) == tile);
  CHECK(test::decodeTile(std::string(packed.begin(), packed.end()), kZ, kX, kY).size() == 3);
}

TEST_CASE("geometry commands: cursor carried across parts, degenerate parts left out") {
  std::vector<std::uint32_t> out;
  exports::mvt::GeometryWriter writer(out);
  std::vector<TilePoint> first{{1, 1}, {3, 1}};
  std::vector<TilePoint> same{{5, 5}, {5, 5}, {5, 5}};
  std::vector<TilePoint> second{{3, 4}, {3, 6}};
  CHECK(writer.lineString(first));
  CHECK_FALSE(writer.lineString(same));
  CHECK(writer.lineString(second));
  // MoveTo(1) 1,1  LineTo(1) +2,0  MoveTo(1) 0,+3 (from 3,1)  LineTo(1) 0,+2; zigzag: 2n or -2n-1.
  const std::vector<std::uint32_t> expected{9, 2, 2, 10, 4, 0, 9, 0, 6, 10, 0, 4};
  CHECK(out == expected);
}
