#include "geo/tessellate.h"

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <cmath>
#include <memory>
#include <stdexcept>

namespace borderlens::geo {

namespace {

class Handle {
 public:
  Handle() : m_handle(GEOS_init_r()) {}
  ~Handle() { GEOS_finish_r(m_handle); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  GEOSContextHandle_t get() const { return m_handle; }

 private:
  GEOSContextHandle_t m_handle;
};

GEOSContextHandle_t context() {
  thread_local Handle handle;
  return handle.get();
}

struct GeomDeleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(context(), g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

std::vector<Vec2> coordinates(GEOSContextHandle_t h, const GEOSGeometry* g) {
  const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, g);
  unsigned size = 0;
  GEOSCoordSeq_getSize_r(h, seq, &size);
  std::vector<Vec2> out(size);
  for (unsigned i = 0; i < size; ++i) GEOSCoordSeq_getXY_r(h, seq, i, &out[i].x, &out[i].y);
  return out;
}

void triangulate(GEOSContextHandle_t h, const GEOSGeometry* polygon, DrawParts& parts);

// Constrained Delaunay triangulation costs far more than linear time in a polygon's vertex
// count: the full-resolution mainland (tens of thousands of vertices) takes seconds whole, but
// a fraction of that cut into grid cells first. Fill rendering does not care where the seams are.
constexpr int kSplitVertices = 2000;
constexpr double kCellDegrees = 0.5;

void triangulateInCells(GEOSContextHandle_t h, const GEOSGeometry* polygon, DrawParts& parts) {
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  GEOSGeom_getXMin_r(h, polygon, &xmin);
  GEOSGeom_getYMin_r(h, polygon, &ymin);
  GEOSGeom_getXMax_r(h, polygon, &xmax);
  GEOSGeom_getYMax_r(h, polygon, &ymax);
  for (double x = std::floor(xmin / kCellDegrees) * kCellDegrees; x < xmax; x += kCellDegrees) {
    for (double y = std::floor(ymin / kCellDegrees) * kCellDegrees; y < ymax; y += kCellDegrees) {
      GeomPtr piece(GEOSClipByRect_r(h, polygon, x, y, x + kCellDegrees, y + kCellDegrees));
      if (!piece || GEOSisEmpty_r(h, piece.get())) continue;
      const int count = GEOSGetNumGeometries_r(h, piece.get());
      for (int i = 0; i < count; ++i) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(h, piece.get(), i);
        if (GEOSGeomTypeId_r(h, part) == GEOS_POLYGON) triangulate(h, part, parts);
      }
    }
  }
}

void triangulate(GEOSContextHandle_t h, const GEOSGeometry* polygon, DrawParts& parts) {
  GeomPtr valid;
  if (GEOSisValid_r(h, polygon) != 1) {
    valid.reset(GEOSMakeValid_r(h, polygon));
    if (!valid) return;
    polygon = valid.get();
  }
  GeomPtr triangles(GEOSConstrainedDelaunayTriangulation_r(h, polygon));
  if (!triangles) return;
  const int count = GEOSGetNumGeometries_r(h, triangles.get());
  for (int i = 0; i < count; ++i) {
    const GEOSGeometry* triangle = GEOSGetGeometryN_r(h, triangles.get(), i);
    if (GEOSGeomTypeId_r(h, triangle) != GEOS_POLYGON) continue;
    const auto ring = coordinates(h, GEOSGetExteriorRing_r(h, triangle));
    if (ring.size() >= 3) parts.triangles.insert(parts.triangles.end(), ring.begin(), ring.begin() + 3);
  }
}

void collect(GEOSContextHandle_t h, const GEOSGeometry* g, bool fill, DrawParts& parts) {
  switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POINT: {
      const auto c = coordinates(h, g);
      if (!c.empty()) parts.points.push_back(c.front());
      break;
    }
    case GEOS_LINESTRING:
    case GEOS_LINEARRING: parts.lines.push_back(coordinates(h, g)); break;
    case GEOS_POLYGON: {
      parts.lines.push_back(coordinates(h, GEOSGetExteriorRing_r(h, g)));
      const int holes = GEOSGetNumInteriorRings_r(h, g);
      for (int i = 0; i < holes; ++i) parts.lines.push_back(coordinates(h, GEOSGetInteriorRingN_r(h, g, i)));
      if (fill) {
        if (GEOSGetNumCoordinates_r(h, g) > kSplitVertices) triangulateInCells(h, g, parts);
        else triangulate(h, g, parts);
      }
      break;
    }
    default: {
      const int count = GEOSGetNumGeometries_r(h, g);
      for (int i = 0; i < count; ++i) collect(h, GEOSGetGeometryN_r(h, g, i), fill, parts);
      break;
    }
  }
}

} // namespace

DrawParts decomposeWkb(const std::string& wkb, bool fill) {
  GEOSContextHandle_t h = context();
  GEOSWKBReader* reader = GEOSWKBReader_create_r(h);
  GeomPtr geometry(GEOSWKBReader_read_r(h, reader, reinterpret_cast<const unsigned char*>(wkb.data()),
                                        wkb.size()));
  GEOSWKBReader_destroy_r(h, reader);
  if (!geometry) throw std::invalid_argument("unreadable WKB geometry");
  DrawParts parts;
  collect(h, geometry.get(), fill, parts);
  return parts;
}

} // namespace borderlens::geo
