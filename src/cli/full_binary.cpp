#include "cli/commands.h"

#include "core/errors.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <unistd.h>

namespace borderlens::cli {

int runInFullBinary(const std::string& command, const std::vector<std::string>& args) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    throw core::Error(core::ExitCode::Internal,
                      "cannot find the borderlens executable's directory: " + error.message());
  }
  const std::string full = (self.parent_path() / "borderlens-full").string();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>("borderlens"));
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  ::execv(full.c_str(), argv.data());
  throw core::Error(core::ExitCode::Internal,
                    "cannot run " + full + " (" + std::strerror(errno) + "): '" + command +
                        "' runs there");
}

} // namespace borderlens::cli
