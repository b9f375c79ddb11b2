// db:check: the live schema against what the applied migrations (or, with --models, the
// models) say it should be; exit 14 on drift, each difference on its own line.

#include "../exit_codes.hpp"
#include "../run_session.hpp"
#include "../schema_drift.hpp"
#include "../source_loader.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>

namespace jsorm::cli {

namespace {
// The applied migrations in source order; what cannot be replayed becomes a note.
std::vector<Migration> appliedMigrations(Connection& connection, const OpenedSource& opened, const RunOptions& options,
                                         std::vector<std::string>& notes) {
  Runner runner(connection, opened.source(), options, opened.loaded.validated);
  std::map<std::string, const Migration*> byName;
  for (const auto& migration : opened.source().migrations) byName[migration.name] = &migration;
  std::vector<Migration> applied;
  for (const auto& status : runner.status()) {
    switch (status.state) {
      case MigrationState::Applied: applied.push_back(*byName.at(status.name)); break;
      case MigrationState::Changed:
        applied.push_back(*byName.at(status.name));
        notes.push_back(fmt::format("migration '{}' changed since it was applied: replayed as the source has it now",
                                    status.name));
        break;
      case MigrationState::Partial:
        notes.push_back(fmt::format("migration '{}' is partial: what it created is not expected (finish it with "
                                    "migrate, or undo it with migrate:down)",
                                    status.name));
        break;
      case MigrationState::Missing:
        notes.push_back(fmt::format("migration '{}' is applied but no longer in the source: what it created "
                                    "cannot be replayed",
                                    status.name));
        break;
      case MigrationState::Pending: break;
    }
  }
  return applied;
}

// --models with MODULE SYMBOL takes the generate source's symbol as a third argument in
// the same module; with jsorm.toml it is [defaults] generateSource, or the only one.
std::vector<Model> modelsFor(Invocation& invocation, std::vector<std::string> positional) {
  Invocation forModels = invocation;
  forModels.options.source.clear();
  forModels.options.positional.clear();
  if (positional.size() == 3) forModels.options.positional = {positional[0], positional[2]};
  return openGenerateSource(forModels).loaded.value.models;
}

int runCheck(Invocation& invocation) {
  const std::vector<std::string> positional = invocation.options.positional;
  const bool models = invocation.options.compareModels;
  if (models && positional.size() == 2) {
    throw UsageError("db:check --models with MODULE SYMBOL needs the generate source too: MODULE SYMBOL "
                     "GENERATE_SYMBOL (or neither, with jsorm.toml)");
  }
  if (!models && positional.size() == 3) {
    throw UsageError("a third argument (GENERATE_SYMBOL) is read only with --models");
  }
  if (positional.size() == 3) invocation.options.positional.pop_back();
  auto opened = openMigrationSource(invocation);
  auto connection = openConnection(invocation, opened.source());
  RunObserver quiet;
  const RunOptions options = runOptions(invocation, quiet);

  DriftReport report;
  std::size_t compared = 0;
  if (models) {
    const auto modelList = modelsFor(invocation, positional);
    compared = modelList.size();
    report = driftFromModels(*connection, opened.source(), modelList);
  } else {
    std::vector<std::string> notes;
    const auto applied = appliedMigrations(*connection, opened, options, notes);
    compared = applied.size();
    report = driftFromMigrations(*connection, opened.source(), applied, true);
    report.notes = std::move(notes);
  }
  const bool match = report.drift() == 0;
  if (invocation.options.json) {
    invocation.out.result(report.toJson(connection->target()).dump(2));
    return match ? kOk : kSchemaDrift;
  }
  Output& out = invocation.out;
  for (const auto& line : report.lines()) out.result(line);
  const std::string what = "the " + plural(compared, models ? "model" : "applied migration");
  out.line(match ? fmt::format("The schema of {} matches {}{}.", connection->target(), what,
                               report.unverifiable.empty() ? "" : " (except what the unverifiable steps changed)")
                 : fmt::format("The schema of {} has drifted from {}: {}.", connection->target(), what,
                               plural(report.drift(), "difference")));
  return match ? kOk : kSchemaDrift;
}
}  // namespace

extern const Command checkCommand;
const Command checkCommand{
    "db:check", "Compare the live schema with what the migrations produce",
    "jsorm db:check [MODULE SYMBOL [GENERATE_SYMBOL]] [--models] [--json] [options]",
    "Reads the live schema through the adapter (tables, columns with type, nullability and\n"
    "default, indexes, foreign keys) and compares it with the schema the applied migrations'\n"
    "steps produce, replayed in order. Prints each difference on its own line, naming the\n"
    "object, and exits 14 when there is any (0 when they match). A rawSql step that changes\n"
    "the schema cannot be replayed: it is listed as unverifiable with the tables it names, and\n"
    "differences on those tables are shown but do not count. Defaults are compared by presence;\n"
    "a literal default's value where it reads back plainly. The tracking tables are left out.\n"
    "--models compares with the generate source's models instead: GENERATE_SYMBOL in the same\n"
    "MODULE, or [defaults] generateSource (or the only one) of jsorm.toml.\n"
    "Example: jsorm db:check --json > drift.json",
    kSourceOptions | kConnectionOptions | kJsonOption | kReadsOnly | kCheckOptions, &runCheck};

}  // namespace jsorm::cli
