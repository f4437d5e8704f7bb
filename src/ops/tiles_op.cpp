#include "ops/tiles_op.h"

#include "export/manifest.h"
#include "ops/geodata_path.h"
#include "store/store.h"

#include <algorithm>

namespace borderlens::ops {

exports::TilesReport runTiles(const TilesOptions& options, const core::Progress& progress) {
  exports::TilesOptions t;
  t.output = options.output;
  t.layers = options.layers;
  t.filter = options.filter;
  t.minZoom = options.minZoom;
  t.maxZoom = options.maxZoom;
  t.overwrite = options.overwrite;
  t.database = options.database;
  t.version = version();
  t.createdAt = exports::creationTime();
  if (std::find(t.layers.begin(), t.layers.end(), exports::LayerKind::Base) != t.layers.end()) {
    t.geodataDir = findGeodataDir().value_or("");
  }
  exports::checkTiles(t);

  auto db = store::openStore(options.database, store::OpenMode::ReadOnly);
  return exports::writeTiles(*db, t, progress);
}

} // namespace borderlens::ops
