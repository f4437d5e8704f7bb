// KML is written here rather than through GDAL: GDAL's KML drivers put each layer in one flat
// folder and write TimeSpan only from full date-time fields, while analysts need folders per
// authority and round, and time elements that Google Earth's time slider understands.
//
// Placemarks arrive in the store's order but are grouped by folder, and the document's styles,
// which come first, are known only at the end: each folder's placemarks go, 64 KiB at a time, to
// an unnamed scratch file beside the output and are copied into place by finish(), so memory
// stays the same whatever the number of features.
#include "core/errors.h"
#include "export/buffered_file.h"
#include "export/flat_geometry.h"
#include "export/writers.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>

namespace borderlens::exports {

namespace {

// A folder's text goes to the scratch file once it holds this much.
constexpr std::size_t kFolderChunk = std::size_t{64} << 10;

// XML text: escaped, and without the control characters XML 1.0 cannot carry.
void appendXml(std::string& out, std::string_view text) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const auto u = static_cast<unsigned char>(c);
    const bool control = u < 0x20 && c != '\t' && c != '\n' && c != '\r';
    if (!control && c != '&' && c != '<' && c != '>' && c != '"') continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: break;
    }
  }
  out.append(text.substr(run));
}

std::string xmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  appendXml(out, text);
  return out;
}

