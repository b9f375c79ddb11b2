#pragma once
// The lint engine's inside: typed steps (lint.cpp) and rawSql statements (lint_raw_sql.cpp)
// are both reduced to the same schema events, and each event is checked against the rules
// here (lint_events.cpp). So a CREATE INDEX written as rawSql and one written as
// t.createIndex meet the same rule with the same message.

#include <jsorm/lint.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// A column being added, as far as the rules care.
struct AddedColumn {
  std::string name;
  bool notNull = false;
  bool hasDefault = false;
  bool defaultIsNull = false;    ///< DEFAULT NULL
  std::string defaultSql;         ///< the default as SQL when it is an expression, else empty
  bool unique = false;            ///< inline UNIQUE / PRIMARY KEY (rawSql only: typed uniques are indexes)
  std::optional<std::string> referencesTable;
};

enum class ConstraintKind { ForeignKey, Check, Unique, PrimaryKey, Other };

struct AddedConstraint {
  ConstraintKind kind = ConstraintKind::Other;
  std::string name;
  bool notValid = false;
  bool usingIndex = false;             ///< UNIQUE/PRIMARY KEY USING INDEX: no build
  std::optional<std::string> notNullColumn;  ///< CHECK (col IS NOT NULL)
  std::optional<std::string> referencesTable;
};

/// State kept across the migrations of one run and the checks on each event.
class RuleEngine {
 public:
  explicit RuleEngine(DatabaseKind database) : database_(database) {}

  DatabaseKind database() const noexcept { return database_; }

  // The step being looked at; findings are reported against it.
  void beginMigration(const std::string& name, bool transaction);
  void beginStep(std::size_t number, std::string description);
  std::vector<LintFinding> takeFindings();
  void forgetRun();

  // Schema events.
  void createTable(const std::string& table);
  void dropTable(const std::string& table);
  void renameTable(const std::string& from, const std::string& to);
  void addColumn(const std::string& table, const AddedColumn& column);
  void dropColumn(const std::string& table, const std::string& column);
  void renameColumn(const std::string& table, const std::string& from, const std::string& to);
  void changeColumnType(const std::string& table, const std::string& column);
  void setNotNull(const std::string& table, const std::string& column);
  void createIndex(const std::string& table, const std::string& name, bool unique, bool concurrently,
                   bool mustRunAlone);
  void dropIndex(const std::optional<std::string>& table, const std::string& name, bool concurrently,
                 bool mustRunAlone);
  void addConstraint(const std::string& table, const AddedConstraint& constraint);
  void validateConstraint(const std::string& table, const std::string& name);
  /// An ALTER TABLE form SQLite does not have (ALTER COLUMN, ADD/DROP CONSTRAINT, MODIFY…).
  void alterSqliteCannotDo(const std::string& table, const std::string& what);
  void dataChange();
  void ddl();
  void notAnalysed(const std::string& statement, const std::string& why);

  bool isNew(const std::string& table) const { return newTables_.count(table) > 0; }

 private:
  void report(std::string_view rule, std::string message, std::string fix);
  bool postgres() const { return database_ == DatabaseKind::Postgres; }
  bool mysql() const { return database_ == DatabaseKind::Mysql; }
  bool sqlite() const { return database_ == DatabaseKind::Sqlite; }

  DatabaseKind database_;
  std::set<std::string> newTables_;
  std::set<std::string> newIndexes_;
  // CHECK (col IS NOT NULL) constraints: name -> "table.column", and the validated ones.
  std::map<std::string, std::string> notNullChecks_;
  std::set<std::string> validatedNotNull_;

  std::string migration_;
  bool transaction_ = true;
  std::size_t step_ = 0;
  std::string stepDescription_;
  bool sawDdl_ = false;
  bool sawData_ = false;
  std::vector<LintFinding> findings_;
};

/// Feeds the statements of a rawSql step to the engine (lint_raw_sql.cpp).
void lintRawSql(RuleEngine& engine, const std::string& sql);

/// Whether a default expression calls a volatile function (random(), gen_random_uuid(),
/// clock_timestamp(), nextval()…), which PostgreSQL evaluates once per existing row.
bool callsVolatileFunction(const std::string& sql);
/// Whether SQLite accepts `sql` as the default of an added column: a literal only.
bool sqliteConstantDefault(const std::string& sql);

}  // namespace detail
JSORM_NAMESPACE_END
