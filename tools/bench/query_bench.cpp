// In-process viewport query benchmark (issue 9 B2, DESIGN.md "viewport query under 1 ms at
// 1M"), run by bl_bench_frames over the scene it has loaded the way the map does: builds the
// map's point index, then times random viewport queries of 0.2° and 1° boxes centred near the
// border towns, without a filter, with a time window and with a round filter applied as the map
// applies them (GpuFilter::passes on each candidate). Every 25th query is checked against a
// linear scan of all symbols (the same hits), which is timed too as the baseline an index has
// to beat.
#include "query_bench.h"

#include "core/date.h"
#include "geo/mercator.h"
#include "render/scene/map_scene.h"
#include "render/scene/point_index.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
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

bool benchViewportQueries(const render::SceneGeometry& scene, int queries, unsigned seed) {
  const auto start = Clock::now();
  const render::PointIndex index(scene.points);
  const auto built = Clock::now();

  std::vector<const render::PlaceData*> towns;
  for (const auto& place : scene.places) {
    if (place.category == "town") towns.push_back(&place);
  }
  if (towns.empty()) {
    std::fprintf(stderr, "bl_bench_frames: no towns in geodata/base.gpkg to centre the viewports on\n");
    return false;
  }

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
  std::printf("build index         %.1f ms\n", us(start, built) / 1000);

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

        // The scan is the reference answer; it runs on every 25th query (4 ms each at 1M, 2.4 s a
        // run on every tenth) to keep the run short.
        if (q % 25 != 0) continue;
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
          std::fprintf(stderr, "bl_bench_frames: index and scan disagree (%zu / %zu hits) at %.3f,%.3f\n",
                       hits.size(), scanned.size(), lon, lat);
          return false;
        }
      }
      std::printf("query %.1f deg box%-16s median %.1f us, p95 %.1f us (thread CPU median %.1f us, p95 %.1f us), "
                  "hits median %.0f, p95 %.0f; linear scan median %.1f us\n",
                  degrees, name, percentile(indexUs, 50), percentile(indexUs, 95), percentile(cpuUs, 50),
                  percentile(cpuUs, 95), percentile(counts, 50), percentile(counts, 95), percentile(scanUs, 50));
    }
  }
  return true;
}
