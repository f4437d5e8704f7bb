#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace borderlens::render {

// Signed-distance-field glyphs for map labels, rasterised with stb_truetype from a packaged font
// (WenQuanYi Micro Hei covers Latin, Han and Hangul). Only the code points the labels use are
// rasterised: a full CJK atlas costs hundreds of milliseconds and tens of megabytes. One SDF
// atlas serves every label size, and its distance field gives halos for free.
class GlyphAtlas {
 public:
  struct Glyph {
    float u0 = 0, v0 = 0, u1 = 0, v1 = 0;  // texture coordinates
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // quad relative to the pen, at kBaseSize pixels
    float advance = 0;                      // at kBaseSize pixels
  };

  static constexpr float kBaseSize = 32.0f;   // rasterisation size in pixels
  static constexpr int kPadding = 6;          // SDF spread in pixels at kBaseSize

  // Throws std::runtime_error when the font cannot be read.
  explicit GlyphAtlas(const std::string& fontPath, int fontIndex = 0);
  ~GlyphAtlas();
  GlyphAtlas(const GlyphAtlas&) = delete;
  GlyphAtlas& operator=(const GlyphAtlas&) = delete;

  // Adds the code points of `text`; returns true when the atlas needs rebuilding.
  bool require(std::string_view utf8);
  // Rasterises and packs every required glyph into the single-channel bitmap.
  void build();

  const Glyph* glyph(char32_t codePoint) const;
  // Width in pixels of `utf8` at `sizePx`, with kerning.
  float measure(std::string_view utf8, float sizePx) const;
  float kerning(char32_t left, char32_t right) const;
  // Distance from the baseline to the top of capitals/CJK, at kBaseSize pixels.
  float ascent() const { return m_ascent; }
  bool hasGlyph(char32_t codePoint) const;

  int width() const { return m_width; }
  int height() const { return m_height; }
  const std::vector<std::uint8_t>& bitmap() const { return m_bitmap; }
  // Increases with every build, so the GPU copy knows when to re-upload.
  int version() const { return m_version; }

 private:
  struct Font;
  std::unique_ptr<Font> m_font;
  std::vector<char32_t> m_pending;
  std::unordered_map<char32_t, Glyph> m_glyphs;
  std::vector<std::uint8_t> m_bitmap;
  int m_width = 0;
  int m_height = 0;
  int m_version = 0;
  float m_ascent = 0;
};

// The font every map label uses, from Debian's fonts-wqy-microhei.
inline constexpr const char* kDefaultFont = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

} // namespace borderlens::render
