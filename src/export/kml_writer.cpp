// KML is written here rather than through GDAL: GDAL's KML drivers put each layer in one flat
// folder and write TimeSpan only from full date-time fields, while analysts need folders per
// authority and round, and time elements that Google Earth's time slider understands.
#include "core/errors.h"
#include "export/gdal_support.h"
#include "export/writers.h"

#include <cpl_conv.h>

#include <cctype>
#include <fstream>

namespace borderlens::exports {

namespace {

// XML text: escaped, and without the control characters XML 1.0 cannot carry.
std::string xmlText(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
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

// Google Earth's stock icons: a dot for an exact location, a ring for an approximate one.
constexpr const char* kDotIcon = "https://maps.google.com/mapfiles/kml/shapes/shaded_dot.png";
constexpr const char* kRingIcon = "https://maps.google.com/mapfiles/kml/shapes/donut.png";

class KmlWriter : public VectorWriter {
 public:
  KmlWriter(std::string path, const StyleSheet& styles) : m_path(std::move(path)), m_styles(styles) {
    gdal::ensureRegistered();
  }

  bool needsShape() const override { return false; }

  void beginLayer(const LayerDef& def, const LayerShape&) override {
    m_def = &def;
    m_result = {};
    m_folders.clear();
    m_begin = def.timed ? def.fieldIndex("time_begin") : -1;
    m_end = def.timed ? def.fieldIndex("time_end") : -1;
    m_schemas += "<Schema name=\"" + def.name + "\" id=\"" + def.name + "\">\n";
    for (const auto& field : def.fields) {
      m_schemas += "  <SimpleField type=\"" + std::string(kmlType(field.type)) + "\" name=\"" + field.name + "\"/>\n";
    }
    m_schemas += "</Schema>\n";
  }

  void write(const Record& record) override {
    std::string& out = m_folders[record.folders];
    out += "<Placemark>\n  <name>" + xmlText(record.label) + "</name>\n";
    out += timeElement(record);
    out += "  <styleUrl>#" + styleFor(record) + "</styleUrl>\n";
    out += "  <ExtendedData><SchemaData schemaUrl=\"#" + m_def->name + "\">\n";
    for (std::size_t i = 0; i < record.values.size() && i < m_def->fields.size(); ++i) {
      if (std::holds_alternative<std::monostate>(record.values[i])) continue;
      out += "    <SimpleData name=\"" + m_def->fields[i].name + "\">" + xmlText(valueText(record.values[i])) +
             "</SimpleData>\n";
    }
    out += "  </SchemaData></ExtendedData>\n";
    gdal::Geometry geometry = record.wkb.empty() ? gdal::geometryFromWkt(record.wkt) : gdal::geometryFromWkb(record.wkb);
    if (geometry) {
      char* kml = OGR_G_ExportToKML(geometry.get(), nullptr);
      if (kml) out += "  " + std::string(kml) + "\n";
      CPLFree(kml);
    }
    out += "</Placemark>\n";
    ++m_result.written;
  }

  LayerResult endLayer() override {
    m_body += "<Folder>\n<name>" + m_def->name + "</name>\n<description>" + xmlText(m_def->title) + "</description>\n";
    // Folders in path order, so that a path's subfolders follow it: open and close the
    // difference between consecutive paths.
    std::vector<std::string> open;
    for (const auto& [path, placemarks] : m_folders) {
      std::size_t common = 0;
      while (common < open.size() && common < path.size() && open[common] == path[common]) ++common;
      for (std::size_t i = open.size(); i > common; --i) m_body += "</Folder>\n";
      open.resize(common);
      for (std::size_t i = common; i < path.size(); ++i) {
        m_body += "<Folder>\n<name>" + xmlText(path[i]) + "</name>\n";
        open.push_back(path[i]);
      }
      m_body += placemarks;
    }
    for (std::size_t i = 0; i < open.size(); ++i) m_body += "</Folder>\n";
    m_body += "</Folder>\n";
    return m_result;
  }

  void finish(const FinishInfo& info) override {
    std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n"
        << "<name>borderlens export</name>\n<description>"
        << xmlText("borderlens " + info.manifest.value("borderlens_version", std::string()) + " export of " +
                   info.manifest.value("database", std::string()) + ", created " + info.createdAt +
                   ". Filters, counts and sources are in the manifest beside this file.")
        << "</description>\n";
    for (const auto& [id, style] : m_styleXml) out << style;
    out << m_schemas << m_body << "</Document>\n</kml>\n";
    out.close();
    if (!out) throw core::OutputFailed(m_path + ": cannot write it");
  }

  std::vector<std::string> warnings() const override { return {}; }

 private:
  // Incidents: a TimeStamp for one day, else a TimeSpan over the days the dates cover (a month
  // precision date covers its month). Designations and entities: from listing to delisting, open
  // while in force.
  std::string timeElement(const Record& record) const {
    if (m_begin < 0) return {};
    const Value& begin = record.values[static_cast<std::size_t>(m_begin)];
    const Value& end = record.values[static_cast<std::size_t>(m_end)];
    const bool hasBegin = std::holds_alternative<Day>(begin);
    const bool hasEnd = std::holds_alternative<Day>(end);
    if (!hasBegin && !hasEnd) return {};
    if (hasBegin && hasEnd && std::get<Day>(begin) == std::get<Day>(end)) {
      return "  <TimeStamp><when>" + valueText(begin) + "</when></TimeStamp>\n";
    }
    std::string out = "  <TimeSpan>";
    if (hasBegin) out += "<begin>" + valueText(begin) + "</begin>";
    if (hasEnd) out += "<end>" + valueText(end) + "</end>";
    return out + "</TimeSpan>\n";
  }

  std::string styleFor(const Record& record) {
    const std::string id = m_def->name + "-" + idPart(record.styleKey) + (record.approximate ? "-approx" : "");
    if (m_styleXml.count(id)) return id;
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
    style += "  <LineStyle><color>" + kmlColor(color) + "</color><width>" + (lines ? "2" : "1.5") + "</width></LineStyle>\n";
    style += "  <PolyStyle><color>" + kmlColor(fill) + "</color></PolyStyle>\n</Style>\n";
    m_styleXml[id] = style;
    return id;
  }

  std::string m_path;
  const StyleSheet& m_styles;
  std::map<std::string, std::string> m_styleXml;
  std::string m_schemas;
  std::string m_body;

  const LayerDef* m_def = nullptr;
  std::map<std::vector<std::string>, std::string> m_folders;
  LayerResult m_result;
  int m_begin = -1;
  int m_end = -1;
};

} // namespace

std::unique_ptr<VectorWriter> makeKmlWriter(const std::string& path, const StyleSheet& styles) {
  return std::make_unique<KmlWriter>(path, styles);
}

} // namespace borderlens::exports
