#include "core/errors.h"
#include "export/flat_geometry.h"
#include "export/gdal_support.h"
#include "export/manifest.h"
#include "export/writers.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/rtree_pack.h"

#include <cpl_error.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

namespace borderlens::exports {

namespace {

// dBASE text fields hold at most 254 bytes.
constexpr std::size_t kDbfTextBytes = 254;

const char* driverName(VectorFormat format) {
  switch (format) {
    case VectorFormat::GeoPackage: return "GPKG";
    case VectorFormat::Csv: return "CSV";
    case VectorFormat::Shapefile: return "ESRI Shapefile";
    case VectorFormat::FlatGeobuf: return "FlatGeobuf";
    case VectorFormat::GeoJson:
    case VectorFormat::Kml: break;
  }
  throw core::Error(core::ExitCode::Internal, "no GDAL driver for this format");
}

OGRwkbGeometryType geometryType(GeometryFamily family, bool multi) {
  switch (family) {
    case GeometryFamily::Point: return multi ? wkbMultiPoint : wkbPoint;
    case GeometryFamily::Line: return multi ? wkbMultiLineString : wkbLineString;
    case GeometryFamily::Polygon: return multi ? wkbMultiPolygon : wkbPolygon;
    case GeometryFamily::None: break;
  }
  return wkbNone;
}

const char* typeName(FieldType type) {
  switch (type) {
    case FieldType::Text: return "text";
    case FieldType::Integer: return "integer";
    case FieldType::Real: return "real";
    case FieldType::Date: return "date";
  }
  return "?";
}

// A 2D point's coordinates, read without OGR's WKT parser: points are most of what an export
// writes, and the parser built and freed a geometry for each.
bool plainPoint(const Record& record, FlatGeometry& flat, double& x, double& y) {
  if (!record.wkb.empty() || record.wkt.compare(0, 5, "POINT") != 0 || !readWkt(record.wkt, flat)) return false;
  if (flat.nodes.size() != 1 || flat.nodes[0].count != 1 || flat.dims != 2) return false;
  x = flat.ordinates[0];
  y = flat.ordinates[1];
  return true;
}

// Puts a point in a reused feature: into the point it already holds, or a new one.
void setPoint(OGRFeatureH feature, double x, double y) {
  OGRGeometryH point = OGR_F_GetGeometryRef(feature);
  if (point && OGR_G_GetGeometryType(point) == wkbPoint) {
    OGR_G_SetPoint_2D(point, 0, x, y);
    return;
  }
  point = OGR_G_CreateGeometry(wkbPoint);
  OGR_G_SetPoint_2D(point, 0, x, y);
  OGR_F_SetGeometryDirectly(feature, point);
}

// The longest prefix of `text` that fits `bytes` without cutting a UTF-8 sequence.
std::string utf8Prefix(const std::string& text, std::size_t bytes) {
  if (text.size() <= bytes) return text;
  std::size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

class OgrWriter : public VectorWriter {
 public:
  OgrWriter(VectorFormat format, const std::string& path, const std::vector<LayerDef>& layers,
            const StyleSheet& styles, const std::string& createdAt)
      : m_format(format), m_path(path), m_styles(styles), m_createdAt(createdAt) {
    gdal::ensureRegistered();
    // GeoPackage stamps gpkg_contents.last_change with the time unless told otherwise.
    if (m_format == VectorFormat::GeoPackage) {
      m_currentDate.emplace("OGR_CURRENT_DATE", gdalTimestamp(createdAt));
    }
    GDALDriverH driver = GDALGetDriverByName(driverName(format));
    if (!driver) throw core::OutputFailed(std::string("GDAL has no ") + driverName(format) + " driver");
    m_dataset.reset(GDALCreate(driver, path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!m_dataset) fail("cannot create it");
    if (unionTable()) createUnionLayer(layers);
  }

  ShapeNeed shapeNeed() const override {
    switch (m_format) {
      case VectorFormat::GeoPackage: return ShapeNeed::Guess;
      case VectorFormat::Shapefile:
      case VectorFormat::FlatGeobuf: return ShapeNeed::Exact;
      default: return ShapeNeed::None;
    }
  }

  void beginLayer(const LayerDef& def, const LayerShape& shape) override {
    m_def = &def;
    m_result = {};
    m_parts.clear();
    m_guessed = shape.guessed;
    m_misfit = false;
    m_styledBefore = m_styled.size();
    m_unreadableBefore = m_unreadable;
    if (unionTable()) {
      m_unionFields.clear();
      for (const auto& field : def.fields) m_unionFields.push_back(OGR_FD_GetFieldIndex(m_unionDefn, field.name.c_str()));
      // One feature serves every record: clear what the previous layer's records set.
      for (int i = 0; i < OGR_FD_GetFieldCount(m_unionDefn); ++i) OGR_F_UnsetField(m_unionFeature.get(), i);
      OGR_F_SetFieldString(m_unionFeature.get(), 0, def.name.c_str());
      return;
    }
    const bool split = shape.families.size() > 1 && m_format != VectorFormat::FlatGeobuf;
    if (split) {
      for (const auto& [family, multi] : shape.families) {
        createPart(def.name + "_" + nameOf(family), family, geometryType(family, multi), multi);
      }
      if (shape.hasNull) createPart(def.name + "_" + nameOf(GeometryFamily::None), GeometryFamily::None, wkbNone, false);
      for (const auto& [family, part] : m_parts) m_result.parts.push_back(part.name);
    } else if (shape.families.size() > 1) {
      createPart(def.name, GeometryFamily::None, wkbUnknown, false);
    } else {
      const GeometryFamily family = shape.families.empty() ? def.geometry : shape.families.begin()->first;
      const bool multi = !shape.families.empty() && shape.families.begin()->second;
      createPart(def.name, GeometryFamily::None, geometryType(family, multi), multi, family);
    }
    if (m_format == VectorFormat::GeoPackage && GDALDatasetStartTransaction(m_dataset.get(), FALSE) != OGRERR_NONE) {
      fail("cannot start a transaction");
    }
  }

  void write(const Record& record) override {
    if (m_misfit) return;
    if (m_guessed && record.family != GeometryFamily::None &&
        (record.family != m_def->geometry || multiPart(record))) {
      m_misfit = true;
      return;
    }
    double x = 0;
    double y = 0;
    const bool point = plainPoint(record, m_flat, x, y);
    gdal::Geometry geometry;
    if (!point) {
      geometry = record.wkb.empty() ? gdal::geometryFromWkt(record.wkt) : gdal::geometryFromWkb(record.wkb);
      if (!geometry && (!record.wkt.empty() || !record.wkb.empty())) ++m_unreadable;
    }
    const bool located = point || geometry;
    if (!located && m_format == VectorFormat::FlatGeobuf) {
      // GDAL's FlatGeobuf writer drops features without geometry; count them instead.
      ++m_result.skipped;
      return;
    }
    if (unionTable()) {
      writeUnion(record, point, x, y, std::move(geometry));
      return;
    }
    Part& part = partFor(located ? record.family : GeometryFamily::None);
    OGRFeatureH feature = part.feature.get();
    if (point && !part.multi) {
      setPoint(feature, x, y);
    } else {
      if (point) geometry = pointGeometry(x, y);
      if (geometry && part.multi) geometry.reset(OGR_G_ForceTo(geometry.release(), part.type, nullptr));
      OGR_F_SetGeometryDirectly(feature, geometry.release());
    }
    setFields(feature, part.fields, record);
    OGR_F_SetFID(feature, OGRNullFID);
    if (OGR_L_CreateFeature(part.layer, feature) != OGRERR_NONE) fail("cannot write a feature of " + part.name);
    if (!part.index.rtree.empty()) keepBox(part.index, feature);
    ++m_result.written;
  }

  bool fits() const override { return !m_misfit; }

  // Drops the tables a guessed shape made for the layer; free pages the rows leave are reused by
  // the tables written next.
  void discardLayer() override {
    if (GDALDatasetCommitTransaction(m_dataset.get()) != OGRERR_NONE) fail("cannot commit layer " + m_def->name);
    for (auto& [family, part] : m_parts) {
      part.feature.reset();
      bool dropped = false;
      for (int i = 0; i < GDALDatasetGetLayerCount(m_dataset.get()) && !dropped; ++i) {
        if (part.name != OGR_L_GetName(GDALDatasetGetLayer(m_dataset.get(), i))) continue;
        if (GDALDatasetDeleteLayer(m_dataset.get(), i) != OGRERR_NONE) fail("cannot drop table " + part.name);
        dropped = true;
      }
    }
    m_parts.clear();
    m_styled.erase(m_styled.begin() + static_cast<std::ptrdiff_t>(m_styledBefore), m_styled.end());
    m_unreadable = m_unreadableBefore;
    m_misfit = false;
  }

  LayerResult endLayer() override {
    if (m_format == VectorFormat::GeoPackage && GDALDatasetCommitTransaction(m_dataset.get()) != OGRERR_NONE) {
      fail("cannot commit layer " + m_def->name);
    }
    for (auto& [family, part] : m_parts) {
      if (!part.index.rtree.empty()) m_pendingIndexes.push_back(std::move(part.index));
    }
    if (m_result.skipped) {
      m_warnings.push_back(std::string(m_def->name) + ": FlatGeobuf holds no features without geometry; " +
                           std::to_string(m_result.skipped) + " left out");
    }
    return m_result;
  }

  void finish(const FinishInfo& info) override {
    if (m_format == VectorFormat::GeoPackage) {
      writeSourcesTable(info.sources);
      writeLayerStyles(info.createdAt);
      // Its own metadata domain keeps the manifest (long with many sources) out of every
      // `ogrinfo` listing; `ogrinfo -mdd BORDERLENS` shows it.
      GDALSetMetadataItem(m_dataset.get(), "MANIFEST", info.manifest.dump().c_str(), "BORDERLENS");
    }
    m_parts.clear();
    m_unionFeature.reset();
    CPLErrorReset();
    m_dataset.reset();
    if (CPLGetLastErrorType() >= CE_Failure) fail("cannot complete it");
    packPendingIndexes();
    if (m_format == VectorFormat::Shapefile) writeFieldNames();
    if (m_unreadable) {
      m_warnings.push_back(std::to_string(m_unreadable) + " geometries GDAL could not read were written as none");
    }
    if (m_truncated) {
      m_warnings.push_back("Shapefile text fields hold at most 254 bytes: " + std::to_string(m_truncated) +
                           " values were cut at a character boundary");
    }
  }

  std::vector<std::string> warnings() const override { return m_warnings; }

 private:
  // A GeoPackage table's R*Tree, packed at the finish (see deferSpatialIndex).
  struct PendingIndex {
    std::string rtree;
    std::string insertTrigger;
    std::vector<store::sqlite::RtreeBox> boxes;
  };

  struct Part {
    std::string name;
    OGRLayerH layer = nullptr;
    OGRwkbGeometryType type = wkbUnknown;
    bool multi = false;
    std::vector<int> fields;  // OGR field index per layer field
    gdal::Feature feature;    // reused for every record rather than created and destroyed for each
    PendingIndex index;       // GeoPackage only; rtree empty elsewhere
  };

  [[noreturn]] void fail(const std::string& what) const {
    throw core::OutputFailed(m_path + ": " + what + ": " + m_errors.message());
  }

  bool unionTable() const { return m_format == VectorFormat::Csv; }
  bool shapefile() const { return m_format == VectorFormat::Shapefile; }

  OGRFieldType ogrType(FieldType type) const {
    switch (type) {
      case FieldType::Text: return OFTString;
      case FieldType::Integer: return OFTInteger64;
      case FieldType::Real: return OFTReal;
      // GDAL's CSV writer puts dates as YYYY/MM/DD; CSV readers expect ISO dates, so CSV gets text.
      case FieldType::Date: return m_format == VectorFormat::Csv ? OFTString : OFTDate;
    }
    return OFTString;
  }

  int addField(OGRLayerH layer, const std::string& name, FieldType type) {
    OGRFieldDefnH field = OGR_Fld_Create(name.c_str(), ogrType(type));
    if (shapefile() && type == FieldType::Text) OGR_Fld_SetWidth(field, static_cast<int>(kDbfTextBytes));
    const OGRErr error = OGR_L_CreateField(layer, field, TRUE);
    OGR_Fld_Destroy(field);
    if (error != OGRERR_NONE) fail("cannot create field " + name);
    return OGR_FD_GetFieldCount(OGR_L_GetLayerDefn(layer)) - 1;
  }

  OGRLayerH createLayer(const std::string& name, OGRwkbGeometryType type, const std::string& title) {
    gdal::Options options;
    switch (m_format) {
      case VectorFormat::GeoPackage:
        options.set("FID", "fid").set("GEOMETRY_NAME", "geom").set("DESCRIPTION", title).set("IDENTIFIER", name);
        if (type != wkbNone) options.set("SPATIAL_INDEX", "NO");  // deferSpatialIndex makes it
        break;
      case VectorFormat::Csv:
        options.set("GEOMETRY", "AS_WKT").set("WRITE_BOM", "YES").set("LINEFORMAT", "LF").set("STRING_QUOTING", "IF_NEEDED");
        break;
      case VectorFormat::Shapefile:
        // The dBASE header holds a last-update date; the export's creation date keeps it stable.
        options.set("ENCODING", "UTF-8").set("RESIZE", "YES").set("DBF_DATE_LAST_UPDATE", m_createdAt.substr(0, 10));
        break;
      case VectorFormat::FlatGeobuf: options.set("SPATIAL_INDEX", "YES"); break;
      case VectorFormat::GeoJson:
      case VectorFormat::Kml: break;
    }
    const gdal::Srs srs = gdal::srsFromEpsg(4326);
    OGRLayerH layer = GDALDatasetCreateLayer(m_dataset.get(), name.c_str(), type == wkbNone ? nullptr : srs.get(),
                                             type, options.get());
    if (!layer) fail("cannot create layer " + name);
    return layer;
  }

  void createPart(const std::string& name, GeometryFamily key, OGRwkbGeometryType type, bool multi,
                  GeometryFamily styleFamily = GeometryFamily::None) {
    Part part;
    part.name = name;
    part.type = type;
    part.multi = multi;
    part.layer = createLayer(name, type, m_def->title);
    if (m_format == VectorFormat::GeoPackage && type != wkbNone) deferSpatialIndex(part);
    for (const auto& field : m_def->fields) {
      const std::string fieldName = shapefile() ? field.shortName : field.name;
      part.fields.push_back(addField(part.layer, fieldName, field.type));
      if (shapefile()) m_fieldNames.push_back({name, field.name, field.shortName, typeName(field.type)});
    }
    part.feature.reset(OGR_F_Create(OGR_L_GetLayerDefn(part.layer)));
    const GeometryFamily family = key != GeometryFamily::None ? key : styleFamily;
    if (m_format == VectorFormat::GeoPackage && type != wkbNone && type != wkbUnknown) {
      m_styled.push_back({name, m_styles.rules(*m_def, family)});
    }
    m_parts[key] = std::move(part);
  }

  // GDAL 3.6 fills a GeoPackage's R*Tree at the close, a row at a time: 11 of the 15 s that
  // ogr2ogr takes to write a million points. So GDAL makes the index here, on the empty table,
  // with its triggers and its gpkg_extensions row; the insert trigger is set aside while the rows
  // go in, and packPendingIndexes() packs the tree (Sort-Tile-Recursive, as the store packs
  // SpatiaLite's) and puts the trigger back, so that later edits keep the index up.
  void deferSpatialIndex(Part& part) {
    PendingIndex& index = part.index;
    index.rtree = "rtree_" + part.name + "_geom";
    runSql("SELECT CreateSpatialIndex(" + store::sqlite::quotedLiteral(part.name) + ", 'geom')");
    const std::string select = "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = " +
                               store::sqlite::quotedLiteral(index.rtree + "_insert");
    OGRLayerH found = GDALDatasetExecuteSQL(m_dataset.get(), select.c_str(), nullptr, nullptr);
    if (found) {
      gdal::Feature row(OGR_L_GetNextFeature(found));
      if (row && OGR_F_IsFieldSetAndNotNull(row.get(), 0)) index.insertTrigger = OGR_F_GetFieldAsString(row.get(), 0);
      GDALDatasetReleaseResultSet(m_dataset.get(), found);
    }
    if (index.insertTrigger.empty()) fail("GDAL made no insert trigger for the spatial index of " + part.name);
    runSql("DROP TRIGGER " + store::sqlite::quotedIdentifier(index.rtree + "_insert"));
  }

  void runSql(const std::string& sql) {
    CPLErrorReset();
    OGRLayerH result = GDALDatasetExecuteSQL(m_dataset.get(), sql.c_str(), nullptr, nullptr);
    if (result) GDALDatasetReleaseResultSet(m_dataset.get(), result);
    if (CPLGetLastErrorType() >= CE_Failure) fail("cannot run " + sql);
  }

  // What the set-aside insert trigger would have put in the R*Tree.
  static void keepBox(PendingIndex& index, OGRFeatureH feature) {
    OGRGeometryH geometry = OGR_F_GetGeometryRef(feature);
    if (!geometry || OGR_G_IsEmpty(geometry)) return;
    OGREnvelope envelope;
    OGR_G_GetEnvelope(geometry, &envelope);
    index.boxes.push_back({OGR_F_GetFID(feature), envelope.MinX, envelope.MaxX, envelope.MinY, envelope.MaxY, 0, 0});
  }

  // Runs after GDAL has closed the file, through a connection of the store's.
  void packPendingIndexes() {
    if (m_pendingIndexes.empty()) return;
    try {
      store::sqlite::Connection db(m_path, store::sqlite::Connection::Mode::ReadWrite);
      db.exec("BEGIN");
      for (const auto& index : m_pendingIndexes) {
        store::sqlite::packRtree(db, index.rtree, index.boxes);
        db.exec(index.insertTrigger);
      }
      db.exec("COMMIT");
    } catch (const core::Error& e) {
      throw core::OutputFailed(m_path + ": cannot build its spatial index: " + e.what());
    }
    m_pendingIndexes.clear();
  }

  Part& partFor(GeometryFamily family) {
    if (m_parts.size() == 1) return m_parts.begin()->second;
    const auto it = m_parts.find(family);
    if (it == m_parts.end()) fail("layer " + m_def->name + " has a geometry its first pass did not see");
    return it->second;
  }

  // CSV's one table: `layer`, `lon`, `lat`, then the union of the layers' fields.
  void createUnionLayer(const std::vector<LayerDef>& layers) {
    m_unionLayer = createLayer("borderlens", wkbUnknown, "borderlens export");
    addField(m_unionLayer, "layer", FieldType::Text);
    addField(m_unionLayer, "lon", FieldType::Real);
    addField(m_unionLayer, "lat", FieldType::Real);
    m_unionDefn = OGR_L_GetLayerDefn(m_unionLayer);
    for (const auto& layer : layers) {
      for (const auto& field : layer.fields) {
        if (OGR_FD_GetFieldIndex(m_unionDefn, field.name.c_str()) < 0) addField(m_unionLayer, field.name, field.type);
      }
    }
    m_unionFeature.reset(OGR_F_Create(m_unionDefn));
  }

  void writeUnion(const Record& record, bool point, double x, double y, gdal::Geometry geometry) {
    OGRFeatureH feature = m_unionFeature.get();
    OGR_F_UnsetField(feature, 1);
    OGR_F_UnsetField(feature, 2);
    if (point) {
      OGR_F_SetFieldDouble(feature, 1, x);
      OGR_F_SetFieldDouble(feature, 2, y);
    } else if (geometry) {
      setLonLat(feature, geometry.get());
    }
    setFields(feature, m_unionFields, record);
    if (point) {
      setPoint(feature, x, y);
    } else {
      OGR_F_SetGeometryDirectly(feature, geometry.release());
    }
    OGR_F_SetFID(feature, OGRNullFID);
    if (OGR_L_CreateFeature(m_unionLayer, feature) != OGRERR_NONE) fail("cannot write a feature");
    ++m_result.written;
  }

  static gdal::Geometry pointGeometry(double x, double y) {
    gdal::Geometry point(OGR_G_CreateGeometry(wkbPoint));
    OGR_G_SetPoint_2D(point.get(), 0, x, y);
    return point;
  }

  // Every field of a reused feature is set (to null where the value is) or unset, so nothing of
  // the previous record stays.
  void setFields(OGRFeatureH feature, const std::vector<int>& fields, const Record& record) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i < record.values.size()) {
        setField(feature, fields[i], record.values[i]);
      } else if (fields[i] >= 0) {
        OGR_F_UnsetField(feature, fields[i]);
      }
    }
  }

