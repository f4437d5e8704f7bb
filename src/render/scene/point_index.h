#pragma once

#include "render/scene/map_scene.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace borderlens::render {

// The symbols in buckets of nearby points under a packed R-tree (Boost.Geometry), for picking
// and hover (which visible symbol lies nearest a screen point) and viewport queries (which lie
// in a box). It keeps its own copy of the points: rebuild it when they change.
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

  // Appends to `out` the indices into `points` of the symbols `filter` shows whose point lies in
  // the box (scene coordinates, edges included), in no particular order: what a viewport holds.
  void within(double minX, double minY, double maxX, double maxY, const GpuFilter& filter,
              std::vector<std::size_t>& out) const;

 private:
  // Calls visitBucket(bucket, first, last, covered) for every bucket that meets the box: its
  // points are [first, last) in the index's own copy, all inside the box when `covered`.
  template <typename Visit>
  void visit(double minX, double minY, double maxX, double maxY, Visit&& visitBucket) const;

  struct Tree;
  template <bool kCovered, bool kWindow, bool kRounds>
  static std::size_t* compact(const Tree& tree, std::size_t first, std::size_t last, double minX,
                              double minY, double maxX, double maxY, const GpuFilter& filter,
                              const std::vector<std::uint8_t>& setPasses, std::size_t* out);

  std::unique_ptr<Tree> m_tree;
  float m_maxOffsetPx = 0;
};

} // namespace borderlens::render
