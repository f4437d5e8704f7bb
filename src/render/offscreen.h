#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace borderlens::render {

// An OpenGL 3.3 core context with no window and no display: EGL on Mesa's surfaceless platform
// (llvmpipe where there is no GPU). The same renderer that draws the window draws into it.
class OffscreenContext {
 public:
  // Throws std::runtime_error naming the EGL step that failed.
  OffscreenContext();
  ~OffscreenContext();
  OffscreenContext(const OffscreenContext&) = delete;
  OffscreenContext& operator=(const OffscreenContext&) = delete;

  void makeCurrent();
  std::string rendererName() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// A multisampled colour target and its resolve target, read back as top-down RGBA8.
class Framebuffer {
 public:
  // Throws std::invalid_argument when the size exceeds what the GL implementation supports.
  Framebuffer(int width, int height, int samples = 4);
  ~Framebuffer();
  Framebuffer(const Framebuffer&) = delete;
  Framebuffer& operator=(const Framebuffer&) = delete;

  unsigned multisampledFbo() const { return m_msFbo; }
  unsigned resolvedFbo() const { return m_fbo; }
  // Copies the multisampled target into the resolved one, averaging the samples.
  void resolve();
  // The resolved target's pixels: resolve() first, unless the frame was drawn into it.
  std::vector<std::uint8_t> readRgba();
  int width() const { return m_width; }
  int height() const { return m_height; }
  static int maxSize();

 private:
  int m_width;
  int m_height;
  unsigned m_msFbo = 0, m_msColor = 0, m_fbo = 0, m_color = 0;
};

} // namespace borderlens::render
