#pragma once
// What db:check and migrate:baseline share: the expected schema (replayed migrations or
// the models), the live one through the adapter, and the differences as lines and JSON.

#include "cli.hpp"

#include <jsorm/adapter.hpp>
#include <jsorm/runner.hpp>
#include <jsorm/schema_compare.hpp>
#include <jsorm/schema_replay.hpp>

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace jsorm::cli {

struct DriftReport {
  std::string against;  ///< "migrations" or "models"
  std::vector<SchemaDifference> differences;
  std::vector<UnverifiableStep> unverifiable;
  /// What the check left out and why (a partial migration, one no longer in the source).
  std::vector<std::string> notes;

  /// Differences that count: those not on a table a rawSql step changed.
  std::size_t drift() const;
  nlohmann::json toJson(const std::string& database) const;
  /// One line per difference, then the unverifiable steps and the notes.
  std::vector<std::string> lines() const;
};

/// The tracking table and its journal and lock tables: never part of the schema checked.
std::set<std::string> trackingTables(const MigrationSource& source);

/// The live schema against what `migrations` (in source order) create. `reportExtras`
/// false checks only that the live schema holds what they create.
DriftReport driftFromMigrations(Connection& connection, const MigrationSource& source,
                                const std::vector<Migration>& migrations, bool reportExtras);

/// The live schema against the schema the models describe.
DriftReport driftFromModels(Connection& connection, const MigrationSource& source, const std::vector<Model>& models);

}  // namespace jsorm::cli
