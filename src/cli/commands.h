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
// Gives a listed command its functions. `init`, `import`, `render`, `export` and `tiles` come
// with provideFullCommands; `view` comes from the map window's module (ui).
void provideCommand(const char* name, int (*run)(const std::vector<std::string>& args, std::ostream& out),
                    std::string (*help)());
void provideFullCommands();
// Where a command has no functions, runCli hands the whole command line to `delegate`, with the
// name of the command it runs (the default one for an empty line).
void setDelegate(int (*delegate)(const std::string& command, const std::vector<std::string>& args));
// The light `borderlens` binary links no GDAL, OpenGL or window libraries, whose loading alone took
// 30 ms of every run, a tenth of a viewport query's. It runs the commands that need them by
// replacing itself with borderlens-full from its own directory, with the same arguments.
int runInFullBinary(const std::string& command, const std::vector<std::string>& args);

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
