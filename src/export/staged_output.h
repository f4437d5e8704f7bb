#pragma once

#include <string>

namespace borderlens::exports {

// Whether an output is one file (GeoPackage, GeoJSON, ...) or a directory of files (a Shapefile
// or FlatGeobuf set).
enum class OutputKind { File, Directory };

// Checks, before anything is read or written, that `target` can be created: its directory
// exists, and an existing target is replaced only with `overwrite` (a directory only when it holds
// nothing but files an export writes). Throws core::OutputFailed with a one-line cause.
void checkTarget(const std::string& target, OutputKind kind, bool overwrite);

// An output written under a hidden name beside its target (same directory, so the final rename
// is atomic) and moved into place by commit(); until then the target is untouched, and the staged
// file or directory is removed when this object goes (an error, a cancel).
class StagedOutput {
 public:
  // `extension` ends the staged name (".gpkg"): GDAL drivers go by it. A staged directory is
  // created by whoever writes into it.
  StagedOutput(std::string target, OutputKind kind, const std::string& extension);
  ~StagedOutput();
  StagedOutput(const StagedOutput&) = delete;
  StagedOutput& operator=(const StagedOutput&) = delete;

  // Where to write.
  const std::string& path() const { return m_staged; }
  const std::string& target() const { return m_target; }

  // Moves the staged output onto the target, replacing an existing one. Throws
  // core::OutputFailed.
  void commit();

 private:
  std::string m_target;
  std::string m_staged;
  OutputKind m_kind;
  bool m_committed = false;
};

} // namespace borderlens::exports
