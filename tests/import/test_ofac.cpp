#include "core/errors.h"
#include "ingest/detect.h"
#include "ingest/ofac_csv.h"
#include "ingest/ofac_xml.h"
#include "support/printers.h"

#include "support/parse_checks.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>

using namespace borderlens;
using ingest::EntityRecord;
using ingest::ParseResult;

namespace {

const std::string kFixtures = std::string(BORDERLENS_FIXTURES) + "/ofac/";

bool hasName(const EntityRecord& e, const std::string& text, const std::string& quality) {
  return std::any_of(e.names.begin(), e.names.end(),
                     [&](const core::Name& n) { return n.text == text && n.quality == quality; });
}

ParseResult trio() {
  return ingest::parseOfacCsv(ingest::ofacCsvCompanions(kFixtures + "csv/sdn.csv"), {});
}

} // namespace

TEST_CASE("OFAC CSV: companions are found beside sdn.csv") {
  const auto files = ingest::ofacCsvCompanions(kFixtures + "csv/sdn.csv");
  CHECK(files.add == kFixtures + "csv/add.csv");
  CHECK(files.alt == kFixtures + "csv/alt.csv");
  const auto alone = ingest::ofacCsvCompanions(kFixtures + "snapshot2/sdn.csv");
  CHECK(alone.add.empty());
  CHECK(alone.alt.empty());
}

TEST_CASE("OFAC CSV: CRLF, the trailing 0x1A and -0- nulls are tolerated") {
  const auto result = trio();
  CHECK(result.format == "ofac-csv");
  CHECK(result.recordsRead == 8);
  CHECK(result.entities.size() == 8);
  CHECK(result.rejected.empty());
  CHECK_FALSE(result.listDate);
  const auto& star = test::recordWithKey(result, "99005");
  CHECK(star.kind == core::EntityKind::Vessel);
  CHECK(star.notes.find("Call sign: HMFX1") != std::string::npos);
  CHECK(star.notes.find("-0-") == std::string::npos);
  CHECK(test::recordWithKey(result, "99008").kind == core::EntityKind::Aircraft);
  CHECK(test::recordWithKey(result, "99001").kind == core::EntityKind::Organization);
  CHECK(test::recordWithKey(result, "99007").notes.empty());
}

TEST_CASE("OFAC CSV: several programs in one field are split") {
  const auto result = trio();
  CHECK(test::recordWithKey(result, "99001").designations.at(0).programs ==
        std::vector<std::string>{"DPRK3", "DPRK4"});
  CHECK(test::recordWithKey(result, "99006").designations.at(0).programs ==
        std::vector<std::string>{"NPWMD", "DPRK3"});
  CHECK(ingest::splitOfacPrograms("DPRK3] [DPRK-NKSPEA") ==
        std::vector<std::string>{"DPRK3", "DPRK-NKSPEA"});
  const auto& d = test::recordWithKey(result, "99002").designations.at(0);
  CHECK(d.authority == "OFAC");
  CHECK(d.reference == "99002");
  CHECK_FALSE(d.listed);
}

TEST_CASE(
    "OFAC CSV: Remarks give IMO numbers, birth dates, nationality, passports, aliases, links") {
  const auto result = trio();
  CHECK(test::hasIdentifier(test::recordWithKey(result, "99001"), "imo", "9100001"));
  CHECK(test::hasIdentifier(test::recordWithKey(result, "99005"), "imo", "9200001"));
  const auto& pak = test::recordWithKey(result, "99002");
  CHECK(pak.kind == core::EntityKind::Person);
  CHECK(pak.names.front().text == "PAK, Fixture Nam");
  CHECK(pak.birthDates == std::vector<std::string>{"1970-01-02"});
  CHECK(pak.nationalities == std::vector<std::string>{"Korea, North"});
  CHECK(test::hasIdentifier(pak, "passport", "900000001"));
  REQUIRE(pak.links.size() == 1);
  CHECK(pak.links[0].target.scheme == "name");
  CHECK(pak.links[0].target.value == "KOREA FIXTURE SHIPPING COMPANY LIMITED");
  CHECK(pak.links[0].relation == "linked to");
  CHECK(pak.notes.find("Gender Male") != std::string::npos);
  CHECK(test::recordWithKey(result, "99003").birthDates == std::vector<std::string>{"1961"});
  CHECK(hasName(test::recordWithKey(result, "99006"), "DFI", "a.k.a."));
}

