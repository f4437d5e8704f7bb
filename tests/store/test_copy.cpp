#include "core/errors.h"
#include "ops/copy_op.h"
#include "ops/import_op.h"
#include "ops/info_op.h"
#include "ops/init_op.h"
#include "store/store.h"
#include "store/store_describe.h"
#include "store/test_copy_support.h"
#include "support/fixture.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>

using namespace borderlens;
using namespace borderlens::test;
using test::TempDir;

namespace {

const std::string kFixtures = BORDERLENS_FIXTURES;
const std::string kBorderlens = BORDERLENS_EXECUTABLE;

const store::DumpTable& dumpTable(const std::string& name) {
  const auto& tables = store::dumpTables();
  const auto it = std::find_if(tables.begin(), tables.end(),
                               [&](const store::DumpTable& t) { return t.name == name; });
  REQUIRE(it != tables.end());
  return *it;
}


// Filters that exercise every kind of query on the copied data: text in every script, rounds,
// time, space, designations and kinds.
std::vector<std::pair<std::string, store::FilterSpec>> filters(store::Store& db) {
  std::vector<std::pair<std::string, store::FilterSpec>> list;
  const auto add = [&](const std::string& name, const std::function<void(store::FilterSpec&)>& set) {
    store::FilterSpec filter;
    set(filter);
    list.emplace_back(name, filter);
  };
  add("everything", [](store::FilterSpec&) {});
  add("text 测试", [](store::FilterSpec& f) { f.text = "测试"; });
  add("text 시험", [](store::FilterSpec& f) { f.text = "시험"; });
  add("text fixture", [](store::FilterSpec& f) { f.text = "fixture"; });
  add("text Dandong", [](store::FilterSpec& f) { f.text = "Dandong"; });
  db.forEachRound([&](const store::RoundRow& row) {
    add("round " + row.round.id, [&](store::FilterSpec& f) { f.rounds = {row.round.id}; });
    return true;
  });
  add("window 2017-08..2017-12", [](store::FilterSpec& f) {
    f.window = {core::Date::ymd(2017, 8, 1).firstDay(), core::Date::ymd(2017, 12, 31).lastDay()};
  });
  add("window from 2018", [](store::FilterSpec& f) {
    f.window.from = core::Date::ymd(2018, 1, 1).firstDay();
  });
  add("bbox Dandong", [](store::FilterSpec& f) { f.bbox = geo::BBox{124.0, 39.8, 125.0, 40.5}; });
  add("near Dandong 30 km", [](store::FilterSpec& f) { f.near = {{124.38, 40.12, 30.0}}; });
  add("within 20 km of the border", [](store::FilterSpec& f) { f.borderKm = 20.0; });
  add("OFAC DPRK3", [](store::FilterSpec& f) {
    f.authorities = {"OFAC"};
    f.programs = {"DPRK3"};
  });
  add("vessels", [](store::FilterSpec& f) { f.entityKinds = {core::EntityKind::Vessel}; });
  add("seizures at 0.6", [](store::FilterSpec& f) {
    f.incidentKinds = {"seizure"};
    f.minConfidence = 0.6;
  });
  return list;
}

// A database as every read of the Store contract sees it, section by section.
using Image = std::vector<std::pair<std::string, std::string>>;

Image dumpImage(store::Store& db) {
  Image image;
  for (const auto& table : store::dumpTables()) {
    std::string rows;
    db.forEachDumpRow(table, [&](const store::DumpRow& row) {
      for (const auto& value : row) rows += describe(value) + " ";
      rows += "\n";
      return true;
    });
    image.emplace_back("dump " + table.name, rows);
  }
  return image;
}

Image image(store::Store& db, const std::vector<std::pair<std::string, store::FilterSpec>>& list) {
  Image out;
  const store::Stats stats = db.stats();
  out.emplace_back("stats", ops::infoJson({"", stats}).dump());
  for (const auto& [name, filter] : list) out.emplace_back("features: " + name, features(db, filter));

  std::set<core::RecordId> entities;
  std::set<core::RecordId> incidents;
  db.forEachFeature({}, {}, [&](const store::FeatureRow& row) {
    (row.type == store::FeatureType::Entity ? entities : incidents).insert(row.id);
    return true;
  });
  std::string records;
  for (const auto id : entities) {
    const auto entity = db.entity(id);
    records += entity ? describe(*entity) : "no entity " + std::to_string(id) + "\n";
    for (const auto& d : db.designationsOf(id)) records += describe(d);
    records += describe(db.linksOf(store::FeatureType::Entity, id));
  }
  for (const auto id : incidents) {
    const auto incident = db.incident(id);
    records += incident ? describe(*incident) : "no incident " + std::to_string(id) + "\n";
    records += describe(db.linksOf(store::FeatureType::Incident, id));
  }
  out.emplace_back("records", records);

  std::string sources;
  for (core::RecordId id = 1; id <= stats.sources + 1; ++id) {
    const auto source = db.source(id);
    if (!source) {
      sources += "no source " + std::to_string(id) + "\n";
      continue;
    }
    sources += std::to_string(source->id) + " " + source->publisher + " | " + source->title +
               " | " + source->published + " | " + source->url + " | " + source->file + " | " +
               source->sha256 + "\n";
  }
  out.emplace_back("sources", sources);

  std::string rounds;
  db.forEachRound([&](const store::RoundRow& row) {
    rounds += row.round.id + " " + row.round.authority + " " + row.round.date.toString() + " " +
              row.round.label + " | " + row.round.legalBasis + " | " +
              std::to_string(row.designations) + " sources " + ids(row.round.sourceIds) + "\n";
    return true;
  });
  out.emplace_back("rounds", rounds);

  std::string batches;
  db.forEachDumpRow(dumpTable("import_batches"), [&](const store::DumpRow& row) {
    const auto batch = db.findImportBatch(std::get<std::string>(row.at(2)));
    batches += batch ? std::to_string(batch->id) + " " + batch->file + " " + batch->format + " " +
                           batch->startedAt + " " + batch->finishedAt + " " + batch->reportJson
                     : "missing";
    batches += "\n";
    return true;
  });
  out.emplace_back("import batches", batches);

  const Image dump = dumpImage(db);
  out.insert(out.end(), dump.begin(), dump.end());
  return out;
}

void checkSame(const Image& expected, const Image& actual) {
  REQUIRE(expected.size() == actual.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("section: " << expected[i].first);
    CHECK(expected[i].first == actual[i].first);
    CHECK(expected[i].second == actual[i].second);
  }
}

// Every section must have something in it, or comparing it proves nothing.
void checkNothingEmpty(const Image& image, const std::set<std::string>& mayBeEmpty) {
  for (const auto& [name, text] : image) {
    if (mayBeEmpty.count(name)) continue;
    INFO("section: " << name);
    CHECK(!text.empty());
  }
}

std::unique_ptr<store::Store> fixtureDatabase(const std::string& path) {
  auto db = store::openStore(path, store::OpenMode::Create);
  test::fillFixture(*db);
  return db;
}

ops::ImportOptions importOptions(const std::string& database, std::vector<std::string> files) {
  ops::ImportOptions o;
  o.database = database;
  o.files = std::move(files);
  o.geodata = std::string(BORDERLENS_GEODATA_DIR) + "/base.gpkg";
  return o;
}

// Every list format and incident source the importers read, in several runs (several import
// batches), with rounds files and a snapshot date, over the fixture's stand-in border.
void buildImportedDatabase(const std::string& path) {
  ops::InitOptions init;
  init.database = path;
  init.noBorder = true;
  ops::runInit(init);
  {
    auto db = store::openStore(path, store::OpenMode::ReadWrite);
    store::Transaction transaction(*db);
    db->setBorder({test::kFixtureBorder});
    transaction.commit();
  }
  ops::runImport(importOptions(path, {kFixtures + "/un/consolidated.xml",
                                      kFixtures + "/import/incidents.csv"}),
                 {});
  auto ofac = importOptions(path, {kFixtures + "/ofac/csv/sdn.csv"});
  ofac.asOf = core::Date::ymd(2024, 5, 1);
  ofac.roundsFile = kFixtures + "/ofac/rounds.csv";
  ops::runImport(ofac, {});
  ops::runImport(importOptions(path, {kFixtures + "/ofac/sdn_advanced.xml",
                                      kFixtures + "/ftm/good.ftm.json"}),
                 {});
  auto more = importOptions(path, {kFixtures + "/incidents/good.csv"});
  more.roundsFile = kFixtures + "/rounds/good.csv";
  ops::runImport(more, {});
}

ops::CopyReport copyDatabase(const std::string& from, const std::string& to, std::size_t batchRows = 10000) {
  ops::CopyOptions options;
  options.source = from;
  options.destination = to;
  options.batchRows = batchRows;
  return ops::runCopy(options, {});
}

std::int64_t dumpRowCount(store::Store& db) {
  std::int64_t rows = 0;
  for (const auto& table : store::dumpTables()) {
    db.forEachDumpRow(table, [&](const store::DumpRow&) {
      ++rows;
      return true;
    });
  }
  return rows;
}

void setSchemaVersion(const std::string& path, int version) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const std::string sql =
      "UPDATE meta SET value = '" + std::to_string(version) + "' WHERE key = 'schema_version'";
  CHECK(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

std::string thrownBy(const std::function<void()>& call, core::ExitCode* code = nullptr) {
  try {
    call();
  } catch (const core::Error& e) {
    if (code) *code = e.code();
    return e.what();
  }
  return "(nothing thrown)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The fixture is written through the Store, not imported.
const std::set<std::string> kNoImports{"import batches", "dump import_batches"};

// `original` copied to `via`, and on to `back` when given (a round trip through a server), with
// every read of the last copy compared with the original's, and the dump of `via` too.
void checkCopies(const std::string& original, const std::string& via, const std::string& back,
                 const std::set<std::string>& mayBeEmpty = {}) {
  auto source = store::openStore(original, store::OpenMode::ReadOnly);
  const auto list = filters(*source);
  const Image expected = image(*source, list);
  checkNothingEmpty(expected, mayBeEmpty);

  // Small batches, so that a table crosses several write calls.
  const ops::CopyReport first = copyDatabase(original, via, 7);
  CHECK(first.totalRows == dumpRowCount(*source));
  CHECK(first.tables.size() == store::dumpTables().size());
  {
    auto middle = store::openStore(via, store::OpenMode::ReadOnly);
    CHECK(ops::infoJson({"", middle->stats()}) == ops::infoJson({"", source->stats()}));
    checkSame(dumpImage(*source), dumpImage(*middle));
  }
  if (back.empty()) {
    auto copied = store::openStore(via, store::OpenMode::ReadOnly);
    checkSame(expected, image(*copied, list));
    return;
  }
  const ops::CopyReport second = copyDatabase(via, back);
  CHECK(second.totalRows == first.totalRows);
  auto copied = store::openStore(back, store::OpenMode::ReadOnly);
  checkSame(expected, image(*copied, list));
}

// copy reads its source inside one transaction on a read-only store: every table must come from
// the same state, whatever others commit meanwhile.
void checkReadSnapshot(const std::string& location) {
  auto reader = store::openStore(location, store::OpenMode::ReadOnly);
  store::Transaction snapshot(*reader);
  const std::int64_t before = reader->stats().sources;
  {
    auto writer = store::openStore(location, store::OpenMode::ReadWrite);
    store::Transaction transaction(*writer);
    writer->addSource({0, "borderlens test fixture", "written during a read", "", "", "", ""});
    transaction.commit();
  }
  std::int64_t rows = 0;
  reader->forEachDumpRow(dumpTable("sources"), [&](const store::DumpRow&) {
    ++rows;
    return true;
  });
  CHECK(rows == before);
  CHECK(reader->stats().sources == before);
  snapshot.commit();
  CHECK(reader->stats().sources == before + 1);
}

// A round's sources travel as the round's position among the rounds ordered by id (the dump's
// record_sources); a position naming no round must fail the copy, not cite another round.
void checkRoundPositionsRefused(const std::string& location) {
  auto db = store::openStore(location, store::OpenMode::Create);
  for (const std::int64_t position : {std::int64_t{0}, std::int64_t{2}, std::int64_t{-1}}) {
    store::Transaction transaction(*db);
    db->restoreRows(dumpTable("sources"), {{std::int64_t{1}, std::string("p"), std::string("t"),
                                            std::string(""), std::string(""), std::string(""),
                                            std::string("")}});
    db->restoreRows(dumpTable("rounds"), {{std::string("UN-2017-12-22"), std::string("UN"),
                                           std::string("2017-12-22"), std::int64_t{17522},
                                           std::string("UN 2017-12-22"), std::string("")}});
    db->restoreRows(dumpTable("record_sources"),
                    {{std::string("round"), std::int64_t{1}, std::int64_t{1}}});
    INFO("position " << position);
    CHECK_THROWS_WITH_AS(db->restoreRows(dumpTable("record_sources"),
                                         {{std::string("round"), position, std::int64_t{1}}}),
                         doctest::Contains("cites round"), core::StoreError);
  }
}

} // namespace

TEST_CASE("copy: the source is read in one snapshot while others write") {
  TempDir dir;
  fixtureDatabase(dir.file("fixture.db"));
  checkReadSnapshot(dir.file("fixture.db"));
}

TEST_CASE("copy: the test fixture, SpatiaLite to SpatiaLite, reads back the same") {
  TempDir dir;
  fixtureDatabase(dir.file("fixture.db"));
  checkCopies(dir.file("fixture.db"), dir.file("copy.db"), "", kNoImports);
}

TEST_CASE("copy: a database imported from UN, OFAC, FtM and incident files reads back the same") {
  TempDir dir;
  buildImportedDatabase(dir.file("imported.db"));
  {
    // The imports must have given the copy something to lose: rounds with sources, written in
    // an order that is not their id order, every script, links and several import batches.
    auto db = store::openStore(dir.file("imported.db"), store::OpenMode::ReadOnly);
    const store::Stats s = db->stats();
    CHECK(s.importBatches >= 5);
    CHECK(s.namesByScript.count("han") == 1);
    CHECK(s.namesByScript.count("hangul") == 1);
    CHECK(s.entityLinks + s.incidentLinks > 0);
    CHECK(s.designationsByAuthority.size() >= 2);
    std::size_t roundsWithSources = 0;
    db->forEachRound([&](const store::RoundRow& row) {
      if (!row.round.sourceIds.empty()) ++roundsWithSources;
      return true;
    });
    CHECK(roundsWithSources >= 2);
  }
  checkCopies(dir.file("imported.db"), dir.file("copy.db"), "");
}

TEST_CASE("copy: the report counts every row of every table") {
  TempDir dir;
  auto source = fixtureDatabase(dir.file("fixture.db"));
  const ops::CopyReport report = copyDatabase(dir.file("fixture.db"), dir.file("copy.db"));
  CHECK(report.created);
  CHECK(report.source == dir.file("fixture.db"));
  CHECK(report.destination == dir.file("copy.db"));
  CHECK(report.schemaVersion == store::kSchemaVersion);
  REQUIRE(report.tables.size() == store::dumpTables().size());
  std::int64_t total = 0;
  for (std::size_t i = 0; i < report.tables.size(); ++i) {
    const auto& table = store::dumpTables()[i];
    CHECK(report.tables[i].table == table.name);
    std::int64_t rows = 0;
    source->forEachDumpRow(table, [&](const store::DumpRow&) {
      ++rows;
      return true;
    });
    CHECK(report.tables[i].rows == rows);
    total += rows;
  }
  CHECK(report.totalRows == total);
  const auto json = ops::copyReportJson(report);
  CHECK(json["rows"] == total);
  CHECK(json["tables"]["entities"] == source->stats().entities);
  CHECK(json["created"] == true);
}

TEST_CASE("copy: into a database made by init, the source's border replaces init's") {
  TempDir dir;
  fixtureDatabase(dir.file("fixture.db"));
  {
    auto target = store::openStore(dir.file("init.db"), store::OpenMode::Create);
    store::Transaction transaction(*target);
    target->setBorder({"LINESTRING(126 41, 127 42)", "LINESTRING(128 42, 129 43)"});
    transaction.commit();
  }
  const ops::CopyReport report = copyDatabase(dir.file("fixture.db"), dir.file("init.db"));
  CHECK(!report.created);
  auto source = store::openStore(dir.file("fixture.db"), store::OpenMode::ReadOnly);
  auto copied = store::openStore(dir.file("init.db"), store::OpenMode::ReadOnly);
  checkSame(image(*source, filters(*source)), image(*copied, filters(*source)));

  // A source without a border leaves none behind either.
  {
    auto bare = store::openStore(dir.file("bare.db"), store::OpenMode::Create);
    test::fillFixture(*bare, false);
  }
  {
    auto target = store::openStore(dir.file("init2.db"), store::OpenMode::Create);
    store::Transaction transaction(*target);
    target->setBorder({"LINESTRING(126 41, 127 42)"});
    transaction.commit();
  }
  copyDatabase(dir.file("bare.db"), dir.file("init2.db"));
  CHECK(!store::openStore(dir.file("init2.db"), store::OpenMode::ReadOnly)->stats().hasBorder);
}

TEST_CASE("copy: a destination holding records is refused and left as it was") {
  TempDir dir;
  fixtureDatabase(dir.file("fixture.db"));
  {
    auto other = store::openStore(dir.file("other.db"), store::OpenMode::Create);
    core::Source source{0, "borderlens test fixture", "one source only", "", "", "", ""};
    store::Transaction transaction(*other);
    other->addSource(source);
    transaction.commit();
  }
  auto before = store::openStore(dir.file("other.db"), store::OpenMode::ReadOnly);
  const Image expected = dumpImage(*before);
  before.reset();
  core::ExitCode code = core::ExitCode::Ok;
  const std::string message =
      thrownBy([&] { copyDatabase(dir.file("fixture.db"), dir.file("other.db")); }, &code);
  CHECK(code == core::ExitCode::OutputFailed);
  CHECK(contains(message, dir.file("other.db") + ": already holds records (sources 1)"));
  auto after = store::openStore(dir.file("other.db"), store::OpenMode::ReadOnly);
  checkSame(expected, dumpImage(*after));
}

TEST_CASE("copy: sources of another schema, and copying onto itself, are refused") {
  TempDir dir;
  fixtureDatabase(dir.file("fixture.db"));
  core::ExitCode code = core::ExitCode::Ok;
  CHECK(contains(thrownBy([&] { copyDatabase(dir.file("fixture.db"), dir.file("fixture.db")); }, &code),
                 "is both the source and the destination"));
  CHECK(code == core::ExitCode::Usage);

  CHECK(contains(thrownBy([&] { copyDatabase(dir.file("missing.db"), dir.file("copy.db")); }, &code),
                 "no such database file"));
  CHECK(code == core::ExitCode::DatabaseUnavailable);
  CHECK(!std::filesystem::exists(dir.file("copy.db")));

  setSchemaVersion(dir.file("fixture.db"), store::kOldestReadableSchemaVersion - 1);
  CHECK(contains(thrownBy([&] { copyDatabase(dir.file("fixture.db"), dir.file("copy.db")); }, &code),
                 "upgrade it with: borderlens init"));
  CHECK(code == core::ExitCode::SchemaMismatch);
  CHECK(!std::filesystem::exists(dir.file("copy.db")));
  // Refusing did not upgrade it.
  CHECK(store::peekSchemaVersion(dir.file("fixture.db")) == store::kOldestReadableSchemaVersion - 1);

  setSchemaVersion(dir.file("fixture.db"), store::kSchemaVersion + 1);
  CHECK(contains(thrownBy([&] { copyDatabase(dir.file("fixture.db"), dir.file("copy.db")); }, &code),
                 "newer than this borderlens supports"));
  CHECK(code == core::ExitCode::SchemaMismatch);
  CHECK(!std::filesystem::exists(dir.file("copy.db")));
}

TEST_CASE("copy: a source of an older readable schema is copied as it is into this build's "
          "schema, and an older destination is refused") {
  TempDir dir;
  fixtureDatabase(dir.file("fixture.db"));
  auto current = store::openStore(dir.file("fixture.db"), store::OpenMode::ReadOnly);
  const Image expected = dumpImage(*current);
  current.reset();
  setSchemaVersion(dir.file("fixture.db"), store::kOldestReadableSchemaVersion);
  const ops::CopyReport report = copyDatabase(dir.file("fixture.db"), dir.file("copy.db"));
  CHECK(report.schemaVersion == store::kSchemaVersion);
  CHECK(store::peekSchemaVersion(dir.file("copy.db")) == store::kSchemaVersion);
  // Reading it did not upgrade it.
  CHECK(store::peekSchemaVersion(dir.file("fixture.db")) == store::kOldestReadableSchemaVersion);
  checkSame(expected, dumpImage(*store::openStore(dir.file("copy.db"), store::OpenMode::ReadOnly)));

  // An empty destination of an older schema: copy would upgrade it on opening it to write.
  { store::openStore(dir.file("empty.db"), store::OpenMode::Create); }
  setSchemaVersion(dir.file("empty.db"), store::kOldestReadableSchemaVersion);
  core::ExitCode code = core::ExitCode::Ok;
  CHECK(contains(thrownBy([&] { copyDatabase(dir.file("copy.db"), dir.file("empty.db")); }, &code),
                 "is older than " + std::to_string(store::kSchemaVersion)));
  CHECK(code == core::ExitCode::SchemaMismatch);
  CHECK(store::peekSchemaVersion(dir.file("empty.db")) == store::kOldestReadableSchemaVersion);
}

TEST_CASE("copy: a cancelled copy leaves no new file, and an empty destination empty") {
  TempDir dir;
  fixtureDatabase(dir.file("fixture.db"));
  std::vector<std::string> seen;
  ops::CopyOptions options;
  options.source = dir.file("fixture.db");
  options.destination = dir.file("copy.db");
  options.batchRows = 2;
  const auto cancelAtLocations = [&](double, std::string_view message) {
    seen.emplace_back(message);
    return message != "copying locations";
  };
  CHECK_THROWS_AS(ops::runCopy(options, cancelAtLocations), core::Cancelled);
  CHECK(std::find(seen.begin(), seen.end(), "copying entities") != seen.end());
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    CHECK(!std::filesystem::exists(dir.file("copy.db") + suffix));
  }

  // Cancelled at the very end, after every row was written: still nothing.
  ops::runInit({dir.file("empty.db"), "", true});
  auto empty = store::openStore(dir.file("empty.db"), store::OpenMode::ReadOnly);
  const Image before = dumpImage(*empty);
  empty.reset();
  options.destination = dir.file("empty.db");
  CHECK_THROWS_AS(
      ops::runCopy(options, [](double, std::string_view message) { return message != "committing"; }),
      core::Cancelled);
  empty = store::openStore(dir.file("empty.db"), store::OpenMode::ReadOnly);
  checkSame(before, dumpImage(*empty));
  CHECK(std::filesystem::exists(dir.file("empty.db")));
}

TEST_CASE("copy: progress rises by rows to 1") {
  TempDir dir;
  buildImportedDatabase(dir.file("imported.db"));
  ops::CopyOptions options;
  options.source = dir.file("imported.db");
  options.destination = dir.file("copy.db");
  options.batchRows = 3;
  std::vector<double> fractions;
  ops::runCopy(options, [&](double fraction, std::string_view) {
    fractions.push_back(fraction);
    return true;
  });
  REQUIRE(fractions.size() > store::dumpTables().size());
  CHECK(std::is_sorted(fractions.begin(), fractions.end()));
  CHECK(fractions.front() == 0.0);
  CHECK(fractions.back() == 1.0);
  // Moving by rows, not by tables: more distinct steps than tables.
  CHECK(std::set<double>(fractions.begin(), fractions.end()).size() > store::dumpTables().size());
}

TEST_CASE("copy: the command gives the same info --json and query output") {
  TempDir dir;
  buildImportedDatabase(dir.file("imported.db"));
  const auto run = [&](const std::vector<std::string>& args) {
    return test::runBorderlens(kBorderlens, args, dir.path().string());
  };
  const auto copied = run({"copy", dir.file("imported.db"), dir.file("copy.db"), "--json"});
  REQUIRE_MESSAGE(copied.exitCode == 0, copied.err);
  const auto report = nlohmann::json::parse(copied.out);
  CHECK(report["created"] == true);
  CHECK(report["rows"].get<std::int64_t>() > 0);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"info", "--json"}, {"query", "--format", "csv"},
        {"query", "--format", "geojson", "--text", "测试"}, {"rounds", "--json"}}) {
    auto original = args;
    original.insert(original.begin() + 1, dir.file("imported.db"));
    auto copy = args;
    copy.insert(copy.begin() + 1, dir.file("copy.db"));
    const auto a = run(original);
    const auto b = run(copy);
    INFO("borderlens " << args.at(0) << " " << args.at(1));
    CHECK(a.exitCode == 0);
    CHECK(b.exitCode == 0);
    CHECK(!a.out.empty());
    CHECK(a.out == b.out);
  }
}

