#include "render/scene/glyph_atlas.h"

#include "core/utf8.h"

#include <stb_rect_pack.h>
#include <stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

namespace borderlens::render {

struct GlyphAtlas::Font {
  std::vector<unsigned char> data;
  stbtt_fontinfo info{};
  float scale = 1;
};

namespace {

// How a glyph sits on the line, in font units: its advance, and how far left of the font's place
// it is drawn.
struct Metrics {
  int advance = 0;
  int shift = 0;
};

// WenQuanYi Micro Hei sets the dashes, quotation marks and the rest of General Punctuation
// (U+2010-U+205E) in a full em, as CJK text wants, with the ink of an opening quote at the em's
// right and of a closing one at its left: in a romanized Korean name such as Sunch’ŏn the
// apostrophe leaves a gap of a whole letter. Fonts made for both scripts narrow these glyphs
// through OpenType's proportional widths ('palt'), which stb_truetype does not apply; here each
// gets its ink's width with the narrower of its two side bearings on either side.
Metrics metricsOf(const stbtt_fontinfo& font, char32_t codePoint) {
  const int glyph = stbtt_FindGlyphIndex(&font, static_cast<int>(codePoint));
  int advance = 0, bearing = 0;
  stbtt_GetGlyphHMetrics(&font, glyph, &advance, &bearing);
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  if (codePoint < 0x2010 || codePoint > 0x205E || !stbtt_GetGlyphBox(&font, glyph, &x0, &y0, &x1, &y1)) {
    return {advance, 0};
  }
  const int side = std::max(0, std::min(x0, advance - x1));
  return {std::min(advance, x1 - x0 + 2 * side), std::max(0, x0 - side)};
}

} // namespace

GlyphAtlas::GlyphAtlas(const std::string& fontPath, int fontIndex) : m_font(std::make_unique<Font>()) {
  std::ifstream in(fontPath, std::ios::binary | std::ios::ate);
  if (!in) throw std::runtime_error(fontPath + ": cannot read the label font");
  m_font->data.resize(static_cast<std::size_t>(in.tellg()));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(m_font->data.data()), static_cast<std::streamsize>(m_font->data.size()));
  if (!in || m_font->data.empty()) throw std::runtime_error(fontPath + ": cannot read the label font");
  const int offset = stbtt_GetFontOffsetForIndex(m_font->data.data(), fontIndex);
  if (offset < 0 || !stbtt_InitFont(&m_font->info, m_font->data.data(), offset)) {
    throw std::runtime_error(fontPath + ": not a usable TrueType font");
  }
  m_font->scale = stbtt_ScaleForPixelHeight(&m_font->info, kBaseSize);
  int ascent = 0, descent = 0, lineGap = 0;
  stbtt_GetFontVMetrics(&m_font->info, &ascent, &descent, &lineGap);
  m_ascent = static_cast<float>(ascent) * m_font->scale;
  require("0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.,:;'-()/&");
  build();
}

GlyphAtlas::~GlyphAtlas() = default;

bool GlyphAtlas::require(std::string_view utf8) {
  std::size_t pos = 0;
  const std::size_t before = m_pending.size();
  while (pos < utf8.size()) {
    const char32_t c = core::decodeUtf8(utf8, pos);
    if (!m_glyphs.count(c) && std::find(m_pending.begin(), m_pending.end(), c) == m_pending.end()) {
      m_pending.push_back(c);
    }
  }
  return m_pending.size() > before;
}

