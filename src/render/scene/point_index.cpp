#include "render/scene/point_index.h"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace borderlens::render {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<Point>;
using BucketValue = std::pair<Box, std::uint32_t>;

namespace {

// Points per bucket. A viewport of a dense border town holds tens of thousands of symbols: the
// tree finds buckets, and a bucket wholly inside the box yields its points without testing
// their coordinates, so the cost per hit is one filter test.
constexpr std::size_t kBucket = 64;

struct Key {
  float x, y;
  std::uint32_t index;
};

} // namespace

struct PointIndex::Tree {
  // The points again, bucket after bucket. The copy is what keeps a query fast: the filter reads
  // every candidate, and reading them in the scene's order (by 100 km cell, then record) would
  // be one cache miss per symbol over the ~70 MB of a million symbols.
  std::vector<PointInstance> points;
  std::vector<std::uint32_t> original;  // index of points[k] in the scene's vector
  bgi::rtree<BucketValue, bgi::quadratic<16>> rtree;  // bucket boxes; the value is the bucket number
};

PointIndex::PointIndex(const std::vector<PointInstance>& points) : m_tree(std::make_unique<Tree>()) {
  // Sort-tile-recursive grouping: vertical slices by x, then runs of kBucket by y within each
  // slice, so that every bucket is a compact patch of the map.
  std::vector<Key> keys(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) keys[i] = {points[i].x, points[i].y, static_cast<std::uint32_t>(i)};
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) { return a.x < b.x || (a.x == b.x && a.index < b.index); });
  const std::size_t buckets = (keys.size() + kBucket - 1) / kBucket;
  const auto slices = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(buckets)))));
  const std::size_t perSlice = std::max<std::size_t>(1, (buckets + slices - 1) / slices) * kBucket;
  for (std::size_t first = 0; first < keys.size(); first += perSlice) {
    const auto last = keys.begin() + static_cast<std::ptrdiff_t>(std::min(first + perSlice, keys.size()));
    std::sort(keys.begin() + static_cast<std::ptrdiff_t>(first), last,
              [](const Key& a, const Key& b) { return a.y < b.y || (a.y == b.y && a.index < b.index); });
  }

  m_tree->points.reserve(points.size());
  m_tree->original.reserve(points.size());
  std::vector<BucketValue> boxes;
  boxes.reserve(buckets);
  for (std::size_t first = 0; first < keys.size(); first += kBucket) {
    const std::size_t last = std::min(first + kBucket, keys.size());
    Box box(Point(keys[first].x, keys[first].y), Point(keys[first].x, keys[first].y));
    for (std::size_t k = first; k < last; ++k) {
      const PointInstance& p = points[keys[k].index];
      m_tree->points.push_back(p);
      m_tree->original.push_back(keys[k].index);
      bg::expand(box, Point(p.x, p.y));
      m_maxOffsetPx = std::max(m_maxOffsetPx, std::max(std::abs(p.dx), std::abs(p.dy)));
    }
    boxes.emplace_back(box, static_cast<std::uint32_t>(first / kBucket));
  }
  // The range constructor packs the tree (STR bulk loading).
  m_tree->rtree = bgi::rtree<BucketValue, bgi::quadratic<16>>(boxes.begin(), boxes.end());
}

PointIndex::~PointIndex() = default;

template <typename Visit>
void PointIndex::visit(double minX, double minY, double maxX, double maxY, Visit&& visitPoint) const {
  const Box query(Point(minX, minY), Point(maxX, maxY));
  const std::vector<PointInstance>& points = m_tree->points;
  m_tree->rtree.query(bgi::intersects(query), boost::make_function_output_iterator([&](const BucketValue& v) {
    const std::size_t first = std::size_t{v.second} * kBucket;
    const std::size_t last = std::min(first + kBucket, points.size());
    if (bg::covered_by(v.first, query)) {
      for (std::size_t k = first; k < last; ++k) visitPoint(k);
      return;
    }
    for (std::size_t k = first; k < last; ++k) {
      const PointInstance& p = points[k];
      if (p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY) visitPoint(k);
    }
  }));
}

std::optional<std::size_t> PointIndex::nearest(double x, double y, double radius, const GpuFilter& filter,
                                               double metresPerPixel) const {
  const double reach = radius + m_maxOffsetPx * metresPerPixel;
  std::optional<std::size_t> best;
  double bestScore = std::numeric_limits<double>::max();
  visit(x - reach, y - reach, x + reach, y + reach, [&](std::size_t k) {
    const PointInstance& p = m_tree->points[k];
    if (!filter.passes(p)) return;
    const double dx = drawnX(p, metresPerPixel) - x, dy = drawnY(p, metresPerPixel) - y;
    const double d2 = dx * dx + dy * dy;
    if (d2 > radius * radius) return;
    // Entities draw on top of incidents, so they also win the pick when both are under the cursor.
    const double score = d2 * ((p.category & category::kIncident) ? 1.5 : 1.0);
    const std::size_t index = m_tree->original[k];
    if (score < bestScore || (score == bestScore && best && index < *best)) {
      bestScore = score;
      best = index;
    }
  });
  return best;
}

void PointIndex::within(double minX, double minY, double maxX, double maxY, const GpuFilter& filter,
                        std::vector<std::size_t>& out) const {
  visit(minX, minY, maxX, maxY, [&](std::size_t k) {
    if (filter.passes(m_tree->points[k])) out.push_back(m_tree->original[k]);
  });
}

} // namespace borderlens::render
