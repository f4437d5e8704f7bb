#include "core/args.h"
#include "cli/commands.h"
#include "ops/filter_args.h"
#include "core/errors.h"
#include "support/printers.h"
#include "ui/view.h"

#include <doctest/doctest.h>

#include <sstream>

using namespace borderlens;

namespace {

const std::vector<core::OptionSpec> kSpecs{
    {"--json", "", "json"}, {"--format", "F", "format"}, {"--round", "ID", "round", true}};

core::ParsedArgs parse(std::vector<std::string> args) { return core::parseArgs("test", args, kSpecs); }

core::ParsedArgs parseFilters(std::vector<std::string> args) {
  return core::parseArgs("query", args, ops::filterOptions());
}

} // namespace

TEST_CASE("arguments parse in both spellings, positionals in order") {
  const auto parsed = parse({"a.db", "--format", "csv", "--round=UN-2017-12-22", "--round", "X",
                             "--json", "b"});
  CHECK(parsed.positionals == std::vector<std::string>{"a.db", "b"});
  CHECK(parsed.value("--format") == "csv");
  CHECK(parsed.all("--round") == std::vector<std::string>{"UN-2017-12-22", "X"});
  CHECK(parsed.has("--json"));
  CHECK(parse({"--", "--json"}).positionals == std::vector<std::string>{"--json"});
}

TEST_CASE("argument errors name the option") {
  const auto message = [](std::vector<std::string> args) {
    try {
      parse(args);
    } catch (const core::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message({"--frob"}).find("unknown option '--frob'") != std::string::npos);
  CHECK(message({"--format"}).find("--format needs a value F") != std::string::npos);
  CHECK(message({"--format", "a", "--format", "b"}).find("given twice") != std::string::npos);
  CHECK(message({"--json=1"}).find("takes no value") != std::string::npos);
}

TEST_CASE("filter flags become a FilterSpec") {
  const auto filter = ops::filterFromArgs(parseFilters(
      {"--bbox", "124,39.5,125,40.5", "--from", "2017", "--to", "2018-01", "--kind", "vessel",
       "--kind", "seizure", "--text", "丹东", "--near", "124.35,40.0", "--within-km", "25",
       "--min-confidence", "0.7", "--border-km", "5", "--authority", "UN", "--program", "DPRK3"}));
  REQUIRE(filter.bbox);
  CHECK(filter.bbox->east == 125);
  CHECK(*filter.window.from == core::Date::ymd(2017, 1, 1).firstDay());
  CHECK(*filter.window.to == core::Date::ymd(2018, 1, 31).firstDay());
  CHECK(filter.entityKinds == std::vector<core::EntityKind>{core::EntityKind::Vessel});
  CHECK(filter.incidentKinds == std::vector<std::string>{"seizure"});
  CHECK(filter.text == "丹东");
  REQUIRE(filter.near);
  CHECK(filter.near->km == 25);
  CHECK(*filter.minConfidence == 0.7);
  CHECK(*filter.borderKm == 5);
  CHECK(filter.authorities == std::vector<std::string>{"UN"});
}

TEST_CASE("invalid filter values are usage errors") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--bbox", "1,2,3"}, {"--from", "2017-02-30"}, {"--from", "2018", "--to", "2017"},
           {"--kind", "ship"}, {"--near", "124,40"}, {"--within-km", "5"},
           {"--near", "124", "--within-km", "5"}, {"--near", "124,40", "--within-km", "-1"},
           {"--min-confidence", "2"}, {"--min-confidence", "high"}, {"--border-km", "-3"},
           {"--text", "!!!"}}) {
    CAPTURE(args.front());
    CHECK_THROWS_AS(ops::filterFromArgs(parseFilters(args)), core::UsageError);
  }
}

TEST_CASE("every subcommand has --help, exit 0, and the main help lists exit codes") {
  // As borderlens-full has them (the light binary hands these to it: tests/cli/light_binary.sh).
  cli::provideFullCommands();
  cli::provideCommand("view", &ui::runViewCommand, &ui::viewHelp);
  for (const auto& command : cli::commands()) {
    CAPTURE(command.name);
    std::ostringstream out, err;
    CHECK(cli::runCli({command.name, "--help"}, out, err) == 0);
    CHECK(out.str().rfind(std::string("Usage: borderlens ") + command.name, 0) == 0);
    CHECK(err.str().empty());
  }
  std::ostringstream out, err;
  CHECK(cli::runCli({"--help"}, out, err) == 0);
  for (int code = 0; code <= 7; ++code) {
    CHECK(out.str().find("  " + std::to_string(code) + "  ") != std::string::npos);
  }
}

TEST_CASE("errors map to exit codes with one line on stderr") {
  std::ostringstream out, err;
  CHECK(cli::runCli({"frobnicate"}, out, err) == 2);
  CHECK(err.str() == "borderlens: error: unknown command 'frobnicate' (see: borderlens --help)\n");
  std::ostringstream out2, err2;
  CHECK(cli::runCli({"info", "/nonexistent/x.db"}, out2, err2) == 3);
  CHECK(err2.str() == "borderlens: error: /nonexistent/x.db: no such database file\n");
}
