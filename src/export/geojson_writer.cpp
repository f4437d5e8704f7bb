// GeoJSON is written here rather than through GDAL: GDAL's GeoJSON writer was measured at ~1.6 s
// per 100,000 incidents (a json-c object tree per feature, every number through printf, the
// feature copied once more by OGRFeature::SetFrom), more than reading them from the store. This
// writer streams the document GDAL wrote with RFC7946=YES, in GDAL's layout: one FeatureCollection
// of every layer, the union of the layers' fields with `layer` first, a layer's own fields only
// (null where a value is missing), dates as ISO strings, exterior rings counterclockwise and
// holes clockwise. Numbers are the shortest text that reads back as the same double, so
// coordinates are kept exactly where GDAL cut them to 7 decimals.
#include "export/buffered_file.h"
#include "export/flat_geometry.h"
#include "export/writers.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace borderlens::exports {

namespace {

// A JSON string: quotes, backslash and control characters escaped, UTF-8 passed through.
template <class Out>
void appendJsonString(Out& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.append(std::string_view("\"", 1));
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out.append(std::string_view("\\\"")); break;
      case '\\': out.append(std::string_view("\\\\")); break;
      case '\n': out.append(std::string_view("\\n")); break;
      case '\r': out.append(std::string_view("\\r")); break;
      case '\t': out.append(std::string_view("\\t")); break;
      case '\b': out.append(std::string_view("\\b")); break;
      case '\f': out.append(std::string_view("\\f")); break;
      default: {
        const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(std::string_view(escaped, sizeof escaped));
      }
    }
  }
  out.append(text.substr(run));
  out.append(std::string_view("\"", 1));
}

std::string jsonString(std::string_view text) {
  std::string out;
  appendJsonString(out, text);
  return out;
}

// A real keeps a decimal point or exponent ("5.0", not "5") so that readers that type fields by
// their values (GDAL's among them) keep it a real. JSON has no NaN or infinity: null.
void appendJsonReal(BufferedFile& out, double value) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  if (out.appendReal(value).find_first_of(".e") == std::string_view::npos) out.append(".0");
}

const char* typeName(ShapeKind kind) {
  switch (kind) {
    case ShapeKind::Point: return "Point";
    case ShapeKind::LineString:
    case ShapeKind::Ring: return "LineString";
    case ShapeKind::Polygon: return "Polygon";
    case ShapeKind::MultiPoint: return "MultiPoint";
    case ShapeKind::MultiLineString: return "MultiLineString";
    case ShapeKind::MultiPolygon: return "MultiPolygon";
    case ShapeKind::Collection: return "GeometryCollection";
  }
  return "?";
}

// Writes a FlatGeometry as a GeoJSON geometry object, walking its nodes in order.
class GeometryJson {
 public:
  GeometryJson(BufferedFile& out, const FlatGeometry& geometry) : m_out(out), m_geometry(geometry) {}

  void write() { object(); }

 private:
  void object() {
    const FlatGeometry::Node node = m_geometry.nodes[m_node++];
    m_out.append("{ \"type\": \"");
    m_out.append(typeName(node.kind));
    if (node.kind == ShapeKind::Collection) {
      m_out.append("\", \"geometries\": [ ");
      for (std::uint32_t i = 0; i < node.count; ++i) {
        if (i) m_out.append(", ");
        object();
      }
      m_out.append(" ] }");
      return;
    }
    m_out.append("\", \"coordinates\": ");
    coordinates(node);
    m_out.append(" }");
  }

  void coordinates(const FlatGeometry::Node& node) {
    switch (node.kind) {
      case ShapeKind::Point:
        if (node.count == 0) {
          m_out.append("[ ]");
        } else {
          position(m_ordinate);
          m_ordinate += static_cast<std::size_t>(m_geometry.dims);
        }
        return;
      case ShapeKind::LineString:
      case ShapeKind::Ring: positions(node.count, false); return;
      case ShapeKind::Polygon:
        m_out.append("[ ");
        for (std::uint32_t i = 0; i < node.count; ++i) {
          if (i) m_out.append(", ");
          const FlatGeometry::Node ring = m_geometry.nodes[m_node++];
          const double area = orientation(ring.count);
          positions(ring.count, i == 0 ? area < 0 : area > 0);
        }
        m_out.append(" ]");
        return;
      default:
        m_out.append("[ ");
        for (std::uint32_t i = 0; i < node.count; ++i) {
          if (i) m_out.append(", ");
          coordinates(m_geometry.nodes[m_node++]);
        }
        m_out.append(" ]");
        return;
    }
  }

  // Twice the signed area of the ring starting at the current ordinate: positive when it runs
  // counterclockwise.
  double orientation(std::uint32_t count) const {
    const std::size_t dims = static_cast<std::size_t>(m_geometry.dims);
    const double* o = m_geometry.ordinates.data() + m_ordinate;
    double area = 0;
    for (std::size_t i = 0; i + 1 < count; ++i) {
      area += o[i * dims] * o[(i + 1) * dims + 1] - o[(i + 1) * dims] * o[i * dims + 1];
    }
    return area;
  }

