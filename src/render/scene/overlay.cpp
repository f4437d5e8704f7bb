#include "render/scene/overlay.h"

#include "core/model.h"
#include "geo/mercator.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>

namespace borderlens::render {

void Overlay::rect(float x, float y, float w, float h, const Rgba& color) {
  triangles.push_back({x, y, x + w, y, x, y + h, color});
  triangles.push_back({x + w, y, x + w, y + h, x, y + h, color});
}

void Overlay::line(float x0, float y0, float x1, float y1, float width, const Rgba& color) {
  const float dx = x1 - x0, dy = y1 - y0;
  const float length = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
  const float nx = -dy / length * width / 2, ny = dx / length * width / 2;
  triangles.push_back({x0 + nx, y0 + ny, x1 + nx, y1 + ny, x0 - nx, y0 - ny, color});
  triangles.push_back({x1 + nx, y1 + ny, x1 - nx, y1 - ny, x0 - nx, y0 - ny, color});
}

double niceScaleLength(double metresPerPixel, double targetPx, float& lengthPx) {
  const double target = metresPerPixel * targetPx;
  const double magnitude = std::pow(10.0, std::floor(std::log10(target)));
  double nice = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude <= target) nice = m * magnitude;
  }
  lengthPx = static_cast<float>(nice / metresPerPixel);
  return nice;
}

