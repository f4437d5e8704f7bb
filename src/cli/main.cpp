#include "cli/commands.h"
#include "ui/view.h"

#include <iostream>

// borderlens-full: every command, with GDAL, OpenGL and the map window.
int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  borderlens::cli::provideFullCommands();
  borderlens::cli::provideCommand("view", &borderlens::ui::runViewCommand, &borderlens::ui::viewHelp);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return borderlens::cli::runCli(args, std::cout, std::cerr);
}
