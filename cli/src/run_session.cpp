#include "run_session.hpp"

#include <jsorm/spelling.hpp>

#include <fmt/ranges.h>

#include <algorithm>

namespace jsorm::cli {

void ProgressPrinter::migrationFinished(const std::string& name, Direction direction, std::chrono::milliseconds took) {
  // A dry run applies nothing, so it must not say "applied".
  const std::string verb = direction == Direction::Up
                               ? out_.green(dryRun_ ? "would apply    " : "applied    ")
                               : out_.yellow(dryRun_ ? "would roll back" : "rolled back");
  out_.line(fmt::format("  {} {} {}", verb, name, out_.dim(fmt::format("({} ms)", took.count()))));
}

void ProgressPrinter::statement(const std::string& sql) {
  if (showStatements_) out_.result(sql + ";");
}

void ProgressPrinter::migrationRetrying(const std::string& name, int retry, int retries, std::chrono::milliseconds pause,
                                        const std::string& reason) {
  // A warning, not progress: it is shown even with --quiet, and on stderr beside the error
  // that follows if the last retry fails too.
  out_.warning(fmt::format("migration '{}' {}; rolled back, retry {} of {} in {:.1f} s", name, reason, retry, retries,
                           static_cast<double>(pause.count()) / 1000));
}

RunSession::RunSession(Invocation& invocation, RunObserver* observer)
    : invocation_(invocation),
      opened_(openMigrationSource(invocation)),
      connection_(openConnection(invocation, opened_.source())),
      printer_(invocation.out, invocation.options.dryRun, invocation.options.dryRun || invocation.options.verbose),
      runner_(*connection_, opened_.source(), runOptions(invocation, observer ? *observer : printer_),
              opened_.loaded.validated) {
  if (invocation.options.ddlLockTimeoutSeconds && connection_->dialect().lockWaitLimitSql(std::chrono::milliseconds(1)).empty()) {
    invocation.out.warning(fmt::format("the DDL lock timeout applies to PostgreSQL only; {} statements wait for locks as "
                                       "the database makes them",
                                       connection_->dialect().name()));
  }
}

void RunSession::announce(const std::string& what) {
  out().line(fmt::format("{}{} on {} (source {} from {})", dryRun() ? "Dry run: " : "", what, connection_->target(),
                         opened_.symbol, opened_.module));
}

void requireMigration(const OpenedSource& opened, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& migration : opened.source().migrations) names.push_back(migration.name);
  if (std::find(names.begin(), names.end(), name) != names.end()) return;
  const auto nearest = nearestNames(name, names);
  std::vector<std::string> quoted;
  for (const auto& near : nearest) quoted.push_back("'" + near + "'");
  throw UsageError(fmt::format("--to '{}': source {} has no migration of that name{}", name, opened.symbol,
                               nearest.empty() ? "; migrate:status lists them"
                                               : fmt::format("; did you mean {}?", fmt::join(quoted, " or "))));
}

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

}  // namespace jsorm::cli
