#pragma once

#include "core/date.h"
#include "geo/bbox.h"
#include "render/scene/labels.h"
#include "render/scene/map_data.h"
#include "render/scene/style.h"
#include "store/filter.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

// CPU side of the map: everything is tessellated and packed once, here, into the arrays the GL
// layer uploads as they are. No GL in this directory.
namespace borderlens::render {

// One vertex of a screen-width polyline: the line is extruded in the vertex shader from the
// previous, current and next points, so zooming never rebuilds it.
struct LineVertex {
  float prevX, prevY;
  float x, y;
  float nextX, nextY;
  float side;  // +1 or -1: which edge of the stroke
};

// A run of consecutive vertices, indices or symbols that lie in one grid cell, with their box
// in scene coordinates: the renderer draws only the runs the view can see, so a close view of
// Dandong does not push the whole full-resolution coast through the vertex shader.
struct DrawRange {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  float minX = 0, minY = 0, maxX = 0, maxY = 0;
};

struct BaseLayerMesh {
  std::string layer;       // style layer name ("land", "rivers")
  std::string lod;         // "f", "h", "i", "l" or "" for layers without levels
  std::size_t styleIndex = 0;
  std::vector<float> triangles;        // x,y pairs, three vertices a triangle
  std::vector<LineVertex> lineVertices;
  std::vector<std::uint32_t> lineIndices;
  std::vector<DrawRange> triangleRanges;  // in vertices of `triangles`
  std::vector<DrawRange> lineRanges;      // in entries of `lineIndices`
};

// Bits of PointInstance::category.
namespace category {
inline constexpr std::uint32_t kKindMask = 0x1f;        // kind index (entity kinds, then incident kinds)
inline constexpr std::uint32_t kAuthorityShift = 5;     // 8 authority bits
inline constexpr std::uint32_t kIncident = 1u << 13;
} // namespace category

// Bits of PointInstance::shape beyond the shape number.
namespace shape_flag {
inline constexpr std::uint32_t kShapeMask = 0xf;
inline constexpr std::uint32_t kRing = 1u << 4;         // city precision or coarser: drawn as a ring
} // namespace shape_flag

// Per-feature attributes of an instanced point symbol; the time span and bit masks let the GPU
// filter without touching the buffer.
struct PointInstance {
  float x = 0, y = 0;                 // Web Mercator metres minus the scene origin
  float t0 = 0, t1 = 0;               // days minus the scene's origin day
  std::array<std::uint32_t, 4> rounds{};  // bit i: the feature belongs to round i
  std::uint32_t category = 0;
  float confidence = 1;
  float borderKm = 0;
  std::uint32_t color = 0;            // RGBA8
  float size = 10;                    // pixels
  std::uint32_t shape = 0;
  std::uint32_t pickId = 0;           // index in SceneGeometry::features + 1
  // Screen offset in pixels (y up) that fans out symbols sharing one point: records located to
  // the same city centre would otherwise hide each other under one symbol.
  float dx = 0, dy = 0;
  std::uint32_t programs = 0;         // bit i: a designation under SceneGeometry::programs[i]
};

// Symbols shrink as the map zooms out, where they crowd: full size from zoom 10, 45% at zoom 5.
inline float symbolScale(double zoom) {
  return static_cast<float>(std::clamp(0.45 + (zoom - 5.0) * 0.11, 0.45, 1.0));
}

// Where a symbol is drawn, in scene coordinates, at a given ground resolution.
inline double drawnX(const PointInstance& p, double metresPerPixel) { return p.x + p.dx * metresPerPixel; }
inline double drawnY(const PointInstance& p, double metresPerPixel) { return p.y + p.dy * metresPerPixel; }

inline constexpr float kOpenTime = 1.0e7f;   // days: a span end that is open
inline constexpr float kUnknownBorderKm = 1.0e7f;
// Round bits: the first 127 rounds in date order, and one bit for features in no round at all
// (so that a round filter can keep or drop them).
inline constexpr std::size_t kMaxRounds = 127;
inline constexpr std::size_t kNoRoundBit = 127;
inline constexpr std::size_t kMaxPrograms = 32;

// Fixed authority bit numbers; anything else shares the "other" bit, and features without any
// designation carry the "none" bit, so "no authority selected" can still show them.
std::uint32_t authorityBit(const std::string& authority);
inline constexpr std::uint32_t kAuthorityOtherBit = 6;
inline constexpr std::uint32_t kAuthorityNoneBit = 7;
const std::vector<std::string>& knownAuthorities();

// The kind index used in PointInstance::category.
std::uint32_t kindIndex(bool incident, const std::string& kind);

// The filter as the shaders see it (uniforms).
struct GpuFilter {
  bool windowActive = false;
  float from = -kOpenTime;
  float to = kOpenTime;
  bool roundsActive = false;
  std::array<std::uint32_t, 4> roundMask{};
  bool programsActive = false;
  std::uint32_t programMask = 0;
  std::uint32_t kindMask = 0xffffffffu;
  std::uint32_t authorityMask = 0xffu;
  float minConfidence = 0;
  float maxBorderKm = kUnknownBorderKm * 2;
  std::uint32_t highlightId = 0;

  // What the point shader does, on the CPU: picking and counts use it.
  bool passes(const PointInstance& p) const;
};

struct SceneGeometry {
  // Symbols are ordered incidents first (drawn under the entities), each group by grid cell.
  std::vector<DrawRange> incidentRanges;
  std::vector<DrawRange> entityRanges;
  double originX = 0;
  double originY = 0;
  std::int32_t originDay = 0;
  std::vector<BaseLayerMesh> base;
  std::vector<PointInstance> points;
  std::vector<store::FeatureRow> features;   // features[pickId - 1]
  std::vector<std::string> roundIds;          // bit index -> round id
  std::vector<store::RoundRow> rounds;        // the same order
  std::vector<std::string> programs;          // bit index -> program (the first 32, sorted)
  std::vector<PlaceData> places;
  geo::BBox extent;                           // of the features, or of the base map
  std::vector<std::string> attribution;
};

SceneGeometry buildScene(MapData data, const Style& style);

// Orders the triangles and line segments of a mesh by grid cell and fills its draw ranges.
void chunkMesh(BaseLayerMesh& mesh);

// Screen-width lines through lon/lat points (selection links), in the scene's coordinates.
BaseLayerMesh buildLineMesh(const SceneGeometry& scene, const std::vector<std::vector<geo::Vec2>>& lonLatLines);

// The uniforms that show what `filter` selects (bbox, near and text are applied by the store,
// not here). Unknown round ids select nothing.
GpuFilter gpuFilterFrom(const store::FilterSpec& filter, const SceneGeometry& scene);

// The label candidates for the current zoom: places by class, and entity names when close.
std::vector<LabelCandidate> labelCandidates(const SceneGeometry& scene, const Style& style,
                                            LabelScript script, double zoom,
                                            const GpuFilter& filter);

} // namespace borderlens::render
