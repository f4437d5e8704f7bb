#include "render/scene/point_index.h"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>

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

// Whether `filter` passes everything a default filter passes but for its time window and its
// rounds: then a viewport query reads only those of a point (in buckets where every point passes
// the default filter), not the whole symbol.
bool onlyWindowAndRounds(const GpuFilter& filter) {
  const GpuFilter all;
  return filter.programsActive == all.programsActive && filter.kindMask == all.kindMask &&
         filter.authorityMask == all.authorityMask && filter.minConfidence <= all.minConfidence &&
         filter.maxBorderKm >= all.maxBorderKm;
}

} // namespace

struct PointIndex::Tree {
  // The points again, bucket after bucket. The copy is what keeps a query fast: the filter reads
  // every candidate, and reading them in the scene's order (by 100 km cell, then record) would
  // be one cache miss per symbol over the ~70 MB of a million symbols.
  std::vector<PointInstance> points;
  std::vector<std::uint32_t> original;  // index of points[k] in the scene's vector
  bgi::rtree<BucketValue, bgi::quadratic<16>> rtree;  // bucket boxes; the value is the bucket number
  // What a viewport query reads of points[k], packed apart (8, 8 and 16 bytes of the symbol's
  // 72): a view over a dense town holds 250,000 symbols, and reading whole symbols made the
  // query wait on memory.
  std::vector<std::array<float, 2>> positions;
  std::vector<std::array<float, 2>> spans;
  // A point's rounds as a number into the few distinct sets of rounds points have; empty when
  // they are too many to number so (then a round filter reads whole symbols).
  std::vector<std::uint16_t> roundSets;
  std::vector<std::array<std::uint32_t, 4>> distinctRounds;
  // Per bucket: whether a default filter passes all its points.
  std::vector<bool> passDefault;
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
  m_tree->positions.reserve(points.size());
  m_tree->spans.reserve(points.size());
  m_tree->roundSets.reserve(points.size());
  std::map<std::array<std::uint32_t, 4>, std::size_t> setOf;
  std::vector<BucketValue> boxes;
  boxes.reserve(buckets);
  for (std::size_t first = 0; first < keys.size(); first += kBucket) {
    const std::size_t last = std::min(first + kBucket, keys.size());
    Box box(Point(keys[first].x, keys[first].y), Point(keys[first].x, keys[first].y));
    bool passDefault = true;
    for (std::size_t k = first; k < last; ++k) {
      const PointInstance& p = points[keys[k].index];
      m_tree->points.push_back(p);
      m_tree->original.push_back(keys[k].index);
      m_tree->positions.push_back({p.x, p.y});
      m_tree->spans.push_back({p.t0, p.t1});
      const auto [set, added] = setOf.try_emplace(p.rounds, m_tree->distinctRounds.size());
      if (added) m_tree->distinctRounds.push_back(p.rounds);
      m_tree->roundSets.push_back(static_cast<std::uint16_t>(set->second));
      passDefault = passDefault && GpuFilter{}.passes(p);
      bg::expand(box, Point(p.x, p.y));
      m_maxOffsetPx = std::max(m_maxOffsetPx, std::max(std::abs(p.dx), std::abs(p.dy)));
    }
    m_tree->passDefault.push_back(passDefault);
    boxes.emplace_back(box, static_cast<std::uint32_t>(first / kBucket));
  }
  if (m_tree->distinctRounds.size() > std::numeric_limits<std::uint16_t>::max()) {
    m_tree->roundSets = {};
    m_tree->distinctRounds = {};
  }
  // The range constructor packs the tree (STR bulk loading).
  m_tree->rtree = bgi::rtree<BucketValue, bgi::quadratic<16>>(boxes.begin(), boxes.end());
}

PointIndex::~PointIndex() = default;

template <typename Visit>
void PointIndex::visit(double minX, double minY, double maxX, double maxY, Visit&& visitBucket) const {
  const Box query(Point(minX, minY), Point(maxX, maxY));
  const std::size_t count = m_tree->points.size();
  m_tree->rtree.query(bgi::intersects(query), boost::make_function_output_iterator([&](const BucketValue& v) {
    const std::size_t first = std::size_t{v.second} * kBucket;
    visitBucket(v.second, first, std::min(first + kBucket, count), bg::covered_by(v.first, query));
  }));
}

