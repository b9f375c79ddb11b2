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
  const auto& to = invocation.options.toMigration;  // never given with --steps
  if (to) session.requireMigration(*to);
  session.announce(to      ? fmt::format("Rolling back every migration applied after {}", *to)
                   : steps ? fmt::format("Rolling back the newest {}", plural(static_cast<std::size_t>(*steps), "migration"))
                           : "Rolling back every batch");
  const RunResult result =
      to ? session.runner().rollbackTo(*to)
         : session.runner().rollback(steps ? std::optional<std::size_t>(static_cast<std::size_t>(*steps)) : std::nullopt);
  if (result.migrations.empty()) {
    session.out().line(to ? fmt::format("Nothing to roll back: {} is the newest applied migration.", *to)
                          : "Nothing to roll back: no migration is applied (baselined ones are never rolled back).");
  } else {
    session.out().line(fmt::format("{} {}{}", session.dryRun() ? "Dry run: would roll back" : "Rolled back",
                                   plural(result.migrations.size(), "migration"),
                                   session.dryRun() ? "; nothing was changed." : "."));
  }
  return 0;
}

extern const Command freshCommand;
const Command freshCommand{
    "db:fresh", "Drop every table, then migrate from scratch", "jsorm db:fresh [MODULE SYMBOL] [options]",
    "Drops every table of the database (on PostgreSQL: of the current schema), its data included,\n"
    "then applies every migration as batch 1.",
    kSourceOptions | kConnectionOptions | kRunOptions | kDdlLockOptions | kGuarded, &runFresh};

extern const Command rollbackCommand;
const Command rollbackCommand{
    "db:rollback", "Roll back every batch", "jsorm db:rollback [MODULE SYMBOL] [--steps N | --to NAME] [options]",
    "Rolls back every applied migration, newest first, each in its own transaction; --steps N rolls\n"
    "back only the newest N; --to NAME rolls back those applied after NAME (by batch, then by order\n"
    "applied) and keeps NAME. Refuses before running anything if one of them cannot be reversed.\n"
    "Example: jsorm db:rollback --to 2024_05_01_add_orders --env staging",
    kSourceOptions | kConnectionOptions | kRunOptions | kDdlLockOptions | kGuarded | kStepsOption | kToOption,
    &runRollback};

}  // namespace jsorm::cli
