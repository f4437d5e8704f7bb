#include "export/tiles.h"

#include "core/errors.h"
#include "core/redact.h"
#include "export/base_layers.h"
#include "export/manifest.h"
#include "export/mbtiles_writer.h"
#include "export/mvt_encoder.h"
#include "export/staged_output.h"
#include "geo/mercator.h"

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <numbers>
#include <optional>
#include <set>
#include <span>
#include <tuple>

namespace borderlens::exports {

namespace fs = std::filesystem;

namespace {

// Long texts would bloat every tile a feature reaches; tiles carry source_ids, and the manifest
// and the vector exports carry the rest.
bool tileField(const Field& field) {
  static const std::set<std::string> dropped{"sources", "aliases", "identifiers", "description",
                                             "entities", "entity_ids", "address"};
  return dropped.count(field.name) == 0;
}

int parseZoom(const std::string& text, const std::string& whole) {
  int zoom = -1;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), zoom);
  if (text.empty() || result.ec != std::errc{} || result.ptr != text.data() + text.size() || zoom < 0 ||
      zoom > kMaxTileZoom) {
    throw core::UsageError("invalid --zoom '" + whole + "': expected MIN-MAX with levels 0 to " +
                           std::to_string(kMaxTileZoom));
  }
  return zoom;
}

// Tiles are cut here rather than by GDAL's MVT driver: on 100,000 clustered incidents at zoom
// 0-12 that driver took 212 s (it stores every feature per zoom in a temporary SQLite database
// and re-encodes the tiles over its size limit by dropping features), and it finishes no
// benchmark at 1,000,000.

// What a tile holds beyond its edges, in tile units: lines and areas are cut there, so that
// renderers draw no seam, and points that close to the edge are in both tiles.
constexpr std::int32_t kBuffer = 64;
constexpr int kExtentBits = 12;
// Below a layer's deepest level a tile keeps one point per cell of 16 x 16 tile units (a pixel of
// a 256-pixel tile), and where that leaves more than kMaxPointsPerTile, one per cell of twice,
// four times, ... the size until it does not: at about 60 bytes a point that keeps such a tile
// near the 500 KB web maps expect. The deepest level has them all.
constexpr int kThinningCellBits = 4;
constexpr std::ptrdiff_t kMaxPointsPerTile = 8192;
constexpr std::uint32_t kNull = std::numeric_limits<std::uint32_t>::max();
// Progress: reading the layers, then the zoom levels in equal parts.
constexpr double kReadShare = 0.3;
constexpr double kTileShare = 0.67;

double worldX(double lon) { return std::clamp((lon + 180.0) / 360.0, 0.0, 1.0); }

// Web Mercator scaled to the unit square, y down from the north, latitudes clamped.
double worldY(double lat) {
  return 0.5 - geo::lonLatToMercator(0.0, lat).y / (2.0 * std::numbers::pi * geo::kEarthRadiusM);
}

int toWorld(double* x, double* y, void*) {
  *x = worldX(*x);
  *y = worldY(*y);
  return 1;
}

