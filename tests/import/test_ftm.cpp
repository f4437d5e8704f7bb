#include "core/errors.h"
#include "ingest/ftm.h"
#include "support/fixture.h"
#include "support/printers.h"

#include "support/parse_checks.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>

using namespace borderlens;
using ingest::EntityRecord;
using ingest::ParseResult;

namespace {

const std::string kFixtures = std::string(BORDERLENS_FIXTURES) + "/ftm/";

bool hasWarning(const ParseResult& result, const std::string& part) {
  return std::any_of(result.warnings.begin(), result.warnings.end(),
                     [&](const std::string& w) { return w.find(part) != std::string::npos; });
}

} // namespace

TEST_CASE("FtM JSON lines: entities, names, addresses and identifiers") {
  const auto result = ingest::parseFtmJson(kFixtures + "good.ftm.json", {});
  CHECK(result.format == "ftm");
  CHECK(result.listSource.file == "good.ftm.json");
  CHECK(result.listSource.sha256.empty());
  CHECK(result.recordsRead == 18);
  CHECK(result.rejected.empty());
  REQUIRE(result.entities.size() == 4);

  const auto& trading = test::recordWithKey(result, "fx-trading");
  CHECK(trading.kind == core::EntityKind::Organization);
  CHECK(trading.where.line == 3);
  REQUIRE(trading.names.size() == 5);
  CHECK(trading.names[0].text == "Dandong Fixture Trading Co.");  // the caption
  CHECK(trading.names[0].primary);
  CHECK(trading.names[1].text == "DANDONG FIXTURE TRADING CO");
  CHECK_FALSE(trading.names[1].primary);
  CHECK(trading.names[2].text == "丹东测试贸易有限公司");
  CHECK(trading.names[2].script == core::Script::Han);
  CHECK(trading.names[2].language == "zh");
  CHECK(trading.names[0].language.empty());
  CHECK(trading.names[3].text == "DFT");
  CHECK(trading.names[3].quality == "alias");
  CHECK(trading.names[4].text == "Fixture Co");
  CHECK(trading.names[4].quality == "weak");
  CHECK(test::hasIdentifier(trading, "ftm", "fx-trading"));
  CHECK(test::hasIdentifier(trading, "registrationNumber", "FX-123"));
  CHECK(test::hasIdentifier(trading, "un", "KPe.900"));
  CHECK(test::hasIdentifier(trading, "ofac", "90001"));
  CHECK(trading.nationalities == std::vector<std::string>{"cn"});
  CHECK(trading.notes == "Fixture company, stands for no real party.");
  REQUIRE(trading.firstSeen);
  CHECK(*trading.firstSeen == core::Date::ymd(2017, 8, 22));
  CHECK(result.listDate == core::Date::ymd(2024, 5, 3));

  // The structured addresses, not the address text that repeats them.
  REQUIRE(trading.addresses.size() == 2);
  const auto& city = trading.addresses[0];
  CHECK(city.text == "Dandong, Liaoning, China");
  CHECK(city.city == "Dandong");
  CHECK(city.province == "Liaoning");
  CHECK(city.country == "cn");
  REQUIRE(city.lon);
  CHECK(*city.lon == doctest::Approx(124.383));
  CHECK(*city.lat == doctest::Approx(40.117));
  CHECK(city.precision == core::Precision::City);
  const auto& street = trading.addresses[1];
  CHECK(street.street == "No. 1 Fixture Road");
  CHECK_FALSE(street.lon);
  CHECK_FALSE(street.precision);

  // Two publishers and two URLs pair in order; the address's source joins the entity's.
  REQUIRE(trading.sources.size() == 3);
  CHECK(trading.sources[0].url == "https://example.org/fixture/a");
  CHECK(trading.sources[0].publisher == "Fixture Press");
  CHECK(trading.sources[1].url == "https://example.org/fixture/b");
  CHECK(trading.sources[1].publisher == "Fixture Gazette");
  CHECK(trading.sources[2].publisher == "Fixture Gazetteer");
  CHECK(trading.sources[2].url == "https://example.org/fixture/dandong");

  const auto& pak = test::recordWithKey(result, "fx-pak");
  CHECK(pak.kind == core::EntityKind::Person);
  REQUIRE(pak.names.size() == 2);
  CHECK(pak.names[1].script == core::Script::Hangul);
  CHECK(pak.names[1].language == "ko");
  CHECK(pak.birthDates == std::vector<std::string>{"1970-01-02"});
  CHECK(pak.nationalities == std::vector<std::string>{"cn", "kp"});
  REQUIRE(pak.addresses.size() == 1);  // no addressEntity: the text is the address
  CHECK(pak.addresses[0].text == "Shenyang, China");
  REQUIRE(pak.sources.size() == 1);  // one publisher: it is the URL's
  CHECK(pak.sources[0].publisher == "Fixture Press");
  CHECK(pak.sources[0].url == "https://example.org/fixture/pak");
  CHECK(test::hasIdentifier(pak, "passport", "P1234567"));

  const auto& star = test::recordWithKey(result, "fx-star");
  CHECK(star.kind == core::EntityKind::Vessel);
  CHECK(test::hasIdentifier(star, "imo", "9000001"));
  CHECK(star.nationalities == std::vector<std::string>{"kp"});
  CHECK(test::recordWithKey(result, "fx-plane").kind == core::EntityKind::Aircraft);
}

