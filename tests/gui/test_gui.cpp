// GUI smoke test, run under Xvfb: opens the map window on the test fixture, applies a round
// filter through the same actions the Rounds panel's checkboxes call, and checks that the
// picture changed as the filter says.
#include "geo/mercator.h"
#include "store/store.h"
#include "support/fixture.h"
#include "ui/app.h"
#include "ui/panels.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <cstdlib>

using namespace borderlens;

namespace {

struct Colour {
  int r, g, b;
};

// Pixels within `radius` of the symbol of feature `row` whose colour is close to `colour`.
int pixelsNear(const render::Image& image, const ui::ViewModel& model, const store::FeatureRow& row,
               Colour colour, int radius = 9) {
  const auto m = geo::lonLatToMercator(*row.lon, *row.lat);
  const geo::Vec2 s = model.camera.worldToScreen({m.x, m.y});
  int count = 0;
  for (int y = static_cast<int>(s.y) - radius; y <= static_cast<int>(s.y) + radius; ++y) {
    for (int x = static_cast<int>(s.x) - radius; x <= static_cast<int>(s.x) + radius; ++x) {
      if (x < 0 || y < 0 || x >= image.width || y >= image.height) continue;
      const auto* p = &image.rgba[(static_cast<std::size_t>(y) * static_cast<std::size_t>(image.width) + static_cast<std::size_t>(x)) * 4];
      if (std::abs(p[0] - colour.r) < 40 && std::abs(p[1] - colour.g) < 40 && std::abs(p[2] - colour.b) < 40) ++count;
    }
  }
  return count;
}

const store::FeatureRow& featureNamed(const ui::ViewModel& model, const std::string& name) {
  const auto it = std::find_if(model.scene.features.begin(), model.scene.features.end(),
                               [&](const store::FeatureRow& row) { return row.name == name; });
  REQUIRE(it != model.scene.features.end());
  return *it;
}

std::string fixtureDatabase(const test::TempDir& dir) {
  const std::string db = dir.file("fixture.db");
  auto store = store::openStore(db, store::OpenMode::Create);
  test::fillFixture(*store);
  return db;
}

// A hidden window, as for --screenshot, that keeps its settings in the test's directory.
void hideWindow(ui::ViewOptions& options, const test::TempDir& dir) {
  options.screenshot = dir.file("unused.png");
  options.settingsPath = dir.file("view.json");
}

} // namespace

TEST_CASE("a round filter set through the panels hides what it should") {
  test::TempDir dir;
  const std::string db = fixtureDatabase(dir);
  ui::ViewOptions options;
  options.database = db;
  hideWindow(options, dir);
  options.width = 1200;
  options.height = 800;
  options.bbox = geo::BBox{123.8, 39.75, 124.9, 40.3};
  ui::App app(options);
  ui::ViewModel& model = app.model();

  const render::Image before = app.capture();
  model.recount();
  CHECK(model.shown == 7);
  const Colour ofacRed{0xc0, 0x39, 0x2b};
  const Colour unBlue{0x1f, 0x6f, 0xb4};
  const auto& trading = featureNamed(model, "Dandong Fixture Trading Co");
  const auto& pak = featureNamed(model, "PAK Fixture");
  CHECK(pixelsNear(before, model, trading, ofacRed) > 10);
  // Pak is listed by OFAC and the UN; the map colours an entity by its first authority in
  // UN, OFAC, EU, UK order.
  CHECK(pixelsNear(before, model, pak, unBlue) > 10);

  const auto& rounds = model.scene.roundIds;
  const auto un = std::find(rounds.begin(), rounds.end(), "UN-2017-12-22");
  REQUIRE(un != rounds.end());
  ui::setAllRounds(model, false);
  ui::setRoundEnabled(model, static_cast<std::size_t>(un - rounds.begin()), true);

  const render::Image after = app.capture();
  model.recount();
  CHECK(model.shown == 2);  // Pak, and the office closure he is linked to
  CHECK(pixelsNear(after, model, trading, ofacRed) == 0);
  CHECK(pixelsNear(after, model, pak, unBlue) > 10);
  CHECK(before.rgba != after.rgba);

  ui::setAllRounds(model, true);
  model.recount();
  CHECK(model.shown == 7);
}