struct GeomDeleter {
  GEOSContextHandle_t handle = nullptr;
  void operator()(GEOSGeometry* geometry) const { GEOSGeom_destroy_r(handle, geometry); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

// A GEOS context and readers for one export (the _r API wants a context per thread).
class Geos {
 public:
  Geos()
      : m_handle(GEOS_init_r()),
        m_wkt(GEOSWKTReader_create_r(m_handle)),
        m_wkb(GEOSWKBReader_create_r(m_handle)) {}
  ~Geos() {
    GEOSWKBReader_destroy_r(m_handle, m_wkb);
    GEOSWKTReader_destroy_r(m_handle, m_wkt);
    GEOS_finish_r(m_handle);
  }
  Geos(const Geos&) = delete;
  Geos& operator=(const Geos&) = delete;

  GEOSContextHandle_t handle() const { return m_handle; }
  GeomPtr own(GEOSGeometry* geometry) const { return GeomPtr(geometry, GeomDeleter{m_handle}); }

  // A record's geometry; null when it has none or GEOS cannot read it.
  GeomPtr read(const Record& record) const {
    GEOSGeometry* g = nullptr;
    if (!record.wkb.empty()) {
      g = GEOSWKBReader_read_r(m_handle, m_wkb, reinterpret_cast<const unsigned char*>(record.wkb.data()),
                               record.wkb.size());
    } else if (!record.wkt.empty()) {
      g = GEOSWKTReader_read_r(m_handle, m_wkt, record.wkt.c_str());
    }
    GeomPtr out = own(g);
    if (out && GEOSisEmpty_r(m_handle, out.get()) != 0) out.reset();
    return out;
  }

 private:
  GEOSContextHandle_t m_handle;
  GEOSWKTReader* m_wkt;
  GEOSWKBReader* m_wkb;
};

struct Bounds {
  double west = std::numeric_limits<double>::infinity();
  double south = std::numeric_limits<double>::infinity();
  double east = -std::numeric_limits<double>::infinity();
  double north = -std::numeric_limits<double>::infinity();

  void add(double minX, double minY, double maxX, double maxY) {
    west = std::min(west, minX);
    south = std::min(south, minY);
    east = std::max(east, maxX);
    north = std::max(north, maxY);
  }
  bool empty() const { return west > east; }
};

// Every distinct encoded value of a layer once, by id: features keep ids, not copies, so that a
// million incidents cost a few words each beyond their distinct values.
class ValueDictionary {
 public:
  std::uint32_t intern(std::string_view bytes) {
    if ((m_offsets.size() - 1) * 2 >= m_table.size()) grow();
    const std::size_t mask = m_table.size() - 1;
    for (std::size_t slot = std::hash<std::string_view>{}(bytes) & mask;; slot = (slot + 1) & mask) {
      if (m_table[slot] == 0) {
        const auto id = static_cast<std::uint32_t>(m_offsets.size() - 1);
        m_bytes.append(bytes);
        m_offsets.push_back(m_bytes.size());
        m_table[slot] = id + 1;
        return id;
      }
      if (at(m_table[slot] - 1) == bytes) return m_table[slot] - 1;
    }
  }

  std::string_view at(std::uint32_t id) const {
    return std::string_view(m_bytes).substr(m_offsets[id], m_offsets[id + 1] - m_offsets[id]);
  }

 private:
  void grow() {
    std::vector<std::uint32_t> table(std::max<std::size_t>(1024, m_table.size() * 2), 0);
    const std::size_t mask = table.size() - 1;
    for (std::uint32_t id = 0; id + 1 < m_offsets.size(); ++id) {
      std::size_t slot = std::hash<std::string_view>{}(at(id)) & mask;
      while (table[slot] != 0) slot = (slot + 1) & mask;
      table[slot] = id + 1;
    }
    m_table = std::move(table);
  }

  std::string m_bytes;
  std::vector<std::size_t> m_offsets{0};
  std::vector<std::uint32_t> m_table;  // id + 1; 0: free
};

// One feature's (or one piece's) place in one tile of the zoom level being written.
struct Entry {
  std::uint64_t tile = 0;  // x << 32 | y
  std::uint32_t rank = 0;
  std::uint32_t feature = 0;
  mvt::TilePoint point;     // a point's position (count == 0)
  std::uint32_t offset = 0; // or a shape's commands in ZoomEntries::commands
  std::uint32_t count = 0;
  mvt::GeomType type = mvt::GeomType::Point;
};

struct ZoomEntries {
  std::vector<Entry> entries;  // by tile, then rank
  std::vector<std::uint32_t> commands;
};

std::uint64_t tileKey(std::int64_t x, std::int64_t y) {
  return (static_cast<std::uint64_t>(x) << 32) | static_cast<std::uint64_t>(y);
}

// The tile's square in world units, widened by the buffer.
struct Rect {
  double minX, minY, maxX, maxY;
};

Rect bufferedTile(int zoom, std::uint32_t x, std::uint32_t y) {
  const double size = std::ldexp(1.0, -zoom);
  const double buffer = size * kBuffer / mvt::kExtent;
  return {x * size - buffer, y * size - buffer, (x + 1) * size + buffer, (y + 1) * size + buffer};
}

// `geometry` cut to `rect`; null when nothing is left.
GeomPtr clip(const Geos& geos, const GEOSGeometry* geometry, const Rect& rect) {
  const GEOSContextHandle_t h = geos.handle();
  double minX = 0, minY = 0, maxX = 0, maxY = 0;
  if (GEOSGeom_getExtent_r(h, geometry, &minX, &minY, &maxX, &maxY) == 0) return {};
  if (maxX < rect.minX || minX > rect.maxX || maxY < rect.minY || minY > rect.maxY) return {};
  if (minX >= rect.minX && maxX <= rect.maxX && minY >= rect.minY && maxY <= rect.maxY) {
    return geos.own(GEOSGeom_clone_r(h, geometry));
  }
  GeomPtr out = geos.own(GEOSClipByRect_r(h, geometry, rect.minX, rect.minY, rect.maxX, rect.maxY));
  if (out && GEOSisEmpty_r(h, out.get()) != 0) out.reset();
  return out;
}

// A shape's parts in one tile, as command integers per geometry type.
class ShapeEncoder {
 public:
  ShapeEncoder(const Geos& geos, int zoom, std::uint32_t x, std::uint32_t y)
      : m_handle(geos.handle()),
        m_scale(std::ldexp(1.0, zoom + kExtentBits)),
        m_originX(static_cast<std::int64_t>(x) << kExtentBits),
        m_originY(static_cast<std::int64_t>(y) << kExtentBits) {}

  void add(const GEOSGeometry* g) {
    switch (GEOSGeomTypeId_r(m_handle, g)) {
      case GEOS_POINT:
        if (GEOSisEmpty_r(m_handle, g) == 0) {
          double x = 0, y = 0;
          GEOSGeomGetX_r(m_handle, g, &x);
          GEOSGeomGetY_r(m_handle, g, &y);
          m_points.push_back(quantize(x, y));
        }
        break;
      case GEOS_LINESTRING:
      case GEOS_LINEARRING:
        read(g);
        m_lineWriter.lineString(m_scratch);
        break;
      case GEOS_POLYGON: {
        read(GEOSGetExteriorRing_r(m_handle, g));
        if (!m_polygonWriter.ring(m_scratch, true)) break;
        const int holes = GEOSGetNumInteriorRings_r(m_handle, g);
        for (int i = 0; i < holes; ++i) {
          read(GEOSGetInteriorRingN_r(m_handle, g, i));
          m_polygonWriter.ring(m_scratch, false);
        }
        break;
      }
      default: {
        const int parts = GEOSGetNumGeometries_r(m_handle, g);
        for (int i = 0; i < parts; ++i) add(GEOSGetGeometryN_r(m_handle, g, i));
      }
    }
  }

  // Appends what was encoded to `zoom`, one entry per geometry type.
  void emit(Entry entry, ZoomEntries& zoom) {
    mvt::GeometryWriter(m_pointCommands).points(m_points);
    const std::pair<mvt::GeomType, const std::vector<std::uint32_t>*> parts[] = {
        {mvt::GeomType::Point, &m_pointCommands},
        {mvt::GeomType::LineString, &m_lineCommands},
        {mvt::GeomType::Polygon, &m_polygonCommands}};
    for (const auto& [type, commands] : parts) {
      if (commands->empty()) continue;
      entry.type = type;
      entry.offset = static_cast<std::uint32_t>(zoom.commands.size());
      entry.count = static_cast<std::uint32_t>(commands->size());
      zoom.commands.insert(zoom.commands.end(), commands->begin(), commands->end());
      zoom.entries.push_back(entry);
    }
  }

 private:
  mvt::TilePoint quantize(double x, double y) const {
    return {static_cast<std::int32_t>(std::llround(x * m_scale) - m_originX),
            static_cast<std::int32_t>(std::llround(y * m_scale) - m_originY)};
  }

  void read(const GEOSGeometry* line) {
    m_scratch.clear();
    const GEOSCoordSequence* sequence = GEOSGeom_getCoordSeq_r(m_handle, line);
    unsigned int size = 0;
    if (!sequence || GEOSCoordSeq_getSize_r(m_handle, sequence, &size) == 0) return;
    for (unsigned int i = 0; i < size; ++i) {
      double x = 0, y = 0;
      GEOSCoordSeq_getXY_r(m_handle, sequence, i, &x, &y);
      m_scratch.push_back(quantize(x, y));
    }
  }

  GEOSContextHandle_t m_handle;
  double m_scale;
  std::int64_t m_originX;
  std::int64_t m_originY;
  std::vector<mvt::TilePoint> m_scratch;
  std::vector<mvt::TilePoint> m_points;
  std::vector<std::uint32_t> m_pointCommands;
  std::vector<std::uint32_t> m_lineCommands;
  std::vector<std::uint32_t> m_polygonCommands;
  mvt::GeometryWriter m_lineWriter{m_lineCommands};
  mvt::GeometryWriter m_polygonWriter{m_polygonCommands};
};

// The MVT feature id: the record's own id where a feature is one record (an entity's location,
// an incident).
int idField(const LayerDef& def) {
  if (def.name == "incidents") return def.fieldIndex("incident_id");
  if (def.name == "entities") return def.fieldIndex("location_id");
  return -1;
}

// One layer's features, read once and kept compactly: world positions for points, GEOS
// geometries in world units for lines and areas, and value ids for the attributes.
class TileLayer {
 public:
  TileLayer(const LayerDef& def, int maxZoom)
      : m_name(def.name), m_title(def.title), m_maxZoom(maxZoom), m_idField(idField(def)),
        m_writer(def.name, keysOf(def)) {
    for (std::size_t f = 0; f < def.fields.size(); ++f) {
      if (!tileField(def.fields[f])) continue;
      const bool number = def.fields[f].type == FieldType::Integer || def.fields[f].type == FieldType::Real;
      m_fields.push_back({f, def.fields[f].name, number});
    }
  }

  void add(const Geos& geos, const Record& record, Bounds& bounds) {
    GeomPtr geometry = geos.read(record);
    if (!geometry) return;  // a tile holds only what has a place
    const GEOSContextHandle_t h = geos.handle();
    const auto feature = static_cast<std::uint32_t>(m_ids.size());
    std::optional<std::uint64_t> id;
    if (m_idField >= 0) {
      if (const auto* n = std::get_if<std::int64_t>(&record.values[static_cast<std::size_t>(m_idField)]); n && *n >= 0) {
        id = static_cast<std::uint64_t>(*n);
      }
    }
    m_ids.push_back(id);
    for (auto& field : m_fields) {
      const Value& value = record.values[field.record];
      if (std::holds_alternative<std::monostate>(value)) {
        m_tags.push_back(kNull);
        continue;
      }
      m_tags.push_back(m_values.intern(mvt::encodeValue(value)));
      const double n = std::holds_alternative<std::int64_t>(value) ? static_cast<double>(std::get<std::int64_t>(value))
                       : std::holds_alternative<double>(value)     ? std::get<double>(value)
                                                                   : std::numeric_limits<double>::quiet_NaN();
      if (!std::isnan(n)) {
        field.min = std::min(field.min, n);
        field.max = std::max(field.max, n);
      }
    }
    if (GEOSGeomTypeId_r(h, geometry.get()) == GEOS_POINT) {
      double x = 0, y = 0;
      GEOSGeomGetX_r(h, geometry.get(), &x);
      GEOSGeomGetY_r(h, geometry.get(), &y);
      bounds.add(x, y, x, y);
      m_points.push_back({worldX(x), worldY(y), feature});
      m_families |= kPoints;
      return;
    }
    double minX = 0, minY = 0, maxX = 0, maxY = 0;
    GEOSGeom_getExtent_r(h, geometry.get(), &minX, &minY, &maxX, &maxY);
    bounds.add(minX, minY, maxX, maxY);
    m_families |= families(h, geometry.get());
    m_shapes.push_back({feature, geos.own(GEOSGeom_transformXY_r(h, geometry.get(), toWorld, nullptr))});
  }

  // Ranks the features by id (then reading order), the order within a tile and the one that
  // decides which point stays where several fall on one position.
  void rankFeatures() {
    std::vector<std::uint32_t> order(m_ids.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      if (m_ids[a].has_value() != m_ids[b].has_value()) return m_ids[a].has_value();
      return m_ids[a].value_or(0) < m_ids[b].value_or(0);
    });
    m_rank.assign(order.size(), 0);
    for (std::uint32_t r = 0; r < order.size(); ++r) m_rank[order[r]] = r;
  }

  std::uint64_t featureCount() const { return m_ids.size(); }
  const std::string& name() const { return m_name; }

  // The entries of zoom level `zoom` (none when it is not `written`, or beyond this layer's
  // levels), and the shapes cut for the next level.
  void buildZoom(const Geos& geos, int zoom, bool written, ZoomEntries& out) {
    out.entries.clear();
    out.commands.clear();
    if (zoom > m_maxZoom) return;
    if (zoom == 0) {
      for (std::uint32_t s = 0; s < m_shapes.size(); ++s) {
        if (GeomPtr piece = clip(geos, m_shapes[s].world.get(), bufferedTile(0, 0, 0))) {
          m_pieces.push_back({0, 0, s, std::move(piece)});
        }
      }
    }
    if (written) {
      addPoints(zoom, out);
      for (const Piece& piece : m_pieces) {
        ShapeEncoder encoder(geos, zoom, piece.x, piece.y);
        encoder.add(piece.geometry.get());
        const std::uint32_t feature = m_shapes[piece.shape].feature;
        Entry entry;
        entry.tile = tileKey(piece.x, piece.y);
        entry.rank = m_rank[feature];
        entry.feature = feature;
        encoder.emit(entry, out);
      }
      std::sort(out.entries.begin(), out.entries.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.tile, a.rank, a.type, a.offset) < std::tie(b.tile, b.rank, b.type, b.offset);
      });
    }
    if (zoom == m_maxZoom) {
      m_pieces.clear();
      return;
    }
    std::vector<Piece> next;
    for (const Piece& piece : m_pieces) {
      for (std::uint32_t dy = 0; dy < 2; ++dy) {
        for (std::uint32_t dx = 0; dx < 2; ++dx) {
          const std::uint32_t x = piece.x * 2 + dx;
          const std::uint32_t y = piece.y * 2 + dy;
          if (GeomPtr cut = clip(geos, piece.geometry.get(), bufferedTile(zoom + 1, x, y))) {
            next.push_back({x, y, piece.shape, std::move(cut)});
          }
        }
      }
    }
    m_pieces = std::move(next);
  }

  // Appends this layer's part of one tile.
  void encode(std::span<const Entry> entries, const ZoomEntries& zoom, std::string& tile) {
    if (entries.empty()) return;
    const std::size_t keys = m_fields.size();
    for (const Entry& entry : entries) {
      m_writer.beginFeature(m_ids[entry.feature], entry.type);
      const std::uint32_t* tags = m_tags.data() + static_cast<std::size_t>(entry.feature) * keys;
      for (std::size_t k = 0; k < keys; ++k) {
        if (tags[k] != kNull) m_writer.tag(static_cast<std::uint32_t>(k), tags[k], m_values.at(tags[k]));
      }
      if (entry.count == 0) {
        m_commands.clear();
        const mvt::TilePoint point[] = {entry.point};
        mvt::GeometryWriter(m_commands).points(point);
        m_writer.geometry(m_commands);
      } else {
        m_writer.geometry(std::span(zoom.commands).subspan(entry.offset, entry.count));
      }
      m_writer.endFeature();
    }
    m_writer.finish(tile);
  }

  // The layer in the MBTiles `json` metadata: vector_layers and tilestats.
  void describe(int minZoom, nlohmann::ordered_json& vectorLayers, nlohmann::ordered_json& stats) const {
    nlohmann::ordered_json fields = nlohmann::ordered_json::object();
    nlohmann::ordered_json attributes = nlohmann::ordered_json::array();
    for (const auto& field : m_fields) {
      fields[field.name] = field.number ? "Number" : "String";
      nlohmann::ordered_json attribute{{"attribute", field.name}, {"type", field.number ? "number" : "string"}};
      if (field.number && field.min <= field.max) {
        attribute["min"] = field.min;
        attribute["max"] = field.max;
      }
      attributes.push_back(std::move(attribute));
    }
    vectorLayers.push_back({{"id", m_name},
                            {"description", m_title},
                            {"minzoom", minZoom},
                            {"maxzoom", m_maxZoom},
                            {"fields", std::move(fields)}});
    nlohmann::ordered_json layer{{"layer", m_name}, {"count", m_ids.size()}};
    // GDAL reads a layer's geometry type here; a layer of several types names none.
    if (m_families == kPoints) layer["geometry"] = "Point";
    if (m_families == kLines) layer["geometry"] = "LineString";
    if (m_families == kPolygons) layer["geometry"] = "Polygon";
    layer["attributeCount"] = m_fields.size();
    layer["attributes"] = std::move(attributes);
    stats.push_back(std::move(layer));
  }

 private:
  static constexpr unsigned kPoints = 1;
  static constexpr unsigned kLines = 2;
  static constexpr unsigned kPolygons = 4;

  static unsigned families(GEOSContextHandle_t h, const GEOSGeometry* g) {
    switch (GEOSGeomTypeId_r(h, g)) {
      case GEOS_POINT:
      case GEOS_MULTIPOINT: return kPoints;
      case GEOS_LINESTRING:
      case GEOS_LINEARRING:
      case GEOS_MULTILINESTRING: return kLines;
      case GEOS_POLYGON:
      case GEOS_MULTIPOLYGON: return kPolygons;
      default: {
        unsigned out = 0;
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); ++i) out |= families(h, GEOSGetGeometryN_r(h, g, i));
        return out;
      }
    }
  }

  static std::vector<std::string> keysOf(const LayerDef& def) {
    std::vector<std::string> keys;
    for (const auto& field : def.fields) {
      if (tileField(field)) keys.push_back(field.name);
    }
    return keys;
  }

  // Points, and copies of them in the neighbouring tiles whose buffer they fall in; below the
  // layer's deepest level, one point per thinning cell of a tile, the lowest ranked, and at most
  // kMaxPointsPerTile.
  void addPoints(int zoom, ZoomEntries& out) const {
    const double scale = std::ldexp(1.0, zoom + kExtentBits);
    const std::int64_t last = (std::int64_t{1} << zoom) - 1;
    const std::int64_t extent = mvt::kExtent;
    const std::size_t first = out.entries.size();
    for (const auto& point : m_points) {
      const std::int64_t gx = std::llround(point.x * scale);
      const std::int64_t gy = std::llround(point.y * scale);
      const std::int64_t tx = std::clamp<std::int64_t>(gx >> kExtentBits, 0, last);
      const std::int64_t ty = std::clamp<std::int64_t>(gy >> kExtentBits, 0, last);
      for (std::int64_t x = std::max<std::int64_t>(tx - 1, 0); x <= std::min(tx + 1, last); ++x) {
        const std::int64_t lx = gx - (x << kExtentBits);
        if (lx < -kBuffer || lx > extent + kBuffer) continue;
        for (std::int64_t y = std::max<std::int64_t>(ty - 1, 0); y <= std::min(ty + 1, last); ++y) {
          const std::int64_t ly = gy - (y << kExtentBits);
          if (ly < -kBuffer || ly > extent + kBuffer) continue;
          // A copy on a neighbour's very edge would be that tile's own point to a reader.
          const bool own = x == tx && y == ty;
          if (!own && lx >= 0 && lx <= extent && ly >= 0 && ly <= extent) continue;
          Entry entry;
          entry.tile = tileKey(x, y);
          entry.rank = m_rank[point.feature];
          entry.feature = point.feature;
          entry.point = {static_cast<std::int32_t>(lx), static_cast<std::int32_t>(ly)};
          out.entries.push_back(entry);
        }
      }
    }
    if (zoom == m_maxZoom) return;
    const auto begin = out.entries.begin() + static_cast<std::ptrdiff_t>(first);
    const auto end = thin(begin, out.entries.end(), kThinningCellBits);
    auto write = begin;
    for (auto group = begin; group != end;) {
      const std::uint64_t tile = group->tile;
      const auto groupEnd = std::find_if(group, end, [tile](const Entry& e) { return e.tile != tile; });
      auto kept = groupEnd;
      for (int bits = kThinningCellBits + 1; kept - group > kMaxPointsPerTile && bits <= kExtentBits; ++bits) {
        kept = thin(group, kept, bits);
      }
      write = write == group ? kept : std::move(group, kept, write);
      group = groupEnd;
    }
    out.entries.erase(write, out.entries.end());
  }

  // Keeps the lowest ranked point of each tile's cells of 2^bits x 2^bits tile units; returns the
  // new end.
  static std::vector<Entry>::iterator thin(std::vector<Entry>::iterator begin, std::vector<Entry>::iterator end,
                                           int bits) {
    const auto cell = [bits](const Entry& e) { return std::make_tuple(e.tile, e.point.y >> bits, e.point.x >> bits); };
    std::sort(begin, end, [&](const Entry& a, const Entry& b) {
      return std::tuple_cat(cell(a), std::tie(a.rank)) < std::tuple_cat(cell(b), std::tie(b.rank));
    });
    return std::unique(begin, end, [&](const Entry& a, const Entry& b) { return cell(a) == cell(b); });
  }

  struct TileField {
    std::size_t record;  // index in the record's values
    std::string name;
    bool number;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
  };
  struct Point {
    double x, y;
    std::uint32_t feature;
  };
  struct Shape {
    std::uint32_t feature;
    GeomPtr world;
  };
  // A shape cut to one tile of the level being built.
  struct Piece {
    std::uint32_t x, y, shape;
    GeomPtr geometry;
  };

  std::string m_name;
  std::string m_title;
  int m_maxZoom;
  int m_idField;
  std::vector<TileField> m_fields;
  ValueDictionary m_values;
  std::vector<std::uint32_t> m_tags;  // m_fields.size() value ids per feature; kNull: null
  std::vector<std::optional<std::uint64_t>> m_ids;
  std::vector<std::uint32_t> m_rank;
  std::vector<Point> m_points;
  std::vector<Shape> m_shapes;
  std::vector<Piece> m_pieces;
  unsigned m_families = 0;
  mvt::LayerWriter m_writer;
  std::vector<std::uint32_t> m_commands;
};

