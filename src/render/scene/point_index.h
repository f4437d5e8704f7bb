#pragma once

#include "render/scene/map_scene.h"

#include <memory>
#include <optional>
#include <vector>

namespace borderlens::render {

// A packed R-tree (Boost.Geometry) over the symbol positions, for picking and hover: which
// visible symbol lies nearest a screen point.
class PointIndex {
 public:
  explicit PointIndex(const std::vector<PointInstance>& points);
  ~PointIndex();
  PointIndex(const PointIndex&) = delete;
  PointIndex& operator=(const PointIndex&) = delete;

  // Index into `points` of the visible symbol nearest (x, y) (scene coordinates: metres from the
  // scene origin) within `radius` metres; entities win over incidents at equal distance.
  // Symbols count where they are drawn (their stack offset at `metresPerPixel`).
  std::optional<std::size_t> nearest(double x, double y, double radius, const GpuFilter& filter,
                                     double metresPerPixel) const;

 private:
  struct Tree;
  std::unique_ptr<Tree> m_tree;
  const std::vector<PointInstance>& m_points;
  float m_maxOffsetPx = 0;
};

} // namespace borderlens::render