  // lon/lat: a point's own coordinates, or a point inside an area; lines have none.
  static void setLonLat(OGRFeatureH feature, OGRGeometryH geometry) {
    const auto family = wkbFlatten(OGR_G_GetGeometryType(geometry));
    gdal::Geometry inside;
    OGRGeometryH point = nullptr;
    if (family == wkbPoint) {
      point = geometry;
    } else if (family == wkbPolygon || family == wkbMultiPolygon) {
      inside.reset(OGR_G_PointOnSurface(geometry));
      point = inside.get();
    }
    if (!point || OGR_G_IsEmpty(point)) return;
    OGR_F_SetFieldDouble(feature, 1, OGR_G_GetX(point, 0));
    OGR_F_SetFieldDouble(feature, 2, OGR_G_GetY(point, 0));
  }

  void setField(OGRFeatureH feature, int index, const Value& value) {
    if (index < 0) return;
    std::visit(Overloaded{
                   [&](std::monostate) { OGR_F_SetFieldNull(feature, index); },
                   [&](const std::string& text) {
                     if (shapefile() && text.size() > kDbfTextBytes) {
                       ++m_truncated;
                       OGR_F_SetFieldString(feature, index, utf8Prefix(text, kDbfTextBytes).c_str());
                     } else {
                       OGR_F_SetFieldString(feature, index, text.c_str());
                     }
                   },
                   [&](std::int64_t number) { OGR_F_SetFieldInteger64(feature, index, number); },
                   [&](double number) { OGR_F_SetFieldDouble(feature, index, number); },
                   [&](Day day) {
                     if (m_format == VectorFormat::Csv) {
                       OGR_F_SetFieldString(feature, index, isoDate(day).c_str());
                       return;
                     }
                     const core::Date date = core::Date::fromDays(day.days);
                     OGR_F_SetFieldDateTime(feature, index, date.year(), static_cast<int>(date.month()),
                                            static_cast<int>(date.day()), 0, 0, 0, 0);
                   },
               },
               value);
  }

