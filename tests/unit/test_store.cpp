#include "core/errors.h"
#include "store/border_cache.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/schema.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/printers.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <tuple>

using namespace borderlens;
using test::FixtureIds;
using test::TempDir;

namespace {

struct Seen {
  std::set<core::RecordId> entities;
  std::set<core::RecordId> incidents;
  std::size_t rows = 0;
};

Seen run(store::Store& db, const store::FilterSpec& filter) {
  Seen seen;
  db.forEachFeature(filter, {}, [&](const store::FeatureRow& row) {
    (row.type == store::FeatureType::Entity ? seen.entities : seen.incidents).insert(row.id);
    ++seen.rows;
    return true;
  });
  return seen;
}

std::int32_t day(int y, unsigned m, unsigned d) { return core::Date::ymd(y, m, d).firstDay(); }

struct Fixture {
  TempDir dir;
  std::string path = dir.file("fixture.db");
  std::unique_ptr<store::Store> db = store::openStore(path, store::OpenMode::Create);
  FixtureIds ids = test::fillFixture(*db);
};

} // namespace

TEST_CASE("an empty database reports zero everywhere") {
  TempDir dir;
  auto db = store::openStore(dir.file("empty.db"), store::OpenMode::Create);
  const auto stats = db->stats();
  CHECK(stats.schemaVersion == store::kSchemaVersion);
  CHECK(stats.entities == 0);
  CHECK(stats.incidents == 0);
  CHECK_FALSE(stats.extent);
  CHECK(run(*db, {}).rows == 0);
  store::FilterSpec text;
  text.text = "丹东";
  CHECK(run(*db, text).rows == 0);
}

TEST_CASE("stats count the fixture") {
  Fixture f;
  const auto s = f.db->stats();
  CHECK(s.entities == 4);
  CHECK(s.entitiesByKind.at("organization") == 2);
  CHECK(s.entitiesByKind.at("person") == 1);
  CHECK(s.entitiesByKind.at("vessel") == 1);
  CHECK(s.names == 9);
  CHECK(s.namesByScript.at("han") == 2);
  CHECK(s.namesByScript.at("hangul") == 2);
  CHECK(s.designations == 4);
  CHECK(s.designationsByAuthority.at("UN") == 2);
  CHECK(s.designationsByAuthority.at("OFAC") == 2);
  CHECK(s.rounds == 3);
  CHECK(s.incidents == 4);
  CHECK(s.incidentsByKind.at("seizure") == 1);
  CHECK(s.sources == 1);
  CHECK(s.entityLinks == 1);
  CHECK(s.incidentLinks == 4);
  CHECK(s.unlocatedEntities == 1);
  CHECK(s.recordsWithoutSource == 1);  // the Shenyang office, on purpose
  CHECK(s.hasBorder);
  REQUIRE(s.extent);
  CHECK(s.extent->west == doctest::Approx(123.4315));
  CHECK(s.extent->north == doctest::Approx(41.8057));
}

TEST_CASE("entities read back with names in every script") {
  Fixture f;
  const auto e = f.db->entity(f.ids.dandongTrading);
  REQUIRE(e);
  CHECK(e->primaryName() == "Dandong Fixture Trading Co");
  REQUIRE(e->names.size() == 3);
  CHECK(e->names[1].text == "丹东测试贸易有限公司");
  CHECK(e->names[1].script == core::Script::Han);
  CHECK(e->names[2].script == core::Script::Hangul);
  REQUIRE(e->locations.size() == 1);
  CHECK(e->locations[0].precision == core::Precision::City);
  CHECK(e->locations[0].address == "Dandong, Liaoning");
  CHECK(e->sourceIds.size() == 1);
  CHECK(f.db->findEntityByIdentifier("imo", "9000001") == f.ids.fixtureStar);
  CHECK_FALSE(f.db->findEntityByIdentifier("imo", "1234567"));
  const auto designations = f.db->designationsOf(f.ids.pakFixture);
  REQUIRE(designations.size() == 2);
  CHECK(designations[0].authority == "UN");
  CHECK(designations[1].listed->precision() == core::DatePrecision::Month);
  CHECK(designations[1].delisted->toString() == "2020");
  CHECK_FALSE(f.db->entity(999));
}

