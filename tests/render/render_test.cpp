// Runs one render test: a scene file (JSON) is drawn headless through the same op as
// `borderlens render` and compared with its expected PNG within the scene's tolerance. On a
// mismatch the actual image and a diff image are written next to each other in the output
// directory. With BORDERLENS_UPDATE_RENDER=1 the expected image is (re)written instead.
//
// Scene: {"database": "fixture" | "none" | "demo", "bbox": [W,S,E,N], "size": [W,H],
//         "script": "latin" | "chinese" | "korean", "filter": {"rounds": [...], "from": "...",
//         "until": "...", "kinds": [...], "authorities": [...], "min_confidence": X},
//         "format": "png" | "tif", "bare": true | false, "tolerance": {"mean": M, "pixels": P}}
// A "tif" scene writes a GeoTIFF, checks its CRS and geotransform, and compares its pixels
// with the expected PNG. A "bare" scene draws no legend, scale bar or north arrow (render --bare).
#include "core/date.h"
#include "core/model.h"
#include "ops/geodata_path.h"
#include "ops/render_op.h"
#include "render/image.h"
#include "store/store.h"
#include "support/fixture.h"

#include <gdal.h>
#include <nlohmann/json.hpp>
#include <ogr_srs_api.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

using namespace borderlens;

namespace {

store::FilterSpec filterFrom(const nlohmann::json& json) {
  store::FilterSpec filter;
  if (!json.is_object()) return filter;
  for (const auto& round : json.value("rounds", nlohmann::json::array())) filter.rounds.push_back(round);
  for (const auto& a : json.value("authorities", nlohmann::json::array())) filter.authorities.push_back(a);
  for (const auto& kind : json.value("kinds", nlohmann::json::array())) {
    const std::string k = kind;
    if (auto entityKind = core::entityKindFromString(k)) filter.entityKinds.push_back(*entityKind);
    else filter.incidentKinds.push_back(k);
  }
  if (json.contains("from")) filter.window.from = core::Date::parseOrThrow(json["from"].get<std::string>()).firstDay();
  if (json.contains("until")) filter.window.to = core::Date::parseOrThrow(json["until"].get<std::string>()).lastDay();
  if (json.contains("min_confidence")) filter.minConfidence = json["min_confidence"].get<double>();
  return filter;
}

// Reads an RGBA GeoTIFF back with GDAL, checking that it is in EPSG:3857 with a north-up
// geotransform.
render::Image readGeoTiff(const std::string& path) {
  GDALAllRegister();
  GDALDatasetH dataset = GDALOpen(path.c_str(), GA_ReadOnly);
  if (!dataset) throw std::runtime_error(path + ": GDAL cannot open it");
  OGRSpatialReferenceH srs = OSRNewSpatialReference(GDALGetProjectionRef(dataset));
  const char* code = OSRGetAuthorityCode(srs, nullptr);
  const bool mercator = code && std::string(code) == "3857";
  OSRDestroySpatialReference(srs);
  double transform[6];
  const bool georeferenced = GDALGetGeoTransform(dataset, transform) == CE_None && transform[1] > 0 && transform[5] < 0;
  render::Image image{GDALGetRasterXSize(dataset), GDALGetRasterYSize(dataset), {}};
  image.rgba.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4);
  int bands[] = {1, 2, 3, 4};
  const CPLErr read = GDALDatasetRasterIO(dataset, GF_Read, 0, 0, image.width, image.height, image.rgba.data(),
                                          image.width, image.height, GDT_Byte, 4, bands, 4, image.width * 4, 1);
  GDALClose(dataset);
  if (!mercator) throw std::runtime_error(path + ": not in EPSG:3857");
  if (!georeferenced) throw std::runtime_error(path + ": no north-up geotransform");
  if (read != CE_None) throw std::runtime_error(path + ": cannot read its pixels");
  return image;
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: render_test SCENE.json EXPECTED_DIR OUTPUT_DIR\n";
    return 2;
  }
  const std::filesystem::path scenePath = argv[1];
  const std::filesystem::path expectedDir = argv[2];
  const std::filesystem::path outputDir = argv[3];
  const std::string name = scenePath.stem().string();
  try {
    std::ifstream in(scenePath);
    const nlohmann::json scene = nlohmann::json::parse(in);
    std::filesystem::create_directories(outputDir);
    test::TempDir temp;

    ops::RenderOptions options;
    const std::string database = scene.value("database", "none");
    if (database == "fixture") {
      options.database = temp.file("fixture.db");
      auto store = store::openStore(options.database, store::OpenMode::Create);
      test::fillFixture(*store);
    } else if (database == "demo") {
      const auto demo = ops::findDemoDatabase();
      if (!demo) {
        std::cerr << name << ": the demo database is not built (tools/build-demo)\n";
        return 1;
      }
      options.database = *demo;
    }
    const auto bbox = scene.at("bbox");
    options.bbox = geo::BBox{bbox[0], bbox[1], bbox[2], bbox[3]};
    options.width = scene.at("size")[0];
    options.height = scene.at("size")[1];
    const std::string script = scene.value("script", "latin");
    options.script = script == "chinese" ? render::LabelScript::Chinese
                     : script == "korean" ? render::LabelScript::Korean
                                          : render::LabelScript::Latin;
    options.filter = filterFrom(scene.value("filter", nlohmann::json::object()));
    const bool geoTiff = scene.value("format", "png") == "tif";
    options.output = (outputDir / (name + (geoTiff ? ".actual.tif" : ".actual.png"))).string();
    options.overwrite = true;
    options.furniture = !scene.value("bare", false);
    const ops::RenderReport report = ops::runRender(options);

    const std::filesystem::path expectedPath = expectedDir / (name + ".png");
    const render::Image actual = geoTiff ? readGeoTiff(options.output) : render::Image::readPng(options.output);
    if (geoTiff) actual.writePng((outputDir / (name + ".actual.png")).string());
    if (const char* update = std::getenv("BORDERLENS_UPDATE_RENDER"); update && std::string(update) == "1") {
      actual.writePng(expectedPath.string());
      std::cout << name << ": expected image written (" << report.renderer << ")\n";
      return 0;
    }
    if (!std::filesystem::exists(expectedPath)) {
      std::cerr << name << ": no expected image " << expectedPath << "\n";
      return 1;
    }
    const render::Image expected = render::Image::readPng(expectedPath.string());
    const render::ImageDifference difference = render::compareImages(expected, actual);
    const double meanLimit = scene.at("tolerance").value("mean", 1.0);
    const double pixelLimit = scene.at("tolerance").value("pixels", 0.005);
    std::cout << name << ": mean difference " << difference.meanAbsolute << " (limit " << meanLimit
              << "), differing pixels " << difference.differingPixels * 100 << "% (limit "
              << pixelLimit * 100 << "%), " << report.entities << " entities, " << report.incidents
              << " incidents, " << report.labels << " labels, " << report.renderer << "\n";
    if (difference.meanAbsolute > meanLimit || difference.differingPixels > pixelLimit) {
      const auto diffPath = outputDir / (name + ".diff.png");
      difference.diff.writePng(diffPath.string());
      std::cerr << name << ": differs from " << expectedPath << "; actual " << options.output << ", diff "
                << diffPath.string() << "\n";
      return 1;
    }
    std::filesystem::remove(options.output);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  }
}
