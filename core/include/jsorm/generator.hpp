#pragma once
/// migrate:generate: the difference between a snapshot and the models, classified, and the
/// C++ migration file that applies it.

#include <jsorm/api.hpp>
#include <jsorm/lint.hpp>
#include <jsorm/snapshot.hpp>
#include <jsorm/step.hpp>

#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// How much a change can hurt existing data or running code, as the migrate:lint rules for
/// the target database find it (manual changes keep a hand classification).
enum class Risk {
  Safe,            ///< no lint finding
  ReviewRequired,  ///< a finding that is not destructive: locks, rewrites, fails on rows, breaks readers
  Dangerous,       ///< drop-table or drop-column: loses data
};

JSORM_API const char* riskName(Risk risk) noexcept;

/// One change between snapshot and models, with the code that applies and undoes it.
struct SchemaChange {
  Risk risk = Risk::Safe;
  std::string summary;            ///< e.g. "add column users.timezone (nullable)"
  std::vector<std::string> up;    ///< C++ builder expressions, e.g. `t.addColumn(...)`
  std::vector<std::string> down;  ///< expressions that undo `up`, in order
  /// No builder operation expresses it (a column's primary key or foreign key): the file
  /// carries a TODO for hand-written SQL instead of code.
  bool manual = false;
  /// The typed steps `up` stands for (none for a manual change): what the lint rules check.
  Steps steps;
  /// What the lint rules found in `steps`; `risk` follows from them.
  std::vector<LintFinding> findings;
};

struct JSORM_API SchemaDiff {
  std::vector<SchemaChange> changes;  ///< in the order the migration applies them
  /// Things to tell the user that are not changes: pivot tables found, possible renames.
  std::vector<std::string> notes;
  /// The database the changes were classified for.
  DatabaseKind database = DatabaseKind::Postgres;
  /// False when the migration builds its indexes CONCURRENTLY (PostgreSQL refuses that in a
  /// transaction): the file then says `.transaction = false`.
  bool transaction = true;

  bool empty() const noexcept { return changes.empty(); }
  bool has(Risk risk) const noexcept;
};

/// Throws SchemaError listing everything in `after` (the models' snapshot) that the runner
/// or a database would refuse: names past the identifier rules (derived index, pivot and
/// key names included), two tables or two indexes of one name, references to tables the
/// models drop (that `before` has) or to columns that do not exist, and tables that
/// reference each other in a ring.
JSORM_API void checkGeneratedSchema(const SchemaSnapshot& before, const SchemaSnapshot& after);

/// What changed from `before` (the snapshot) to `after` (the models' snapshot), each change
/// classified by the migrate:lint rules for `database`, its tables taken as existing and
/// holding rows unless the diff creates them. On PostgreSQL, a diff made only of new indexes
/// on existing tables is written with their safe recipe: built CONCURRENTLY in a migration
/// with `.transaction = false`.
JSORM_API SchemaDiff diffSchemas(const SchemaSnapshot& before, const SchemaSnapshot& after,
                                 DatabaseKind database = DatabaseKind::Postgres);

/// A C++ source file holding one migration named `migrationName` that applies `diff`,
/// registered with JSORM_MIGRATION so the module's next build picks it up.
JSORM_API std::string migrationFileText(const SchemaDiff& diff, const std::string& migrationName,
                                        const std::string& headerComment);

/// A C++ string literal for `text`.
JSORM_API std::string cppString(const std::string& text);

JSORM_NAMESPACE_END
