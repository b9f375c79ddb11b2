// db:fresh and db:rollback: whole-database commands, guarded in production.

#include "../run_session.hpp"

namespace jsorm::cli {

int runFresh(Invocation& invocation) {
  RunSession session(invocation);
  const auto tables = session.connection().tables();
  session.announce(fmt::format("Dropping {} and migrating from scratch", plural(tables.size(), "table")));
  const RunResult result = session.runner().fresh();
  session.out().line(fmt::format("{} {} and applied {} as batch {}{}", session.dryRun() ? "Dry run: would drop" : "Dropped",
                                 plural(tables.size(), "table"), plural(result.migrations.size(), "migration"),
                                 result.batch, session.dryRun() ? "; nothing was changed." : "."));
  return 0;
}

int runRollback(Invocation& invocation) {
  if (invocation.options.steps != kAllSteps && invocation.options.steps < 1) {
    throw UsageError("--steps must be a positive number");
  }
  RunSession session(invocation);
  const bool limited = invocation.options.steps != kAllSteps;
  session.announce(limited ? fmt::format("Rolling back the newest {}", plural(invocation.options.steps, "migration"))
                           : "Rolling back every batch");
  const RunResult result =
      session.runner().rollback(limited ? std::optional<std::size_t>(invocation.options.steps) : std::nullopt);
  if (result.migrations.empty()) {
    session.out().line("Nothing to roll back: no migration is applied.");
  } else {
    session.out().line(fmt::format("{} {}{}", session.dryRun() ? "Dry run: would roll back" : "Rolled back",
                                   plural(result.migrations.size(), "migration"),
                                   session.dryRun() ? "; nothing was changed." : "."));
  }
  return 0;
}

}  // namespace jsorm::cli
