#include "cli/commands.h"
#include "ui/view.h"

#include <iostream>

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  borderlens::cli::addCommand({"view", "open the map window (the default with no arguments)",
                               &borderlens::ui::runViewCommand, &borderlens::ui::viewHelp},
                              true);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return borderlens::cli::runCli(args, std::cout, std::cerr);
}