// Writes one zoom level's tiles: each tile's layers in layer order, gzipped. Returns the tiles
// over `largeBytes`.
LargeTiles writeZoom(int zoom, std::vector<std::unique_ptr<TileLayer>>& layers, const std::vector<ZoomEntries>& zoomEntries,
                     std::size_t largeBytes, MbtilesWriter& mbtiles, const std::function<bool(double)>& progress) {
  LargeTiles large;
  large.zoom = zoom;
  std::size_t total = 0;
  for (const auto& z : zoomEntries) total += z.entries.size();
  std::vector<std::size_t> cursor(layers.size(), 0);
  std::size_t consumed = 0;
  std::size_t tiles = 0;
  std::string tile;
  while (true) {
    std::uint64_t next = std::numeric_limits<std::uint64_t>::max();
    for (std::size_t l = 0; l < layers.size(); ++l) {
      if (cursor[l] < zoomEntries[l].entries.size()) next = std::min(next, zoomEntries[l].entries[cursor[l]].tile);
    }
    if (next == std::numeric_limits<std::uint64_t>::max()) break;
    tile.clear();
    for (std::size_t l = 0; l < layers.size(); ++l) {
      const auto& entries = zoomEntries[l].entries;
      std::size_t end = cursor[l];
      while (end < entries.size() && entries[end].tile == next) ++end;
      layers[l]->encode(std::span(entries).subspan(cursor[l], end - cursor[l]), zoomEntries[l], tile);
      consumed += end - cursor[l];
      cursor[l] = end;
    }
    if (!tile.empty()) {
      const std::vector<std::uint8_t> packed = mvt::gzip(tile);
      if (packed.size() > largeBytes) {
        ++large.count;
        large.largestBytes = std::max(large.largestBytes, packed.size());
      }
      mbtiles.addTile(zoom, static_cast<std::uint32_t>(next >> 32), static_cast<std::uint32_t>(next & 0xFFFFFFFFu),
                      packed);
    }
    if (++tiles % 256 == 0 && !progress(static_cast<double>(consumed) / static_cast<double>(total))) {
      throw core::Cancelled();
    }
  }
  return large;
}