TEST_CASE("copy: a round source whose position names no round is refused") {
  TempDir dir;
  checkRoundPositionsRefused(dir.file("target.db"));
}

TEST_CASE("copy: a password in a server location is never printed") {
  TempDir dir;
  fixtureDatabase(dir.file("fixture.db"));
  // Port 1 on the loopback: no server answers, so the copy fails on connecting, either way.
  const std::string server = "postgresql://analyst:s3cret-pw@127.0.0.1:1/borderlens";
  for (const auto& args : {std::vector<std::string>{"copy", dir.file("fixture.db"), server},
                           std::vector<std::string>{"copy", server, dir.file("copy.db")},
                           std::vector<std::string>{"copy", "PG:host=127.0.0.1 port=1 "
                                                            "password=s3cret-pw dbname=borderlens",
                                                    dir.file("copy.db"), "--json"}}) {
    const auto result = test::runBorderlens(kBorderlens, args, dir.path().string());
    INFO("borderlens " << args.at(0) << " " << args.at(1) << " " << args.at(2));
    CHECK(result.exitCode == static_cast<int>(core::ExitCode::DatabaseUnavailable));
    CHECK(!result.err.empty());
    CHECK(!contains(result.out + result.err, "s3cret"));
    CHECK(!std::filesystem::exists(dir.file("copy.db")));
  }
}

