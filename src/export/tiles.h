#pragma once

#include "core/progress.h"
#include "export/layers.h"
#include "export/vector_export.h"
#include "store/filter.h"
#include "store/store.h"

#include <string>
#include <vector>

// Vector tiles (Mapbox Vector Tiles in an MBTiles file) through GDAL's MVT driver, for web maps
// and QGIS: entities, incidents, links and the base map's lines, with the fields a map needs to
// draw and filter them.
namespace borderlens::exports {

// The layers tiles can hold, and those written when --layers is not given.
const std::vector<LayerKind>& tileLayerKinds();
const std::vector<LayerKind>& defaultTileLayers();

// The largest zoom level GDAL's MVT writer takes.
inline constexpr int kMaxTileZoom = 22;
// The base layers are tiled up to this level (or the first level asked for, if deeper).
inline constexpr int kBaseMaxZoom = 10;

// Parses "MIN-MAX" or a single level "Z"; throws core::UsageError.
void parseZoomRange(const std::string& text, int& minZoom, int& maxZoom);

struct TilesOptions {
  std::string output;  // .mbtiles
  std::vector<LayerKind> layers = defaultTileLayers();
  store::FilterSpec filter;
  int minZoom = 0;
  int maxZoom = 14;
  bool overwrite = false;
  std::string database;
  std::string geodataDir;
  std::string version;
  std::string createdAt;  // empty: creationTime()
};

struct TilesReport {
  std::string output;
  std::string manifest;
  std::vector<LayerCount> layers;
};

// Checks the request without reading the database (zoom range, .mbtiles output, target paths).
void checkTiles(const TilesOptions& options);

// Writes the MBTiles file and its manifest, under temporary names renamed into place at the end.
TilesReport writeTiles(store::Store& store, const TilesOptions& options, const core::Progress& progress = {});

} // namespace borderlens::exports
