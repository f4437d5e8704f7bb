// The address matcher (ingest/geocoder.h) against the real gazetteer of geodata/base.gpkg,
// loaded once. The input's lines are the address fields: text, street, city, province, postal
// code, country. Every placed address must come back as a point inside lon/lat bounds.

#include "fuzz_support.h"
#include "ingest/geocoder.h"

#include <cmath>
#include <cstdio>
#include <memory>

#ifndef BORDERLENS_GEODATA_DIR
#error "BORDERLENS_GEODATA_DIR must name the geodata directory"
#endif

namespace {

const borderlens::ingest::Geocoder& geocoder() {
  static const auto instance = std::make_unique<borderlens::ingest::Geocoder>(
      borderlens::ingest::Geocoder::fromGeoPackage(BORDERLENS_GEODATA_DIR "/base.gpkg"));
  return *instance;
}

void checkPoint(const std::string& wkt) {
  double lon = 0;
  double lat = 0;
  if (std::sscanf(wkt.c_str(), "POINT(%lf %lf)", &lon, &lat) != 2 &&
      std::sscanf(wkt.c_str(), "POINT (%lf %lf)", &lon, &lat) != 2) {
    borderlens::fuzz::invariantBroken("geocoded location is not a point");
  }
  if (!std::isfinite(lon) || !std::isfinite(lat) || std::fabs(lon) > 180 || std::fabs(lat) > 90) {
    borderlens::fuzz::invariantBroken("geocoded point out of lon/lat bounds");
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  geocoder();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace borderlens;
  const std::string_view text = fuzz::asText(data, size);
  const auto fields = fuzz::splitAt(text, '\n');
  const auto field = [&](std::size_t i) { return i < fields.size() ? std::string(fields[i]) : std::string(); };
  ingest::AddressRecord address;
  address.text = field(0);
  address.street = field(1);
  address.city = field(2);
  address.province = field(3);
  address.postalCode = field(4);
  address.country = field(5);
  if (const auto result = geocoder().geocode(address)) checkPoint(result->location.wkt);
  ingest::Geocoder::countryCode(text);
  ingest::Geocoder::placeKey(text);
  return 0;
}