TEST_CASE("no filter lists every entity location, unlocated entities, then incidents") {
  Fixture f;
  std::vector<std::pair<store::FeatureType, core::RecordId>> order;
  f.db->forEachFeature({}, {}, [&](const store::FeatureRow& row) {
    order.emplace_back(row.type, row.id);
    return true;
  });
  using T = store::FeatureType;
  CHECK(order == std::vector<std::pair<T, core::RecordId>>{
                     {T::Entity, f.ids.dandongTrading}, {T::Entity, f.ids.pakFixture},
                     {T::Entity, f.ids.fixtureStar}, {T::Entity, f.ids.shenyangOffice},
                     {T::Incident, f.ids.seizure}, {T::Incident, f.ids.transfer},
                     {T::Incident, f.ids.investigation}, {T::Incident, f.ids.closure}});
}

TEST_CASE("feature rows carry coordinates, precision, authorities and rounds") {
  Fixture f;
  std::vector<store::FeatureRow> rows;
  f.db->forEachFeature({}, {true, 0}, [&](const store::FeatureRow& row) {
    rows.push_back(row);
    return true;
  });
  REQUIRE(rows.size() == 8);
  CHECK(*rows[0].lon == doctest::Approx(124.3545));
  CHECK(rows[0].precision == "city");
  CHECK(rows[0].authorities == "OFAC");
  CHECK(rows[0].rounds == "OFAC-2016-09-26");
  CHECK(rows[0].start == "2016-09-26");
  CHECK(rows[1].authorities == "OFAC,UN");
  CHECK_FALSE(rows[2].lon);  // the unlocated vessel
  CHECK(rows[2].precision.empty());
  CHECK(rows[5].wkt.rfind("POLYGON", 0) == 0);
  // A point on the polygon, not its centroid outside a concave shape; here inside the box.
  CHECK(*rows[5].lon > 123.5);
  CHECK(*rows[5].lon < 124.5);
  CHECK(rows[5].authorities == "UN");
  CHECK(rows[5].rounds == "UN-2018-03-30");
  CHECK(rows[7].end == "2018-01-10");
  CHECK(*rows[7].confidence == doctest::Approx(0.7));
}

