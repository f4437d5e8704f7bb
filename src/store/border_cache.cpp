#include "store/border_cache.h"

#include "store/plain_point.h"

namespace borderlens::store {

const geo::BorderDistance* BorderCache::lines() {
  if (!m_loaded) set(m_read());
  return m_lines.get();
}

void BorderCache::set(const std::vector<std::string>& lineWkts) {
  m_lines = lineWkts.empty() ? nullptr : std::make_unique<geo::BorderDistance>(lineWkts);
  m_loaded = true;
}

void BorderCache::forget() {
  m_lines.reset();
  m_loaded = false;
}

std::optional<double> BorderCache::km(const std::string& wkt) {
  const geo::BorderDistance* border = lines();
  if (!border) return std::nullopt;
  if (const auto point = plainPoint(wkt)) return border->distanceKm(point->first, point->second);
  return border->distanceKm(wkt);
}

} // namespace borderlens::store