  // A table of every source the exported records cite, for joins on their source_ids.
  void writeSourcesTable(const std::vector<core::Source>& sources) {
    gdal::Options options;
    options.set("FID", "source_id").set("DESCRIPTION", "Sources cited by the exported records (source_ids)");
    OGRLayerH layer = GDALDatasetCreateLayer(m_dataset.get(), "sources", nullptr, wkbNone, options.get());
    if (!layer) fail("cannot create the sources table");
    const char* names[] = {"publisher", "title", "published", "url", "file", "sha256"};
    for (const char* name : names) addField(layer, name, FieldType::Text);
    if (GDALDatasetStartTransaction(m_dataset.get(), FALSE) != OGRERR_NONE) fail("cannot start a transaction");
    for (const auto& s : sources) {
      gdal::Feature feature(OGR_F_Create(OGR_L_GetLayerDefn(layer)));
      OGR_F_SetFID(feature.get(), s.id);
      const std::string* values[] = {&s.publisher, &s.title, &s.published, &s.url, &s.file, &s.sha256};
      for (int i = 0; i < 6; ++i) {
        if (!values[i]->empty()) OGR_F_SetFieldString(feature.get(), i, values[i]->c_str());
      }
      if (OGR_L_CreateFeature(layer, feature.get()) != OGRERR_NONE) fail("cannot write the sources table");
    }
    if (GDALDatasetCommitTransaction(m_dataset.get()) != OGRERR_NONE) fail("cannot commit the sources table");
  }

