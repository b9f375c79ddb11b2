// What each schema event means on each database, and the safe recipe for it. The wording
// is ours; the facts are those of PostgreSQL's, MySQL's and SQLite's ALTER TABLE docs.

#include "lint_engine.hpp"
#include "sql_tokens.hpp"

#include <fmt/format.h>

#include <utility>

JSORM_NAMESPACE_BEGIN
namespace detail {

void RuleEngine::beginMigration(const std::string& name, bool transaction) {
  migration_ = name;
  transaction_ = transaction;
  step_ = 0;
  sawDdl_ = sawData_ = false;
}

void RuleEngine::beginStep(std::size_t number, std::string description) {
  step_ = number;
  // A rawSql's description quotes its SQL: one line, so a finding stays one line.
  for (char& c : description) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  stepDescription_ = std::move(description);
}

std::vector<LintFinding> RuleEngine::takeFindings() { return std::exchange(findings_, {}); }

void RuleEngine::forgetRun() {
  newTables_.clear();
  newIndexes_.clear();
}

void RuleEngine::report(std::string_view rule, std::string message, std::string fix) {
  const LintRule* known = findLintRule(rule);
  findings_.push_back({std::string(rule), known ? known->level : LintLevel::Error, migration_, step_, stepDescription_,
                       std::move(message), std::move(fix)});
}

void RuleEngine::createTable(const std::string& table) {
  newTables_.insert(table);
  ddl();
}

void RuleEngine::dropTable(const std::string& table) {
  ddl();
  if (isNew(table)) {
    newTables_.erase(table);
    return;
  }
  report("drop-table", fmt::format("dropping table {} loses its rows, and code still running reads it", table),
         "stop reading and writing the table in a release first (and back it up); drop it in a later migration "
         "with .lintAllow = {{\"drop-table\", \"why\"}}");
}

void RuleEngine::renameTable(const std::string& from, const std::string& to) {
  ddl();
  if (isNew(from)) {
    newTables_.erase(from);
    newTables_.insert(to);
    return;
  }
  report("rename-table", fmt::format("renaming table {} to {} breaks code still running that reads {}", from, to, from),
         "create the new table (or a view under the new name), move readers and writers over in a release, "
         "then drop the old name in a later migration");
}

void RuleEngine::addColumn(const std::string& table, const AddedColumn& column) {
  ddl();
  const bool existing = !isNew(table);
  const bool requiredWithoutDefault = column.notNull && (!column.hasDefault || column.defaultIsNull);
  if (requiredWithoutDefault && (sqlite() || (postgres() && existing))) {
    report("add-required-column-without-default",
           sqlite() ? fmt::format("SQLite refuses to add the NOT NULL column {}.{} without a default, even to an empty table",
                                  table, column.name)
                    : fmt::format("adding the NOT NULL column {}.{} without a default fails as soon as {} has a row",
                                  table, column.name, table),
           "add the column as .optional() (or with .defaultTo(value)), backfill it, then make it required in a later "
           "migration");
  }
  if (mysql() && existing && requiredWithoutDefault) {
    report("mysql-required-column-implicit-default",
           fmt::format("MySQL fills the NOT NULL column {}.{} with its type's implicit default (0, '' or a zero date) in "
                       "every existing row, silently",
                       table, column.name),
           "give the column an explicit .defaultTo(value), or add it .optional(), backfill, then make it required");
  }
  if (postgres() && existing && column.hasDefault && callsVolatileFunction(column.defaultSql)) {
    report("add-column-volatile-default",
           fmt::format("the default {} of {}.{} is volatile: PostgreSQL computes it for every existing row, rewriting "
                       "{} under an ACCESS EXCLUSIVE lock",
                       column.defaultSql, table, column.name, table),
           "add the column without a default (or with a constant one), set the volatile default in a second ALTER, "
           "and backfill existing rows in batches");
  }
  if (sqlite()) {
    std::string why;
    if (column.hasDefault && !column.defaultSql.empty() && !sqliteConstantDefault(column.defaultSql)) {
      why = fmt::format("a non-constant default ({})", column.defaultSql);
    } else if (column.unique) {
      why = "an inline UNIQUE or PRIMARY KEY";
    } else if (column.referencesTable && column.hasDefault && !column.defaultIsNull) {
      why = "REFERENCES with a non-NULL default";
    }
    if (!why.empty()) {
      report("sqlite-add-column-restricted",
             fmt::format("SQLite's ALTER TABLE ADD COLUMN refuses {}.{} with {}", table, column.name, why),
             "add the column with a constant (or no) default and without the constraint, then fill it with an "
             "UPDATE and create a unique index separately; or rebuild the table (create, copy, drop, rename)");
    }
  }
  if (column.unique && postgres() && existing) {
    report("add-unique-constraint",
           fmt::format("the inline UNIQUE of {}.{} builds its index while {} is locked against reads and writes", table,
                       column.name, table),
           "add the column without UNIQUE, build the unique index with .concurrently = true in a "
           ".transaction = false migration, then (if a constraint is needed) ADD CONSTRAINT … UNIQUE USING INDEX");
  }
  if (column.referencesTable && existing) {
    addConstraint(table, {ConstraintKind::ForeignKey, column.name, false, false, std::nullopt, column.referencesTable});
  }
}

void RuleEngine::dropColumn(const std::string& table, const std::string& column) {
  ddl();
  if (isNew(table)) return;
  report("drop-column", fmt::format("dropping column {}.{} loses its data, and code still running reads it", table, column),
         "stop reading and writing the column in a release first; drop it in a later migration with "
         ".lintAllow = {{\"drop-column\", \"why\"}}");
}

void RuleEngine::renameColumn(const std::string& table, const std::string& from, const std::string& to) {
  ddl();
  if (isNew(table)) return;
  report("rename-column",
         fmt::format("renaming column {}.{} to {} breaks code still running that reads {}", table, from, to, from),
         "add the new column, write both and backfill, move readers over in a release, then drop the old column "
         "in a later migration");
}

void RuleEngine::changeColumnType(const std::string& table, const std::string& column) {
  ddl();
  if (isNew(table) || sqlite()) return;
  report("change-column-type",
         postgres() ? fmt::format("changing the type of {}.{} rewrites {} and its indexes under an ACCESS EXCLUSIVE lock "
                                  "(only a few changes, such as widening a varchar, avoid it)",
                                  table, column, table)
                    : fmt::format("changing the type of {}.{} copies {} (ALGORITHM=COPY), blocking its writes", table,
                                  column, table),
         "add a column of the new type, write both and backfill in batches, move readers over, then drop the old "
         "column in a later migration");
}

void RuleEngine::setNotNull(const std::string& table, const std::string& column) {
  ddl();
  if (!postgres() || isNew(table) || validatedNotNull_.count(table + "." + column)) return;
  report("set-not-null-without-check",
         fmt::format("SET NOT NULL on {}.{} scans all of {} under an ACCESS EXCLUSIVE lock", table, column, table),
         "first ADD CONSTRAINT … CHECK (column IS NOT NULL) NOT VALID, then VALIDATE CONSTRAINT (in a later "
         "migration); PostgreSQL 12+ then sets NOT NULL without scanning");
}

void RuleEngine::createIndex(const std::string& table, const std::string& name, bool unique, bool concurrently,
                             bool mustRunAlone) {
  ddl();
  newIndexes_.insert(name);
  if (!postgres()) return;
  if (concurrently && (transaction_ || mustRunAlone)) {
    report("concurrent-index-in-transaction",
           transaction_ ? fmt::format("index {} is built CONCURRENTLY in a migration with .transaction = true: PostgreSQL "
                                      "refuses CONCURRENTLY in a transaction (for a typed step jsorm runs the whole "
                                      "migration outside one instead, so its other steps are no longer atomic)",
                                      name)
                        : fmt::format("CREATE INDEX CONCURRENTLY {} shares its rawSql with other statements, which "
                                      "PostgreSQL runs as one implicit transaction block, where CONCURRENTLY fails",
                                      name),
           "put the concurrent index alone in its own migration with .transaction = false");
  }
  if (!concurrently && !isNew(table)) {
    report("create-index-non-concurrently",
           fmt::format("building {}index {} on {} blocks every write to {} until it finishes", unique ? "unique " : "",
                       name, table, table),
           "build it with {.concurrently = true} in a migration of its own with .transaction = false "
           "(rawSql: CREATE INDEX CONCURRENTLY)");
  }
}

void RuleEngine::dropIndex(const std::optional<std::string>& table, const std::string& name, bool concurrently,
                           bool mustRunAlone) {
  ddl();
  if (!postgres()) return;
  if (concurrently && (transaction_ || mustRunAlone)) {
    report("concurrent-index-in-transaction",
           fmt::format("DROP INDEX CONCURRENTLY {} runs inside a transaction block, where PostgreSQL refuses it", name),
           "put the statement alone in a rawSql of its own migration with .transaction = false");
  }
  if (concurrently || newIndexes_.count(name) || (table && isNew(*table))) return;
  report("drop-index-non-concurrently",
         fmt::format("dropping index {} takes an ACCESS EXCLUSIVE lock on {}, queued behind every running query",
                     name, table ? *table : std::string("its table")),
         "drop it with rawSql(\"DROP INDEX CONCURRENTLY …\") alone in a migration with .transaction = false");
}

void RuleEngine::addConstraint(const std::string& table, const AddedConstraint& c) {
  ddl();
  if (c.kind == ConstraintKind::Check && c.notNullColumn) {
    notNullChecks_[c.name] = table + "." + *c.notNullColumn;
    if (!c.notValid) validatedNotNull_.insert(table + "." + *c.notNullColumn);
  }
  if (isNew(table)) return;
  if (mysql() && c.kind == ConstraintKind::ForeignKey) {
    report("mysql-foreign-key-copies-table",
           fmt::format("adding a foreign key to {} (column or constraint {}) copies the table while foreign_key_checks "
                       "is on, blocking its writes",
                       table, c.name),
           "create the foreign key when the table is created; on a big live table use an online schema-change tool, "
           "or add it with foreign_key_checks = 0 (ALGORITHM=INPLACE) once the data is known to be valid");
  }
  if (!postgres()) return;
  if (c.kind == ConstraintKind::ForeignKey && !c.notValid) {
    report("add-foreign-key-validating",
           fmt::format("the foreign key {} on {} is validated at once: {} is scanned while it and {} are locked "
                       "against writes",
                       c.name, table, table, c.referencesTable.value_or("the referenced table")),
           "add the column without the reference, then rawSql(\"ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY … NOT "
           "VALID\"), and VALIDATE CONSTRAINT in a later migration");
  } else if (c.kind == ConstraintKind::Check && !c.notValid) {
    report("add-check-validating",
           fmt::format("the CHECK constraint {} on {} is validated at once, scanning {} under an ACCESS EXCLUSIVE lock",
                       c.name, table, table),
           "add it with NOT VALID, then VALIDATE CONSTRAINT in a later migration (which allows writes meanwhile)");
  } else if ((c.kind == ConstraintKind::Unique || c.kind == ConstraintKind::PrimaryKey) && !c.usingIndex) {
    report("add-unique-constraint",
           fmt::format("the constraint {} on {} builds its index while {} is locked against reads and writes", c.name,
                       table, table),
           "build a unique index with CREATE UNIQUE INDEX CONCURRENTLY (its own .transaction = false migration), then "
           "ADD CONSTRAINT … UNIQUE USING INDEX (or PRIMARY KEY USING INDEX)");
  }
}

void RuleEngine::validateConstraint(const std::string&, const std::string& name) {
  ddl();
  const auto found = notNullChecks_.find(name);
  if (found != notNullChecks_.end()) validatedNotNull_.insert(found->second);
}

void RuleEngine::alterSqliteCannotDo(const std::string& table, const std::string& what) {
  ddl();
  report("sqlite-alter-unsupported",
         fmt::format("SQLite has no ALTER TABLE … {}: the statement on {} fails", what, table),
         "rebuild the table: create the new table, copy the rows, drop the old one and rename the new one, in "
         "one transactional migration");
}

void RuleEngine::dataChange() {
  sawData_ = true;
  if (mysql() && transaction_ && sawDdl_) {
    report("mysql-ddl-not-transactional",
           "this migration changes data after DDL: MySQL commits implicitly at every DDL statement, so a failure "
           "cannot roll the data change back together with the schema change",
           "move the data change into a migration of its own (data before or after the DDL), written so it can run "
           "twice");
  }
}

void RuleEngine::ddl() {
  if (mysql() && transaction_ && sawData_ && !sawDdl_) {
    report("mysql-ddl-not-transactional",
           "this DDL follows a data change in the same migration: MySQL commits the data change implicitly here, so a "
           "failure of the DDL cannot roll it back",
           "move the data change into a migration of its own, written so it can run twice");
  }
  sawDdl_ = true;
}

void RuleEngine::notAnalysed(const std::string& statement, const std::string& why) {
  std::string shown = statement.size() > 60 ? statement.substr(0, 57) + "..." : statement;
  for (char& c : shown) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  report("raw-sql-not-analysed", fmt::format("{}: \"{}\"", why, shown),
         "check this statement by hand for locks and rewrites; .lintAllow = {{\"raw-sql-not-analysed\", \"why\"}} "
         "records that it was");
}

namespace {
bool isVolatileFunction(const std::string& upper) {
  static const std::set<std::string> names{"RANDOM", "GEN_RANDOM_UUID", "UUID_GENERATE_V1", "UUID_GENERATE_V1MC",
                                           "UUID_GENERATE_V4", "UUIDV7", "UUID_GENERATE_V7", "CLOCK_TIMESTAMP",
                                           "TIMEOFDAY", "NEXTVAL", "SETSEED", "TXID_CURRENT"};
  return names.count(upper) > 0;
}
}  // namespace

bool callsVolatileFunction(const std::string& sql) {
  for (const auto& statement : splitSqlStatements(sql)) {
    const auto& tokens = statement.tokens;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
      if (tokens[i].kind == SqlTokenKind::Word && tokens[i + 1].isSymbol('(') && isVolatileFunction(tokens[i].upper)) {
        return true;
      }
    }
  }
  return false;
}

bool sqliteConstantDefault(const std::string& sql) {
  const auto statements = splitSqlStatements(sql);
  if (statements.size() != 1) return false;
  const auto& tokens = statements.front().tokens;
  std::size_t i = 0;
  if (i < tokens.size() && (tokens[i].isSymbol('-') || tokens[i].isSymbol('+'))) ++i;
  if (i + 1 != tokens.size()) return false;
  const SqlToken& t = tokens[i];
  return t.kind == SqlTokenKind::Number || t.kind == SqlTokenKind::String || t.is("NULL") || t.is("TRUE") ||
         t.is("FALSE");
}

}  // namespace detail
JSORM_NAMESPACE_END
