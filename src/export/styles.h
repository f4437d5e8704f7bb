#pragma once

#include "export/layers.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

// Layer styles for exports, from the map's own style file (assets/style.json), so that an export
// opened in QGIS or Google Earth shows the colours the map shows: entities and designations by
// authority, incidents by kind, base lines by layer.
namespace borderlens::exports {

struct Rgba {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;
  std::uint8_t a = 255;
};

// One symbol of a layer style: a marker (points), a line or a fill (polygons).
struct Symbol {
  GeometryFamily family = GeometryFamily::Point;
  Rgba color;
  bool ring = false;        // an approximate location: an outline without fill
  std::string shape = "circle";
  double sizeMm = 3.2;      // marker size
  double widthMm = 0.4;     // line width, or a marker's outline
};

// One rule: features whose `field` equals `value` (and whose precision matches) get `symbol`.
struct StyleRule {
  enum class Location { Any, Precise, Approximate };
  std::string label;
  std::string field;        // empty: every feature (a single-symbol style)
  std::string value;        // with field: equal to it; empty: the field is NULL
  Location location = Location::Any;
  bool otherwise = false;   // the features no other rule took (field and value unused)
  Symbol symbol;
};

class StyleSheet {
 public:
  // Reads the colours of assets/style.json; throws core::InputRejected naming the file.
  static StyleSheet load(const std::string& path);

  // The rules for one layer (or its part of one geometry family, for a split layer), in order.
  std::vector<StyleRule> rules(const LayerDef& layer, GeometryFamily family) const;
  // The colour a record of a layer gets (for KML): its styleKey is an authority, a kind or a
  // base layer name.
  Rgba colorOf(const LayerDef& layer, const std::string& styleKey) const;

 private:
  std::vector<std::pair<std::string, Rgba>> m_authorities;  // in file order
  Rgba m_otherAuthority;
  Rgba m_noAuthority;
  std::vector<std::pair<std::string, Symbol>> m_incidentKinds;
  Symbol m_otherIncident;
  std::map<std::string, Symbol> m_base;  // "borders", "coastline", "rivers"
  Rgba m_link;
  double m_entitySizeMm = 3.2;
};

// QGIS style (QML, a rule-based renderer) and OGC SLD 1.1 for a layer's rules.
std::string qmlStyle(const std::vector<StyleRule>& rules);
std::string sldStyle(const std::string& layerName, const std::vector<StyleRule>& rules);

// "#rrggbb" and KML's "aabbggrr".
std::string hexColor(const Rgba& color);
std::string kmlColor(const Rgba& color);

} // namespace borderlens::exports
