// Frame-time benchmark of the map renderer (issue 9 B3/B4/B5): loads a database, builds the
// scene and its GPU buffers, then draws frames offscreen (EGL surfaceless; the base map with MSAA
// 4x, symbols and labels single-sampled, as the map window draws them) while
// panning and zooming along the border, and while stepping the time window and toggling a
// round (uniform changes only). Prints medians and 95th percentiles in milliseconds. With
// --queries N it then times N viewport queries of each kind on the map's point index over the
// same scene (query_bench.cpp), so that the million records are loaded once for both.
//
// Usage: bl_bench_frames DB [--frames N] [--size WxH] [--queries N] [--seed S]
#include "query_bench.h"

#include "core/date.h"
#include "geo/mercator.h"
#include "ops/geodata_path.h"
#include "ops/map_loader.h"
#include "ops/render_op.h"
#include "render/gl/gl.h"
#include "render/gl/map_renderer.h"
#include "render/offscreen.h"
#include "render/scene/map_scene.h"
#include "render/scene/style.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace borderlens;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Summary {
  double median = 0, p95 = 0;
};

Summary summarise(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return {values[values.size() / 2], values[std::min(values.size() - 1, values.size() * 95 / 100)]};
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bl_bench_frames DB [--frames N] [--size WxH] [--queries N] [--seed S]\n");
    return 2;
  }
  std::string database = argv[1];
  int frames = 120, width = 1280, height = 720, queries = 0;
  unsigned seed = 7;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--frames") frames = std::max(10, std::atoi(argv[i + 1]));
    else if (flag == "--size") ops::parseSize(argv[i + 1], width, height);
    else if (flag == "--queries") queries = std::max(0, std::atoi(argv[i + 1]));
    else if (flag == "--seed") seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
  }
  try {
    const auto assets = ops::findAssetsDir();
    const render::Style style = render::Style::load((std::filesystem::path(*assets) / "style.json").string());
    render::OffscreenContext context;

    const auto t0 = Clock::now();
    ops::MapLoadOptions load;
    load.database = database;
    for (const auto& layer : style.base) load.baseLayers.push_back(layer.layer);
    render::MapData data = ops::loadMapData(load);
    const auto t1 = Clock::now();
    const render::SceneGeometry scene = render::buildScene(std::move(data), style);
    const auto t2 = Clock::now();
    render::Framebuffer framebuffer(width, height);
    render::gl::MapRenderer renderer(scene, style);
    const render::gl::MapRenderer::Targets targets{framebuffer.multisampledFbo(), framebuffer.resolvedFbo()};
    glFinish();
    const auto t3 = Clock::now();

    render::Camera camera = render::Camera::fit(ops::kBorderRegion, width, height);
    const render::GpuFilter all;
    std::vector<double> panZoom;
    for (int i = 0; i < frames; ++i) {
      // Along the Yalu from Dandong towards Hyesan and back, zooming between region and city.
      const double t = static_cast<double>(i) / frames;
      const auto m = geo::lonLatToMercator(124.4 + 3.8 * std::sin(t * M_PI), 40.1 + 1.3 * std::sin(t * M_PI));
      camera.centerX = m.x;
      camera.centerY = m.y;
      camera.zoom = 7.0 + 3.0 * (0.5 - 0.5 * std::cos(t * 4 * M_PI));
      const auto a = Clock::now();
      renderer.draw(camera, all, render::LabelScript::Latin, targets);
      glFinish();
      panZoom.push_back(ms(a, Clock::now()));
    }

    camera = render::Camera::fit(ops::kBorderRegion, width, height);
    std::vector<double> windowStep, roundToggle, filterCpu;
    const std::int32_t start = core::Date::ymd(2006, 1, 1).firstDay() - scene.originDay;
    for (int i = 0; i < frames; ++i) {
      const auto a = Clock::now();
      render::GpuFilter filter;
      filter.windowActive = true;
      filter.from = static_cast<float>(start + i * 30);
      filter.to = filter.from + 365;
      const auto b = Clock::now();
      renderer.draw(camera, filter, render::LabelScript::Latin, targets);
      glFinish();
      const auto c = Clock::now();
      filterCpu.push_back(ms(a, b));
      windowStep.push_back(ms(a, c));
    }
    for (int i = 0; i < frames; ++i) {
      render::GpuFilter filter;
      filter.roundsActive = i % 2 == 0;
      filter.roundMask[0] = 1;
      const auto a = Clock::now();
      renderer.draw(camera, filter, render::LabelScript::Latin, targets);
      glFinish();
      roundToggle.push_back(ms(a, Clock::now()));
    }
    const Summary pz = summarise(panZoom), ws = summarise(windowStep), rt = summarise(roundToggle),
                  fc = summarise(filterCpu);
    std::printf("renderer            %s\n", context.rendererName().c_str());
    std::printf("features            %zu symbols (%zu records)\n", scene.points.size(), scene.features.size());
    std::printf("viewport            %dx%d, base map MSAA 4x, %d frames each\n", width, height, frames);
    std::printf("load records+base   %.0f ms\n", ms(t0, t1));
    std::printf("build scene         %.0f ms\n", ms(t1, t2));
    std::printf("upload buffers      %.0f ms\n", ms(t2, t3));
    std::printf("pan/zoom frame      median %.1f ms, p95 %.1f ms\n", pz.median, pz.p95);
    std::printf("time-window step    median %.1f ms, p95 %.1f ms (CPU filter update %.4f ms)\n", ws.median, ws.p95, fc.median);
    std::printf("round toggle        median %.1f ms, p95 %.1f ms\n", rt.median, rt.p95);
    if (queries > 0 && !benchViewportQueries(scene, std::max(20, queries), seed)) return 1;
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bl_bench_frames: %s\n", e.what());
    return 1;
  }
}
