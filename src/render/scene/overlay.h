#pragma once

#include "render/scene/camera.h"
#include "render/scene/glyph_atlas.h"
#include "render/scene/map_scene.h"
#include "render/scene/style.h"

#include <string>
#include <vector>

namespace borderlens::render {

// Screen-space drawing for the furniture of an exported map: legend, scale bar, north arrow,
// title, caption and attribution. Built on the CPU (here), drawn by the GL renderer.
struct Overlay {
  struct Triangle {
    float x0, y0, x1, y1, x2, y2;
    Rgba color;
  };
  struct Text {
    std::string text;
    float x = 0;         // left of the first glyph
    float baseline = 0;
    float sizePx = 12;
    Rgba color;
    Rgba halo;
  };
  struct Symbol {
    float x = 0, y = 0;  // centre
    Shape shape = Shape::Circle;
    bool ring = false;
    Rgba color;
    float sizePx = 12;
  };
  std::vector<Triangle> triangles;
  std::vector<Text> texts;
  std::vector<Symbol> symbols;

  void rect(float x, float y, float w, float h, const Rgba& color);
  void line(float x0, float y0, float x1, float y1, float width, const Rgba& color);
};

struct FurnitureOptions {
  std::string title;
  std::vector<std::string> caption;       // time window, rounds, filters: one line each
  std::vector<std::string> attribution;   // geodata/SOURCES.md lines, and the records' sources
};

// Lays out legend (only the symbols the map shows), scale bar (true at the map's centre
// latitude), north arrow, title, caption and attribution for a camera's image. Text is measured
// with `atlas`, whose glyphs it requires.
Overlay buildMapFurniture(const SceneGeometry& scene, const Style& style, const Camera& camera,
                          GlyphAtlas& atlas, const FurnitureOptions& options);

// A round number of metres about `targetPx` pixels long at `metresPerPixel`; returns the length
// in metres and sets `lengthPx`.
double niceScaleLength(double metresPerPixel, double targetPx, float& lengthPx);

} // namespace borderlens::render
