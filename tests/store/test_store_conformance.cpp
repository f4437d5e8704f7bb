// The store conformance suite: the same records written through the Store contract into a
// SpatiaLite file and a PostGIS database must read back identically, row for row and in the same
// order, under every filter. Every case needs BORDERLENS_TEST_PG (tools/test starts a throwaway
// server); without it the case exits 77, which ctest reports as skipped.
#include "core/errors.h"
#include "store/postgis/local_spatialite.h"
#include "store/postgis/pg_connection.h"
#include "store/postgis/pg_schema.h"
#include "store/postgis/pg_store.h"
#include "store/store.h"
#include "store/store_describe.h"
#include "store/test_copy_support.h"
#include "support/fixture.h"
#include "support/printers.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <sstream>
#include <thread>

using namespace borderlens;
using namespace borderlens::test;
using test::FixtureIds;
using test::TempDir;

namespace {


std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::string rounds(store::Store& db) {
  std::string out;
  db.forEachRound([&](const store::RoundRow& row) {
    out += row.round.id + " | " + row.round.authority + " | " + row.round.date.toString() + " | " +
           row.round.label + " | " + row.round.legalBasis + " | " + ids(row.round.sourceIds) +
           " | " + std::to_string(row.designations) + "\n";
    return true;
  });
  return out;
}

std::string stats(store::Store& db) {
  const store::Stats s = db.stats();
  std::ostringstream out;
  const auto map = [&](const char* name, const std::map<std::string, std::int64_t>& values) {
    out << name << ":";
    for (const auto& [key, value] : values) out << " " << key << "=" << value;
    out << "\n";
  };
  out << "schema " << s.schemaVersion << " entities " << s.entities << " names " << s.names
      << " identifiers " << s.identifiers << " locations " << s.locations << " designations "
      << s.designations << " rounds " << s.rounds << " incidents " << s.incidents << " sources "
      << s.sources << " entity links " << s.entityLinks << " incident links " << s.incidentLinks
      << " unlocated " << s.unlocatedEntities << " unsourced " << s.recordsWithoutSource
      << " batches " << s.importBatches << " border " << s.hasBorder << "\n";
  map("entities by kind", s.entitiesByKind);
  map("names by script", s.namesByScript);
  map("designations by authority", s.designationsByAuthority);
  map("incidents by kind", s.incidentsByKind);
  if (s.extent) {
    out << "extent " << number(s.extent->west) << " " << number(s.extent->south) << " "
        << number(s.extent->east) << " " << number(s.extent->north) << "\n";
  }
  return out.str();
}

std::string dump(store::Store& db) {
  std::string out;
  for (const auto& table : store::dumpTables()) {
    out += "== " + table.name + "\n";
    db.forEachDumpRow(table, [&](const store::DumpRow& row) {
      for (const auto& value : row) out += describe(value) + " ";
      out += "\n";
      return true;
    });
  }
  return out;
}

std::string digests(store::Store& db) {
  std::string out;
  for (const auto& d : db.entityDigests()) {
    out += std::to_string(d.id) + " " + core::nameOf(d.kind) + ":";
    for (const auto& n : d.names) out += " [" + n.text + "|" + core::nameOf(n.script) + "|" + n.language + "|" + (n.primary ? "p" : "") + "|" + n.quality + "]";
    for (const auto& i : d.identifiers) out += " " + i.scheme + "=" + i.value;
    for (const auto& c : d.countries) out += " @" + c;
    out += "\n";
  }
  return out;
}

std::string links(store::Store& db, store::FeatureType type, core::RecordId id) {
  std::string out;
  for (const auto& l : db.linksOf(type, id)) {
    out += std::string(store::nameOf(l.type)) + " " + std::to_string(l.id) + " " + l.name + " | " +
           l.relation + " | " + text(l.lon) + " " + text(l.lat) + "\n";
  }
  return out;
}

// Every read of the contract, over the whole database: what must be equal between backends.
std::string everything(store::Store& db) {
  std::string out = stats(db) + rounds(db) + digests(db) + features(db, {}) + dump(db);
  const store::Stats s = db.stats();
  for (core::RecordId id = 1; id <= s.entities + 1; ++id) {
    out += describe(db.entity(id));
    for (const auto& d : db.designationsOf(id)) out += describe(d);
    out += links(db, store::FeatureType::Entity, id);
  }
  for (core::RecordId id = 1; id <= s.incidents + 1; ++id) {
    out += describe(db.incident(id));
    out += links(db, store::FeatureType::Incident, id);
  }
  for (core::RecordId id = 1; id <= s.sources + 1; ++id) {
    const auto source = db.source(id);
    out += source ? source->publisher + "|" + source->title + "|" + source->published + "|" +
                        source->url + "|" + source->file + "|" + source->sha256 + "\n"
                  : "no source\n";
  }
  for (const auto& authority : {"UN", "OFAC", "EU", "nobody"}) {
    for (const auto& row : db.designationsByAuthority(authority)) {
      out += describe(row.designation) + " last listed " + row.lastListed + "\n";
    }
  }
  return out;
}

// One SpatiaLite file and one PostGIS database, written alike.
struct Backends {
  TempDir dir;
  test::PgTestDatabase pgDatabase{test::pgServerOrSkip()};
  std::unique_ptr<store::Store> lite = store::openStore(dir.file("conformance.db"),
                                                        store::OpenMode::Create);
  std::unique_ptr<store::Store> pg = store::openStore(pgDatabase.location(),
                                                      store::OpenMode::Create);

  template <typename Write>
  void both(const Write& write) {
    write(*lite);
    write(*pg);
  }
};

struct FixtureBackends : Backends {
  FixtureIds liteIds = test::fillFixture(*lite);
  FixtureIds pgIds = test::fillFixture(*pg);
};

std::int32_t day(int y, unsigned m, unsigned d) { return core::Date::ymd(y, m, d).firstDay(); }

// Filters over the fixture: every member alone, and in combination.
std::vector<std::pair<std::string, store::FilterSpec>> fixtureFilters() {
  std::vector<std::pair<std::string, store::FilterSpec>> list;
  const auto add = [&](const std::string& name, const std::function<void(store::FilterSpec&)>& set) {
    store::FilterSpec filter;
    set(filter);
    list.emplace_back(name, filter);
  };
  add("nothing", [](store::FilterSpec&) {});
  add("bbox", [](store::FilterSpec& f) { f.bbox = geo::BBox{124.2, 39.9, 124.6, 40.2}; });
  add("bbox clipping a polygon", [](store::FilterSpec& f) { f.bbox = geo::BBox{124.4, 39.5, 124.45, 39.55}; });
  add("window", [](store::FilterSpec& f) { f.window = {day(2018, 1, 5), day(2018, 2, 15)}; });
  add("window from", [](store::FilterSpec& f) { f.window = {day(2018, 1, 10), std::nullopt}; });
  add("window to", [](store::FilterSpec& f) { f.window = {std::nullopt, day(2017, 12, 20)}; });
  add("window one day", [](store::FilterSpec& f) { f.window = {day(2018, 1, 1), day(2018, 1, 1)}; });
  add("window late", [](store::FilterSpec& f) { f.window = {day(2020, 12, 1), day(2020, 12, 31)}; });
  add("rounds", [](store::FilterSpec& f) { f.rounds = {"UN-2017-12-22", "UN-2018-03-30"}; });
  add("authorities", [](store::FilterSpec& f) { f.authorities = {"OFAC"}; });
  add("programs", [](store::FilterSpec& f) { f.programs = {"NPWMD", "UNSCR 1718"}; });
  add("program and authority on one designation", [](store::FilterSpec& f) {
    f.programs = {"DPRK2"};
    f.authorities = {"UN"};
  });
  add("entity kinds", [](store::FilterSpec& f) {
    f.entityKinds = {core::EntityKind::Vessel, core::EntityKind::Person};
  });
  add("incident kinds", [](store::FilterSpec& f) { f.incidentKinds = {"seizure", "office_closure"}; });
  add("both kinds", [](store::FilterSpec& f) {
    f.entityKinds = {core::EntityKind::Organization};
    f.incidentKinds = {"investigation"};
  });
  add("confidence", [](store::FilterSpec& f) { f.minConfidence = 0.7; });
  add("text", [](store::FilterSpec& f) { f.text = "fixture"; });
  add("near", [](store::FilterSpec& f) { f.near = store::FilterSpec::Near{124.3545, 40.0003, 12.5}; });
  add("near a polygon", [](store::FilterSpec& f) { f.near = store::FilterSpec::Near{124.6, 39.3, 20.0}; });
  add("border", [](store::FilterSpec& f) { f.borderKm = 3.0; });
  add("border wide", [](store::FilterSpec& f) { f.borderKm = 60.0; });
  add("round, window and bbox", [](store::FilterSpec& f) {
    f.rounds = {"UN-2017-12-22", "OFAC-2016-09-26"};
    f.window = {day(2017, 1, 1), day(2018, 12, 31)};
    f.bbox = geo::BBox{123.0, 39.0, 125.0, 42.0};
  });
  add("text, kinds and confidence", [](store::FilterSpec& f) {
    f.text = "fixture";
    f.incidentKinds = {"seizure", "ship_to_ship_transfer"};
    f.minConfidence = 0.8;
  });
  add("authorities, programs, window and near", [](store::FilterSpec& f) {
    f.authorities = {"OFAC", "UN"};
    f.programs = {"DPRK3", "DPRK2", "UNSCR 1718"};
    f.window = {day(2018, 1, 1), std::nullopt};
    f.near = store::FilterSpec::Near{124.38, 40.05, 40.0};
  });
  add("everything at once", [](store::FilterSpec& f) {
    f.bbox = geo::BBox{120, 35, 130, 45};
    f.window = {day(2015, 1, 1), day(2030, 1, 1)};
    f.rounds = {"OFAC-2016-09-26", "UN-2017-12-22"};
    f.authorities = {"OFAC", "UN"};
    f.programs = {"DPRK3", "UNSCR 1718"};
    f.entityKinds = {core::EntityKind::Organization, core::EntityKind::Person};
    f.incidentKinds = {"seizure", "office_closure"};
    f.minConfidence = 0.1;
    f.text = "fixture";
    f.near = store::FilterSpec::Near{124.0, 40.5, 400.0};
    f.borderKm = 500.0;
  });
  return list;
}

} // namespace

