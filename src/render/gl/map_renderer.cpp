#include "render/gl/map_renderer.h"

#include "core/utf8.h"
#include "geo/mercator.h"

#include <algorithm>
#include <cstddef>

namespace borderlens::render::gl {

struct MapRenderer::Mesh {
  const BaseLayerMesh* source = nullptr;
  GLuint fillVao = 0, fillVbo = 0;
  GLsizei fillVertices = 0;
  GLuint lineVao = 0, lineVbo = 0, lineEbo = 0;
  GLsizei lineIndices = 0;

  ~Mesh() {
    glDeleteVertexArrays(1, &fillVao);
    glDeleteBuffers(1, &fillVbo);
    glDeleteVertexArrays(1, &lineVao);
    glDeleteBuffers(1, &lineVbo);
    glDeleteBuffers(1, &lineEbo);
  }
};

// Per-vertex data of a glyph quad.
struct TextVertex {
  float x, y, u, v;
  std::uint32_t color;
  std::uint32_t halo;
  float sdfPerPx;
};

namespace {

const void* byteOffset(std::size_t offset) { return reinterpret_cast<const void*>(offset); }

template <typename T>
GLsizeiptr bytes(const std::vector<T>& v) {
  return static_cast<GLsizeiptr>(v.size() * sizeof(T));
}

// The scene-coordinate box the camera sees, grown by `marginPx` pixels on every side.
struct ViewBox {
  float minX, minY, maxX, maxY;
  bool sees(const DrawRange& r) const { return r.maxX >= minX && r.minX <= maxX && r.maxY >= minY && r.minY <= maxY; }
};

ViewBox viewBox(const Camera& camera, const SceneGeometry& scene, double marginPx) {
  const double mpp = camera.metresPerPixel();
  const double halfW = (camera.width / 2.0 + marginPx) * mpp, halfH = (camera.height / 2.0 + marginPx) * mpp;
  const double cx = camera.centerX - scene.originX, cy = camera.centerY - scene.originY;
  return {static_cast<float>(cx - halfW), static_cast<float>(cy - halfH), static_cast<float>(cx + halfW),
          static_cast<float>(cy + halfH)};
}

// Draws the visible ranges, merging neighbours into one call.
template <typename Draw>
void drawVisible(const std::vector<DrawRange>& ranges, const ViewBox& box, Draw draw) {
  std::uint32_t first = 0, count = 0;
  for (const auto& range : ranges) {
    if (!box.sees(range)) continue;
    if (count > 0 && first + count == range.first) {
      count += range.count;
      continue;
    }
    if (count > 0) draw(first, count);
    first = range.first;
    count = range.count;
  }
  if (count > 0) draw(first, count);
}

void setColor(Program& program, const char* name, const Rgba& c, float opacity = 1) {
  glUniform4f(program.uniform(name), c.r, c.g, c.b, c.a * opacity);
}


struct ScreenVertex {
  float x, y;
  std::uint32_t color;
};

// Glyph quads for one line of text whose first glyph starts at `x` on `baseline`.
void appendText(std::vector<TextVertex>& out, const GlyphAtlas& atlas, const std::string& text, float x,
                float baseline, float sizePx, std::uint32_t color, std::uint32_t halo) {
  const float scale = sizePx / GlyphAtlas::kBaseSize;
  // One pixel on screen in distance-field units (the field spans kPadding base pixels).
  const float sdfPerPx = (128.0f / 255.0f) / static_cast<float>(GlyphAtlas::kPadding) / scale;
  float penX = x;
  char32_t previous = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = core::decodeUtf8(text, pos);
    if (previous) penX += atlas.kerning(previous, cp) * scale;
    previous = cp;
    const GlyphAtlas::Glyph* g = atlas.glyph(cp);
    if (!g) continue;
    const float x0 = penX + g->x0 * scale, x1 = penX + g->x1 * scale;
    const float y0 = baseline + g->y0 * scale, y1 = baseline + g->y1 * scale;
    const TextVertex a{x0, y0, g->u0, g->v0, color, halo, sdfPerPx};
    const TextVertex b{x1, y0, g->u1, g->v0, color, halo, sdfPerPx};
    const TextVertex c{x0, y1, g->u0, g->v1, color, halo, sdfPerPx};
    const TextVertex d{x1, y1, g->u1, g->v1, color, halo, sdfPerPx};
    out.insert(out.end(), {a, b, c, b, d, c});
    penX += g->advance * scale;
  }
}

void bindPointAttributes(std::size_t firstInstance) {
  const std::size_t stride = sizeof(PointInstance);
  const std::size_t base = firstInstance * stride;
  const auto floatAttr = [&](GLuint index, GLint size, std::size_t offset) {
    glEnableVertexAttribArray(index);
    glVertexAttribPointer(index, size, GL_FLOAT, GL_FALSE, static_cast<GLsizei>(stride), byteOffset(base + offset));
  };
  const auto uintAttr = [&](GLuint index, GLint size, std::size_t offset) {
    glEnableVertexAttribArray(index);
    glVertexAttribIPointer(index, size, GL_UNSIGNED_INT, static_cast<GLsizei>(stride), byteOffset(base + offset));
  };
  floatAttr(1, 2, offsetof(PointInstance, x));
  floatAttr(2, 2, offsetof(PointInstance, t0));
  uintAttr(3, 4, offsetof(PointInstance, rounds));
  uintAttr(4, 1, offsetof(PointInstance, category));
  floatAttr(5, 1, offsetof(PointInstance, confidence));
  floatAttr(6, 1, offsetof(PointInstance, borderKm));
  glEnableVertexAttribArray(7);
  glVertexAttribPointer(7, 4, GL_UNSIGNED_BYTE, GL_TRUE, static_cast<GLsizei>(stride),
                        byteOffset(base + offsetof(PointInstance, color)));
  floatAttr(8, 1, offsetof(PointInstance, size));
  uintAttr(9, 1, offsetof(PointInstance, shape));
  uintAttr(10, 1, offsetof(PointInstance, pickId));
  floatAttr(11, 2, offsetof(PointInstance, dx));
  uintAttr(12, 1, offsetof(PointInstance, programs));
}

} // namespace

