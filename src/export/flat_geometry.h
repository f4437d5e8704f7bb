#pragma once

#include "export/layers.h"

#include <cstdint>
#include <string_view>
#include <vector>

namespace borderlens::exports {

enum class ShapeKind : std::uint8_t {
  Point,
  LineString,
  Polygon,
  Ring,  // a polygon's boundary
  MultiPoint,
  MultiLineString,
  MultiPolygon,
  Collection,
};

// A geometry as two flat arrays, for the writers that format coordinates themselves (GeoJSON,
// KML). Reading a record's geometry into one reused FlatGeometry allocates nothing once its
// arrays have grown, where OGR builds and frees a geometry object (and formats each coordinate
// through printf) per record: for 100,000 points that was most of an export's writing time.
struct FlatGeometry {
  struct Node {
    ShapeKind kind;
    std::uint32_t count;  // positions of a Point (0 or 1), LineString or Ring; parts of the others
  };
  std::vector<Node> nodes;        // depth first: a node, then its parts
  std::vector<double> ordinates;  // every position in node order, `dims` values each
  int dims = 2;                   // 2 (x, y) or 3 (x, y, z); M values are left out

  void clear() {
    nodes.clear();
    ordinates.clear();
    dims = 2;
  }
  bool empty() const { return nodes.empty() || nodes.front().count == 0; }
};

// WKT of the simple features (POINT ... GEOMETRYCOLLECTION; any case; Z, M, ZM; EMPTY) and ISO
// WKB of the same. False for anything else, or a coordinate that is not a finite number.
bool readWkt(std::string_view wkt, FlatGeometry& out);
bool readWkb(std::string_view wkb, FlatGeometry& out);

enum class GeometryRead { None, Read, Unreadable };

// A record's geometry (its WKT, or WKB for base layers). What readWkt/readWkb do not take
// (curves, "+1" numbers) goes through OGR: linearised, then read from its ISO WKB. None for no
// geometry or an empty one; Unreadable where OGR cannot read it either.
GeometryRead readGeometry(const Record& record, FlatGeometry& out);

} // namespace borderlens::exports
