#include "geo/mercator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace borderlens::geo {

Mercator lonLatToMercator(double lon, double lat) {
  const double clamped = std::clamp(lat, -kMaxMercatorLat, kMaxMercatorLat);
  const double phi = clamped * std::numbers::pi / 180.0;
  return {kEarthRadiusM * lon * std::numbers::pi / 180.0,
          kEarthRadiusM * std::log(std::tan(std::numbers::pi / 4.0 + phi / 2.0))};
}

void mercatorToLonLat(const Mercator& m, double& lon, double& lat) {
  lon = m.x / kEarthRadiusM * 180.0 / std::numbers::pi;
  lat = (2.0 * std::atan(std::exp(m.y / kEarthRadiusM)) - std::numbers::pi / 2.0) * 180.0 /
        std::numbers::pi;
}

TileId tileFor(double lon, double lat, std::uint32_t z) {
  const double n = std::ldexp(1.0, static_cast<int>(z));
  const double clamped = std::clamp(lat, -kMaxMercatorLat, kMaxMercatorLat);
  const double phi = clamped * std::numbers::pi / 180.0;
  const double fx = (lon + 180.0) / 360.0 * n;
  const double fy = (1.0 - std::asinh(std::tan(phi)) / std::numbers::pi) / 2.0 * n;
  const auto clampTile = [n](double v) {
    return static_cast<std::uint32_t>(std::clamp(std::floor(v), 0.0, n - 1));
  };
  return {z, clampTile(fx), clampTile(fy)};
}

double metresPerPixel(double lat, double zoom) {
  return 2 * std::numbers::pi * kEarthRadiusM * std::cos(lat * std::numbers::pi / 180.0) /
         (256.0 * std::exp2(zoom));
}

} // namespace borderlens::geo
