#pragma once

#include "export/layers.h"
#include "export/styles.h"
#include "export/vector_export.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

// The writers behind writeVectorExport: one per format family. Internal to src/export.
namespace borderlens::exports {

// The geometry a layer's records have, known before writing for formats that take one geometry
// type per table or file (GeoPackage for QGIS's styles, Shapefile, FlatGeobuf).
struct LayerShape {
  std::map<GeometryFamily, bool> families;  // each family present, and whether any is multi-part
  bool hasNull = false;
  bool guessed = false;  // the layer definition's family, single parts: not from the records
};

// Whether a record's geometry is multi-part, from its WKT or ISO WKB type.
bool multiPart(const Record& record);

struct LayerResult {
  std::uint64_t written = 0;
  std::uint64_t skipped = 0;       // records the format cannot hold (FlatGeobuf: no geometry)
  std::vector<std::string> parts;  // tables or files, when the layer was split
};

struct FinishInfo {
  nlohmann::ordered_json manifest;   // without its `files` member
  std::vector<core::Source> sources;
  std::string createdAt;
};

class VectorWriter {
 public:
  // What beginLayer needs to know of a layer's geometries.
  enum class ShapeNeed {
    None,
    // The layer's shape, read in a first pass over its records.
    Exact,
    // A guess (LayerShape::guessed) saves that pass: most layers hold their definition's family
    // in single parts. Once a record does not fit the guess, fits() turns false, the rest of the
    // pass is left unread, discardLayer() drops what was written, and the layer is written again
    // with its exact shape.
    Guess,
  };
  virtual ~VectorWriter() = default;
  virtual ShapeNeed shapeNeed() const = 0;
  virtual void beginLayer(const LayerDef& def, const LayerShape& shape) = 0;
  virtual void write(const Record& record) = 0;
  virtual bool fits() const { return true; }
  virtual void discardLayer() {}
  virtual LayerResult endLayer() = 0;
  // Completes and closes the output; throws core::OutputFailed.
  virtual void finish(const FinishInfo& info) = 0;
  virtual std::vector<std::string> warnings() const = 0;
};

// GeoPackage, CSV, Shapefile and FlatGeobuf through GDAL/OGR. `layers` are every layer the export
// will write (CSV puts them in one table). A Shapefile path, and a FlatGeobuf path without the
// .fgb extension, become a directory of files.
std::unique_ptr<VectorWriter> makeOgrWriter(VectorFormat format, const std::string& path,
                                            const std::vector<LayerDef>& layers, const StyleSheet& styles,
                                            const std::string& createdAt);

// RFC 7946 GeoJSON: one FeatureCollection of every layer in `layers`, each feature's `layer`
// property naming its layer.
std::unique_ptr<VectorWriter> makeGeoJsonWriter(const std::string& path, const std::vector<LayerDef>& layers);

// KML 2.2 with folders, styles, and TimeStamp/TimeSpan elements for Google Earth's time slider.
std::unique_ptr<VectorWriter> makeKmlWriter(const std::string& path, const StyleSheet& styles);

} // namespace borderlens::exports
