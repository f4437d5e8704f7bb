#pragma once

#include "geo/bbox.h"

namespace borderlens::geo {

// Distance on the WGS 84 ellipsoid in metres (PROJ's geodesic routines, Karney's algorithm).
double geodesicDistanceM(double lon1, double lat1, double lon2, double lat2);

// A box that certainly contains every point within `radiusM` metres of (lon, lat): the cheap
// index pre-filter before an exact geodesic test.
BBox boundsAround(double lon, double lat, double radiusM);

} // namespace borderlens::geo
