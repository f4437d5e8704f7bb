#include "ui/app.h"

#include "core/errors.h"
#include "core/redact.h"
#include "geo/mercator.h"
#include "ops/geodata_path.h"
#include "ops/map_loader.h"
#include "ops/render_op.h"
#include "render/offscreen.h"
#include "store/store.h"
#include "ui/panels.h"
#include "ui/settings.h"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "render/gl/gl.h"

#include <filesystem>
#include <string>

namespace borderlens::ui {

namespace {

// How the settings file names a database: a file by its absolute path (the view may be started
// from another directory next time), a server location as given.
std::string rememberedLocation(const std::string& database) {
  if (store::isServerLocation(database)) return database;
  return std::filesystem::absolute(database).string();
}

std::string g_glfwError;

void onGlfwError(int, const char* description) { g_glfwError = description ? description : "unknown"; }

render::LabelScript scriptFromInt(int value) {
  return value == 1 ? render::LabelScript::Chinese : value == 2 ? render::LabelScript::Korean : render::LabelScript::Latin;
}

} // namespace

App::App(const ViewOptions& options) : m_options(options) {
  m_settingsPath = options.settingsPath.empty() ? Settings::defaultPath() : options.settingsPath;
  glfwSetErrorCallback(&onGlfwError);
  if (!glfwInit()) {
    throw core::OutputFailed("cannot open the map window: " + g_glfwError +
                             " (without a display, `borderlens render --to map.png` draws the map)");
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  if (!options.screenshot.empty()) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  const std::string title =
      "borderlens - " + (options.database.empty() ? std::string("base map") : core::redactSecrets(options.database));
  m_window = glfwCreateWindow(options.width, options.height, title.c_str(), nullptr, nullptr);
  if (!m_window) {
    glfwTerminate();
    throw core::OutputFailed("cannot open the map window: " + g_glfwError);
  }
  glfwMakeContextCurrent(m_window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // panel layout is not worth a file in the working directory
  ImGui::StyleColorsLight();
  ImGui::GetStyle().WindowRounding = 4;
  ImGui_ImplGlfw_InitForOpenGL(m_window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  const auto assets = ops::findAssetsDir();
  if (!assets) throw core::InputRejected("no assets/style.json found (set BORDERLENS_ASSETS)");
  m_model.style = render::Style::load((std::filesystem::path(*assets) / "style.json").string());
  m_model.database = options.database;

  loadData();
  m_model.rendererName = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
  m_model.filter = FilterState::from(options.filter, m_model.scene);
  prepareTimeline(m_model);
  loadFonts();
  glfwSetWindowUserPointer(m_window, this);
  glfwSetDropCallback(m_window, [](GLFWwindow* window, int count, const char** paths) {
    auto* app = static_cast<App*>(glfwGetWindowUserPointer(window));
    startImport(app->m_model, std::vector<std::string>(paths, paths + count));
  });

  int width = 0, height = 0;
  glfwGetFramebufferSize(m_window, &width, &height);
  const Settings settings = Settings::load(m_settingsPath);
  if (options.bbox) {
    m_model.camera = render::Camera::fit(*options.bbox, width, height, 20);
  } else if (settings.hasView && !options.database.empty() &&
             settings.database == rememberedLocation(options.database) &&
             options.screenshot.empty()) {
    m_model.camera.centerX = settings.centerX;
    m_model.camera.centerY = settings.centerY;
    m_model.camera.zoom = settings.zoom;
  } else {
    m_model.camera = render::Camera::fit(m_model.scene.features.empty() ? ops::kBorderRegion : m_model.scene.extent,
                                         width, height, 60);
  }
  m_model.camera.width = width;
  m_model.camera.height = height;
  m_model.script = options.script.value_or(scriptFromInt(options.screenshot.empty() ? settings.script : 0));
  if (!options.filter.text.empty()) {
    m_model.searchText = options.filter.text;
    runSearch(m_model, !options.bbox.has_value());
  }
}

App::~App() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  m_model.renderer.reset();
  m_mapBuffer.reset();
  if (m_window) glfwDestroyWindow(m_window);
  glfwTerminate();
}

void App::loadData() {
  ops::MapLoadOptions load;
  load.database = m_model.database;
  for (const auto& layer : m_model.style.base) load.baseLayers.push_back(layer.layer);
  m_model.select(std::nullopt);
  m_model.index.reset();
  m_model.renderer.reset();
  m_model.scene = render::buildScene(ops::loadMapData(load), m_model.style);
  m_model.renderer = std::make_unique<render::gl::MapRenderer>(m_model.scene, m_model.style);
  m_model.renderer->setFeaturesVisible(m_model.showEntities, m_model.showIncidents);
  m_model.index = std::make_unique<render::PointIndex>(m_model.scene.points);
  m_model.db.reset();
  if (!m_model.database.empty()) m_model.db = store::openStore(m_model.database, store::OpenMode::ReadOnly);
  m_model.countsDirty = true;
}

void App::loadFonts() {
  ImGuiIO& io = ImGui::GetIO();
  ImFontGlyphRangesBuilder builder;
  builder.AddRanges(io.Fonts->GetGlyphRangesDefault());
  builder.AddRanges(io.Fonts->GetGlyphRangesKorean());
  // The full CJK range (about 0.3 s and 40 MB at start): analysts type names into the search
  // box that no common-character list foresees, and ImGui 1.86 cannot add glyphs later.
  builder.AddRanges(io.Fonts->GetGlyphRangesChineseFull());
  // Names in the data may use characters outside even that range.
  for (const auto& row : m_model.scene.features) builder.AddText(row.name.c_str());
  for (const auto& place : m_model.scene.places) {
    builder.AddText(place.nameZh.c_str());
    builder.AddText(place.nameKo.c_str());
  }
  builder.AddText("中文한글");
  static ImVector<ImWchar> ranges;
  ranges.clear();
  builder.BuildRanges(&ranges);
  ImFontConfig config;
  config.OversampleH = 1;
  config.OversampleV = 1;
  if (!io.Fonts->AddFontFromFileTTF(render::kDefaultFont, 16.0f, &config, ranges.Data)) {
    io.Fonts->AddFontDefault();
  }
}

void App::frame(float deltaSeconds, bool offscreen) {
  glfwPollEvents();
  int width = 0, height = 0;
  glfwGetFramebufferSize(m_window, &width, &height);
  m_model.camera.width = std::max(1, width);
  m_model.camera.height = std::max(1, height);

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  handleMapInput(m_model);
  drawSidebar(m_model);
  drawSearchPanel(m_model);
  drawInspectorPanel(m_model);
  drawTimelinePanel(m_model, deltaSeconds);
  drawStatusBar(m_model);
  drawMapOverlay(m_model);
  drawExportDialog(m_model);
  drawJobWindow(m_model);
  ImGui::Render();
  if (m_model.reloadAfterJob && !m_model.job.running()) {
    m_model.reloadAfterJob = false;
    const FilterState filter = m_model.filter;
    loadData();
    // Rounds and programs may have changed; the other filters carry over.
    m_model.filter = FilterState::from({}, m_model.scene);
    m_model.filter.windowActive = filter.windowActive;
    m_model.filter.fromDay = filter.fromDay;
    m_model.filter.toDay = filter.toDay;
    prepareTimeline(m_model);
  }

  render::GpuFilter gpu = m_model.filter.toGpu(m_model.scene);
  gpu.highlightId = m_model.selection ? m_model.selection->pickId : 0;
  const render::Camera& camera = m_model.camera;
  if (!m_mapBuffer || m_mapBuffer->width() != camera.width || m_mapBuffer->height() != camera.height) {
    m_mapBuffer.reset();
    m_mapBuffer = std::make_unique<render::Framebuffer>(camera.width, camera.height);
  }
  const GLuint target = offscreen ? m_mapBuffer->resolvedFbo() : 0;
  m_model.renderer->draw(camera, gpu, m_model.script, {m_mapBuffer->multisampledFbo(), target});
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void App::run() {
  double last = glfwGetTime();
  while (!glfwWindowShouldClose(m_window)) {
    const double now = glfwGetTime();
    frame(static_cast<float>(now - last));
    last = now;
    glfwSwapBuffers(m_window);
  }
  saveSettings();
}

render::Image App::capture(int settleFrames) {
  for (int i = 0; i < settleFrames; ++i) {
    frame(0.0f);
    glfwSwapBuffers(m_window);
  }
  frame(0.0f, true);
  return {m_mapBuffer->width(), m_mapBuffer->height(), m_mapBuffer->readRgba()};
}

void App::saveSettings() {
  Settings settings;
  // A location with a password is not remembered: the settings file never holds a secret.
  const bool secret = core::redactSecrets(m_model.database) != m_model.database;
  settings.database = m_model.database.empty() || secret ? "" : rememberedLocation(m_model.database);
  settings.centerX = m_model.camera.centerX;
  settings.centerY = m_model.camera.centerY;
  settings.zoom = m_model.camera.zoom;
  settings.script = static_cast<int>(m_model.script);
  settings.save(m_settingsPath);
}

} // namespace borderlens::ui
