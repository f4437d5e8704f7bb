#pragma once

// Shared by the fuzz targets: the importers read files, so each input is written to a scratch
// directory of the process first. The same code runs under libFuzzer (tools/fuzz) and under
// replay_main.cpp in the normal build (ctest -L hostile).

#include "core/errors.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace borderlens::fuzz {

// One directory per process, removed at exit; /dev/shm keeps the writes off the disk.
class ScratchDir {
 public:
  ScratchDir() {
    const std::filesystem::path base =
        std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
    std::string pattern = (base / "borderlens-fuzz-XXXXXX").string();
    if (!mkdtemp(pattern.data())) std::abort();
    m_path = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

inline const ScratchDir& scratchDir() {
  static const ScratchDir dir;
  return dir;
}

// Writes `bytes` to a file named `name` in the scratch directory and returns its path.
inline std::string writeScratch(const std::string& name, std::string_view bytes) {
  const std::string path = scratchDir().path() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) std::abort();
  return path;
}

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Splits at every `separator` byte; n separators give n + 1 parts.
inline std::vector<std::string_view> splitAt(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == separator) {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

// Runs `parse`, letting through only the refusals the parsers document for bad input
// (core::InputRejected, core::UsageError); any other exception escapes and is a finding.
template <class Parse>
void expectRefusalsOnly(Parse&& parse) {
  try {
    parse();
  } catch (const core::InputRejected&) {
  } catch (const core::UsageError&) {
  }
}

// A finding that is no crash: an invariant the code documents does not hold.
[[noreturn]] inline void invariantBroken(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

} // namespace borderlens::fuzz
