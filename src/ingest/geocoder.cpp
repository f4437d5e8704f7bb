#include "ingest/geocoder.h"

#include "core/errors.h"
#include "core/utf8.h"
#include "ingest/list_text.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>

namespace borderlens::ingest {

struct Geocoder::Place {
  std::string name;
  std::string layer;
  std::string country;  // ISO alpha-2, lower case; empty for a crossing between two countries
  std::vector<std::string> keys;
  double lon = 0;
  double lat = 0;
  std::int64_t population = 0;
  core::Precision precision = core::Precision::City;
  int rank = 0;  // curated layers first: towns 0, ports 1, crossings 2, GeoNames places 3
};

namespace {

// Capitals stand for a country whose address names no place we know (see geocoder.h).
// Coordinates: GeoNames, rounded to 0.01 degree.
struct CountryRow {
  const char* iso;
  const char* capital;
  double lon;
  double lat;
  const char* names;  // '|'-separated spellings the lists use
  core::Precision precision;
};

constexpr auto kCountry = core::Precision::Country;
constexpr auto kRegion = core::Precision::Province;

const std::array<CountryRow, 73> kCountries{{
    {"cn", "Beijing", 116.40, 39.91,
     "China|People's Republic of China|PRC|中国|中華人民共和國|중국", kCountry},
    {"kp", "Pyongyang", 125.75, 39.03,
     "Democratic People's Republic of Korea|Korea, North|North Korea|DPRK|DPR Korea|D.P.R.K.|"
     "Korea, Democratic People's Republic of|Korea (Democratic People's Republic of)|RPDC|朝鲜|조선|북한|"
     "조선민주주의인민공화국",
     kCountry},
    {"kr", "Seoul", 126.98, 37.57,
     "Republic of Korea|Korea, South|South Korea|ROK|Korea, Republic of|韩国|한국|대한민국",
     kCountry},
    {"ru", "Moscow", 37.62, 55.76, "Russia|Russian Federation|Россия", kCountry},
    {"hk", "Hong Kong", 114.17, 22.28,
     "Hong Kong|Hong Kong SAR|Hong Kong Special Administrative Region|China, Hong Kong|"
     "China, Hong Kong Special Administrative Region|Hong Kong, China|HKSAR|香港",
     kRegion},
    {"mo", "Macao", 113.55, 22.20,
     "Macao|Macau|Macao Special Administrative Region|China, Macao Special Administrative Region|澳门",
     kRegion},
    {"tw", "Taipei", 121.53, 25.05, "Taiwan|Taiwan, Province of China|Chinese Taipei|台湾|臺灣",
     kCountry},
    {"jp", "Tokyo", 139.69, 35.69, "Japan|日本", kCountry},
    {"mn", "Ulaanbaatar", 106.88, 47.91, "Mongolia", kCountry},
    {"sg", "Singapore", 103.85, 1.29, "Singapore", kCountry},
    {"vn", "Hanoi", 105.84, 21.02, "Vietnam|Viet Nam", kCountry},
    {"la", "Vientiane", 102.60, 17.97, "Laos|Lao People's Democratic Republic", kCountry},
    {"kh", "Phnom Penh", 104.92, 11.56, "Cambodia", kCountry},
    {"th", "Bangkok", 100.50, 13.75, "Thailand", kCountry},
    {"mm", "Nay Pyi Taw", 96.13, 19.75, "Burma|Myanmar", kCountry},
    {"my", "Kuala Lumpur", 101.69, 3.14, "Malaysia", kCountry},
    {"id", "Jakarta", 106.85, -6.21, "Indonesia", kCountry},
    {"ph", "Manila", 120.98, 14.60, "Philippines", kCountry},
    {"in", "New Delhi", 77.21, 28.61, "India", kCountry},
    {"pk", "Islamabad", 73.04, 33.72, "Pakistan", kCountry},
    {"bd", "Dhaka", 90.41, 23.81, "Bangladesh", kCountry},
    {"lk", "Colombo", 79.85, 6.93, "Sri Lanka", kCountry},
    {"np", "Kathmandu", 85.32, 27.70, "Nepal", kCountry},
    {"ir", "Tehran", 51.42, 35.69, "Iran|Iran (Islamic Republic of)|Islamic Republic of Iran",
     kCountry},
    {"iq", "Baghdad", 44.40, 33.34, "Iraq", kCountry},
    {"sy", "Damascus", 36.29, 33.51, "Syria|Syrian Arab Republic", kCountry},
    {"lb", "Beirut", 35.50, 33.89, "Lebanon", kCountry},
    {"sa", "Riyadh", 46.72, 24.69, "Saudi Arabia", kCountry},
    {"ye", "Sanaa", 44.21, 15.35, "Yemen", kCountry},
    {"ae", "Abu Dhabi", 54.37, 24.47, "United Arab Emirates|UAE", kCountry},
    {"qa", "Doha", 51.53, 25.29, "Qatar", kCountry},
    {"kw", "Kuwait City", 47.98, 29.37, "Kuwait", kCountry},
    {"om", "Muscat", 58.41, 23.58, "Oman", kCountry},
    {"tr", "Ankara", 32.85, 39.92, "Turkey|Türkiye|Turkiye", kCountry},
    {"eg", "Cairo", 31.25, 30.06, "Egypt", kCountry},
    {"ly", "Tripoli", 13.19, 32.89, "Libya", kCountry},
    {"dz", "Algiers", 3.04, 36.75, "Algeria", kCountry},
    {"sd", "Khartoum", 32.53, 15.55, "Sudan", kCountry},
    {"et", "Addis Ababa", 38.75, 9.02, "Ethiopia", kCountry},
    {"er", "Asmara", 38.93, 15.34, "Eritrea", kCountry},
    {"ug", "Kampala", 32.58, 0.32, "Uganda", kCountry},
    {"tz", "Dodoma", 35.74, -6.17, "Tanzania|United Republic of Tanzania", kCountry},
    {"ao", "Luanda", 13.23, -8.84, "Angola", kCountry},
    {"mz", "Maputo", 32.59, -25.97, "Mozambique", kCountry},
    {"na", "Windhoek", 17.08, -22.56, "Namibia", kCountry},
    {"cd", "Kinshasa", 15.31, -4.33,
     "Congo, Democratic Republic of the|Democratic Republic of the Congo|DRC|DR Congo", kCountry},
    {"ng", "Abuja", 7.49, 9.06, "Nigeria", kCountry},
    {"sl", "Freetown", -13.23, 8.48, "Sierra Leone", kCountry},
    {"tg", "Lome", 1.22, 6.13, "Togo", kCountry},
    {"ch", "Bern", 7.45, 46.95, "Switzerland", kCountry},
    {"de", "Berlin", 13.41, 52.52, "Germany", kCountry},
    {"fr", "Paris", 2.35, 48.85, "France", kCountry},
    {"gb", "London", -0.13, 51.51, "United Kingdom|UK|Great Britain", kCountry},
    {"it", "Rome", 12.48, 41.89, "Italy", kCountry},
    {"pl", "Warsaw", 21.01, 52.23, "Poland", kCountry},
    {"sk", "Bratislava", 17.11, 48.15, "Slovakia", kCountry},
    {"lv", "Riga", 24.11, 56.95, "Latvia", kCountry},
    {"by", "Minsk", 27.57, 53.90, "Belarus", kCountry},
    {"ua", "Kyiv", 30.52, 50.45, "Ukraine", kCountry},
    {"bg", "Sofia", 23.32, 42.70, "Bulgaria", kCountry},
    {"ge", "Tbilisi", 44.79, 41.69, "Georgia", kCountry},
    {"kz", "Astana", 71.45, 51.17, "Kazakhstan", kCountry},
    {"us", "Washington", -77.04, 38.90, "United States|United States of America|USA", kCountry},
    {"pa", "Panama City", -79.52, 8.99, "Panama", kCountry},
    {"cu", "Havana", -82.38, 23.13, "Cuba", kCountry},
    {"pe", "Lima", -77.03, -12.04, "Peru", kCountry},
    {"br", "Brasilia", -47.93, -15.78, "Brazil", kCountry},
    {"mh", "Majuro", 171.38, 7.09, "Marshall Islands", kCountry},
    {"ws", "Apia", -171.77, -13.83, "Samoa", kCountry},
    {"vg", "Road Town", -64.62, 18.43, "British Virgin Islands|Virgin Islands, British", kCountry},
    {"pw", "Ngerulmud", 134.62, 7.50, "Palau", kCountry},
    {"bz", "Belmopan", -88.76, 17.25, "Belize", kCountry},
    {"kn", "Basseterre", -62.72, 17.30, "Saint Kitts and Nevis|St Kitts and Nevis|St Kitts-Nevis",
     kCountry},
}};

// First-level divisions met in the lists, placed at their seat (GeoNames coordinates, 0.01 deg).
// `reach` is how far, in km, the province extends from its seat (rounded up from the distance to
// its farthest town): a place matched loosely must lie within it.
struct ProvinceRow {
  const char* iso;
  const char* name;
  const char* seat;
  double lon;
  double lat;
  double reach;
  const char* names;
};

const std::array<ProvinceRow, 27> kProvinces{{
    {"cn", "Liaoning", "Shenyang", 123.43, 41.79, 420, "Liaoning|辽宁|遼寧|랴오닝|요녕"},
    {"cn", "Jilin", "Changchun", 125.32, 43.88, 480, "Jilin|吉林|지린|길림"},
    {"cn", "Heilongjiang", "Harbin", 126.65, 45.75, 950,
     "Heilongjiang|黑龙江|黑龍江|헤이룽장|흑룡강"},
    {"cn", "Shandong", "Jinan", 117.00, 36.67, 520, "Shandong|山东|山東|산둥|산동"},
    {"cn", "Hebei", "Shijiazhuang", 114.48, 38.04, 480, "Hebei|河北"},
    {"cn", "Beijing", "Beijing", 116.40, 39.91, 90, "Beijing|Peking|北京|베이징|북경"},
    {"cn", "Tianjin", "Tianjin", 117.18, 39.14, 100, "Tianjin|天津"},
    {"cn", "Shanghai", "Shanghai", 121.46, 31.22, 80, "Shanghai|上海"},
    {"cn", "Guangdong", "Guangzhou", 113.25, 23.12, 400, "Guangdong|广东|廣東"},
    {"cn", "Fujian", "Fuzhou", 119.31, 26.06, 300, "Fujian|福建"},
    {"cn", "Zhejiang", "Hangzhou", 120.16, 30.29, 300, "Zhejiang|浙江"},
    {"cn", "Jiangsu", "Nanjing", 118.78, 32.06, 350, "Jiangsu|江苏|江蘇"},
    {"cn", "Inner Mongolia", "Hohhot", 111.65, 40.81, 1300, "Inner Mongolia|Nei Mongol|内蒙古"},
    {"kp", "North Pyongan", "Sinuiju", 124.40, 40.10, 170,
     "North Pyongan|North P'yongan|Pyongan-bukto|P'yŏngan-bukto|평안북도|平安北道"},
    {"kp", "South Pyongan", "Pyongsong", 125.84, 39.25, 150,
     "South Pyongan|South P'yongan|South P'yo'ngan|Pyongan-namdo|P'yŏngan-namdo|평안남도|平安南道"},
    {"kp", "Chagang", "Kanggye", 126.59, 40.97, 170, "Chagang|Jagang|Chagang-do|자강도|慈江道"},
    {"kp", "Ryanggang", "Hyesan", 128.18, 41.40, 150,
     "Ryanggang|Yanggang|Ryanggang-do|량강도|양강도|两江道"},
    {"kp", "North Hamgyong", "Chongjin", 129.78, 41.80, 200,
     "North Hamgyong|Hamgyong-bukto|Hamgyŏng-bukto|함경북도|咸镜北道"},
    {"kp", "South Hamgyong", "Hamhung", 127.54, 39.92, 200,
     "South Hamgyong|Hamgyong-namdo|Hamgyŏng-namdo|함경남도|咸镜南道"},
    {"kp", "Kangwon", "Wonsan", 127.44, 39.15, 200, "Kangwon|Kangwon-do|Gangwon|강원도|江原道"},
    {"kp", "North Hwanghae", "Sariwon", 125.76, 38.51, 120,
     "North Hwanghae|Hwanghae-bukto|황해북도|黄海北道"},
    {"kp", "South Hwanghae", "Haeju", 125.71, 38.04, 120,
     "South Hwanghae|Hwanghae-namdo|황해남도|黄海南道"},
    {"kp", "Rason", "Rajin", 130.28, 42.26, 60, "Rason Special City|Rason City|라선특별시"},
    {"ru", "Primorsky Krai", "Vladivostok", 131.87, 43.11, 450,
     "Primorsky Krai|Primorskiy Kray|Primorski Krai|Primorskiy|Primorye|Приморский край"},
    {"kr", "Gangwon", "Chuncheon", 127.73, 37.87, 150, "Gangwon|Kangwon|Gangwon-do|강원도"},
    {"kr", "Gyeonggi", "Suwon", 127.01, 37.29, 100, "Gyeonggi|Gyeonggi-do|Kyonggi|경기도"},
    {"tw", "Taiwan Province", "Taipei", 121.53, 25.05, 300, "Taiwan Province"},
}};

// Trailing words that say what kind of place a name is, not which.
const std::array<std::string_view, 24> kLatinSuffixes{
    "city",         "shi",  "province", "prov",           "sheng",    "do",
    "si",           "gun",  "county",   "xian",           "district", "qu",
    "municipality", "sar",  "special",  "administrative", "region",   "autonomous",
    "kray",         "krai", "oblast",   "guyok",          "kuyok",    "gu"};

const std::array<std::string_view, 14> kCjkSuffixes{
    "特别行政区", "特別行政區", "自治区", "특별시", "직할시", "市", "省",
    "县",         "縣",         "区",     "區",     "시",     "도", "군"};

std::vector<std::string> splitNames(const char* names) { return splitText(names, '|'); }

double distanceKm(double lon1, double lat1, double lon2, double lat2) {
  constexpr double kRadians = 3.14159265358979323846 / 180.0;
  const double dLat = (lat2 - lat1) * kRadians;
  const double dLon = (lon2 - lon1) * kRadians;
  const double a = std::sin(dLat / 2) * std::sin(dLat / 2) +
                   std::cos(lat1 * kRadians) * std::cos(lat2 * kRadians) * std::sin(dLon / 2) *
                       std::sin(dLon / 2);
  return 6371.0 * 2 * std::atan2(std::sqrt(a), std::sqrt(1 - a));
}

// Optimal-string-alignment distance (Damerau-Levenshtein without repeated edits), stopping
// early once every cell of a row exceeds `limit`.
std::size_t editDistance(const std::string& a, const std::string& b, std::size_t limit) {
  if (a.size() > b.size() + limit || b.size() > a.size() + limit) return limit + 1;
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t best = limit + 1;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
      best = std::min(best, d[i][j]);
    }
    if (best > limit) return limit + 1;
  }
  return d[a.size()][b.size()];
}

