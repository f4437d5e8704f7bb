#pragma once

#include "geo/border_distance.h"
#include "store/store.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace borderlens::store {

// The coordinates of "POINT(x y)" with plain decimals ("-12.5": no sign '+', exponent or
// spaces), the WKT importers write for a point; such a point is stored without WKT parsing
// (SpatiaLite's and GEOS's parsers cost more than the rest of the row). Both parsers read a plain
// decimal to the same nearest double as from_chars, and a plain decimal is always finite. Any
// other WKT is for the general path.
std::optional<std::pair<double, double>> plainPoint(std::string_view wkt);

// Whether a lon/lat point lies within [-180, 180] x [-90, 90], the range both stores accept.
bool inLonLatRange(const std::pair<double, double>& point);

// A store's encoding of a plain point in range; nullopt where it refuses the point.
using PointEncoder =
    std::function<std::optional<std::vector<std::uint8_t>>(const std::pair<double, double>&)>;

// The Store::pointPreparer() of a store that encodes points with `encode` and measures against
// `border` (null: no border). The preparer measures with a copy of the border of its own, as a
// BorderDistance serves one thread.
PointPreparer pointPreparerFor(const geo::BorderDistance* border, PointEncoder encode);

} // namespace borderlens::store
