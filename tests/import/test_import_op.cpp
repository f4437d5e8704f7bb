#include "core/errors.h"
#include "ops/import_op.h"
#include "ops/info_op.h"
#include "ops/init_op.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/printers.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

using namespace borderlens;
using test::TempDir;

namespace {

const std::string kFixtures = std::string(BORDERLENS_FIXTURES);
const std::string kUn = kFixtures + "/un/consolidated.xml";
const std::string kOfac = kFixtures + "/ofac/csv/sdn.csv";

struct Database {
  TempDir dir;
  std::string path = dir.file("import.db");
  Database() {
    ops::InitOptions init;
    init.database = path;
    init.noBorder = true;
    ops::runInit(init);
  }
  std::string info() const { return ops::infoJson(ops::runInfo({path})).dump(); }
  std::unique_ptr<store::Store> open() const {
    return store::openStore(path, store::OpenMode::ReadOnly);
  }
};

ops::ImportOptions options(const Database& db, std::vector<std::string> files) {
  ops::ImportOptions o;
  o.database = db.path;
  o.files = std::move(files);
  o.geodata = std::string(BORDERLENS_GEODATA_DIR) + "/base.gpkg";
  return o;
}

ops::ImportReport run(const ops::ImportOptions& o) { return ops::runImport(o, {}); }

std::uint64_t total(const std::map<std::string, std::uint64_t>& counts) {
  std::uint64_t sum = 0;
  for (const auto& [key, value] : counts) sum += value;
  return sum;
}

core::RecordId entityOf(store::Store& db, const std::string& scheme, const std::string& value) {
  const auto id = db.findEntityByIdentifier(scheme, value);
  REQUIRE_MESSAGE(id, "no entity " << scheme << ":" << value);
  return *id;
}

std::vector<std::string> authoritiesOf(store::Store& db, core::RecordId id) {
  std::vector<std::string> out;
  for (const auto& d : db.designationsOf(id)) out.push_back(d.authority + " " + d.reference);
  std::sort(out.begin(), out.end());
  return out;
}

std::string thrownBy(const std::function<void()>& call) {
  try {
    call();
  } catch (const core::Error& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

} // namespace

TEST_CASE("import: a UN list becomes entities, designations and rounds, all sourced") {
  Database db;
  const auto report = run(options(db, {kUn}));
  REQUIRE(report.files.size() == 1);
  const auto& file = report.files[0];
  CHECK(file.format == "un-xml");
  CHECK(file.recordsRead == 8);
  CHECK(file.created.at("person") == 3);
  CHECK(file.created.at("organization") == 4);
  CHECK(file.created.at("vessel") == 1);
  CHECK(total(file.merged) == 0);
  CHECK(file.designationsAdded == 8);
  CHECK(file.rounds.size() == 6);
  CHECK(file.rounds.at("UN-2017-12-22") == 2);
  CHECK(file.listDate == "2019-02-01");
  CHECK(file.geocoded.at("city") == 3);
  CHECK(file.geocoded.at("province") == 1);
  CHECK(file.geocoded.at("country") == 1);
  REQUIRE(file.unlocated.size() == 1);
  CHECK(file.unlocated[0].where == kUn + ":14 (KPe.905)");
  CHECK(file.unlocated[0].what == "1 Fixture Street, Atlantis");

  auto store = db.open();
  const auto stats = store->stats();
  CHECK(stats.entities == 8);
  CHECK(stats.designations == 8);
  CHECK(stats.rounds == 6);
  CHECK(stats.recordsWithoutSource == 0);
  CHECK(stats.importBatches == 1);
  std::map<std::string, std::string> labels;
  store->forEachRound([&](const store::RoundRow& row) {
    labels[row.round.id] = row.round.label + " | " + row.round.legalBasis;
    return true;
  });
  CHECK(labels.at("UN-2016-11-30") == "UN 2016-11-30 (res. 2321) | UNSCR 2321 (2016)");
  CHECK(labels.at("UN-2018-03-30") == "UN 1718 Committee 2018-03-30 | UNSCR 1718 (2006)");

  // Every record carries the list file, its checksum and the list's own date.
  const auto company = store->entity(entityOf(*store, "un", "KPe.901"));
  REQUIRE(company->sourceIds.size() == 1);
  const auto source = store->source(company->sourceIds.front());
  CHECK(source->file == "consolidated.xml");
  CHECK(source->sha256 == file.sha256);
  CHECK(source->published == "2019-02-01");
  REQUIRE(company->locations.size() == 1);
  CHECK(company->locations[0].precision == core::Precision::City);
  CHECK(company->locations[0].country == "cn");
  CHECK(company->firstSeen == core::Date::ymd(2019, 2, 1));
  const auto designations = store->designationsOf(company->id);
  REQUIRE(designations.size() == 1);
  CHECK(designations[0].roundId == "UN-2016-03-02");
  CHECK(designations[0].sourceIds == company->sourceIds);
}

TEST_CASE("import: re-importing the same file is a no-op") {
  Database db;
  run(options(db, {kUn}));
  const std::string before = db.info();
  const auto report = run(options(db, {kUn}));
  CHECK(report.files.at(0).skipped.find("was imported before (batch 1") != std::string::npos);
  CHECK(db.info() == before);
}

TEST_CASE("import: a dry run reports everything and writes nothing") {
  Database db;
  const std::string before = db.info();
  auto o = options(db, {kUn, kOfac});
  o.dryRun = true;
  o.asOf = core::Date::ymd(2024, 5, 1);
  const auto dry = run(o);
  CHECK(db.info() == before);
  o.dryRun = false;
  const auto real = run(o);
  CHECK(ops::importReportJson(dry)["totals"] == ops::importReportJson(real)["totals"]);
  CHECK(ops::importReportJson(dry)["dry_run"] == true);
  CHECK(db.info() != before);
}

TEST_CASE("import: one party listed by the UN and OFAC is one entity with both designations") {
  Database db;
  auto o = options(db, {kUn, kOfac});
  o.asOf = core::Date::ymd(2024, 5, 1);
  const auto report = run(o);
  const auto& ofac = report.files.at(1);
  CHECK(ofac.companions.size() == 2);
  CHECK(total(ofac.merged) == 4);
  CHECK(ofac.crossListMerges.size() == 4);

  auto store = db.open();
  // By IMO number (the UN's COMMENTS1 "IMO Number" and OFAC's "Company Number IMO").
  const auto company = entityOf(*store, "un", "KPe.901");
  CHECK(authoritiesOf(*store, company) == std::vector<std::string>{"OFAC 99001", "UN KPe.901"});
  CHECK(authoritiesOf(*store, entityOf(*store, "imo", "9200001")) ==
        std::vector<std::string>{"OFAC 99005", "UN KPe.902"});
  // By passport number.
  CHECK(authoritiesOf(*store, entityOf(*store, "un", "KPi.901")) ==
        std::vector<std::string>{"OFAC 99002", "UN KPi.901"});
  // By name and date of birth: of two OFAC namesakes, the one born in 1961.
  CHECK(authoritiesOf(*store, entityOf(*store, "un", "KPi.902")) ==
        std::vector<std::string>{"OFAC 99003", "UN KPi.902"});
  CHECK(authoritiesOf(*store, entityOf(*store, "ofac", "99004")) ==
        std::vector<std::string>{"OFAC 99004"});
  // The merged entity keeps both lists' names and sources.
  const auto merged = store->entity(company);
  CHECK(merged->names.front().text == "KOREA FIXTURE SHIPPING COMPANY");
  CHECK(std::any_of(merged->names.begin(), merged->names.end(), [](const core::Name& n) {
    return n.text == "KOREA FIXTURE SHIPPING COMPANY LIMITED";
  }));
  CHECK(merged->sourceIds.size() == 4);  // the UN list, sdn.csv, add.csv and alt.csv

  // The same files in two runs give the same database.
  Database twice;
  auto first = options(twice, {kUn});
  run(first);
  auto second = options(twice, {kOfac});
  second.asOf = core::Date::ymd(2024, 5, 1);
  CHECK(total(run(second).files.at(0).merged) == 4);
  auto other = twice.open();
  CHECK(other->stats().entities == store->stats().entities);
  CHECK(other->stats().designations == store->stats().designations);
}

TEST_CASE("import: Linked To becomes entity links and Dandong addresses land in Dandong") {
  Database db;
  auto o = options(db, {kOfac});
  o.asOf = core::Date::ymd(2024, 5, 1);
  const auto report = run(o);
  CHECK(report.files.at(0).linksAdded == 3);
  CHECK(report.files.at(0).unresolvedLinks.empty());
  auto store = db.open();
  CHECK(store->stats().entityLinks == 3);
  const auto dandong = store->entity(entityOf(*store, "ofac", "99006"));
  REQUIRE(dandong->locations.size() == 2);
  CHECK(dandong->locations[0].precision == core::Precision::City);
  CHECK(dandong->locations[0].wkt.find("POINT(124.39") == 0);
  CHECK(dandong->locations[1].country == "hk");
  const auto& approximate = report.files.at(0).approximate;
  REQUIRE(approximate.size() == 1);
  CHECK(approximate[0].what.find("placed at Shenyang (towns) for 'Sheyang City'") !=
        std::string::npos);
}

TEST_CASE("import: snapshots without dates give first/last seen, new rounds and delistings") {
  Database db;
  auto first = options(db, {kOfac});
  first.asOf = core::Date::ymd(2024, 5, 1);
  CHECK(run(first).files.at(0).rounds.at("OFAC-2024-05-01") == 8);

  auto second = options(db, {kFixtures + "/ofac/snapshot2/sdn.csv"});
  second.asOf = core::Date::ymd(2024, 6, 1);
  const auto report = run(second);
  const auto& file = report.files.at(0);
  CHECK(file.created.at("organization") == 1);
  CHECK(total(file.merged) == 7);
  CHECK(file.designationsAdded == 1);
  CHECK(file.rounds.at("OFAC-2024-06-01") == 1);
  CHECK(file.rounds.at("OFAC-2024-05-01") == 7);
  REQUIRE(file.delisted.size() == 1);
  CHECK(file.delisted[0].where == "OFAC 99004");

  auto store = db.open();
  const auto gone = store->designationsOf(entityOf(*store, "ofac", "99004"));
  REQUIRE(gone.size() == 1);
  CHECK(gone[0].delisted == core::Date::ymd(2024, 6, 1));
  const auto kept = store->entity(entityOf(*store, "ofac", "99001"));
  CHECK(kept->firstSeen == core::Date::ymd(2024, 5, 1));
  CHECK(kept->lastSeen == core::Date::ymd(2024, 6, 1));
  CHECK(store->entity(entityOf(*store, "ofac", "99004"))->lastSeen == core::Date::ymd(2024, 5, 1));
  const auto fresh = store->designationsOf(entityOf(*store, "ofac", "99011"));
  CHECK(fresh.at(0).roundId == "OFAC-2024-06-01");
  CHECK(fresh.at(0).listed == core::Date::ymd(2024, 6, 1));

  // An older snapshot imported afterwards delists nothing.
  auto older = options(db, {kFixtures + "/ofac/bad_rows/sdn.csv"});
  older.asOf = core::Date::ymd(2024, 1, 1);
  CHECK(run(older).files.at(0).delisted.empty());
}

TEST_CASE("import: a rounds table assigns rounds explicitly and wins over first seen") {
  Database db;
  auto o = options(db, {kOfac});
  o.asOf = core::Date::ymd(2024, 5, 1);
  o.roundsFile = kFixtures + "/ofac/rounds.csv";
  const auto report = run(o);
  CHECK(report.files.at(0).rounds.at("OFAC-2017-08-22") == 2);
  CHECK(report.files.at(0).rounds.at("OFAC-2024-05-01") == 6);
  auto store = db.open();
  const auto d = store->designationsOf(entityOf(*store, "ofac", "99006")).at(0);
  CHECK(d.roundId == "OFAC-2017-08-22");
  CHECK(d.listed == core::Date::ymd(2017, 8, 22));
  std::string label;
  store->forEachRound([&](const store::RoundRow& row) {
    if (row.round.id == "OFAC-2017-08-22") label = row.round.label + " | " + row.round.legalBasis;
    return true;
  });
  CHECK(label == "OFAC 2017-08-22 (fixture) | E.O. 13722");
}

TEST_CASE("import: rounds given later re-assign designations imported before") {
  Database db;
  run(options(db, {kOfac}));
  auto o = options(db, {kOfac});
  o.roundsFile = kFixtures + "/ofac/rounds.csv";
  const auto report = run(o);
  CHECK_FALSE(report.files.at(0).skipped.empty());
  auto store = db.open();
  CHECK(store->designationsOf(entityOf(*store, "ofac", "99007")).at(0).roundId ==
        "OFAC-2017-08-22");
}

TEST_CASE("import: advanced XML dates its rounds and legacy XML then merges without re-dating") {
  Database db;
  const auto report =
      run(options(db, {kFixtures + "/ofac/sdn_advanced.xml", kFixtures + "/ofac/sdn.xml"}));
  CHECK(report.files.at(0).rounds.at("OFAC-2018-02-23") == 1);
  CHECK(report.files.at(1).designationsUpdated == 3);
  auto store = db.open();
  CHECK(store->designationsOf(entityOf(*store, "ofac", "99005")).at(0).roundId ==
        "OFAC-2018-02-23");
  CHECK(store->stats().entityLinks == 2);
}

TEST_CASE("import: a bad record is rejected alone and the rest is imported") {
  Database db;
  const auto report =
      run(options(db, {kFixtures + "/un/bad_records.xml", kFixtures + "/ofac/bad_rows/sdn.csv"}));
  CHECK(report.files.at(0).rejected.size() == 4);
  CHECK(report.files.at(1).rejected.size() == 5);
  CHECK(db.open()->stats().entities == 2);
  CHECK(ops::importReportJson(report)["totals"]["rejected"] == 9);
}

TEST_CASE("import: a bad file aborts the whole run and leaves the database as it was") {
  Database db;
  run(options(db, {kFixtures + "/ofac/sdn.xml"}));
  const std::string before = db.info();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"/un/truncated.xml", "truncated.xml:6: malformed XML: unclosed token"},
      {"/un/external_entity.xml", "external_entity.xml:2: has a document type declaration"},
      {"/un/entity_bomb.xml", "entity_bomb.xml:2: has a document type declaration"},
      {"/un/invalid_utf8.xml", "invalid_utf8.xml:6: malformed XML: invalid UTF-8"},
      {"/un/empty.xml", "empty.xml: empty file"},
      {"/un/wrong_root.xml", "wrong_root.xml: an XML file with root element <export>"},
      {"/ofac/not_a_list.txt", "not_a_list.txt: not a format borderlens imports"},
      {"/ofac/rounds.csv", "rounds.csv: a rounds table, not a list"},
      {"/ofac/csv/add.csv", "add.csv: an OFAC add.csv, which is read with its sdn.csv"},
  };
  for (const auto& [name, error] : cases) {
    // A good file first: it must not be imported either.
    const std::string message = thrownBy([&] { run(options(db, {kUn, kFixtures + name})); });
    CHECK_MESSAGE(message.find(error) != std::string::npos, message);
    CHECK(db.info() == before);
  }
  auto forced = options(db, {kFixtures + "/ofac/sdn.xml"});
  forced.format = "un-xml";
  CHECK(thrownBy([&] { run(forced); }).find("not a UN Security Council Consolidated List") !=
        std::string::npos);
  CHECK(db.info() == before);
}