  // QGIS looks for a layer's default style in the layer_styles table (the table QGIS itself
  // creates when it saves a style into a GeoPackage).
  void writeLayerStyles(const std::string& createdAt) {
    gdal::Options options;
    options.set("FID", "id").set("DESCRIPTION", "QGIS layer styles");
    OGRLayerH layer = GDALDatasetCreateLayer(m_dataset.get(), "layer_styles", nullptr, wkbNone, options.get());
    if (!layer) fail("cannot create the layer_styles table");
    const char* texts[] = {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName",
                           "styleQML",        "styleSLD",       "useAsDefault", "description",       "owner",
                           "ui",              "update_time"};
    for (const char* name : texts) {
      const std::string field(name);
      OGRFieldDefnH defn = OGR_Fld_Create(name, field == "useAsDefault" ? OFTInteger
                                                : field == "update_time"  ? OFTDateTime
                                                                          : OFTString);
      if (field == "useAsDefault") OGR_Fld_SetSubType(defn, OFSTBoolean);
      const OGRErr error = OGR_L_CreateField(layer, defn, TRUE);
      OGR_Fld_Destroy(defn);
      if (error != OGRERR_NONE) fail("cannot create the layer_styles table");
    }
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    std::sscanf(createdAt.c_str(), "%d-%d-%dT%d:%d:%d", &year, &month, &day, &hour, &minute, &second);
    if (GDALDatasetStartTransaction(m_dataset.get(), FALSE) != OGRERR_NONE) fail("cannot start a transaction");
    for (const auto& [table, rules] : m_styled) {
      gdal::Feature feature(OGR_F_Create(OGR_L_GetLayerDefn(layer)));
      OGR_F_SetFieldString(feature.get(), 0, "");
      OGR_F_SetFieldString(feature.get(), 1, "");
      OGR_F_SetFieldString(feature.get(), 2, table.c_str());
      OGR_F_SetFieldString(feature.get(), 3, "geom");
      OGR_F_SetFieldString(feature.get(), 4, table.c_str());
      OGR_F_SetFieldString(feature.get(), 5, qmlStyle(rules).c_str());
      OGR_F_SetFieldString(feature.get(), 6, sldStyle(table, rules).c_str());
      OGR_F_SetFieldInteger(feature.get(), 7, 1);
      OGR_F_SetFieldString(feature.get(), 8, "borderlens: the map's colours (assets/style.json)");
      OGR_F_SetFieldString(feature.get(), 9, "borderlens");
      OGR_F_SetFieldDateTimeEx(feature.get(), 11, year, month, day, hour, minute, static_cast<float>(second), 100);
      if (OGR_L_CreateFeature(layer, feature.get()) != OGRERR_NONE) fail("cannot write the layer_styles table");
    }
    if (GDALDatasetCommitTransaction(m_dataset.get()) != OGRERR_NONE) fail("cannot commit the layer_styles table");
  }