// PostgreSQL: the same, through a server (BORDERLENS_TEST_PG), skipped without one.

TEST_CASE("copy pg: the test fixture, SpatiaLite to PostGIS and back, reads back the same") {
  const std::string server = test::pgServerOrSkip();
  TempDir dir;
  test::PgTestDatabase pg(server);
  fixtureDatabase(dir.file("fixture.db"));
  checkCopies(dir.file("fixture.db"), pg.location(), dir.file("back.db"), kNoImports);
}

TEST_CASE("copy pg: an imported database, SpatiaLite to PostGIS and back, reads back the same") {
  const std::string server = test::pgServerOrSkip();
  TempDir dir;
  test::PgTestDatabase pg(server);
  buildImportedDatabase(dir.file("imported.db"));
  checkCopies(dir.file("imported.db"), pg.location(), dir.file("back.db"));
}

TEST_CASE("copy pg: the source is read in one snapshot while others write") {
  const std::string server = test::pgServerOrSkip();
  TempDir dir;
  test::PgTestDatabase pg(server);
  fixtureDatabase(pg.location());
  checkReadSnapshot(pg.location());
}

TEST_CASE("copy pg: a round source whose position names no round is refused") {
  const std::string server = test::pgServerOrSkip();
  test::PgTestDatabase pg(server);
  checkRoundPositionsRefused(pg.location());
}