MapRenderer::MapRenderer(const SceneGeometry& scene, const Style& style)
    : m_scene(scene), m_style(style), m_atlas(kDefaultFont) {
  m_fill = std::make_unique<Program>("fill.vert", "fill.frag");
  m_line = std::make_unique<Program>("line.vert", "line.frag");
  m_point = std::make_unique<Program>("point.vert", "point.frag");
  m_text = std::make_unique<Program>("text.vert", "text.frag");
  m_screen = std::make_unique<Program>("screen.vert", "screen.frag");

  for (const auto& base : scene.base) m_meshes.push_back(uploadMesh(base));

  // The scene orders symbols incidents first (under the entities), each by grid cell.
  m_instanceCount = static_cast<GLsizei>(scene.points.size());
  glGenVertexArrays(1, &m_pointVao);
  glBindVertexArray(m_pointVao);
  glGenBuffers(1, &m_instanceVbo);
  glBindBuffer(GL_ARRAY_BUFFER, m_instanceVbo);
  glBufferData(GL_ARRAY_BUFFER, bytes(scene.points), scene.points.data(), GL_STATIC_DRAW);
  bindPointAttributes(0);

  // Towns, ports and crossings get a small dot under their label, so the label's side of the
  // point is never ambiguous.
  std::vector<PointInstance> places;
  for (const auto& place : scene.places) {
    const auto m = geo::lonLatToMercator(place.lon, place.lat);
    PointInstance p;
    p.x = static_cast<float>(m.x - scene.originX);
    p.y = static_cast<float>(m.y - scene.originY);
    p.color = Rgba{0.25f, 0.25f, 0.28f, 0.9f}.packed();
    p.size = place.category == "place" ? 4.0f : 6.0f;
    p.shape = static_cast<std::uint32_t>(place.category == "crossing" ? Shape::Diamond : Shape::Circle);
    places.push_back(p);
  }
  m_placeCount = static_cast<GLsizei>(places.size());
  glGenVertexArrays(1, &m_placeVao);
  glBindVertexArray(m_placeVao);
  glGenBuffers(1, &m_placeVbo);
  glBindBuffer(GL_ARRAY_BUFFER, m_placeVbo);
  glBufferData(GL_ARRAY_BUFFER, bytes(places), places.data(), GL_STATIC_DRAW);
  bindPointAttributes(0);

  glGenVertexArrays(1, &m_textVao);
  glBindVertexArray(m_textVao);
  glGenBuffers(1, &m_textVbo);
  glBindBuffer(GL_ARRAY_BUFFER, m_textVbo);
  const auto stride = static_cast<GLsizei>(sizeof(TextVertex));
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(offsetof(TextVertex, x)));
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(offsetof(TextVertex, u)));
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, byteOffset(offsetof(TextVertex, color)));
  glEnableVertexAttribArray(3);
  glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, byteOffset(offsetof(TextVertex, halo)));
  glEnableVertexAttribArray(4);
  glVertexAttribPointer(4, 1, GL_FLOAT, GL_FALSE, stride, byteOffset(offsetof(TextVertex, sdfPerPx)));
  glGenTextures(1, &m_atlasTexture);
  glGenVertexArrays(1, &m_screenVao);
  glBindVertexArray(m_screenVao);
  glGenBuffers(1, &m_screenVbo);
  glBindBuffer(GL_ARRAY_BUFFER, m_screenVbo);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ScreenVertex), byteOffset(offsetof(ScreenVertex, x)));
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ScreenVertex), byteOffset(offsetof(ScreenVertex, color)));
  glGenBuffers(1, &m_overlayVbo);
  glBindVertexArray(0);

  // Every label text the map can show, in every script, goes into the atlas up front, so that
  // switching scripts or zooming never stalls on rasterising glyphs.
  for (const auto& place : scene.places) {
    m_atlas.require(place.nameEn);
    m_atlas.require(place.nameZh);
    m_atlas.require(place.nameKo);
  }
  for (const auto& f : scene.features) {
    if (f.type == store::FeatureType::Entity) m_atlas.require(f.name);
  }
  m_atlas.build();
}

