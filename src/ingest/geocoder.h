#pragma once

#include "core/model.h"
#include "ingest/records.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace borderlens::ingest {

// Where an address was placed and how.
struct GeocodeResult {
  core::Location location;  // wkt (a point), precision, address text, country (ISO alpha-2)
  std::string matched;  // what the point is: "Dandong (towns)", "Liaoning (province seat
                        // Shenyang)", "China (capital Beijing)"
  bool fuzzy = false;  // placed through a near-miss spelling ("Sheyang" -> Shenyang)
};

// Offline geocoding of list addresses against the gazetteer of geodata/base.gpkg (layers towns,
// places, ports, crossings; names in Latin, Chinese and Korean script), with two sourced tables
// behind it for what the gazetteer does not hold:
// - provinces (China, DPRK, neighbours), placed at the province's seat and stored with
//   precision `province`;
// - countries, placed at the capital and stored with precision `country`.
// The points of those tables are seats, not centroids: a centroid can fall where nothing is
// (China's lies in Gansu), and base.gpkg's `countries` layer is clipped to the border region, so
// its centroids would be wrong. Coordinates are GeoNames' (geonames.org), rounded to 0.01 degree.
//
// An address is read field by field (city, then province, then the parts of the street), each
// matched exactly (case, accents, apostrophes, spaces and suffixes such as City, Province, -do,
// 市, 省, 도 ignored) against the places of the stated country; a city that matches nothing
// exactly is retried with a bounded edit distance (1 for 5-8 letters, 2 beyond) among the
// places of that country near the stated province, which places "Sheyang City, Liaoning"
// at Shenyang. Hong Kong in any form ("China, Hong Kong Special Administrative Region",
// "Hong Kong", CITY=Hong Kong with COUNTRY=China) is the region hk at province precision.
class Geocoder {
 public:
  // Only the province and country tables (no gazetteer): everything lands at province or
  // country precision.
  Geocoder();
  ~Geocoder();
  Geocoder(Geocoder&&) noexcept;
  Geocoder& operator=(Geocoder&&) noexcept;

  // Loads the gazetteer layers of a base.gpkg through GDAL. Throws core::InputRejected naming
  // the file when it cannot be read.
  static Geocoder fromGeoPackage(const std::string& path);

  // nullopt when not even the country is known.
  std::optional<GeocodeResult> geocode(const AddressRecord& address) const;

  // Places held by the gazetteer (0 without one).
  std::size_t placeCount() const;

  // ISO 3166-1 alpha-2 code, lower case, of a country as the lists write it ("Korea, North",
  // "Democratic People's Republic of Korea", "RPDC", "China, Hong Kong Special Administrative
  // Region" -> hk), or empty when unknown.
  static std::string countryCode(std::string_view name);

  // The comparison key of a place name: lower case, accents and apostrophes dropped, suffixes
  // (City, Province, -do, 市, 省, 도 ...) removed, no spaces. "P'yŏngan-bukto" and
  // "Pyongan Bukto" share one.
  static std::string placeKey(std::string_view name);

  struct Place;

 private:
  std::vector<Place> m_places;
};

} // namespace borderlens::ingest