TEST_CASE("FtM JSON lines: sanctions become designations with normalised authorities") {
  const auto result = ingest::parseFtmJson(kFixtures + "good.ftm.json", {});
  const auto& trading = test::recordWithKey(result, "fx-trading");
  REQUIRE(trading.designations.size() == 3);
  const auto& un = trading.designations[0];
  CHECK(un.authority == "UN");
  CHECK(un.programs == std::vector<std::string>{"DPRK"});
  CHECK(un.reference == "KPe.900");
  CHECK(un.listed == core::Date::ymd(2017, 8, 5));  // listingDate wins over startDate
  CHECK_FALSE(un.delisted);
  REQUIRE(un.sources.size() == 1);
  CHECK(un.sources[0].publisher == "United Nations Security Council");
  const auto& ofac = trading.designations[1];
  CHECK(ofac.authority == "OFAC");
  CHECK(ofac.programs == std::vector<std::string>{"DPRK3", "NPWMD"});
  CHECK(ofac.listed == core::Date::ymd(2017, 8, 22));
  CHECK(ofac.delisted == core::Date::ymd(2020, 1, 1));
  CHECK(trading.designations[2].authority == "Fixture Sanctions Office");
  CHECK(hasWarning(result, "authority 'Fixture Sanctions Office' is not one borderlens knows"));

  const auto& pak = test::recordWithKey(result, "fx-pak");
  REQUIRE(pak.designations.size() == 3);
  CHECK(pak.designations[0].authority == "EU");
  CHECK(pak.designations[0].listed == core::Date::ym(2018, 1));
  CHECK(pak.designations[1].authority == "UK");
  CHECK(pak.designations[2].authority == "FinCEN");
}

TEST_CASE("FtM JSON lines: links, and what is skipped is reported") {
  const auto result = ingest::parseFtmJson(kFixtures + "good.ftm.json", {});
  const auto& pak = test::recordWithKey(result, "fx-pak");
  REQUIRE(pak.links.size() == 1);
  CHECK(pak.links[0].target.scheme == "ftm");
  CHECK(pak.links[0].target.value == "fx-trading");
  CHECK(pak.links[0].relation == "owner of");
  // The director is not in the file, so the link hangs on the organization, seen from there.
  const auto& trading = test::recordWithKey(result, "fx-trading");
  REQUIRE(trading.links.size() == 1);
  CHECK(trading.links[0].target.value == "fx-outside");
  CHECK(trading.links[0].relation == "directed by");

  const std::string file = kFixtures + "good.ftm.json";
  CHECK(std::find(result.warnings.begin(), result.warnings.end(),
                  file + ": 1 Ownership record not imported (without two entity ids): line 15") !=
        result.warnings.end());
  CHECK(std::find(result.warnings.begin(), result.warnings.end(),
                  file + ": 1 Note record not imported (schema not imported): line 16") !=
        result.warnings.end());
  CHECK(std::find(result.warnings.begin(), result.warnings.end(),
                  file + ": 1 Family record not imported (neither entity in this file): line 18") !=
        result.warnings.end());
}

