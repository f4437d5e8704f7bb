#include "export/base_layers.h"

#include "core/errors.h"
#include "export/gdal_support.h"

#include <filesystem>
#include <fstream>
#include <memory>

namespace borderlens::exports {

namespace {

struct BaseLayer {
  const char* output;  // the export's layer name
  const char* source;  // the layer of base.gpkg: full resolution
};

constexpr BaseLayer kBaseLayers[] = {
    {"base_borders", "borders_f"},
    {"base_coastline", "coastline_f"},
    {"base_rivers", "rivers_f"},
};

// The SOURCES.md section that names `layer` in its heading ("## borders_f, borders_h, ...").
BaseSource readSource(const std::string& sourcesMd, const std::string& layer) {
  BaseSource out;
  out.layer = layer;
  std::ifstream in(sourcesMd);
  std::string line;
  bool inSection = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) {
      inSection = false;
      std::string names = line.substr(3);
      std::size_t start = 0;
      while (start <= names.size()) {
        const auto comma = names.find(',', start);
        std::string name = names.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        name.erase(0, name.find_first_not_of(' '));
        name.erase(name.find_last_not_of(' ') + 1);
        if (name == layer) inSection = true;
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      continue;
    }
    if (!inSection) continue;
    const auto take = [&](const char* key, std::string& into) {
      const std::string prefix = std::string(key) + ": ";
      if (line.rfind(prefix, 0) == 0) into = line.substr(prefix.size());
    };
    take("Source", out.source);
    take("Version", out.version);
    take("Licence", out.licence);
    take("Attribution", out.attribution);
  }
  return out;
}

FieldType fieldTypeOf(OGRFieldType type) {
  switch (type) {
    case OFTInteger:
    case OFTInteger64: return FieldType::Integer;
    case OFTReal: return FieldType::Real;
    case OFTDate: return FieldType::Date;
    default: return FieldType::Text;
  }
}

GeometryFamily familyOf(OGRwkbGeometryType type) {
  switch (wkbFlatten(type)) {
    case wkbPoint:
    case wkbMultiPoint: return GeometryFamily::Point;
    case wkbLineString:
    case wkbMultiLineString: return GeometryFamily::Line;
    case wkbNone: return GeometryFamily::None;
    default: return GeometryFamily::Polygon;
  }
}

gdal::Dataset openBase(const std::string& path) {
  gdal::ensureRegistered();
  gdal::ErrorCapture errors;
  gdal::Dataset dataset(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!dataset) throw core::InputRejected(path + ": cannot open the base map: " + errors.message());
  return dataset;
}

OGRLayerH layerOf(GDALDatasetH dataset, const std::string& path, const char* name) {
  OGRLayerH layer = GDALDatasetGetLayerByName(dataset, name);
  if (!layer) throw core::InputRejected(path + ": no layer '" + std::string(name) + "'");
  return layer;
}

void produce(const std::string& path, const char* sourceLayer, const LayerDef& def,
             const std::optional<geo::BBox>& bbox, const std::string& attribution, const RecordSink& sink,
             const LayerProgress& progress) {
  // GDAL's error handlers are per thread, and an export may read here on a second thread: GDAL's
  // warnings about the bundled base map stay off the terminal there as here.
  const gdal::ErrorCapture quiet;
  gdal::Dataset dataset = openBase(path);
  OGRLayerH layer = layerOf(dataset.get(), path, sourceLayer);
  if (bbox) OGR_L_SetSpatialFilterRect(layer, bbox->west, bbox->south, bbox->east, bbox->north);
  const gdal::Srs lonLat = gdal::srsFromEpsg(4326);
  OGRSpatialReferenceH layerSrs = OGR_L_GetSpatialRef(layer);
  std::unique_ptr<void, void (*)(OGRCoordinateTransformationH)> transform(
      layerSrs && !OSRIsSame(layerSrs, lonLat.get()) ? OCTNewCoordinateTransformation(layerSrs, lonLat.get())
                                                     : nullptr,
      [](OGRCoordinateTransformationH t) {
        if (t) OCTDestroyCoordinateTransformation(t);
      });
  const auto total = static_cast<std::uint64_t>(std::max<GIntBig>(0, OGR_L_GetFeatureCount(layer, TRUE)));
  std::uint64_t done = 0;
  const int sourcesField = def.fieldIndex("sources");
  OGR_L_ResetReading(layer);
  while (gdal::Feature feature{OGR_L_GetNextFeature(layer)}) {
    Record r;
    for (std::size_t i = 0; i < def.fields.size(); ++i) {
      if (static_cast<int>(i) == sourcesField) {
        r.values.emplace_back(attribution);
        continue;
      }
      const int index = OGR_F_GetFieldIndex(feature.get(), def.fields[i].name.c_str());
      if (index < 0 || !OGR_F_IsFieldSetAndNotNull(feature.get(), index)) {
        r.values.emplace_back();
        continue;
      }
      switch (def.fields[i].type) {
        case FieldType::Integer: r.values.emplace_back(std::int64_t{OGR_F_GetFieldAsInteger64(feature.get(), index)}); break;
        case FieldType::Real: r.values.emplace_back(OGR_F_GetFieldAsDouble(feature.get(), index)); break;
        case FieldType::Date: {
          int year = 0, month = 0, day = 0, hour = 0, minute = 0, zone = 0;
          float second = 0;
          OGR_F_GetFieldAsDateTimeEx(feature.get(), index, &year, &month, &day, &hour, &minute, &second, &zone);
          r.values.emplace_back(Day{core::Date::ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day)).firstDay()});
          break;
        }
        case FieldType::Text: r.values.emplace_back(std::string(OGR_F_GetFieldAsString(feature.get(), index))); break;
      }
    }
    if (OGRGeometryH geometry = OGR_F_GetGeometryRef(feature.get()); geometry && !OGR_G_IsEmpty(geometry)) {
      if (transform) OGR_G_Transform(geometry, transform.get());
      r.wkb.resize(static_cast<std::size_t>(OGR_G_WkbSize(geometry)));
      OGR_G_ExportToIsoWkb(geometry, wkbNDR, reinterpret_cast<unsigned char*>(r.wkb.data()));
      r.family = familyOf(OGR_G_GetGeometryType(geometry));
    }
    r.styleKey = def.name;
    r.label = def.title;
    sink(r);
    ++done;
    if ((done % 64 == 0 || done == total) && progress && !progress(total ? static_cast<double>(done) / static_cast<double>(total) : 1.0)) {
      throw core::Cancelled();
    }
  }
}

} // namespace