std::unique_ptr<MapRenderer::Mesh> MapRenderer::uploadMesh(const BaseLayerMesh& base) {
  auto mesh = std::make_unique<Mesh>();
  mesh->source = &base;
  if (!base.triangles.empty()) {
    glGenVertexArrays(1, &mesh->fillVao);
    glBindVertexArray(mesh->fillVao);
    glGenBuffers(1, &mesh->fillVbo);
    glBindBuffer(GL_ARRAY_BUFFER, mesh->fillVbo);
    glBufferData(GL_ARRAY_BUFFER, bytes(base.triangles), base.triangles.data(), GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), nullptr);
    mesh->fillVertices = static_cast<GLsizei>(base.triangles.size() / 2);
  }
  if (!base.lineIndices.empty()) {
    glGenVertexArrays(1, &mesh->lineVao);
    glBindVertexArray(mesh->lineVao);
    glGenBuffers(1, &mesh->lineVbo);
    glBindBuffer(GL_ARRAY_BUFFER, mesh->lineVbo);
    glBufferData(GL_ARRAY_BUFFER, bytes(base.lineVertices), base.lineVertices.data(), GL_STATIC_DRAW);
    const auto stride = static_cast<GLsizei>(sizeof(LineVertex));
    for (GLuint i = 0; i < 3; ++i) {
      glEnableVertexAttribArray(i);
      glVertexAttribPointer(i, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(i * 2 * sizeof(float)));
    }
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 1, GL_FLOAT, GL_FALSE, stride, byteOffset(offsetof(LineVertex, side)));
    glGenBuffers(1, &mesh->lineEbo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, mesh->lineEbo);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, bytes(base.lineIndices), base.lineIndices.data(), GL_STATIC_DRAW);
    mesh->lineIndices = static_cast<GLsizei>(base.lineIndices.size());
  }
  glBindVertexArray(0);
  return mesh;
}

void MapRenderer::setLinkLines(const std::vector<std::vector<geo::Vec2>>& lonLatLines) {
  m_links.reset();
  m_linkSource = buildLineMesh(m_scene, lonLatLines);
  if (!m_linkSource.lineIndices.empty()) m_links = uploadMesh(m_linkSource);
}

