#pragma once

// GDAL plumbing shared by the export writers; included by src/export sources only, so GDAL's
// headers never reach another module.

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>
#include <string>
#include <vector>

namespace borderlens::exports::gdal {

// Registers GDAL's drivers once per process, safe to call from several threads.
void ensureRegistered();

struct DatasetCloser {
  void operator()(GDALDatasetH dataset) const { GDALClose(dataset); }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

struct GeometryDeleter {
  void operator()(OGRGeometryH geometry) const { OGR_G_DestroyGeometry(geometry); }
};
using Geometry = std::unique_ptr<void, GeometryDeleter>;

struct FeatureDeleter {
  void operator()(OGRFeatureH feature) const { OGR_F_Destroy(feature); }
};
using Feature = std::unique_ptr<void, FeatureDeleter>;

struct SrsDeleter {
  void operator()(OGRSpatialReferenceH srs) const { OSRRelease(srs); }
};
using Srs = std::unique_ptr<void, SrsDeleter>;

// EPSG:4326 (or another EPSG code) with x = longitude, whatever the CRS's axis order says.
Srs srsFromEpsg(int code);

// A NULL-terminated option list ("KEY=VALUE") for GDAL calls; owns its strings.
class Options {
 public:
  Options& set(const std::string& key, const std::string& value);
  char** get();

 private:
  std::vector<std::string> m_items;
  std::vector<char*> m_pointers;
};

// Collects GDAL's errors and warnings on this thread instead of printing them, for as long as it
// lives; message() is the last error (or warning) text, for a one-line cause.
class ErrorCapture {
 public:
  ErrorCapture();
  ~ErrorCapture();
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;

  std::string message() const;
};

// Sets a GDAL configuration option for this thread only, and restores it on destruction: two
// exports running in parallel threads must not see each other's settings.
class ThreadConfig {
 public:
  ThreadConfig(const char* key, const std::string& value);
  ~ThreadConfig();
  ThreadConfig(const ThreadConfig&) = delete;
  ThreadConfig& operator=(const ThreadConfig&) = delete;

 private:
  std::string m_key;
  std::string m_previous;
  bool m_hadPrevious = false;
};

// Parses WKT (EPSG:4326, lon/lat) into a geometry; null for empty or unparsable text.
Geometry geometryFromWkt(const std::string& wkt);
Geometry geometryFromWkb(const std::string& wkb);

} // namespace borderlens::exports::gdal