  // RFC 7946: exterior rings counterclockwise, holes clockwise; `reversed` turns a ring round.
  void positions(std::uint32_t count, bool reversed) {
    const std::size_t dims = static_cast<std::size_t>(m_geometry.dims);
    m_out.append(count ? "[ " : "[");
    for (std::uint32_t i = 0; i < count; ++i) {
      if (i) m_out.append(", ");
      position(m_ordinate + dims * (reversed ? count - 1 - i : i));
    }
    m_out.append(" ]");
    m_ordinate += dims * count;
  }

  void position(std::size_t at) {
    m_out.append("[ ");
    appendJsonReal(m_out, m_geometry.ordinates[at]);
    m_out.append(", ");
    appendJsonReal(m_out, m_geometry.ordinates[at + 1]);
    if (m_geometry.dims == 3) {
      m_out.append(", ");
      appendJsonReal(m_out, m_geometry.ordinates[at + 2]);
    }
    m_out.append(" ]");
  }

  BufferedFile& m_out;
  const FlatGeometry& m_geometry;
  std::size_t m_node = 0;
  std::size_t m_ordinate = 0;
};

class GeoJsonWriter : public VectorWriter {
 public:
  GeoJsonWriter(const std::string& path, const std::vector<LayerDef>& layers) : m_out(path) {
    // The union of the layers' fields, in first-seen order: the order GDAL's writer kept.
    std::size_t next = 1;  // `layer` is first
    for (const auto& layer : layers) {
      for (const auto& field : layer.fields) {
        if (m_unionIndex.emplace(field.name, next).second) ++next;
      }
    }
    m_out.append("{\n\"type\": \"FeatureCollection\",\n\"features\": [\n");
  }

  ShapeNeed shapeNeed() const override { return ShapeNeed::None; }

  void beginLayer(const LayerDef& def, const LayerShape&) override {
    m_result = {};
    m_featureStart = "{ \"type\": \"Feature\", \"properties\": { \"layer\": " + jsonString(def.name);
    m_keys.clear();
    for (const auto& field : def.fields) m_keys.push_back(", " + jsonString(field.name) + ": ");
    m_order.clear();
    for (std::size_t i = 0; i < def.fields.size(); ++i) m_order.push_back(i);
    std::stable_sort(m_order.begin(), m_order.end(), [&](std::size_t a, std::size_t b) {
      return m_unionIndex.at(def.fields[a].name) < m_unionIndex.at(def.fields[b].name);
    });
  }

  void write(const Record& record) override {
    m_out.append(m_features++ ? ",\n" : "");
    m_out.append(m_featureStart);
    for (const std::size_t i : m_order) {
      if (i >= record.values.size()) continue;
      m_out.append(m_keys[i]);
      value(record.values[i]);
    }
    m_out.append(" }, \"geometry\": ");
    switch (readGeometry(record, m_geometry)) {
      case GeometryRead::Read: GeometryJson(m_out, m_geometry).write(); break;
      case GeometryRead::Unreadable: ++m_unreadable; [[fallthrough]];
      case GeometryRead::None: m_out.append("null"); break;
    }
    m_out.append(" }");
    ++m_result.written;
  }

  LayerResult endLayer() override { return m_result; }

  void finish(const FinishInfo&) override {
    m_out.append("\n]\n}\n");
    m_out.close();
    if (m_unreadable) {
      m_warnings.push_back(std::to_string(m_unreadable) + " geometries GDAL could not read were written as none");
    }
  }

  std::vector<std::string> warnings() const override { return m_warnings; }

 private:
  void value(const Value& value) {
    std::visit(Overloaded{
                   [&](std::monostate) { m_out.append("null"); },
                   [&](const std::string& text) { appendJsonString(m_out, text); },
                   [&](std::int64_t number) { m_out.appendInteger(number); },
                   [&](double number) { appendJsonReal(m_out, number); },
                   [&](Day day) {
                     m_out.append('"');
                     m_out.append(IsoDay(day).text());
                     m_out.append('"');
                   },
               },
               value);
  }

  BufferedFile m_out;
  std::map<std::string, std::size_t> m_unionIndex;
  std::string m_featureStart;
  std::vector<std::string> m_keys;    // `, "name": ` per field of the layer
  std::vector<std::size_t> m_order;   // the layer's fields in union order
  FlatGeometry m_geometry;
  LayerResult m_result;
  std::uint64_t m_features = 0;
  std::uint64_t m_unreadable = 0;
  std::vector<std::string> m_warnings;
};

} // namespace

std::unique_ptr<VectorWriter> makeGeoJsonWriter(const std::string& path, const std::vector<LayerDef>& layers) {
  return std::make_unique<GeoJsonWriter>(path, layers);
}

} // namespace borderlens::exports
