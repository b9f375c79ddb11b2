#pragma once
/// Dialects: pure rendering of steps and tracking-table statements to SQL text.

#include <jsorm/api.hpp>
#include <jsorm/step.hpp>
#include <jsorm/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// A column that must exist for a statement to run (SQLite has no DROP COLUMN IF EXISTS).
struct ColumnRef {
  std::string table;
  std::string column;
};

/// One SQL statement produced by a dialect.
struct Statement {
  std::string sql;
  std::optional<ColumnRef> onlyIfColumnExists;
  /// Set when the statement stands for a table rebuild that only the live table can spell
  /// (SQLite's alterColumn): the runner reads the table when the step runs and runs the
  /// rebuild's statements instead of `sql`, which only describes it.
  std::optional<step::AlterColumn> rebuild;
};

/// Turns steps into SQL for one database. Rendering is pure: no connection involved.
class JSORM_API Dialect {
 public:
  virtual ~Dialect();

  /// "sqlite", "postgres", ...
  virtual std::string name() const = 0;

  virtual std::string quoteIdentifier(std::string_view identifier) const;
  virtual std::string quoteString(std::string_view text) const;
  virtual std::string literal(const Literal& value) const;
  /// The placeholder for the n-th bound parameter, counted from 1.
  virtual std::string placeholder(int index) const = 0;

  /// The column type: the SQL types both built-in dialects share, which a dialect
  /// overrides only where it differs (SQLite's TEXT for json and uuid, PostgreSQL's JSONB).
  virtual std::string columnType(const ColumnDef& column) const;
  virtual std::string columnDefinition(const ColumnDef& column) const;
  /// What follows the type of a primary-key column (" PRIMARY KEY" by default).
  virtual std::string primaryKeyClause(const ColumnDef& column) const;

  /// The statements one step runs, in order.
  std::vector<Statement> render(const Step& step) const;

  virtual std::vector<Statement> createTable(const step::CreateTable& op) const;
  virtual std::vector<Statement> dropTable(const step::DropTable& op) const;
  virtual std::vector<Statement> renameTable(const step::RenameTable& op) const;
  virtual std::vector<Statement> addColumn(const step::AddColumn& op) const;
  virtual std::vector<Statement> dropColumn(const step::DropColumn& op) const = 0;
  virtual std::vector<Statement> renameColumn(const step::RenameColumn& op) const;
  /// ALTER COLUMN ... TYPE / SET or DROP NOT NULL / SET or DROP DEFAULT, each only when it
  /// differs from `op.from` (all three when that is unknown).
  virtual std::vector<Statement> alterColumn(const step::AlterColumn& op) const;
  virtual std::vector<Statement> createIndex(const step::CreateIndex& op) const;
  virtual std::vector<Statement> dropIndex(const step::DropIndex& op) const;
  virtual std::vector<Statement> rawSql(const step::RawSql& op) const;

  /// Drops every listed table whatever references it (db:fresh).
  virtual std::vector<Statement> dropAllTables(const std::vector<std::string>& tables) const = 0;

  /// CREATE TABLE IF NOT EXISTS for the tracking table with jsorm's columns
  /// (id, name, batch, applied_at) plus checksum and execution_ms, each rendered by
  /// columnDefinition from the table's one definition.
  virtual std::string createTrackingTable(const std::string& table) const;

  /// `expression` read as text in the database's own spelling (CAST(... AS TEXT)).
  virtual std::string castToText(std::string_view expression) const;

  /// Whether DDL takes part in transactions. Where it does not (MySQL, MariaDB), the
  /// runner journals every statement of a migration as it succeeds, so a migration stopped
  /// halfway is `partial` and resumes instead of being re-run or left "dirty".
  virtual bool transactionalDdl() const { return true; }
  /// Statements as one unit the server runs to its end even when the client dies
  /// halfway (MariaDB's `BEGIN NOT ATOMIC ... END`): the runner wraps a statement between
  /// its journal writes in one. Empty when the dialect has no such unit; the runner then
  /// sends them one after the other.
  virtual std::string serverSideBlock(const std::vector<std::string>& statements) const;
  /// An ORDER BY term with NULLs last when ascending and first when descending, as
  /// PostgreSQL sorts them ("col ASC NULLS LAST").
  virtual std::string orderTerm(std::string_view quotedColumn, bool descending) const;
  /// What an INSERT of only default values says after the table name.
  virtual std::string defaultValuesClause() const { return " DEFAULT VALUES"; }
  /// An INSERT that skips rows a unique key already holds, without failing: `into` is
  /// `table (columns) VALUES (...)`. `INSERT INTO ... ON CONFLICT DO NOTHING` by default;
  /// MySQL's `INSERT IGNORE INTO`. Counted as changedRowsQuery or RETURNING 1 says.
  virtual std::string insertSkippingDuplicates(std::string_view into) const {
    return "INSERT INTO " + std::string(into) + " ON CONFLICT DO NOTHING";
  }
  /// A query returning how many rows the previous UPDATE or DELETE matched, for a
  /// database without UPDATE ... RETURNING; empty where RETURNING 1 counts them.
  virtual std::string changedRowsQuery() const { return {}; }
  /// The statement that bounds, for the rest of the current transaction, how long each
  /// statement waits for a table lock (PostgreSQL's `SET LOCAL lock_timeout`); empty where
  /// the database has no such setting, and the runner then waits as the database does.
  virtual std::string lockWaitLimitSql(std::chrono::milliseconds limit) const;
  /// Whether `sqlState` is the error a statement gets when that bound ran out.
  virtual bool isLockWaitTimeout(std::string_view sqlState) const;
  /// A query for the sessions holding locks on `tables` now, each row (table, lock mode,
  /// session id, session state, application): what a migration that gave up waited for.
  /// Empty when the database cannot tell.
  virtual std::string lockHoldersQuery(const std::vector<std::string>& tables) const;

 protected:
  /// What an alterColumn changes, as this dialect spells the column: all of it when the
  /// old column is unknown.
  struct ColumnChange {
    bool type = false;
    bool nullability = false;
    bool defaultValue = false;
    bool any() const noexcept { return type || nullability || defaultValue; }
  };
  ColumnChange columnChange(const step::AlterColumn& op) const;
  /// What follows `TYPE <type>` in ALTER COLUMN: how old values become the new type
  /// (PostgreSQL's `USING "col"::type`); nothing by default.
  virtual std::string typeConversion(const ColumnDef& column) const;
  /// ` DEFAULT ...` of a column as columnDefinition writes it, or empty.
  std::string defaultClause(const FieldSpec& field) const;

  std::string tableBody(const TableDef& table) const;
  std::string createIndexSql(const IndexDef& index) const;
};

/// The SQLite dialect (3.35+ for DROP COLUMN).
JSORM_API const Dialect& sqliteDialect();
/// The PostgreSQL dialect (identity columns, jsonb, bytea).
JSORM_API const Dialect& postgresDialect();
/// The MySQL / MariaDB dialect (backticks, AUTO_INCREMENT, utf8mb4, DATETIME(6));
/// statements need MariaDB 10.5+ or MySQL 8 (RETURNING and the journal's compound
/// statements need MariaDB).
JSORM_API const Dialect& mysqlDialect();

JSORM_NAMESPACE_END
