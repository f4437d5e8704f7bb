#include "export/tiles.h"

#include "core/errors.h"
#include "core/redact.h"
#include "export/base_layers.h"
#include "export/gdal_support.h"
#include "export/manifest.h"
#include "export/staged_output.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <set>

namespace borderlens::exports {

namespace fs = std::filesystem;

namespace {

// Long texts would bloat every tile a feature reaches; tiles carry source_ids, and the manifest
// and the vector exports carry the rest.
bool tileField(const Field& field) {
  static const std::set<std::string> dropped{"sources", "aliases", "identifiers", "description",
                                             "entities", "entity_ids", "address"};
  return dropped.count(field.name) == 0;
}

int parseZoom(const std::string& text, const std::string& whole) {
  int zoom = -1;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), zoom);
  if (text.empty() || result.ec != std::errc{} || result.ptr != text.data() + text.size() || zoom < 0 ||
      zoom > kMaxTileZoom) {
    throw core::UsageError("invalid --zoom '" + whole + "': expected MIN-MAX with levels 0 to " +
                           std::to_string(kMaxTileZoom));
  }
  return zoom;
}

} // namespace

const std::vector<LayerKind>& tileLayerKinds() {
  static const std::vector<LayerKind> kinds{LayerKind::Entities, LayerKind::Incidents, LayerKind::Links, LayerKind::Base};
  return kinds;
}

const std::vector<LayerKind>& defaultTileLayers() {
  static const std::vector<LayerKind> kinds{LayerKind::Entities, LayerKind::Incidents};
  return kinds;
}

void parseZoomRange(const std::string& text, int& minZoom, int& maxZoom) {
  const auto dash = text.find('-');
  minZoom = parseZoom(text.substr(0, dash), text);
  maxZoom = dash == std::string::npos ? minZoom : parseZoom(text.substr(dash + 1), text);
  if (minZoom > maxZoom) throw core::UsageError("invalid --zoom '" + text + "': the first level is above the second");
}

void checkTiles(const TilesOptions& options) {
  std::string ext = fs::path(options.output).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".mbtiles") throw core::UsageError("tiles are written as MBTiles: give --to FILE.mbtiles");
  if (options.layers.empty()) throw core::UsageError("no layers to write");
  if (options.minZoom < 0 || options.maxZoom > kMaxTileZoom || options.minZoom > options.maxZoom) {
    throw core::UsageError("invalid zoom range");
  }
  if (std::find(options.layers.begin(), options.layers.end(), LayerKind::Base) != options.layers.end() &&
      options.geodataDir.empty()) {
    throw core::InputRejected("the base layer needs geodata/base.gpkg, which was not found (set BORDERLENS_GEODATA)");
  }
  checkTarget(options.output, OutputKind::File, options.overwrite);
  checkTarget(manifestPathFor(options.output), OutputKind::File, options.overwrite);
}

