#pragma once

#include "render/scene/camera.h"
#include "render/scene/glyph_atlas.h"
#include "render/scene/style.h"

#include <string>
#include <vector>

namespace borderlens::render {

enum class LabelScript { Latin, Chinese, Korean };
const char* nameOf(LabelScript script);

struct LabelCandidate {
  std::string text;
  double x = 0;                 // anchor in Web Mercator metres
  double y = 0;
  float sizePx = 14;
  int priority = 0;             // higher first
  double rank = 0;              // tie-break within a priority: higher first
  float clearancePx = 4;        // gap between the anchor (its symbol) and the text
  Rgba color;
  Rgba halo;
};

struct PlacedLabel {
  std::size_t candidate = 0;    // index into the candidate list
  float left = 0;               // screen box in pixels
  float top = 0;
  float width = 0;
  float height = 0;
};

// Greedy placement: candidates in priority order, each tried right of, left of, above and below
// its anchor; the first spot that overlaps no placed label (nor the screen edge) wins, otherwise
// the label is dropped. Deterministic for the same input and camera.
std::vector<PlacedLabel> placeLabels(const std::vector<LabelCandidate>& candidates,
                                     const Camera& camera, const GlyphAtlas& atlas);

} // namespace borderlens::render
