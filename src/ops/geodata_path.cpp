#include "ops/geodata_path.h"

#include <cstdlib>
#include <filesystem>

namespace borderlens::ops {

std::optional<std::string> findGeodataDir() {
  std::error_code ec;
  if (const char* env = std::getenv("BORDERLENS_GEODATA"); env && *env) {
    if (std::filesystem::exists(std::filesystem::path(env) / "base.gpkg", ec)) return env;
    return std::nullopt;
  }
  const std::filesystem::path built(BORDERLENS_SOURCE_GEODATA);
  if (std::filesystem::exists(built / "base.gpkg", ec)) return built.string();
  return std::nullopt;
}

std::optional<std::string> findAssetsDir() {
  std::error_code ec;
  if (const char* env = std::getenv("BORDERLENS_ASSETS"); env && *env) {
    if (std::filesystem::exists(std::filesystem::path(env) / "style.json", ec)) return env;
    return std::nullopt;
  }
  const std::filesystem::path built(BORDERLENS_SOURCE_ASSETS);
  if (std::filesystem::exists(built / "style.json", ec)) return built.string();
  return std::nullopt;
}

std::optional<std::string> findDemoDatabase() {
  std::error_code ec;
  if (const char* env = std::getenv("BORDERLENS_DEMO_DB"); env && *env) {
    if (std::filesystem::exists(env, ec)) return env;
    return std::nullopt;
  }
  const std::filesystem::path built = std::filesystem::path(BORDERLENS_SOURCE_GEODATA).parent_path() / "build" / "demo.db";
  if (std::filesystem::exists(built, ec)) return built.string();
  return std::nullopt;
}

const char* version() { return BORDERLENS_VERSION; }

} // namespace borderlens::ops
