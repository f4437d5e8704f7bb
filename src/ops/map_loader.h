#pragma once

#include "core/progress.h"
#include "render/scene/map_data.h"
#include "store/filter.h"

#include <string>
#include <vector>

namespace borderlens::ops {

struct MapLoadOptions {
  std::string database;         // empty: base map only
  std::string geodataDir;       // empty: findGeodataDir()
  store::FilterSpec filter;     // applied by the store; the GUI loads everything and filters on the GPU
  std::vector<std::string> baseLayers;  // style layer names to load ("land", "rivers", ...)
  // One level of detail ("f", "h", "i", "l") for a single view; empty: every level, for a map
  // that zooms.
  std::string lod;
};

// Gathers what the map shows: the base layers of geodata/base.gpkg at every level of detail (or one),
// the named places (towns, ports, crossings, larger GeoNames places), the store's features and
// rounds, and the attribution lines of geodata/SOURCES.md.
render::MapData loadMapData(const MapLoadOptions& options, const core::Progress& progress = {});

// The "Attribution:" lines of a SOURCES.md, de-duplicated, in file order.
std::vector<std::string> readAttribution(const std::string& sourcesMd);

} // namespace borderlens::ops
