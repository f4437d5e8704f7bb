#pragma once

#include "export/layers.h"
#include "geo/bbox.h"

#include <optional>
#include <string>
#include <vector>

namespace borderlens::exports {

// Where a base layer comes from, as geodata/SOURCES.md states it.
struct BaseSource {
  std::string layer;        // the layer of base.gpkg ("borders_f")
  std::string source;
  std::string version;
  std::string licence;
  std::string attribution;  // the line to show with the layer
};

// The base map's national borders, coastline and rivers at full resolution from
// GEODATA/base.gpkg, as layers base_borders, base_coastline and base_rivers with the source
// layer's fields and a `sources` field holding the attribution. With `bbox`, only features that
// intersect it (whole, not clipped). Fills `sources` with where each layer comes from. Throws
// core::InputRejected when base.gpkg or a layer cannot be read.
std::vector<OutputLayer> baseLayers(const std::string& geodataDir, const std::optional<geo::BBox>& bbox,
                                    std::vector<BaseSource>& sources);

} // namespace borderlens::exports
