#include "core/errors.h"
#include "ingest/rounds_csv.h"
#include "support/fixture.h"
#include "support/printers.h"

#include "support/parse_checks.h"

#include <doctest/doctest.h>

#include <fstream>
#include <map>

using namespace borderlens;
using ingest::ParseResult;

namespace {

const std::string kFixtures = std::string(BORDERLENS_FIXTURES) + "/rounds/";

} // namespace

TEST_CASE("rounds CSV: rounds with ids, references and sources") {
  const std::string path = kFixtures + "good.csv";
  const auto result = ingest::parseRoundsCsv(path, {});
  CHECK(result.format == "rounds");
  CHECK(result.listSource.file == "good.csv");
  CHECK(result.recordsRead == 2);
  CHECK(result.rejected.empty());
  CHECK(result.warnings == std::vector<std::string>{path + ": columns not imported: reviewer"});
  REQUIRE(result.rounds.size() == 2);

  const auto& un = result.rounds[0];
  CHECK(un.where.line == 2);
  CHECK(un.where.id == "UN-2017-08-05");
  CHECK(un.round.id == "UN-2017-08-05");
  CHECK(un.round.authority == "UN");
  CHECK(un.round.date == core::Date::ymd(2017, 8, 5));
  CHECK(un.round.label == "UN 2017-08-05 (res. 2371)");
  CHECK(un.round.legalBasis == "UNSCR 2371 (2017)");
  CHECK(un.references == std::vector<std::string>{"KPe.900", "KPi.900", "fx-trading"});
  REQUIRE(un.sources.size() == 1);
  CHECK(un.sources[0].publisher == "Fixture Press");
  CHECK(un.sources[0].title == "Security Council adopts a fixture resolution, 2371");
  CHECK(un.sources[0].url == "https://example.org/fixture/un-2371");

  const auto& ofac = result.rounds[1];
  CHECK(ofac.round.id == "OFAC-2017-08-22");
  CHECK(ofac.references == std::vector<std::string>{"90001"});
  CHECK(ofac.sources[0].title.empty());
}

TEST_CASE("rounds CSV: each bad row is rejected with its line and reason") {
  const auto result = ingest::parseRoundsCsv(kFixtures + "bad.csv", {});
  CHECK(result.recordsRead == 8);
  CHECK(test::rejectedOn(result, 2) == "date '2017-12' is not a day (YYYY-MM-DD)");
  CHECK(test::rejectedOn(result, 3) == "authority is empty");
  CHECK(test::rejectedOn(result, 4) == "label is empty");
  CHECK(test::rejectedOn(result, 5).empty());
  CHECK(test::rejectedOn(result, 6) == "duplicate round UN-2017-12-22 (first on line 5)");
  CHECK(test::rejectedOn(result, 7) == "source_url is empty");
  CHECK(test::rejectedOn(result, 8) == "expected 8 fields, found 3");
  CHECK(test::rejectedOn(result, 9) == "date '2018-02-30' is not a day (YYYY-MM-DD)");
  CHECK(result.rejected.size() == 7);
  REQUIRE(result.rounds.size() == 1);
  CHECK(result.rounds[0].round.label == "UN 2017-12-22 (res. 2397)");
}

TEST_CASE("rounds CSV: invalid UTF-8 is rejected by row") {
  test::TempDir dir;
  const std::string path = dir.file("rounds.csv");
  std::ofstream(path, std::ios::binary)
      << "authority,date,label,source_publisher,source_url\n"
      << "UN,2017-08-05,UN 2017-08-05,Fixture Pr\xC3\x28ss,https://example.org/fixture\n"
      << "UN,2017-08-06,UN 2017-08-06,Fixture Press,https://example.org/fixture\n";
  const auto result = ingest::parseRoundsCsv(path, {});
  REQUIRE(result.rejected.size() == 1);
  CHECK(result.rejected[0].where.line == 2);
  CHECK(result.rejected[0].reason == "invalid UTF-8 in column 'source_publisher'");
  CHECK(result.rounds.size() == 1);
}

TEST_CASE("rounds CSV: files that cannot be rounds are rejected whole") {
  const std::string missing = kFixtures + "missing_label.csv";
  CHECK(test::thrownBy([&] { ingest::parseRoundsCsv(missing, {}); }) ==
        missing + ": missing required column 'label'");
  const std::string incidents = std::string(BORDERLENS_FIXTURES) + "/incidents/good.csv";
  CHECK(test::thrownBy([&] { ingest::parseRoundsCsv(incidents, {}); }) ==
        incidents + ": missing required column 'authority'");
  test::TempDir dir;
  std::ofstream(dir.file("empty.csv")).close();
  CHECK(test::thrownBy([&] { ingest::parseRoundsCsv(dir.file("empty.csv"), {}); }) ==
        dir.file("empty.csv") + ": the file is empty");
}

TEST_CASE("rounds CSV: a progress callback can cancel") {
  int calls = 0;
  const core::Progress stop = [&](double fraction, std::string_view) {
    CHECK(fraction >= 0.0);
    CHECK(fraction <= 1.0);
    return ++calls < 2;
  };
  CHECK_THROWS_AS(ingest::parseRoundsCsv(kFixtures + "good.csv", stop), core::Cancelled);
}

TEST_CASE("the demo rounds.csv parses with nothing rejected") {
  const auto result =
      ingest::parseRoundsCsv(std::string(BORDERLENS_GEODATA_DIR) + "/demo/rounds.csv", {});
  CHECK(result.rejected.empty());
  CHECK(result.warnings.empty());
  REQUIRE(result.rounds.size() == 19);
  std::map<std::string, int> perAuthority;
  for (const auto& round : result.rounds) {
    ++perAuthority[round.round.authority];
    CHECK(round.round.id == round.round.authority + "-" + round.round.date.toString());
    CHECK(round.sources.size() == 1);
  }
  CHECK(perAuthority == std::map<std::string, int>{{"EU", 2}, {"OFAC", 9}, {"UK", 1}, {"UN", 7}});
  CHECK(result.rounds[0].references ==
        std::vector<std::string>{"KPi.010", "KPi.011", "bl-yon-chong-nam", "bl-ko-chol-chae"});
}
