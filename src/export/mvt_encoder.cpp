#include "export/mvt_encoder.h"

#include "core/errors.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace borderlens::exports::mvt {

namespace {

enum WireType : std::uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2 };

void varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void key(std::string& out, std::uint32_t field, WireType type) { varint(out, (field << 3) | type); }

void bytesField(std::string& out, std::uint32_t field, std::string_view bytes) {
  key(out, field, kLengthDelimited);
  varint(out, bytes.size());
  out.append(bytes);
}

void packedField(std::string& out, std::uint32_t field, std::span<const std::uint32_t> values) {
  if (values.empty()) return;
  std::string packed;
  for (const std::uint32_t v : values) varint(packed, v);
  bytesField(out, field, packed);
}

std::uint32_t zigzag(std::int32_t n) {
  return (static_cast<std::uint32_t>(n) << 1) ^ static_cast<std::uint32_t>(n >> 31);
}

enum Command : std::uint32_t { kMoveTo = 1, kLineTo = 2, kClosePath = 7 };

std::uint32_t command(Command id, std::size_t count) {
  return (id & 0x7) | (static_cast<std::uint32_t>(count) << 3);
}

void dropRepeated(std::vector<TilePoint>& points) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (kept == 0 || !(points[i] == points[kept - 1])) points[kept++] = points[i];
  }
  points.resize(kept);
}

// Twice the signed area by the surveyor's formula: positive for a clockwise ring with y down.
std::int64_t doubleArea(const std::vector<TilePoint>& ring) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const TilePoint& a = ring[i];
    const TilePoint& b = ring[(i + 1) % ring.size()];
    sum += static_cast<std::int64_t>(a.x) * b.y - static_cast<std::int64_t>(b.x) * a.y;
  }
  return sum;
}

// Value message fields.
constexpr std::uint32_t kStringValue = 1;
constexpr std::uint32_t kDoubleValue = 3;
constexpr std::uint32_t kIntValue = 4;
constexpr std::uint32_t kSintValue = 6;

// Layer, Feature and Tile message fields.
constexpr std::uint32_t kLayerName = 1;
constexpr std::uint32_t kLayerFeatures = 2;
constexpr std::uint32_t kLayerKeys = 3;
constexpr std::uint32_t kLayerValues = 4;
constexpr std::uint32_t kLayerExtent = 5;
constexpr std::uint32_t kLayerVersion = 15;
constexpr std::uint32_t kFeatureId = 1;
constexpr std::uint32_t kFeatureTags = 2;
constexpr std::uint32_t kFeatureType = 3;
constexpr std::uint32_t kFeatureGeometry = 4;
constexpr std::uint32_t kTileLayers = 3;

} // namespace

std::string encodeValue(const Value& value) {
  std::string out;
  std::visit(Overloaded{
                 [&](std::monostate) {},
                 [&](const std::string& text) { bytesField(out, kStringValue, text); },
                 [&](std::int64_t n) {
                   if (n >= 0) {
                     key(out, kIntValue, kVarint);
                     varint(out, static_cast<std::uint64_t>(n));
                   } else {
                     key(out, kSintValue, kVarint);
                     varint(out, (static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63));
                   }
                 },
                 [&](double n) {
                   key(out, kDoubleValue, kFixed64);
                   std::uint64_t bits = 0;
                   std::memcpy(&bits, &n, sizeof bits);
                   for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
                 },
                 [&](Day day) { bytesField(out, kStringValue, isoDate(day)); },
             },
             value);
  return out;
}

void GeometryWriter::moveTo(TilePoint p) {
  m_out.push_back(command(kMoveTo, 1));
  delta(p);
}

void GeometryWriter::delta(TilePoint p) {
  m_out.push_back(zigzag(p.x - m_cursor.x));
  m_out.push_back(zigzag(p.y - m_cursor.y));
  m_cursor = p;
}

void GeometryWriter::points(std::span<const TilePoint> points) {
  if (points.empty()) return;
  m_out.push_back(command(kMoveTo, points.size()));
  for (const TilePoint& p : points) delta(p);
}

