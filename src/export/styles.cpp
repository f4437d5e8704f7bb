#include "export/styles.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdio>
#include <fstream>

namespace borderlens::exports {

namespace {

using Json = nlohmann::ordered_json;

// style.json sizes and widths are screen pixels; QGIS symbols are in millimetres (96 dpi).
constexpr double kMmPerPixel = 25.4 / 96.0;

Rgba parseColor(const std::string& text, const std::string& origin, const std::string& key) {
  const auto channel = [&](std::size_t at) {
    unsigned value = 0;
    const auto result = std::from_chars(text.data() + at, text.data() + at + 2, value, 16);
    if (result.ec != std::errc{} || result.ptr != text.data() + at + 2) {
      throw core::InputRejected(origin + ": '" + key + "': invalid colour '" + text + "'");
    }
    return static_cast<std::uint8_t>(value);
  };
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') {
    throw core::InputRejected(origin + ": '" + key + "': invalid colour '" + text + "'");
  }
  return {channel(1), channel(3), channel(5), text.size() == 9 ? channel(7) : std::uint8_t{255}};
}

const Json& member(const Json& object, const char* name, const std::string& origin) {
  if (!object.is_object() || !object.contains(name)) {
    throw core::InputRejected(origin + ": '" + name + "': missing");
  }
  return object.at(name);
}

std::string colorString(const Json& value, const std::string& origin, const std::string& key) {
  if (!value.is_string()) throw core::InputRejected(origin + ": '" + key + "': expected a colour string");
  return value.get<std::string>();
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

std::string xmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string qgisColor(const Rgba& c) {
  return std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + "," + std::to_string(c.a);
}

// A QGIS expression string literal.
std::string literal(const std::string& value) {
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

} // namespace

StyleSheet StyleSheet::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw core::InputRejected(path + ": cannot read the style file");
  Json json;
  try {
    json = Json::parse(in);
  } catch (const Json::exception& e) {
    throw core::InputRejected(path + ": not valid JSON: " + e.what());
  }
  StyleSheet sheet;
  for (const auto& [name, value] : member(json, "authorities", path).items()) {
    sheet.m_authorities.emplace_back(name, parseColor(colorString(value, path, "authorities." + name), path,
                                                      "authorities." + name));
  }
  sheet.m_otherAuthority =
      parseColor(colorString(member(json, "other_authority", path), path, "other_authority"), path, "other_authority");
  const Json& entityKinds = member(json, "entity_kinds", path);
  const Json& otherEntity = member(entityKinds, "other", path);
  sheet.m_noAuthority =
      parseColor(colorString(member(otherEntity, "color", path), path, "entity_kinds.other.color"), path,
                 "entity_kinds.other.color");
  if (otherEntity.contains("size") && otherEntity["size"].is_number()) {
    sheet.m_entitySizeMm = otherEntity["size"].get<double>() * kMmPerPixel;
  }
  for (const auto& [kind, value] : member(json, "incident_kinds", path).items()) {
    Symbol symbol;
    const std::string key = "incident_kinds." + kind;
    symbol.color = parseColor(colorString(member(value, "color", path), path, key + ".color"), path, key + ".color");
    if (value.contains("shape") && value["shape"].is_string()) symbol.shape = value["shape"].get<std::string>();
    if (value.contains("size") && value["size"].is_number()) symbol.sizeMm = value["size"].get<double>() * kMmPerPixel;
    if (kind == "other") {
      sheet.m_otherIncident = symbol;
    } else {
      sheet.m_incidentKinds.emplace_back(kind, symbol);
    }
  }
  for (const auto& layer : member(json, "base", path)) {
    const std::string name = member(layer, "layer", path).get<std::string>();
    Symbol symbol;
    symbol.family = GeometryFamily::Line;
    symbol.color = parseColor(colorString(member(layer, "color", path), path, "base." + name), path, "base." + name);
    if (layer.contains("width") && layer["width"].is_number()) symbol.widthMm = layer["width"].get<double>() * kMmPerPixel;
    sheet.m_base[name] = symbol;
  }
  sheet.m_link = parseColor(colorString(member(json, "link_line", path), path, "link_line"), path, "link_line");
  return sheet;
}

std::vector<StyleRule> StyleSheet::rules(const LayerDef& layer, GeometryFamily family) const {
  std::vector<StyleRule> out;
  const auto symbolOf = [&](Rgba color, const Symbol* like = nullptr) {
    Symbol s = like ? *like : Symbol{};
    s.family = family == GeometryFamily::None ? GeometryFamily::Point : family;
    s.color = color;
    if (!like) s.sizeMm = m_entitySizeMm;
    if (s.family == GeometryFamily::Polygon) s.color.a = 96;  // areas: translucent, outlined
    return s;
  };
  // Points: one rule for precise locations (a filled marker) and one for approximate ones (a
  // ring), the way the map draws them.
  const auto addPrecisionRules = [&](const std::string& label, const std::string& field, const std::string& value,
                                     bool otherwise, const Symbol& symbol) {
    // An ELSE rule takes no further condition in QGIS or SLD: it stays a filled marker.
    if (family != GeometryFamily::Point || otherwise) {
      out.push_back({label, field, value, StyleRule::Location::Any, otherwise, symbol});
      return;
    }
    out.push_back({label, field, value, StyleRule::Location::Precise, otherwise, symbol});
    Symbol ring = symbol;
    ring.ring = true;
    ring.widthMm = 0.7;
    out.push_back({label + " (approximate location)", field, value, StyleRule::Location::Approximate, otherwise, ring});
  };

  if (layer.name == "entities" || layer.name == "designations") {
    for (const auto& [authority, color] : m_authorities) {
      addPrecisionRules(authority, "authority", authority, false, symbolOf(color));
    }
    addPrecisionRules("no designation", "authority", "", false, symbolOf(m_noAuthority));
    addPrecisionRules("other authority", "", "", true, symbolOf(m_otherAuthority));
  } else if (layer.name == "incidents") {
    for (const auto& [kind, symbol] : m_incidentKinds) {
      addPrecisionRules(kind, "kind", kind, false, symbolOf(symbol.color, &symbol));
    }
    addPrecisionRules("other", "", "", true, symbolOf(m_otherIncident.color, &m_otherIncident));
  } else if (layer.name == "links") {
    Symbol line = symbolOf(m_link);
    line.widthMm = 0.35;
    out.push_back({"link", "", "", StyleRule::Location::Any, false, line});
  } else if (layer.name.rfind("base_", 0) == 0) {
    const auto it = m_base.find(layer.name.substr(5));
    Symbol line = it != m_base.end() ? it->second : Symbol{};
    if (it == m_base.end()) line.color = m_otherAuthority;
    line.family = family == GeometryFamily::None ? GeometryFamily::Line : family;
    out.push_back({layer.title, "", "", StyleRule::Location::Any, false, line});
  }
  return out;
}

Rgba StyleSheet::colorOf(const LayerDef& layer, const std::string& styleKey) const {
  if (layer.name == "incidents") {
    for (const auto& [kind, symbol] : m_incidentKinds) {
      if (kind == styleKey) return symbol.color;
    }
    return m_otherIncident.color;
  }
  if (layer.name == "links") return m_link;
  if (layer.name.rfind("base_", 0) == 0) {
    const auto it = m_base.find(layer.name.substr(5));
    return it != m_base.end() ? it->second.color : m_otherAuthority;
  }
  if (styleKey.empty()) return m_noAuthority;
  for (const auto& [authority, color] : m_authorities) {
    if (authority == styleKey) return color;
  }
  return m_otherAuthority;
}

std::string hexColor(const Rgba& c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", c.r, c.g, c.b);
  return buffer;
}

std::string kmlColor(const Rgba& c) {
  char buffer[9];
  std::snprintf(buffer, sizeof buffer, "%02x%02x%02x%02x", c.a, c.b, c.g, c.r);
  return buffer;
}

// ---------------------------------------------------------------------------------------------
// QML: QGIS reads the legacy <prop k v> symbol layer properties in every 3.x release.

namespace {

std::string qmlFilter(const StyleRule& rule) {
  if (rule.otherwise) return "ELSE";
  std::string filter;
  if (!rule.field.empty()) {
    filter = "\"" + rule.field + "\"" + (rule.value.empty() ? " IS NULL" : " = " + literal(rule.value));
  }
  const std::string precise = "\"precision\" IN ('exact', 'street')";
  if (rule.location != StyleRule::Location::Any) {
    const std::string condition = rule.location == StyleRule::Location::Precise ? precise : "NOT (" + precise + ")";
    filter += (filter.empty() ? "" : " AND ") + condition;
  }
  return filter;
}

std::string qmlSymbol(const Symbol& s, std::size_t index) {
  std::string out;
  const auto prop = [&](const char* key, const std::string& value) {
    out += "          <prop k=\"" + std::string(key) + "\" v=\"" + xmlEscape(value) + "\"/>\n";
  };
  const char* type = s.family == GeometryFamily::Line ? "line" : s.family == GeometryFamily::Polygon ? "fill" : "marker";
  out += "      <symbol type=\"" + std::string(type) + "\" name=\"" + std::to_string(index) +
         "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n";
  if (s.family == GeometryFamily::Line) {
    out += "        <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
    prop("line_color", qgisColor(s.color));
    prop("line_width", number(s.widthMm));
    prop("line_width_unit", "MM");
    prop("line_style", "solid");
    prop("capstyle", "round");
    prop("joinstyle", "round");
  } else if (s.family == GeometryFamily::Polygon) {
    Rgba outline = s.color;
    outline.a = 255;
    out += "        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
    prop("color", qgisColor(s.color));
    prop("style", "solid");
    prop("outline_color", qgisColor(outline));
    prop("outline_style", "solid");
    prop("outline_width", "0.5");
    prop("outline_width_unit", "MM");
  } else {
    out += "        <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
    prop("name", s.shape);
    prop("color", s.ring ? "0,0,0,0" : qgisColor(s.color));
    prop("outline_color", s.ring ? qgisColor(s.color) : "255,255,255,255");
    prop("outline_style", "solid");
    prop("outline_width", number(s.ring ? s.widthMm : 0.3));
    prop("outline_width_unit", "MM");
    prop("size", number(s.sizeMm));
    prop("size_unit", "MM");
  }
  out += "        </layer>\n      </symbol>\n";
  return out;
}

std::string sldFilter(const StyleRule& rule) {
  if (rule.otherwise) return "        <se:ElseFilter/>\n";
  std::vector<std::string> conditions;
  if (!rule.field.empty()) {
    conditions.push_back(rule.value.empty()
                             ? "<ogc:PropertyIsNull><ogc:PropertyName>" + rule.field + "</ogc:PropertyName></ogc:PropertyIsNull>"
                             : "<ogc:PropertyIsEqualTo><ogc:PropertyName>" + rule.field +
                                   "</ogc:PropertyName><ogc:Literal>" + xmlEscape(rule.value) +
                                   "</ogc:Literal></ogc:PropertyIsEqualTo>");
  }
  if (rule.location != StyleRule::Location::Any) {
    const auto equals = [](const char* value) {
      return "<ogc:PropertyIsEqualTo><ogc:PropertyName>precision</ogc:PropertyName><ogc:Literal>" +
             std::string(value) + "</ogc:Literal></ogc:PropertyIsEqualTo>";
    };
    const std::string precise = "<ogc:Or>" + equals("exact") + equals("street") + "</ogc:Or>";
    conditions.push_back(rule.location == StyleRule::Location::Precise ? precise : "<ogc:Not>" + precise + "</ogc:Not>");
  }
  if (conditions.empty()) return {};
  std::string body = conditions.size() == 1 ? conditions[0] : "<ogc:And>" + conditions[0] + conditions[1] + "</ogc:And>";
  return "        <ogc:Filter>" + body + "</ogc:Filter>\n";
}

std::string sldSymbolizer(const Symbol& s) {
  const auto param = [](const char* name, const std::string& value) {
    return "<se:SvgParameter name=\"" + std::string(name) + "\">" + value + "</se:SvgParameter>";
  };
  const auto opacity = [](std::uint8_t a) { return number(a / 255.0); };
  if (s.family == GeometryFamily::Line) {
    return "        <se:LineSymbolizer><se:Stroke>" + param("stroke", hexColor(s.color)) +
           param("stroke-opacity", opacity(s.color.a)) + param("stroke-width", number(s.widthMm / kMmPerPixel)) +
           "</se:Stroke></se:LineSymbolizer>\n";
  }
  if (s.family == GeometryFamily::Polygon) {
    return "        <se:PolygonSymbolizer><se:Fill>" + param("fill", hexColor(s.color)) +
           param("fill-opacity", opacity(s.color.a)) + "</se:Fill><se:Stroke>" + param("stroke", hexColor(s.color)) +
           param("stroke-width", "1") + "</se:Stroke></se:PolygonSymbolizer>\n";
  }
  const std::string fill = s.ring ? "" : "<se:Fill>" + param("fill", hexColor(s.color)) + "</se:Fill>";
  const std::string stroke = "<se:Stroke>" + param("stroke", s.ring ? hexColor(s.color) : "#ffffff") +
                             param("stroke-width", s.ring ? "2" : "1") + "</se:Stroke>";
  const std::string shape = s.shape == "diamond" || s.shape == "hexagon" ? "square" : s.shape;
  return "        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>" + shape + "</se:WellKnownName>" +
         fill + stroke + "</se:Mark><se:Size>" + number(s.sizeMm / kMmPerPixel) +
         "</se:Size>" + (s.shape == "diamond" ? "<se:Rotation>45</se:Rotation>" : "") +
         "</se:Graphic></se:PointSymbolizer>\n";
}

} // namespace

std::string qmlStyle(const std::vector<StyleRule>& rules) {
  std::string out =
      "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
      "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n"
      "  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n"
      "    <rules key=\"root\">\n";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string filter = qmlFilter(rules[i]);
    out += "      <rule key=\"rule" + std::to_string(i) + "\" symbol=\"" + std::to_string(i) + "\" label=\"" +
           xmlEscape(rules[i].label) + "\"" + (filter.empty() ? "" : " filter=\"" + xmlEscape(filter) + "\"") + "/>\n";
  }
  out += "    </rules>\n    <symbols>\n";
  for (std::size_t i = 0; i < rules.size(); ++i) out += qmlSymbol(rules[i].symbol, i);
  out += "    </symbols>\n  </renderer-v2>\n</qgis>\n";
  return out;
}

std::string sldStyle(const std::string& layerName, const std::vector<StyleRule>& rules) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<StyledLayerDescriptor version=\"1.1.0\" xmlns=\"http://www.opengis.net/sld\" "
      "xmlns:se=\"http://www.opengis.net/se\" xmlns:ogc=\"http://www.opengis.net/ogc\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xsi:schemaLocation=\"http://www.opengis.net/sld "
      "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd\">\n"
      "  <NamedLayer>\n    <se:Name>" + xmlEscape(layerName) + "</se:Name>\n    <UserStyle>\n      <se:Name>" +
      xmlEscape(layerName) + "</se:Name>\n      <se:FeatureTypeStyle>\n";
  for (const auto& rule : rules) {
    out += "       <se:Rule>\n        <se:Name>" + xmlEscape(rule.label) + "</se:Name>\n";
    out += sldFilter(rule) + sldSymbolizer(rule.symbol) + "       </se:Rule>\n";
  }
  out += "      </se:FeatureTypeStyle>\n    </UserStyle>\n  </NamedLayer>\n</StyledLayerDescriptor>\n";
  return out;
}

} // namespace borderlens::exports
