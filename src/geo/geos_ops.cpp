#include "geo/geos_ops.h"

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <memory>
#include <stdexcept>

namespace borderlens::geo {

namespace {

// One GEOS context per thread: the _r API is thread-safe only with a context per thread.
class GeosContext {
 public:
  GeosContext() : m_handle(GEOS_init_r()) {}
  ~GeosContext() { GEOS_finish_r(m_handle); }
  GeosContext(const GeosContext&) = delete;
  GeosContext& operator=(const GeosContext&) = delete;
  GEOSContextHandle_t handle() const { return m_handle; }

 private:
  GEOSContextHandle_t m_handle;
};

GEOSContextHandle_t context() {
  thread_local GeosContext ctx;
  return ctx.handle();
}

} // namespace

std::string wktToGeoJson(const std::string& wkt) {
  GEOSContextHandle_t h = context();
  GEOSWKTReader* reader = GEOSWKTReader_create_r(h);
  GEOSGeometry* geometry = GEOSWKTReader_read_r(h, reader, wkt.c_str());
  GEOSWKTReader_destroy_r(h, reader);
  if (!geometry) throw std::invalid_argument("unreadable WKT: " + wkt.substr(0, 80));
  GEOSGeoJSONWriter* writer = GEOSGeoJSONWriter_create_r(h);
  char* json = GEOSGeoJSONWriter_writeGeometry_r(h, writer, geometry, -1);
  GEOSGeoJSONWriter_destroy_r(h, writer);
  GEOSGeom_destroy_r(h, geometry);
  if (!json) throw std::invalid_argument("GEOS cannot write GeoJSON for: " + wkt.substr(0, 80));
  std::string out(json);
  GEOSFree_r(h, json);
  return out;
}

} // namespace borderlens::geo