bool GeometryWriter::lineString(std::vector<TilePoint>& line) {
  dropRepeated(line);
  if (line.size() < 2) return false;
  moveTo(line.front());
  m_out.push_back(command(kLineTo, line.size() - 1));
  for (std::size_t i = 1; i < line.size(); ++i) delta(line[i]);
  return true;
}

bool GeometryWriter::ring(std::vector<TilePoint>& ring, bool exterior) {
  dropRepeated(ring);
  while (ring.size() > 1 && ring.front() == ring.back()) ring.pop_back();
  if (ring.size() < 3) return false;
  const std::int64_t area = doubleArea(ring);
  if (area == 0) return false;
  if ((area > 0) != exterior) std::reverse(ring.begin(), ring.end());
  moveTo(ring.front());
  m_out.push_back(command(kLineTo, ring.size() - 1));
  for (std::size_t i = 1; i < ring.size(); ++i) delta(ring[i]);
  m_out.push_back(command(kClosePath, 1));
  return true;
}

LayerWriter::LayerWriter(std::string name, std::vector<std::string> keys)
    : m_name(std::move(name)), m_keys(std::move(keys)), m_keyIndex(m_keys.size(), -1) {}

void LayerWriter::beginFeature(std::optional<std::uint64_t> id, GeomType type) {
  m_id = id;
  m_type = type;
  m_tags.clear();
}

void LayerWriter::tag(std::uint32_t keyId, std::uint32_t valueId, std::string_view encodedValue) {
  std::int64_t& keyIndex = m_keyIndex[keyId];
  if (keyIndex < 0) {
    keyIndex = static_cast<std::int64_t>(m_usedKeys.size());
    m_usedKeys.push_back(keyId);
  }
  const auto [it, added] = m_valueIndex.try_emplace(valueId, static_cast<std::uint32_t>(m_valueIndex.size()));
  if (added) bytesField(m_values, kLayerValues, encodedValue);
  m_tags.push_back(static_cast<std::uint32_t>(keyIndex));
  m_tags.push_back(it->second);
}

void LayerWriter::geometry(std::span<const std::uint32_t> commands) {
  m_feature.clear();
  if (m_id) {
    key(m_feature, kFeatureId, kVarint);
    varint(m_feature, *m_id);
  }
  packedField(m_feature, kFeatureTags, m_tags);
  key(m_feature, kFeatureType, kVarint);
  varint(m_feature, static_cast<std::uint32_t>(m_type));
  packedField(m_feature, kFeatureGeometry, commands);
}

void LayerWriter::endFeature() {
  bytesField(m_features, kLayerFeatures, m_feature);
  ++m_featureCount;
}

void LayerWriter::finish(std::string& tile) {
  if (m_featureCount > 0) {
    std::string layer;
    bytesField(layer, kLayerName, m_name);
    layer += m_features;
    for (const std::uint32_t k : m_usedKeys) bytesField(layer, kLayerKeys, m_keys[k]);
    layer += m_values;
    key(layer, kLayerExtent, kVarint);
    varint(layer, kExtent);
    key(layer, kLayerVersion, kVarint);
    varint(layer, 2);
    bytesField(tile, kTileLayers, layer);
  }
  for (const std::uint32_t k : m_usedKeys) m_keyIndex[k] = -1;
  m_usedKeys.clear();
  m_valueIndex.clear();
  m_values.clear();
  m_features.clear();
  m_featureCount = 0;
}

std::vector<std::uint8_t> gzip(std::string_view data) {
  z_stream stream{};
  // 15 window bits + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw core::OutputFailed("zlib cannot start compressing a tile");
  }
  std::vector<std::uint8_t> out(deflateBound(&stream, static_cast<uLong>(data.size())));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int result = deflate(&stream, Z_FINISH);
  const std::size_t written = stream.total_out;
  deflateEnd(&stream);
  if (result != Z_STREAM_END) throw core::OutputFailed("zlib cannot compress a tile");
  out.resize(written);
  return out;
}

} // namespace borderlens::exports::mvt