std::optional<std::size_t> PointIndex::nearest(double x, double y, double radius, const GpuFilter& filter,
                                               double metresPerPixel) const {
  const double reach = radius + m_maxOffsetPx * metresPerPixel;
  const double minX = x - reach, minY = y - reach, maxX = x + reach, maxY = y + reach;
  std::optional<std::size_t> best;
  double bestScore = std::numeric_limits<double>::max();
  visit(minX, minY, maxX, maxY, [&](std::size_t, std::size_t first, std::size_t last, bool) {
    for (std::size_t k = first; k < last; ++k) {
      const PointInstance& p = m_tree->points[k];
      if (p.x < minX || p.x > maxX || p.y < minY || p.y > maxY || !filter.passes(p)) continue;
      const double dx = drawnX(p, metresPerPixel) - x, dy = drawnY(p, metresPerPixel) - y;
      const double d2 = dx * dx + dy * dy;
      if (d2 > radius * radius) continue;
      // Entities draw on top of incidents, so they also win the pick when both are under the cursor.
      const double score = d2 * ((p.category & category::kIncident) ? 1.5 : 1.0);
      const std::size_t index = m_tree->original[k];
      if (score < bestScore || (score == bestScore && best && index < *best)) {
        bestScore = score;
        best = index;
      }
    }
  });
  return best;
}

// Writes to `out` the scene indices of the points [first, last) that lie in the box (all do when
// kCovered) and pass the filter's window and rounds (those it tests), and returns the new end.
// Without branches: whether a point passes a time window is a coin toss, and a mispredicted
// branch per point cost more than the rest of the query. Every candidate is written, and the end
// moves on past those that pass.
template <bool kCovered, bool kWindow, bool kRounds>
std::size_t* PointIndex::compact(const Tree& t, std::size_t first, std::size_t last, double minX,
                                 double minY, double maxX, double maxY, const GpuFilter& filter,
                                 const std::vector<std::uint8_t>& setPasses, std::size_t* out) {
  const float from = filter.from, to = filter.to;
  for (std::size_t k = first; k < last; ++k) {
    bool pass = true;
    if constexpr (!kCovered) {
      const auto& [x, y] = t.positions[k];
      pass = (x >= minX) & (x <= maxX) & (y >= minY) & (y <= maxY);
    }
    if constexpr (kWindow) pass = pass & (t.spans[k][0] <= to) & (t.spans[k][1] >= from);
    if constexpr (kRounds) pass = pass & (setPasses[t.roundSets[k]] != 0);
    *out = t.original[k];
    out += pass ? 1 : 0;
  }
  return out;
}

void PointIndex::within(double minX, double minY, double maxX, double maxY, const GpuFilter& filter,
                        std::vector<std::size_t>& out) const {
  const Tree& t = *m_tree;
  const bool packed =
      onlyWindowAndRounds(filter) && (!filter.roundsActive || !t.roundSets.empty() || t.points.empty());
  // Which sets of rounds the filter passes, once for the query rather than once a point.
  std::vector<std::uint8_t> setPasses;
  if (packed && filter.roundsActive) {
    const auto& m = filter.roundMask;
    for (const auto& r : t.distinctRounds)
      setPasses.push_back(((r[0] & m[0]) | (r[1] & m[1]) | (r[2] & m[2]) | (r[3] & m[3])) != 0);
  }
  visit(minX, minY, maxX, maxY, [&](std::size_t bucket, std::size_t first, std::size_t last, bool covered) {
    const auto inBox = [&](std::size_t k) {
      const auto& [x, y] = t.positions[k];
      return x >= minX && x <= maxX && y >= minY && y <= maxY;
    };
    if (!packed || !t.passDefault[bucket]) {
      for (std::size_t k = first; k < last; ++k) {
        if ((covered || inBox(k)) && filter.passes(t.points[k])) out.push_back(t.original[k]);
      }
      return;
    }
    if (!filter.windowActive && !filter.roundsActive && covered) {
      out.insert(out.end(), t.original.begin() + static_cast<std::ptrdiff_t>(first),
                 t.original.begin() + static_cast<std::ptrdiff_t>(last));
      return;
    }
    const std::size_t size = out.size();
    out.resize(size + (last - first));
    std::size_t* next = out.data() + size;
    const auto run = [&]<bool kCovered, bool kWindow, bool kRounds>() {
      next = compact<kCovered, kWindow, kRounds>(t, first, last, minX, minY, maxX, maxY, filter,
                                                 setPasses, next);
    };
    // One loop for each combination, so that each reads only the arrays it tests.
    const int which = (covered ? 4 : 0) | (filter.windowActive ? 2 : 0) | (filter.roundsActive ? 1 : 0);
    switch (which) {
      case 0: run.operator()<false, false, false>(); break;
      case 1: run.operator()<false, false, true>(); break;
      case 2: run.operator()<false, true, false>(); break;
      case 3: run.operator()<false, true, true>(); break;
      case 5: run.operator()<true, false, true>(); break;
      case 6: run.operator()<true, true, false>(); break;
      default: run.operator()<true, true, true>(); break;
    }
    out.resize(static_cast<std::size_t>(next - out.data()));
  });
}

} // namespace borderlens::render