TEST_CASE("OFAC CSV: add.csv and alt.csv join by ent_num and may come from another snapshot") {
  const auto result = trio();
  const auto& dandong = test::recordWithKey(result, "99006");
  REQUIRE(dandong.addresses.size() == 2);
  CHECK(dandong.addresses[0].street == "Room 1, Fixture Square");
  CHECK(dandong.addresses[0].city == "Dandong");
  CHECK(dandong.addresses[0].province == "Liaoning");
  CHECK(dandong.addresses[0].postalCode == "118000");
  CHECK(dandong.addresses[0].country == "China");
  CHECK(dandong.addresses[1].city == "Hong Kong");
  CHECK(hasName(dandong, "DANDONG OLD FIXTURE CO", "fka"));
  CHECK(hasName(test::recordWithKey(result, "99001"), "KFSC", "aka"));
  // add.csv and alt.csv are sources of the records they add to.
  REQUIRE(dandong.sources.size() == 2);
  CHECK(dandong.sources[0].file == "add.csv");
  CHECK(dandong.sources[1].file == "alt.csv");
  const auto& typo = test::recordWithKey(result, "99007").addresses.at(0);
  CHECK(typo.city == "Sheyang City");
  CHECK(typo.province == "Liaoning Province");
  // Rows for entries the sdn.csv lacks are counted, not rejected; entries with no add.csv row
  // are told too.
  REQUIRE(result.warnings.size() == 3);
  CHECK(result.warnings[0].find("rows for ent_nums not in") != std::string::npos);
  CHECK(result.warnings[0].find("99009") != std::string::npos);
  CHECK(result.warnings[1].find("99010") != std::string::npos);
  CHECK(result.warnings[2].find("with no row in it: 4 (99003, 99004, 99005, 99008)") !=
        std::string::npos);
}

TEST_CASE("OFAC CSV: bad rows are rejected alone with their line") {
  const std::string path = kFixtures + "bad_rows/sdn.csv";
  const auto result = ingest::parseOfacCsv({path, "", ""}, {});
  CHECK(result.recordsRead == 6);
  REQUIRE(result.entities.size() == 1);
  CHECK(result.entities[0].key == "99101");
  REQUIRE(result.rejected.size() == 5);
  CHECK(result.rejected[0].where.toString() == path + ":2");
  CHECK(result.rejected[0].reason == "4 columns, expected 12");
  CHECK(result.rejected[1].reason == "ent_num 'ABC' is not a positive number");
  CHECK(result.rejected[2].reason == "invalid UTF-8 in column 2");
  CHECK(result.rejected[3].reason == "no SDN_Name");
  CHECK(result.rejected[4].reason == "unknown SDN_Type 'spaceship'");
}

TEST_CASE("OFAC CSV: a file with no valid row is refused") {
  const std::string text = kFixtures + "not_a_list.txt";
  CHECK_THROWS_AS(ingest::parseOfacCsv({text, "", ""}, {}), core::InputRejected);
  const std::string empty = std::string(BORDERLENS_FIXTURES) + "/un/empty.xml";
  CHECK_THROWS_WITH_AS(ingest::parseOfacCsv({empty, "", ""}, {}), (empty + ": empty file").c_str(),
                       core::InputRejected);
}

TEST_CASE("OFAC legacy XML: structured entries and the publish date") {
  const auto result = ingest::parseOfacXml(kFixtures + "sdn.xml", {});
  CHECK(result.format == "ofac-xml");
  CHECK(result.recordsRead == 5);
  REQUIRE(result.entities.size() == 4);
  REQUIRE(result.rejected.size() == 1);
  CHECK(result.rejected[0].reason == "sdnEntry without uid");
  CHECK(*result.listDate == core::Date::ymd(2024, 5, 3));
  CHECK(result.listSource.published == "2024-05-03");

  const auto& company = test::recordWithKey(result, "99001");
  CHECK(company.designations.at(0).programs == std::vector<std::string>{"DPRK3", "DPRK4"});
  CHECK(test::hasIdentifier(company, "imo", "9100001"));
  CHECK(hasName(company, "KFSC", "a.k.a."));
  CHECK(company.addresses.at(0).city == "Pyongyang");

  const auto& pak = test::recordWithKey(result, "99002");
  CHECK(pak.names.front().text == "PAK, Fixture Nam");
  CHECK(pak.birthDates == std::vector<std::string>{"1970-01-02"});
  CHECK(pak.nationalities == std::vector<std::string>{"Korea, North"});
  CHECK(test::hasIdentifier(pak, "passport", "900000001"));
  CHECK(pak.links.at(0).target.value == "KOREA FIXTURE SHIPPING COMPANY LIMITED");

  const auto& star = test::recordWithKey(result, "99005");
  CHECK(star.kind == core::EntityKind::Vessel);
  CHECK(test::hasIdentifier(star, "imo", "9200001"));
  CHECK(hasName(test::recordWithKey(result, "99006"), "DFI", "a.k.a. (weak)"));
}

