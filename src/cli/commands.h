#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace borderlens::cli {

// A subcommand: a thin wrapper that parses its arguments, calls its op and prints the result.
struct Command {
  const char* name;
  const char* summary;
  int (*run)(const std::vector<std::string>& args, std::ostream& out);
  std::string (*help)();
};

const std::vector<Command>& commands();
// Registers a command implemented outside this module (the map window's `view`); the first
// command registered with `isDefault` also runs when borderlens is given no arguments.
void addCommand(const Command& command, bool isDefault = false);

// The whole CLI: dispatch, --help, --version, and the mapping of errors to exit codes with a
// one-line cause on `err`.
int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

std::string mainHelp();

int runCopyCommand(const std::vector<std::string>& args, std::ostream& out);
std::string copyHelp();
int runExportCommand(const std::vector<std::string>& args, std::ostream& out);
std::string exportHelp();
int runImportCommand(const std::vector<std::string>& args, std::ostream& out);
std::string importHelp();
int runInitCommand(const std::vector<std::string>& args, std::ostream& out);
std::string initHelp();
int runInfoCommand(const std::vector<std::string>& args, std::ostream& out);
std::string infoHelp();
int runQueryCommand(const std::vector<std::string>& args, std::ostream& out);
std::string queryHelp();
int runRenderCommand(const std::vector<std::string>& args, std::ostream& out);
std::string renderHelp();
int runRoundsCommand(const std::vector<std::string>& args, std::ostream& out);
std::string roundsHelp();
int runTilesCommand(const std::vector<std::string>& args, std::ostream& out);
std::string tilesHelp();

} // namespace borderlens::cli
