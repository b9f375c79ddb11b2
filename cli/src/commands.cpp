#include "cli.hpp"

namespace jsorm::cli {

// Each command's name, help text and run function live in its own file under commands/;
// a new command is that file plus its line here, which sets its place in `jsorm --help`.
extern const Command migrateCommand;
extern const Command migrateUpCommand;
extern const Command migrateDownCommand;
extern const Command statusCommand;
extern const Command lintCommand;
extern const Command repairCommand;
extern const Command freezeCommand;
extern const Command makeCommand;
extern const Command freshCommand;
extern const Command rollbackCommand;
extern const Command checkCommand;
extern const Command baselineCommand;
extern const Command generateCommand;
extern const Command diagramCommand;
extern const Command inspectCommand;
extern const Command artifactDiffCommand;
extern const Command adaptersCommand;

const std::vector<Command>& commands() {
  static const std::vector<Command> table{
      migrateCommand,
      migrateUpCommand,
      migrateDownCommand,
      statusCommand,
      lintCommand,
      repairCommand,
      freezeCommand,
      freshCommand,
      rollbackCommand,
      checkCommand,
      baselineCommand,
      generateCommand,
      makeCommand,
      diagramCommand,
      inspectCommand,
      artifactDiffCommand,
      adaptersCommand,
  };
  return table;
}

}  // namespace jsorm::cli
