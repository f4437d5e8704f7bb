#pragma once

#include "export/layers.h"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

// Mapbox Vector Tile 2.1 encoding (github.com/mapbox/vector-tile-spec): the protobuf messages are
// written by hand (varints and length-delimited fields), which needs no protobuf library.
namespace borderlens::exports::mvt {

inline constexpr std::uint32_t kExtent = 4096;

enum class GeomType : std::uint8_t { Unknown = 0, Point = 1, LineString = 2, Polygon = 3 };

// A position in tile units: x right, y down, 0..kExtent inside the tile (a buffer reaches beyond).
struct TilePoint {
  std::int32_t x = 0;
  std::int32_t y = 0;
  bool operator==(const TilePoint&) const = default;
};

// A feature's Value message: text as string_value, integers as int_value (sint_value when
// negative), reals as double_value, days as ISO dates. Empty for null.
std::string encodeValue(const Value& value);

// The command integers of one feature's geometry, one part after another (the cursor carries on
// from part to part, as the spec requires).
class GeometryWriter {
 public:
  explicit GeometryWriter(std::vector<std::uint32_t>& out) : m_out(out) {}

  // Points (a multipoint: one MoveTo with all of them).
  void points(std::span<const TilePoint> points);
  // A line without its repeated positions; false (nothing written) when fewer than two remain.
  bool lineString(std::vector<TilePoint>& line);
  // A polygon ring without repeated positions and closing point, turned so that an exterior ring
  // is clockwise and a hole counter-clockwise with y down (a positive or negative area by the
  // surveyor's formula); false (nothing written) when it has no area left.
  bool ring(std::vector<TilePoint>& ring, bool exterior);

 private:
  void moveTo(TilePoint p);
  void delta(TilePoint p);

  std::vector<std::uint32_t>& m_out;
  TilePoint m_cursor;
};

// One layer of one tile. Keys are the layer's field names, given once; a tag names a key by its
// index there and a value by an id that is the same for the same value across the tiles (ids
// deduplicate the tile's value table, so equal values must share an id).
class LayerWriter {
 public:
  LayerWriter(std::string name, std::vector<std::string> keys);

  void beginFeature(std::optional<std::uint64_t> id, GeomType type);
  void tag(std::uint32_t key, std::uint32_t valueId, std::string_view encodedValue);
  void geometry(std::span<const std::uint32_t> commands);
  void endFeature();

  bool empty() const { return m_featureCount == 0; }
  // Appends the layer to `tile` as a Tile.layers field (nothing when the layer has no feature)
  // and starts the next tile's layer.
  void finish(std::string& tile);

 private:
  std::string m_name;
  std::vector<std::string> m_keys;
  std::vector<std::int64_t> m_keyIndex;  // key -> index in this tile's keys, -1: not yet used
  std::vector<std::uint32_t> m_usedKeys;
  std::unordered_map<std::uint32_t, std::uint32_t> m_valueIndex;
  std::string m_values;
  std::string m_features;
  std::optional<std::uint64_t> m_id;
  GeomType m_type = GeomType::Unknown;
  std::vector<std::uint32_t> m_tags;
  std::string m_feature;
  std::size_t m_featureCount = 0;
};

// The gzip member of `data` (the compression MBTiles readers expect for pbf tiles).
std::vector<std::uint8_t> gzip(std::string_view data);

} // namespace borderlens::exports::mvt