std::string fixed7(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.7f", value);
  return buffer;
}

// The metadata rows GDAL's MVT driver wrote, so that readers see the same file as before.
std::vector<std::pair<std::string, std::string>> mbtilesMetadata(const TilesOptions& options,
                                                                 const std::vector<std::unique_ptr<TileLayer>>& layers,
                                                                 Bounds bounds) {
  if (bounds.empty()) bounds = {-180.0, -geo::kMaxMercatorLat, 180.0, geo::kMaxMercatorLat};
  nlohmann::ordered_json vectorLayers = nlohmann::ordered_json::array();
  nlohmann::ordered_json stats = nlohmann::ordered_json::array();
  for (const auto& layer : layers) layer->describe(options.minZoom, vectorLayers, stats);
  const nlohmann::ordered_json json{{"vector_layers", std::move(vectorLayers)},
                                    {"tilestats", {{"layerCount", layers.size()}, {"layers", std::move(stats)}}}};
  return {{"name", fs::path(options.output).stem().string()},
          {"description",
           "borderlens " + options.version + " vector tiles of " + core::redactSecrets(options.database)},
          {"version", "2"},
          {"minzoom", std::to_string(options.minZoom)},
          {"maxzoom", std::to_string(options.maxZoom)},
          {"center", fixed7((bounds.west + bounds.east) / 2) + "," + fixed7((bounds.south + bounds.north) / 2) + "," +
                         std::to_string(options.minZoom)},
          {"bounds", fixed7(bounds.west) + "," + fixed7(bounds.south) + "," + fixed7(bounds.east) + "," +
                         fixed7(bounds.north)},
          {"type", "overlay"},
          {"format", "pbf"},
          {"scheme", "tms"},
          {"json", json.dump(2)}};
}

} // namespace

