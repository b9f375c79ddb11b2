// migrate:repair: accept deliberate edits to applied migrations.

#include "../run_session.hpp"

namespace jsorm::cli {

int runRepair(Invocation& invocation) {
  RunSession session(invocation);
  session.announce("Repairing the tracking table");
  const auto repaired = session.runner().repair();
  for (const auto& status : repaired) {
    const bool changed = status.state == MigrationState::Changed;
    session.out().line(fmt::format("  {} {}", changed ? "re-recorded checksum of" : "forgot missing migration", status.name));
  }
  if (repaired.empty()) {
    session.out().line("Nothing to repair: every applied migration matches the source.");
  } else {
    session.out().line(fmt::format("{} {}{}", session.dryRun() ? "Dry run: would repair" : "Repaired",
                                   plural(repaired.size(), "migration"), session.dryRun() ? "; nothing was changed." : "."));
  }
  return 0;
}

extern const Command repairCommand;
const Command repairCommand{
    "migrate:repair", "Re-record checksums after a deliberate edit", "jsorm migrate:repair [MODULE SYMBOL] [options]",
    "Stores the current checksum of every applied migration whose steps changed, and forgets\n"
    "(deletes the tracking row of) every applied migration the source no longer defines. Nothing\n"
    "else runs. Use it after reviewing why migrate refused.",
    kSourceOptions | kConnectionOptions | kRunOptions | kGuarded, &runRepair};

}  // namespace jsorm::cli
