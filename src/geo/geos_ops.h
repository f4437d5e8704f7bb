#pragma once

#include <string>

namespace borderlens::geo {

// WKT (EPSG:4326, lon/lat) to an RFC 7946 GeoJSON geometry object, through GEOS's reader and
// GeoJSON writer. Throws std::invalid_argument naming the WKT when GEOS cannot parse it.
std::string wktToGeoJson(const std::string& wkt);

} // namespace borderlens::geo
