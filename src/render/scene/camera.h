#pragma once

#include "geo/bbox.h"
#include "geo/tessellate.h"

namespace borderlens::render {

// A Web Mercator view: centre in EPSG:3857 metres, a fractional web-map zoom (256-pixel tiles),
// and the viewport in pixels (y grows downwards on screen).
struct Camera {
  double centerX = 0;
  double centerY = 0;
  double zoom = 6;
  int width = 1280;
  int height = 800;

  double metresPerPixel() const;
  geo::Vec2 worldToScreen(const geo::Vec2& world) const;
  geo::Vec2 screenToWorld(const geo::Vec2& screen) const;
  // The lon/lat box the viewport shows.
  geo::BBox visibleBBox() const;

  // Keeps the world point under `screen` fixed while zooming by `delta` zoom levels.
  void zoomAround(const geo::Vec2& screen, double delta);
  void panPixels(double dx, double dy);

  // The camera that shows `box` whole with `padding` pixels to spare on each side.
  static Camera fit(const geo::BBox& box, int width, int height, double padding = 16);
};

inline constexpr double kMinZoom = 3;
inline constexpr double kMaxZoom = 17;

} // namespace borderlens::render
