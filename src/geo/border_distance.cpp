#include "geo/border_distance.h"

#include "geo/geodesic.h"
#include "geo/mercator.h"

#define GEOS_USE_ONLY_R_API
#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <geos_c.h>

#include <cmath>
#include <stdexcept>

namespace borderlens::geo {

namespace {

int toMercator(double* x, double* y, void*) {
  const Mercator m = lonLatToMercator(*x, *y);
  *x = m.x;
  *y = m.y;
  return 1;
}

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using SegmentPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using Segment = bg::model::segment<SegmentPoint>;

// GEOS's LineSegment::closestPoint, to the same arithmetic, so that a point measures to the same
// nearest point either way.
Mercator closestOnSegment(const Segment& segment, const Mercator& p) {
  const double x0 = bg::get<0, 0>(segment), y0 = bg::get<0, 1>(segment);
  const double x1 = bg::get<1, 0>(segment), y1 = bg::get<1, 1>(segment);
  const double dx = x1 - x0, dy = y1 - y0;
  const double length2 = dx * dx + dy * dy;
  if (length2 > 0) {
    const double r = ((p.x - x0) * dx + (p.y - y0) * dy) / length2;
    if (r > 0 && r < 1) return {x0 + r * dx, y0 + r * dy};
  }
  return std::hypot(p.x - x0, p.y - y0) <= std::hypot(p.x - x1, p.y - y1) ? Mercator{x0, y0}
                                                                           : Mercator{x1, y1};
}

} // namespace

struct BorderDistance::Impl {
  GEOSContextHandle_t handle = GEOS_init_r();
  // Made once: an import measures every row.
  GEOSWKTReader* reader = GEOSWKTReader_create_r(handle);
  GEOSGeometry* border = nullptr;
  const GEOSPreparedGeometry* prepared = nullptr;
  // The border's segments in Web Mercator, for points: GEOS's prepared nearest points allocate a
  // geometry, a facet sequence and a coordinate sequence per call, which was 40% of reading a
  // million-row incidents file; this tree answers a point without allocating.
  bgi::rtree<Segment, bgi::rstar<16>> segments;

  ~Impl() {
    if (prepared) GEOSPreparedGeom_destroy_r(handle, prepared);
    if (border) GEOSGeom_destroy_r(handle, border);
    GEOSWKTReader_destroy_r(handle, reader);
    GEOS_finish_r(handle);
  }

  GEOSGeometry* readMercator(const std::string& wkt) const {
    GEOSGeometry* g = GEOSWKTReader_read_r(handle, reader, wkt.c_str());
    if (!g) throw std::invalid_argument("unreadable WKT: " + wkt.substr(0, 80));
    GEOSGeometry* projected = GEOSGeom_transformXY_r(handle, g, &toMercator, nullptr);
    GEOSGeom_destroy_r(handle, g);
    if (!projected) throw std::invalid_argument("cannot project: " + wkt.substr(0, 80));
    return projected;
  }

  double distanceKm(GEOSGeometry* g, const std::string& what) const;
};

BorderDistance::BorderDistance(const std::vector<std::string>& lineWkts)
    : m_impl(std::make_unique<Impl>()), m_lineWkts(lineWkts) {
  GEOSContextHandle_t h = m_impl->handle;
  // One MultiLineString: GEOS prepares that with an indexed facet distance, where a generic
  // collection falls back to comparing every segment.
  std::vector<GEOSGeometry*> parts;
  for (const auto& wkt : lineWkts) {
    GEOSGeometry* g = m_impl->readMercator(wkt);
    if (GEOSGeomTypeId_r(h, g) == GEOS_LINESTRING) {
      parts.push_back(g);
      continue;
    }
    const int count = GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < count; ++i) {
      const GEOSGeometry* part = GEOSGetGeometryN_r(h, g, i);
      if (GEOSGeomTypeId_r(h, part) == GEOS_LINESTRING) parts.push_back(GEOSGeom_clone_r(h, part));
    }
    GEOSGeom_destroy_r(h, g);
  }
  if (parts.empty()) throw std::invalid_argument("no border lines");
  std::vector<Segment> segments;
  for (const GEOSGeometry* part : parts) {
    const GEOSCoordSequence* coordinates = GEOSGeom_getCoordSeq_r(h, part);
    unsigned size = 0;
    GEOSCoordSeq_getSize_r(h, coordinates, &size);
    for (unsigned i = 1; i < size; ++i) {
      double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
      GEOSCoordSeq_getXY_r(h, coordinates, i - 1, &x0, &y0);
      GEOSCoordSeq_getXY_r(h, coordinates, i, &x1, &y1);
      segments.emplace_back(SegmentPoint(x0, y0), SegmentPoint(x1, y1));
    }
  }
  // Built by the range constructor, which packs the tree (Boost's bulk loading): a better tree
  // than one filled by inserts.
  m_impl->segments = decltype(m_impl->segments)(segments);
  m_impl->border = GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, parts.data(), static_cast<unsigned>(parts.size()));
  m_impl->prepared = GEOSPrepare_r(m_impl->handle, m_impl->border);
}

BorderDistance::~BorderDistance() = default;

double BorderDistance::distanceKm(const std::string& wkt) const {
  return m_impl->distanceKm(m_impl->readMercator(wkt), wkt);
}

double BorderDistance::distanceKm(double lon, double lat) const {
  const Mercator m = lonLatToMercator(lon, lat);
  Segment nearest;
  if (m_impl->segments.query(bgi::nearest(SegmentPoint(m.x, m.y), 1), &nearest) == 0) {
    throw std::invalid_argument("no border segment");
  }
  double lon1 = 0, lat1 = 0, lon2 = 0, lat2 = 0;
  mercatorToLonLat(closestOnSegment(nearest, m), lon1, lat1);
  mercatorToLonLat(m, lon2, lat2);
  return geodesicDistanceM(lon1, lat1, lon2, lat2) / 1000.0;
}

// Takes `g` (Web Mercator) and destroys it.
double BorderDistance::Impl::distanceKm(GEOSGeometry* g, const std::string& what) const {
  GEOSContextHandle_t h = handle;
  GEOSCoordSequence* nearest = GEOSPreparedNearestPoints_r(h, prepared, g);
  GEOSGeom_destroy_r(h, g);
  if (!nearest) throw std::invalid_argument("no nearest point for: " + what.substr(0, 80));
  Mercator onBorder, onGeometry;
  GEOSCoordSeq_getXY_r(h, nearest, 0, &onBorder.x, &onBorder.y);
  GEOSCoordSeq_getXY_r(h, nearest, 1, &onGeometry.x, &onGeometry.y);
  GEOSCoordSeq_destroy_r(h, nearest);
  double lon1 = 0, lat1 = 0, lon2 = 0, lat2 = 0;
  mercatorToLonLat(onBorder, lon1, lat1);
  mercatorToLonLat(onGeometry, lon2, lat2);
  return geodesicDistanceM(lon1, lat1, lon2, lat2) / 1000.0;
}

} // namespace borderlens::geo
