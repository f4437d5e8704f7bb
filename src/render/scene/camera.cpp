#include "render/scene/camera.h"

#include "geo/mercator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace borderlens::render {

double Camera::metresPerPixel() const {
  return 2 * std::numbers::pi * geo::kEarthRadiusM / (256.0 * std::exp2(zoom));
}

geo::Vec2 Camera::worldToScreen(const geo::Vec2& world) const {
  const double mpp = metresPerPixel();
  return {width / 2.0 + (world.x - centerX) / mpp, height / 2.0 - (world.y - centerY) / mpp};
}

geo::Vec2 Camera::screenToWorld(const geo::Vec2& screen) const {
  const double mpp = metresPerPixel();
  return {centerX + (screen.x - width / 2.0) * mpp, centerY - (screen.y - height / 2.0) * mpp};
}

geo::BBox Camera::visibleBBox() const {
  const geo::Vec2 topLeft = screenToWorld({0, 0});
  const geo::Vec2 bottomRight = screenToWorld({static_cast<double>(width), static_cast<double>(height)});
  geo::BBox box;
  geo::mercatorToLonLat({topLeft.x, topLeft.y}, box.west, box.north);
  geo::mercatorToLonLat({bottomRight.x, bottomRight.y}, box.east, box.south);
  return box;
}

void Camera::zoomAround(const geo::Vec2& screen, double delta) {
  const geo::Vec2 anchor = screenToWorld(screen);
  zoom = std::clamp(zoom + delta, kMinZoom, kMaxZoom);
  const geo::Vec2 moved = screenToWorld(screen);
  centerX += anchor.x - moved.x;
  centerY += anchor.y - moved.y;
}

void Camera::panPixels(double dx, double dy) {
  const double mpp = metresPerPixel();
  centerX -= dx * mpp;
  centerY += dy * mpp;
}

Camera Camera::fit(const geo::BBox& box, int width, int height, double padding) {
  const auto sw = geo::lonLatToMercator(box.west, box.south);
  const auto ne = geo::lonLatToMercator(box.east, box.north);
  Camera camera;
  camera.width = width;
  camera.height = height;
  camera.centerX = (sw.x + ne.x) / 2;
  camera.centerY = (sw.y + ne.y) / 2;
  const double usableW = std::max(1.0, width - 2 * padding);
  const double usableH = std::max(1.0, height - 2 * padding);
  const double mpp = std::max({(ne.x - sw.x) / usableW, (ne.y - sw.y) / usableH, 0.05});
  camera.zoom = std::clamp(std::log2(2 * std::numbers::pi * geo::kEarthRadiusM / (256.0 * mpp)),
                           kMinZoom, kMaxZoom);
  return camera;
}

} // namespace borderlens::render
