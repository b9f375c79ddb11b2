// migrate, migrate:up and migrate:down.

#include "../fleet.hpp"
#include "../history.hpp"
#include "../plan.hpp"
#include "../run_session.hpp"

#include <nlohmann/json.hpp>

#include <chrono>

namespace jsorm::cli {

namespace {
using Clock = std::chrono::steady_clock;

// Every pending migration, the next one only, or those up to --to NAME.
RunResult applyPending(RunSession& session, const Options& options, bool onlyNext) {
  if (onlyNext) return session.runner().migrateUp();
  if (!options.toMigration) return session.runner().migrate();
  session.requireMigration(*options.toMigration);
  return session.runner().migrateTo(*options.toMigration);
}

// The dry run recorded and printed as one JSON document, so a pipeline can attach the
// exact SQL to an approval. Nothing else goes to stdout.
int printPlan(Invocation& invocation, bool onlyNext) {
  PlanRecorder recorder;
  RunSession session(invocation, &recorder);
  const RunResult result = applyPending(session, invocation.options, onlyNext);
  const OpenedSource& opened = session.opened();
  const PlanTarget target{session.connection().target(), opened.source().migrationTable, opened.symbol, opened.module,
                          session.connection().dialect().transactionalDdl()};
  const auto plan = planJson(target, result, recorder, summarize(opened.source(), opened.loaded.validated));
  // Raw SQL that is not UTF-8 is shown with replacement characters rather than failing.
  invocation.out.result(plan.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  return 0;
}

int runForward(Invocation& invocation, bool onlyNext) {
  // A fleet's --json is its report, printed after the run, so it needs no --dry-run.
  if (!onlyNext && isFleet(invocation)) return runMigrateFleet(invocation);
  if (invocation.options.json) {
    // A real run reports progress as it goes; only the plan of a dry run is a JSON document.
    if (!invocation.options.dryRun) {
      throw UsageError("--json prints the plan of a dry run and needs --dry-run; a migrate that applies "
                       "migrations prints text (check the result with migrate:status --json)");
    }
    return printPlan(invocation, onlyNext);
  }
  RunSession session(invocation);
  const auto& to = invocation.options.toMigration;
  session.announce(onlyNext ? "Migrating up one" : to ? fmt::format("Migrating up to {}", *to) : "Migrating");
  const auto started = Clock::now();
  const RunResult result = applyPending(session, invocation.options, onlyNext);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  if (result.migrations.empty()) {
    session.out().line(to ? fmt::format("Nothing to migrate: every migration up to {} is already applied.", *to)
                          : "Nothing to migrate: every migration is already applied.");
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
    session.out().line("Nothing to roll back: no migration is applied (baselined ones are never rolled back).");
  } else {
    // Batch 0: the partial migrations, which belong to no batch yet.
    const std::string what = result.batch == 0 ? "the journaled steps of " + plural(result.migrations.size(), "partial migration")
                                               : fmt::format("{} of batch {}", plural(result.migrations.size(), "migration"),
                                                             result.batch);
    session.out().line(fmt::format("{} {}{}", session.dryRun() ? "Dry run: would roll back" : "Rolled back", what,
                                   session.dryRun() ? "; nothing was changed." : "."));
  }
  return 0;
}

extern const Command migrateCommand;
const Command migrateCommand{
    "migrate", "Apply every pending migration as one new batch", "jsorm migrate [MODULE SYMBOL] [options]",
    "Loads the schema module, resolves the exported migration source SYMBOL, and applies its pending\n"
    "migrations in source order. Each migration runs in its own transaction with its tracking row;\n"
    "on MySQL/MariaDB each statement is journaled instead, a failure leaves the migration partial,\n"
    "and the next migrate resumes it (docs/mysql.md).\n"
    "Refuses to run when an applied migration was changed or removed (see migrate:repair).\n"
    "Without MODULE SYMBOL the source comes from jsorm.toml (see --config, --source).\n"
    "--dry-run --json prints the plan as one JSON document instead: the batch it would form, each\n"
    "pending migration with its steps and their exact SQL, and every statement in order (docs/cli.md).\n"
    "--targets FILE or --all-sources runs it on many databases at once (docs/fleets.md).\n"
    "--to NAME applies the pending migrations up to and including NAME only (a pinned release).\n"
    "Example: jsorm migrate ./build/lib/libroles_users.so ormSource --url sqlite:app.db",
    kSourceOptions | kConnectionOptions | kRunOptions | kDdlLockOptions | kJsonOption | kFleetOptions | kToOption,
    &runMigrate};

extern const Command migrateUpCommand;
const Command migrateUpCommand{
    "migrate:up", "Apply only the next pending migration", "jsorm migrate:up [MODULE SYMBOL] [options]",
    "Applies the first pending migration as a batch of its own.\n"
    "--dry-run --json prints its plan as one JSON document, as migrate does.",
    kSourceOptions | kConnectionOptions | kRunOptions | kDdlLockOptions | kJsonOption, &runMigrateUp};

extern const Command migrateDownCommand;
const Command migrateDownCommand{
    "migrate:down", "Roll back the last batch", "jsorm migrate:down [MODULE SYMBOL] [options]",
    "Rolls back every migration of the newest batch, newest first, each in its own transaction.\n"
    "A migration without `down` is reversed automatically; if one of the batch cannot be reversed,\n"
    "or is no longer in the source, nothing runs. On MySQL/MariaDB a partial migration is undone\n"
    "first, and only its journaled steps.",
    kSourceOptions | kConnectionOptions | kRunOptions | kDdlLockOptions | kGuarded, &runMigrateDown};

}  // namespace jsorm::cli