TEST_CASE("conformance: the fixture reads back the same through every read") {
  FixtureBackends b;
  CHECK(b.liteIds.closure == b.pgIds.closure);
  CHECK(b.liteIds.shenyangOffice == b.pgIds.shenyangOffice);
  const std::string lite = everything(*b.lite);
  CHECK(lite == everything(*b.pg));
  // The image is the fixture's, not two empty databases agreeing.
  CHECK(lines(features(*b.lite, {})) == 8);
  CHECK(lite.find("POLYGON((123.5 39, 124.5 39") != std::string::npos);
  CHECK(lite.find("丹东测试贸易有限公司") != std::string::npos);
  for (const auto& [scheme, value] :
       std::vector<std::pair<std::string, std::string>>{{"imo", "9000001"}, {"un", "KPi.900"},
                                                        {"ofac", "90001"}, {"imo", "1"}}) {
    CAPTURE(value);
    CHECK(b.lite->findEntityByIdentifier(scheme, value) ==
          b.pg->findEntityByIdentifier(scheme, value));
  }
  CHECK(b.pg->findEntityByIdentifier("imo", "9000001") == b.pgIds.fixtureStar);
  CHECK(b.pg->findIncident("fixture-2", "ship_to_ship_transfer", "2018-01") == b.pgIds.transfer);
  CHECK_FALSE(b.pg->findIncident("fixture-2", "ship_to_ship_transfer", "2018-02"));
  CHECK(b.pg->schemaVersion() == store::kSchemaVersion);
}

TEST_CASE("conformance: every filter alone and combined selects the same rows in the same order") {
  FixtureBackends b;
  std::set<std::size_t> sizes;
  for (const auto& [name, filter] : fixtureFilters()) {
    CAPTURE(name);
    const std::string lite = features(*b.lite, filter);
    CHECK(lite == features(*b.pg, filter));
    CHECK(features(*b.lite, filter, {false, 0}) == features(*b.pg, filter, {false, 0}));
    CHECK(features(*b.lite, filter, {true, 0, true}) == features(*b.pg, filter, {true, 0, true}));
    std::uint64_t incidents = 0;
    for (std::size_t at = 0; at < lite.size(); at = lite.find('\n', at) + 1) {
      if (lite.compare(at, 9, "incident ") == 0) ++incidents;
    }
    CHECK(b.lite->countIncidents(filter) == incidents);
    CHECK(b.pg->countIncidents(filter) == incidents);
    for (std::uint64_t limit : {1u, 3u, 5u}) {
      CHECK(features(*b.lite, filter, {false, limit}) == features(*b.pg, filter, {false, limit}));
    }
    sizes.insert(lines(lite));
  }
  // The filters select different subsets: neither backend is matching everything or nothing.
  CHECK(sizes.size() >= 6);
  CHECK(sizes.count(0) == 1);
  CHECK(sizes.count(8) == 1);
}

TEST_CASE("conformance: a box keeps what touches its edges and drops points a float's width outside") {
  Backends b;
  // PostGIS's index keeps boxes in floats, rounded outward (about 8e-6 degrees here): a point
  // 1e-9 outside passes the index's test, and the exact one must drop it.
  const std::vector<std::pair<std::string, std::string>> places{
      {"inside", "POINT(124.2 40.2)"},
      {"on the west edge", "POINT(124.1 40.2)"},
      {"on the north-east corner", "POINT(124.3 40.3)"},
      {"a hair west", "POINT(124.099999999 40.2)"},
      {"a hair north", "POINT(124.2 40.300000001)"},
      {"polygon across the east edge", "POLYGON((124.25 40.15, 124.4 40.15, 124.4 40.25, 124.25 40.15))"},
      {"triangle beside the box, its bounds over it",
       "POLYGON((124.2 40.0, 124.5 40.0, 124.5 40.25, 124.2 40.0))"},
      {"line touching the south edge", "LINESTRING(124.0 39.9, 124.2 40.1)"},
  };
  b.both([&](store::Store& db) {
    store::Transaction transaction(db);
    for (const auto& [title, wkt] : places) {
      core::Incident incident;
      incident.kind = "seizure";
      incident.title = title;
      incident.span = {core::Date::y(2020), std::nullopt};
      incident.wkt = wkt;
      db.addIncident(incident);
    }
    transaction.commit();
  });
  store::FilterSpec filter;
  filter.bbox = geo::BBox{124.1, 40.1, 124.3, 40.3};
  const auto titles = [&](store::Store& db) {
    std::vector<std::string> out;
    db.forEachFeature(filter, {false, 0}, [&](const store::FeatureRow& row) {
      out.push_back(row.name);
      return true;
    });
    return out;
  };
  const std::vector<std::string> expected{"inside", "on the west edge", "on the north-east corner",
                                          "polygon across the east edge", "line touching the south edge"};
  CHECK(titles(*b.lite) == expected);
  CHECK(titles(*b.pg) == expected);
  CHECK(b.lite->countIncidents(filter) == expected.size());
  CHECK(b.pg->countIncidents(filter) == expected.size());
}

TEST_CASE("conformance: a stream stopped by its callback stops at the same row") {
  FixtureBackends b;
  for (std::size_t stop : {1u, 4u, 5u, 8u}) {
    std::string lite, pg;
    std::size_t seen = 0;
    b.lite->forEachFeature({}, {}, [&](const store::FeatureRow& row) {
      lite += describe(row);
      return ++seen < stop;
    });
    seen = 0;
    b.pg->forEachFeature({}, {}, [&](const store::FeatureRow& row) {
      pg += describe(row);
      return ++seen < stop;
    });
    CHECK(lines(pg) == stop);
    CHECK(lite == pg);
  }
}

TEST_CASE("conformance: text search matches the same records in every script") {
  FixtureBackends b;
  const std::vector<std::string> queries{
      "丹东", "단둥", "dandong", "DANDONG", "Dand", "测试贸易", "박시험", "sinuiju", "Sinŭiju",
      "KPe.900", "9000001", "丹西", "fixture office", "office fixture", "dandong customs",
      "customs dandong", "fix", "co", "ship-to-ship", "ship to", "to ship", "测", "시험무역",
      "dandong\" OR \"", "x' OR '1'='1", "NEAR(dandong fixture)", "dandong*", "-dandong",
      "dandong AND NOT fixture", "col:dandong", "'; DROP TABLE entities; --", "™", "™ dandong",
      "Fixture™", "ＦＩＸＴＵＲＥ", "é", "90002"};
  std::set<std::size_t> sizes;
  for (const auto& query : queries) {
    CAPTURE(query);
    store::FilterSpec filter;
    filter.text = query;
    const std::string lite = features(*b.lite, filter);
    CHECK(lite == features(*b.pg, filter));
    sizes.insert(lines(lite));
  }
  CHECK(sizes.size() >= 4);
  store::FilterSpec filter;
  filter.text = "丹东";
  CHECK(lines(features(*b.pg, filter)) == 2);  // the trading company and the Dandong incident
  filter.text = "sinuiju";
  CHECK(lines(features(*b.pg, filter)) == 1);
  for (const char* nothing : {"***", "\"", "'", "()"}) {
    filter.text = nothing;
    CHECK_THROWS_AS(features(*b.lite, filter), core::UsageError);
    CHECK_THROWS_AS(features(*b.pg, filter), core::UsageError);
  }
  CHECK(b.pg->stats().entities == 4);
}

