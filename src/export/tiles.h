#pragma once

#include "core/progress.h"
#include "export/layers.h"
#include "export/vector_export.h"
#include "store/filter.h"
#include "store/store.h"

#include <string>
#include <vector>

// Vector tiles (Mapbox Vector Tiles 2.1, extent 4096, in an MBTiles 1.3 file) for web maps and
// QGIS: entities, incidents, links and the base map's lines, with the fields a map needs to draw
// and filter them. Every feature is in the tiles of the deepest level; below it a tile keeps, per
// layer, one point per cell of 16 x 16 tile units (coarser cells where that leaves over 8,192
// points), the one with the lowest id, so that the low levels stay small where thousands of
// points crowd one place. Lines and areas are in every level.
namespace borderlens::exports {

// The layers tiles can hold, and those written when --layers is not given.
const std::vector<LayerKind>& tileLayerKinds();
const std::vector<LayerKind>& defaultTileLayers();

// The deepest zoom level tiles are written for.
inline constexpr int kMaxTileZoom = 22;
// The base layers are tiled up to this level (or the first level asked for, if deeper).
inline constexpr int kBaseMaxZoom = 10;

// Tiles larger than this once gzipped are named in the report: web maps draw them slowly, and
// GDAL's MVT driver and tippecanoe both hold tiles to this size by default.
inline constexpr std::size_t kLargeTileBytes = 500 * 1000;

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
  std::size_t largeTileBytes = kLargeTileBytes;
};

// The tiles of one zoom level over TilesOptions::largeTileBytes.
struct LargeTiles {
  int zoom = 0;
  std::size_t count = 0;
  std::size_t largestBytes = 0;
};

struct TilesReport {
  std::string output;
  std::string manifest;
  std::vector<LayerCount> layers;
  std::size_t largeTileBytes = kLargeTileBytes;  // the limit largeTiles was measured against
  std::vector<LargeTiles> largeTiles;  // by zoom; levels without any left out
};

// Checks the request without reading the database (zoom range, .mbtiles output, target paths).
void checkTiles(const TilesOptions& options);

// Writes the MBTiles file and its manifest, under temporary names renamed into place at the end.
TilesReport writeTiles(store::Store& store, const TilesOptions& options, const core::Progress& progress = {});

} // namespace borderlens::exports
