#pragma once

#include <optional>
#include <string_view>
#include <utility>

namespace borderlens::store {

// The coordinates of "POINT(x y)" with plain decimals ("-12.5": no sign '+', exponent or
// spaces), the WKT importers write for a point; such a point is stored without WKT parsing
// (SpatiaLite's and GEOS's parsers cost more than the rest of the row). Both parsers read a plain
// decimal to the same nearest double as from_chars, and a plain decimal is always finite. Any
// other WKT is for the general path.
std::optional<std::pair<double, double>> plainPoint(std::string_view wkt);

// Whether a lon/lat point lies within [-180, 180] x [-90, 90], the range both stores accept.
bool inLonLatRange(const std::pair<double, double>& point);

} // namespace borderlens::store