void GlyphAtlas::build() {
  if (m_pending.empty() && m_version > 0) return;
  std::vector<char32_t> all;
  all.reserve(m_glyphs.size() + m_pending.size());
  for (const auto& entry : m_glyphs) all.push_back(entry.first);
  all.insert(all.end(), m_pending.begin(), m_pending.end());
  // A fixed order makes the atlas, and so every rendered label, the same from run to run.
  std::sort(all.begin(), all.end());
  m_pending.clear();

  struct Raster {
    char32_t codePoint;
    std::vector<std::uint8_t> pixels;
    int w = 0, h = 0, xoff = 0, yoff = 0;
  };
  std::vector<Raster> rasters;
  rasters.reserve(all.size());
  const float onEdge = 128;
  const float distanceScale = onEdge / static_cast<float>(kPadding);
  for (char32_t c : all) {
    Raster r{c, {}, 0, 0, 0, 0};
    unsigned char* sdf = stbtt_GetCodepointSDF(&m_font->info, m_font->scale, static_cast<int>(c),
                                               kPadding, static_cast<unsigned char>(onEdge),
                                               distanceScale, &r.w, &r.h, &r.xoff, &r.yoff);
    if (sdf) {
      r.pixels.assign(sdf, sdf + r.w * r.h);
      stbtt_FreeSDF(sdf, nullptr);
    }
    rasters.push_back(std::move(r));
  }

  std::vector<stbrp_rect> rects(rasters.size());
  for (std::size_t i = 0; i < rasters.size(); ++i) {
    rects[i].id = static_cast<int>(i);
    rects[i].w = rasters[i].w + 1;
    rects[i].h = rasters[i].h + 1;
  }
  int side = 256;
  for (;; side *= 2) {
    std::vector<stbrp_node> nodes(static_cast<std::size_t>(side));
    stbrp_context context;
    stbrp_init_target(&context, side, side, nodes.data(), side);
    for (auto& rect : rects) rect.was_packed = 0;
    if (stbrp_pack_rects(&context, rects.data(), static_cast<int>(rects.size()))) break;
    if (side > 8192) throw std::runtime_error("label glyphs do not fit an 8192-pixel atlas");
  }

  m_width = side;
  m_height = side;
  m_bitmap.assign(static_cast<std::size_t>(side) * static_cast<std::size_t>(side), 0);
  m_glyphs.clear();
  const float inv = 1.0f / static_cast<float>(side);
  for (const auto& rect : rects) {
    const Raster& r = rasters[static_cast<std::size_t>(rect.id)];
    for (int y = 0; y < r.h; ++y) {
      std::copy_n(r.pixels.begin() + y * r.w, r.w,
                  m_bitmap.begin() + (rect.y + y) * side + rect.x);
    }
    Glyph g;
    g.u0 = static_cast<float>(rect.x) * inv;
    g.v0 = static_cast<float>(rect.y) * inv;
    g.u1 = static_cast<float>(rect.x + r.w) * inv;
    g.v1 = static_cast<float>(rect.y + r.h) * inv;
    const Metrics metrics = metricsOf(m_font->info, r.codePoint);
    const float shift = static_cast<float>(metrics.shift) * m_font->scale;
    g.x0 = static_cast<float>(r.xoff) - shift;
    g.y0 = static_cast<float>(r.yoff);
    g.x1 = static_cast<float>(r.xoff + r.w) - shift;
    g.y1 = static_cast<float>(r.yoff + r.h);
    g.advance = static_cast<float>(metrics.advance) * m_font->scale;
    m_glyphs[r.codePoint] = g;
  }
  ++m_version;
}

const GlyphAtlas::Glyph* GlyphAtlas::glyph(char32_t codePoint) const {
  const auto it = m_glyphs.find(codePoint);
  return it == m_glyphs.end() ? nullptr : &it->second;
}

bool GlyphAtlas::hasGlyph(char32_t codePoint) const {
  return stbtt_FindGlyphIndex(&m_font->info, static_cast<int>(codePoint)) != 0;
}

float GlyphAtlas::kerning(char32_t left, char32_t right) const {
  return static_cast<float>(stbtt_GetCodepointKernAdvance(&m_font->info, static_cast<int>(left),
                                                          static_cast<int>(right))) *
         m_font->scale;
}

float GlyphAtlas::measure(std::string_view utf8, float sizePx) const {
  float width = 0;
  char32_t previous = 0;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const char32_t c = core::decodeUtf8(utf8, pos);
    if (previous) width += kerning(previous, c);
    if (const Glyph* g = glyph(c)) width += g->advance;
    previous = c;
  }
  return width * sizePx / kBaseSize;
}

} // namespace borderlens::render
