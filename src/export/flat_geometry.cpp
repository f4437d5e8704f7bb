#include "export/flat_geometry.h"

#include "export/gdal_support.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

namespace borderlens::exports {

namespace {

constexpr int kMaxDepth = 32;  // nested collections; deeper input goes to OGR

class WktReader {
 public:
  WktReader(std::string_view text, FlatGeometry& out)
      : m_p(text.data()), m_end(text.data() + text.size()), m_out(out) {}

  bool read() {
    if (!geometry(0)) return false;
    skipSpace();
    m_out.dims = m_hasZ ? 3 : 2;
    return m_p == m_end;
  }

 private:
  void skipSpace() {
    while (m_p != m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r')) ++m_p;
  }

  bool accept(char c) {
    skipSpace();
    if (m_p == m_end || *m_p != c) return false;
    ++m_p;
    return true;
  }

  std::string_view word() {
    skipSpace();
    const char* start = m_p;
    while (m_p != m_end && ((*m_p >= 'A' && *m_p <= 'Z') || (*m_p >= 'a' && *m_p <= 'z'))) ++m_p;
    return {start, static_cast<std::size_t>(m_p - start)};
  }

  static bool is(std::string_view word, std::string_view upper) {
    if (word.size() != upper.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
      const char c = word[i] >= 'a' && word[i] <= 'z' ? static_cast<char>(word[i] - 'a' + 'A') : word[i];
      if (c != upper[i]) return false;
    }
    return true;
  }

  bool peekEmpty() {
    const char* save = m_p;
    if (is(word(), "EMPTY")) return true;
    m_p = save;
    return false;
  }

  // Numbers per position: set by a Z, M or ZM tag, else by the first position.
  bool declare(int perPosition, bool z, bool m) {
    if (m_perPosition != 0) return m_perPosition == perPosition && m_hasZ == z && m_hasM == m;
    m_perPosition = perPosition;
    m_hasZ = z;
    m_hasM = m;
    return true;
  }

  std::size_t push(ShapeKind kind) {
    m_out.nodes.push_back({kind, 0});
    return m_out.nodes.size() - 1;
  }

  bool position() {
    double values[4];
    int count = 0;
    for (;;) {
      skipSpace();
      if (m_p == m_end || *m_p == ',' || *m_p == ')') break;
      if (count == 4) return false;
      const auto result = std::from_chars(m_p, m_end, values[count]);
      if (result.ec != std::errc() || !std::isfinite(values[count])) return false;
      m_p = result.ptr;
      ++count;
    }
    if (m_perPosition == 0) {
      if (count < 2) return false;
      declare(count, count >= 3, count == 4);
    }
    if (count != m_perPosition) return false;
    m_out.ordinates.push_back(values[0]);
    m_out.ordinates.push_back(values[1]);
    if (m_hasZ) m_out.ordinates.push_back(values[2]);
    return true;
  }

  // "(x y, x y, ...)" as a node of `kind` counting its positions.
  bool positions(ShapeKind kind) {
    const std::size_t node = push(kind);
    if (!accept('(')) return false;
    do {
      if (!position()) return false;
      ++m_out.nodes[node].count;
    } while (accept(','));
    return accept(')');
  }

  bool polygon() {
    const std::size_t node = push(ShapeKind::Polygon);
    if (!accept('(')) return false;
    do {
      if (!positions(ShapeKind::Ring)) return false;
      ++m_out.nodes[node].count;
    } while (accept(','));
    return accept(')');
  }

  // A member of a multi-geometry: its body, or EMPTY.
  bool member(ShapeKind kind, int depth) {
    if (peekEmpty()) {
      push(kind);
      return true;
    }
    switch (kind) {
      case ShapeKind::Point: {
        // MULTIPOINT ((1 2), (3 4)) and the older MULTIPOINT (1 2, 3 4) are both in use.
        const bool parenthesised = accept('(');
        const std::size_t node = push(ShapeKind::Point);
        if (!position()) return false;
        m_out.nodes[node].count = 1;
        return !parenthesised || accept(')');
      }
      case ShapeKind::LineString: return positions(ShapeKind::LineString);
      case ShapeKind::Polygon: return polygon();
      default: return geometry(depth + 1);
    }
  }

  bool geometry(int depth) {
    if (depth > kMaxDepth) return false;
    const std::string_view tag = word();
    ShapeKind kind;
    ShapeKind memberKind = ShapeKind::Collection;
    if (is(tag, "POINT")) {
      kind = ShapeKind::Point;
    } else if (is(tag, "LINESTRING")) {
      kind = ShapeKind::LineString;
    } else if (is(tag, "POLYGON")) {
      kind = ShapeKind::Polygon;
    } else if (is(tag, "MULTIPOINT")) {
      kind = ShapeKind::MultiPoint;
      memberKind = ShapeKind::Point;
    } else if (is(tag, "MULTILINESTRING")) {
      kind = ShapeKind::MultiLineString;
      memberKind = ShapeKind::LineString;
    } else if (is(tag, "MULTIPOLYGON")) {
      kind = ShapeKind::MultiPolygon;
      memberKind = ShapeKind::Polygon;
    } else if (is(tag, "GEOMETRYCOLLECTION")) {
      kind = ShapeKind::Collection;
    } else {
      return false;
    }
    const char* save = m_p;
    const std::string_view flag = word();
    if (is(flag, "Z")) {
      if (!declare(3, true, false)) return false;
    } else if (is(flag, "M")) {
      if (!declare(3, false, true)) return false;
    } else if (is(flag, "ZM")) {
      if (!declare(4, true, true)) return false;
    } else {
      m_p = save;
    }
    if (peekEmpty()) {
      push(kind);
      return true;
    }
    switch (kind) {
      case ShapeKind::Point: {
        const std::size_t node = push(ShapeKind::Point);
        if (!accept('(') || !position()) return false;
        m_out.nodes[node].count = 1;
        return accept(')');
      }
      case ShapeKind::LineString: return positions(ShapeKind::LineString);
      case ShapeKind::Polygon: return polygon();
      default: break;
    }
    const std::size_t node = push(kind);
    if (!accept('(')) return false;
    do {
      if (!member(memberKind, depth)) return false;
      ++m_out.nodes[node].count;
    } while (accept(','));
    return accept(')');
  }

  const char* m_p;
  const char* m_end;
  FlatGeometry& m_out;
  int m_perPosition = 0;
  bool m_hasZ = false;
  bool m_hasM = false;
};

class WkbReader {
 public:
  WkbReader(std::string_view wkb, FlatGeometry& out)
      : m_p(reinterpret_cast<const unsigned char*>(wkb.data())), m_end(m_p + wkb.size()), m_out(out) {}

