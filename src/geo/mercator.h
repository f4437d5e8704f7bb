#pragma once

#include <cstdint>

namespace borderlens::geo {

// Spherical Web Mercator (EPSG:3857) closed forms. The renderer projects many vertices per frame;
// these are the formulas PROJ applies for EPSG:3857, checked against PROJ in tests.
inline constexpr double kEarthRadiusM = 6378137.0;
inline constexpr double kMaxMercatorLat = 85.05112877980659;

struct Mercator {
  double x = 0;
  double y = 0;
};

Mercator lonLatToMercator(double lon, double lat);
void mercatorToLonLat(const Mercator& m, double& lon, double& lat);

struct TileId {
  std::uint32_t z = 0;
  std::uint32_t x = 0;
  std::uint32_t y = 0;
};

// The XYZ tile (y down from the north) that holds a lon/lat point at zoom z.
TileId tileFor(double lon, double lat, std::uint32_t z);
// Metres per pixel at a latitude for 256-pixel tiles at zoom z.
double metresPerPixel(double lat, double zoom);

} // namespace borderlens::geo
