#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace borderlens::exports {

// A box in EPSG:3857 (Web Mercator) metres: what a map image spans, edge to edge.
struct MercatorBox {
  double minX = 0;
  double minY = 0;
  double maxX = 0;
  double maxY = 0;
};

// Writes an RGBA image (rows top-down, 4 bytes a pixel, unassociated alpha) as a GeoTIFF in
// EPSG:3857 whose geotransform puts the image's outer pixel edges on `view`: DEFLATE-compressed,
// tiled, without timestamps, so the same pixels give the same bytes. Written under a temporary
// name beside `path` and renamed into place; an existing file is replaced (callers check
// --overwrite first). Throws core::OutputFailed, or core::UsageError for a size that does not
// match the pixels or an empty view.
void writeGeoTiff(const std::string& path, int width, int height, const std::vector<std::uint8_t>& rgbaTopDown,
                  const MercatorBox& view);

} // namespace borderlens::exports