  bool read() {
    if (!geometry(0, 0)) return false;
    m_out.dims = m_hasZ ? 3 : 2;
    return m_p == m_end;
  }

 private:
  bool count(std::uint32_t& value) {
    if (m_end - m_p < 4) return false;
    unsigned char bytes[4];
    std::memcpy(bytes, m_p, 4);
    m_p += 4;
    value = m_little ? (std::uint32_t{bytes[0]} | std::uint32_t{bytes[1]} << 8 | std::uint32_t{bytes[2]} << 16 |
                        std::uint32_t{bytes[3]} << 24)
                     : (std::uint32_t{bytes[3]} | std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[1]} << 16 |
                        std::uint32_t{bytes[0]} << 24);
    return true;
  }

  double real() {
    unsigned char bytes[8];
    std::memcpy(bytes, m_p, 8);
    m_p += 8;
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = bits << 8 | bytes[m_little ? 7 - i : i];
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }

  // `n` positions, their bytes checked before any is read.
  bool positions(std::uint32_t n, bool allowEmptyPoint = false) {
    const std::size_t bytes = std::size_t{n} * static_cast<std::size_t>(m_perPosition) * 8;
    if (static_cast<std::size_t>(m_end - m_p) < bytes) return false;
    for (std::uint32_t i = 0; i < n; ++i) {
      double values[4];
      for (int k = 0; k < m_perPosition; ++k) values[k] = real();
      // WKB writes an empty point as NaN coordinates.
      if (allowEmptyPoint && std::isnan(values[0]) && std::isnan(values[1])) {
        m_emptyPoint = true;
        return true;
      }
      if (!std::isfinite(values[0]) || !std::isfinite(values[1]) || (m_hasZ && !std::isfinite(values[2]))) return false;
      m_out.ordinates.push_back(values[0]);
      m_out.ordinates.push_back(values[1]);
      if (m_hasZ) m_out.ordinates.push_back(values[2]);
    }
    return true;
  }

