#pragma once

#include "core/progress.h"
#include "geo/bbox.h"
#include "render/scene/labels.h"
#include "store/filter.h"

#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace borderlens::ops {

// The whole border region: Korea Bay to the Tumen mouth.
inline constexpr geo::BBox kBorderRegion{121.2, 38.4, 131.0, 43.2};

struct RenderOptions {
  std::string database;                // empty: base map only
  std::string output;                  // .png, or .tif/.tiff for a georeferenced GeoTIFF
  std::optional<geo::BBox> bbox;       // default: the database's extent, else kBorderRegion
  int width = 1600;
  int height = 1000;
  store::FilterSpec filter;
  render::LabelScript script = render::LabelScript::Latin;
  std::string stylePath;               // empty: assets/style.json
  std::string title;                   // drawn at the top left with the caption under it
  bool furniture = true;               // legend, scale bar, north arrow, caption, attribution
  bool overwrite = false;
};

struct RenderReport {
  int width = 0;
  int height = 0;
  std::size_t entities = 0;            // symbols drawn
  std::size_t incidents = 0;
  std::size_t labels = 0;
  std::string renderer;                // the GL renderer that drew it ("llvmpipe ...")
};

// The caption lines that say what an image shows: its time window, rounds and other filters.
std::vector<std::string> describeFilter(const store::FilterSpec& filter,
                                        const std::vector<store::RoundRow>& rounds);

// Draws the map headless (EGL surfaceless, the window's renderer) and writes it as PNG, or as
// a GeoTIFF in EPSG:3857 georeferenced to the view.
// Refuses an existing output without `overwrite`, and a size beyond the GL limits, before
// drawing anything.
RenderReport runRender(const RenderOptions& options, const core::Progress& progress = {});

// Parses "WxH" (throws core::UsageError).
void parseSize(const std::string& text, int& width, int& height);

} // namespace borderlens::ops