bool hasCjk(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char32_t c = core::decodeUtf8(text, pos);
    if (core::isHan(c) || core::isHangul(c)) return true;
  }
  return false;
}

std::string pointWkt(double lon, double lat) {
  std::ostringstream out;
  out.precision(7);
  out << "POINT(" << lon << " " << lat << ")";
  return out.str();
}

struct CountryIndex {
  std::map<std::string, const CountryRow*> byKey;
  std::map<std::string, const CountryRow*> byIso;
};

const CountryIndex& countries() {
  static const CountryIndex index = [] {
    CountryIndex built;
    for (const auto& row : kCountries) {
      built.byIso[row.iso] = &row;
      for (const auto& name : splitNames(row.names)) built.byKey[Geocoder::placeKey(name)] = &row;
    }
    return built;
  }();
  return index;
}

const std::multimap<std::string, const ProvinceRow*>& provinces() {
  static const std::multimap<std::string, const ProvinceRow*> index = [] {
    std::multimap<std::string, const ProvinceRow*> built;
    for (const auto& row : kProvinces) {
      for (const auto& name : splitNames(row.names)) built.emplace(Geocoder::placeKey(name), &row);
    }
    return built;
  }();
  return index;
}

const ProvinceRow* findProvince(const std::string& key, const std::string& iso) {
  const auto [from, to] = provinces().equal_range(key);
  const ProvinceRow* any = nullptr;
  std::size_t count = 0;
  for (auto it = from; it != to; ++it) {
    if (!iso.empty() && it->second->iso == iso) return it->second;
    any = it->second;
    ++count;
  }
  return iso.empty() && count == 1 ? any : nullptr;
}