  // `expected`: the base type a multi-geometry's member must have; 0 for any.
  bool geometry(int depth, std::uint32_t expected) {
    if (depth > kMaxDepth || m_p == m_end) return false;
    if (*m_p > 1) return false;
    m_little = *m_p++ == 1;
    std::uint32_t type = 0;
    if (!count(type) || type >= 4000) return false;
    const std::uint32_t base = type % 1000;
    const std::uint32_t dimension = type / 1000;  // ISO: 1 Z, 2 M, 3 ZM
    const bool z = dimension == 1 || dimension == 3;
    const int perPosition = 2 + (z ? 1 : 0) + (dimension >= 2 ? 1 : 0);
    if (m_perPosition == 0) {
      m_perPosition = perPosition;
      m_hasZ = z;
    } else if (m_perPosition != perPosition || m_hasZ != z) {
      return false;
    }
    if (expected != 0 && base != expected) return false;
    std::uint32_t n = 0;
    switch (base) {
      case 1: {
        m_out.nodes.push_back({ShapeKind::Point, 1});
        const std::size_t node = m_out.nodes.size() - 1;
        m_emptyPoint = false;
        if (!positions(1, true)) return false;
        if (m_emptyPoint) m_out.nodes[node].count = 0;
        return true;
      }
      case 2:
        if (!count(n)) return false;
        m_out.nodes.push_back({ShapeKind::LineString, n});
        return positions(n);
      case 3:
        if (!count(n)) return false;
        m_out.nodes.push_back({ShapeKind::Polygon, n});
        for (std::uint32_t i = 0; i < n; ++i) {
          std::uint32_t points = 0;
          if (!count(points)) return false;
          m_out.nodes.push_back({ShapeKind::Ring, points});
          if (!positions(points)) return false;
        }
        return true;
      case 4:
      case 5:
      case 6:
      case 7: {
        if (!count(n)) return false;
        // Each member takes at least 9 bytes: do not trust a count the input cannot hold.
        if (static_cast<std::size_t>(m_end - m_p) / 9 < n) return false;
        static constexpr ShapeKind kinds[] = {ShapeKind::MultiPoint, ShapeKind::MultiLineString,
                                              ShapeKind::MultiPolygon, ShapeKind::Collection};
        m_out.nodes.push_back({kinds[base - 4], n});
        for (std::uint32_t i = 0; i < n; ++i) {
          if (!geometry(depth + 1, base == 7 ? 0 : base - 3)) return false;
        }
        return true;
      }
      default: return false;
    }
  }

  const unsigned char* m_p;
  const unsigned char* m_end;
  FlatGeometry& m_out;
  bool m_little = true;
  int m_perPosition = 0;
  bool m_hasZ = false;
  bool m_emptyPoint = false;
};

bool readThroughOgr(const Record& record, FlatGeometry& out) {
  gdal::Geometry geometry = record.wkb.empty() ? gdal::geometryFromWkt(record.wkt) : gdal::geometryFromWkb(record.wkb);
  if (!geometry) return false;
  if (OGR_G_HasCurveGeometry(geometry.get(), FALSE)) {
    geometry.reset(OGR_G_GetLinearGeometry(geometry.get(), 0, nullptr));
  }
  if (!geometry) return false;
  std::string wkb(static_cast<std::size_t>(OGR_G_WkbSize(geometry.get())), '\0');
  if (OGR_G_ExportToIsoWkb(geometry.get(), wkbNDR, reinterpret_cast<unsigned char*>(wkb.data())) != OGRERR_NONE) {
    return false;
  }
  out.clear();
  return readWkb(wkb, out);
}

} // namespace

bool readWkt(std::string_view wkt, FlatGeometry& out) {
  out.clear();
  return WktReader(wkt, out).read();
}

bool readWkb(std::string_view wkb, FlatGeometry& out) {
  out.clear();
  return WkbReader(wkb, out).read();
}

GeometryRead readGeometry(const Record& record, FlatGeometry& out) {
  out.clear();
  if (record.wkt.empty() && record.wkb.empty()) return GeometryRead::None;
  const bool read = record.wkb.empty() ? readWkt(record.wkt, out) : readWkb(record.wkb, out);
  if (!read && !readThroughOgr(record, out)) {
    out.clear();
    return GeometryRead::Unreadable;
  }
  return out.empty() ? GeometryRead::None : GeometryRead::Read;
}

} // namespace borderlens::exports