const std::vector<LayerKind>& tileLayerKinds() {
  static const std::vector<LayerKind> kinds{LayerKind::Entities, LayerKind::Incidents, LayerKind::Links, LayerKind::Base};
  return kinds;
}

const std::vector<LayerKind>& defaultTileLayers() {
  static const std::vector<LayerKind> kinds{LayerKind::Entities, LayerKind::Incidents};
  return kinds;
}

void parseZoomRange(const std::string& text, int& minZoom, int& maxZoom) {
  const auto dash = text.find('-');
  minZoom = parseZoom(text.substr(0, dash), text);
  maxZoom = dash == std::string::npos ? minZoom : parseZoom(text.substr(dash + 1), text);
  if (minZoom > maxZoom) throw core::UsageError("invalid --zoom '" + text + "': the first level is above the second");
}

void checkTiles(const TilesOptions& options) {
  std::string ext = fs::path(options.output).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".mbtiles") throw core::UsageError("tiles are written as MBTiles: give --to FILE.mbtiles");
  if (options.layers.empty()) throw core::UsageError("no layers to write");
  if (options.minZoom < 0 || options.maxZoom > kMaxTileZoom || options.minZoom > options.maxZoom) {
    throw core::UsageError("invalid zoom range");
  }
  if (std::find(options.layers.begin(), options.layers.end(), LayerKind::Base) != options.layers.end() &&
      options.geodataDir.empty()) {
    throw core::InputRejected("the base layer needs geodata/base.gpkg, which was not found (set BORDERLENS_GEODATA)");
  }
  checkTarget(options.output, OutputKind::File, options.overwrite);
  checkTarget(manifestPathFor(options.output), OutputKind::File, options.overwrite);
}