void MapRenderer::drawLines(const Mesh& mesh, const Camera& camera, const Rgba& color, float width,
                            float opacity) {
  m_line->use();
  setView(*m_line, camera);
  setColor(*m_line, "u_color", color, opacity);
  glUniform1f(m_line->uniform("u_width"), width);
  glBindVertexArray(mesh.lineVao);
  drawVisible(mesh.source->lineRanges, viewBox(camera, m_scene, width + 2), [](std::uint32_t first, std::uint32_t count) {
    glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(count), GL_UNSIGNED_INT,
                   byteOffset(static_cast<std::size_t>(first) * sizeof(std::uint32_t)));
  });
}

MapRenderer::~MapRenderer() {
  m_links.reset();
  m_meshes.clear();
  glDeleteVertexArrays(1, &m_pointVao);
  glDeleteBuffers(1, &m_instanceVbo);
  glDeleteVertexArrays(1, &m_placeVao);
  glDeleteBuffers(1, &m_placeVbo);
  glDeleteVertexArrays(1, &m_textVao);
  glDeleteBuffers(1, &m_textVbo);
  glDeleteTextures(1, &m_atlasTexture);
  glDeleteVertexArrays(1, &m_screenVao);
  glDeleteBuffers(1, &m_screenVbo);
  glDeleteBuffers(1, &m_overlayVbo);
}

void MapRenderer::setLayerOpacity(const std::string& layer, float opacity) {
  m_opacity[layer] = std::clamp(opacity, 0.0f, 1.0f);
}

float MapRenderer::layerOpacity(const std::string& layer) const {
  const auto it = m_opacity.find(layer);
  return it == m_opacity.end() ? 1.0f : it->second;
}

void MapRenderer::setFeaturesVisible(bool entities, bool incidents) {
  m_showEntities = entities;
  m_showIncidents = incidents;
}

void MapRenderer::setView(Program& program, const Camera& camera) {
  const double mpp = camera.metresPerPixel();
  glUniform2f(program.uniform("u_center"), static_cast<float>(camera.centerX - m_scene.originX),
              static_cast<float>(camera.centerY - m_scene.originY));
  glUniform2f(program.uniform("u_scale"), static_cast<float>(2.0 / (camera.width * mpp)),
              static_cast<float>(2.0 / (camera.height * mpp)));
  glUniform2f(program.uniform("u_viewport"), static_cast<float>(camera.width),
              static_cast<float>(camera.height));
}

void MapRenderer::draw(const Camera& camera, const GpuFilter& filter, LabelScript script,
                       const Targets& targets) {
  glBindFramebuffer(GL_FRAMEBUFFER, targets.multisampled);
  glViewport(0, 0, camera.width, camera.height);
  const Rgba& bg = m_style.background;
  glClearColor(bg.r, bg.g, bg.b, bg.a);
  glClear(GL_COLOR_BUFFER_BIT);
  glEnable(GL_BLEND);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glEnable(GL_MULTISAMPLE);
  drawBase(camera);
  if (m_links) drawLines(*m_links, camera, m_style.linkLine, 2.0f, 1.0f);
  if (targets.resolved) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, targets.multisampled);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, *targets.resolved);
    glBlitFramebuffer(0, 0, camera.width, camera.height, 0, 0, camera.width, camera.height,
                      GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, *targets.resolved);
  }
  // Symbols and glyphs smooth their own edges (distance fields): multisampling them would only
  // run their shaders per sample, by far the dearest part of a frame on a software rasteriser.
  glDisable(GL_MULTISAMPLE);
  drawPoints(camera, filter);
  drawLabels(camera, filter, script);
  glEnable(GL_MULTISAMPLE);
  glBindVertexArray(0);
}

