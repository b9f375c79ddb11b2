// migrate, migrate:up and migrate:down.

#include "../run_session.hpp"

#include <chrono>

namespace jsorm::cli {

namespace {
using Clock = std::chrono::steady_clock;

int runForward(Invocation& invocation, bool onlyNext) {
  RunSession session(invocation);
  session.announce(onlyNext ? "Migrating up one" : "Migrating");
  const auto started = Clock::now();
  const RunResult result = onlyNext ? session.runner().migrateUp() : session.runner().migrate();
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  if (result.migrations.empty()) {
    session.out().line("Nothing to migrate: every migration is already applied.");
  } else if (session.dryRun()) {
    session.out().line(fmt::format("Dry run: {} would be applied as batch {}; nothing was changed.",
                                   plural(result.migrations.size(), "migration"), result.batch));
  } else {
    session.out().line(fmt::format("Batch {}: applied {} in {} ms.", result.batch,
                                   plural(result.migrations.size(), "migration"), took));
  }
  return 0;
}
}  // namespace

int runMigrate(Invocation& invocation) { return runForward(invocation, false); }

int runMigrateUp(Invocation& invocation) { return runForward(invocation, true); }

int runMigrateDown(Invocation& invocation) {
  RunSession session(invocation);
  session.announce("Rolling back the last batch");
  const RunResult result = session.runner().migrateDown();
  if (result.migrations.empty()) {
    session.out().line("Nothing to roll back: no migration is applied.");
  } else {
    session.out().line(fmt::format("{} {} of batch {}{}", session.dryRun() ? "Dry run: would roll back" : "Rolled back",
                                   plural(result.migrations.size(), "migration"), result.batch,
                                   session.dryRun() ? "; nothing was changed." : "."));
  }
  return 0;
}

}  // namespace jsorm::cli
