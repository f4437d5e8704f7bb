#include "export/gdal_support.h"

#include <cpl_conv.h>
#include <cpl_error.h>

#include <mutex>

namespace borderlens::exports::gdal {

void ensureRegistered() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

Srs srsFromEpsg(int code) {
  Srs srs(OSRNewSpatialReference(nullptr));
  OSRImportFromEPSG(srs.get(), code);
  OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

Options& Options::set(const std::string& key, const std::string& value) {
  m_items.push_back(key + "=" + value);
  return *this;
}

char** Options::get() {
  m_pointers.clear();
  for (auto& item : m_items) m_pointers.push_back(item.data());
  m_pointers.push_back(nullptr);
  return m_pointers.data();
}

ErrorCapture::ErrorCapture() {
  CPLPushErrorHandler(CPLQuietErrorHandler);
  CPLErrorReset();
}

ErrorCapture::~ErrorCapture() { CPLPopErrorHandler(); }

std::string ErrorCapture::message() const {
  const char* text = CPLGetLastErrorMsg();
  return text && *text ? text : "unknown GDAL error";
}

ThreadConfig::ThreadConfig(const char* key, const std::string& value) : m_key(key) {
  if (const char* previous = CPLGetThreadLocalConfigOption(key, nullptr)) {
    m_previous = previous;
    m_hadPrevious = true;
  }
  CPLSetThreadLocalConfigOption(key, value.c_str());
}

ThreadConfig::~ThreadConfig() {
  CPLSetThreadLocalConfigOption(m_key.c_str(), m_hadPrevious ? m_previous.c_str() : nullptr);
}

Geometry geometryFromWkt(const std::string& wkt) {
  if (wkt.empty()) return Geometry();
  std::string copy = wkt;
  char* cursor = copy.data();
  OGRGeometryH geometry = nullptr;
  if (OGR_G_CreateFromWkt(&cursor, nullptr, &geometry) != OGRERR_NONE) return Geometry();
  return Geometry(geometry);
}

Geometry geometryFromWkb(const std::string& wkb) {
  if (wkb.empty()) return Geometry();
  OGRGeometryH geometry = nullptr;
  if (OGR_G_CreateFromWkbEx(wkb.data(), nullptr, &geometry, wkb.size()) != OGRERR_NONE) {
    return Geometry();
  }
  return Geometry(geometry);
}

} // namespace borderlens::exports::gdal
