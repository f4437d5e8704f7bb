#include "core/errors.h"
#include "geo/bbox.h"
#include "geo/geodesic.h"
#include "geo/border_distance.h"
#include "geo/geos_ops.h"
#include "geo/mercator.h"
#include "geo/proj_transform.h"

#include <doctest/doctest.h>

#include <charconv>
#include <cmath>
#include <string>
#include <vector>

using namespace borderlens;

TEST_CASE("bbox parsing validates every part") {
  const auto box = geo::parseBBox("124.2,39.9,124.6,40.2");
  CHECK(box.west == doctest::Approx(124.2));
  CHECK(box.north == doctest::Approx(40.2));
  for (const char* bad : {"", "1,2,3", "1,2,3,4,5", "a,2,3,4", "1,,3,4", "3,2,1,4", "1,4,3,2",
                          "-181,0,0,1", "0,-91,1,0", "nan,0,1,1", "inf,0,1,1", "1,2,3,4 "}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(geo::parseBBox(bad), core::UsageError);
  }
}

TEST_CASE("geodesic distance matches known values") {
  // Dandong (124.3545 E, 40.0003 N) to Sinuiju (124.398 E, 40.100 N): about 11.8 km.
  const double d = geo::geodesicDistanceM(124.3545, 40.0003, 124.398, 40.100);
  CHECK(d == doctest::Approx(11760).epsilon(0.01));
  // One degree of latitude at 40 N is 111.03 km on WGS 84.
  CHECK(geo::geodesicDistanceM(124, 39.5, 124, 40.5) == doctest::Approx(111034).epsilon(0.001));
}

TEST_CASE("bounds around a point contain the whole circle") {
  const auto box = geo::boundsAround(124.4, 40.1, 50000);
  for (double bearing = 0; bearing < 360; bearing += 15) {
    // Points 49.9 km away in every direction must be inside.
    const double rad = bearing * M_PI / 180;
    const double lat = 40.1 + 0.449 * std::cos(rad);
    const double lon = 124.4 + 0.449 / std::cos(40.1 * M_PI / 180) * std::sin(rad);
    if (geo::geodesicDistanceM(124.4, 40.1, lon, lat) <= 50000) CHECK(box.contains(lon, lat));
  }
  CHECK_FALSE(box.contains(124.4, 40.6));
}

TEST_CASE("web mercator closed forms agree with PROJ") {
  geo::ProjTransform transform("EPSG:4326", "EPSG:3857");
  for (const auto& [lon, lat] : std::vector<std::pair<double, double>>{
           {124.3545, 40.0003}, {129.7, 42.9}, {117.0, 36.0}, {0, 0}, {-70, -33}}) {
    double x = lon, y = lat;
    REQUIRE(transform.forward(x, y));
    const auto m = geo::lonLatToMercator(lon, lat);
    CHECK(m.x == doctest::Approx(x).epsilon(1e-9));
    CHECK(m.y == doctest::Approx(y).epsilon(1e-9));
    double backLon = 0, backLat = 0;
    geo::mercatorToLonLat(m, backLon, backLat);
    CHECK(backLon == doctest::Approx(lon).epsilon(1e-12));
    CHECK(backLat == doctest::Approx(lat).epsilon(1e-12));
  }
  CHECK_THROWS(geo::ProjTransform("EPSG:4326", "EPSG:999999"));
}

TEST_CASE("tile math") {
  const auto tile = geo::tileFor(124.3545, 40.0003, 10);
  CHECK(tile.x == 865);
  CHECK(tile.y == 387);  // 387.6 by the closed form
  CHECK(geo::tileFor(0, 0, 0).x == 0);
  CHECK(geo::metresPerPixel(0, 0) == doctest::Approx(156543.03).epsilon(1e-6));
}

TEST_CASE("WKT becomes GeoJSON through GEOS") {
  CHECK(geo::wktToGeoJson("POINT(124.5 40.25)") ==
        R"({"type":"Point","coordinates":[124.5,40.25]})");
  CHECK_THROWS_AS(geo::wktToGeoJson("POINT(124.5"), std::invalid_argument);
}

TEST_CASE("a point measures to the border as GEOS measures it, through the segment tree") {
  // A river-like line of many short segments, a second piece and a closed ring: points near
  // vertices, near the middle of segments, and far away all find the same nearest point.
  std::string river = "LINESTRING(";
  for (int i = 0; i <= 400; ++i) {
    const double lon = 124.0 + i * 0.005;
    const double lat = 40.0 + 0.05 * std::sin(i * 0.3) + 0.001 * (i % 7);
    river += (i ? ", " : "") + std::to_string(lon) + " " + std::to_string(lat);
  }
  river += ")";
  const geo::BorderDistance border(
      {river, "MULTILINESTRING((126 41, 126.3 41.8, 127 42))", "LINESTRING(128 40, 128.5 40, 128.5 40.5, 128 40)"});
  const auto wkt = [](double lon, double lat) {
    char buffer[80];
    char* end = std::to_chars(buffer, buffer + 30, lon).ptr;
    *end++ = ' ';
    end = std::to_chars(end, buffer + 70, lat).ptr;
    return "POINT(" + std::string(buffer, end) + ")";
  };
  int checked = 0;
  for (int i = 0; i < 2000; ++i) {
    // A fixed spread over the region, from on the line to hundreds of kilometres off it.
    const double lon = 123.0 + std::fmod(i * 0.7548776662, 1.0) * 6.0;
    const double lat = 38.5 + std::fmod(i * 0.5698402910, 1.0) * 5.0;
    const double byTree = border.distanceKm(lon, lat);
    const double byGeos = border.distanceKm(wkt(lon, lat));
    INFO(wkt(lon, lat));
    REQUIRE(byTree == doctest::Approx(byGeos).epsilon(1e-12));
    ++checked;
  }
  CHECK(checked == 2000);
  // On a vertex (as the WKT above rounds it).
  const double vertexLat = std::stod(std::to_string(40.0 + 0.05 * std::sin(100 * 0.3) + 0.001 * (100 % 7)));
  CHECK(border.distanceKm(124.5, vertexLat) == doctest::Approx(0).epsilon(1e-9));
}

TEST_CASE("distance to the border is geodesic, from points and from areas") {
  // Two border pieces: a parallel at 40 N and a short meridian segment further east.
  const geo::BorderDistance border({"LINESTRING(124 40, 125 40)", "MULTILINESTRING((126 41, 126 42))"});
  CHECK(border.distanceKm("POINT(124.5 40)") == doctest::Approx(0).epsilon(1e-9));
  // One degree of latitude north of the line: 111.05 km on WGS 84 between 40 N and 41 N.
  CHECK(border.distanceKm("POINT(124.5 41)") == doctest::Approx(geo::geodesicDistanceM(124.5, 40, 124.5, 41) / 1000).epsilon(1e-4));
  // The nearest piece counts: this point lies 0.1 degree of longitude west of the meridian one.
  CHECK(border.distanceKm("POINT(125.9 41.5)") == doctest::Approx(geo::geodesicDistanceM(125.9, 41.5, 126, 41.5) / 1000).epsilon(1e-3));
  // A polygon touching the line is at distance zero.
  CHECK(border.distanceKm("POLYGON((124.2 39.5, 124.4 39.5, 124.4 40.1, 124.2 40.1, 124.2 39.5))") == doctest::Approx(0));
  CHECK_THROWS_AS(border.distanceKm("POINT(1"), std::invalid_argument);
}