namespace {

// A deterministic mixed dataset: many entities and incidents with points, multipoints, lines,
// polygons (with holes) and multipolygons, dates of every precision, links, rounds and programs.
class Generator {
 public:
  explicit Generator(unsigned seed) : m_random(seed) {}

  double uniform(double from, double to) {
    return std::uniform_real_distribution<double>(from, to)(m_random);
  }
  int pick(int from, int to) { return std::uniform_int_distribution<int>(from, to)(m_random); }
  bool chance(double p) { return uniform(0, 1) < p; }
  template <typename T>
  const T& oneOf(const std::vector<T>& values) {
    return values[static_cast<std::size_t>(pick(0, static_cast<int>(values.size()) - 1))];
  }

  std::string coordinate(double lon, double lat) {
    char text[64];
    std::snprintf(text, sizeof text, "%.7f %.7f", lon, lat);
    return text;
  }

  std::string box(double lon, double lat, double w, double h) {
    return "(" + coordinate(lon, lat) + ", " + coordinate(lon + w, lat) + ", " +
           coordinate(lon + w, lat + h) + ", " + coordinate(lon, lat + h) + ", " +
           coordinate(lon, lat) + ")";
  }

  std::string geometry() {
    const double lon = uniform(121.0, 131.0);
    const double lat = uniform(38.0, 44.0);
    switch (pick(0, 6)) {
      case 0:
      case 1: return "POINT(" + coordinate(lon, lat) + ")";
      case 2:
        return "MULTIPOINT(" + coordinate(lon, lat) + ", " +
               coordinate(lon + uniform(0.01, 0.5), lat + uniform(-0.3, 0.3)) + ")";
      case 3:
        return "LINESTRING(" + coordinate(lon, lat) + ", " +
               coordinate(lon + uniform(0.05, 1.0), lat + uniform(-0.5, 0.5)) + ", " +
               coordinate(lon + uniform(1.1, 2.0), lat + uniform(-0.5, 0.5)) + ")";
      case 4: {
        const double w = uniform(0.05, 1.5);
        const double h = uniform(0.05, 1.0);
        return "POLYGON(" + box(lon, lat, w, h) + ", " +
               box(lon + w / 4, lat + h / 4, w / 2, h / 2) + ")";
      }
      case 5:
        // A concave L: its centroid lies outside it, a point on its surface inside.
        return "POLYGON((" + coordinate(lon, lat) + ", " + coordinate(lon + 1, lat) + ", " +
               coordinate(lon + 1, lat + 0.2) + ", " + coordinate(lon + 0.2, lat + 0.2) + ", " +
               coordinate(lon + 0.2, lat + 1) + ", " + coordinate(lon, lat + 1) + ", " +
               coordinate(lon, lat) + "))";
      default:
        return "MULTIPOLYGON((" + box(lon, lat, 0.2, 0.2) + "), (" +
               box(lon + 0.5, lat + 0.5, 0.3, 0.1) + "))";
    }
  }

  core::Date date() {
    const int year = pick(2012, 2024);
    const unsigned month = static_cast<unsigned>(pick(1, 12));
    switch (pick(0, 2)) {
      case 0: return core::Date::y(year);
      case 1: return core::Date::ym(year, month);
      default: return core::Date::ymd(year, month, static_cast<unsigned>(pick(1, 28)));
    }
  }

  std::string name() {
    static const std::vector<std::string> latin{"Dandong", "Sinuiju", "Hyesan", "Changbai",
                                                "Ji'an", "Linjiang", "Hunchun", "Rason",
                                                "Trading", "Shipping", "Ocean", "Star", "Sŏngch'ŏn"};
    static const std::vector<std::string> han{"丹东", "新义州", "惠山", "长白", "集安", "贸易", "海运"};
    static const std::vector<std::string> hangul{"단둥", "신의주", "혜산", "무역", "해운"};
    switch (pick(0, 2)) {
      case 0: return oneOf(latin) + " " + oneOf(latin) + " " + std::to_string(pick(1, 99));
      case 1: return oneOf(han) + oneOf(han) + "公司";
      default: return oneOf(hangul) + oneOf(hangul) + "회사";
    }
  }

 private:
  std::mt19937 m_random;
};

const std::vector<std::string> kAuthorities{"UN", "OFAC", "EU"};
const std::vector<std::string> kPrograms{"DPRK", "DPRK2", "DPRK3", "NPWMD", "UNSCR 1718", "EU-A"};
const std::vector<std::string> kRoundIds{"UN-2016-11-30", "UN-2017-12-22", "OFAC-2018-02-23",
                                         "EU-2017-10-16", "OFAC-2016-09-26"};

// Returns what the reads made during the import said: recognising incidents met again, and
// reading back records written in the same transaction.
std::string fillGenerated(store::Store& db, unsigned seed) {
  std::string log;
  Generator g(seed);
  store::Transaction transaction(db);
  db.setBorder({"LINESTRING(124.3 39.9, 124.6 40.3, 125.5 40.8, 126.5 41.5, 128.0 41.9, "
                "129.5 42.4, 130.6 42.4)"});
  const core::RecordId src = db.addSource({0, "borderlens conformance test", "generated records",
                                           "2026-11-28", "", "", ""});
  for (const auto& id : kRoundIds) {
    const auto dash = id.find('-');
    const auto date = core::Date::parse(id.substr(dash + 1)).value();
    db.upsertRound({id, id.substr(0, dash), date, id + " (generated)", "", {src}});
  }
  std::vector<core::RecordId> entities;
  for (int i = 0; i < 60; ++i) {
    core::Entity e;
    e.kind = core::allEntityKinds()[static_cast<std::size_t>(g.pick(0, 3))];
    const int names = g.pick(1, 3);
    for (int n = 0; n < names; ++n) {
      const std::string text = g.name();
      e.names.push_back({text, core::detectScript(text), "", n == 0, ""});
    }
    e.identifiers.push_back({core::scheme::kUnReference, "KP" + std::to_string(1000 + i)});
    if (g.chance(0.5)) e.identifiers.push_back({core::scheme::kImo, std::to_string(9100000 + i)});
    const int locations = g.pick(0, 2);
    for (int l = 0; l < locations; ++l) {
      e.locations.push_back({0, g.geometry(), core::Precision::City, g.name(), g.chance(0.5) ? "cn" : "kp"});
    }
    if (g.chance(0.9)) e.sourceIds = {src};
    const core::RecordId id = db.addEntity(e);
    entities.push_back(id);
    const int designations = g.pick(0, 3);
    for (int d = 0; d < designations; ++d) {
      core::Designation des;
      des.entityId = id;
      des.authority = g.oneOf(kAuthorities);
      des.reference = "REF-" + std::to_string(i) + "-" + std::to_string(d);
      if (g.chance(0.9)) des.listed = g.date();
      if (g.chance(0.3)) des.delisted = g.date();
      if (g.chance(0.7)) des.roundId = g.oneOf(kRoundIds);
      const int programs = g.pick(0, 2);
      for (int p = 0; p < programs; ++p) des.programs.push_back(g.oneOf(kPrograms));
      des.sourceIds = {src};
      db.addDesignation(des);
    }
  }
  std::vector<std::tuple<std::string, std::string, core::Date>> keys;
  for (int i = 0; i < 240; ++i) {
    core::Incident incident;
    incident.externalId = "gen-" + std::to_string(i % 200);
    incident.kind = g.oneOf(core::incidentKinds());
    incident.title = "Generated " + g.name();
    core::Date start = g.date();
    if (!keys.empty() && g.chance(0.2)) {
      // The same report again, as an overlapping file brings it.
      std::tie(incident.externalId, incident.kind, start) =
          keys[static_cast<std::size_t>(g.pick(0, static_cast<int>(keys.size()) - 1))];
    }
    keys.emplace_back(incident.externalId, incident.kind, start);
    incident.span = {start, std::nullopt};
    if (g.chance(0.3)) {
      const core::Date end = g.date();
      if (end.lastDay() >= start.firstDay()) incident.span.end = end;
    }
    incident.wkt = g.geometry();
    incident.precision = g.chance(0.5) ? core::Precision::Exact : core::Precision::Region;
    incident.place = g.name();
    incident.description = g.chance(0.5) ? "reported " + g.name() : "";
    incident.confidence = std::round(g.uniform(0, 1) * 20) / 20;
    if (g.chance(0.9)) incident.sourceIds = {src};
    const auto known = db.findIncident(incident.externalId, incident.kind, start.toString());
    log += incident.externalId + " " + incident.kind + " " + start.toString() + " -> " +
           text(known) + "\n";
    if (known && g.chance(0.5)) {
      db.addRecordSources("incident", *known, {src});
      continue;
    }
    const core::RecordId id = db.addIncident(incident);
    const int linked = g.pick(0, 2);
    for (int l = 0; l < linked; ++l) {
      db.addIncidentLink({id, entities[static_cast<std::size_t>(g.pick(0, 59))],
                          g.chance(0.5) ? "vessel" : "subject"});
    }
    if (i % 60 == 59) {
      // Reads in the middle of the transaction see everything written so far.
      log += describe(db.incident(id)) + links(db, store::FeatureType::Incident, id);
      store::FilterSpec recent;
      recent.text = "generated";
      log += std::to_string(lines(features(db, recent))) + " found\n";
    }
  }
  for (int i = 0; i < 30; ++i) {
    db.addEntityLink({entities[static_cast<std::size_t>(g.pick(0, 59))],
                      entities[static_cast<std::size_t>(g.pick(0, 59))], "linked to", {src}});
  }
  transaction.commit();
  return log;
}

store::FilterSpec randomFilter(Generator& g) {
  store::FilterSpec f;
  if (g.chance(0.25)) {
    const double west = g.uniform(120, 131);
    const double south = g.uniform(37, 44);
    f.bbox = geo::BBox{west, south, west + g.uniform(0.1, 5), south + g.uniform(0.1, 4)};
  }
  if (g.chance(0.3)) {
    if (g.chance(0.7)) f.window.from = g.date().firstDay();
    if (g.chance(0.7)) f.window.to = g.date().lastDay();
  }
  if (g.chance(0.2)) f.rounds = {g.oneOf(kRoundIds), g.oneOf(kRoundIds)};
  if (g.chance(0.2)) f.authorities = {g.oneOf(kAuthorities)};
  if (g.chance(0.2)) f.programs = {g.oneOf(kPrograms), g.oneOf(kPrograms)};
  if (g.chance(0.15)) f.entityKinds = {core::allEntityKinds()[static_cast<std::size_t>(g.pick(0, 3))]};
  if (g.chance(0.15)) f.incidentKinds = {g.oneOf(core::incidentKinds())};
  if (g.chance(0.2)) f.minConfidence = g.uniform(0, 1);
  if (g.chance(0.2)) {
    static const std::vector<std::string> words{"dandong", "丹东", "단둥", "trading 5", "sinu",
                                                "generated", "shipping", "公司", "회사", "ji an",
                                                "songch", "kp1010", "91000"};
    f.text = g.oneOf(words);
  }
  if (g.chance(0.25)) {
    f.near = store::FilterSpec::Near{g.uniform(121, 131), g.uniform(38, 44), g.uniform(1, 250)};
  }
  if (g.chance(0.2)) f.borderKm = g.uniform(1, 200);
  return f;
}

} // namespace