void MapRenderer::drawBase(const Camera& camera) {
  const std::string& lod = m_style.lodFor(camera.zoom);
  for (const auto& mesh : m_meshes) {
    const BaseLayerMesh& base = *mesh->source;
    const BaseLayerStyle& style = m_style.base[base.styleIndex];
    const float opacity = layerOpacity(base.layer);
    if (opacity <= 0 || camera.zoom < style.minZoom) continue;
    if (!base.lod.empty() && base.lod != lod) continue;
    if (mesh->fillVertices > 0) {
      m_fill->use();
      setView(*m_fill, camera);
      setColor(*m_fill, "u_color", style.color, opacity);
      glBindVertexArray(mesh->fillVao);
      drawVisible(base.triangleRanges, viewBox(camera, m_scene, 2), [](std::uint32_t first, std::uint32_t count) {
        glDrawArrays(GL_TRIANGLES, static_cast<GLint>(first), static_cast<GLsizei>(count));
      });
    }
    if (mesh->lineIndices > 0) drawLines(*mesh, camera, style.color, style.width, opacity);
  }
}

void MapRenderer::drawPoints(const Camera& camera, const GpuFilter& filter) {
  Program& p = *m_point;
  p.use();
  setView(p, camera);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glUniform1i(p.uniform("u_filter_enabled"), 0);
  glUniform1ui(p.uniform("u_highlight_id"), 0xffffffffu);  // places are never highlighted
  glUniform1f(p.uniform("u_symbol_scale"), 1.0f);
  if (m_placeCount > 0 && layerOpacity("places") > 0) {
    glBindVertexArray(m_placeVao);
    glDrawArrays(GL_POINTS, 0, m_placeCount);
  }
  if (m_instanceCount == 0) return;
  glUniform1i(p.uniform("u_filter_enabled"), 1);
  glUniform1f(p.uniform("u_symbol_scale"), symbolScale(camera.zoom));
  glUniform1i(p.uniform("u_window_active"), filter.windowActive ? 1 : 0);
  glUniform2f(p.uniform("u_window"), filter.from, filter.to);
  glUniform1i(p.uniform("u_rounds_active"), filter.roundsActive ? 1 : 0);
  glUniform4ui(p.uniform("u_round_mask"), filter.roundMask[0], filter.roundMask[1],
               filter.roundMask[2], filter.roundMask[3]);
  glUniform1i(p.uniform("u_programs_active"), filter.programsActive ? 1 : 0);
  glUniform1ui(p.uniform("u_program_mask"), filter.programMask);
  glUniform1ui(p.uniform("u_kind_mask"), filter.kindMask);
  glUniform1ui(p.uniform("u_authority_mask"), filter.authorityMask);
  glUniform1f(p.uniform("u_min_confidence"), filter.minConfidence);
  glUniform1f(p.uniform("u_max_border_km"), filter.maxBorderKm);
  glUniform1ui(p.uniform("u_highlight_id"), filter.highlightId);
  glBindVertexArray(m_pointVao);
  // Symbols reach past their point by their size and their stack offset.
  const ViewBox box = viewBox(camera, m_scene, 160);
  const auto draw = [](std::uint32_t first, std::uint32_t count) {
    glDrawArrays(GL_POINTS, static_cast<GLint>(first), static_cast<GLsizei>(count));
  };
  if (m_showIncidents) drawVisible(m_scene.incidentRanges, box, draw);
  if (m_showEntities) drawVisible(m_scene.entityRanges, box, draw);
}

void MapRenderer::drawLabels(const Camera& camera, const GpuFilter& filter, LabelScript script) {
  GpuFilter visible = filter;
  if (!m_showEntities) visible.kindMask &= ~0xfu;
  m_candidates = render::labelCandidates(m_scene, m_style, script, camera.zoom, visible);
  bool grew = false;
  for (const auto& c : m_candidates) grew = m_atlas.require(c.text) || grew;
  if (grew) m_atlas.build();
  m_placed = placeLabels(m_candidates, camera, m_atlas);
  if (m_placed.empty()) return;

  std::vector<TextVertex> vertices;
  for (const auto& placed : m_placed) {
    const LabelCandidate& c = m_candidates[placed.candidate];
    const float scale = c.sizePx / GlyphAtlas::kBaseSize;
    const float baseline = placed.top + (placed.height + m_atlas.ascent() * scale * 0.8f) / 2;
    appendText(vertices, m_atlas, c.text, placed.left, baseline, c.sizePx, c.color.packed(), c.halo.packed());
  }
  drawText(vertices, camera);
}

