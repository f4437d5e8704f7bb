#include "core/errors.h"
#include "ingest/detect.h"
#include "ingest/un_xml.h"
#include "support/printers.h"

#include "support/parse_checks.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>

using namespace borderlens;
using ingest::EntityRecord;
using ingest::ParseResult;

namespace {

const std::string kFixtures = std::string(BORDERLENS_FIXTURES) + "/un/";

} // namespace

TEST_CASE("UN XML: individuals and entities of every list type, with the list's own date") {
  const auto result = ingest::parseUnXml(kFixtures + "consolidated.xml", {});
  CHECK(result.format == "un-xml");
  CHECK(result.recordsRead == 8);
  CHECK(result.entities.size() == 8);
  CHECK(result.rejected.empty());
  REQUIRE(result.listDate);
  CHECK(*result.listDate == core::Date::ymd(2019, 2, 1));
  CHECK(result.listSource.file == "consolidated.xml");
  CHECK(result.listSource.sha256.size() == 64);
  CHECK(result.listSource.published == "2019-02-01");
  CHECK(result.listSource.publisher == "United Nations Security Council");

  const auto persons =
      std::count_if(result.entities.begin(), result.entities.end(),
                    [](const EntityRecord& e) { return e.kind == core::EntityKind::Person; });
  CHECK(persons == 3);
  const auto& other = test::recordWithKey(result, "QDi.901");
  REQUIRE(other.designations.size() == 1);
  CHECK(other.designations[0].programs == std::vector<std::string>{"Al-Qaida"});
  CHECK(other.designations[0].roundLabel == "UN 2011-05-20");
}

TEST_CASE("UN XML: padding is trimmed from names and references") {
  const auto result = ingest::parseUnXml(kFixtures + "consolidated.xml", {});
  const auto& pak = test::recordWithKey(result, "KPi.901");
  CHECK(pak.names.front().text == "PAK FIXTURE NAM");
  CHECK(pak.names.front().primary);
  const auto& kim = test::recordWithKey(result, "KPi.902");
  CHECK(kim.where.id == "KPi.902");
  CHECK(test::hasIdentifier(kim, "un", "KPi.902"));
  CHECK(kim.designations[0].reference == "KPi.902");
  CHECK(test::recordWithKey(result, "KPe.901").names.front().text == "KOREA FIXTURE SHIPPING COMPANY");
}

TEST_CASE("UN XML: aliases keep their quality and original-script names their script") {
  const auto result = ingest::parseUnXml(kFixtures + "consolidated.xml", {});
  const auto& pak = test::recordWithKey(result, "KPi.901");
  REQUIRE(pak.names.size() == 4);
  CHECK(pak.names[1].text == "박시험남");
  CHECK(pak.names[1].script == core::Script::Hangul);
  CHECK(pak.names[1].language == "ko");
  CHECK(pak.names[2].text == "Pak Fixture-Nam");
  CHECK(pak.names[2].quality == "Good");
  CHECK(pak.names[3].quality == "Low");
  const auto& trading = test::recordWithKey(result, "KPe.903");
  CHECK(trading.names[1].script == core::Script::Han);
  CHECK(trading.names[2].quality == "f.k.a.");
  // Empty placeholder aliases add nothing.
  CHECK(test::recordWithKey(result, "KPi.902").names.size() == 1);
}

TEST_CASE("UN XML: documents, nationality and birth dates") {
  const auto result = ingest::parseUnXml(kFixtures + "consolidated.xml", {});
  const auto& pak = test::recordWithKey(result, "KPi.901");
  // The same passport in English and French is one identifier.
  CHECK(std::count_if(pak.identifiers.begin(), pak.identifiers.end(),
                      [](const core::Identifier& id) { return id.scheme == "passport"; }) == 1);
  CHECK(test::hasIdentifier(pak, "passport", "900000001"));
  CHECK(pak.nationalities == std::vector<std::string>{"Democratic People's Republic of Korea"});
  CHECK(pak.birthDates == std::vector<std::string>{"1970-01-02"});
  CHECK(test::recordWithKey(result, "KPi.902").birthDates == std::vector<std::string>{"1961"});
  CHECK(test::recordWithKey(result, "QDi.901").birthDates == std::vector<std::string>{"1960"});
  CHECK(test::recordWithKey(result, "QDi.901").notes.find("Place of birth: Tripoli, Libya") !=
        std::string::npos);
  CHECK(pak.notes.find("Designation: Fixture official") != std::string::npos);
}

TEST_CASE("UN XML: IMO numbers in COMMENTS1 and vessels told from companies") {
  const auto result = ingest::parseUnXml(kFixtures + "consolidated.xml", {});
  const auto& company = test::recordWithKey(result, "KPe.901");
  CHECK(company.kind == core::EntityKind::Organization);
  CHECK(test::hasIdentifier(company, "imo", "9100001"));
  // The ship it operates is named with its own IMO number in parentheses: not the company's.
  CHECK_FALSE(test::hasIdentifier(company, "imo", "9200001"));
  const auto& ship = test::recordWithKey(result, "KPe.902");
  CHECK(ship.kind == core::EntityKind::Vessel);
  CHECK(ship.names.front().text == "FIXTURE STAR");
  CHECK(test::hasIdentifier(ship, "imo", "9200001"));
}

TEST_CASE("UN XML: addresses as written, quirks included") {
  const auto result = ingest::parseUnXml(kFixtures + "consolidated.xml", {});
  const auto& company = test::recordWithKey(result, "KPe.901");
  REQUIRE(company.addresses.size() == 1);
  CHECK(company.addresses[0].city == "Shandong");
  CHECK(company.addresses[0].province == "Dalian");
  CHECK(company.addresses[0].country == "China");
  CHECK(company.addresses[0].text ==
        "Room 1, Fixture Building, 1 Fixture Road, Shandong, Dalian, China");
  CHECK(test::recordWithKey(result, "KPe.903").addresses[0].country ==
        "China, Hong Kong Special Administrative Region");
  // <INDIVIDUAL_ADDRESS><COUNTRY/></INDIVIDUAL_ADDRESS> is no address.
  CHECK(test::recordWithKey(result, "KPi.901").addresses.empty());
}

