#pragma once
/// Replay: the schema a list of migrations produces, worked out from their up steps alone.

#include <jsorm/api.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/snapshot.hpp>

#include <cstddef>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// A step the replay cannot follow: a rawSql statement that changes the schema, or a typed
/// step on a table the replay does not know (because raw SQL made it).
struct UnverifiableStep {
  std::string migration;
  std::size_t step = 0;  ///< counted from 1, as the CLI prints steps
  /// The tables it changes, where the statement names them; empty when it does not say.
  std::vector<std::string> tables;
  std::string reason;

  /// One line: "migration 'x' step 2 (rawSql): changes table users" or
  /// "unverifiable: migration 'x' step 2 (rawSql)" when the tables are unknown.
  JSORM_API std::string describe() const;
};

struct ReplayedSchema {
  SchemaSnapshot schema;  ///< tables sorted by name, indexes sorted by name
  std::vector<UnverifiableStep> unverifiable;
};

/// The schema that applying `migrations`' up steps in order to an empty database produces:
/// createTable with its pivots, drop and rename table, add, drop and rename column, create
/// and drop index. Renames follow into indexes and foreign keys, as databases do. rawSql
/// steps that change the schema are recorded as unverifiable (data statements are not).
/// Throws MigrationError when a migration's up cannot be built.
JSORM_API ReplayedSchema replayMigrations(const std::vector<Migration>& migrations);

/// The tables a raw SQL text's statements change (CREATE / ALTER / DROP TABLE, CREATE / DROP
/// INDEX ... ON, RENAME TO). `known` is looked up for a DROP INDEX, which names no table.
/// `complete` is false when a schema statement names no table jsorm can read.
struct RawSqlTables {
  std::vector<std::string> tables;
  bool changesSchema = false;
  bool complete = true;
};
JSORM_API RawSqlTables tablesChangedBy(const std::string& sql, const SchemaSnapshot& known);

JSORM_NAMESPACE_END
