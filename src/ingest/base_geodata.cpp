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
using Dataset = std::unique_ptr<void, DatasetCloser>;

Dataset openVector(const std::string& path) {
  GDALAllRegister();
  Dataset dataset(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!dataset) throw core::InputRejected(path + ": cannot open as a vector data set");
  return dataset;
}

// Calls `visit` with each non-empty geometry in lon/lat WGS 84 order and its feature.
// `countries`, when given, keeps the features whose `countries` field equals it.
template <typename Visit>
void forEachGeometry(const std::string& path, const std::string& layerName, Visit visit,
                     const std::string& countries = {}) {
  Dataset dataset = openVector(path);
  OGRLayerH layer = GDALDatasetGetLayerByName(dataset.get(), layerName.c_str());
  if (!layer) throw core::InputRejected(path + ": no layer '" + layerName + "'");
  const int countriesField = countries.empty() ? -1 : OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), "countries");
  if (!countries.empty() && countriesField < 0) {
    throw core::InputRejected(path + ": layer '" + layerName + "' has no 'countries' field");
  }

  // Geometry must be lon/lat WGS 84 whatever axis order the file's CRS declares.
  OGRSpatialReferenceH target = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(target, 4326);
  OSRSetAxisMappingStrategy(target, OAMS_TRADITIONAL_GIS_ORDER);
  OGRSpatialReferenceH sourceSrs = OGR_L_GetSpatialRef(layer);
  OGRCoordinateTransformationH transform = nullptr;
  if (sourceSrs && !OSRIsSame(sourceSrs, target)) {
    transform = OCTNewCoordinateTransformation(sourceSrs, target);
  }
  OGR_L_ResetReading(layer);
  while (OGRFeatureH feature = OGR_L_GetNextFeature(layer)) {
    OGRGeometryH geometry = OGR_F_GetGeometryRef(feature);
    const bool wanted = countriesField < 0 || countries == OGR_F_GetFieldAsString(feature, countriesField);
    if (wanted && geometry && !OGR_G_IsEmpty(geometry)) {
      if (transform) OGR_G_Transform(geometry, transform);
      visit(feature, geometry);
    }
    OGR_F_Destroy(feature);
  }
  if (transform) OCTDestroyCoordinateTransformation(transform);
  OSRDestroySpatialReference(target);
}

} // namespace

std::vector<VectorFeature> readLayer(const std::string& path, const std::string& layerName,
                                     const std::vector<std::string>& fields) {
  std::vector<VectorFeature> features;
  forEachGeometry(path, layerName, [&](OGRFeatureH feature, OGRGeometryH geometry) {
    VectorFeature out;
    out.wkb.resize(static_cast<std::size_t>(OGR_G_WkbSize(geometry)));
    OGR_G_ExportToIsoWkb(geometry, wkbNDR, reinterpret_cast<unsigned char*>(out.wkb.data()));
    for (const auto& field : fields) {
      const int index = OGR_F_GetFieldIndex(feature, field.c_str());
      out.attributes.emplace_back(index >= 0 && OGR_F_IsFieldSetAndNotNull(feature, index)
                                      ? OGR_F_GetFieldAsString(feature, index)
                                      : "");
    }
    features.push_back(std::move(out));
  });
  return features;
}

std::vector<std::string> layerNames(const std::string& path) {
  Dataset dataset = openVector(path);
  std::vector<std::string> names;
  const int count = GDALDatasetGetLayerCount(dataset.get());
  for (int i = 0; i < count; ++i) {
    names.emplace_back(OGR_L_GetName(GDALDatasetGetLayer(dataset.get(), i)));
  }
  return names;
}

std::vector<std::string> readBorderLines(const std::string& gpkgPath, const std::string& layerName,
                                         const std::string& countries) {
  std::vector<std::string> lines;
  forEachGeometry(
      gpkgPath, layerName,
      [&](OGRFeatureH, OGRGeometryH geometry) {
        char* wkt = nullptr;
        if (OGR_G_ExportToWkt(geometry, &wkt) == OGRERR_NONE && wkt) lines.emplace_back(wkt);
        CPLFree(wkt);
      },
      countries);
  if (lines.empty()) {
    throw core::InputRejected(gpkgPath + ": layer '" + layerName + "' has no " + countries + " border line");
  }
  return lines;
}

} // namespace borderlens::ingest
