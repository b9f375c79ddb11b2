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
  RunSession session(invocation);
  const auto& steps = invocation.options.steps;  // checked to be >= 1 when given
  session.announce(steps ? fmt::format("Rolling back the newest {}", plural(static_cast<std::size_t>(*steps), "migration"))
                         : "Rolling back every batch");
  const RunResult result =
      session.runner().rollback(steps ? std::optional<std::size_t>(static_cast<std::size_t>(*steps)) : std::nullopt);
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
