#pragma once
/// migrate:freeze: a migration that builds tables from live models, written out as
/// self-contained C++ with the tables as they were when it was applied.

#include <jsorm/api.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/snapshot.hpp>

#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// Where an old definition of the tables may be found, e.g. {"the snapshot .migrations/schema.json", ...}.
struct FreezeCandidate {
  std::string origin;
  SchemaSnapshot schema;
};

struct FrozenMigration {
  /// `const Migration name = defineMigration({...});` with literal fields.
  std::string code;
  /// The checksum of the frozen steps, as validation will compute it.
  std::string checksum;
  /// Whether `checksum` equals the one the tracking table recorded.
  bool matches = false;
  /// The tables the migration builds from live models.
  std::vector<std::string> liveTables;
  /// Of those, the tables whose frozen definition differs from the live model now.
  std::vector<std::string> changedTables;
  /// Where each changed table's definition came from (FreezeCandidate::origin), in order.
  std::vector<std::string> origins;
  /// Steps the C++ cannot say (data steps: their code is not data), one line each.
  std::vector<std::string> notes;
};

/// Freezes `migration`: each createTable(Model) step gets its table from the first
/// candidate (or the live model) whose choice makes the steps' checksum `appliedChecksum`.
/// `later` are the migrations applied after it, in order: each candidate is also tried with
/// their downs replayed on it, newest first (a table they altered, as it was before). When
/// no choice matches, the result holds the first candidate's tables and `matches` is false.
/// Throws MigrationError when the migration cannot be built.
JSORM_API FrozenMigration freezeMigration(const Migration& migration, const std::vector<FreezeCandidate>& candidates,
                                         const std::string& appliedChecksum, const std::vector<Migration>& later = {});

JSORM_NAMESPACE_END
