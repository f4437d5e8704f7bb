#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace borderlens::geo {

// A lon/lat box in EPSG:4326 degrees. West may exceed east only across the antimeridian, which
// the border region never touches, so such a box is rejected rather than wrapped.
struct BBox {
  double west = 0;
  double south = 0;
  double east = 0;
  double north = 0;

  bool contains(double lon, double lat) const {
    return lon >= west && lon <= east && lat >= south && lat <= north;
  }
  bool intersects(const BBox& o) const {
    return west <= o.east && o.west <= east && south <= o.north && o.south <= north;
  }
  void expand(double lon, double lat);
  bool operator==(const BBox&) const = default;
};

// Parses "W,S,E,N"; throws core::UsageError naming the text and the problem (not four numbers,
// NaN, out of range, west > east, south > north).
BBox parseBBox(std::string_view text);

} // namespace borderlens::geo
