#include "render/offscreen.h"

#include "render/gl/gl.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>

#include <algorithm>
#include <stdexcept>

namespace borderlens::render {

struct OffscreenContext::Impl {
  EGLDisplay display = EGL_NO_DISPLAY;
  EGLContext context = EGL_NO_CONTEXT;
};

OffscreenContext::OffscreenContext() : m_impl(std::make_unique<Impl>()) {
  const auto fail = [](const std::string& step) {
    throw std::runtime_error("offscreen OpenGL: " + step + " failed (EGL error 0x" +
                             [] {
                               char buf[16];
                               std::snprintf(buf, sizeof buf, "%x", eglGetError());
                               return std::string(buf);
                             }() +
                             ")");
  };
  auto getPlatformDisplay = reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(
      eglGetProcAddress("eglGetPlatformDisplayEXT"));
  if (!getPlatformDisplay) fail("eglGetPlatformDisplayEXT lookup");
  m_impl->display = getPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (m_impl->display == EGL_NO_DISPLAY) fail("surfaceless display");
  if (!eglInitialize(m_impl->display, nullptr, nullptr)) fail("eglInitialize");
  if (!eglBindAPI(EGL_OPENGL_API)) fail("eglBindAPI(OpenGL)");
  const EGLint attributes[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                               EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                               EGL_NONE};
  m_impl->context = eglCreateContext(m_impl->display, EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, attributes);
  if (m_impl->context == EGL_NO_CONTEXT) fail("eglCreateContext (3.3 core)");
  makeCurrent();
}

OffscreenContext::~OffscreenContext() {
  if (m_impl->display != EGL_NO_DISPLAY) {
    eglMakeCurrent(m_impl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (m_impl->context != EGL_NO_CONTEXT) eglDestroyContext(m_impl->display, m_impl->context);
    eglTerminate(m_impl->display);
  }
}

void OffscreenContext::makeCurrent() {
  if (!eglMakeCurrent(m_impl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, m_impl->context)) {
    throw std::runtime_error("offscreen OpenGL: eglMakeCurrent failed");
  }
}

std::string OffscreenContext::rendererName() const {
  const auto* name = glGetString(GL_RENDERER);
  return name ? reinterpret_cast<const char*>(name) : "unknown";
}

int Framebuffer::maxSize() {
  GLint renderbuffer = 0, viewport[2] = {0, 0};
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &renderbuffer);
  glGetIntegerv(GL_MAX_VIEWPORT_DIMS, viewport);
  return std::min({renderbuffer, viewport[0], viewport[1]});
}

Framebuffer::Framebuffer(int width, int height, int samples) : m_width(width), m_height(height) {
  const int limit = maxSize();
  if (width < 1 || height < 1 || width > limit || height > limit) {
    throw std::invalid_argument("image size " + std::to_string(width) + "x" + std::to_string(height) +
                                " is outside what this OpenGL supports (1 to " + std::to_string(limit) +
                                " pixels a side)");
  }
  GLint maxSamples = 0;
  glGetIntegerv(GL_MAX_SAMPLES, &maxSamples);
  samples = std::min(samples, maxSamples);
  glGenRenderbuffers(1, &m_msColor);
  glBindRenderbuffer(GL_RENDERBUFFER, m_msColor);
  glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, width, height);
  glGenFramebuffers(1, &m_msFbo);
  glBindFramebuffer(GL_FRAMEBUFFER, m_msFbo);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, m_msColor);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    throw std::runtime_error("offscreen OpenGL: multisampled framebuffer incomplete");
  }
  glGenRenderbuffers(1, &m_color);
  glBindRenderbuffer(GL_RENDERBUFFER, m_color);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
  glGenFramebuffers(1, &m_fbo);
  glBindFramebuffer(GL_FRAMEBUFFER, m_fbo);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, m_color);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    throw std::runtime_error("offscreen OpenGL: resolve framebuffer incomplete");
  }
}

Framebuffer::~Framebuffer() {
  glDeleteFramebuffers(1, &m_msFbo);
  glDeleteRenderbuffers(1, &m_msColor);
  glDeleteFramebuffers(1, &m_fbo);
  glDeleteRenderbuffers(1, &m_color);
}

void Framebuffer::resolve() {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, m_msFbo);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, m_fbo);
  glBlitFramebuffer(0, 0, m_width, m_height, 0, 0, m_width, m_height, GL_COLOR_BUFFER_BIT, GL_NEAREST);
}

std::vector<std::uint8_t> Framebuffer::readRgba() {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, m_fbo);
  const auto w = static_cast<std::size_t>(m_width);
  const auto h = static_cast<std::size_t>(m_height);
  std::vector<std::uint8_t> pixels(w * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, m_width, m_height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  // GL rows run bottom-up; images run top-down.
  std::vector<std::uint8_t> flipped(pixels.size());
  for (std::size_t y = 0; y < h; ++y) {
    std::copy_n(pixels.begin() + static_cast<std::ptrdiff_t>((h - 1 - y) * w * 4), w * 4,
                flipped.begin() + static_cast<std::ptrdiff_t>(y * w * 4));
  }
  glBindFramebuffer(GL_FRAMEBUFFER, m_msFbo);
  return flipped;
}

} // namespace borderlens::render
