#include "render/scene/point_index.h"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace borderlens::render {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<Point>;
using Value = std::pair<Point, std::size_t>;

struct PointIndex::Tree {
  bgi::rtree<Value, bgi::quadratic<16>> rtree;
};

PointIndex::PointIndex(const std::vector<PointInstance>& points)
    : m_tree(std::make_unique<Tree>()), m_points(points) {
  std::vector<Value> values;
  values.reserve(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    values.emplace_back(Point(points[i].x, points[i].y), i);
    m_maxOffsetPx = std::max(m_maxOffsetPx, std::max(std::abs(points[i].dx), std::abs(points[i].dy)));
  }
  // The range constructor packs the tree (STR bulk loading): faster to build and to query than
  // inserting one by one.
  m_tree->rtree = bgi::rtree<Value, bgi::quadratic<16>>(values.begin(), values.end());
}

PointIndex::~PointIndex() = default;

std::optional<std::size_t> PointIndex::nearest(double x, double y, double radius, const GpuFilter& filter,
                                               double metresPerPixel) const {
  const double reach = radius + m_maxOffsetPx * metresPerPixel;
  const Box box(Point(x - reach, y - reach), Point(x + reach, y + reach));
  std::optional<std::size_t> best;
  double bestScore = std::numeric_limits<double>::max();
  m_tree->rtree.query(bgi::intersects(box), boost::make_function_output_iterator([&](const Value& v) {
    const PointInstance& p = m_points[v.second];
    if (!filter.passes(p)) return;
    const double dx = drawnX(p, metresPerPixel) - x, dy = drawnY(p, metresPerPixel) - y;
    const double d2 = dx * dx + dy * dy;
    if (d2 > radius * radius) return;
    // Entities draw on top of incidents, so they also win the pick when both are under the cursor.
    const double score = d2 * ((p.category & category::kIncident) ? 1.5 : 1.0);
    if (score < bestScore || (score == bestScore && best && v.second < *best)) {
      bestScore = score;
      best = v.second;
    }
  }));
  return best;
}

} // namespace borderlens::render