TEST_CASE("conformance: a generated dataset of mixed geometries agrees under random filters") {
  Backends b;
  const std::string log = fillGenerated(*b.lite, 1718);
  CHECK(log == fillGenerated(*b.pg, 1718));
  CHECK(log.find("-> -") != std::string::npos);
  CHECK(log.find("-> 1") != std::string::npos);  // incidents met again
  CHECK(everything(*b.lite) == everything(*b.pg));
  Generator g(2397);
  std::set<std::size_t> sizes;
  for (int i = 0; i < 150; ++i) {
    const store::FilterSpec filter = randomFilter(g);
    CAPTURE(i);
    const std::string lite = features(*b.lite, filter);
    CHECK(lite == features(*b.pg, filter));
    sizes.insert(lines(lite));
  }
  CHECK(sizes.size() > 20);
}

// The parts of a query, each read by its own reader of one shared snapshot, joined in order.
std::string featuresInParts(const std::vector<std::unique_ptr<store::Store>>& readers,
                            const store::FilterSpec& filter,
                            std::vector<std::size_t>* partLines = nullptr) {
  const auto parts = static_cast<unsigned>(readers.size());
  std::string out;
  for (unsigned k = 0; k < parts; ++k) {
    store::QueryOptions options{true, 0};
    options.part = k;
    options.parts = parts;
    const std::string part = features(*readers[k], filter, options);
    if (partLines) partLines->push_back(lines(part));
    out += part;
  }
  return out;
}

core::Incident otherIncident(const std::string& title) {
  core::Incident incident;
  incident.kind = "other";
  incident.title = title;
  incident.span = {core::Date::y(2022), std::nullopt};
  incident.wkt = "POINT(124.4 40.0)";
  return incident;
}

TEST_CASE("conformance: a query read in parts by readers of one snapshot adds up to the whole") {
  Backends b;
  b.both([](store::Store& db) { fillGenerated(db, 1718); });
  for (store::Store* db : {b.lite.get(), b.pg.get()}) {
    CAPTURE(db->location());
    std::vector<std::vector<std::unique_ptr<store::Store>>> readerSets;
    for (unsigned parts : {2u, 3u, 7u}) {
      readerSets.push_back(db->snapshotReaders(parts));
      REQUIRE(readerSets.back().size() == parts);
    }
    Generator g(2375);
    std::set<std::size_t> sizes;
    for (int i = 0; i < 60; ++i) {
      const store::FilterSpec filter = i == 0 ? store::FilterSpec{} : randomFilter(g);
      CAPTURE(i);
      const std::string whole = features(*db, filter);
      for (const auto& readers : readerSets) {
        CAPTURE(readers.size());
        CHECK(featuresInParts(readers, filter) == whole);
      }
      sizes.insert(lines(whole));
    }
    CHECK(sizes.size() > 10);
    // The parts share the rows out: a third of the incidents in each (the generator numbers its
    // incidents evenly), and the entities in the first only.
    store::FilterSpec incidentsOnly;
    incidentsOnly.incidentKinds = core::incidentKinds();
    std::vector<std::size_t> partLines;
    const std::string all = featuresInParts(readerSets[1], incidentsOnly, &partLines);
    for (std::size_t count : partLines) {
      CHECK(count * 4 > lines(all));
      CHECK(count * 2 < lines(all));
    }
    store::FilterSpec entitiesOnly;
    entitiesOnly.entityKinds = core::allEntityKinds();
    partLines.clear();
    CHECK(featuresInParts(readerSets[1], entitiesOnly, &partLines) == features(*db, entitiesOnly));
    CHECK(partLines == std::vector<std::size_t>{lines(features(*db, entitiesOnly)), 0, 0});
  }
}

TEST_CASE("conformance: readers of one snapshot see nothing committed after they were opened") {
  FixtureBackends b;
  for (store::Store* db : {b.lite.get(), b.pg.get()}) {
    CAPTURE(db->location());
    const std::string before = features(*db, {});
    const auto readers = db->snapshotReaders(2);
    REQUIRE(readers.size() == 2);
    store::Transaction transaction(*db);
    db->addIncident(otherIncident("committed after the readers opened"));
    // Inside a transaction of its own, a store hands out no readers: they could not see it.
    CHECK(db->snapshotReaders(2).empty());
    transaction.commit();
    CHECK(featuresInParts(readers, {}) == before);
    CHECK(features(*db, {}).find("committed after the readers opened") != std::string::npos);
  }
}