struct DatasetClose {
  void operator()(void* dataset) const { GDALClose(dataset); }
};

std::string fieldText(OGRFeatureH feature, OGRFeatureDefnH definition, const char* name) {
  const int index = OGR_FD_GetFieldIndex(definition, name);
  if (index < 0 || !OGR_F_IsFieldSetAndNotNull(feature, index)) return {};
  return OGR_F_GetFieldAsString(feature, index);
}

} // namespace

Geocoder::Geocoder() = default;
Geocoder::~Geocoder() = default;
Geocoder::Geocoder(Geocoder&&) noexcept = default;
Geocoder& Geocoder::operator=(Geocoder&&) noexcept = default;

std::size_t Geocoder::placeCount() const { return m_places.size(); }

std::string Geocoder::placeKey(std::string_view name) {
  const std::string folded = foldForMatching(name);
  std::vector<std::string> words;
  for (auto& word : splitText(folded, ' ')) {
    if (!word.empty()) words.push_back(word);
  }
  while (words.size() > 1 && std::find(kLatinSuffixes.begin(), kLatinSuffixes.end(),
                                       words.back()) != kLatinSuffixes.end()) {
    words.pop_back();
  }
  std::string key;
  for (const auto& word : words) key += word;
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (std::string_view suffix : kCjkSuffixes) {
      // Keep at least two characters (six bytes) so that a one-syllable name is never emptied.
      if (key.size() >= suffix.size() + 6 &&
          key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
        key.erase(key.size() - suffix.size());
        stripped = true;
      }
    }
  }
  return key;
}