TEST_CASE("copy pg: a database imported on the server reads back the same from a file") {
  const std::string server = test::pgServerOrSkip();
  TempDir dir;
  test::PgTestDatabase pg(server);
  // Imported on the server itself, so that its own numbering (not a copy's) is what travels.
  buildImportedDatabase(pg.location());
  auto source = store::openStore(pg.location(), store::OpenMode::ReadOnly);
  const auto list = filters(*source);
  const Image expected = image(*source, list);
  checkNothingEmpty(expected, {});
  copyDatabase(pg.location(), dir.file("copy.db"));
  auto copied = store::openStore(dir.file("copy.db"), store::OpenMode::ReadOnly);
  checkSame(expected, image(*copied, list));
}

TEST_CASE("copy pg: a PostGIS database holding records is refused and left as it was") {
  const std::string server = test::pgServerOrSkip();
  TempDir dir;
  test::PgTestDatabase pg(server);
  fixtureDatabase(dir.file("fixture.db"));
  copyDatabase(dir.file("fixture.db"), pg.location());
  auto target = store::openStore(pg.location(), store::OpenMode::ReadOnly);
  const Image before = dumpImage(*target);
  target.reset();
  core::ExitCode code = core::ExitCode::Ok;
  const std::string message =
      thrownBy([&] { copyDatabase(dir.file("fixture.db"), pg.location()); }, &code);
  CHECK(code == core::ExitCode::OutputFailed);
  CHECK(contains(message, "already holds records"));
  target = store::openStore(pg.location(), store::OpenMode::ReadOnly);
  checkSame(before, dumpImage(*target));
}

