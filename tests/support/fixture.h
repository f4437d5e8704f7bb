#pragma once

#include "store/store.h"

#include <filesystem>
#include <string>

// Hand-written test records: every name says "Fixture"/测试/시험, and every record cites the
// source "borderlens test fixture". They stand for no real party. One entity (Shenyang Fixture
// Office) deliberately has no source, to test records_without_source.
namespace borderlens::test {

struct FixtureIds {
  core::RecordId dandongTrading = 0;
  core::RecordId pakFixture = 0;
  core::RecordId fixtureStar = 0;
  core::RecordId shenyangOffice = 0;
  core::RecordId seizure = 0;
  core::RecordId transfer = 0;
  core::RecordId investigation = 0;
  core::RecordId closure = 0;
};

// The fixture's stand-in border: a line west of Dandong, for distance-to-border tests only.
inline constexpr const char* kFixtureBorder = "LINESTRING(124.30 39.95, 124.40 40.05, 124.60 40.30)";

FixtureIds fillFixture(store::Store& store, bool withBorder = true);

// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::string file(const std::string& name) const { return (m_path / name).string(); }

 private:
  std::filesystem::path m_path;
};

} // namespace borderlens::test
