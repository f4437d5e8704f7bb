#include "store/plain_point.h"

#include <charconv>
#include <cstddef>
#include <memory>
#include <system_error>

namespace borderlens::store {

namespace {

// Reads a plain decimal at `text`, moving past it.
std::optional<double> plainDecimal(std::string_view& text) {
  std::size_t i = text.empty() || text[0] != '-' ? 0 : 1;
  const std::size_t digits = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == digits) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    const std::size_t fraction = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == fraction) return std::nullopt;
  }
  double value = 0;
  if (std::from_chars(text.data(), text.data() + i, value).ec != std::errc()) return std::nullopt;
  text.remove_prefix(i);
  return value;
}

} // namespace

std::optional<std::pair<double, double>> plainPoint(std::string_view wkt) {
  constexpr std::string_view kPrefix = "POINT(";
  if (wkt.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  wkt.remove_prefix(kPrefix.size());
  const auto x = plainDecimal(wkt);
  if (!x || wkt.empty() || wkt[0] != ' ') return std::nullopt;
  wkt.remove_prefix(1);
  const auto y = plainDecimal(wkt);
  if (!y || wkt != ")") return std::nullopt;
  return std::pair{*x, *y};
}

PointPreparer pointPreparerFor(const geo::BorderDistance* border, PointEncoder encode) {
  std::shared_ptr<const geo::BorderDistance> lines;
  if (border) lines = std::make_shared<geo::BorderDistance>(border->lineWkts());
  return [lines, encode = std::move(encode)](const std::string& wkt) -> std::optional<PreparedPoint> {
    const auto point = plainPoint(wkt);
    auto encoded = point ? encode(*point) : std::nullopt;
    if (!encoded) return std::nullopt;
    PreparedPoint prepared{std::move(*encoded), std::nullopt};
    if (lines) prepared.borderKm = lines->distanceKm(point->first, point->second);
    return prepared;
  };
}

bool inLonLatRange(const std::pair<double, double>& point) {
  return point.first >= -180 && point.first <= 180 && point.second >= -90 && point.second <= 90;
}

} // namespace borderlens::store
