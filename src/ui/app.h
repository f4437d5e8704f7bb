#pragma once

#include "render/image.h"
#include "render/offscreen.h"
#include "ui/view.h"
#include "ui/view_model.h"

#include <memory>

struct GLFWwindow;

namespace borderlens::ui {

// The map window: a GLFW window with an OpenGL 3.3 core context, Dear ImGui panels over the
// map drawn by render::gl::MapRenderer. Tests construct one under Xvfb and drive it through
// the same ViewModel actions the panels call.
class App {
 public:
  explicit App(const ViewOptions& options);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // One frame: input, panels, map; into the window, or with `offscreen` into the map buffer's
  // resolved target, for capture() to read.
  void frame(float deltaSeconds, bool offscreen = false);
  // Runs frames until the window closes, then remembers the view.
  void run();
  // Draws the current state offscreen at the window's size, after `settleFrames` frames so
  // that auto-sized panels have laid out, and returns the picture.
  render::Image capture(int settleFrames = 3);

  ViewModel& model() { return m_model; }

 private:
  void loadFonts();
  // Reads the database and base map again (after an import), keeping the view.
  void loadData();
  void saveSettings();

  ViewOptions m_options;
  GLFWwindow* m_window = nullptr;
  ViewModel m_model;
  // The map's multisampled base, at the window's size (the window itself has one sample a pixel;
  // see MapRenderer::Targets); its resolved target takes a capture's whole frame.
  std::unique_ptr<render::Framebuffer> m_mapBuffer;
  std::string m_settingsPath;
};

} // namespace borderlens::ui
