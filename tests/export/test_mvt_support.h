#pragma once

// Reading vector tiles back for the tile tests: one tile through GDAL's MVT driver (coordinates in
// EPSG:3857, not clipped, so that what a tile holds beyond its edge shows), and the tiles of an
// MBTiles file through GDAL's SQLite driver.

#include "export/mvt_encoder.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace borderlens::test {

using XY = std::array<double, 2>;

// Web Mercator units of one tile: where tile unit (0, 0) and (4096, 4096) fall.
struct TileGrid {
  static constexpr double kHalfWorld = 20037508.342789244;
  double size;  // metres per tile
  double unit;  // metres per tile unit
  double minX;
  double maxY;

  TileGrid(int z, std::uint32_t x, std::uint32_t y)
      : size(2 * kHalfWorld / std::ldexp(1.0, z)),
        unit(size / exports::mvt::kExtent),
        minX(-kHalfWorld + x * size),
        maxY(kHalfWorld - y * size) {}

  XY at(exports::mvt::TilePoint p) const { return {minX + p.x * unit, maxY - p.y * unit}; }
  bool near(const XY& m, exports::mvt::TilePoint p) const {
    const XY e = at(p);
    return std::fabs(m[0] - e[0]) <= unit && std::fabs(m[1] - e[1]) <= unit;
  }
  double area(double squareUnits) const { return squareUnits * unit * unit; }
  // Whether a position is inside the tile widened by `units` tile units.
  bool holds(const XY& m, double units) const {
    const double margin = units * unit;
    return m[0] >= minX - margin && m[0] <= minX + size + margin && m[1] <= maxY + margin &&
           m[1] >= maxY - size - margin;
  }
};

struct TileFeature {
  std::string layer;
  std::int64_t id = -1;  // the MVT feature id; -1: none
  std::map<std::string, std::string> fields;
  std::string type;                   // flattened OGR name: POINT, LINESTRING, MULTIPOLYGON, ...
  std::vector<std::vector<XY>> rings; // each point, line or polygon ring, in order
  double area = 0;
  double length = 0;
  std::string wkt;
};

// The shoelace area of a ring in EPSG:3857 (y up). MVT 2.1 wants exterior rings with a positive
// area in tile units (y down), which is a negative one here.
inline double signedArea(const std::vector<XY>& ring) {
  double sum = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

inline void collectRings(OGRGeometryH g, std::vector<std::vector<XY>>& rings) {
  const int parts = OGR_G_GetGeometryCount(g);
  if (parts > 0) {
    for (int i = 0; i < parts; ++i) collectRings(OGR_G_GetGeometryRef(g, i), rings);
    return;
  }
  std::vector<XY> ring;
  for (int i = 0; i < OGR_G_GetPointCount(g); ++i) ring.push_back({OGR_G_GetX(g, i), OGR_G_GetY(g, i)});
  rings.push_back(std::move(ring));
}

inline std::string uniqueMemPath(const char* extension) {
  static std::atomic<int> counter{0};
  return "/vsimem/test_mvt_" + std::to_string(++counter) + extension;
}

// Every feature of one tile (raw or gzipped), in EPSG:3857.
inline std::vector<TileFeature> decodeTile(const std::string& bytes, int z, std::uint32_t x, std::uint32_t y) {
  GDALAllRegister();
  const std::string path = uniqueMemPath(".pbf");
  auto* copy = static_cast<GByte*>(CPLMalloc(bytes.size()));
  std::copy(bytes.begin(), bytes.end(), copy);
  VSIFCloseL(VSIFileFromMemBuffer(path.c_str(), copy, bytes.size(), TRUE));
  const std::string zs = "Z=" + std::to_string(z), xs = "X=" + std::to_string(x), ys = "Y=" + std::to_string(y);
  const char* drivers[] = {"MVT", nullptr};
  const char* options[] = {zs.c_str(), xs.c_str(), ys.c_str(), "CLIP=NO", "METADATA_FILE=", nullptr};
  GDALDatasetH dataset = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, options, nullptr);
  if (!dataset) {
    VSIUnlink(path.c_str());
    throw std::runtime_error("GDAL cannot read the tile: " + std::string(CPLGetLastErrorMsg()));
  }
  std::vector<TileFeature> out;
  for (int l = 0; l < GDALDatasetGetLayerCount(dataset); ++l) {
    OGRLayerH layer = GDALDatasetGetLayer(dataset, l);
    while (OGRFeatureH feature = OGR_L_GetNextFeature(layer)) {
      TileFeature f;
      f.layer = OGR_L_GetName(layer);
      for (int i = 0; i < OGR_F_GetFieldCount(feature); ++i) {
        if (!OGR_F_IsFieldSetAndNotNull(feature, i)) continue;
        const std::string name = OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(feature, i));
        if (name == "mvt_id") {
          f.id = OGR_F_GetFieldAsInteger64(feature, i);
        } else {
          f.fields[name] = OGR_F_GetFieldAsString(feature, i);
        }
      }
      if (OGRGeometryH g = OGR_F_GetGeometryRef(feature)) {
        f.type = OGRGeometryTypeToName(wkbFlatten(OGR_G_GetGeometryType(g)));
        for (char& c : f.type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        f.type.erase(std::remove(f.type.begin(), f.type.end(), ' '), f.type.end());
        collectRings(g, f.rings);
        if (f.type.find("POLYGON") != std::string::npos) f.area = OGR_G_Area(g);
        if (f.type.find("LINESTRING") != std::string::npos) f.length = OGR_G_Length(g);
        char* wkt = nullptr;
        OGR_G_ExportToWkt(g, &wkt);
        f.wkt = wkt;
        CPLFree(wkt);
      }
      out.push_back(std::move(f));
      OGR_F_Destroy(feature);
    }
  }
  GDALClose(dataset);
  VSIUnlink(path.c_str());
  return out;
}

