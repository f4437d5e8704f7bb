#include "support/fixture.h"

#include <random>

namespace borderlens::test {

namespace {

core::Name name(const std::string& text, const std::string& language, bool primary = false) {
  return {text, core::detectScript(text), language, primary, ""};
}

core::Designation designation(core::RecordId entity, const std::string& authority,
                              std::vector<std::string> programs, const std::string& reference,
                              std::optional<core::Date> listed, const std::string& round,
                              core::RecordId source) {
  core::Designation d;
  d.entityId = entity;
  d.authority = authority;
  d.programs = std::move(programs);
  d.reference = reference;
  d.listed = listed;
  d.roundId = round;
  d.sourceIds = {source};
  return d;
}

} // namespace

FixtureIds fillFixture(store::Store& store, bool withBorder) {
  FixtureIds ids;
  store::Transaction transaction(store);
  if (withBorder) store.setBorder({kFixtureBorder});
  const core::RecordId src = store.addSource(
      {0, "borderlens test fixture", "hand-written test records", "2026-11-28", "", "", ""});

  for (const auto& [authority, date, label] :
       std::vector<std::tuple<std::string, core::Date, std::string>>{
           {"OFAC", core::Date::ymd(2016, 9, 26), "OFAC 2016-09-26 (fixture)"},
           {"UN", core::Date::ymd(2017, 12, 22), "UN 2017-12-22 (fixture)"},
           {"UN", core::Date::ymd(2018, 3, 30), "UN 2018-03-30 (fixture)"}}) {
    core::Round round{core::Round::makeId(authority, date), authority, date, label, "", {src}};
    store.upsertRound(round);
  }

  core::Entity trading;
  trading.kind = core::EntityKind::Organization;
  trading.names = {name("Dandong Fixture Trading Co", "en", true), name("丹东测试贸易有限公司", "zh"),
                   name("단둥시험무역회사", "ko")};
  trading.identifiers = {{core::scheme::kOfacEntNum, "90001"}};
  trading.locations = {{0, "POINT(124.3545 40.0003)", core::Precision::City, "Dandong, Liaoning", "cn"}};
  trading.sourceIds = {src};
  ids.dandongTrading = store.addEntity(trading);
  store.addDesignation(designation(ids.dandongTrading, "OFAC", {"DPRK3", "NPWMD"}, "90001",
                                   core::Date::ymd(2016, 9, 26), "OFAC-2016-09-26", src));

  core::Entity pak;
  pak.kind = core::EntityKind::Person;
  pak.names = {name("PAK Fixture", "en", true), name("박시험", "ko"), name("Sinŭiju Fixture", "en")};
  pak.identifiers = {{core::scheme::kUnReference, "KPi.900"}};
  pak.locations = {{0, "POINT(124.3980 40.1000)", core::Precision::City, "Sinuiju", "kp"}};
  pak.sourceIds = {src};
  ids.pakFixture = store.addEntity(pak);
  store.addDesignation(designation(ids.pakFixture, "UN", {"UNSCR 1718"}, "KPi.900",
                                   core::Date::ymd(2017, 12, 22), "UN-2017-12-22", src));
  auto delisted = designation(ids.pakFixture, "OFAC", {"DPRK2"}, "90002",
                              core::Date::ym(2018, 1), "", src);
  delisted.delisted = core::Date::y(2020);
  store.addDesignation(delisted);

  core::Entity star;
  star.kind = core::EntityKind::Vessel;
  star.names = {name("FIXTURE STAR", "en", true)};
  star.identifiers = {{core::scheme::kImo, "9000001"}, {core::scheme::kUnReference, "KPe.900"}};
  star.sourceIds = {src};
  ids.fixtureStar = store.addEntity(star);
  store.addDesignation(designation(ids.fixtureStar, "UN", {"UNSCR 1718"}, "KPe.900",
                                   core::Date::ymd(2018, 3, 30), "UN-2018-03-30", src));

  core::Entity office;
  office.kind = core::EntityKind::Organization;
  office.names = {name("Shenyang Fixture Office", "en", true), name("沈阳测试办事处", "zh")};
  office.locations = {{0, "POINT(123.4315 41.8057)", core::Precision::City, "Shenyang", "cn"}};
  ids.shenyangOffice = store.addEntity(office);

  core::Incident seizure;
  seizure.externalId = "fixture-1";
  seizure.kind = "seizure";
  seizure.title = "Fixture seizure at Dandong customs";
  seizure.span = {core::Date::ymd(2017, 8, 15), std::nullopt};
  seizure.wkt = "POINT(124.3900 40.1100)";
  seizure.precision = core::Precision::Exact;
  seizure.place = "Dandong customs";
  seizure.confidence = 0.9;
  seizure.sourceIds = {src};
  ids.seizure = store.addIncident(seizure);
  store.addIncidentLink({ids.seizure, ids.dandongTrading, "subject"});

  core::Incident transfer;
  transfer.externalId = "fixture-2";
  transfer.kind = "ship_to_ship_transfer";
  transfer.title = "Fixture ship-to-ship transfer";
  transfer.span = {core::Date::ym(2018, 1), std::nullopt};
  transfer.wkt = "POLYGON((123.5 39.0, 124.5 39.0, 124.5 39.6, 123.5 39.6, 123.5 39.0))";
  transfer.precision = core::Precision::Region;
  transfer.place = "Korea Bay";
  transfer.confidence = 0.7;
  transfer.sourceIds = {src};
  ids.transfer = store.addIncident(transfer);
  store.addIncidentLink({ids.transfer, ids.fixtureStar, "vessel"});

  core::Incident investigation;
  investigation.externalId = "fixture-3";
  investigation.kind = "investigation";
  investigation.title = "Fixture investigation";
  investigation.span = {core::Date::y(2019), std::nullopt};
  investigation.wkt = "POINT(124.3700 40.1300)";
  investigation.precision = core::Precision::City;
  investigation.place = "丹东";
  investigation.confidence = 0.5;
  investigation.sourceIds = {src};
  ids.investigation = store.addIncident(investigation);

  core::Incident closure;
  closure.externalId = "fixture-4";
  closure.kind = "office_closure";
  closure.title = "Fixture office closure";
  closure.span = {core::Date::ymd(2017, 12, 20), core::Date::ymd(2018, 1, 10)};
  closure.wkt = "POINT(123.4315 41.8057)";
  closure.precision = core::Precision::City;
  closure.place = "Shenyang";
  closure.confidence = 0.7;
  closure.sourceIds = {src};
  ids.closure = store.addIncident(closure);
  store.addIncidentLink({ids.closure, ids.shenyangOffice, "subject"});
  store.addIncidentLink({ids.closure, ids.pakFixture, "manager"});

  store.addEntityLink({ids.pakFixture, ids.dandongTrading, "linked to", {src}});
  transaction.commit();
  return ids;
}

TempDir::TempDir() {
  std::random_device device;
  const auto base = std::filesystem::temp_directory_path();
  for (;;) {
    m_path = base / ("borderlens-test-" + std::to_string(device()));
    if (std::filesystem::create_directory(m_path)) break;
  }
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

} // namespace borderlens::test
