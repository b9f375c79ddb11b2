// migrate:repair: accept deliberate edits to applied migrations.

#include "../run_session.hpp"

namespace jsorm::cli {

int runRepair(Invocation& invocation) {
  RunSession session(invocation);
  session.announce("Repairing the tracking table");
  const auto repaired = session.runner().repair();
  for (const auto& status : repaired) {
    const char* what = status.state == MigrationState::Changed   ? "re-recorded checksum of"
                       : status.state == MigrationState::Partial ? "cleared the step journal of partial migration"
                                                                 : "forgot missing migration";
    session.out().line(fmt::format("  {} {}", what, status.name));
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
    "(deletes the tracking row of) every applied migration the source no longer defines. On\n"
    "MySQL/MariaDB it also clears the step journal of each partial migration, which is then\n"
    "pending again: do that after undoing its journaled steps by hand. Nothing else runs. Use it\n"
    "after reviewing why migrate refused.",
    kSourceOptions | kConnectionOptions | kRunOptions | kGuarded, &runRepair};

}  // namespace jsorm::cli