TilesReport writeTiles(store::Store& store, const TilesOptions& options, const core::Progress& progress) {
  checkTiles(options);
  const std::string createdAt = options.createdAt.empty() ? creationTime() : options.createdAt;
  SourceBook sources(store);
  std::vector<OutputLayer> layers = recordLayers(store, options.filter, options.layers, sources);
  std::vector<BaseSource> baseSources;
  if (std::find(options.layers.begin(), options.layers.end(), LayerKind::Base) != options.layers.end()) {
    auto base = baseLayers(options.geodataDir, options.filter.bbox, baseSources);
    layers.insert(layers.end(), std::make_move_iterator(base.begin()), std::make_move_iterator(base.end()));
  }

  StagedOutput output(options.output, OutputKind::File, ".mbtiles");
  StagedOutput manifestOutput(manifestPathFor(options.output), OutputKind::File, ".json");
  Geos geos;

  TilesReport report;
  report.output = options.output;
  report.manifest = manifestPathFor(options.output);
  report.largeTileBytes = options.largeTileBytes;
  std::vector<std::unique_ptr<TileLayer>> tileLayers;
  Bounds bounds;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const LayerDef& def = layers[i].def;
    // The base lines are good to about a kilometre (geodata/SOURCES.md): deeper levels would add
    // nothing but time, and web maps overzoom the last level.
    const int maxZoom = def.name.rfind("base_", 0) == 0
                            ? std::max(options.minZoom, std::min(options.maxZoom, kBaseMaxZoom))
                            : options.maxZoom;
    auto layer = std::make_unique<TileLayer>(def, maxZoom);
    const std::string message = "reading " + def.name;
    layers[i].produce([&](const Record& record) { layer->add(geos, record, bounds); },
                      [&](double fraction) {
                        return core::reportProgress(progress, kReadShare * (static_cast<double>(i) + fraction) /
                                                                  static_cast<double>(layers.size()),
                                                    message);
                      });
    layer->rankFeatures();
    report.layers.push_back({def.name, layer->featureCount(), {}});
    tileLayers.push_back(std::move(layer));
  }

  {
    MbtilesWriter mbtiles(output.path());
    std::vector<ZoomEntries> zoomEntries(tileLayers.size());
    const int levels = options.maxZoom - options.minZoom + 1;
    for (int zoom = 0; zoom <= options.maxZoom; ++zoom) {
      const bool written = zoom >= options.minZoom;
      const double done = written ? static_cast<double>(zoom - options.minZoom) / levels : 0.0;
      const std::string message = "tiling zoom " + std::to_string(zoom);
      if (!core::reportProgress(progress, kReadShare + kTileShare * done, message)) throw core::Cancelled();
      for (std::size_t l = 0; l < tileLayers.size(); ++l) {
        tileLayers[l]->buildZoom(geos, zoom, written, zoomEntries[l]);
      }
      if (!written) continue;
      const LargeTiles large =
          writeZoom(zoom, tileLayers, zoomEntries, options.largeTileBytes, mbtiles, [&](double fraction) {
            return core::reportProgress(progress, kReadShare + kTileShare * (done + fraction / levels), message);
          });
      if (large.count > 0) report.largeTiles.push_back(large);
    }
    for (const auto& [name, value] : mbtilesMetadata(options, tileLayers, bounds)) mbtiles.addMetadata(name, value);
    mbtiles.finish();
  }

  ManifestInput manifest;
  manifest.command = "tiles";
  manifest.format = "mbtiles";
  manifest.database = options.database;
  manifest.schemaVersion = store.schemaVersion();
  manifest.filter = options.filter;
  for (const auto& count : report.layers) manifest.layers.push_back({count.name, count.features, {}});
  manifest.sources = sources.cited();
  manifest.baseSources = baseSources;
  manifest.createdAt = createdAt;
  manifest.version = options.version;
  manifest.extra["zoom"] = {{"min", options.minZoom}, {"max", options.maxZoom}};
  manifest.extra["tiles"] = {
      {"extent", mvt::kExtent},
      {"buffer", kBuffer},
      {"points_below_max_zoom",
       "one point of a layer per 16x16-unit cell of a tile (coarser cells where that leaves over 8192), the lowest id kept"}};
  writeManifest(manifestJson(manifest), output.path(), fs::path(options.output).filename().string(),
                manifestOutput.path());
  if (!core::reportProgress(progress, 0.99, "renaming into place")) throw core::Cancelled();
  output.commit();
  manifestOutput.commit();
  core::reportProgress(progress, 1.0, "written");
  return report;
}

} // namespace borderlens::exports
