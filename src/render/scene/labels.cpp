#include "render/scene/labels.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace borderlens::render {

const char* nameOf(LabelScript script) {
  switch (script) {
    case LabelScript::Latin: return "latin";
    case LabelScript::Chinese: return "chinese";
    case LabelScript::Korean: return "korean";
  }
  return "latin";
}

namespace {

struct Box {
  float left, top, right, bottom;
  bool overlaps(const Box& o) const {
    return left < o.right && o.left < right && top < o.bottom && o.top < bottom;
  }
};

// Buckets placed boxes by screen cell so each test looks at a few neighbours only.
class CollisionGrid {
 public:
  static constexpr float kCell = 96;

  bool collides(const Box& box) const {
    bool hit = false;
    forCells(box, [&](long long key) {
      const auto it = m_cells.find(key);
      if (it == m_cells.end()) return;
      for (std::size_t i : it->second) hit = hit || m_boxes[i].overlaps(box);
    });
    return hit;
  }
  void insert(const Box& box) {
    m_boxes.push_back(box);
    forCells(box, [&](long long key) { m_cells[key].push_back(m_boxes.size() - 1); });
  }

 private:
  template <typename F>
  void forCells(const Box& box, F f) const {
    const auto x0 = static_cast<long long>(std::floor(box.left / kCell));
    const auto x1 = static_cast<long long>(std::floor(box.right / kCell));
    const auto y0 = static_cast<long long>(std::floor(box.top / kCell));
    const auto y1 = static_cast<long long>(std::floor(box.bottom / kCell));
    for (long long y = y0; y <= y1; ++y) {
      for (long long x = x0; x <= x1; ++x) f(y * 1000003LL + x);
    }
  }
  std::vector<Box> m_boxes;
  std::unordered_map<long long, std::vector<std::size_t>> m_cells;
};

} // namespace

std::vector<PlacedLabel> placeLabels(const std::vector<LabelCandidate>& candidates,
                                     const Camera& camera, const GlyphAtlas& atlas) {
  std::vector<std::size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& ca = candidates[a];
    const auto& cb = candidates[b];
    if (ca.priority != cb.priority) return ca.priority > cb.priority;
    return ca.rank > cb.rank;
  });

  CollisionGrid grid;
  std::vector<PlacedLabel> placed;
  const float screenW = static_cast<float>(camera.width);
  const float screenH = static_cast<float>(camera.height);
  for (std::size_t index : order) {
    const LabelCandidate& c = candidates[index];
    if (c.text.empty()) continue;
    const geo::Vec2 anchor = camera.worldToScreen({c.x, c.y});
    const float ax = static_cast<float>(anchor.x);
    const float ay = static_cast<float>(anchor.y);
    if (ax < -200 || ay < -50 || ax > screenW + 200 || ay > screenH + 50) continue;
    const float w = atlas.measure(c.text, c.sizePx);
    const float h = c.sizePx * 1.2f;
    const float gap = c.clearancePx;
    const Box options[] = {
        {ax + gap, ay - h / 2, ax + gap + w, ay + h / 2},          // right
        {ax - gap - w, ay - h / 2, ax - gap, ay + h / 2},          // left
        {ax - w / 2, ay - gap - h, ax + w / 2, ay - gap},          // above
        {ax - w / 2, ay + gap, ax + w / 2, ay + gap + h},          // below
    };
    for (const Box& box : options) {
      if (box.left < 0 || box.top < 0 || box.right > screenW || box.bottom > screenH) continue;
      // A 2-pixel margin keeps halos from touching.
      const Box padded{box.left - 2, box.top - 2, box.right + 2, box.bottom + 2};
      if (grid.collides(padded)) continue;
      grid.insert(padded);
      placed.push_back({index, box.left, box.top, w, h});
      break;
    }
  }
  return placed;
}

} // namespace borderlens::render
