// The packed R*Tree (store/sqlite/rtree_pack) is written into SQLite's shadow tables by hand, so
// these tests hold it to SQLite's and SpatiaLite's own checkers and to a brute-force search.
#include "core/errors.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/rtree_pack.h"
#include "store/store.h"
#include "support/fixture.h"

#include <doctest/doctest.h>

#include <random>
#include <set>

using namespace borderlens;
using store::sqlite::Connection;
using store::sqlite::RtreeBox;
using store::sqlite::Statement;

namespace {

std::vector<RtreeBox> randomBoxes(std::size_t count, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_real_distribution<double> lon(123.0, 131.0);
  std::uniform_real_distribution<double> lat(39.0, 43.0);
  std::uniform_real_distribution<double> size(0.0, 0.05);
  std::vector<RtreeBox> boxes;
  for (std::size_t i = 0; i < count; ++i) {
    const double x = lon(random);
    const double y = lat(random);
    // A third are points, as most incidents are.
    const double w = i % 3 == 0 ? 0.0 : size(random);
    const double h = i % 3 == 0 ? 0.0 : size(random);
    boxes.push_back({static_cast<std::int64_t>(i * 3 + 7), x, x + w, y, y + h});
  }
  return boxes;
}

std::string text(Connection& connection, const std::string& sql) {
  Statement select(connection, sql);
  REQUIRE(select.step());
  return select.text(0);
}

std::set<std::int64_t> rtreeHits(Connection& connection, double west, double south, double east,
                                 double north) {
  Statement select(connection,
                   "SELECT id FROM t WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?");
  select.bind(1, east).bind(2, west).bind(3, north).bind(4, south);
  std::set<std::int64_t> ids;
  while (select.step()) ids.insert(select.integer(0));
  return ids;
}

struct QueryBox {
  double west = 0;
  double south = 0;
  double east = 0;
  double north = 0;
  bool meets(const RtreeBox& box) const {
    return box.minX <= east && box.maxX >= west && box.minY <= north && box.maxY >= south;
  }
};

// The q-th of a run of query boxes over the region: from a point up to `scale` times 0.81° by
// 0.18°.
QueryBox queryBox(std::mt19937& random, int q, double scale) {
  std::uniform_real_distribution<double> lon(122.5, 131.5);
  std::uniform_real_distribution<double> lat(38.5, 43.5);
  const double west = lon(random);
  const double south = lat(random);
  return {west, south, west + 0.01 * scale * (q % 10) * (q % 10),
          south + 0.005 * scale * (q % 7) * (q % 7)};
}

// The rows of the R*Tree on place and day span, and how many of them hold their incident's box
// and days: "rows,held".
std::string spanTree(Connection& connection) {
  return text(connection,
              "SELECT (SELECT count(*) FROM incidents_span_rtree) || ',' || (SELECT count(*) "
              "FROM incidents i JOIN incidents_span_rtree r ON r.pkid = i.id WHERE "
              "r.xmin <= MbrMinX(i.geom) AND r.xmax >= MbrMaxX(i.geom) AND r.ymin <= MbrMinY(i.geom) "
              "AND r.ymax >= MbrMaxY(i.geom) AND r.first_day = i.first_day AND r.last_day = i.last_day)");
}

} // namespace

TEST_CASE("a packed R*Tree passes rtreecheck and finds every box a brute-force search finds") {
  test::TempDir dir;
  Connection connection(dir.file("rtree.db"), Connection::Mode::Create);
  connection.exec("CREATE VIRTUAL TABLE t USING rtree(id, minx, maxx, miny, maxy)");
  // Around the node capacity (51 cells at 4 KiB pages) and past two levels of it.
  for (std::size_t count : {0u, 1u, 50u, 51u, 52u, 2601u, 2602u, 20000u}) {
    CAPTURE(count);
    const auto boxes = randomBoxes(count, static_cast<unsigned>(count) + 1);
    connection.exec("BEGIN");
    // Rows inserted the ordinary way are replaced, not kept.
    connection.exec("INSERT INTO t VALUES(1, 0, 1, 0, 1)");
    store::sqlite::packRtree(connection, "t", boxes);
    connection.exec("COMMIT");
    CHECK(text(connection, "SELECT rtreecheck('t')") == "ok");
    CHECK(text(connection, "SELECT count(*) FROM t") == std::to_string(count));

    // Every stored box holds its original, whatever the rounding to floats.
    Statement stored(connection, "SELECT id, minx, maxx, miny, maxy FROM t ORDER BY id");
    for (const auto& box : boxes) {
      REQUIRE(stored.step());
      CHECK(stored.integer(0) == box.id);
      CHECK(stored.real(1) <= box.minX);
      CHECK(stored.real(2) >= box.maxX);
      CHECK(stored.real(3) <= box.minY);
      CHECK(stored.real(4) >= box.maxY);
    }
    CHECK_FALSE(stored.step());

    std::mt19937 random(99);
    for (int q = 0; q < 50; ++q) {
      const QueryBox query = queryBox(random, q, 1.0);
      std::set<std::int64_t> expected;
      for (const auto& box : boxes) {
        if (query.meets(box)) expected.insert(box.id);
      }
      const auto hits = rtreeHits(connection, query.west, query.south, query.east, query.north);
      // Outward rounding may add a box that touches the query only in floats, never lose one.
      for (std::int64_t id : expected) CHECK(hits.count(id) == 1);
      CHECK(hits.size() <= expected.size() + 2);
    }
  }

  SUBCASE("the tree takes ordinary inserts and deletes afterwards") {
    connection.exec("BEGIN");
    store::sqlite::packRtree(connection, "t", randomBoxes(3000, 5));
    connection.exec("COMMIT");
    connection.exec("INSERT INTO t VALUES(1000001, 124.0, 124.1, 40.0, 40.1)");
    connection.exec("DELETE FROM t WHERE id % 2 = 0");
    CHECK(text(connection, "SELECT rtreecheck('t')") == "ok");
    CHECK(text(connection, "SELECT count(*) FROM t") == "1501");
    CHECK(rtreeHits(connection, 124.05, 40.05, 124.06, 40.06).count(1000001) == 1);
  }
}

