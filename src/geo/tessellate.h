#pragma once

#include <string>
#include <vector>

namespace borderlens::geo {

struct Vec2 {
  double x = 0;
  double y = 0;
};

// A geometry taken apart for drawing, in its own coordinates (lon/lat for the map):
// - lines: every linestring and every polygon ring (outlines);
// - triangles: polygons cut into triangles (three Vec2 per triangle) by GEOS's constrained
//   Delaunay triangulation, which honours holes;
// - points.
struct DrawParts {
  std::vector<std::vector<Vec2>> lines;
  std::vector<Vec2> triangles;
  std::vector<Vec2> points;
};

// Reads WKB (ISO or extended, as GDAL and SpatiaLite write it). Throws std::invalid_argument
// for unreadable input. Invalid polygons are repaired (GEOSMakeValid) before triangulation, so
// a self-intersecting ring still fills.
DrawParts decomposeWkb(const std::string& wkb, bool triangulate);

} // namespace borderlens::geo
