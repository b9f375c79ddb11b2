#pragma once
/// migrate:lint: rules that find the steps which lock, rewrite or destroy a live table, and
/// say the safe way to do the same thing. One engine for `jsorm migrate:lint` and for
/// `migrate:generate`'s classification. The rules are listed in docs/lint.md.

#include <jsorm/api.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/step.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// Which database a migration is checked for.
enum class DatabaseKind { Postgres, Mysql, Sqlite };

/// "postgres", "mysql" or "sqlite".
JSORM_API const char* databaseKindName(DatabaseKind kind) noexcept;
/// The kind a name or adapter plugin stands for: postgres/postgresql/pg, mysql/mariadb, sqlite.
JSORM_API std::optional<DatabaseKind> databaseKindFromName(std::string_view name) noexcept;

enum class LintLevel { Warning, Error };

JSORM_API const char* lintLevelName(LintLevel level) noexcept;

/// A rule: its stable id, level, the databases it applies to and what it guards against.
struct LintRule {
  std::string_view id;
  LintLevel level;
  std::string_view databases;  ///< e.g. "postgres", "postgres, mysql", "all"
  std::string_view summary;
};

/// Every rule, in the order docs/lint.md lists them.
JSORM_API const std::vector<LintRule>& lintRules();
/// The rule named `id`, or nullptr.
JSORM_API const LintRule* findLintRule(std::string_view id) noexcept;
/// The known rule id closest to `id` (edit distance), for "did you mean" messages.
JSORM_API std::string_view nearestLintRule(std::string_view id);

/// One hazard in one step of one migration.
struct LintFinding {
  std::string rule;
  LintLevel level = LintLevel::Warning;
  std::string migration;
  std::size_t step = 0;         ///< 1-based position of the step in the migration's `up`
  std::string stepDescription;  ///< e.g. `createIndex("users", ...)`
  std::string message;          ///< what goes wrong on this database
  std::string fix;              ///< the safe recipe
  bool allowed = false;         ///< the migration's lintAllow accepts this rule
  std::string reason;           ///< lintAllow's reason when allowed
};

/// Throws SchemaError when a migration's lintAllow names a rule that does not exist,
/// naming the migration and the nearest rule id.
JSORM_API void checkLintAllowances(const Migration& migration);

/// Checks migrations for one database, in the order they run. Tables created by a
/// migration linted earlier in the same run (or earlier in the same migration) are new:
/// nothing can be waiting on them and they hold no rows, so indexing, altering or dropping
/// them is harmless. Every other table is assumed to exist and to hold rows.
class JSORM_API Linter {
 public:
  explicit Linter(DatabaseKind database);
  ~Linter();
  Linter(Linter&&) noexcept;
  Linter& operator=(Linter&&) noexcept;

  /// Forgets the tables this run created: the next migration is linted as though every
  /// migration before it had been applied on a database whose tables hold rows.
  void startRun();
  /// Findings for one migration's up steps, allowances applied (allowed findings are kept,
  /// marked, with their reason).
  std::vector<LintFinding> lint(const std::string& migration, const Steps& steps, bool transaction,
                                const std::vector<LintAllowance>& allow = {});
  /// Lints `migration` (its up steps built here; a throwing `up` becomes a MigrationError).
  std::vector<LintFinding> lint(const Migration& migration);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Counts of findings that are not allowed.
struct LintCounts {
  std::size_t errors = 0;
  std::size_t warnings = 0;
  std::size_t allowed = 0;
};

JSORM_API LintCounts countFindings(const std::vector<LintFinding>& findings) noexcept;

JSORM_NAMESPACE_END