TEST_CASE("a file dropped on the window is imported in the background and shown") {
  test::TempDir dir;
  const std::string db = fixtureDatabase(dir);
  const std::string csv = dir.file("dropped incidents.csv");
  {
    std::ofstream out(csv);
    out << "id,kind,title,start,lon,lat,geo_precision,confidence,source_publisher,source_title,source_url\n"
        << "drop-1,seizure,Fixture seizure dropped on the map,2019-05,124.39,40.11,city,0.5,"
        << "borderlens test fixture,hand-written test record,https://example.org/fixture\n";
  }
  ui::ViewOptions options;
  options.database = db;
  hideWindow(options, dir);
  ui::App app(options);
  ui::ViewModel& model = app.model();
  const auto before = model.scene.features.size();
  ui::startImport(model, {csv});
  // A deadline, not a count of frames: a loaded machine (the sanitizer build in CI) is slow.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while ((model.job.running() || model.reloadAfterJob) && std::chrono::steady_clock::now() < deadline) {
    app.frame(0.016f);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK_FALSE(model.job.running());
  CHECK(model.message.find("imported 1 new records") != std::string::npos);
  CHECK(model.scene.features.size() == before + 1);
}

TEST_CASE("the export dialog's actions write the view's layers and image without blocking") {
  test::TempDir dir;
  const std::string db = fixtureDatabase(dir);
  ui::ViewOptions options;
  options.database = db;
  hideWindow(options, dir);
  options.bbox = geo::BBox{123.0, 39.0, 125.0, 42.0};
  ui::App app(options);
  ui::ViewModel& model = app.model();
  const auto wait = [&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (model.job.running() && std::chrono::steady_clock::now() < deadline) {
      app.frame(0.016f);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    app.frame(0.016f);
  };
  ui::startLayersExport(model, dir.file("view.gpkg"));
  wait();
  CHECK(model.message.find("wrote") != std::string::npos);
  CHECK(std::filesystem::exists(dir.file("view.gpkg")));
  CHECK(std::filesystem::exists(dir.file("view.gpkg.manifest.json")));
  ui::startImageExport(model, dir.file("view.tif"), "Test view");
  wait();
  CHECK(std::filesystem::exists(dir.file("view.tif")));
}

TEST_CASE("the demo opens, and a round filter set through the panels changes the picture") {
  const char* demo = std::getenv("BORDERLENS_DEMO_DB");
  REQUIRE_MESSAGE(demo != nullptr, "BORDERLENS_DEMO_DB names the demo database (tools/build-demo)");
  test::TempDir dir;
  ui::ViewOptions options;
  options.database = demo;
  hideWindow(options, dir);
  options.bbox = geo::BBox{121.2, 38.4, 131.0, 43.2};
  ui::App app(options);
  ui::ViewModel& model = app.model();
  const render::Image all = app.capture();
  model.recount();
  const std::size_t shownAll = model.shown;
  CHECK(shownAll > 60);

  const auto& rounds = model.scene.roundIds;
  const auto round = std::find(rounds.begin(), rounds.end(), "UN-2017-12-22");
  REQUIRE(round != rounds.end());
  ui::setAllRounds(model, false);
  ui::setRoundEnabled(model, static_cast<std::size_t>(round - rounds.begin()), true);
  const render::Image one = app.capture();
  model.recount();
  // Only the records designated in that round, and the incidents linked to them.
  CHECK(model.shown > 0);
  CHECK(model.shown < shownAll / 4);
  std::size_t changed = 0;
  for (std::size_t i = 0; i < all.rgba.size(); i += 4) {
    if (all.rgba[i] != one.rgba[i] || all.rgba[i + 1] != one.rgba[i + 1] || all.rgba[i + 2] != one.rgba[i + 2]) ++changed;
  }
  CHECK(changed > 500);  // symbols disappeared from the map
}