TEST_CASE("copy pg: the command, SpatiaLite to PostGIS and back, gives the same output") {
  const std::string server = test::pgServerOrSkip();
  TempDir dir;
  test::PgTestDatabase pg(server);
  buildImportedDatabase(dir.file("imported.db"));
  const auto run = [&](const std::vector<std::string>& args) {
    return test::runBorderlens(kBorderlens, args, dir.path().string());
  };
  const auto there = run({"copy", dir.file("imported.db"), pg.location()});
  REQUIRE_MESSAGE(there.exitCode == 0, there.err);
  const auto back = run({"copy", pg.location(), dir.file("back.db")});
  REQUIRE_MESSAGE(back.exitCode == 0, back.err);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"info", "--json"}, {"query", "--format", "csv"},
        {"query", "--format", "csv", "--text", "시험"}, {"rounds", "--json"}}) {
    std::vector<std::vector<std::string>> runs;
    for (const auto& location : {dir.file("imported.db"), pg.location(), dir.file("back.db")}) {
      auto withLocation = args;
      withLocation.insert(withLocation.begin() + 1, location);
      runs.push_back(withLocation);
    }
    const auto original = run(runs[0]);
    const auto onServer = run(runs[1]);
    const auto returned = run(runs[2]);
    INFO("borderlens " << args.at(0) << " " << args.at(1));
    CHECK(original.exitCode == 0);
    CHECK(!original.out.empty());
    CHECK(original.out == onServer.out);
    CHECK(original.out == returned.out);
  }
}
