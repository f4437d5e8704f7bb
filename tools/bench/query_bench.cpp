// In-process viewport query benchmark (issue 9 B2, DESIGN.md "viewport query under 1 ms at
// 1M"): loads a database the way the map does, builds the scene and its point index, then
// times random viewport queries of 0.2° and 1° boxes centred near the border towns, without a
// filter, with a time window and with a round filter applied as the map applies them
// (GpuFilter::passes on each candidate). Every query is checked against a linear scan of all
// symbols (the same hits), which is timed too as the baseline an index has to beat.
//
// Usage: bl_bench_query DB [--queries N] [--seed S]
#include "core/date.h"
#include "geo/mercator.h"
#include "ops/geodata_path.h"
#include "ops/map_loader.h"
#include "render/scene/map_scene.h"
#include "render/scene/point_index.h"
#include "render/scene/style.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <ctime>
#include <random>
#include <string>
#include <vector>

using namespace borderlens;
using Clock = std::chrono::steady_clock;

namespace {

double us(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

// CPU time of this thread: on a shared machine a query that loses its core for a scheduler tick
// would otherwise report the tick.
double threadCpuUs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_nsec) / 1e3;
}

double percentile(std::vector<double> values, std::size_t pct) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, values.size() * pct / 100)];
}

struct Viewport {
  double minX, minY, maxX, maxY;
};

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bl_bench_query DB [--queries N] [--seed S]\n");
    return 2;
  }
  const std::string database = argv[1];
  int queries = 1000;
  unsigned seed = 7;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--queries") queries = std::max(20, std::atoi(argv[i + 1]));
    else if (flag == "--seed") seed = static_cast<unsigned>(std::atoi(argv[i + 1]));
  }
  try {
    const auto assets = ops::findAssetsDir();
    if (!assets) throw std::runtime_error("no assets/style.json found (set BORDERLENS_ASSETS)");
    const render::Style style = render::Style::load((std::filesystem::path(*assets) / "style.json").string());

    // The base layers play no part in a point query: only the records and places are loaded.
    const auto t0 = Clock::now();
    ops::MapLoadOptions load;
    load.database = database;
    render::MapData data = ops::loadMapData(load);
    const auto t1 = Clock::now();
    const render::SceneGeometry scene = render::buildScene(std::move(data), style);
    const auto t2 = Clock::now();
    const render::PointIndex index(scene.points);
    const auto t3 = Clock::now();

    std::vector<const render::PlaceData*> towns;
    for (const auto& place : scene.places) {
      if (place.category == "town") towns.push_back(&place);
    }
    if (towns.empty()) throw std::runtime_error("no towns in geodata/base.gpkg to centre the viewports on");

    render::GpuFilter window;  // 2017-2018, as tools/bench/run's B2 rows
    window.windowActive = true;
    window.from = static_cast<float>(core::Date::ymd(2017, 1, 1).firstDay() - scene.originDay);
    window.to = static_cast<float>(core::Date::ymd(2018, 12, 31).lastDay() - scene.originDay);
    // The map's round panel with every round off and "in no round" on.
    render::GpuFilter noRound;
    noRound.roundsActive = true;
    noRound.roundMask[render::kNoRoundBit / 32] |= 1u << (render::kNoRoundBit % 32);
    const struct {
      const char* name;
      render::GpuFilter filter;
    } filters[] = {{"", render::GpuFilter{}}, {" + time window", window}, {" + round filter", noRound}};

    std::printf("symbols             %zu (%zu records), %zu towns as centres\n", scene.points.size(),
                scene.features.size(), towns.size());
    std::printf("load records        %.0f ms\n", us(t0, t1) / 1000);
    std::printf("build scene         %.0f ms\n", us(t1, t2) / 1000);
    std::printf("build index         %.1f ms\n", us(t2, t3) / 1000);

    std::vector<std::size_t> hits, scanned;
    hits.reserve(scene.points.size());
    scanned.reserve(scene.points.size());
    for (const double degrees : {0.2, 1.0}) {
      for (const auto& [name, filter] : filters) {
        std::mt19937 rng(seed);
        std::uniform_int_distribution<std::size_t> pick(0, towns.size() - 1);
        std::uniform_real_distribution<double> jitter(-0.05, 0.05);
        std::vector<double> indexUs, cpuUs, scanUs, counts;
        for (int q = 0; q < queries; ++q) {
          const render::PlaceData& town = *towns[pick(rng)];
          const double lon = town.lon + jitter(rng), lat = town.lat + jitter(rng);
          const auto sw = geo::lonLatToMercator(lon - degrees / 2, lat - degrees / 2);
          const auto ne = geo::lonLatToMercator(lon + degrees / 2, lat + degrees / 2);
          const Viewport v{sw.x - scene.originX, sw.y - scene.originY, ne.x - scene.originX, ne.y - scene.originY};

          hits.clear();
          const double cpu = threadCpuUs();
          const auto a = Clock::now();
          index.within(v.minX, v.minY, v.maxX, v.maxY, filter, hits);
          const auto b = Clock::now();
          cpuUs.push_back(threadCpuUs() - cpu);
          indexUs.push_back(us(a, b));
          counts.push_back(static_cast<double>(hits.size()));

          // The scan is the reference answer; it runs on every tenth query to keep the run short.
          if (q % 10 != 0) continue;
          scanned.clear();
          const auto c = Clock::now();
          for (std::size_t i = 0; i < scene.points.size(); ++i) {
            const render::PointInstance& p = scene.points[i];
            if (p.x >= v.minX && p.x <= v.maxX && p.y >= v.minY && p.y <= v.maxY && filter.passes(p)) {
              scanned.push_back(i);
            }
          }
          scanUs.push_back(us(c, Clock::now()));
          std::sort(hits.begin(), hits.end());
          if (hits != scanned) {
            std::fprintf(stderr, "bl_bench_query: index and scan disagree (%zu / %zu hits) at %.3f,%.3f\n",
                         hits.size(), scanned.size(), lon, lat);
            return 1;
          }
        }
        std::printf("query %.1f deg box%-16s median %.1f us, p95 %.1f us (thread CPU median %.1f us, p95 %.1f us), "
                    "hits median %.0f, p95 %.0f; linear scan median %.1f us\n",
                    degrees, name, percentile(indexUs, 50), percentile(indexUs, 95), percentile(cpuUs, 50),
                    percentile(cpuUs, 95), percentile(counts, 50), percentile(counts, 95), percentile(scanUs, 50));
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bl_bench_query: %s\n", e.what());
    return 1;
  }
}