TEST_CASE("FtM JSON lines: each bad line is rejected with its line and reason") {
  test::TempDir dir;
  const std::string path = dir.file("bad.ftm.json");
  {
    std::ifstream in(kFixtures + "bad.ftm.json", std::ios::binary);
    std::ofstream out(path, std::ios::binary);
    out << in.rdbuf();
    out << "{\"id\": \"fx-latin1\", \"schema\": \"Person\", \"properties\": "
           "{\"name\": [\"Fixture Caf\xE9\"]}}\n";
  }
  const auto result = ingest::parseFtmJson(path, {});
  CHECK(result.recordsRead == 14);
  CHECK(test::rejectedOn(result, 2) == "invalid JSON (at byte 31)");
  CHECK(test::rejectedOn(result, 3) == "not a JSON object");
  CHECK(test::rejectedOn(result, 4) == "record has no id");
  CHECK(test::rejectedOn(result, 5) == "no name");
  CHECK(test::rejectedOn(result, 6) == "duplicate id 'fx-ok' (first on line 1)");
  CHECK(test::rejectedOn(result, 7) == "latitude '95' is out of range [-90, 90]");
  CHECK(test::rejectedOn(result, 8) == "latitude 'NaN' is not a finite number");
  CHECK(test::rejectedOn(result, 9) == "entity 'fx-ghost' is not in this file");
  CHECK(test::rejectedOn(result, 10) == "startDate '2017-13-45' is not a date");
  CHECK(test::rejectedOn(result, 11) == "entity 'fx-noname' was rejected");
  CHECK(test::rejectedOn(result, 12) == "property 'name' is not a list");
  CHECK(test::rejectedOn(result, 14) == "invalid UTF-8 (at byte 77)");
  CHECK(result.rejected.size() == 12);
  for (const auto& rejected : result.rejected) CHECK(rejected.where.file == path);
  CHECK(result.rejected[4].where.id == "fx-ok");

  REQUIRE(result.entities.size() == 2);
  CHECK(result.entities[1].key == "fx-two");
  CHECK(result.entities[1].addresses.empty());
  CHECK(hasWarning(result, path + ":13 (fx-two): addressEntity 'fx-addr-bad' was rejected"));
}

TEST_CASE("FtM JSON lines: a file that is not FtM is rejected whole") {
  test::TempDir dir;
  std::ofstream(dir.file("empty.json")).close();
  CHECK(test::thrownBy([&] { ingest::parseFtmJson(dir.file("empty.json"), {}); }) ==
        dir.file("empty.json") + ": the file is empty");
  const std::string rounds = std::string(BORDERLENS_FIXTURES) + "/rounds/good.csv";
  CHECK(test::thrownBy([&] { ingest::parseFtmJson(rounds, {}); }) ==
        rounds + ": not FollowTheMoney JSON lines (line 1: invalid JSON (at byte 1))");
  CHECK(test::thrownBy([&] { ingest::parseFtmJson(dir.file("missing.json"), {}); }) ==
        dir.file("missing.json") + ": cannot open");
}

TEST_CASE("OpenSanctions targets.simple.csv") {
  const std::string path = kFixtures + "targets.simple.csv";
  const auto result = ingest::parseFtmTargetsCsv(path, {});
  CHECK(result.format == "ftm-csv");
  CHECK(result.listSource.publisher == "OpenSanctions");
  CHECK(result.listSource.file == "targets.simple.csv");
  CHECK(result.recordsRead == 4);
  CHECK(result.rejected.empty());
  REQUIRE(result.entities.size() == 3);

  const auto& trading = test::recordWithKey(result, "fx-t-1");
  CHECK(trading.kind == core::EntityKind::Organization);
  CHECK(trading.where.line == 2);
  REQUIRE(trading.names.size() == 3);
  CHECK(trading.names[0].text == "Dandong Fixture Trading");
  CHECK(trading.names[0].primary);
  CHECK(trading.names[1].text == "DFT");
  CHECK(trading.names[2].text == "Fixture; Trading Co");  // quoted inside the list cell
  CHECK(trading.names[2].quality == "alias");
  REQUIRE(trading.addresses.size() == 2);
  CHECK(trading.addresses[1].text == "No. 1 Fixture Road; Dandong");
  CHECK(test::hasIdentifier(trading, "identifier", "FX-123"));
  CHECK(test::hasIdentifier(trading, "ftm", "fx-t-1"));
  REQUIRE(trading.designations.size() == 2);
  CHECK(trading.designations[0].authority == "OFAC");
  CHECK(trading.designations[0].programs == std::vector<std::string>{"DPRK3"});
  CHECK(trading.designations[0].listed == core::Date::ymd(2017, 8, 22));
  CHECK(trading.designations[1].programs == std::vector<std::string>{"NPWMD"});
  CHECK(trading.designations[1].listed == core::Date::ymd(2016, 9, 26));
  CHECK(trading.designations[1].delisted == core::Date::ymd(2020, 1, 1));
  CHECK(trading.firstSeen == core::Date::ymd(2017, 8, 23));
  CHECK(trading.lastSeen == core::Date::ymd(2024, 5, 3));

  const auto& pak = test::recordWithKey(result, "fx-t-2");
  CHECK(pak.kind == core::EntityKind::Person);
  REQUIRE(pak.names.size() == 3);
  CHECK(pak.names[1].script == core::Script::Hangul);
  CHECK(pak.names[2].script == core::Script::Han);
  CHECK(pak.birthDates == std::vector<std::string>{"1970-01-02", "1971"});
  CHECK(pak.designations.empty());  // two authorities in its datasets: which one is unknown
  CHECK(hasWarning(result, path + ":3 (fx-t-2): sanction 'DPRK - 2017-08-05' not imported"));

  const auto& star = test::recordWithKey(result, "fx-t-3");
  CHECK(star.kind == core::EntityKind::Vessel);
  CHECK(test::hasIdentifier(star, "imo", "9000001"));
  CHECK(std::find(result.warnings.begin(), result.warnings.end(),
                  path + ": 1 CryptoWallet record not imported (schema not imported): line 5") !=
        result.warnings.end());
  CHECK(result.listDate == core::Date::ymd(2024, 5, 3));
}