std::string Geocoder::countryCode(std::string_view name) {
  const std::string clean = cleanText(name);
  if (clean.empty()) return {};
  if (clean.size() == 2) {
    const std::string iso = toLowerAscii(clean);
    if (countries().byIso.count(iso)) return iso;
  }
  const auto it = countries().byKey.find(placeKey(clean));
  return it == countries().byKey.end() ? std::string() : it->second->iso;
}

Geocoder Geocoder::fromGeoPackage(const std::string& path) {
  GDALAllRegister();
  const char* drivers[] = {"GPKG", nullptr};
  std::unique_ptr<void, DatasetClose> dataset(
      GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers, nullptr, nullptr));
  if (!dataset) throw core::InputRejected(path + ": cannot open the gazetteer (a GeoPackage)");

  OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(nullptr);
  OSRImportFromEPSG(wgs84, 4326);
  OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);

  Geocoder geocoder;
  struct LayerSpec {
    const char* layer;
    int rank;
    core::Precision precision;
  };
  for (const LayerSpec& spec :
       {LayerSpec{"towns", 0, core::Precision::City}, LayerSpec{"ports", 1, core::Precision::City},
        LayerSpec{"crossings", 2, core::Precision::Exact},
        LayerSpec{"places", 3, core::Precision::City}}) {
    OGRLayerH layer = GDALDatasetGetLayerByName(dataset.get(), spec.layer);
    if (!layer) continue;
    OGRFeatureDefnH definition = OGR_L_GetLayerDefn(layer);
    OGRSpatialReferenceH source = OGR_L_GetSpatialRef(layer);
    OGRCoordinateTransformationH transform = source && !OSRIsSame(source, wgs84)
                                                 ? OCTNewCoordinateTransformation(source, wgs84)
                                                 : nullptr;
    OGR_L_ResetReading(layer);
    while (OGRFeatureH feature = OGR_L_GetNextFeature(layer)) {
      OGRGeometryH geometry = OGR_F_GetGeometryRef(feature);
      if (geometry && !OGR_G_IsEmpty(geometry)) {
        if (transform) OGR_G_Transform(geometry, transform);
        Place place;
        place.layer = spec.layer;
        place.rank = spec.rank;
        place.precision = spec.precision;
        place.lon = OGR_G_GetX(geometry, 0);
        place.lat = OGR_G_GetY(geometry, 0);
        std::vector<std::string> names;
        if (spec.rank == 3) {
          place.name = fieldText(feature, definition, "name");
          names = {place.name};
          for (const auto& alt : splitText(fieldText(feature, definition, "alt_name"), ','))
            names.push_back(alt);
          place.population = std::atoll(fieldText(feature, definition, "population").c_str());
        } else {
          place.name = fieldText(feature, definition, "name_en");
          names = {place.name, fieldText(feature, definition, "name_zh"),
                   fieldText(feature, definition, "name_ko")};
          for (const auto& alt : splitText(fieldText(feature, definition, "alt_names"), ';'))
            names.push_back(alt);
        }
        std::string country = toLowerAscii(fieldText(feature, definition, "country"));
        place.country = country.size() == 2 ? country : std::string();
        for (const auto& name : names) {
          const std::string key = placeKey(name);
          if (!key.empty() &&
              std::find(place.keys.begin(), place.keys.end(), key) == place.keys.end()) {
            place.keys.push_back(key);
          }
        }
        if (!place.keys.empty()) geocoder.m_places.push_back(std::move(place));
      }
      OGR_F_Destroy(feature);
    }
    if (transform) OCTDestroyCoordinateTransformation(transform);
  }
  OSRDestroySpatialReference(wgs84);
  if (geocoder.m_places.empty()) {
    throw core::InputRejected(path +
                              ": no gazetteer places (layers towns, places, ports, crossings)");
  }
  return geocoder;
}

