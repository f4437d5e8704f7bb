// A large import fills the spatial index and the search index at its commit rather than row by
// row (SqliteStore defers them inside a transaction). Whatever the path, a query must see every
// incident, and after a rollback the store must index new rows again as before.
#include "ops/import_op.h"
#include "ops/info_op.h"
#include "ops/init_op.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/printers.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <set>

using namespace borderlens;
using test::TempDir;

namespace {

struct Point {
  double lon;
  double lat;
};

// A grid of points over the border region; a few share one word in their titles.
std::vector<Point> grid() {
  std::vector<Point> points;
  for (int i = 0; i < 30; ++i) {
    for (int j = 0; j < 20; ++j) points.push_back({123.0 + 0.1 * i, 39.0 + 0.1 * j});
  }
  return points;
}

std::string titleOf(std::size_t i) {
  return "incident " + std::to_string(i) + (i % 7 == 0 ? " marigold" : "");
}

void writeCsv(const std::string& path, const std::vector<Point>& points) {
  std::ofstream out(path);
  out << "id,kind,title,start,lon,lat,geo_precision,confidence,source_publisher,source_title,"
         "source_url\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    out << "t-" << i << ",seizure," << titleOf(i) << ",2020-01-0" << (1 + i % 9) << ","
        << points[i].lon << "," << points[i].lat
        << ",exact,0.8,test publisher,test list,https://example.org/list\n";
  }
}

std::set<std::string> titles(store::Store& db, const store::FilterSpec& filter) {
  std::set<std::string> seen;
  db.forEachFeature(filter, {}, [&](const store::FeatureRow& row) {
    if (row.type == store::FeatureType::Incident) seen.insert(row.name);
    return true;
  });
  return seen;
}

std::set<std::string> inBox(const std::vector<Point>& points, const geo::BBox& box) {
  std::set<std::string> expected;
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (points[i].lon >= box.west && points[i].lon <= box.east && points[i].lat >= box.south &&
        points[i].lat <= box.north)
      expected.insert(titleOf(i));
  }
  return expected;
}

store::FilterSpec bboxFilter(const geo::BBox& box) {
  store::FilterSpec filter;
  filter.bbox = box;
  return filter;
}

core::Incident incidentAt(const std::string& title, double lon, double lat) {
  core::Incident incident;
  incident.kind = "seizure";
  incident.title = title;
  incident.span = {core::Date::ymd(2021, 3, 4), std::nullopt};
  incident.wkt = "POINT(" + std::to_string(lon) + " " + std::to_string(lat) + ")";
  return incident;
}

const std::vector<geo::BBox> kBoxes{{123.05, 39.05, 123.55, 39.45},
                                    {123.99, 39.99, 124.01, 40.01},
                                    {125.72, 40.62, 126.5, 41.5},
                                    {100.0, 10.0, 110.0, 20.0}};

} // namespace

TEST_CASE("import: every imported incident is found by box and by text after the commit") {
  TempDir dir;
  const std::string path = dir.file("indexes.db");
  ops::InitOptions init;
  init.database = path;
  init.noBorder = true;
  ops::runInit(init);
  const auto points = grid();
  const std::string csv = dir.file("incidents.csv");
  writeCsv(csv, points);
  ops::ImportOptions options;
  options.database = path;
  options.files = {csv};
  options.geodata = std::string(BORDERLENS_GEODATA_DIR) + "/base.gpkg";

  SUBCASE("a dry run leaves nothing behind, and the next import is indexed") {
    options.dryRun = true;
    const std::string before = ops::infoJson(ops::runInfo({path})).dump();
    CHECK(ops::runImport(options, {}).files.at(0).incidentsCreated == points.size());
    CHECK(ops::infoJson(ops::runInfo({path})).dump() == before);
    options.dryRun = false;
  }
  REQUIRE(ops::runImport(options, {}).files.at(0).incidentsCreated == points.size());

  auto db = store::openStore(path, store::OpenMode::ReadWrite);
  for (const auto& box : kBoxes) {
    CAPTURE(box.west);
    CHECK(titles(*db, bboxFilter(box)) == inBox(points, box));
  }
  store::FilterSpec text;
  text.text = "marigold";
  std::set<std::string> marigolds;
  for (std::size_t i = 0; i < points.size(); i += 7) marigolds.insert(titleOf(i));
  CHECK(titles(*db, text) == marigolds);

  SUBCASE("a row written outside a transaction is indexed at once") {
    db->addIncident(incidentAt("lone one", 127.25, 38.75));
    CHECK(titles(*db, bboxFilter({127.2, 38.7, 127.3, 38.8})) == std::set<std::string>{"lone one"});
    text.text = "lone";
    CHECK(titles(*db, text) == std::set<std::string>{"lone one"});
  }
  SUBCASE("a query inside the transaction sees its rows; a rollback forgets them") {
    {
      store::Transaction transaction(*db);
      db->addIncident(incidentAt("pending one", 127.25, 38.75));
      CHECK(titles(*db, bboxFilter({127.2, 38.7, 127.3, 38.8})) ==
            std::set<std::string>{"pending one"});
      db->addIncident(incidentAt("pending two", 127.26, 38.76));
    }  // rolled back
    CHECK(titles(*db, bboxFilter({127.2, 38.7, 127.3, 38.8})).empty());
    db->addIncident(incidentAt("after rollback", 127.25, 38.75));
    CHECK(titles(*db, bboxFilter({127.2, 38.7, 127.3, 38.8})) ==
          std::set<std::string>{"after rollback"});
    text.text = "pending";
    CHECK(titles(*db, text).empty());
  }
  SUBCASE("rows of a second committed transaction join the first's") {
    {
      store::Transaction transaction(*db);
      db->addIncident(incidentAt("second batch", 123.25, 39.25));
      transaction.commit();
    }
    auto expected = inBox(points, kBoxes[0]);
    expected.insert("second batch");
    CHECK(titles(*db, bboxFilter(kBoxes[0])) == expected);
  }
}
