#include "plan.hpp"

#include <nlohmann/json.hpp>

#include <map>

namespace jsorm::cli {

void PlanRecorder::migrationStarted(const std::string& name, Direction) {
  migrations_.push_back({name, {}});
  inStep_ = false;
}

void PlanRecorder::stepStarted(std::size_t index, const std::string& description) {
  if (migrations_.empty()) return;  // steps always run inside a migration; nothing to attach to otherwise
  migrations_.back().steps.push_back({index, description, {}});
  inStep_ = true;
}

void PlanRecorder::stepFinished(std::size_t) { inStep_ = false; }

void PlanRecorder::statement(const std::string& sql) {
  statements_.push_back(sql);
  if (inStep_) migrations_.back().steps.back().sql.push_back(sql);
}

nlohmann::ordered_json planJson(const PlanTarget& target, const RunResult& result, const PlanRecorder& recorded,
                        const std::vector<MigrationSummary>& history) {
  std::map<std::string, const MigrationSummary*> byName;
  for (const auto& summary : history) byName[summary.name] = &summary;

  nlohmann::ordered_json migrations = nlohmann::ordered_json::array();
  for (const auto& migration : recorded.migrations()) {
    const auto found = byName.find(migration.name);
    const MigrationSummary* summary = found == byName.end() ? nullptr : found->second;
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (const auto& step : migration.steps) {
      steps.push_back({{"index", step.index + 1}, {"description", step.description}, {"sql", step.sql}});
    }
    migrations.push_back({{"name", migration.name},
                          {"checksum", summary ? nlohmann::ordered_json(summary->checksum) : nlohmann::ordered_json()},
                          // What this database does: without transactional DDL no migration runs in one
                          // transaction; each statement is journaled instead.
                          {"transactional", target.transactionalDdl && summary && summary->transactional},
                          {"steps", std::move(steps)}});
  }
  return {{"database", target.database},
          {"migrationTable", target.migrationTable},
          {"source", target.source},
          {"module", target.module},
          {"batch", result.migrations.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(result.batch)},
          {"migrations", std::move(migrations)},
          {"statements", recorded.statements()}};
}

}  // namespace jsorm::cli