TEST_CASE("conformance: readers handed out while a writer commits all see the same commit") {
  Backends b;
  const std::vector<std::pair<store::Store*, std::string>> stores{
      {b.lite.get(), b.dir.file("conformance.db")}, {b.pg.get(), b.pgDatabase.location()}};
  for (const auto& [db, location] : stores) {
    CAPTURE(db->location());
    std::atomic<bool> done{false};
    std::atomic<int> commits{0};
    std::thread writer([&, location = location] {
      auto w = store::openStore(location, store::OpenMode::ReadWrite);
      while (!done) {
        store::Transaction transaction(*w);
        w->addIncident(otherIncident("one of many small commits"));
        transaction.commit();
        ++commits;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
    // The loop runs until the writer has committed many times during it, however fast or slow
    // this machine is, so the readers are surely handed out between commits. On SQLite a constant
    // writer makes many hand-outs give up (see snapshotReaders), so ten are enough.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (commits == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    const int commitsBefore = commits;
    int handedOut = 0;
    std::set<std::uint64_t> seen;
    while ((handedOut < 10 || commits - commitsBefore < 20) && std::chrono::steady_clock::now() < deadline) {
      const auto readers = db->snapshotReaders(3);
      if (readers.empty()) continue;
      ++handedOut;
      std::set<std::uint64_t> counts;
      for (const auto& reader : readers) counts.insert(reader->countIncidents({}));
      CHECK(counts.size() == 1);
      seen.insert(counts.begin(), counts.end());
    }
    done = true;
    writer.join();
    CHECK(commits - commitsBefore >= 20);
    CHECK(handedOut >= 10);
    // Sets of readers handed out at different commits saw different counts.
    CHECK(seen.size() > 1);
  }
}

TEST_CASE("conformance: merging writes change both databases alike") {
  FixtureBackends b;
  b.both([](store::Store& db) {
    store::Transaction transaction(db);
    const core::RecordId again = db.addSource(
        {0, "borderlens test fixture", "hand-written test records", "2026-11-28", "", "", ""});
    CHECK(again == 1);
    const core::RecordId other = db.addSource({0, "borderlens test fixture", "a second list",
                                               "2027-01-02", "https://example.org/" + std::string(3000, 'x'),
                                               "list.xml", "ab"});
    core::Entity more;
    more.kind = core::EntityKind::Vessel;  // the stored kind stays
    more.names = {{"DANDONG FIXTURE TRADING", core::Script::Latin, "en", false, "a.k.a."},
                  {"Dandong Fixture Trading Co", core::Script::Latin, "en", true, ""}};
    more.identifiers = {{"imo", "9000777"}, {"ofac", "90001"}};
    more.locations = {{0, "POINT(124.3545 40.0003)", core::Precision::City, "Dandong, Liaoning", "cn"},
                      {0, "POINT(124.5 40.2)", core::Precision::Street, "a second office", "cn"}};
    more.notes = "seen again";
    more.firstSeen = core::Date::ym(2015, 3);
    more.lastSeen = core::Date::y(2027);
    more.sourceIds = {other};
    db.extendEntity(1, more);

    auto designations = db.designationsOf(2);
    REQUIRE(designations.size() == 2);
    core::Designation d = designations[1];
    d.delisted = core::Date::ymd(2021, 6, 30);
    d.roundId = "UN-2018-03-30";
    d.programs = {"DPRK3", "A, with a comma"};
    d.sourceIds = {other};
    db.updateDesignation(d);

    db.upsertRound({"UN-2018-03-30", "UN", core::Date::ymd(2018, 3, 30), "", "res. 2397", {other}});
    db.upsertRound({"EU-2019-01-01", "EU", core::Date::ymd(2019, 1, 1), "EU 2019", "", {}});
    db.addEntityLink({2, 1, "linked to", {other}});
    db.addEntityLink({1, 3, "owner of", {}});
    db.addRecordSources("incident", 2, {other, 1});
    db.addRecordSources("entity", 4, {other});
    db.addIncidentLink({1, 1, "subject"});
    db.addIncidentLink({3, 3, "vessel"});
    const core::RecordId batch =
        db.addImportBatch({0, "list.xml", "ab", "un_xml", "2026-11-28T10:00:00Z", "", "{}"});
    CHECK(batch == 1);
    transaction.commit();
  });
  CHECK(b.pg->findImportBatch("ab")->file == "list.xml");
  CHECK_FALSE(b.pg->findImportBatch("cd"));
  const std::string lite = everything(*b.lite);
  CHECK(lite == everything(*b.pg));
  CHECK(lite.find("9000777") != std::string::npos);
  CHECK(lite.find("[A, with a comma]") != std::string::npos);
  CHECK(lite.find("res. 2397") != std::string::npos);
  // A border set after the records measures every stored geometry again, alike.
  b.both([](store::Store& db) {
    store::Transaction transaction(db);
    db.setBorder({"LINESTRING(124.0 39.5, 124.5 40.5)", "LINESTRING(123.0 41.0, 124.0 42.0)"});
    transaction.commit();
  });
  CHECK(everything(*b.lite) == everything(*b.pg));
  b.both([](store::Store& db) { db.setBorder({}); });
  CHECK(features(*b.lite, {}) == features(*b.pg, {}));
  CHECK_FALSE(b.pg->stats().hasBorder);
}

TEST_CASE("conformance: refused records leave the transaction usable, and rollback undoes all") {
  FixtureBackends b;
  const std::string before = everything(*b.pg);
  CHECK(before == everything(*b.lite));
  b.both([](store::Store& db) {
    store::Transaction transaction(db);
    core::Incident good;
    good.kind = "seizure";
    good.title = "good";
    good.span = {core::Date::y(2020), std::nullopt};
    good.wkt = "POINT(124 40)";
    db.addIncident(good);
    core::Incident bad = good;
    for (const char* wkt : {"POINT(200 40)", "POINT(nan 40)", "POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))",
                            "not wkt", "POINT EMPTY", "LINESTRING(1 1, 1 1)"}) {
      CAPTURE(wkt);
      bad.wkt = wkt;
      CHECK_THROWS_AS(db.addIncident(bad), core::InputRejected);
    }
    bad.wkt = "POINT(124 40)";
    bad.confidence = 1.5;
    CHECK_THROWS_AS(db.addIncident(bad), core::InputRejected);
    bad.confidence = 0.5;
    bad.span = {core::Date::y(2020), core::Date::y(2019)};
    CHECK_THROWS_AS(db.addIncident(bad), core::InputRejected);
    core::Entity nameless;
    CHECK_THROWS_AS(db.addEntity(nameless), core::InputRejected);
    // The transaction goes on after each refusal (on PostgreSQL: nothing reached the server).
    good.title = "good again";
    db.addIncident(good);
    transaction.commit();
  });
  const std::string committed = everything(*b.pg);
  CHECK(committed == everything(*b.lite));
  CHECK(b.pg->stats().incidents == 6);
  b.both([](store::Store& db) {
    store::Transaction transaction(db);
    core::Incident extra;
    extra.kind = "other";
    extra.title = "rolled back";
    extra.span = {core::Date::y(2021), std::nullopt};
    extra.wkt = "POINT(124.4 40.0)";
    db.addIncident(extra);
    core::Entity entity;
    entity.names = {{"Rolled Back Co", core::Script::Latin, "en", true, ""}};
    db.addEntity(entity);
    db.addSource({0, "rolled back", "", "", "", "", ""});
    db.upsertRound({"UN-2030-01-01", "UN", core::Date::ymd(2030, 1, 1), "future", "", {}});
  });  // destroyed without commit
  CHECK(everything(*b.pg) == committed);
  CHECK(everything(*b.lite) == committed);
  // Ids freed by the rollback are used again, on both.
  b.both([](store::Store& db) {
    core::Incident after;
    after.kind = "other";
    after.title = "after the rollback";
    after.span = {core::Date::y(2022), std::nullopt};
    after.wkt = "POINT(124.4 40.0)";
    CHECK(db.addIncident(after) == 7);
    CHECK(db.addSource({0, "after", "", "", "", "", ""}) == 2);
  });
  CHECK(everything(*b.lite) == everything(*b.pg));
}

TEST_CASE("conformance: dumps of both backends restore into the other one alike") {
  FixtureBackends b;
  b.both([](store::Store& db) { fillGenerated(db, 7); });
  const std::string original = everything(*b.lite);
  REQUIRE(original == everything(*b.pg));
  test::PgTestDatabase target(test::pgServerOrSkip());
  auto pgCopy = store::openStore(target.location(), store::OpenMode::Create);
  auto liteCopy = store::openStore(b.dir.file("copy.db"), store::OpenMode::Create);
  for (auto [from, to] : {std::pair{b.lite.get(), pgCopy.get()}, std::pair{b.pg.get(), liteCopy.get()}}) {
    store::Transaction transaction(*to);
    for (const auto& table : store::dumpTables()) {
      std::vector<store::DumpRow> rows;
      from->forEachDumpRow(table, [&](const store::DumpRow& row) {
        rows.push_back(row);
        if (rows.size() == 100) {
          to->restoreRows(table, rows);
          rows.clear();
        }
        return true;
      });
      to->restoreRows(table, rows);
    }
    to->finishRestore();
    transaction.commit();
  }
  CHECK(everything(*pgCopy) == original);
  CHECK(everything(*liteCopy) == original);
  store::FilterSpec search;
  search.text = "丹东";
  CHECK(features(*pgCopy, search) == features(*b.lite, search));
  // New records continue the copied ids on both.
  for (auto* db : {pgCopy.get(), liteCopy.get()}) {
    core::Incident next;
    next.kind = "other";
    next.title = "after the copy";
    next.span = {core::Date::y(2022), std::nullopt};
    next.wkt = "POINT(124.4 40.0)";
    CHECK(db->addIncident(next) == b.lite->stats().incidents + 1);
  }
}

namespace {

// Runs SQL on a test database, as someone with psql would.
void execSql(const std::string& location, const std::string& sql) {
  const std::string conninfo = store::postgis::conninfoOf(location);
  PGconn* connection = PQconnectdb(conninfo.c_str());
  REQUIRE(PQstatus(connection) == CONNECTION_OK);
  PGresult* result = PQexec(connection, sql.c_str());
  const auto status = PQresultStatus(result);
  const std::string why = PQerrorMessage(connection);
  PQclear(result);
  PQfinish(connection);
  INFO(why);
  REQUIRE((status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK));
}

// A new borderlens database on the test server, for tests that then work on it with SQL.
struct CreatedPgDatabase {
  CreatedPgDatabase() : database(test::pgServerOrSkip()), location(database.location()) {
    store::openStore(location, store::OpenMode::Create);
  }
  store::postgis::Connection connect() const {
    return store::postgis::Connection(store::postgis::conninfoOf(location), location);
  }

  test::PgTestDatabase database;
  std::string location;
};

} // namespace

TEST_CASE("postgis: opening checks the schema version and changes nothing it refuses") {
  const std::string server = test::pgServerOrSkip();
  test::PgTestDatabase database(server);
  const std::string location = database.location();
  SUBCASE("an empty database: read-only and read-write refuse, peek says 0, Create builds") {
    CHECK_THROWS_AS(store::openStore(location, store::OpenMode::ReadOnly), core::DatabaseUnavailable);
    CHECK_THROWS_AS(store::openStore(location, store::OpenMode::ReadWrite), core::DatabaseUnavailable);
    CHECK(store::peekSchemaVersion(location) == 0);
    auto db = store::openStore(location, store::OpenMode::Create);
    CHECK(db->schemaVersion() == store::kSchemaVersion);
    CHECK(store::peekSchemaVersion(location) == store::kSchemaVersion);
    // Opening again creates nothing new.
    auto again = store::openStore(location, store::OpenMode::Create);
    CHECK(again->stats().entities == 0);
  }
  SUBCASE("a newer schema is refused in every mode") {
    { store::openStore(location, store::OpenMode::Create); }
    execSql(location, "UPDATE meta SET value = '99' WHERE key = 'schema_version'");
    for (auto mode : {store::OpenMode::ReadOnly, store::OpenMode::ReadWrite, store::OpenMode::Create}) {
      CHECK_THROWS_AS(store::openStore(location, mode), core::SchemaMismatch);
    }
    CHECK(store::peekSchemaVersion(location) == 99);
  }
  SUBCASE("a database with other tables is not taken over") {
    execSql(location, "CREATE TABLE accounts(id int)");
    CHECK_THROWS_AS(store::openStore(location, store::OpenMode::Create), core::DatabaseUnavailable);
    CHECK_THROWS_AS(store::peekSchemaVersion(location), core::DatabaseUnavailable);
  }
  SUBCASE("a version-1 database is refused read-only, then migrated keeping its records") {
    {
      store::postgis::Connection connection(store::postgis::conninfoOf(location), location);
      store::postgis::LocalSpatialite local;
      store::postgis::migrate(connection, local, 1);
      CHECK(store::postgis::readSchemaVersion(connection) == 1);
      connection.command(
          "INSERT INTO entities(id, kind, primary_name) VALUES(1, 'organization', 'Dandong Old Co');"
          "INSERT INTO names(id, entity_id, text, script, is_primary) VALUES(1, 1, 'Dandong Old Co', "
          "'latin', 1), (2, 1, '丹东旧公司', 'han', 0);");
    }
    CHECK_THROWS_AS(store::openStore(location, store::OpenMode::ReadOnly), core::SchemaMismatch);
    auto db = store::openStore(location, store::OpenMode::ReadWrite);
    CHECK(db->schemaVersion() == store::kSchemaVersion);
    CHECK(db->stats().entities == 1);
    store::FilterSpec filter;
    filter.text = "丹东";
    CHECK(lines(features(*db, filter)) == 1);
    filter.text = "old";
    CHECK(lines(features(*db, filter)) == 1);
    // New ids continue after the rows written by hand.
    core::Entity next;
    next.names = {{"Next Co", core::Script::Latin, "en", true, ""}};
    CHECK(db->addEntity(next) == 2);
  }
  SUBCASE("a version-4 database is read as it is, read-only, and upgraded read-write") {
    {
      store::postgis::Connection connection(store::postgis::conninfoOf(location), location);
      store::postgis::LocalSpatialite local;
      store::postgis::migrate(connection, local, store::kOldestReadableSchemaVersion);
    }
    {
      auto reader = store::openStore(location, store::OpenMode::ReadOnly);
      CHECK(reader->schemaVersion() == store::kOldestReadableSchemaVersion);
      CHECK(reader->stats().incidents == 0);
    }
    CHECK(store::peekSchemaVersion(location) == store::kOldestReadableSchemaVersion);
    CHECK(store::openStore(location, store::OpenMode::ReadWrite)->schemaVersion() ==
          store::kSchemaVersion);
    CHECK(store::peekSchemaVersion(location) == store::kSchemaVersion);
  }
  SUBCASE("read-only never writes") {
    { test::fillFixture(*store::openStore(location, store::OpenMode::Create)); }
    auto db = store::openStore(location, store::OpenMode::ReadOnly);
    const std::string before = everything(*db);
    core::Entity entity;
    entity.names = {{"Written Anyway", core::Script::Latin, "en", true, ""}};
    CHECK_THROWS(db->addEntity(entity));
    CHECK_THROWS(db->addSource({0, "x", "y", "", "", "", ""}));
    CHECK_THROWS(db->setBorder({}));
    CHECK(everything(*store::openStore(location, store::OpenMode::ReadOnly)) == before);
  }
}

TEST_CASE("postgis: a first load builds the incident and text indexes at its commit") {
  const std::string server = test::pgServerOrSkip();
  test::PgTestDatabase database(server);
  const std::string location = database.location();
  const std::string conninfo = store::postgis::conninfoOf(location);
  const auto indexes = [&] {
    store::postgis::Connection connection(conninfo, location);
    return connection
        .query("SELECT coalesce(string_agg(indexname::text, ',' ORDER BY indexname), '') FROM pg_indexes "
               "WHERE schemaname = current_schema() AND tablename IN ('incidents', 'search')")
        .text(0, 0);
  };
  const std::string all = "incidents_geom,incidents_pkey,incidents_time,search_body";
  const auto incident = [](int i) {
    core::Incident made;
    made.externalId = "e" + std::to_string(i);
    made.kind = "seizure";
    made.title = "Seizure at Dandong " + std::to_string(i);
    made.span = {core::Date::ymd(2021, 3, 4), std::nullopt};
    made.wkt = "POINT(124.4 40.1)";
    return made;
  };
  auto db = store::openStore(location, store::OpenMode::Create);
  REQUIRE(indexes() == "incidents_pkey");

  SUBCASE("a rolled-back load leaves them to the next one") {
    {
      store::Transaction transaction(*db);
      for (int i = 0; i < 50; ++i) db->addIncident(incident(i));
    }
    CHECK(indexes() == "incidents_pkey");
    CHECK(db->stats().incidents == 0);
  }
  SUBCASE("a load without incidents or names builds none of them") {
    db->addSource({0, "p", "t", "", "", "", ""});
    CHECK(indexes() == "incidents_pkey");
  }
  SUBCASE("committed: all of them, used by queries and by the next load") {
    {
      store::Transaction transaction(*db);
      for (int i = 0; i < 50; ++i) db->addIncident(incident(i));
      // Not before the commit: the load is written without them.
      CHECK(indexes() == "incidents_pkey");
      transaction.commit();
    }
    CHECK(indexes() == all);
    CHECK(db->findIncident("e7", "seizure", "2021-03-04") == 8);
    store::FilterSpec filter;
    filter.text = "dandong";
    CHECK(lines(features(*db, filter)) == 50);
    {
      store::Transaction transaction(*db);
      db->addIncident(incident(50));
      transaction.commit();
    }
    CHECK(indexes() == all);
    CHECK(db->stats().incidents == 51);
  }
}

TEST_CASE("postgis: upgrading to version 4 drops the bulk indexes of empty tables, and the external ids' index") {
  const std::string server = test::pgServerOrSkip();
  test::PgTestDatabase database(server);
  const std::string location = database.location();
  const std::string conninfo = store::postgis::conninfoOf(location);
  store::postgis::Connection connection(conninfo, location);
  const auto indexes = [&] {
    return connection
        .query("SELECT string_agg(indexname::text, ',' ORDER BY indexname) FROM pg_indexes "
               "WHERE schemaname = current_schema() AND tablename IN ('incidents', 'search')")
        .text(0, 0);
  };
  store::postgis::LocalSpatialite local;
  store::postgis::migrate(connection, local, 3);
  connection.command(
      "INSERT INTO incidents(id, kind, title, span_start, first_day, last_day, precision, confidence, "
      "geom) VALUES(1, 'seizure', 'x', '2021', 0, 0, 'exact', 1, ST_GeomFromText('POINT(124 40)', 4326))");
  REQUIRE(indexes() == "incidents_external_id,incidents_geom,incidents_pkey,incidents_time,search_body");
  auto db = store::openStore(location, store::OpenMode::ReadWrite);
  CHECK(db->schemaVersion() == store::kSchemaVersion);
  // The external ids' index goes whatever the table holds: nothing reads it.
  CHECK(indexes() == "incidents_geom,incidents_pkey,incidents_time");
  core::Entity entity;
  entity.names = {{"Dandong Co", core::Script::Latin, "en", true, ""}};
  db->addEntity(entity);
  CHECK(indexes() == "incidents_geom,incidents_pkey,incidents_time,search_body");
}

TEST_CASE("postgis: record_sources cites only sources that exist, and a cited source stays") {
  const CreatedPgDatabase created;
  store::postgis::Connection connection = created.connect();
  connection.command("INSERT INTO sources(id, publisher, title) VALUES(1, 'p', 'cited'), (2, 'p', 'spare')");
  const auto count = [&] {
    return connection.query("SELECT count(*) FROM record_sources").integer(0, 0);
  };
  SUBCASE("a statement citing a missing source fails whole, naming it") {
    CHECK_THROWS_WITH_AS(connection.command("INSERT INTO record_sources VALUES ('incident', 1, 1), "
                                            "('incident', 2, 7)"),
                         doctest::Contains("no source 7"), core::StoreError);
    CHECK_THROWS_WITH_AS(connection.command("INSERT INTO record_sources VALUES ('incident', 1, 1); "
                                            "UPDATE record_sources SET source_id = 8"),
                         doctest::Contains("no source 8"), core::StoreError);
    CHECK(count() == 0);
  }
  SUBCASE("a cited source is neither deleted nor renumbered; an uncited one may be") {
    connection.command("INSERT INTO record_sources VALUES ('incident', 1, 1)");
    CHECK_THROWS_WITH_AS(connection.command("DELETE FROM sources WHERE id = 1"),
                         doctest::Contains("source 1 is cited"), core::StoreError);
    CHECK_THROWS_WITH_AS(connection.command("UPDATE sources SET id = 3 WHERE id = 1"),
                         doctest::Contains("source 1 is cited"), core::StoreError);
    connection.command("UPDATE sources SET title = 'cited, retitled' WHERE id = 1");
    connection.command("UPDATE sources SET id = 4 WHERE id = 2");
    connection.command("DELETE FROM sources WHERE id = 4");
    CHECK(connection.query("SELECT string_agg(id || ':' || title, ',') FROM sources").text(0, 0) ==
          "1:cited, retitled");
    CHECK(count() == 1);
  }
  SUBCASE("a statement's check holds the sources it cites until its transaction ends") {
    connection.command("BEGIN");
    connection.command("INSERT INTO record_sources VALUES ('incident', 1, 1)");
    store::postgis::Connection other = created.connect();
    other.command("SET lock_timeout = '200ms'");
    CHECK_THROWS_WITH_AS(other.command("DELETE FROM sources WHERE id = 1"),
                         doctest::Contains("lock timeout"), core::StoreError);
    other.command("DELETE FROM sources WHERE id = 2");
    connection.command("COMMIT");
    CHECK(count() == 1);
  }
}

TEST_CASE("postgis: in a schema of its own, the sources check reads that schema whatever the writer's search_path") {
  const std::string server = test::pgServerOrSkip();
  test::PgTestDatabase database(server);
  const std::string plain = database.location();
  execSql(plain, "CREATE SCHEMA team");
  const std::string team = plain + (plain.find("://") == std::string::npos
                                        ? " options='-c search_path=team,public'"
                                        : std::string(plain.find('?') == std::string::npos ? "?" : "&") +
                                              "options=-csearch_path%3Dteam%2Cpublic");
  { store::openStore(team, store::OpenMode::Create); }
  // Another session, whose search_path does not name the schema, writes with qualified names.
  execSql(plain, "INSERT INTO team.sources(id, publisher, title) VALUES(1, 'p', 't'); "
                 "INSERT INTO team.record_sources VALUES ('incident', 1, 1)");
  store::postgis::Connection other(store::postgis::conninfoOf(plain), plain);
  CHECK(other.query("SELECT current_schema()").text(0, 0) == "public");
  CHECK_THROWS_WITH_AS(other.command("INSERT INTO team.record_sources VALUES ('incident', 2, 9)"),
                       doctest::Contains("no source 9"), core::StoreError);
  CHECK_THROWS_WITH_AS(other.command("DELETE FROM team.sources WHERE id = 1"),
                       doctest::Contains("source 1 is cited"), core::StoreError);
  CHECK(store::openStore(team, store::OpenMode::ReadOnly)->schemaVersion() == store::kSchemaVersion);
}

TEST_CASE("postgis: the failure of a deferred COPY is thrown by the next use, and a rollback discards it") {
  const CreatedPgDatabase created;
  store::postgis::Connection connection = created.connect();
  constexpr auto kDeferred = store::postgis::Connection::Completion::Deferred;
  const std::string copy = "COPY record_sources(kind, record_id, source_id) FROM STDIN";
  // No source 42 exists: the server refuses the row by its foreign key, after the call returned.
  const std::string dangling = "incident\t1\t42\n";
  const auto count = [&] {
    return connection.query("SELECT count(*) FROM record_sources").integer(0, 0);
  };
  SUBCASE("the next statement throws the COPY's error, naming the COPY") {
    connection.command("BEGIN");
    connection.copyIn(copy, dangling, kDeferred);
    CHECK_THROWS_WITH_AS(connection.query("SELECT 1"),
                         doctest::Contains("violates foreign key constraint"), core::StoreError);
    connection.rollback();
    CHECK(count() == 0);
  }
  SUBCASE("the error names the COPY it came from") {
    connection.command("BEGIN");
    connection.copyIn(copy, dangling, kDeferred);
    CHECK_THROWS_WITH_AS(connection.command("SELECT 1"), doctest::Contains("in: COPY record_sources"),
                         core::StoreError);
    connection.rollback();
  }
  SUBCASE("a rollback before the failure is read leaves the connection usable") {
    connection.command("BEGIN");
    connection.copyIn(copy, dangling, kDeferred);
    connection.rollback();
    CHECK_FALSE(connection.inTransaction());
    CHECK(count() == 0);
  }
  SUBCASE("a deferred COPY that succeeds commits with its transaction") {
    connection.command("BEGIN");
    connection.command("INSERT INTO sources(id, publisher, title) VALUES(42, 'p', 't')");
    connection.copyIn(copy, dangling, kDeferred);
    connection.command("COMMIT");
    CHECK(count() == 1);
  }
}

TEST_CASE("postgis: a stream asks for its next batch ahead, and the callback may still query") {
  const std::string server = test::pgServerOrSkip();
  test::PgTestDatabase database(server);
  const std::string location = database.location();
  store::postgis::Connection connection(store::postgis::conninfoOf(location), location);
  const std::string numbers = "SELECT n::bigint FROM generate_series(1, 1000) n ORDER BY n";
  constexpr int kBatch = 64;
  connection.command("BEGIN");
  SUBCASE("every row once, in order, with queries and a nested stream between rows") {
    std::int64_t expected = 1;
    std::int64_t nestedSum = 0;
    connection.stream(numbers, {}, [&](const store::postgis::Result& rows, int row) {
      CHECK(rows.integer(row, 0) == expected);
      ++expected;
      if (rows.integer(row, 0) % 100 == 0) {
        CHECK(connection.query("SELECT 7::bigint").integer(0, 0) == 7);
        connection.stream("SELECT n::bigint FROM generate_series(1, 200) n", {},
                          [&](const store::postgis::Result& inner, int i) {
                            nestedSum += inner.integer(i, 0);
                            return true;
                          }, kBatch);
      }
      return true;
    }, kBatch);
    CHECK(expected == 1001);
    CHECK(nestedSum == 10 * 20100);
  }
  SUBCASE("a stop in the middle of a batch leaves the connection usable") {
    int seen = 0;
    connection.stream(numbers, {}, [&](const store::postgis::Result&, int) { return ++seen < 100; },
                      kBatch);
    CHECK(seen == 100);
    CHECK(connection.query("SELECT 7::bigint").integer(0, 0) == 7);
  }
  SUBCASE("an exception from the callback propagates; the transaction stays usable") {
    CHECK_THROWS_AS(connection.stream(numbers, {},
                                      [&](const store::postgis::Result& rows, int row) -> bool {
                                        if (rows.integer(row, 0) == 70) throw std::runtime_error("stop");
                                        return true;
                                      }, kBatch),
                    std::runtime_error);
    CHECK(connection.query("SELECT 7::bigint").integer(0, 0) == 7);
  }
  SUBCASE("a rollback inside the callback ends the stream with an error, not a crash") {
    CHECK_THROWS_AS(connection.stream(numbers, {},
                                      [&](const store::postgis::Result& rows, int row) {
                                        if (rows.integer(row, 0) == 10) connection.rollback();
                                        return true;
                                      }, kBatch),
                    core::StoreError);
    CHECK_FALSE(connection.inTransaction());
    connection.command("BEGIN");
  }
  connection.rollback();
}

TEST_CASE("postgis: a database without PostGIS gets the extension on init") {
  const std::string server = test::pgServerOrSkip();
  test::PgTestDatabase database(server);
  // The throwaway server's template1 has PostGIS; a user's database may well not.
  execSql(database.location(), "DROP EXTENSION IF EXISTS postgis");
  auto db = store::openStore(database.location(), store::OpenMode::Create);
  test::fillFixture(*db);
  CHECK(db->stats().hasBorder);
}

TEST_CASE("conformance: text sorts bytewise even where the database's collation sorts otherwise") {
  const std::string server = test::pgServerOrSkip();
  // A database whose default collation (ICU, English) puts "a" before "B"; SQLite's and
  // borderlens' order is bytewise, "B" before "a".
  const std::string name = "bl_icu_" + std::to_string(getpid());
  const std::string admin = test::withDatabase(server, "postgres");
  execSql(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  execSql(admin, "CREATE DATABASE " + name +
                     " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
  struct Drop {
    std::string admin, name;
    ~Drop() {
      try {
        execSql(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (...) {
        // Left for the throwaway server to take with it.
      }
    }
  } drop{admin, name};
  TempDir dir;
  auto lite = store::openStore(dir.file("order.db"), store::OpenMode::Create);
  auto pg = store::openStore(test::withDatabase(server, name), store::OpenMode::Create);
  for (auto* db : {lite.get(), pg.get()}) {
    store::Transaction transaction(*db);
    const core::RecordId src = db->addSource({0, "b publisher", "Title", "", "", "", ""});
    db->addSource({0, "B publisher", "title", "", "", "", ""});
    for (const char* round : {"b-round", "B-round", "a-round", "É-round", "e-round"}) {
      db->upsertRound({round, round[0] == 'b' ? "b-authority" : "B-authority",
                       core::Date::ymd(2018, 1, 1), round, "", {src}});
    }
    core::Entity e;
    e.names = {{"bravo", core::Script::Latin, "en", true, ""}, {"Alpha", core::Script::Latin, "en", false, ""},
               {"alpha", core::Script::Latin, "en", false, ""}};
    e.identifiers = {{"b", "x"}, {"B", "y"}, {"a", "Z"}, {"a", "z"}};
    e.locations = {{0, "POINT(124 40)", core::Precision::City, "b street", "kp"},
                   {0, "POINT(124.1 40)", core::Precision::City, "B street", "CN"}};
    e.sourceIds = {src};
    const core::RecordId id = db->addEntity(e);
    core::Designation d;
    d.entityId = id;
    d.authority = "b-authority";
    d.programs = {"b-program", "B-program", "a-program", "É-program", "e-program"};
    d.listed = core::Date::y(2018);
    d.roundId = "b-round";
    db->addDesignation(d);
    d.authority = "B-authority";
    d.roundId = "a-round";
    d.programs = {"Z"};
    db->addDesignation(d);
    core::Incident i;
    i.kind = "seizure";
    i.title = "ordering";
    i.span = {core::Date::y(2018), std::nullopt};
    i.wkt = "POINT(124 40)";
    i.sourceIds = {src};
    db->addIncidentLink({db->addIncident(i), id, "b"});
    transaction.commit();
  }
  const std::string expected = everything(*lite);
  CHECK(expected == everything(*pg));
  CHECK(expected.find("B-authority,b-authority") != std::string::npos);
  CHECK(expected.find("B-program,Z,a-program,b-program,e-program,É-program") != std::string::npos);
}

TEST_CASE("postgis: a reader keeps its snapshot while a writer commits") {
  FixtureBackends b;
  auto reader = store::openStore(b.pgDatabase.location(), store::OpenMode::ReadOnly);
  std::size_t rows = 0;
  bool wrote = false;
  reader->forEachFeature({}, {false, 0}, [&](const store::FeatureRow&) {
    if (!wrote) {
      store::Transaction transaction(*b.pg);
      core::Incident extra;
      extra.kind = "other";
      extra.title = "written during a read";
      extra.span = {core::Date::y(2021), std::nullopt};
      extra.wkt = "POINT(124.4 40.0)";
      b.pg->addIncident(extra);
      transaction.commit();
      wrote = true;
    }
    ++rows;
    return true;
  });
  CHECK(wrote);
  CHECK(rows == 8);
  CHECK(reader->stats().incidents == 5);
  // A read-only store's transaction is one snapshot too.
  store::Transaction snapshot(*reader);
  CHECK(reader->stats().incidents == 5);
  b.pg->addSource({0, "written during a read transaction", "", "", "", "", ""});
  CHECK(reader->stats().sources == 1);
  snapshot.commit();
  CHECK(reader->stats().sources == 2);
}

TEST_CASE("postgis: passwords never appear in locations or error messages") {
  const std::string server = test::pgServerOrSkip();
  test::PgTestDatabase database(server);
  // Trust authentication ignores the password, so the store opens; its location hides it.
  std::string url = database.location();
  if (url.rfind("postgresql://", 0) == 0) {
    const auto at = url.find('@');
    const auto user = url.find("://") + 3;
    if (at != std::string::npos) url = url.substr(0, at) + ":s3cretpw" + url.substr(at);
    else url.insert(user, "postgres:s3cretpw@");
    auto db = store::openStore(url, store::OpenMode::Create);
    CHECK(db->location().find("s3cretpw") == std::string::npos);
    CHECK(db->location().find("***") != std::string::npos);
  }
  for (const std::string& unreachable :
       {std::string("postgresql://analyst:s3cretpw@127.0.0.1:1/bl"),
        std::string("PG:host=127.0.0.1 port=1 user=analyst password=s3cretpw dbname=bl"),
        std::string("PG:host=127.0.0.1 port=1 password='s3cretpw' dbname=bl"),
        std::string("postgresql://analyst:s3cretpw@127.0.0.1:1/bl?password=s3cretpw"),
        test::withDatabase(server, "no_such_database") + (server.find("://") != std::string::npos
                                                               ? "?password=s3cretpw"
                                                               : " password=s3cretpw"),
        std::string("PG:host=127.0.0.1 port=1 password=s3cretpw unknown_option=1"),
        std::string("postgresql://analyst:s3cretpw@[::1"),
        std::string("postgresql://analyst:s3cretpw%zz@127.0.0.1:1/bl"),
        std::string("postgresql://analyst@127.0.0.1:1/bl?password=s3cretpw&sslmode=bogus"),
        std::string("PG:host=127.0.0.1 port=1 password='s3cretpw")}) {
    CAPTURE(unreachable);
    for (auto mode : {store::OpenMode::ReadOnly, store::OpenMode::Create}) {
      try {
        store::openStore(unreachable, mode);
        FAIL("expected an error");
      } catch (const core::Error& e) {
        const std::string message = e.what();
        CAPTURE(message);
        CHECK(e.code() == core::ExitCode::DatabaseUnavailable);
        CHECK(message.find("s3cretpw") == std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
      }
    }
    CHECK_THROWS_AS(store::peekSchemaVersion(unreachable), core::DatabaseUnavailable);
  }
}
