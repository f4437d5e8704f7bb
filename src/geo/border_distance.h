#pragma once

#include <memory>
#include <string>
#include <vector>

namespace borderlens::geo {

// Distance from any geometry to a set of border lines, in kilometres on the ellipsoid. The
// nearest point on the border is found in Web Mercator, which is conformal (so the nearest point
// is right locally), with GEOS (for a point, with an R-tree of the border's segments), and the
// distance to it is then measured geodesically (PROJ):
// exact where it matters, and a prepared geometry answers in microseconds, against the
// milliseconds SpatiaLite's ellipsoidal ST_Distance spends re-reading the border every row.
class BorderDistance {
 public:
  // `lineWkts`: WKT lines in EPSG:4326 lon/lat. Throws std::invalid_argument for bad WKT.
  explicit BorderDistance(const std::vector<std::string>& lineWkts);
  ~BorderDistance();
  BorderDistance(const BorderDistance&) = delete;
  BorderDistance& operator=(const BorderDistance&) = delete;

  // Kilometres from the geometry (WKT, lon/lat) to the nearest border line; 0 when they meet.
  double distanceKm(const std::string& wkt) const;
  // The same for the point (lon, lat), without reading WKT.
  double distanceKm(double lon, double lat) const;
  // The lines it measures against, to build another for another thread: one measures on one
  // thread at a time (its GEOS handle and prepared geometry are not shared).
  const std::vector<std::string>& lineWkts() const { return m_lineWkts; }

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::vector<std::string> m_lineWkts;
};

} // namespace borderlens::geo
