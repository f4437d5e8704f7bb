#include "export/manifest.h"

#include "core/date.h"
#include "core/errors.h"
#include "core/redact.h"
#include "core/utf8.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>

namespace borderlens::exports {

namespace fs = std::filesystem;

namespace {

std::string isoDay(std::int32_t days) { return core::Date::fromDays(days).toString(); }

std::string sha256Of(const fs::path& file) {
  struct Free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context(EVP_MD_CTX_new());
  std::ifstream in(file, std::ios::binary);
  if (!context || !in || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    throw core::OutputFailed(file.string() + ": cannot read it back for the manifest");
  }
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    if (in.gcount() > 0) EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  std::string hex;
  char two[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(two, sizeof two, "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

// Every string in `value` made valid UTF-8 (U+FFFD for a bad sequence): filter values and file
// names arrive from the command line as bytes, and JSON holds UTF-8 only.
void replaceInvalidUtf8(nlohmann::ordered_json& value) {
  if (value.is_string()) {
    auto& text = value.get_ref<std::string&>();
    if (core::isValidUtf8(text)) return;
    std::string valid;
    for (std::size_t pos = 0; pos < text.size();) core::appendUtf8(valid, core::decodeUtf8(text, pos));
    text = std::move(valid);
  } else if (value.is_structured()) {
    for (auto& item : value) replaceInvalidUtf8(item);
  }
}

nlohmann::ordered_json fileEntry(const fs::path& file, const std::string& name) {
  nlohmann::ordered_json entry;
  entry["name"] = name;
  entry["bytes"] = fs::file_size(file);
  entry["sha256"] = sha256Of(file);
  return entry;
}

} // namespace

nlohmann::ordered_json filterJson(const store::FilterSpec& f) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (f.bbox) out["bbox"] = {f.bbox->west, f.bbox->south, f.bbox->east, f.bbox->north};
  if (f.window.from) out["from"] = isoDay(*f.window.from);
  if (f.window.to) out["until"] = isoDay(*f.window.to);
  if (!f.rounds.empty()) out["rounds"] = f.rounds;
  if (!f.authorities.empty()) out["authorities"] = f.authorities;
  if (!f.programs.empty()) out["programs"] = f.programs;
  if (!f.entityKinds.empty()) {
    std::vector<std::string> kinds;
    for (auto kind : f.entityKinds) kinds.emplace_back(core::nameOf(kind));
    out["entity_kinds"] = kinds;
  }
  if (!f.incidentKinds.empty()) out["incident_kinds"] = f.incidentKinds;
  if (!f.text.empty()) out["text"] = f.text;
  if (f.near) out["near"] = {{"lon", f.near->lon}, {"lat", f.near->lat}, {"km", f.near->km}};
  if (f.borderKm) out["border_km"] = *f.borderKm;
  if (f.minConfidence) out["min_confidence"] = *f.minConfidence;
  return out;
}

nlohmann::ordered_json manifestJson(const ManifestInput& input) {
  nlohmann::ordered_json m;
  m["borderlens_version"] = input.version;
  m["command"] = input.command;
  m["format"] = input.format;
  m["created"] = input.createdAt;
  // A connection string's password must not travel with the export.
  m["database"] = core::redactSecrets(input.database);
  m["schema_version"] = input.schemaVersion;
  m["filters"] = filterJson(input.filter);
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const auto& layer : input.layers) {
    nlohmann::ordered_json entry;
    entry["name"] = layer.name;
    entry["features"] = layer.features;
    if (!layer.parts.empty()) entry["parts"] = layer.parts;
    layers.push_back(entry);
  }
  m["layers"] = layers;
  nlohmann::ordered_json sources = nlohmann::ordered_json::array();
  for (const auto& s : input.sources) {
    nlohmann::ordered_json entry;
    entry["id"] = s.id;
    entry["publisher"] = s.publisher;
    entry["title"] = s.title;
    entry["published"] = s.published;
    entry["url"] = s.url;
    if (!s.file.empty()) entry["file"] = s.file;
    if (!s.sha256.empty()) entry["sha256"] = s.sha256;
    sources.push_back(entry);
  }
  m["sources"] = sources;
  if (!input.baseSources.empty()) {
    nlohmann::ordered_json base = nlohmann::ordered_json::array();
    for (const auto& s : input.baseSources) {
      base.push_back({{"layer", s.layer},
                      {"source", s.source},
                      {"version", s.version},
                      {"licence", s.licence},
                      {"attribution", s.attribution}});
    }
    m["base_sources"] = base;
  }
  m["warnings"] = input.warnings;
  for (const auto& [key, value] : input.extra.items()) m[key] = value;
  replaceInvalidUtf8(m);
  return m;
}

void writeManifest(nlohmann::ordered_json manifest, const std::string& outputPath, const std::string& outputName,
                   const std::string& path) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  std::error_code ec;
  if (fs::is_directory(outputPath, ec)) {
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(outputPath)) entries.push_back(entry.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& file : entries) files.push_back(fileEntry(file, file.filename().string()));
  } else {
    files.push_back(fileEntry(outputPath, outputName));
  }
  manifest["files"] = files;
  replaceInvalidUtf8(manifest);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << manifest.dump(2) << "\n";
  out.close();
  if (!out) throw core::OutputFailed(path + ": cannot write the manifest");
}

std::string creationTime() {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (!epoch || !*epoch) return core::nowUtcTimestamp();
  const std::string text(epoch);
  std::int64_t seconds = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (result.ec != std::errc{} || result.ptr != text.data() + text.size() || seconds < 0) {
    throw core::UsageError("SOURCE_DATE_EPOCH '" + text + "' is not a number of seconds since 1970");
  }
  namespace chr = std::chrono;
  const chr::sys_seconds when{chr::seconds{seconds}};
  const auto day = chr::floor<chr::days>(when);
  const chr::year_month_day ymd{day};
  const chr::hh_mm_ss hms{when - day};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buffer;
}

std::string gdalTimestamp(const std::string& createdAt) {
  if (!createdAt.empty() && createdAt.back() == 'Z') return createdAt.substr(0, createdAt.size() - 1) + ".000Z";
  return createdAt;
}

} // namespace borderlens::exports
