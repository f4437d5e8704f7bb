#pragma once

#include "render/gl/program.h"
#include "render/scene/camera.h"
#include "render/scene/glyph_atlas.h"
#include "render/scene/labels.h"
#include "render/scene/map_scene.h"
#include "render/scene/overlay.h"
#include "render/scene/style.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace borderlens::render::gl {

struct TextVertex;

// Draws a SceneGeometry with the project's own GL buffers: uploaded once at construction, then
// every frame is uniforms and draw calls (labels, a few hundred glyph quads, are the only
// per-frame upload). Needs a current OpenGL 3.3 core context, on screen or offscreen alike.
class MapRenderer {
 public:
  MapRenderer(const SceneGeometry& scene, const Style& style);
  ~MapRenderer();
  MapRenderer(const MapRenderer&) = delete;
  MapRenderer& operator=(const MapRenderer&) = delete;

  // 0 hides a base layer (by style layer name: "land", "rivers"), 1 draws it opaque.
  void setLayerOpacity(const std::string& layer, float opacity);
  float layerOpacity(const std::string& layer) const;
  void setFeaturesVisible(bool entities, bool incidents);
  // Lines drawn above the base map and below the symbols: the links of the selected record.
  void setLinkLines(const std::vector<std::vector<geo::Vec2>>& lonLatLines);

  // Where draw() puts a frame. The base map goes into `multisampled`, whose samples smooth the
  // edges of fills and lines. Symbols and labels smooth their own edges (distance fields), yet
  // blending them into four samples a pixel took a third of a frame on llvmpipe (1.52 against
  // 1.04 s for a million symbols): given a `resolved` framebuffer of the same size (0 is the
  // window's), draw() resolves the base map into it and draws them there, leaving it bound. With
  // none, the whole frame stays in `multisampled`, for drawOverlay() to draw on with samples too.
  struct Targets {
    GLuint multisampled = 0;
    std::optional<GLuint> resolved;
  };
  // Clears and draws the whole map (viewport = camera size).
  void draw(const Camera& camera, const GpuFilter& filter, LabelScript script, const Targets& targets);

  // Draws map furniture (legend, scale bar, ...) over what draw() left in the framebuffer.
  void drawOverlay(const Overlay& overlay, const Camera& camera);
  GlyphAtlas& atlas() { return m_atlas; }

  const std::vector<PlacedLabel>& placedLabels() const { return m_placed; }
  const std::vector<LabelCandidate>& labelCandidates() const { return m_candidates; }
  const SceneGeometry& scene() const { return m_scene; }
  const Style& style() const { return m_style; }

 private:
  struct Mesh;
  void drawBase(const Camera& camera);
  void drawPoints(const Camera& camera, const GpuFilter& filter);
  void drawLabels(const Camera& camera, const GpuFilter& filter, LabelScript script);
  void setView(Program& program, const Camera& camera);
  void uploadAtlas();
  void drawText(const std::vector<TextVertex>& vertices, const Camera& camera);
  std::unique_ptr<Mesh> uploadMesh(const BaseLayerMesh& base);
  void drawLines(const Mesh& mesh, const Camera& camera, const Rgba& color, float width, float opacity);

  const SceneGeometry& m_scene;
  const Style& m_style;
  GlyphAtlas m_atlas;
  std::unique_ptr<Program> m_fill;
  std::unique_ptr<Program> m_line;
  std::unique_ptr<Program> m_point;
  std::unique_ptr<Program> m_text;
  std::unique_ptr<Program> m_screen;
  GLuint m_screenVao = 0;
  GLuint m_screenVbo = 0;
  GLuint m_overlayVbo = 0;
  std::vector<std::unique_ptr<Mesh>> m_meshes;
  BaseLayerMesh m_linkSource;
  std::unique_ptr<Mesh> m_links;
  std::map<std::string, float> m_opacity;
  GLuint m_pointVao = 0;
  GLuint m_instanceVbo = 0;
  GLuint m_placeVao = 0;
  GLuint m_placeVbo = 0;
  GLsizei m_placeCount = 0;
  GLsizei m_instanceCount = 0;
  bool m_showEntities = true;
  bool m_showIncidents = true;
  GLuint m_textVao = 0;
  GLuint m_textVbo = 0;
  GLuint m_atlasTexture = 0;
  int m_atlasVersion = -1;
  std::vector<LabelCandidate> m_candidates;
  std::vector<PlacedLabel> m_placed;
};

} // namespace borderlens::render::gl