TEST_CASE("OpenSanctions targets.simple.csv: bad rows and a missing column") {
  const auto result = ingest::parseFtmTargetsCsv(kFixtures + "bad_targets.simple.csv", {});
  CHECK(result.entities.size() == 1);
  CHECK(test::rejectedOn(result, 3) == "expected 15 fields, found 6");
  CHECK(test::rejectedOn(result, 4) == "name is empty");
  CHECK(test::rejectedOn(result, 5) == "duplicate id 'fx-t-1' (first on line 2)");
  CHECK(test::rejectedOn(result, 6) == "first_seen 'yesterday' is not a date");
  CHECK(result.rejected.size() == 4);

  const std::string missing = kFixtures + "missing_name.simple.csv";
  CHECK(test::thrownBy([&] { ingest::parseFtmTargetsCsv(missing, {}); }) ==
        missing + ": missing required column 'name'");
  const std::string ftm = kFixtures + "good.ftm.json";
  CHECK(test::thrownBy([&] { ingest::parseFtmTargetsCsv(ftm, {}); }) ==
        ftm + ": missing required column 'id'");
}

TEST_CASE("sanctions authorities are normalised from their names") {
  CHECK(ingest::normaliseAuthority("UN Security Council 1718 Committee") == "UN");
  CHECK(ingest::normaliseAuthority("United Nations Security Council (UN SC)") == "UN");
  CHECK(ingest::normaliseAuthority("US Treasury OFAC") == "OFAC");
  CHECK(ingest::normaliseAuthority("Office of Foreign Assets Control") == "OFAC");
  CHECK(ingest::normaliseAuthority("U.S. Department of the Treasury") == "OFAC");
  CHECK(ingest::normaliseAuthority("US Treasury FinCEN") == "FinCEN");
  CHECK(ingest::normaliseAuthority("European Union") == "EU");
  CHECK(ingest::normaliseAuthority("EU Financial Sanctions Files (FSF)") == "EU");
  CHECK(ingest::normaliseAuthority("UK HM Treasury OFSI") == "UK");
  CHECK(ingest::normaliseAuthority("UK HMT/OFSI Consolidated List of Targets") == "UK");
  CHECK(ingest::normaliseAuthority("Australian Sanctions Consolidated List") == "AU");
  CHECK(ingest::normaliseAuthority("Union of Fixture Traders") == std::nullopt);
  CHECK(ingest::normaliseAuthority("") == std::nullopt);
}

TEST_CASE("the demo entities.ftm.json parses with nothing rejected") {
  const auto result =
      ingest::parseFtmJson(std::string(BORDERLENS_GEODATA_DIR) + "/demo/entities.ftm.json", {});
  CHECK(result.rejected.empty());
  CHECK(result.warnings.empty());
  CHECK(result.recordsRead == 204);
  CHECK(result.entities.size() == 65);

  std::map<core::EntityKind, int> kinds;
  std::map<std::string, int> authorities;
  int withCoordinates = 0;
  for (const auto& e : result.entities) {
    ++kinds[e.kind];
    for (const auto& d : e.designations) ++authorities[d.authority];
    for (const auto& a : e.addresses) withCoordinates += a.lon ? 1 : 0;
    CHECK_MESSAGE(!e.sources.empty(), e.key);
  }
  CHECK(kinds[core::EntityKind::Organization] == 29);
  CHECK(kinds[core::EntityKind::Person] == 29);
  CHECK(kinds[core::EntityKind::Vessel] == 7);
  CHECK(authorities == std::map<std::string, int>{
                           {"EU", 11}, {"FinCEN", 1}, {"OFAC", 62}, {"UK", 12}, {"UN", 28}});
  CHECK(withCoordinates > 0);
}
