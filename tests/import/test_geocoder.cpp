#include "core/errors.h"
#include "ingest/geocoder.h"
#include "support/printers.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace borderlens;
using ingest::AddressRecord;
using ingest::Geocoder;

namespace {

const Geocoder& gazetteer() {
  static const Geocoder geocoder =
      Geocoder::fromGeoPackage(std::string(BORDERLENS_GEODATA_DIR) + "/base.gpkg");
  return geocoder;
}

AddressRecord address(std::string city, std::string province, std::string country,
                      std::string street = {}) {
  AddressRecord a;
  a.city = std::move(city);
  a.province = std::move(province);
  a.country = std::move(country);
  a.street = std::move(street);
  for (const auto& part : {a.street, a.city, a.province, a.country}) {
    if (!part.empty()) a.text += (a.text.empty() ? "" : ", ") + part;
  }
  return a;
}

// Longitude and latitude of a POINT.
std::pair<double, double> point(const std::string& wkt) {
  std::istringstream in(wkt.substr(wkt.find('(') + 1));
  double lon = 0;
  double lat = 0;
  in >> lon >> lat;
  return {lon, lat};
}

void checkNear(const ingest::GeocodeResult& result, double lon, double lat) {
  const auto [x, y] = point(result.location.wkt);
  CHECK(x == doctest::Approx(lon).epsilon(0.001));
  CHECK(y == doctest::Approx(lat).epsilon(0.001));
}

} // namespace

TEST_CASE("geocoder: the gazetteer loads towns, places, ports and crossings") {
  CHECK(gazetteer().placeCount() > 700);
}

TEST_CASE("geocoder: OFAC's packed city column lands in Dandong at city precision") {
  AddressRecord a = address("Dandong", "Liaoning", "China", "Room 1, Fixture Square");
  a.postalCode = "118000";
  const auto placed = gazetteer().geocode(a);
  REQUIRE(placed);
  CHECK(placed->location.precision == core::Precision::City);
  CHECK(placed->location.country == "cn");
  CHECK(placed->location.address == a.text);
  CHECK_FALSE(placed->fuzzy);
  checkNear(*placed, 124.3947, 40.1292);
  // "Dandong City, Liaoning Province" is the same town.
  CHECK(gazetteer().geocode(address("Dandong City", "Liaoning Province", "China"))->matched ==
        "Dandong (towns)");
}

TEST_CASE("geocoder: a misspelt town is placed within its province, and says so") {
  const auto placed = gazetteer().geocode(address("Sheyang City", "Liaoning Province", "China"));
  REQUIRE(placed);
  CHECK(placed->fuzzy);
  CHECK(placed->location.precision == core::Precision::City);
  CHECK(placed->matched == "Shenyang (towns) for 'Sheyang City'");
  // Without a province, a near miss is only looked for where the gazetteer covers the country.
  const auto najin = gazetteer().geocode(address("Najin", "", "Korea, North"));
  REQUIRE(najin);
  CHECK(najin->fuzzy);
  CHECK(najin->matched == "Rajin (towns) for 'Najin'");
  const auto far = gazetteer().geocode(address("Zhuhia", "", "China"));
  REQUIRE(far);
  CHECK(far->location.precision == core::Precision::Country);
}

TEST_CASE("geocoder: Hong Kong in all its spellings is the region hk") {
  for (const auto& a :
       {address("", "", "China, Hong Kong Special Administrative Region", "Room 2, Wan Chai"),
        address("", "", "Hong Kong Special Administrative Region"),
        address("", "Hong Kong", "China", "Chai Wan"), address("Hong Kong", "", "China"),
        address("Chai Wan", "Hong Kong", "")}) {
    const auto placed = gazetteer().geocode(a);
    REQUIRE_MESSAGE(placed, a.text);
    CHECK_MESSAGE(placed->location.country == "hk", a.text);
    CHECK(placed->location.precision == core::Precision::Province);
  }
}

TEST_CASE("geocoder: Chinese and Korean place names") {
  AddressRecord chinese;
  chinese.text = "辽宁省丹东市振兴区";
  const auto dandong = gazetteer().geocode(chinese);
  REQUIRE(dandong);
  CHECK(dandong->matched == "Dandong (towns)");
  const auto sinuiju =
      gazetteer().geocode(address("신의주시", "", "Democratic People's Republic of Korea"));
  REQUIRE(sinuiju);
  CHECK(sinuiju->matched == "Sinuiju (towns)");
  CHECK(sinuiju->location.country == "kp");
  CHECK(gazetteer().geocode(address("Sinŭiju", "", ""))->matched == "Sinuiju (towns)");
}

