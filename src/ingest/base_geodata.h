#pragma once

#include <string>
#include <vector>

namespace borderlens::ingest {

// The national-border lines of geodata/base.gpkg as WKT (EPSG:4326), for distance-to-border
// filters. Throws core::InputRejected naming the file when it or the layer cannot be read.
std::vector<std::string> readBorderLines(const std::string& gpkgPath, const std::string& layer);

} // namespace borderlens::ingest
