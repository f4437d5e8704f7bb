#include "export/raster.h"

#include "core/errors.h"
#include "export/gdal_support.h"
#include "export/staged_output.h"

#include <cpl_conv.h>

namespace borderlens::exports {

void writeGeoTiff(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgbaTopDown,
                  const MercatorBox& view) {
  if (width <= 0 || height <= 0 ||
      rgbaTopDown.size() != static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4) {
    throw core::UsageError("GeoTIFF: " + std::to_string(rgbaTopDown.size()) + " bytes are not a " +
                           std::to_string(width) + "x" + std::to_string(height) + " RGBA image");
  }
  if (!(view.maxX > view.minX) || !(view.maxY > view.minY)) {
    throw core::UsageError("GeoTIFF: the view box is empty");
  }
  gdal::ensureRegistered();
  gdal::ErrorCapture errors;
  StagedOutput output(path, OutputKind::File, ".tif");
  const auto fail = [&](const std::string& what) {
    throw core::OutputFailed(path + ": " + what + ": " + errors.message());
  };
  GDALDriverH driver = GDALGetDriverByName("GTiff");
  if (!driver) throw core::OutputFailed("GDAL has no GTiff driver");
  gdal::Options options;
  options.set("COMPRESS", "DEFLATE")
      .set("PREDICTOR", "2")
      .set("TILED", "YES")
      .set("PHOTOMETRIC", "RGB")
      .set("ALPHA", "UNASSOCIATED")
      .set("INTERLEAVE", "PIXEL");
  {
    gdal::Dataset dataset(GDALCreate(driver, output.path().c_str(), width, height, 4, GDT_Byte, options.get()));
    if (!dataset) fail("cannot create it");
    const gdal::Srs mercator = gdal::srsFromEpsg(3857);
    if (GDALSetSpatialRef(dataset.get(), mercator.get()) != CE_None) fail("cannot set its CRS");
    double transform[6] = {view.minX, (view.maxX - view.minX) / width, 0,
                           view.maxY, 0,                               -(view.maxY - view.minY) / height};
    if (GDALSetGeoTransform(dataset.get(), transform) != CE_None) fail("cannot set its geotransform");
    const GDALColorInterp interpretation[4] = {GCI_RedBand, GCI_GreenBand, GCI_BlueBand, GCI_AlphaBand};
    for (int band = 1; band <= 4; ++band) {
      GDALSetRasterColorInterpretation(GDALGetRasterBand(dataset.get(), band), interpretation[band - 1]);
    }
    // Pixel-interleaved RGBA straight from the buffer: 4 bytes per pixel, 4*width per row.
    if (GDALDatasetRasterIO(dataset.get(), GF_Write, 0, 0, width, height,
                            const_cast<std::uint8_t*>(rgbaTopDown.data()), width, height, GDT_Byte, 4, nullptr, 4,
                            static_cast<GSpacing>(width) * 4, 1) != CE_None) {
      fail("cannot write its pixels");
    }
    CPLErrorReset();
  }
  if (CPLGetLastErrorType() >= CE_Failure) fail("cannot complete it");
  output.commit();
}

} // namespace borderlens::exports
