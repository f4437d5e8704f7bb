#pragma once

#include "geo/border_distance.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace borderlens::store {

// The border lines a store measures distances to: read from its database at first use, replaced
// when the store writes new ones, and forgotten when a restore may have changed them.
class BorderCache {
 public:
  // Reads the lines as WKT, in id order.
  using Reader = std::function<std::vector<std::string>()>;
  explicit BorderCache(Reader read) : m_read(std::move(read)) {}

  // Null where the database holds no border line.
  const geo::BorderDistance* lines();
  void set(const std::vector<std::string>& lineWkts);
  void forget();
  // The geodesic distance from a geometry to the border; nullopt without border lines.
  std::optional<double> km(const std::string& wkt);

 private:
  Reader m_read;
  std::unique_ptr<geo::BorderDistance> m_lines;
  bool m_loaded = false;
};

} // namespace borderlens::store
