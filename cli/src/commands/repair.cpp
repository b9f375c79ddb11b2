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

}  // namespace jsorm::cli