TEST_CASE("a packed 3-D R*Tree passes rtreecheck and finds every box a brute-force search finds") {
  test::TempDir dir;
  Connection connection(dir.file("rtree3.db"), Connection::Mode::Create);
  connection.exec("CREATE VIRTUAL TABLE t3 USING rtree(id, minx, maxx, miny, maxy, minz, maxz)");
  std::mt19937 random(17);
  // Days since 1970 over 2006-2026, spans of up to a year, as the incidents' day spans are.
  std::uniform_int_distribution<int> day(13149, 20453);
  std::uniform_int_distribution<int> length(0, 365);
  for (std::size_t count : {0u, 1u, 51u, 52u, 2602u, 30000u}) {
    CAPTURE(count);
    auto boxes = randomBoxes(count, static_cast<unsigned>(count) + 3);
    for (auto& box : boxes) {
      box.minZ = day(random);
      box.maxZ = box.minZ + (box.id % 2 == 0 ? 0 : length(random));
    }
    connection.exec("BEGIN");
    store::sqlite::packRtree(connection, "t3", boxes);
    connection.exec("COMMIT");
    CHECK(text(connection, "SELECT rtreecheck('t3')") == "ok");
    CHECK(text(connection, "SELECT count(*) FROM t3") == std::to_string(count));

    // Whole days are exact in the tree's floats, so the days select exactly.
    Statement select(connection,
                     "SELECT id FROM t3 WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ? "
                     "AND minz <= ? AND maxz >= ?");
    for (int q = 0; q < 50; ++q) {
      const QueryBox query = queryBox(random, q, 2.0);
      const int from = day(random);
      const int to = from + 30 * (q % 25);
      std::set<std::int64_t> expected;
      for (const auto& box : boxes) {
        if (query.meets(box) && box.minZ <= to && box.maxZ >= from) expected.insert(box.id);
      }
      select.bind(1, query.east).bind(2, query.west).bind(3, query.north).bind(4, query.south);
      select.bind(5, to).bind(6, from);
      std::set<std::int64_t> hits;
      while (select.step()) hits.insert(select.integer(0));
      select.reset();
      for (std::int64_t id : expected) CHECK(hits.count(id) == 1);
      CHECK(hits.size() <= expected.size() + 2);
    }
  }
}

TEST_CASE("packing refuses a table that is not a 2-D or 3-D R*Tree of floats") {
  test::TempDir dir;
  Connection connection(dir.file("rtree.db"), Connection::Mode::Create);
  connection.exec("CREATE TABLE plain(id INTEGER PRIMARY KEY, minx, maxx, miny, maxy)");
  connection.exec("CREATE VIRTUAL TABLE hyper USING rtree(id, x0, x1, y0, y1, z0, z1, w0, w1)");
  // Two auxiliary columns make as many columns as a 3-D tree has.
  connection.exec("CREATE VIRTUAL TABLE extra USING rtree(id, x0, x1, y0, y1, +name, +note)");
  for (const char* table : {"plain", "hyper", "extra"}) {
    CAPTURE(table);
    CHECK_THROWS_AS(store::sqlite::packRtree(connection, table, randomBoxes(5, 1)),
                    core::StoreError);
  }
  CHECK(text(connection, "SELECT rtreecheck('hyper')") == "ok");
  CHECK(text(connection, "SELECT count(*) FROM extra") == "0");
}