  // Shapefile field names are cut to 10 characters; field_names.csv maps them back.
  void writeFieldNames() {
    const std::string path = (std::filesystem::path(m_path) / "field_names.csv").string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "file,field,shapefile_field,type\n";
    for (const auto& row : m_fieldNames) out << row[0] << ".shp," << row[1] << "," << row[2] << "," << row[3] << "\n";
    out.close();
    if (!out) throw core::OutputFailed(path + ": cannot write it");
  }

  VectorFormat m_format;
  std::string m_path;
  const StyleSheet& m_styles;
  std::string m_createdAt;
  gdal::ErrorCapture m_errors;
  std::optional<gdal::ThreadConfig> m_currentDate;
  gdal::Dataset m_dataset;

  const LayerDef* m_def = nullptr;
  std::map<GeometryFamily, Part> m_parts;
  std::vector<PendingIndex> m_pendingIndexes;
  LayerResult m_result;
  bool m_guessed = false;  // the parts follow a guessed shape
  bool m_misfit = false;   // a record did not fit it
  std::size_t m_styledBefore = 0;
  std::uint64_t m_unreadableBefore = 0;
  FlatGeometry m_flat;

  OGRLayerH m_unionLayer = nullptr;
  OGRFeatureDefnH m_unionDefn = nullptr;
  gdal::Feature m_unionFeature;
  std::vector<int> m_unionFields;

  std::vector<std::pair<std::string, std::vector<StyleRule>>> m_styled;
  std::vector<std::array<std::string, 4>> m_fieldNames;
  std::uint64_t m_truncated = 0;
  std::uint64_t m_unreadable = 0;
  std::vector<std::string> m_warnings;
};

} // namespace

std::unique_ptr<VectorWriter> makeOgrWriter(VectorFormat format, const std::string& path,
                                            const std::vector<LayerDef>& layers, const StyleSheet& styles,
                                            const std::string& createdAt) {
  return std::make_unique<OgrWriter>(format, path, layers, styles, createdAt);
}

} // namespace borderlens::exports