inline std::string gunzip(const std::vector<std::uint8_t>& bytes) {
  const std::string path = uniqueMemPath(".gz");
  VSIFCloseL(VSIFileFromMemBuffer(path.c_str(), const_cast<GByte*>(bytes.data()), bytes.size(), FALSE));
  std::string out;
  if (VSILFILE* file = VSIFOpenL(("/vsigzip/" + path).c_str(), "rb")) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = VSIFReadL(buffer, 1, sizeof buffer, file)) > 0) out.append(buffer, n);
    VSIFCloseL(file);
  }
  VSIUnlink(path.c_str());
  return out;
}

struct StoredTile {
  int z = 0;
  std::uint32_t x = 0;
  std::uint32_t y = 0;  // XYZ (y down), from the file's TMS row
  std::string data;
};

// The tiles table of an MBTiles file, read with GDAL's SQLite driver (from a copy named .sqlite:
// the driver leaves .mbtiles files to the MBTiles driver).
inline std::vector<StoredTile> readMbtiles(const std::string& path) {
  GDALAllRegister();
  const std::string copy = path + ".sqlite";
  if (CPLCopyFile(copy.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot copy " + path);
  const char* drivers[] = {"SQLite", nullptr};
  GDALDatasetH dataset = GDALOpenEx(copy.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr);
  if (!dataset) throw std::runtime_error("GDAL cannot open " + copy + ": " + CPLGetLastErrorMsg());
  std::vector<StoredTile> out;
  OGRLayerH rows = GDALDatasetExecuteSQL(
      dataset, "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles ORDER BY 1, 2, 3", nullptr, nullptr);
  if (!rows) {
    GDALClose(dataset);
    VSIUnlink(copy.c_str());
    throw std::runtime_error(path + " has no tiles table");
  }
  while (OGRFeatureH row = OGR_L_GetNextFeature(rows)) {
    StoredTile tile;
    tile.z = OGR_F_GetFieldAsInteger(row, 0);
    tile.x = static_cast<std::uint32_t>(OGR_F_GetFieldAsInteger(row, 1));
    tile.y = static_cast<std::uint32_t>((1 << tile.z) - 1 - OGR_F_GetFieldAsInteger(row, 2));
    int size = 0;
    const GByte* data = OGR_F_GetFieldAsBinary(row, 3, &size);
    tile.data.assign(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
    out.push_back(std::move(tile));
    OGR_F_Destroy(row);
  }
  GDALDatasetReleaseResultSet(dataset, rows);
  GDALClose(dataset);
  VSIUnlink(copy.c_str());
  return out;
}

} // namespace borderlens::test