namespace {

const Rgba kPanel{1, 1, 1, 0.88f};
const Rgba kInk{0.1f, 0.1f, 0.12f, 1};
const Rgba kMuted{0.3f, 0.3f, 0.33f, 1};
const Rgba kNoHalo{1, 1, 1, 0};

std::string humanKind(std::string kind) {
  std::replace(kind.begin(), kind.end(), '_', ' ');
  return kind;
}

struct LegendEntry {
  Overlay::Symbol symbol;
  std::string label;
};

std::vector<LegendEntry> legendEntries(const SceneGeometry& scene, const Style& style) {
  std::set<std::string> entityKinds, authorities, incidentKinds;
  bool rings = false, exact = false;
  for (const auto& p : scene.points) {
    const auto& row = scene.features[p.pickId - 1];
    if (p.category & category::kIncident) {
      incidentKinds.insert(row.kind);
    } else {
      entityKinds.insert(row.kind);
      std::size_t start = 0;
      const std::string& list = row.authorities;
      while (start < list.size()) {
        const auto comma = list.find(',', start);
        authorities.insert(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    ((p.shape & shape_flag::kRing) ? rings : exact) = true;
  }
  std::vector<LegendEntry> entries;
  const Rgba neutral{0.45f, 0.45f, 0.48f, 1};
  for (const auto& kind : entityKinds) {
    const auto& s = style.entitySymbol(kind);
    entries.push_back({{0, 0, s.shape, false, neutral, 12}, kind});
  }
  for (const auto& authority : authorities) {
    entries.push_back({{0, 0, Shape::Square, false, style.authorityColor(authority), 12}, "listed by " + authority});
  }
  for (const auto& kind : incidentKinds) {
    const auto& s = style.incidentSymbol(kind);
    entries.push_back({{0, 0, s.shape, false, s.color, 12}, humanKind(kind)});
  }
  if (rings) entries.push_back({{0, 0, Shape::Circle, true, neutral, 14}, "ring: located to a city or coarser"});
  if (rings && exact) entries.push_back({{0, 0, Shape::Circle, false, neutral, 12}, "filled: exact or street location"});
  return entries;
}

} // namespace

Overlay buildMapFurniture(const SceneGeometry& scene, const Style& style, const Camera& camera,
                          GlyphAtlas& atlas, const FurnitureOptions& options) {
  Overlay overlay;
  const auto width = static_cast<float>(camera.width);
  const auto height = static_cast<float>(camera.height);
  const float margin = 12;
  const auto require = [&](const std::string& text) {
    if (atlas.require(text)) atlas.build();
  };

  // Title and caption, top left.
  float y = margin;
  if (!options.title.empty() || !options.caption.empty()) {
    float boxWidth = 0;
    require(options.title);
    boxWidth = std::max(boxWidth, atlas.measure(options.title, 22));
    for (const auto& line : options.caption) {
      require(line);
      boxWidth = std::max(boxWidth, atlas.measure(line, 13));
    }
    const float boxHeight = (options.title.empty() ? 0 : 30) + 18 * static_cast<float>(options.caption.size()) + 12;
    overlay.rect(margin, y, boxWidth + 20, boxHeight, kPanel);
    float baseline = y + 8;
    if (!options.title.empty()) {
      baseline += 22;
      overlay.texts.push_back({options.title, margin + 10, baseline, 22, kInk, kNoHalo});
      baseline += 6;
    }
    for (const auto& line : options.caption) {
      baseline += 17;
      overlay.texts.push_back({line, margin + 10, baseline, 13, kMuted, kNoHalo});
    }
  }

  // North arrow, top right: the map is Web Mercator, so north is straight up everywhere.
  const float ax = width - margin - 22, ay = margin + 8;
  overlay.rect(ax - 16, ay - 6, 32, 58, kPanel);
  overlay.triangles.push_back({ax, ay, ax - 9, ay + 28, ax, ay + 22, kInk});
  overlay.triangles.push_back({ax, ay, ax, ay + 22, ax + 9, ay + 28, Rgba{0.55f, 0.55f, 0.58f, 1}});
  require("N");
  overlay.texts.push_back({"N", ax - atlas.measure("N", 14) / 2, ay + 46, 14, kInk, kNoHalo});

  // Attribution, a strip along the bottom edge, wrapped onto as many lines as it needs.
  float footer = height;
  if (!options.attribution.empty()) {
    const float size = 10;
    const float lineHeight = size + 4;
    std::vector<std::string> lines{""};
    for (const auto& item : options.attribution) {
      require(item);
      const std::string joined = lines.back().empty() ? item : lines.back() + "   " + item;
      if (lines.back().empty() || atlas.measure(joined, size) <= width - 2 * margin) lines.back() = joined;
      else lines.push_back(item);
    }
    const float stripHeight = lineHeight * static_cast<float>(lines.size()) + 6;
    footer = height - stripHeight;
    overlay.rect(0, footer, width, stripHeight, kPanel);
    float baseline = footer + 2;
    for (const auto& line : lines) {
      baseline += lineHeight;
      overlay.texts.push_back({line, margin, baseline - 3, size, kMuted, kNoHalo});
    }
  }

  // Scale bar, bottom left, true at the centre latitude.
  double centreLon = 0, centreLat = 0;
  geo::mercatorToLonLat({camera.centerX, camera.centerY}, centreLon, centreLat);
  const double ground = camera.metresPerPixel() * std::cos(centreLat * std::numbers::pi / 180.0);
  float barPx = 0;
  const double metres = niceScaleLength(ground, std::min(160.0, width / 5.0), barPx);
  char label[32];
  if (metres >= 1000) std::snprintf(label, sizeof label, "%g km", metres / 1000);
  else std::snprintf(label, sizeof label, "%g m", metres);
  require(label);
  const float sx = margin + 8, sy = footer - margin - 8;
  overlay.rect(margin, sy - 26, barPx + 30 + atlas.measure(label, 12), 34, kPanel);
  overlay.rect(sx, sy - 4, barPx / 2, 5, kInk);
  overlay.rect(sx + barPx / 2, sy - 4, barPx / 2, 5, Rgba{1, 1, 1, 1});
  overlay.line(sx, sy - 4, sx + barPx, sy - 4, 1, kInk);
  overlay.line(sx, sy + 1, sx + barPx, sy + 1, 1, kInk);
  overlay.line(sx + barPx, sy - 4, sx + barPx, sy + 1, 1, kInk);
  overlay.texts.push_back({"0", sx - 3, sy - 9, 11, kInk, kNoHalo});
  overlay.texts.push_back({label, sx + barPx + 6, sy + 1, 12, kInk, kNoHalo});

  // Legend, bottom right: only what the map shows.
  const auto entries = legendEntries(scene, style);
  if (!entries.empty()) {
    float labelWidth = 0;
    for (const auto& e : entries) {
      require(e.label);
      labelWidth = std::max(labelWidth, atlas.measure(e.label, 12));
    }
    require("Legend");
    const float row = 19;
    const float boxW = labelWidth + 44;
    const float boxH = row * static_cast<float>(entries.size()) + 34;
    const float bx = width - margin - boxW, by = footer - margin - boxH;
    overlay.rect(bx, by, boxW, boxH, kPanel);
    overlay.texts.push_back({"Legend", bx + 10, by + 20, 13, kInk, kNoHalo});
    float ry = by + 34;
    for (const auto& e : entries) {
      Overlay::Symbol symbol = e.symbol;
      symbol.x = bx + 18;
      symbol.y = ry + row / 2 - 2;
      overlay.symbols.push_back(symbol);
      overlay.texts.push_back({e.label, bx + 34, ry + row / 2 + 2, 12, kInk, kNoHalo});
      ry += row;
    }
  }
  return overlay;
}

} // namespace borderlens::render
