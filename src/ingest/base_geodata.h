#pragma once

#include <string>
#include <utility>
#include <vector>

namespace borderlens::ingest {

// One feature of a base-map layer: its geometry as WKB in EPSG:4326 (lon/lat) and the requested
// attributes as text, in the order asked for (empty when the layer lacks the field).
struct VectorFeature {
  std::string wkb;
  std::vector<std::string> attributes;
};

// Reads a whole layer of a vector file (geodata/base.gpkg) reprojected to lon/lat WGS 84.
// Throws core::InputRejected naming the file and layer when either cannot be read.
std::vector<VectorFeature> readLayer(const std::string& path, const std::string& layer,
                                     const std::vector<std::string>& fields = {});

// The names of the layers of a vector file, in file order.
std::vector<std::string> layerNames(const std::string& path);

// Border lines of geodata/base.gpkg as WKT (EPSG:4326), for distance-to-border filters: those
// whose `countries` field is `countries` (e.g. "CN-KP"). Throws core::InputRejected naming the
// file when it or the layer cannot be read, or no line matches.
std::vector<std::string> readBorderLines(const std::string& gpkgPath, const std::string& layer,
                                         const std::string& countries);

} // namespace borderlens::ingest
