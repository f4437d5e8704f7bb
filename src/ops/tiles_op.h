#pragma once

#include "core/progress.h"
#include "export/tiles.h"
#include "store/filter.h"

#include <string>
#include <vector>

namespace borderlens::ops {

struct TilesOptions {
  std::string database;
  std::string output;  // .mbtiles
  std::vector<exports::LayerKind> layers = exports::defaultTileLayers();
  store::FilterSpec filter;
  int minZoom = 0;
  int maxZoom = 14;
  bool overwrite = false;
};

// Writes vector tiles (MBTiles) of what the filter selects, with a manifest beside them. The
// request and the output path are checked before the database is opened.
exports::TilesReport runTiles(const TilesOptions& options, const core::Progress& progress = {});

} // namespace borderlens::ops