TEST_CASE("OFAC advanced XML: EntryEvent dates, legal bases, programs and references resolved") {
  const auto result = ingest::parseOfacAdvancedXml(kFixtures + "sdn_advanced.xml", {});
  CHECK(result.format == "ofac-advanced");
  CHECK(result.recordsRead == 3);
  CHECK(result.rejected.empty());
  CHECK(*result.listDate == core::Date::ymd(2024, 5, 3));

  const auto& star = test::recordWithKey(result, "99005");
  CHECK(star.kind == core::EntityKind::Vessel);
  CHECK(star.names.front().text == "FIXTURE STAR");
  CHECK(test::hasIdentifier(star, "imo", "9200001"));
  const auto& starListing = star.designations.at(0);
  CHECK(*starListing.listed == core::Date::ymd(2018, 2, 23));
  CHECK(starListing.roundLabel == "OFAC 2018-02-23");
  CHECK(starListing.legalBasis == "EO13722");
  CHECK(starListing.programs == std::vector<std::string>{"DPRK4"});

  const auto& pak = test::recordWithKey(result, "99002");
  CHECK(pak.kind == core::EntityKind::Person);
  CHECK(pak.names.front().text == "PAK, Fixture Nam");
  CHECK(pak.birthDates == std::vector<std::string>{"1970-01-02"});
  CHECK(pak.nationalities == std::vector<std::string>{"Korea, North"});
  CHECK(test::hasIdentifier(pak, "passport", "900000001"));
  CHECK(pak.notes.find("Gender: Male") != std::string::npos);
  // The earliest entry event is the designation; a later amendment is not.
  CHECK(*pak.designations.at(0).listed == core::Date::ymd(2016, 12, 2));

  const auto& dandong = test::recordWithKey(result, "99006");
  CHECK(dandong.kind == core::EntityKind::Organization);
  CHECK(hasName(dandong, "DFI", "a.k.a. (low quality)"));
  REQUIRE(dandong.addresses.size() == 1);
  CHECK(dandong.addresses[0].city == "Dandong");
  CHECK(dandong.addresses[0].province == "Liaoning");
  CHECK(dandong.addresses[0].postalCode == "118000");
  CHECK(dandong.addresses[0].country == "China");
  CHECK(dandong.designations.at(0).programs == std::vector<std::string>{"NPWMD", "DPRK3"});
  CHECK(dandong.designations.at(0).legalBasis == "EO13382");
  REQUIRE(dandong.links.size() == 1);
  CHECK(dandong.links[0].target.scheme == "ofac");
  CHECK(dandong.links[0].target.value == "99005");
  CHECK(dandong.links[0].relation == "linked to");
}

TEST_CASE("OFAC XML: the wrong root element is refused") {
  const std::string path = kFixtures + "sdn.xml";
  CHECK_THROWS_AS(ingest::parseOfacAdvancedXml(path, {}), core::InputRejected);
  CHECK_THROWS_AS(ingest::parseOfacXml(kFixtures + "sdn_advanced.xml", {}), core::InputRejected);
}

TEST_CASE("detection: OFAC formats by content, not by name") {
  CHECK(ingest::detectFormat(kFixtures + "csv/sdn.csv") == "ofac-csv");
  CHECK(ingest::detectFormat(kFixtures + "csv/add.csv") == ingest::kOfacAddCsv);
  CHECK(ingest::detectFormat(kFixtures + "csv/alt.csv") == ingest::kOfacAltCsv);
  CHECK(ingest::detectFormat(kFixtures + "sdn.xml") == "ofac-xml");
  CHECK(ingest::detectFormat(kFixtures + "sdn_advanced.xml") == "ofac-advanced");
  CHECK(ingest::detectFormat(kFixtures + "rounds.csv") == ingest::kRoundsCsv);
  CHECK_THROWS_AS(ingest::detectFormat(kFixtures + "not_a_list.txt"), core::InputRejected);
}