void MapRenderer::uploadAtlas() {
  if (m_atlasVersion == m_atlas.version()) return;
  glBindTexture(GL_TEXTURE_2D, m_atlasTexture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, m_atlas.width(), m_atlas.height(), 0, GL_RED, GL_UNSIGNED_BYTE,
               m_atlas.bitmap().data());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  m_atlasVersion = m_atlas.version();
}

void MapRenderer::drawText(const std::vector<TextVertex>& vertices, const Camera& camera) {
  if (vertices.empty()) return;
  uploadAtlas();
  m_text->use();
  glUniform2f(m_text->uniform("u_viewport"), static_cast<float>(camera.width), static_cast<float>(camera.height));
  glUniform1i(m_text->uniform("u_atlas"), 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, m_atlasTexture);
  glBindVertexArray(m_textVao);
  glBindBuffer(GL_ARRAY_BUFFER, m_textVbo);
  glBufferData(GL_ARRAY_BUFFER, bytes(vertices), vertices.data(), GL_STREAM_DRAW);
  for (int pass = 0; pass < 2; ++pass) {
    glUniform1i(m_text->uniform("u_pass"), pass);
    glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertices.size()));
  }
}

void MapRenderer::drawOverlay(const Overlay& overlay, const Camera& camera) {
  glViewport(0, 0, camera.width, camera.height);
  glEnable(GL_BLEND);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  std::vector<ScreenVertex> solid;
  for (const auto& t : overlay.triangles) {
    const std::uint32_t c = t.color.packed();
    solid.insert(solid.end(), {{t.x0, t.y0, c}, {t.x1, t.y1, c}, {t.x2, t.y2, c}});
  }
  if (!solid.empty()) {
    m_screen->use();
    glUniform2f(m_screen->uniform("u_viewport"), static_cast<float>(camera.width), static_cast<float>(camera.height));
    glBindVertexArray(m_screenVao);
    glBindBuffer(GL_ARRAY_BUFFER, m_screenVbo);
    glBufferData(GL_ARRAY_BUFFER, bytes(solid), solid.data(), GL_STREAM_DRAW);
    glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(solid.size()));
  }
  if (!overlay.symbols.empty()) {
    // Legend symbols go through the map's own symbol shader, placed where the screen point lies
    // in the world, so they look exactly like the map's.
    std::vector<PointInstance> instances;
    for (const auto& symbol : overlay.symbols) {
      const geo::Vec2 world = camera.screenToWorld({symbol.x, symbol.y});
      PointInstance p;
      p.x = static_cast<float>(world.x - m_scene.originX);
      p.y = static_cast<float>(world.y - m_scene.originY);
      p.color = symbol.color.packed();
      p.size = symbol.sizePx;
      p.shape = static_cast<std::uint32_t>(symbol.shape) | (symbol.ring ? shape_flag::kRing : 0u);
      instances.push_back(p);
    }
    m_point->use();
    setView(*m_point, camera);
    glUniform1i(m_point->uniform("u_filter_enabled"), 0);
    glUniform1ui(m_point->uniform("u_highlight_id"), 0xffffffffu);
    glUniform1f(m_point->uniform("u_symbol_scale"), 1.0f);
    glEnable(GL_PROGRAM_POINT_SIZE);
    glBindVertexArray(m_placeVao);
    glBindBuffer(GL_ARRAY_BUFFER, m_overlayVbo);
    glBufferData(GL_ARRAY_BUFFER, bytes(instances), instances.data(), GL_STREAM_DRAW);
    bindPointAttributes(0);
    glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(instances.size()));
    glBindBuffer(GL_ARRAY_BUFFER, m_placeVbo);
    bindPointAttributes(0);
  }
  std::vector<TextVertex> text;
  for (const auto& t : overlay.texts) {
    appendText(text, m_atlas, t.text, t.x, t.baseline, t.sizePx, t.color.packed(), t.halo.packed());
  }
  drawText(text, camera);
  glBindVertexArray(0);
}

} // namespace borderlens::render::gl