TEST_CASE("geocoder: the UN's swapped fields still find the city") {
  // CITY=Shandong is a province, STATE_PROVINCE=Dalian a city.
  const auto placed =
      gazetteer().geocode(address("Shandong", "Dalian", "China", "Room 1, Fixture Building"));
  REQUIRE(placed);
  CHECK(placed->matched == "Dalian (places)");
  CHECK(placed->location.precision == core::Precision::City);
  // The city named in the street is found when the fields name only the province.
  const auto weihai = gazetteer().geocode(
      address("Shandong", "", "China", "419-201, Tongyi Lu, Huancui Qu, Weihai"));
  CHECK(weihai->matched == "Weihai (places)");
  // A street part far outside the stated province is not taken for the town.
  const auto liaoning = gazetteer().geocode(
      address("", "Liaoning Province", "China", "200-69 Yinhe East Road, Tianfu County"));
  CHECK(liaoning->location.precision == core::Precision::Province);
}

TEST_CASE("geocoder: province and country precision from the sourced tables") {
  const auto beijing = gazetteer().geocode(address("Beijing", "", "China"));
  REQUIRE(beijing);
  CHECK(beijing->location.precision == core::Precision::Province);
  CHECK(beijing->matched == "Beijing (province seat Beijing)");
  const auto liaoning = gazetteer().geocode(address("", "Liaoning Province", "China"));
  CHECK(liaoning->location.precision == core::Precision::Province);
  checkNear(*liaoning, 123.43, 41.79);
  const auto moscow = gazetteer().geocode(address("Moscow", "", "Russia"));
  CHECK(moscow->location.precision == core::Precision::Country);
  CHECK(moscow->location.country == "ru");
  CHECK(moscow->matched == "Russia (capital Moscow)");
  const auto dprk = gazetteer().geocode(address("", "", "Democratic People's Republic of Korea"));
  CHECK(dprk->location.precision == core::Precision::Country);
  checkNear(*dprk, 125.75, 39.03);
}

TEST_CASE("geocoder: what cannot be placed is not") {
  CHECK_FALSE(gazetteer().geocode(address("", "", "Atlantis", "1 Fixture Street")));
  CHECK_FALSE(gazetteer().geocode(AddressRecord{}));
}

TEST_CASE("geocoder: coordinates given by a file are kept") {
  AddressRecord a;
  a.lon = 124.5;
  a.lat = 40.0;
  a.precision = core::Precision::Street;
  const auto placed = gazetteer().geocode(a);
  REQUIRE(placed);
  CHECK(placed->location.precision == core::Precision::Street);
  checkNear(*placed, 124.5, 40.0);
}

TEST_CASE("geocoder: without a gazetteer only provinces and countries are placed") {
  const Geocoder tables;
  CHECK(tables.placeCount() == 0);
  CHECK(tables.geocode(address("Dandong", "Liaoning", "China"))->location.precision ==
        core::Precision::Province);
  CHECK(tables.geocode(address("Dandong", "", "China"))->location.precision ==
        core::Precision::Country);
}

TEST_CASE("geocoder: country names as the lists write them") {
  CHECK(Geocoder::countryCode("Korea, North") == "kp");
  CHECK(Geocoder::countryCode("Democratic People's Republic of Korea ") == "kp");
  CHECK(Geocoder::countryCode("RPDC") == "kp");
  CHECK(Geocoder::countryCode("China, Hong Kong Special Administrative Region") == "hk");
  CHECK(Geocoder::countryCode("Viet Nam") == "vn");
  CHECK(Geocoder::countryCode("Virgin Islands, British") == "vg");
  CHECK(Geocoder::countryCode("CN") == "cn");
  CHECK(Geocoder::countryCode("Atlantis").empty());
}

TEST_CASE("geocoder: place keys ignore case, accents, apostrophes and suffixes") {
  CHECK(Geocoder::placeKey("P'yŏngan-bukto") == Geocoder::placeKey("Pyongan Bukto"));
  CHECK(Geocoder::placeKey("Sinŭiju") == "sinuiju");
  CHECK(Geocoder::placeKey("Pyongyang City") == "pyongyang");
  CHECK(Geocoder::placeKey("Kangwon-do") == "kangwon");
  CHECK(Geocoder::placeKey("丹东市") == "丹东");
  CHECK(Geocoder::placeKey("신의주시") == "신의주");
}

TEST_CASE("geocoder: an unreadable gazetteer is refused") {
  CHECK_THROWS_AS(Geocoder::fromGeoPackage(std::string(BORDERLENS_FIXTURES) + "/un/empty.xml"),
                  core::InputRejected);
}
