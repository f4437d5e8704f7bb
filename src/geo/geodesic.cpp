#include "geo/geodesic.h"

#include <geodesic.h>

#include <algorithm>
#include <cmath>

namespace borderlens::geo {

namespace {

const geod_geodesic& wgs84() {
  static const geod_geodesic g = [] {
    geod_geodesic value{};
    geod_init(&value, 6378137.0, 1 / 298.257223563);
    return value;
  }();
  return g;
}

} // namespace

double geodesicDistanceM(double lon1, double lat1, double lon2, double lat2) {
  double distance = 0;
  geod_inverse(&wgs84(), lat1, lon1, lat2, lon2, &distance, nullptr, nullptr);
  return distance;
}

BBox boundsAround(double lon, double lat, double radiusM) {
  // Walk the radius due north, south, east and west on the ellipsoid; east/west are widened by
  // the latitude that is furthest from the equator, where a degree of longitude is shortest.
  double north = 0, south = 0, ignoredLon = 0;
  geod_direct(&wgs84(), lat, lon, 0, radiusM, &north, &ignoredLon, nullptr);
  geod_direct(&wgs84(), lat, lon, 180, radiusM, &south, &ignoredLon, nullptr);
  north = std::min(north, 90.0);
  south = std::max(south, -90.0);
  const double extremeLat = std::max(std::abs(north), std::abs(south));
  if (extremeLat >= 89.9) return {-180, south, 180, north};
  double eastLat = 0, eastLon = 0;
  geod_direct(&wgs84(), extremeLat, lon, 90, radiusM, &eastLat, &eastLon, nullptr);
  const double dLon = std::abs(eastLon - lon) * 1.01;
  return {std::max(-180.0, lon - dLon), south, std::min(180.0, lon + dLon), north};
}

} // namespace borderlens::geo
