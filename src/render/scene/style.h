#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace borderlens::render {

struct Rgba {
  float r = 0, g = 0, b = 0, a = 1;
  // "#rrggbb" or "#rrggbbaa"; throws std::invalid_argument otherwise.
  static Rgba parse(const std::string& text);
  std::uint32_t packed() const;  // RGBA8, r in the lowest byte (GL_UNSIGNED_BYTE order)
};

// Symbol shapes, drawn as signed-distance shapes in the point shader (the numbers are the
// shader's).
enum class Shape : std::uint8_t { Circle = 0, Square = 1, Triangle = 2, Diamond = 3, Hexagon = 4, Cross = 5 };

struct BaseLayerStyle {
  std::string layer;    // the geodata layer name without its level-of-detail suffix
  bool fill = false;    // fill polygons; otherwise stroke lines
  Rgba color;
  float width = 1;      // line width in pixels
  bool lod = true;      // the layer exists as LAYER_l, _i, _h, _f
  double minZoom = 0;
};

struct LodLevel {
  std::string suffix;   // "l", "i", "h", "f"
  double maxZoom = 99;  // used up to and including this zoom
};

struct SymbolStyle {
  Shape shape = Shape::Circle;
  Rgba color;
  float size = 12;      // pixels
};

struct LabelStyle {
  float size = 14;      // pixels
  Rgba color;
  Rgba halo;
  double minZoom = 0;
  int priority = 0;     // higher wins a collision
};

// The map's look, from assets/style.json: layer order and colours, symbols per entity kind,
// incident kind and authority, label classes.
struct Style {
  Rgba background;
  std::vector<BaseLayerStyle> base;
  std::vector<LodLevel> lods;
  std::map<std::string, SymbolStyle> entityKinds;
  std::map<std::string, SymbolStyle> incidentKinds;
  std::map<std::string, Rgba> authorities;
  Rgba otherAuthority;
  std::map<std::string, LabelStyle> labels;
  Rgba highlight;
  Rgba linkLine;

  // Throws core::InputRejected naming `origin` and the offending key.
  static Style parse(const std::string& json, const std::string& origin);
  static Style load(const std::string& path);

  // The level-of-detail suffix for a zoom level.
  const std::string& lodFor(double zoom) const;
  const SymbolStyle& entitySymbol(const std::string& kind) const;
  const SymbolStyle& incidentSymbol(const std::string& kind) const;
  const Rgba& authorityColor(const std::string& authority) const;
};

} // namespace borderlens::render
