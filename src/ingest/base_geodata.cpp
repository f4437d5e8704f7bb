#include "ingest/base_geodata.h"

#include "core/errors.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <memory>

namespace borderlens::ingest {

namespace {

struct DatasetCloser {
  void operator()(void* dataset) const { GDALClose(dataset); }
};

} // namespace

std::vector<std::string> readBorderLines(const std::string& gpkgPath, const std::string& layerName) {
  GDALAllRegister();
  const char* drivers[] = {"GPKG", nullptr};
  std::unique_ptr<void, DatasetCloser> dataset(
      GDALOpenEx(gpkgPath.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
  if (!dataset) throw core::InputRejected(gpkgPath + ": cannot open as a GeoPackage");
  OGRLayerH layer = GDALDatasetGetLayerByName(dataset.get(), layerName.c_str());
  if (!layer) throw core::InputRejected(gpkgPath + ": no layer '" + layerName + "'");

  // Border geometry must be lon/lat WGS 84 whatever axis order the file's CRS declares.
  OGRSpatialReferenceH target = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(target, 4326);
  OSRSetAxisMappingStrategy(target, OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReferenceH sourceSrs = OGR_L_GetSpatialRef(layer);
  OGRCoordinateTransformationH transform = nullptr;
  if (sourceSrs && !OSRIsSame(sourceSrs, target)) {
    transform = OCTNewCoordinateTransformation(sourceSrs, target);
  }

  std::vector<std::string> lines;
  OGR_L_ResetReading(layer);
  while (OGRFeatureH feature = OGR_L_GetNextFeature(layer)) {
    OGRGeometryH geometry = OGR_F_GetGeometryRef(feature);
    if (geometry && !OGR_G_IsEmpty(geometry)) {
      if (transform) OGR_G_Transform(geometry, transform);
      char* wkt = nullptr;
      if (OGR_G_ExportToWkt(geometry, &wkt) == OGRERR_NONE && wkt) lines.emplace_back(wkt);
      CPLFree(wkt);
    }
    OGR_F_Destroy(feature);
  }
  if (transform) OCTDestroyCoordinateTransformation(transform);
  OSRDestroySpatialReference(target);
  if (lines.empty()) throw core::InputRejected(gpkgPath + ": layer '" + layerName + "' is empty");
  return lines;
}

} // namespace borderlens::ingest
