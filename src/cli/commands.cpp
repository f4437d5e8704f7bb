#include "cli/commands.h"

#include "core/errors.h"
#include "core/redact.h"
#include "ops/geodata_path.h"

#include <algorithm>
#include <ostream>

namespace borderlens::cli {

namespace {

// Every command, in the order --help lists them. Those without functions here need GDAL, OpenGL
// or the window: the binary that has them provides them (provideCommand), and the light one
// hands them to it (setDelegate).
std::vector<Command>& registry() {
  static std::vector<Command> list{
      {"init", "create a database, or upgrade an older one", nullptr, nullptr},
      {"import", "import sanctions lists and incident files", nullptr, nullptr},
      {"info", "summarise a database (counts, extent, schema)", &runInfoCommand, &infoHelp},
      {"query", "list entities and incidents matching filters", &runQueryCommand, &queryHelp},
      {"rounds", "list designation rounds with their counts", &runRoundsCommand, &roundsHelp},
      {"render", "draw the map to a PNG without a display", nullptr, nullptr},
      {"export", "write map layers (GeoPackage, GeoJSON, KML, CSV, ...)", nullptr, nullptr},
      {"tiles", "write vector tiles (MBTiles)", nullptr, nullptr},
      {"copy", "copy a whole database (SpatiaLite file <-> PostGIS)", &runCopyCommand, &copyHelp},
      {"view", "open the map window (the default with no arguments)", nullptr, nullptr},
  };
  return list;
}

constexpr const char* kDefaultCommand = "view";
int (*g_delegate)(const std::string& command, const std::vector<std::string>& args) = nullptr;

} // namespace

const std::vector<Command>& commands() { return registry(); }

void provideCommand(const char* name, int (*run)(const std::vector<std::string>&, std::ostream&),
                    std::string (*help)()) {
  for (auto& command : registry()) {
    if (std::string_view(command.name) == name) {
      command.run = run;
      command.help = help;
      return;
    }
  }
  throw std::logic_error(std::string("no command slot named ") + name);
}

void setDelegate(int (*delegate)(const std::string& command, const std::vector<std::string>& args)) {
  g_delegate = delegate;
}

std::string mainHelp() {
  std::string out =
      "borderlens: sanctions enforcement along the China-North Korea border, on a map.\n\n"
      "Usage: borderlens COMMAND [ARGS...]\n"
      "       borderlens COMMAND --help\n"
      "       borderlens --version\n\n"
      "Commands:\n";
  for (const auto& command : commands()) {
    std::string name = std::string("  ") + command.name;
    name.append(12 - std::min<std::size_t>(name.size(), 11), ' ');
    out += name + command.summary + "\n";
  }
  out +=
      "\nDB is a SpatiaLite database file (created by `borderlens init`).\n\n"
      "Exit codes:\n"
      "  0  success\n"
      "  1  internal error (a bug or an unexpected system failure)\n"
      "  2  usage error: unknown option, invalid value (date, bbox, number)\n"
      "  3  database unavailable: missing, unreadable, not SQLite, not a borderlens database\n"
      "  4  schema mismatch: database written by a newer borderlens, or needing an upgrade\n"
      "  5  input rejected: a file or record that cannot be imported\n"
      "  6  output failed: a file that cannot be written\n"
      "  7  cancelled\n"
      "On failure borderlens prints one line, \"borderlens: error: CAUSE\", to standard error,\n"
      "and leaves the database as it was.\n";
  return out;
}

namespace {

// An error message as it may be printed: a connection string given as an argument, quoted
// whole or in part by whichever layer failed, never shows its password.
std::string redactedMessage(std::string message, const std::vector<std::string>& args) {
  for (const auto& arg : args) {
    const std::string safe = core::redactSecrets(arg);
    if (safe == arg) continue;
    for (auto at = message.find(arg); at != std::string::npos; at = message.find(arg, at + safe.size())) {
      message.replace(at, arg.size(), safe);
    }
  }
  // What a driver quotes in its own words: `password=...` pairs, and URLs inside the text.
  message = core::redactSecrets(message);
  for (const char* scheme : {"postgresql://", "postgres://"}) {
    for (auto at = message.find(scheme); at != std::string::npos; at = message.find(scheme, at + 1)) {
      const auto end = message.find_first_of(" \t\n'\"", at);
      const std::size_t length = end == std::string::npos ? std::string::npos : end - at;
      message.replace(at, length, core::redactSecrets(message.substr(at, length)));
    }
  }
  return message;
}

bool wantsHelp(const std::vector<std::string>& args) {
  for (const auto& arg : args) {
    if (arg == "--") return false;
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

} // namespace

int runCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    const std::string& first = args.empty() ? kDefaultCommand : args.front();
    if (first == "--help" || first == "-h" || first == "help") {
      out << mainHelp();
      return 0;
    }
    if (first == "--version") {
      out << "borderlens " << ops::version() << "\n";
      return 0;
    }
    const auto& list = commands();
    const auto command = std::find_if(list.begin(), list.end(),
                                      [&](const Command& c) { return first == c.name; });
    if (command == list.end()) {
      throw core::UsageError("unknown command '" + first + "' (see: borderlens --help)");
    }
    if (!command->run) {
      if (!g_delegate) {
        throw core::Error(core::ExitCode::Internal,
                        "'" + first + "' is not part of this build of borderlens");
      }
      out.flush();
      return g_delegate(first, args);
    }
    const std::vector<std::string> rest(args.empty() ? args.begin() : args.begin() + 1, args.end());
    if (wantsHelp(rest)) {
      out << command->help();
      return 0;
    }
    return command->run(rest, out);
  } catch (const core::Error& e) {
    out.flush();
    err << "borderlens: error: " << redactedMessage(e.what(), args) << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    out.flush();
    err << "borderlens: error: " << redactedMessage(e.what(), args) << "\n";
    return static_cast<int>(core::ExitCode::Internal);
  }
}

} // namespace borderlens::cli
