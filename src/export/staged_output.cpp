#include "export/staged_output.h"

#include "core/errors.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>

namespace borderlens::exports {

namespace fs = std::filesystem;

namespace {

// What a directory export leaves in its directory; anything else there is the user's, and an
// --overwrite must not delete it.
bool isExportFile(const fs::path& file) {
  static const std::set<std::string> extensions{".shp", ".shx", ".dbf", ".prj", ".cpg", ".fgb"};
  return file.filename() == "field_names.csv" || extensions.count(file.extension().string()) > 0;
}

std::string stagedName(const fs::path& target, const std::string& tag, const std::string& extension) {
  static std::atomic<unsigned> counter{0};
  const std::string unique = std::to_string(::getpid()) + "-" + std::to_string(++counter);
  fs::path name = target.parent_path() /
                  ("." + target.filename().string() + "." + tag + "-" + unique + extension);
  return name.string();
}

} // namespace

void checkTarget(const std::string& target, OutputKind kind, bool overwrite) {
  const fs::path path(target);
  if (path.filename().empty()) throw core::OutputFailed(target + ": not a file name");
  std::error_code ec;
  const fs::path parent = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  if (!fs::exists(parent, ec)) {
    throw core::OutputFailed(target + ": no such directory '" + parent.string() + "'");
  }
  if (!fs::is_directory(parent, ec)) {
    throw core::OutputFailed(target + ": '" + parent.string() + "' is not a directory");
  }
  if (::access(parent.c_str(), W_OK | X_OK) != 0) {
    throw core::OutputFailed(target + ": directory '" + parent.string() + "' is not writable");
  }
  const auto status = fs::symlink_status(path, ec);
  if (!fs::exists(status)) return;
  if (!overwrite) throw core::OutputFailed(target + ": exists (use --overwrite to replace it)");
  if (kind == OutputKind::File && !fs::is_regular_file(status)) {
    throw core::OutputFailed(target + ": exists and is not a regular file; not replacing it");
  }
  if (kind == OutputKind::Directory) {
    if (!fs::is_directory(status)) {
      throw core::OutputFailed(target + ": exists and is not a directory; not replacing it");
    }
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      if (!entry.is_regular_file() || !isExportFile(entry.path())) {
        throw core::OutputFailed(target + ": holds '" + entry.path().filename().string() +
                                 "', which no export writes; not replacing the directory");
      }
    }
  }
}

StagedOutput::StagedOutput(std::string target, OutputKind kind, const std::string& extension)
    : m_target(std::move(target)), m_staged(stagedName(m_target, "partial", extension)), m_kind(kind) {}

StagedOutput::~StagedOutput() {
  if (m_committed) return;
  std::error_code ec;
  fs::remove_all(m_staged, ec);
  // SQLite-based formats (GeoPackage, MBTiles) may leave their journal behind after a failure.
  for (const char* suffix : {"-journal", "-wal", "-shm"}) fs::remove(m_staged + suffix, ec);
}

void StagedOutput::commit() {
  std::error_code ec;
  if (m_kind == OutputKind::Directory && fs::is_directory(m_target, ec)) {
    // rename() cannot replace a non-empty directory: move the old one aside first, and back
    // if the new one cannot take its place.
    const std::string old = stagedName(m_target, "old", "");
    fs::rename(m_target, old, ec);
    if (ec) throw core::OutputFailed(m_target + ": cannot replace it: " + ec.message());
    fs::rename(m_staged, m_target, ec);
    if (ec) {
      std::error_code ignored;
      fs::rename(old, m_target, ignored);
      throw core::OutputFailed(m_target + ": cannot write it: " + ec.message());
    }
    fs::remove_all(old, ec);
  } else {
    fs::rename(m_staged, m_target, ec);
    if (ec) throw core::OutputFailed(m_target + ": cannot write it: " + ec.message());
  }
  m_committed = true;
}

} // namespace borderlens::exports