template <class T>
void appendNumber(std::string& out, T value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

// A value as valueText writes it, escaped.
void appendValue(std::string& out, const Value& value) {
  std::visit(Overloaded{
                 [](std::monostate) {},
                 [&](const std::string& text) { appendXml(out, text); },
                 [&](std::int64_t number) { appendNumber(out, number); },
                 [&](double number) { appendNumber(out, number); },
                 [&](Day day) { out += IsoDay(day).text(); },
             },
             value);
}

const char* kmlType(FieldType type) {
  switch (type) {
    case FieldType::Integer: return "int";
    case FieldType::Real: return "double";
    case FieldType::Text:
    case FieldType::Date: break;
  }
  return "string";
}

std::string idPart(const std::string& text) {
  std::string out;
  for (char c : text) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out.empty() ? "none" : out;
}

// A FlatGeometry as KML geometry elements, as OGR_G_ExportToKML wrote them, with coordinates in
// their shortest exact form.
class GeometryKml {
 public:
  GeometryKml(std::string& out, const FlatGeometry& geometry) : m_out(out), m_geometry(geometry) {}

  void write() { element(); }

 private:
  void element() {
    const FlatGeometry::Node node = m_geometry.nodes[m_node++];
    switch (node.kind) {
      case ShapeKind::Point:
        if (node.count == 0) return;  // an empty member of a multi-point
        m_out += "<Point>";
        coordinates(1);
        m_out += "</Point>";
        return;
      case ShapeKind::LineString:
      case ShapeKind::Ring:
        m_out += "<LineString>";
        coordinates(node.count);
        m_out += "</LineString>";
        return;
      case ShapeKind::Polygon:
        m_out += "<Polygon>";
        for (std::uint32_t i = 0; i < node.count; ++i) {
          const FlatGeometry::Node ring = m_geometry.nodes[m_node++];
          m_out += i == 0 ? "<outerBoundaryIs><LinearRing>" : "<innerBoundaryIs><LinearRing>";
          coordinates(ring.count);
          m_out += i == 0 ? "</LinearRing></outerBoundaryIs>" : "</LinearRing></innerBoundaryIs>";
        }
        m_out += "</Polygon>";
        return;
      case ShapeKind::MultiPoint:
      case ShapeKind::MultiLineString:
      case ShapeKind::MultiPolygon:
      case ShapeKind::Collection:
        m_out += "<MultiGeometry>";
        for (std::uint32_t i = 0; i < node.count; ++i) element();
        m_out += "</MultiGeometry>";
        return;
    }
  }

  void coordinates(std::uint32_t count) {
    const std::size_t dims = static_cast<std::size_t>(m_geometry.dims);
    m_out += "<coordinates>";
    for (std::uint32_t i = 0; i < count; ++i) {
      if (i) m_out += ' ';
      for (std::size_t k = 0; k < dims; ++k) {
        if (k) m_out += ',';
        appendNumber(m_out, m_geometry.ordinates[m_ordinate++]);
      }
    }
    m_out += "</coordinates>";
  }

  std::string& m_out;
  const FlatGeometry& m_geometry;
  std::size_t m_node = 0;
  std::size_t m_ordinate = 0;
};

// Google Earth's stock icons: a dot for an exact location, a ring for an approximate one.
constexpr const char* kDotIcon = "https://maps.google.com/mapfiles/kml/shapes/shaded_dot.png";
constexpr const char* kRingIcon = "https://maps.google.com/mapfiles/kml/shapes/donut.png";

// An unnamed file beside the output (removed from the directory as soon as it is open, so that
// nothing is left behind whatever happens) holding the document's body until finish().
class ScratchFile {
 public:
  struct Range {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
  };

  explicit ScratchFile(const std::string& path) : m_path(path), m_file(std::fopen(path.c_str(), "w+b")) {
    if (!m_file) fail();
    if (std::remove(path.c_str()) != 0) fail();
  }
  ~ScratchFile() { std::fclose(m_file); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  Range write(std::string_view text) {
    if (std::fwrite(text.data(), 1, text.size(), m_file) != text.size()) fail();
    const Range range{m_size, text.size()};
    m_size += text.size();
    return range;
  }

  void copy(const std::vector<Range>& ranges, BufferedFile& out) {
    for (const auto& range : ranges) out.appendFile(m_file, range.offset, range.size);
  }

 private:
  [[noreturn]] void fail() const {
    const int error = errno;
    throw core::OutputFailed(m_path + ": cannot write it" + (error ? std::string(": ") + std::strerror(error) : ""));
  }

  std::string m_path;
  std::FILE* m_file;
  std::uint64_t m_size = 0;
};

class KmlWriter : public VectorWriter {
 public:
  KmlWriter(std::string path, const StyleSheet& styles)
      : m_path(std::move(path)), m_styles(styles), m_scratch(m_path + ".body") {}

  ShapeNeed shapeNeed() const override { return ShapeNeed::None; }

  void beginLayer(const LayerDef& def, const LayerShape&) override {
    m_def = &def;
    m_result = {};
    m_folders.clear();
    for (auto& ids : m_styleIds) ids.clear();
    m_begin = def.timed ? def.fieldIndex("time_begin") : -1;
    m_end = def.timed ? def.fieldIndex("time_end") : -1;
    m_schemas += "<Schema name=\"" + def.name + "\" id=\"" + def.name + "\">\n";
    m_dataStart.clear();
    for (const auto& field : def.fields) {
      m_schemas += "  <SimpleField type=\"" + std::string(kmlType(field.type)) + "\" name=\"" + field.name + "\"/>\n";
      m_dataStart.push_back("    <SimpleData name=\"" + field.name + "\">");
    }
    m_schemas += "</Schema>\n";
    m_extendedStart = "  <ExtendedData><SchemaData schemaUrl=\"#" + def.name + "\">\n";
  }

  void write(const Record& record) override {
    Folder& folder = m_folders[record.folders];
    std::string& out = folder.text;
    out += "<Placemark>\n  <name>";
    appendXml(out, record.label);
    out += "</name>\n";
    appendTime(out, record);
    out += "  <styleUrl>#";
    out += styleFor(record);
    out += "</styleUrl>\n";
    out += m_extendedStart;
    for (std::size_t i = 0; i < record.values.size() && i < m_def->fields.size(); ++i) {
      if (std::holds_alternative<std::monostate>(record.values[i])) continue;
      out += m_dataStart[i];
      appendValue(out, record.values[i]);
      out += "</SimpleData>\n";
    }
    out += "  </SchemaData></ExtendedData>\n";
    if (readGeometry(record, m_geometry) == GeometryRead::Read) {
      out += "  ";
      GeometryKml(out, m_geometry).write();
      out += "\n";
    }
    out += "</Placemark>\n";
    if (out.size() >= kFolderChunk) {
      folder.chunks.push_back(m_scratch.write(out));
      out.clear();
    }
    ++m_result.written;
  }

  LayerResult endLayer() override {
    std::string text = "<Folder>\n<name>" + m_def->name + "</name>\n<description>" + xmlText(m_def->title) +
                       "</description>\n";
    // Folders in path order, so that a path's subfolders follow it: open and close the
    // difference between consecutive paths.
    std::vector<std::string> open;
    for (auto& [path, folder] : m_folders) {
      std::size_t common = 0;
      while (common < open.size() && common < path.size() && open[common] == path[common]) ++common;
      for (std::size_t i = open.size(); i > common; --i) text += "</Folder>\n";
      open.resize(common);
      for (std::size_t i = common; i < path.size(); ++i) {
        text += "<Folder>\n<name>" + xmlText(path[i]) + "</name>\n";
        open.push_back(path[i]);
      }
      addToBody(text);
      text.clear();
      for (const auto& chunk : folder.chunks) addToBody(chunk);
      addToBody(folder.text);
    }
    for (std::size_t i = 0; i < open.size(); ++i) text += "</Folder>\n";
    text += "</Folder>\n";
    addToBody(text);
    m_folders.clear();
    return m_result;
  }

  void finish(const FinishInfo& info) override {
    BufferedFile out(m_path);
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n"
               "<name>borderlens export</name>\n<description>");
    out.append(xmlText("borderlens " + info.manifest.value("borderlens_version", std::string()) + " export of " +
                       info.manifest.value("database", std::string()) + ", created " + info.createdAt +
                       ". Filters, counts and sources are in the manifest beside this file."));
    out.append("</description>\n");
    for (const auto& [id, style] : m_styleXml) out.append(style);
    out.append(m_schemas);
    m_scratch.copy(m_body, out);
    out.append("</Document>\n</kml>\n");
    out.close();
  }

  std::vector<std::string> warnings() const override { return {}; }

 private:
  struct Folder {
    std::string text;                          // placemarks not yet in the scratch file
    std::vector<ScratchFile::Range> chunks;    // placemarks in the scratch file, in order
  };

  void addToBody(std::string_view text) {
    if (!text.empty()) addToBody(m_scratch.write(text));
  }

  void addToBody(const ScratchFile::Range& range) {
    if (!m_body.empty() && m_body.back().offset + m_body.back().size == range.offset) {
      m_body.back().size += range.size;
    } else {
      m_body.push_back(range);
    }
  }

  // Incidents: a TimeStamp for one day, else a TimeSpan over the days the dates cover (a month
  // precision date covers its month). Designations and entities: from listing to delisting, open
  // while in force.
  void appendTime(std::string& out, const Record& record) const {
    if (m_begin < 0) return;
    const Value& begin = record.values[static_cast<std::size_t>(m_begin)];
    const Value& end = record.values[static_cast<std::size_t>(m_end)];
    const bool hasBegin = std::holds_alternative<Day>(begin);
    const bool hasEnd = std::holds_alternative<Day>(end);
    if (!hasBegin && !hasEnd) return;
    if (hasBegin && hasEnd && std::get<Day>(begin) == std::get<Day>(end)) {
      out += "  <TimeStamp><when>";
      out += IsoDay(std::get<Day>(begin)).text();
      out += "</when></TimeStamp>\n";
      return;
    }
    out += "  <TimeSpan>";
    if (hasBegin) {
      out += "<begin>";
      out += IsoDay(std::get<Day>(begin)).text();
      out += "</begin>";
    }
    if (hasEnd) {
      out += "<end>";
      out += IsoDay(std::get<Day>(end)).text();
      out += "</end>";
    }
    out += "</TimeSpan>\n";
  }

  const std::string& styleFor(const Record& record) {
    auto& ids = m_styleIds[record.approximate ? 1 : 0];
    if (const auto it = ids.find(record.styleKey); it != ids.end()) return it->second;
    const std::string id = m_def->name + "-" + idPart(record.styleKey) + (record.approximate ? "-approx" : "");
    if (!m_styleXml.count(id)) {
      Rgba color = m_styles.colorOf(*m_def, record.styleKey);
      Rgba fill = color;
      fill.a = 96;
      const bool lines = m_def->geometry == GeometryFamily::Line;
      std::string style = "<Style id=\"" + id + "\">\n";
      if (!lines) {
        style += "  <IconStyle><color>" + kmlColor(color) + "</color><scale>" + (record.approximate ? "1.1" : "0.9") +
                 "</scale><Icon><href>" + (record.approximate ? kRingIcon : kDotIcon) + "</href></Icon></IconStyle>\n";
      }
      style += "  <LabelStyle><scale>" + std::string(lines ? "0" : "0.8") + "</scale></LabelStyle>\n";
      style += "  <LineStyle><color>" + kmlColor(color) + "</color><width>" + (lines ? "2" : "1.5") +
               "</width></LineStyle>\n";
      style += "  <PolyStyle><color>" + kmlColor(fill) + "</color></PolyStyle>\n</Style>\n";
      m_styleXml[id] = style;
    }
    return ids.emplace(record.styleKey, id).first->second;
  }

  std::string m_path;
  const StyleSheet& m_styles;
  ScratchFile m_scratch;
  std::map<std::string, std::string> m_styleXml;
  std::string m_schemas;
  std::vector<ScratchFile::Range> m_body;  // the document's body, in order, in the scratch file

  const LayerDef* m_def = nullptr;
  std::map<std::vector<std::string>, Folder> m_folders;
  std::map<std::string, std::string> m_styleIds[2];  // by style key, exact and approximate
  std::vector<std::string> m_dataStart;               // `<SimpleData name="...">` per field
  std::string m_extendedStart;
  FlatGeometry m_geometry;
  LayerResult m_result;
  int m_begin = -1;
  int m_end = -1;
};

} // namespace

std::unique_ptr<VectorWriter> makeKmlWriter(const std::string& path, const StyleSheet& styles) {
  return std::make_unique<KmlWriter>(path, styles);
}

} // namespace borderlens::exports