TEST_CASE("UN XML: LISTED_ON gives the round and resolution days are labelled") {
  const auto result = ingest::parseUnXml(kFixtures + "consolidated.xml", {});
  const auto& pak = test::recordWithKey(result, "KPi.901").designations.at(0);
  CHECK(pak.authority == "UN");
  CHECK(pak.programs == std::vector<std::string>{"DPRK"});
  CHECK(*pak.listed == core::Date::ymd(2016, 11, 30));
  CHECK(pak.roundLabel == "UN 2016-11-30 (res. 2321)");
  CHECK(pak.legalBasis == "UNSCR 2321 (2016)");
  const auto& kim = test::recordWithKey(result, "KPi.902").designations.at(0);
  CHECK(kim.roundLabel == "UN 1718 Committee 2018-03-30");
  CHECK(kim.legalBasis == "UNSCR 1718 (2006)");
}

TEST_CASE("UN resolutions: the ten DPRK sanctions resolutions by adoption date") {
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2006, 10, 14))->number == 1718);
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2009, 6, 12))->number == 1874);
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2013, 1, 22))->number == 2087);
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2013, 3, 7))->number == 2094);
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2016, 3, 2))->number == 2270);
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2016, 11, 30))->number == 2321);
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2017, 6, 2))->number == 2356);
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2017, 8, 5))->number == 2371);
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2017, 9, 11))->number == 2375);
  CHECK(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2017, 12, 22))->number == 2397);
  CHECK_FALSE(ingest::dprkResolutionAdoptedOn(core::Date::ymd(2018, 3, 30)));
}

TEST_CASE("UN XML: a bad record is rejected alone, with line and reason") {
  const auto result = ingest::parseUnXml(kFixtures + "bad_records.xml", {});
  CHECK(result.recordsRead == 5);
  REQUIRE(result.entities.size() == 1);
  CHECK(result.entities[0].key == "KPi.911");
  REQUIRE(result.rejected.size() == 4);
  CHECK(result.rejected[0].where.toString() == kFixtures + "bad_records.xml:4 (KPi.912)");
  CHECK(result.rejected[0].reason == "LISTED_ON '2017-13-45' is not a date (YYYY-MM-DD)");
  CHECK(result.rejected[1].reason == "no REFERENCE_NUMBER");
  CHECK(result.rejected[2].reason == "no name (FIRST_NAME is empty)");
  CHECK(result.rejected[3].reason == "duplicate REFERENCE_NUMBER KPi.911 (first at line 3)");
}

TEST_CASE("UN XML: a malformed file aborts, naming file and line") {
  const std::string truncated = kFixtures + "truncated.xml";
  CHECK(test::thrownBy([&] { ingest::parseUnXml(truncated, {}); }) ==
        truncated + ":6: malformed XML: unclosed token; the file is truncated or incomplete");
  const std::string utf8 = kFixtures + "invalid_utf8.xml";
  CHECK(test::thrownBy([&] { ingest::parseUnXml(utf8, {}); }) ==
        utf8 + ":6: malformed XML: invalid UTF-8");
  const std::string empty = kFixtures + "empty.xml";
  CHECK(test::thrownBy([&] { ingest::parseUnXml(empty, {}); }) == empty + ": empty file");
  const std::string wrong = kFixtures + "wrong_root.xml";
  CHECK(
      test::thrownBy([&] { ingest::parseUnXml(wrong, {}); }) ==
      wrong +
          ":2: not a UN Security Council Consolidated List (root element <export>, expected <CONSOLIDATED_LIST>)");
}

TEST_CASE("UN XML: DTDs are refused, so no entity is ever resolved or expanded") {
  for (const char* name : {"external_entity.xml", "entity_bomb.xml"}) {
    const std::string path = kFixtures + name;
    const std::string error = test::thrownBy([&] { ingest::parseUnXml(path, {}); });
    CHECK(error.rfind(path + ":2: has a document type declaration", 0) == 0);
  }
}

TEST_CASE("UN XML: cancelling stops the parse") {
  CHECK_THROWS_AS(ingest::parseUnXml(kFixtures + "consolidated.xml",
                                     [](double, std::string_view) { return false; }),
                  core::Cancelled);
}

// Found by fuzzing (tests/fuzz/regressions/un_xml): a record inside a record used to leave the
// parser reading the inner record's freed fields when the outer one closed.
TEST_CASE("UN XML: a record nested inside another rejects the outer one") {
  const auto result = ingest::parseUnXml(kFixtures + "nested_record.xml", {});
  CHECK(result.recordsRead == 2);
  REQUIRE(result.entities.size() == 1);
  CHECK(result.entities[0].key == "KPi.922");
  REQUIRE(result.rejected.size() == 1);
  CHECK(result.rejected[0].where.toString() == kFixtures + "nested_record.xml:4 (KPi.921)");
  CHECK(result.rejected[0].reason == "<INDIVIDUAL> nested inside another record");
}

TEST_CASE("detection: UN XML by its root element") {
  CHECK(ingest::detectFormat(kFixtures + "consolidated.xml") == "un-xml");
  CHECK_THROWS_AS(ingest::detectFormat(kFixtures + "empty.xml"), core::InputRejected);
  CHECK_THROWS_AS(ingest::detectFormat(kFixtures + "wrong_root.xml"), core::InputRejected);
}
