// migrate:baseline --to NAME: adopts a database built outside jsorm by recording the
// migrations up to NAME as applied, once the live schema is shown to hold what they create.

#include "../exit_codes.hpp"
#include "../run_session.hpp"
#include "../schema_drift.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>

namespace jsorm::cli {

namespace {
// Thrown by the check inside the runner's lock, so that nothing is recorded.
struct BaselineRefused {
  DriftReport report;
};

int runBaseline(Invocation& invocation) {
  if (!invocation.options.toMigration) {
    throw UsageError("migrate:baseline needs --to NAME: the last migration the database already holds "
                     "(migrate:status lists them)");
  }
  const std::string name = *invocation.options.toMigration;
  RunSession session(invocation);
  session.requireMigration(name);
  const auto& migrations = session.opened().source().migrations;
  const auto end = std::find_if(migrations.begin(), migrations.end(), [&](const auto& m) { return m.name == name; }) + 1;
  const std::vector<Migration> recorded(migrations.begin(), end);

  session.announce(fmt::format("Baselining up to {}", name));
  DriftReport checked;
  const bool force = invocation.options.force;
  auto verify = [&] {
    if (force) return;
    // Only what these migrations create must be there: the database may hold more.
    checked = driftFromMigrations(session.connection(), session.opened().source(), recorded, false);
    if (checked.drift() > 0) throw BaselineRefused{checked};
  };
  RunResult result;
  try {
    result = session.runner().baseline(name, verify);
  } catch (const BaselineRefused& refused) {
    Output& out = invocation.out;
    for (const auto& line : refused.report.lines()) out.result(line);
    out.error(fmt::format("refusing to baseline to '{}': the schema of {} lacks what those migrations create ({}, "
                          "listed above; first: {}); complete the schema, or pass --force to record them anyway",
                          name, session.connection().target(), plural(refused.report.drift(), "difference"),
                          std::find_if(refused.report.differences.begin(), refused.report.differences.end(),
                                       [](const auto& d) { return !d.unverifiable; })
                              ->describe()));
    return kSchemaDrift;
  }
  Output& out = invocation.out;
  for (const auto& line : checked.lines()) out.result(line);
  out.line(fmt::format("Recorded {} as applied (batch 0, baseline) without running {}{}.",
                       plural(result.migrations.size(), "migration"), result.migrations.size() == 1 ? "it" : "them",
                       force ? "; the schema was not checked (--force)" : ""));
  return kOk;
}
}  // namespace

extern const Command baselineCommand;
const Command baselineCommand{
    "migrate:baseline", "Record migrations as applied on a database built outside jsorm",
    "jsorm migrate:baseline [MODULE SYMBOL] --to NAME [--force] [options]",
    "For a database whose schema was made without jsorm (a SQL script, another tool): checks,\n"
    "as db:check does, that the live schema holds what the migrations up to and including NAME\n"
    "create (more tables or columns are fine), then records those migrations as applied in\n"
    "batch 0 WITHOUT running them; migrate:status shows them as baseline, and migrate applies\n"
    "only the ones after NAME. Refuses, naming each missing object, when the schema lacks\n"
    "something (exit 14), and refuses when any migration is already recorded (exit 7).\n"
    "--force records them without the check.\n"
    "Baselined migrations are ordinary applied ones of the oldest batch: migrate:down and\n"
    "db:rollback undo them last, with their down steps, like any other.\n"
    "Example: jsorm migrate:baseline --to 2024_03_01_create_orders",
    kSourceOptions | kConnectionOptions | kToOption | kBaselineOptions, &runBaseline};

}  // namespace jsorm::cli