TilesReport writeTiles(store::Store& store, const TilesOptions& options, const core::Progress& progress) {
  checkTiles(options);
  const std::string createdAt = options.createdAt.empty() ? creationTime() : options.createdAt;
  SourceBook sources(store);
  std::vector<OutputLayer> layers = recordLayers(store, options.filter, options.layers, sources);
  std::vector<BaseSource> baseSources;
  if (std::find(options.layers.begin(), options.layers.end(), LayerKind::Base) != options.layers.end()) {
    auto base = baseLayers(options.geodataDir, options.filter.bbox, baseSources);
    layers.insert(layers.end(), std::make_move_iterator(base.begin()), std::make_move_iterator(base.end()));
  }

  StagedOutput output(options.output, OutputKind::File, ".mbtiles");
  StagedOutput manifestOutput(manifestPathFor(options.output), OutputKind::File, ".json");
  gdal::ensureRegistered();
  gdal::ErrorCapture errors;
  const auto fail = [&](const std::string& what) {
    throw core::OutputFailed(options.output + ": " + what + ": " + errors.message());
  };
  GDALDriverH driver = GDALGetDriverByName("MVT");
  if (!driver) throw core::OutputFailed("GDAL has no MVT driver");
  gdal::Options datasetOptions;
  datasetOptions.set("FORMAT", "MBTILES")
      .set("MINZOOM", std::to_string(options.minZoom))
      .set("MAXZOOM", std::to_string(options.maxZoom))
      .set("NAME", fs::path(options.output).stem().string())
      .set("DESCRIPTION", "borderlens " + options.version + " vector tiles of " +
                              core::redactSecrets(options.database))
      .set("TYPE", "overlay");
  gdal::Dataset dataset(GDALCreate(driver, output.path().c_str(), 0, 0, 0, GDT_Unknown, datasetOptions.get()));
  if (!dataset) fail("cannot create it");

  TilesReport report;
  report.output = options.output;
  report.manifest = manifestPathFor(options.output);
  const gdal::Srs lonLat = gdal::srsFromEpsg(4326);
  const double slot = 0.7 / static_cast<double>(layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerDef& def = layers[i].def;
    gdal::Options layerOptions;
    layerOptions.set("DESCRIPTION", def.title);
    if (def.name.rfind("base_", 0) == 0) {
      // The base lines are good to about a kilometre (geodata/SOURCES.md): deeper levels would add
      // nothing but time, and web maps overzoom the last level.
      layerOptions.set("MINZOOM", std::to_string(options.minZoom))
          .set("MAXZOOM", std::to_string(std::max(options.minZoom, std::min(options.maxZoom, kBaseMaxZoom))));
    }
    OGRLayerH layer = GDALDatasetCreateLayer(dataset.get(), def.name.c_str(), lonLat.get(), wkbUnknown, layerOptions.get());
    if (!layer) fail("cannot create layer " + def.name);
    std::vector<int> fieldIndex;
    for (const auto& field : def.fields) {
      if (!tileField(field)) {
        fieldIndex.push_back(-1);
        continue;
      }
      const OGRFieldType type = field.type == FieldType::Integer ? OFTInteger64
                                : field.type == FieldType::Real  ? OFTReal
                                                                 : OFTString;
      OGRFieldDefnH defn = OGR_Fld_Create(field.name.c_str(), type);
      const OGRErr error = OGR_L_CreateField(layer, defn, TRUE);
      OGR_Fld_Destroy(defn);
      if (error != OGRERR_NONE) fail("cannot create field " + field.name);
      fieldIndex.push_back(OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(layer)) - 1);
    }
    std::uint64_t written = 0;
    const std::string message = "tiling " + def.name;
    layers[i].produce(
        [&](const Record& record) {
          gdal::Geometry geometry =
              record.wkb.empty() ? gdal::geometryFromWkt(record.wkt) : gdal::geometryFromWkb(record.wkb);
          if (!geometry) return;  // a tile holds only what has a place
          gdal::Feature feature(OGR_F_Create(OGR_L_GetLayerDefn(layer)));
          for (std::size_t f = 0; f < record.values.size() && f < fieldIndex.size(); ++f) {
            const int index = fieldIndex[f];
            if (index < 0) continue;
            std::visit(Overloaded{
                           [&](std::monostate) {},
                           [&](const std::string& text) { OGR_F_SetFieldString(feature.get(), index, text.c_str()); },
                           [&](std::int64_t n) { OGR_F_SetFieldInteger64(feature.get(), index, n); },
                           [&](double n) { OGR_F_SetFieldDouble(feature.get(), index, n); },
                           [&](Day day) { OGR_F_SetFieldString(feature.get(), index, isoDate(day).c_str()); },
                       },
                       record.values[f]);
          }
          OGR_F_SetGeometryDirectly(feature.get(), geometry.release());
          if (OGR_L_CreateFeature(layer, feature.get()) != OGRERR_NONE) fail("cannot add a feature of " + def.name);
          ++written;
        },
        [&](double fraction) {
          return core::reportProgress(progress, slot * (static_cast<double>(i) + fraction), message);
        });
    report.layers.push_back({def.name, written, {}});
  }
  // GDAL cuts and encodes the tiles when the dataset closes: the long step, without progress.
  if (!core::reportProgress(progress, 0.7, "building tiles")) throw core::Cancelled();
  CPLErrorReset();
  dataset.reset();
  if (CPLGetLastErrorType() >= CE_Failure) fail("cannot build the tiles");

  ManifestInput manifest;
  manifest.command = "tiles";
  manifest.format = "mbtiles";
  manifest.database = options.database;
  manifest.schemaVersion = store.schemaVersion();
  manifest.filter = options.filter;
  for (const auto& count : report.layers) manifest.layers.push_back({count.name, count.features, {}});
  manifest.sources = sources.cited();
  manifest.baseSources = baseSources;
  manifest.createdAt = createdAt;
  manifest.version = options.version;
  manifest.extra["zoom"] = {{"min", options.minZoom}, {"max", options.maxZoom}};
  writeManifest(manifestJson(manifest), output.path(), fs::path(options.output).filename().string(),
                manifestOutput.path());
  if (!core::reportProgress(progress, 0.99, "renaming into place")) throw core::Cancelled();
  output.commit();
  manifestOutput.commit();
  core::reportProgress(progress, 1.0, "written");
  return report;
}

} // namespace borderlens::exports
