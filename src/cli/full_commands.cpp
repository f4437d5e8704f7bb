#include "cli/commands.h"

namespace borderlens::cli {

void provideFullCommands() {
  provideCommand("init", &runInitCommand, &initHelp);
  provideCommand("import", &runImportCommand, &importHelp);
  provideCommand("render", &runRenderCommand, &renderHelp);
  provideCommand("export", &runExportCommand, &exportHelp);
  provideCommand("tiles", &runTilesCommand, &tilesHelp);
}

} // namespace borderlens::cli
