// The GeoTIFF writer the map image export uses: EPSG:3857, the view's geotransform, RGBA pixels
// as given, DEFLATE, and the same bytes for the same pixels.
#include "core/errors.h"
#include "export/raster.h"
#include "geo/mercator.h"
#include "read_back.h"
#include "support/fixture.h"

#include <doctest/doctest.h>
#include <ogr_srs_api.h>

#include <cmath>

using namespace borderlens;

namespace {

std::vector<std::uint8_t> testImage(int width, int height) {
  std::vector<std::uint8_t> rgba(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const std::size_t at = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)) * 4;
      rgba[at] = static_cast<std::uint8_t>(x * 255 / (width - 1));
      rgba[at + 1] = static_cast<std::uint8_t>(y * 255 / (height - 1));
      rgba[at + 2] = static_cast<std::uint8_t>((x + y) % 256);
      rgba[at + 3] = x < width / 2 ? 255 : 128;
    }
  }
  return rgba;
}

exports::MercatorBox dandongView() {
  const auto sw = geo::lonLatToMercator(124.2, 39.9);
  const auto ne = geo::lonLatToMercator(124.6, 40.2);
  return {sw.x, sw.y, ne.x, ne.y};
}

} // namespace

TEST_CASE("writeGeoTiff: EPSG:3857, the view's geotransform, RGBA pixels, DEFLATE") {
  test::TempDir dir;
  const int width = 96;
  const int height = 64;
  const auto pixels = testImage(width, height);
  const auto view = dandongView();
  const std::string path = dir.file("map.tif");
  exports::writeGeoTiff(path, width, height, pixels, view);

  GDALAllRegister();
  GDALDatasetH dataset = GDALOpen(path.c_str(), GA_ReadOnly);
  REQUIRE(dataset);
  CHECK(GDALGetRasterXSize(dataset) == width);
  CHECK(GDALGetRasterYSize(dataset) == height);
  REQUIRE(GDALGetRasterCount(dataset) == 4);
  OGRSpatialReferenceH srs = GDALGetSpatialRef(dataset);
  REQUIRE(srs);
  CHECK(std::string(OSRGetAuthorityCode(srs, nullptr)) == "3857");
  double transform[6];
  REQUIRE(GDALGetGeoTransform(dataset, transform) == CE_None);
  CHECK(transform[0] == doctest::Approx(view.minX));
  CHECK(transform[3] == doctest::Approx(view.maxY));
  CHECK(transform[1] == doctest::Approx((view.maxX - view.minX) / width));
  CHECK(transform[5] == doctest::Approx(-(view.maxY - view.minY) / height));
  CHECK(transform[2] == 0);
  CHECK(transform[4] == 0);
  CHECK(std::string(GDALGetMetadataItem(dataset, "COMPRESSION", "IMAGE_STRUCTURE")) == "DEFLATE");
  const GDALColorInterp expected[4] = {GCI_RedBand, GCI_GreenBand, GCI_BlueBand, GCI_AlphaBand};
  for (int band = 1; band <= 4; ++band) {
    CHECK(GDALGetRasterColorInterpretation(GDALGetRasterBand(dataset, band)) == expected[band - 1]);
  }
  std::vector<std::uint8_t> read(pixels.size());
  REQUIRE(GDALDatasetRasterIO(dataset, GF_Read, 0, 0, width, height, read.data(), width, height, GDT_Byte, 4, nullptr,
                              4, static_cast<GSpacing>(width) * 4, 1) == CE_None);
  CHECK(read == pixels);
  GDALClose(dataset);

  // The same pixels give the same bytes; an existing file is replaced.
  const std::string first = test::sha256File(path);
  exports::writeGeoTiff(dir.file("again.tif"), width, height, pixels, view);
  CHECK(test::sha256File(dir.file("again.tif")) == first);
  exports::writeGeoTiff(path, width, height, testImage(width, height), view);
  CHECK(test::sha256File(path) == first);
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 2);  // no temporary file left
}

TEST_CASE("writeGeoTiff refuses a buffer of the wrong size, an empty view and an unwritable place") {
  test::TempDir dir;
  const auto pixels = testImage(8, 8);
  CHECK_THROWS_AS(exports::writeGeoTiff(dir.file("a.tif"), 8, 9, pixels, dandongView()), core::UsageError);
  CHECK_THROWS_AS(exports::writeGeoTiff(dir.file("a.tif"), 8, 8, pixels, {1, 1, 1, 2}), core::UsageError);
  CHECK_THROWS_AS(exports::writeGeoTiff("/proc/borderlens-test.tif", 8, 8, pixels, dandongView()),
                  core::OutputFailed);
  CHECK(std::filesystem::is_empty(dir.path()));
}