TEST_CASE("import: arguments are checked before anything is read") {
  Database db;
  auto o = options(db, {kUn});
  o.format = "pdf";
  CHECK_THROWS_AS(run(o), core::UsageError);
  o = options(db, {kUn});
  o.fieldMap["colour"] = "x";
  CHECK_THROWS_AS(run(o), core::UsageError);
  o = options(db, {kUn});
  o.asOf = core::Date::ym(2024, 5);
  CHECK_THROWS_AS(run(o), core::UsageError);
  o = options(db, {kFixtures + "/un/missing.xml"});
  CHECK_THROWS_AS(run(o), core::InputRejected);
  o = options(db, {kUn});
  o.database = db.dir.file("missing.db");
  CHECK_THROWS_AS(run(o), core::DatabaseUnavailable);
  CHECK_FALSE(std::filesystem::exists(o.database));
}

TEST_CASE("import: cancelling rolls everything back") {
  Database db;
  const std::string before = db.info();
  auto o = options(db, {kUn});
  CHECK_THROWS_AS(
      ops::runImport(o, [](double fraction, std::string_view) { return fraction < 0.7; }),
      core::Cancelled);
  CHECK(db.info() == before);
}

TEST_CASE("import: incidents link to entities of the same run, whatever the order given") {
  Database db;
  const auto report = run(options(db, {kFixtures + "/import/incidents.csv", kUn}));
  REQUIRE(report.files.size() == 2);
  CHECK(report.files[0].format == "un-xml");
  const auto& incidents = report.files[1];
  CHECK(incidents.incidentsCreated == 2);
  CHECK(incidents.linksAdded == 3);
  CHECK(incidents.unresolvedLinks.empty());
  CHECK(db.open()->stats().incidentLinks == 3);
  // The same incidents again, from a changed file, are merged rather than duplicated.
  const std::string changed = db.dir.file("incidents.csv");
  std::filesystem::copy_file(kFixtures + "/import/incidents.csv", changed);
  std::ofstream(changed, std::ios::app) << "\n";
  const auto again = run(options(db, {changed})).files.at(0);
  CHECK(again.skipped.empty());
  CHECK(again.incidentsCreated == 0);
  CHECK(again.incidentsMerged == 2);
  CHECK(db.open()->stats().incidents == 2);
}
