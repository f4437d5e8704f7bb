// Checks the demo database built from geodata/demo/ by tools/build-demo against what issue 5
// asks of it: real content in the border region, several authorities and rounds, incidents with
// time and place precision, names in three scripts, a source on every record.
#include "core/model.h"
#include "store/store.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <set>

using namespace borderlens;

namespace {

std::unique_ptr<store::Store> openDemo() {
  const char* path = std::getenv("BORDERLENS_DEMO_DB");
  REQUIRE_MESSAGE(path != nullptr, "BORDERLENS_DEMO_DB names the demo database to check");
  return store::openStore(path, store::OpenMode::ReadOnly);
}

// The border region and the Chinese cities where North Korean offices operated.
const geo::BBox kRegion{121.0, 37.5, 131.5, 43.5};

} // namespace

TEST_CASE("the demo has at least 40 entities located in the border region") {
  auto db = openDemo();
  store::FilterSpec filter;
  filter.bbox = kRegion;
  filter.entityKinds = core::allEntityKinds();
  std::set<core::RecordId> located;
  db->forEachFeature(filter, {}, [&](const store::FeatureRow& row) {
    located.insert(row.id);
    return true;
  });
  CHECK(located.size() >= 40);
}

TEST_CASE("names in Latin, Chinese and Korean script") {
  const auto stats = openDemo()->stats();
  CHECK(stats.namesByScript.count("latin") == 1);
  CHECK(stats.namesByScript.count("han") == 1);
  CHECK(stats.namesByScript.count("hangul") == 1);
}

TEST_CASE("designations by at least three authorities in at least eight rounds") {
  auto db = openDemo();
  const auto stats = db->stats();
  CHECK(stats.designationsByAuthority.size() >= 3);
  std::set<std::string> rounds;
  db->forEachRound([&](const store::RoundRow& row) {
    if (row.designations > 0) rounds.insert(row.round.id);
    return true;
  });
  CHECK(rounds.size() >= 8);
  for (const char* id : {"UN-2016-03-02", "UN-2016-11-30", "UN-2017-08-05", "UN-2017-12-22", "UN-2018-03-30",
                         "OFAC-2016-09-26", "OFAC-2017-06-29", "OFAC-2017-08-22", "OFAC-2018-01-24",
                         "OFAC-2018-02-23"}) {
    CAPTURE(id);
    CHECK(rounds.count(id) == 1);
  }
}

TEST_CASE("at least 25 incidents beyond designation events, dated and placed, many linked") {
  auto db = openDemo();
  store::FilterSpec filter;
  for (const auto& kind : core::incidentKinds()) {
    if (kind != "designation_event") filter.incidentKinds.push_back(kind);
  }
  std::size_t incidents = 0, linked = 0;
  std::set<std::string> kinds;
  db->forEachFeature(filter, {}, [&](const store::FeatureRow& row) {
    ++incidents;
    kinds.insert(row.kind);
    CHECK_FALSE(row.start.empty());
    CHECK(row.firstDay.has_value());
    CHECK(core::precisionFromString(row.precision).has_value());
    CHECK(kRegion.contains(*row.lon, *row.lat));
    if (!db->linksOf(store::FeatureType::Incident, row.id).empty()) ++linked;
    return true;
  });
  CHECK(incidents >= 25);
  CHECK(kinds.size() >= 5);
  CHECK(linked >= 10);
}

TEST_CASE("every record has a source and every location a precision") {
  auto db = openDemo();
  CHECK(db->stats().recordsWithoutSource == 0);
  std::size_t locations = 0;
  db->forEachFeature({}, {}, [&](const store::FeatureRow& row) {
    if (row.type == store::FeatureType::Entity && row.locationId != 0) {
      ++locations;
      CHECK(core::precisionFromString(row.precision).has_value());
    }
    return true;
  });
  CHECK(locations >= 40);
  const auto sources = db->stats().sources;
  for (core::RecordId id = 1; id <= sources; ++id) {
    const auto source = db->source(id);
    REQUIRE(source);
    CAPTURE(id);
    // A cited source names its publisher and URL; an imported file is its own source.
    if (source->file.empty()) {
      CHECK_FALSE(source->publisher.empty());
      CHECK_FALSE(source->url.empty());
    } else {
      CHECK_FALSE(source->sha256.empty());
    }
  }
}
