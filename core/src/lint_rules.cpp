// The rule table: ids are stable (users write them in lintAllow), levels are the rule's own.

#include <jsorm/error.hpp>
#include <jsorm/lint.hpp>
#include <jsorm/spelling.hpp>

#include <fmt/format.h>


JSORM_NAMESPACE_BEGIN

const char* databaseKindName(DatabaseKind kind) noexcept {
  switch (kind) {
    case DatabaseKind::Postgres: return "postgres";
    case DatabaseKind::Mysql: return "mysql";
    case DatabaseKind::Sqlite: return "sqlite";
  }
  return "unknown";
}

std::optional<DatabaseKind> databaseKindFromName(std::string_view name) noexcept {
  if (name == "postgres" || name == "postgresql" || name == "pg") return DatabaseKind::Postgres;
  if (name == "mysql" || name == "mariadb") return DatabaseKind::Mysql;
  if (name == "sqlite" || name == "sqlite3") return DatabaseKind::Sqlite;
  return std::nullopt;
}

const char* lintLevelName(LintLevel level) noexcept { return level == LintLevel::Error ? "error" : "warning"; }

const std::vector<LintRule>& lintRules() {
  using L = LintLevel;
  static const std::vector<LintRule> rules{
      {"create-index-non-concurrently", L::Error, "postgres",
       "CREATE INDEX without CONCURRENTLY on an existing table blocks its writes for the whole build"},
      {"concurrent-index-in-transaction", L::Error, "postgres",
       "CONCURRENTLY in a transactional migration or in a multi-statement rawSql"},
      {"drop-index-non-concurrently", L::Warning, "postgres",
       "DROP INDEX without CONCURRENTLY takes an exclusive lock on the index's table"},
      {"add-required-column-without-default", L::Error, "postgres, sqlite",
       "a NOT NULL column without a default cannot be added to a table that has rows (SQLite: to any table)"},
      {"add-column-volatile-default", L::Error, "postgres",
       "a volatile default (random(), gen_random_uuid(), clock_timestamp()…) rewrites the whole table"},
      {"change-column-type", L::Error, "postgres, mysql",
       "changing a column's type rewrites (PostgreSQL) or copies (MySQL) the table under a lock"},
      {"set-not-null-without-check", L::Error, "postgres",
       "SET NOT NULL scans the whole table under an exclusive lock unless a validated CHECK proves it"},
      {"add-foreign-key-validating", L::Error, "postgres",
       "a foreign key added without NOT VALID scans the table while locking it and the referenced table"},
      {"add-check-validating", L::Error, "postgres",
       "a CHECK constraint added without NOT VALID scans the table under an exclusive lock"},
      {"add-unique-constraint", L::Error, "postgres",
       "a UNIQUE or PRIMARY KEY constraint builds its index under an exclusive lock"},
      {"mysql-required-column-implicit-default", L::Warning, "mysql",
       "a NOT NULL column without a default silently gets 0, '' or a zero date in every existing row"},
      {"mysql-foreign-key-copies-table", L::Error, "mysql",
       "adding a foreign key to an existing table copies the table (ALGORITHM=COPY) and blocks its writes"},
      {"mysql-ddl-not-transactional", L::Warning, "mysql",
       "DDL commits implicitly: data changes in the same migration cannot be rolled back with it"},
      {"sqlite-add-column-restricted", L::Error, "sqlite",
       "SQLite's ADD COLUMN refuses a non-constant default, an inline UNIQUE/PRIMARY KEY or a referencing column with a default"},
      {"sqlite-alter-unsupported", L::Error, "sqlite",
       "SQLite has no ALTER COLUMN, ADD/DROP CONSTRAINT or MODIFY: the statement fails"},
      {"drop-table", L::Error, "all", "dropping a table loses its rows and breaks code that still reads it"},
      {"drop-column", L::Error, "all", "dropping a column loses its data and breaks code that still reads it"},
      {"rename-table", L::Warning, "all", "code that is still running reads the table under its old name"},
      {"rename-column", L::Warning, "all", "code that is still running reads the column under its old name"},
      {"raw-sql-not-analysed", L::Warning, "all", "a rawSql statement the rules do not know was not checked"},
  };
  return rules;
}

const LintRule* findLintRule(std::string_view id) noexcept {
  for (const auto& rule : lintRules()) {
    if (rule.id == id) return &rule;
  }
  return nullptr;
}

std::string_view nearestLintRule(std::string_view id) {
  std::string_view best;
  std::size_t bestDistance = static_cast<std::size_t>(-1);
  for (const auto& rule : lintRules()) {
    // The closest rule even when far: the message always names one to look at.
    const std::size_t d = editDistance(id, rule.id);
    if (d < bestDistance) {
      bestDistance = d;
      best = rule.id;
    }
  }
  return best;
}

void checkLintAllowances(const Migration& migration) {
  for (const auto& allowance : migration.lintAllow) {
    if (findLintRule(allowance.rule)) continue;
    throw SchemaError(fmt::format("migration '{}' allows the lint rule '{}', which does not exist (nearest: '{}'); "
                                  "docs/lint.md lists the rules",
                                  migration.name, allowance.rule, nearestLintRule(allowance.rule)));
  }
}

LintCounts countFindings(const std::vector<LintFinding>& findings) noexcept {
  LintCounts counts;
  for (const auto& f : findings) {
    if (f.allowed) ++counts.allowed;
    else if (f.level == LintLevel::Error) ++counts.errors;
    else ++counts.warnings;
  }
  return counts;
}

JSORM_NAMESPACE_END
