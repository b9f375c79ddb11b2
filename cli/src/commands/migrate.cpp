// migrate, migrate:up and migrate:down.

#include "../cli.hpp"
#include "../source_loader.hpp"

#include <jsorm/runner.hpp>

#include <chrono>

namespace jsorm::cli {

namespace {
using Clock = std::chrono::steady_clock;

// Prints a line per migration as it finishes, so a long run shows its progress.
class ProgressPrinter final : public RunObserver {
 public:
  ProgressPrinter(Output& out, bool showStatements) : out_(out), showStatements_(showStatements) {}

  void migrationFinished(const std::string& name, Direction direction, std::chrono::milliseconds took) override {
    const std::string verb = direction == Direction::Up ? out_.green("applied    ") : out_.yellow("rolled back");
    out_.line(fmt::format("  {} {} {}", verb, name, out_.dim(fmt::format("({} ms)", took.count()))));
  }
  void statement(const std::string& sql) override {
    if (showStatements_) out_.result(sql + ";");
  }

 private:
  Output& out_;
  bool showStatements_;
};

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

int runForward(Invocation& invocation, bool onlyNext) {
  auto opened = openMigrationSource(invocation);
  auto connection = openConnection(invocation, opened.source());
  const bool dryRun = invocation.options.dryRun;
  ProgressPrinter printer(invocation.out, dryRun || invocation.options.verbose);
  Runner runner(*connection, opened.source(), runOptions(invocation, printer));

  invocation.out.line(fmt::format("{}{} on {} (source {} from {})", dryRun ? "Dry run: " : "",
                                  onlyNext ? "Migrating up one" : "Migrating", connection->target(), opened.symbol,
                                  opened.module));
  const auto started = Clock::now();
  const RunResult result = onlyNext ? runner.migrateUp() : runner.migrate();
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  if (result.migrations.empty()) {
    invocation.out.line("Nothing to migrate: every migration is already applied.");
  } else if (dryRun) {
    invocation.out.line(fmt::format("Dry run: {} would be applied as batch {}; nothing was changed.",
                                    plural(result.migrations.size(), "migration"), result.batch));
  } else {
    invocation.out.line(fmt::format("Batch {}: applied {} in {} ms.", result.batch,
                                    plural(result.migrations.size(), "migration"), took));
  }
  return 0;
}
}  // namespace

int runMigrate(Invocation& invocation) { return runForward(invocation, false); }

int runMigrateUp(Invocation& invocation) { return runForward(invocation, true); }

int runMigrateDown(Invocation& invocation) {
  auto opened = openMigrationSource(invocation);
  auto connection = openConnection(invocation, opened.source());
  const bool dryRun = invocation.options.dryRun;
  ProgressPrinter printer(invocation.out, dryRun || invocation.options.verbose);
  Runner runner(*connection, opened.source(), runOptions(invocation, printer));

  invocation.out.line(fmt::format("{}Rolling back the last batch on {} (source {} from {})", dryRun ? "Dry run: " : "",
                                  connection->target(), opened.symbol, opened.module));
  const RunResult result = runner.migrateDown();
  if (result.migrations.empty()) {
    invocation.out.line("Nothing to roll back: no migration is applied.");
  } else {
    invocation.out.line(fmt::format("{} {} of batch {}{}", dryRun ? "Dry run: would roll back" : "Rolled back",
                                    plural(result.migrations.size(), "migration"), result.batch,
                                    dryRun ? "; nothing was changed." : "."));
  }
  return 0;
}

}  // namespace jsorm::cli