TEST_CASE("a point's coordinates come from its blob in either byte order, and a damaged one is refused") {
  Fixture f;
  const auto firstIncident = [&] {
    std::optional<store::FeatureRow> first;
    f.db->forEachFeature({}, {}, [&](const store::FeatureRow& row) {
      if (row.type == store::FeatureType::Incident) first = row;
      return !first;
    });
    REQUIRE(first);
    return *first;
  };
  const store::FeatureRow before = firstIncident();
  REQUIRE(before.lon);
  // SpatiaLite's layout of a POINT, written big-endian: 0x00, 0x00 (big), SRID, MBR, 0x7C,
  // class 1, X, Y, 0xFE.
  const auto bigEndian = [](int pointClass) {
    std::vector<std::uint8_t> blob{0x00, 0x00};
    const auto put = [&](auto value) {
      std::uint8_t bytes[sizeof value];
      std::memcpy(bytes, &value, sizeof value);
      for (std::size_t i = sizeof value; i-- > 0;) blob.push_back(bytes[i]);
    };
    put(std::uint32_t{4326});
    for (double v : {124.25, 40.5, 124.25, 40.5}) put(v);
    blob.push_back(0x7C);
    put(static_cast<std::uint32_t>(pointClass));
    put(124.25);
    put(40.5);
    blob.push_back(0xFE);
    return blob;
  };
  {
    store::sqlite::Connection raw(f.path, store::sqlite::Connection::Mode::ReadWrite);
    // The geometry triggers would refuse the damaged blob; the reader must refuse it itself.
    std::vector<std::string> triggers;
    {
      store::sqlite::Statement list(raw, "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                         "AND tbl_name = 'incidents'");
      while (list.step()) triggers.push_back(list.text(0));
    }
    for (const auto& name : triggers) raw.exec("DROP TRIGGER \"" + name + "\"");
    store::sqlite::Statement update(raw, "UPDATE incidents SET geom = ? WHERE id = ?");
    update.bindBlob(1, bigEndian(1)).bind(2, before.id).run();
  }
  const store::FeatureRow after = firstIncident();
  CHECK(after.id == before.id);
  CHECK(*after.lon == 124.25);
  CHECK(*after.lat == 40.5);
  {
    store::sqlite::Connection raw(f.path, store::sqlite::Connection::Mode::ReadWrite);
    store::sqlite::Statement update(raw, "UPDATE incidents SET geom = ? WHERE id = ?");
    update.bindBlob(1, bigEndian(2)).bind(2, before.id).run();
  }
  CHECK_THROWS_WITH_AS(firstIncident(),
                       ("incident " + std::to_string(before.id) +
                        ": its stored geometry is not a SpatiaLite point").c_str(),
                       core::StoreError);
}

TEST_CASE("details in the feature stream equal the per-record reads") {
  Fixture f;
  std::size_t incidents = 0;
  std::size_t linked = 0;
  std::size_t cited = 0;
  store::QueryOptions options;
  options.withDetails = true;
  f.db->forEachFeature({}, options, [&](const store::FeatureRow& row) {
    if (row.type != store::FeatureType::Incident) return true;
    ++incidents;
    CAPTURE(row.id);
    const auto incident = f.db->incident(row.id);
    REQUIRE(incident);
    CHECK(row.externalId == incident->externalId);
    CHECK(row.description == incident->description);
    CHECK(row.sourceIds == incident->sourceIds);
    CHECK(row.linkCount ==
          static_cast<std::int64_t>(f.db->linksOf(store::FeatureType::Incident, row.id).size()));
    if (row.linkCount > 0) ++linked;
    if (!row.sourceIds.empty()) ++cited;
    return true;
  });
  CHECK(incidents >= 2);
  CHECK(linked >= 1);
  CHECK(cited >= 1);
  // Without details a row carries none.
  f.db->forEachFeature({}, {}, [&](const store::FeatureRow& row) {
    CHECK(row.externalId.empty());
    CHECK(row.sourceIds.empty());
    CHECK(row.linkCount == 0);
    return true;
  });
}

TEST_CASE("counting incidents agrees with the stream under filters") {
  Fixture f;
  std::vector<store::FilterSpec> filters(5);
  filters[1].bbox = geo::BBox{124.2, 39.9, 124.6, 40.2};
  filters[2].incidentKinds = {"seizure"};
  filters[3].entityKinds = {core::EntityKind::Person};  // entities only
  filters[4].window = {day(2018, 1, 5), day(2018, 2, 15)};
  std::set<std::uint64_t> counts;
  for (const auto& filter : filters) {
    const Seen seen = run(*f.db, filter);
    CHECK(f.db->countIncidents(filter) == seen.incidents.size());
    counts.insert(seen.incidents.size());
  }
  CHECK(counts.count(0) == 1);
  CHECK(counts.size() >= 3);
}

TEST_CASE("time windows respect date precision") {
  Fixture f;
  store::FilterSpec filter;
  filter.entityKinds = {};
  SUBCASE("month- and day-spans overlapping early January 2018") {
    filter.window = {day(2018, 1, 5), day(2018, 2, 15)};
    const auto seen = run(*f.db, filter);
    CHECK(seen.incidents == std::set<core::RecordId>{f.ids.transfer, f.ids.closure});
  }
  SUBCASE("an incident spanning the window's start edge is in") {
    filter.window = {day(2018, 1, 10), std::nullopt};
    CHECK(run(*f.db, filter).incidents.count(f.ids.closure) == 1);
    filter.window = {day(2018, 1, 11), std::nullopt};
    CHECK(run(*f.db, filter).incidents.count(f.ids.closure) == 0);
  }
  SUBCASE("an incident spanning the window's end edge is in") {
    filter.window = {std::nullopt, day(2017, 12, 20)};
    CHECK(run(*f.db, filter).incidents ==
          std::set<core::RecordId>{f.ids.seizure, f.ids.closure});
  }
  SUBCASE("a year-precision incident overlaps any window inside its year") {
    filter.window = {day(2019, 6, 1), day(2019, 6, 30)};
    CHECK(run(*f.db, filter).incidents == std::set<core::RecordId>{f.ids.investigation});
  }
  SUBCASE("entities are in while a designation is in force") {
    filter.window = {day(2016, 1, 1), day(2016, 12, 31)};
    CHECK(run(*f.db, filter).entities == std::set<core::RecordId>{f.ids.dandongTrading});
    filter.window = {day(2018, 6, 1), day(2018, 6, 30)};
    CHECK(run(*f.db, filter).entities ==
          std::set<core::RecordId>{f.ids.dandongTrading, f.ids.pakFixture, f.ids.fixtureStar});
    // Pak's OFAC listing (2018-01, month precision) counts from 2018-01-01 onwards.
    filter.window = {day(2018, 1, 1), day(2018, 1, 1)};
    filter.authorities = {"OFAC"};
    CHECK(run(*f.db, filter).entities ==
          std::set<core::RecordId>{f.ids.dandongTrading, f.ids.pakFixture});
    // Delisted in 2020 (year precision): still in force in December 2020, gone in 2021.
    filter.window = {day(2020, 12, 1), day(2020, 12, 31)};
    CHECK(run(*f.db, filter).entities.count(f.ids.pakFixture) == 1);
    filter.window = {day(2021, 1, 1), std::nullopt};
    CHECK(run(*f.db, filter).entities.count(f.ids.pakFixture) == 0);
  }
}

TEST_CASE("text search finds names in every script, case-insensitively") {
  Fixture f;
  store::FilterSpec filter;
  const auto entitiesFor = [&](const std::string& text) {
    filter.text = text;
    return run(*f.db, filter).entities;
  };
  const std::set<core::RecordId> trading{f.ids.dandongTrading};
  CHECK(entitiesFor("丹东") == trading);
  CHECK(entitiesFor("단둥") == trading);
  CHECK(entitiesFor("dandong") == trading);
  CHECK(entitiesFor("DANDONG") == trading);
  CHECK(entitiesFor("Dand") == trading);  // prefix
  CHECK(entitiesFor("测试贸易") == trading);  // inside a Chinese name
  CHECK(entitiesFor("박시험") == std::set<core::RecordId>{f.ids.pakFixture});
  CHECK(entitiesFor("sinuiju") == std::set<core::RecordId>{f.ids.pakFixture});  // ŭ folds to u
  CHECK(entitiesFor("KPe.900") == std::set<core::RecordId>{f.ids.fixtureStar});
  CHECK(entitiesFor("9000001") == std::set<core::RecordId>{f.ids.fixtureStar});
  CHECK(entitiesFor("丹西").empty());  // characters of a name, but not adjacent
  filter.text = "丹东";
  CHECK(run(*f.db, filter).incidents == std::set<core::RecordId>{f.ids.investigation});
  filter.text = "dandong customs";
  CHECK(run(*f.db, filter).incidents == std::set<core::RecordId>{f.ids.seizure});
}

TEST_CASE("search text with SQL and FTS5 syntax is only ever text") {
  Fixture f;
  store::FilterSpec filter;
  for (const char* hostile : {"dandong\" OR \"", "x' OR '1'='1", "NEAR(dandong fixture)",
                              "dandong*", "-dandong", "dandong AND NOT fixture", "col:dandong",
                              "'; DROP TABLE entities; --"}) {
    CAPTURE(hostile);
    filter.text = hostile;
    CHECK_NOTHROW(run(*f.db, filter));
  }
  filter.text = "'; DROP TABLE entities; --";
  CHECK(run(*f.db, filter).rows == 0);
  CHECK(f.db->stats().entities == 4);
  for (const char* nothing : {"***", "\"", "'", "()"}) {
    filter.text = nothing;
    CHECK_THROWS_AS(run(*f.db, filter), core::UsageError);
  }
  CHECK(store::ftsQuery("dandong \"x") == "\"dandong\"* \"x\"*");
  CHECK(store::ftsQuery("丹东 ji'an") == "\"丹 东\" \"ji an\"*");
}

TEST_CASE("rounds, authorities and programs select entities and their incidents") {
  Fixture f;
  store::FilterSpec filter;
  filter.rounds = {"UN-2017-12-22"};
  auto seen = run(*f.db, filter);
  CHECK(seen.entities == std::set<core::RecordId>{f.ids.pakFixture});
  CHECK(seen.incidents == std::set<core::RecordId>{f.ids.closure});

  filter.rounds = {"UN-2017-12-22", "UN-2018-03-30"};
  seen = run(*f.db, filter);
  CHECK(seen.entities == std::set<core::RecordId>{f.ids.pakFixture, f.ids.fixtureStar});
  CHECK(seen.incidents == std::set<core::RecordId>{f.ids.transfer, f.ids.closure});

  filter = {};
  filter.programs = {"NPWMD"};
  CHECK(run(*f.db, filter).entities == std::set<core::RecordId>{f.ids.dandongTrading});
  // One designation must match both: Pak's UN designation is not under DPRK2.
  filter.programs = {"DPRK2"};
  filter.authorities = {"UN"};
  CHECK(run(*f.db, filter).rows == 0);
  filter.authorities = {"OFAC"};
  CHECK(run(*f.db, filter).entities == std::set<core::RecordId>{f.ids.pakFixture});
}

TEST_CASE("kinds and confidence") {
  Fixture f;
  store::FilterSpec filter;
  filter.entityKinds = {core::EntityKind::Vessel};
  auto seen = run(*f.db, filter);
  CHECK(seen.entities == std::set<core::RecordId>{f.ids.fixtureStar});
  CHECK(seen.incidents.empty());
  filter.incidentKinds = {"seizure"};
  seen = run(*f.db, filter);
  CHECK(seen.entities == std::set<core::RecordId>{f.ids.fixtureStar});
  CHECK(seen.incidents == std::set<core::RecordId>{f.ids.seizure});
  filter = {};
  filter.minConfidence = 0.7;
  seen = run(*f.db, filter);
  CHECK(seen.incidents == std::set<core::RecordId>{f.ids.seizure, f.ids.transfer, f.ids.closure});
  CHECK(seen.entities.size() == 4);  // confidence does not apply to entities
}

TEST_CASE("spatial filters drop unlocated entities") {
  Fixture f;
  store::FilterSpec filter;
  SUBCASE("bbox around Dandong and Sinuiju") {
    filter.bbox = geo::BBox{124.2, 39.9, 124.6, 40.2};
    const auto seen = run(*f.db, filter);
    CHECK(seen.entities == std::set<core::RecordId>{f.ids.dandongTrading, f.ids.pakFixture});
    CHECK(seen.incidents == std::set<core::RecordId>{f.ids.seizure, f.ids.investigation});
  }
  SUBCASE("a bbox that only clips the Korea Bay polygon still finds it") {
    filter.bbox = geo::BBox{124.4, 39.5, 124.45, 39.55};
    CHECK(run(*f.db, filter).incidents == std::set<core::RecordId>{f.ids.transfer});
  }
  SUBCASE("near a point, geodesic") {
    // Dandong point to Sinuiju point is ~11.8 km.
    filter.near = store::FilterSpec::Near{124.3545, 40.0003, 11.0};
    CHECK(run(*f.db, filter).entities == std::set<core::RecordId>{f.ids.dandongTrading});
    filter.near->km = 12.5;
    CHECK(run(*f.db, filter).entities ==
          std::set<core::RecordId>{f.ids.dandongTrading, f.ids.pakFixture});
  }
  SUBCASE("distance from the border geometry") {
    filter.borderKm = 3.0;
    const auto seen = run(*f.db, filter);
    // The fixture border passes ~0.3 km from the Dandong point; Shenyang is ~190 km away.
    CHECK(seen.entities.count(f.ids.dandongTrading) == 1);
    CHECK(seen.entities.count(f.ids.shenyangOffice) == 0);
    CHECK(seen.incidents.count(f.ids.closure) == 0);
  }
}

TEST_CASE("limit stops the stream") {
  Fixture f;
  std::size_t rows = 0;
  f.db->forEachFeature({}, {false, 3}, [&](const store::FeatureRow&) {
    ++rows;
    return true;
  });
  CHECK(rows == 3);
  rows = 0;
  f.db->forEachFeature({}, {}, [&](const store::FeatureRow&) { return ++rows < 2; });
  CHECK(rows == 2);
}

TEST_CASE("rounds list in date order with designation counts") {
  Fixture f;
  std::vector<store::RoundRow> rounds;
  f.db->forEachRound([&](const store::RoundRow& row) {
    rounds.push_back(row);
    return true;
  });
  REQUIRE(rounds.size() == 3);
  CHECK(rounds[0].round.id == "OFAC-2016-09-26");
  CHECK(rounds[0].designations == 1);
  CHECK(rounds[1].round.id == "UN-2017-12-22");
  CHECK(rounds[2].round.date.toString() == "2018-03-30");
  CHECK(rounds[2].round.sourceIds.size() == 1);
}

TEST_CASE("invalid records are refused and the transaction rolls back") {
  Fixture f;
  const auto before = f.db->stats().incidents;
  {
    store::Transaction transaction(*f.db);
    core::Incident good;
    good.kind = "seizure";
    good.title = "good";
    good.span = {core::Date::y(2020), std::nullopt};
    good.wkt = "POINT(124 40)";
    f.db->addIncident(good);
    core::Incident bad = good;
    bad.wkt = "POINT(200 40)";
    CHECK_THROWS_AS(f.db->addIncident(bad), core::InputRejected);
    bad.wkt = "POINT(nan 40)";
    CHECK_THROWS_AS(f.db->addIncident(bad), core::InputRejected);
    bad.wkt = "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))";  // self-intersecting
    CHECK_THROWS_AS(f.db->addIncident(bad), core::InputRejected);
    bad.wkt = "POINT(124 40)";
    bad.confidence = 1.5;
    CHECK_THROWS_AS(f.db->addIncident(bad), core::InputRejected);
  }  // no commit
  CHECK(f.db->stats().incidents == before);
}

TEST_CASE("a reader keeps its snapshot while a writer commits (WAL)") {
  Fixture f;
  auto reader = store::openStore(f.path, store::OpenMode::ReadOnly);
  std::size_t rows = 0;
  bool wrote = false;
  reader->forEachFeature({}, {}, [&](const store::FeatureRow&) {
    if (!wrote) {
      // Mid-stream, another connection commits a new incident.
      store::Transaction transaction(*f.db);
      core::Incident extra;
      extra.kind = "other";
      extra.title = "written during a read";
      extra.span = {core::Date::y(2021), std::nullopt};
      extra.wkt = "POINT(124.4 40.0)";
      f.db->addIncident(extra);
      transaction.commit();
      wrote = true;
    }
    ++rows;
    return true;
  });
  CHECK(wrote);
  CHECK(rows == 8);  // the reader's snapshot predates the commit
  CHECK(reader->stats().incidents == 5);  // a new read sees it
}

TEST_CASE("opening refuses what is not a current borderlens database, changing nothing") {
  TempDir dir;
  SUBCASE("missing file, read-only and read-write: no file created") {
    CHECK_THROWS_AS(store::openStore(dir.file("missing.db"), store::OpenMode::ReadOnly),
                    core::DatabaseUnavailable);
    CHECK_THROWS_AS(store::openStore(dir.file("missing.db"), store::OpenMode::ReadWrite),
                    core::DatabaseUnavailable);
    CHECK_FALSE(std::filesystem::exists(dir.file("missing.db")));
  }
  SUBCASE("a text file") {
    std::ofstream(dir.file("notes.db")) << "not a database\n";
    CHECK_THROWS_AS(store::openStore(dir.file("notes.db"), store::OpenMode::ReadOnly),
                    core::DatabaseUnavailable);
    CHECK_THROWS_AS(store::openStore(dir.file("notes.db"), store::OpenMode::Create),
                    core::DatabaseUnavailable);
    std::ifstream in(dir.file("notes.db"));
    std::string line;
    std::getline(in, line);
    CHECK(line == "not a database");
  }
  SUBCASE("a foreign SQLite database") {
    sqlite3* raw = nullptr;
    sqlite3_open(dir.file("other.db").c_str(), &raw);
    sqlite3_exec(raw, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
    CHECK_THROWS_AS(store::openStore(dir.file("other.db"), store::OpenMode::Create),
                    core::DatabaseUnavailable);
  }
  SUBCASE("a newer schema") {
    { store::openStore(dir.file("new.db"), store::OpenMode::Create); }
    sqlite3* raw = nullptr;
    sqlite3_open(dir.file("new.db").c_str(), &raw);
    sqlite3_exec(raw, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr,
                 nullptr, nullptr);
    sqlite3_close(raw);
    CHECK_THROWS_AS(store::openStore(dir.file("new.db"), store::OpenMode::ReadWrite),
                    core::SchemaMismatch);
    CHECK(store::peekSchemaVersion(dir.file("new.db")) == 99);
  }
  SUBCASE("an unreachable server is reported without echoing credentials") {
    try {
      store::openStore("postgresql://analyst:s3cret@127.0.0.1:1/bl", store::OpenMode::ReadOnly);
      FAIL("expected an error");
    } catch (const core::DatabaseUnavailable& e) {
      CHECK(std::string(e.what()).find("s3cret") == std::string::npos);
    }
  }
}

TEST_CASE("migrating a version-1 database keeps its records and builds the search index") {
  TempDir dir;
  const std::string path = dir.file("v1.db");
  {
    store::sqlite::Connection connection(path, store::sqlite::Connection::Mode::Create);
    store::sqlite::migrate(connection, 1);
    CHECK(store::sqlite::readSchemaVersion(connection) == 1);
    connection.exec(
        "INSERT INTO entities(id, kind, primary_name) VALUES(1, 'organization', 'Dandong Old Co');"
        "INSERT INTO names(entity_id, text, script, is_primary) VALUES(1, 'Dandong Old Co', "
        "'latin', 1), (1, '丹东旧公司', 'han', 0);");
  }
  CHECK_THROWS_AS(store::openStore(path, store::OpenMode::ReadOnly), core::SchemaMismatch);
  auto db = store::openStore(path, store::OpenMode::ReadWrite);
  CHECK(db->schemaVersion() == store::kSchemaVersion);
  CHECK(db->stats().entities == 1);
  store::FilterSpec filter;
  filter.text = "丹东";
  CHECK(run(*db, filter).entities == std::set<core::RecordId>{1});
}

TEST_CASE("a version-4 file is read as it is, and upgraded to version 5 fills the R*Tree on place "
          "and day span, which edits made with other tools keep up") {
  TempDir dir;
  const std::string path = dir.file("v4.db");
  const auto day = [](int y, unsigned m, unsigned d) { return core::Date::ymd(y, m, d).firstDay(); };
  {
    store::sqlite::Connection connection(path, store::sqlite::Connection::Mode::Create);
    store::sqlite::migrate(connection, 4);
    // Three points in the box, two years apart, and one outside it.
    store::sqlite::Statement insert(
        connection,
        "INSERT INTO incidents(id, kind, title, span_start, first_day, last_day, precision, "
        "confidence, geom) VALUES(?, 'seizure', 'old', '', ?, ?, 'exact', 0.5, MakePoint(?, ?, 4326))");
    const std::array<std::tuple<int, int, int, double, double>, 4> rows{{
        {1, day(2016, 5, 1), day(2016, 5, 1), 124.40, 40.10},
        {2, day(2018, 5, 1), day(2018, 6, 30), 124.41, 40.11},
        {3, day(2017, 12, 31), day(2019, 1, 1), 124.42, 40.12},
        {4, day(2018, 5, 1), day(2018, 5, 1), 126.00, 42.00},
    }};
    for (const auto& [id, first, last, lon, lat] : rows)
      insert.bind(1, id).bind(2, first).bind(3, last).bind(4, lon).bind(5, lat).run();
  }
  store::FilterSpec filter;
  filter.bbox = geo::BBox{124.3, 40.0, 124.5, 40.2};
  filter.window = {day(2018, 1, 1), day(2018, 12, 31)};
  {
    // Read-only, it is read as it is, through SpatiaLite's R*Tree, and left at version 4.
    auto reader = store::openStore(path, store::OpenMode::ReadOnly);
    CHECK(reader->schemaVersion() == 4);
    CHECK(reader->stats().schemaVersion == 4);
    CHECK(run(*reader, filter).incidents == std::set<core::RecordId>{2, 3});
    CHECK(reader->countIncidents(filter) == 2);
  }
  CHECK(store::peekSchemaVersion(path) == 4);
  auto db = store::openStore(path, store::OpenMode::ReadWrite);
  REQUIRE(db->schemaVersion() == 5);
  CHECK(run(*db, filter).incidents == std::set<core::RecordId>{2, 3});
  CHECK(db->countIncidents(filter) == 2);
  filter.window = {day(2016, 1, 1), std::nullopt};
  CHECK(run(*db, filter).incidents == std::set<core::RecordId>{1, 2, 3});
  filter.window = {std::nullopt, day(2016, 12, 31)};
  CHECK(run(*db, filter).incidents == std::set<core::RecordId>{1});

  // As an analyst might with sqlite3 or QGIS: move one in time, one in space, delete one, add one.
  {
    store::sqlite::Connection connection(path, store::sqlite::Connection::Mode::ReadWrite);
    connection.exec("UPDATE incidents SET first_day = " + std::to_string(day(2018, 2, 1)) +
                    ", last_day = " + std::to_string(day(2018, 2, 1)) + " WHERE id = 1;"
                    "UPDATE incidents SET geom = MakePoint(126.5, 42.5, 4326) WHERE id = 2;"
                    "DELETE FROM incidents WHERE id = 3;"
                    "UPDATE incidents SET geom = MakePoint(124.45, 40.15, 4326) WHERE id = 4;"
                    "INSERT INTO incidents(id, kind, title, span_start, first_day, last_day, "
                    "precision, confidence, geom) VALUES(5, 'seizure', 'new', '', " +
                    std::to_string(day(2018, 7, 1)) + ", " + std::to_string(day(2018, 7, 1)) +
                    ", 'exact', 0.5, MakePoint(124.35, 40.05, 4326));");
    store::sqlite::Statement check(connection, "SELECT rtreecheck('incidents_span_rtree')");
    REQUIRE(check.step());
    CHECK(check.text(0) == "ok");
  }
  filter.window = {day(2018, 1, 1), day(2018, 12, 31)};
  CHECK(run(*db, filter).incidents == std::set<core::RecordId>{1, 4, 5});
}

TEST_CASE("a bare libpq connection string is refused, not made into a file of that name") {
  const std::string location = "host=127.0.0.1 dbname=bl_unit_not_a_file password=hunter2";
  for (auto mode : {store::OpenMode::Create, store::OpenMode::ReadWrite, store::OpenMode::ReadOnly}) {
    try {
      store::openStore(location, mode);
      FAIL("opened a bare connection string");
    } catch (const core::UsageError& e) {
      const std::string message = e.what();
      CHECK(message.find("PG:host=127.0.0.1 dbname=bl_unit_not_a_file password=***") !=
            std::string::npos);
      CHECK(message.find("hunter2") == std::string::npos);
    }
  }
  CHECK_THROWS_AS(store::peekSchemaVersion(location), core::UsageError);
  CHECK_FALSE(std::filesystem::exists(location));
  // A path with '=' that libpq does not read as its keywords is a file like any other.
  TempDir dir;
  const std::string odd = dir.file("release=2018.db");
  CHECK(store::openStore(odd, store::OpenMode::Create)->schemaVersion() == store::kSchemaVersion);
  CHECK(std::filesystem::exists(odd));
}

TEST_CASE("incident keys find what was added, keep the first id, and tell length-prefixed keys apart") {
  store::IncidentKeys keys;
  CHECK_FALSE(keys.find("a", "seizure", "2017").has_value());
  keys.add("a", "seizure", "2017", 7);
  keys.add("a", "seizure", "2017", 9);
  CHECK(keys.find("a", "seizure", "2017") == std::optional<core::RecordId>(7));
  CHECK(keys.size() == 1);
  // The same bytes split differently are different keys.
  CHECK_FALSE(keys.find("as", "eizure", "2017").has_value());
  CHECK_FALSE(keys.find("a", "seizure2", "017").has_value());
  keys.add("", "", "", 3);
  CHECK(keys.find("", "", "") == std::optional<core::RecordId>(3));
  keys.clear();
  CHECK(keys.size() == 0);
  CHECK_FALSE(keys.find("a", "seizure", "2017").has_value());
}

TEST_CASE("the border cache reads the lines once, until it is told to forget them") {
  int reads = 0;
  std::vector<std::string> stored;
  store::BorderCache cache([&] {
    ++reads;
    return stored;
  });
  CHECK(reads == 0);
  // No line in the database: no distance, and the empty answer is kept too.
  CHECK_FALSE(cache.km("POINT(124.5 41)").has_value());
  CHECK(cache.lines() == nullptr);
  CHECK(reads == 1);
  stored = {"LINESTRING(124 40, 125 40)"};
  CHECK_FALSE(cache.km("POINT(124.5 41)").has_value());
  cache.forget();
  const auto plain = cache.km("POINT(124.5 41)");
  REQUIRE(plain.has_value());
  CHECK(reads == 2);
  // A point in plain decimals and the same point as other WKT measure alike.
  const auto general = cache.km("POINT (124.50 41.0)");
  REQUIRE(general.has_value());
  CHECK(*general == doctest::Approx(*plain).epsilon(1e-12));
  CHECK(*plain == doctest::Approx(111.05).epsilon(1e-3));
  // Lines the store writes replace what was read, without reading again.
  cache.set({"LINESTRING(124 41, 125 41)"});
  CHECK(*cache.km("POINT(124.5 41)") == doctest::Approx(0).epsilon(1e-9));
  cache.set({});
  CHECK(cache.lines() == nullptr);
  CHECK(reads == 2);
}