TEST_CASE("a load into an empty store leaves its R*Trees and indexes as SpatiaLite and SQLite check them") {
  test::TempDir dir;
  const std::string path = dir.file("bulk.db");
  auto db = store::openStore(path, store::OpenMode::Create);
  const auto boxes = randomBoxes(3000, 11);
  const auto incidentAt = [](const std::string& id, double lon, double lat) {
    core::Incident incident;
    incident.externalId = id;
    incident.kind = "seizure";
    incident.title = "incident " + id;
    incident.span = {core::Date::ymd(2021, 3, 4), std::nullopt};
    incident.confidence = 0.5;
    incident.wkt = "POINT(" + std::to_string(lon) + " " + std::to_string(lat) + ")";
    return incident;
  };
  const auto indexes = [&] {
    Connection connection(path, Connection::Mode::ReadOnly);
    Statement select(connection,
                     "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master WHERE "
                     "type = 'index' AND tbl_name = 'incidents' AND sql IS NOT NULL ORDER BY name)");
    select.step();
    return select.text(0);
  };
  const std::string before = indexes();
  REQUIRE(before == "incidents_external_id,incidents_time");

  SUBCASE("committed: packed tree, indexes rebuilt, duplicates found while they were away") {
    {
      store::Transaction transaction(*db);
      for (const auto& box : boxes)
        db->addIncident(incidentAt("e" + std::to_string(box.id), box.minX, box.minY));
      CHECK(db->findIncident("e7", "seizure", "2021-03-04") == 1);
      CHECK(db->findIncident("e10", "seizure", "2021-03-04") == 2);
      CHECK_FALSE(db->findIncident("e7", "seizure", "2021-03-05"));
      CHECK_FALSE(db->findIncident("e8", "seizure", "2021-03-04"));
      transaction.commit();
    }
    CHECK(indexes() == before);
    CHECK(db->findIncident("e10", "seizure", "2021-03-04") == 2);
    Connection connection(path, Connection::Mode::ReadWrite);
    CHECK(text(connection, "SELECT rtreecheck('idx_incidents_geom')") == "ok");
    CHECK(text(connection, "SELECT CheckSpatialIndex('incidents', 'geom')") == "1");
    CHECK(text(connection, "SELECT count(*) FROM idx_incidents_geom") == "3000");
    CHECK(text(connection, "SELECT rtreecheck('incidents_span_rtree')") == "ok");
    CHECK(spanTree(connection) == "3000,3000");
    // The plan uses the rebuilt index, so the table was not left without it.
    Statement plan(connection, "EXPLAIN QUERY PLAN SELECT id FROM incidents WHERE external_id = 'e7'");
    std::string details;
    while (plan.step()) details += plan.text(3);
    CHECK(details.find("incidents_external_id") != std::string::npos);
  }
  SUBCASE("rolled back: the indexes and the spatial index trigger are as before") {
    {
      store::Transaction transaction(*db);
      for (int i = 0; i < 100; ++i) db->addIncident(incidentAt("r" + std::to_string(i), 124.0, 40.0));
    }
    CHECK(indexes() == before);
    db->addIncident(incidentAt("after", 125.0, 41.0));
    Connection connection(path, Connection::Mode::ReadWrite);
    CHECK(text(connection, "SELECT count(*) FROM idx_incidents_geom") == "1");
    CHECK(spanTree(connection) == "1,1");
    CHECK(text(connection, "SELECT CheckSpatialIndex('incidents', 'geom')") == "1");
  }
  SUBCASE("a small load into a large table joins its R*Tree row by row, still consistent") {
    {
      store::Transaction transaction(*db);
      for (const auto& box : boxes)
        db->addIncident(incidentAt("e" + std::to_string(box.id), box.minX, box.minY));
      transaction.commit();
    }
    {
      store::Transaction transaction(*db);
      for (int i = 0; i < 10; ++i) db->addIncident(incidentAt("s" + std::to_string(i), 126.0, 42.0));
      // The table held rows, so the indexes stay and answer for old rows too.
      CHECK(db->findIncident("e7", "seizure", "2021-03-04") == 1);
      transaction.commit();
    }
    Connection connection(path, Connection::Mode::ReadWrite);
    CHECK(text(connection, "SELECT rtreecheck('idx_incidents_geom')") == "ok");
    CHECK(text(connection, "SELECT CheckSpatialIndex('incidents', 'geom')") == "1");
    CHECK(text(connection, "SELECT count(*) FROM idx_incidents_geom") == "3010");
    CHECK(text(connection, "SELECT rtreecheck('incidents_span_rtree')") == "ok");
    CHECK(spanTree(connection) == "3010,3010");
  }
}
