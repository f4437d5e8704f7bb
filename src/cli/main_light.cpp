#include "cli/commands.h"

#include <iostream>

// borderlens: the commands that read a database run here; the others run in borderlens-full.
int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  borderlens::cli::setDelegate(&borderlens::cli::runInFullBinary);
  const std::vector<std::string> args(argv + 1, argv + argc);
  return borderlens::cli::runCli(args, std::cout, std::cerr);
}
