#pragma once

// Helpers for the export tests: read any export back with GDAL, hash output files, and the
// fixture's expected records straight from the export's own data model.

#include "export/layers.h"
#include "export/vector_export.h"
#include "store/store.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace borderlens::test {

struct ReadFeature {
  std::string table;                          // layer, table or file the feature came from
  std::map<std::string, std::string> fields;  // non-empty fields as text; dates as YYYY-MM-DD
  std::string wkt;                            // empty: no geometry
  std::array<double, 4> envelope{};           // minX, maxX, minY, maxY
  std::string geometryType;                   // flattened OGR name, "POINT", "POLYGON", ...
};

inline std::string fieldText(OGRFeatureH feature, int index) {
  OGRFieldDefnH defn = OGR_F_GetFieldDefnRef(feature, index);
  const OGRFieldType type = OGR_Fld_GetType(defn);
  if (type == OFTDate || type == OFTDateTime) {
    int y = 0, m = 0, d = 0, h = 0, mi = 0, tz = 0;
    float s = 0;
    OGR_F_GetFieldAsDateTimeEx(feature, index, &y, &m, &d, &h, &mi, &s, &tz);
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
    return buffer;
  }
  return OGR_F_GetFieldAsString(feature, index);
}

// Every feature of every layer of a vector file (or of each .shp/.fgb file in a directory).
inline std::vector<ReadFeature> readAll(const std::string& path) {
  GDALAllRegister();
  std::vector<std::string> files;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      const auto ext = entry.path().extension();
      if (ext == ".shp" || ext == ".fgb") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  std::vector<ReadFeature> out;
  for (const auto& file : files) {
    GDALDatasetH dataset = GDALOpenEx(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
    if (!dataset) throw std::runtime_error("GDAL cannot open " + file + ": " + CPLGetLastErrorMsg());
    for (int l = 0; l < GDALDatasetGetLayerCount(dataset); ++l) {
      OGRLayerH layer = GDALDatasetGetLayer(dataset, l);
      OGR_L_ResetReading(layer);
      while (OGRFeatureH feature = OGR_L_GetNextFeature(layer)) {
        ReadFeature r;
        r.table = OGR_L_GetName(layer);
        for (int i = 0; i < OGR_F_GetFieldCount(feature); ++i) {
          // An empty CSV cell reads as an empty string; exports write no empty strings, only nulls.
          if (!OGR_F_IsFieldSetAndNotNull(feature, i)) continue;
          std::string text = fieldText(feature, i);
          if (!text.empty()) r.fields[OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(feature, i))] = std::move(text);
        }
        if (OGRGeometryH g = OGR_F_GetGeometryRef(feature); g && !OGR_G_IsEmpty(g)) {
          char* wkt = nullptr;
          OGR_G_ExportToWkt(g, &wkt);
          r.wkt = wkt;
          CPLFree(wkt);
          OGREnvelope e;
          OGR_G_GetEnvelope(g, &e);
          r.envelope = {e.MinX, e.MaxX, e.MinY, e.MaxY};
          r.geometryType = OGRGeometryTypeToName(wkbFlatten(OGR_G_GetGeometryType(g)));
        }
        out.push_back(std::move(r));
        OGR_F_Destroy(feature);
      }
    }
    GDALClose(dataset);
  }
  return out;
}

inline std::string readFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline std::string sha256File(const std::filesystem::path& file) {
  const std::string bytes = readFile(file);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  char two[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(two, sizeof two, "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

// Name → SHA-256 of an output (a file, or every file of a directory) and its manifest.
inline std::map<std::string, std::string> hashOutput(const std::string& path) {
  std::map<std::string, std::string> out;
  if (std::filesystem::is_directory(path)) {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      out[entry.path().filename().string()] = sha256File(entry.path());
    }
  } else {
    out["output"] = sha256File(path);
  }
  out["manifest"] = sha256File(exports::manifestPathFor(path));
  return out;
}

struct ExpectedLayer {
  exports::LayerDef def;
  std::vector<exports::Record> records;
};

// The records an export of `filter` holds, from the export's own model.
inline std::vector<ExpectedLayer> expectedLayers(store::Store& store, const store::FilterSpec& filter,
                                                 const std::vector<exports::LayerKind>& kinds) {
  exports::SourceBook sources(store);
  std::vector<ExpectedLayer> out;
  for (const auto& layer : exports::recordLayers(store, filter, kinds, sources)) {
    ExpectedLayer expected{layer.def, {}};
    layer.produce([&](const exports::Record& r) { expected.records.push_back(r); }, {});
    out.push_back(std::move(expected));
  }
  return out;
}

} // namespace borderlens::test
