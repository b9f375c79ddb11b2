#pragma once
// The plan `migrate --dry-run --json` prints: recorded from the runner's own dry run, so
// every statement is the one a real run would send, in the order it would send it.

#include "history.hpp"

#include <jsorm/runner.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace jsorm::cli {

struct PlannedStep {
  std::size_t index = 0;  ///< from 0, in the migration's up steps
  std::string description;
  std::vector<std::string> sql;
};

struct PlannedMigration {
  std::string name;
  std::vector<PlannedStep> steps;
};

/// Watches a dry run: every statement in order, and each migration's step statements.
class PlanRecorder final : public RunObserver {
 public:
  void migrationStarted(const std::string& name, Direction direction) override;
  void stepStarted(std::size_t index, const std::string& description) override;
  void stepFinished(std::size_t index) override;
  void statement(const std::string& sql) override;

  const std::vector<PlannedMigration>& migrations() const noexcept { return migrations_; }
  const std::vector<std::string>& statements() const noexcept { return statements_; }

 private:
  std::vector<PlannedMigration> migrations_;
  std::vector<std::string> statements_;
  bool inStep_ = false;
};

/// Where the plan would run; the first fields of the document.
struct PlanTarget {
  std::string database;  ///< the connection's target, password removed
  std::string migrationTable;
  std::string source;  ///< the exported symbol
  std::string module;
  bool transactionalDdl = true;  ///< false: each statement is journaled instead (MySQL/MariaDB)
};

/// The plan document, its fields in the documented order: the target, the batch it would form (null when nothing is pending),
/// each pending migration with its steps' SQL, and every statement in order.
nlohmann::ordered_json planJson(const PlanTarget& target, const RunResult& result, const PlanRecorder& recorded,
                        const std::vector<MigrationSummary>& history);

}  // namespace jsorm::cli
