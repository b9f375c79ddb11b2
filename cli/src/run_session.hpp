#pragma once
// What every command that changes the database shares: the loaded source, its connection,
// and a runner that prints a line per migration as it finishes.

#include "cli.hpp"
#include "source_loader.hpp"

#include <jsorm/runner.hpp>

#include <memory>
#include <string>

namespace jsorm::cli {

class ProgressPrinter final : public RunObserver {
 public:
  ProgressPrinter(Output& out, bool dryRun, bool showStatements)
      : out_(out), dryRun_(dryRun), showStatements_(showStatements) {}
  void migrationFinished(const std::string& name, Direction direction, std::chrono::milliseconds took) override;
  void statement(const std::string& sql) override;
  void migrationRetrying(const std::string& name, int retry, int retries, std::chrono::milliseconds pause,
                         const std::string& reason) override;

 private:
  Output& out_;
  bool dryRun_;
  bool showStatements_;
};

/// --to NAME must name one of the source's migrations: a usage error listing the nearest
/// names otherwise, before anything runs.
void requireMigration(const OpenedSource& opened, const std::string& name);

class RunSession {
 public:
  /// `observer`, when given, replaces the progress printer (migrate --dry-run --json records a plan).
  explicit RunSession(Invocation& invocation, RunObserver* observer = nullptr);

  Runner& runner() noexcept { return runner_; }
  Connection& connection() noexcept { return *connection_; }
  bool dryRun() const noexcept { return invocation_.options.dryRun; }
  Output& out() noexcept { return invocation_.out; }
  const OpenedSource& opened() const noexcept { return opened_; }
  /// "[Dry run: ]<what> on <database> (source S from M)"
  void announce(const std::string& what);
  void requireMigration(const std::string& name) const { jsorm::cli::requireMigration(opened_, name); }

 private:
  Invocation& invocation_;
  OpenedSource opened_;
  std::shared_ptr<Connection> connection_;
  ProgressPrinter printer_;
  Runner runner_;
};

/// "1 migration", "3 migrations".
std::string plural(std::size_t n, const char* word);

}  // namespace jsorm::cli