std::vector<OutputLayer> baseLayers(const std::string& geodataDir, const std::optional<geo::BBox>& bbox,
                                    std::vector<BaseSource>& sources) {
  const std::string path = (std::filesystem::path(geodataDir) / "base.gpkg").string();
  const std::string sourcesMd = (std::filesystem::path(geodataDir) / "SOURCES.md").string();
  gdal::Dataset dataset = openBase(path);
  std::vector<OutputLayer> layers;
  for (const auto& base : kBaseLayers) {
    OGRLayerH layer = layerOf(dataset.get(), path, base.source);
    const BaseSource source = readSource(sourcesMd, base.source);
    sources.push_back(source);

    LayerDef def;
    def.name = base.output;
    def.title = "Base map: " + std::string(base.output + 5) + " (" + base.source + ")";
    def.geometry = familyOf(OGR_L_GetGeomType(layer));
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); ++i) {
      OGRFieldDefnH field = OGR_FD_GetFieldDefn(defn, i);
      const std::string name = OGR_Fld_GetNameRef(field);
      def.fields.push_back({name, fieldTypeOf(OGR_Fld_GetType(field)), name.substr(0, 10)});
    }
    def.fields.push_back({"sources", FieldType::Text, "sources"});

    const std::string attribution = source.attribution.empty() ? source.source : source.attribution;
    const char* sourceLayer = base.source;
    const LayerDef captured = def;
    layers.push_back({std::move(def), [path, sourceLayer, captured, bbox, attribution](
                                          const RecordSink& sink, const LayerProgress& progress) {
                        produce(path, sourceLayer, captured, bbox, attribution, sink, progress);
                      }});
  }
  return layers;
}

} // namespace borderlens::exports
