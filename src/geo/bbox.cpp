#include "geo/bbox.h"

#include "core/errors.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <vector>

namespace borderlens::geo {

void BBox::expand(double lon, double lat) {
  west = std::min(west, lon);
  east = std::max(east, lon);
  south = std::min(south, lat);
  north = std::max(north, lat);
}

BBox parseBBox(std::string_view text) {
  const auto fail = [&](const std::string& why) {
    throw core::UsageError("invalid bbox '" + std::string(text) + "': " + why);
  };
  std::vector<double> values;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string_view part =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    double value = 0;
    const auto result = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || result.ec != std::errc{} || result.ptr != part.data() + part.size()) {
      fail("expected four numbers W,S,E,N");
    }
    if (!std::isfinite(value)) fail("coordinates must be finite");
    values.push_back(value);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (values.size() != 4) fail("expected four numbers W,S,E,N");
  const BBox box{values[0], values[1], values[2], values[3]};
  if (box.west < -180 || box.east > 180) fail("longitudes must lie in [-180, 180]");
  if (box.south < -90 || box.north > 90) fail("latitudes must lie in [-90, 90]");
  if (box.west > box.east) fail("west is greater than east");
  if (box.south > box.north) fail("south is greater than north");
  return box;
}

} // namespace borderlens::geo