namespace {

enum class Field { City, Province, Street };

struct Component {
  std::string text;
  std::string key;
  Field field;
};

} // namespace

std::optional<GeocodeResult> Geocoder::geocode(const AddressRecord& address) const {
  GeocodeResult result;
  result.location.address = address.text;
  if (address.lon && address.lat) {
    result.location.wkt = pointWkt(*address.lon, *address.lat);
    result.location.precision = address.precision.value_or(core::Precision::Exact);
    result.location.country = countryCode(address.country);
    result.matched = "coordinates given";
    return result;
  }

  std::string iso = countryCode(address.country);
  std::vector<Component> components;
  const auto add = [&](const std::string& text, Field field) {
    std::string parts = text;
    std::replace(parts.begin(), parts.end(), ';', ',');
    for (const auto& part : splitText(parts, ',')) {
      const std::string clean = cleanText(part);
      const std::string key = placeKey(clean);
      if (!key.empty()) components.push_back({clean, key, field});
    }
  };
  add(address.city, Field::City);
  add(address.province, Field::Province);
  {
    std::vector<std::string> parts = splitText(address.street, ',');
    std::reverse(parts.begin(), parts.end());
    for (const auto& part : parts) add(part, Field::Street);
  }
  if (address.city.empty() && address.province.empty() && address.street.empty() &&
      address.country.empty()) {
    std::string text = address.text;
    std::replace(text.begin(), text.end(), ';', ',');
    std::vector<std::string> parts = splitText(text, ',');
    std::reverse(parts.begin(), parts.end());
    for (const auto& part : parts) add(part, Field::City);
  }
  // A country named in a place field (CITY "Hong Kong" under COUNTRY China, or no COUNTRY).
  for (const auto& component : components) {
    const auto row = countries().byKey.find(component.key);
    if (row == countries().byKey.end()) continue;
    const std::string code = row->second->iso;
    if (iso.empty() || ((code == "hk" || code == "mo") && iso == "cn")) iso = code;
  }

  const ProvinceRow* province = nullptr;
  for (const auto& component : components) {
    if (component.field == Field::Street) continue;
    if ((province = findProvince(component.key, iso))) break;
  }
  if (province && iso.empty()) iso = province->iso;

  const auto withinProvince = [&](const Place& place) {
    return distanceKm(place.lon, place.lat, province->lon, province->lat) <= province->reach;
  };
  const auto candidates = [&](const std::string& key, bool streetPart) {
    std::vector<const Place*> found;
    for (const auto& place : m_places) {
      if (!iso.empty() && !place.country.empty() && place.country != iso) continue;
      if (streetPart && place.rank == 3 && place.population < 50000) continue;
      if (streetPart && province && !withinProvince(place)) continue;
      if (std::find(place.keys.begin(), place.keys.end(), key) != place.keys.end())
        found.push_back(&place);
    }
    return found;
  };
  // The curated layers first, then the place nearest the stated province's seat, then the most
  // populous.
  const auto best = [&](std::vector<const Place*> found) -> const Place* {
    if (found.empty()) return nullptr;
    std::stable_sort(found.begin(), found.end(), [&](const Place* a, const Place* b) {
      if (a->rank != b->rank) return a->rank < b->rank;
      if (province) {
        return distanceKm(a->lon, a->lat, province->lon, province->lat) <
               distanceKm(b->lon, b->lat, province->lon, province->lat);
      }
      return a->population > b->population;
    });
    if (iso.empty()) {
      for (const Place* other : found) {
        if (other->country != found.front()->country) return nullptr;  // ambiguous across countries
      }
    }
    return found.front();
  };
  const auto placed = [&](const Place& place, const std::string& how) {
    result.location.wkt = pointWkt(place.lon, place.lat);
    result.location.precision = place.precision;
    result.location.country = place.country.empty() ? iso : place.country;
    result.matched = place.name + " (" + place.layer + ")" + how;
    return result;
  };

  for (const auto& component : components) {
    if (component.field == Field::Province && province &&
        findProvince(component.key, iso) == province)
      continue;
    if (const Place* place = best(candidates(component.key, component.field == Field::Street))) {
      return placed(*place, "");
    }
  }
  if (hasCjk(address.text)) {
    const std::string text = placeKey(address.text);
    const Place* found = nullptr;
    std::size_t longest = 0;
    for (const auto& place : m_places) {
      if (!iso.empty() && !place.country.empty() && place.country != iso) continue;
      for (const auto& key : place.keys) {
        if (key.size() > longest && key.size() >= 6 && hasCjk(key) &&
            text.find(key) != std::string::npos) {
          found = &place;
          longest = key.size();
        }
      }
    }
    if (found) return placed(*found, "");
  }
  // Near-miss spellings only where the gazetteer covers the whole area searched: a stated
  // province near the border, or the DPRK. A city elsewhere in China would otherwise be "found"
  // among the border region's towns.
  const bool fuzzyArea = province || iso == "kp";
  for (const auto& component : components) {
    if (!fuzzyArea || component.field == Field::Street || hasCjk(component.key) ||
        component.key.size() < 5)
      continue;
    if (province && findProvince(component.key, iso) == province) continue;
    const std::size_t limit = component.key.size() <= 8 ? 1 : 2;
    std::vector<const Place*> near;
    std::size_t bestDistance = limit + 1;
    for (const auto& place : m_places) {
      if (iso.empty() || place.country != iso) continue;
      if (province && !withinProvince(place)) continue;
      for (const auto& key : place.keys) {
        const std::size_t distance = editDistance(component.key, key, limit);
        if (distance > limit || distance > bestDistance) continue;
        if (distance < bestDistance) near.clear();
        bestDistance = distance;
        if (std::find(near.begin(), near.end(), &place) == near.end()) near.push_back(&place);
      }
    }
    if (const Place* place = best(near)) {
      result.fuzzy = true;
      return placed(*place, " for '" + component.text + "'");
    }
  }
  if (province) {
    result.location.wkt = pointWkt(province->lon, province->lat);
    result.location.precision = core::Precision::Province;
    result.location.country = province->iso;
    result.matched = std::string(province->name) + " (province seat " + province->seat + ")";
    return result;
  }
  if (!iso.empty()) {
    const CountryRow& row = *countries().byIso.at(iso);
    result.location.wkt = pointWkt(row.lon, row.lat);
    result.location.precision = row.precision;
    result.location.country = iso;
    result.matched = splitNames(row.names).front() + " (" +
                     (row.precision == core::Precision::Country ? "capital " : "") + row.capital +
                     ")";
    return result;
  }
  return std::nullopt;
}

} // namespace borderlens::ingest
