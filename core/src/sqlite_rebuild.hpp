#pragma once
// SQLite's table rebuild, the one way it has to change a column (alterColumn): the
// procedure its ALTER TABLE documentation gives ("making other kinds of table schema
// changes"), run inside the migration's transaction. The statements depend on the table as
// the database holds it, so they are worked out when the step runs, from the same
// connection, and a dry run shows them the same way.

#include <jsorm/adapter.hpp>
#include <jsorm/api.hpp>
#include <jsorm/dialect.hpp>
#include <jsorm/runner.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// What a rebuild must carry over from the table SQLite holds now.
struct LiveTable {
  std::string name;       ///< as the database spells it
  std::string createSql;  ///< its CREATE TABLE statement, from sqlite_master
  std::vector<std::string> columns;     ///< stored columns in table order (generated ones are computed)
  std::vector<std::string> dependents;  ///< CREATE INDEX and CREATE TRIGGER statements on it
  std::optional<std::int64_t> sequence;  ///< its AUTOINCREMENT high-water mark, if it has one
};

/// Reads the table from sqlite_master and its pragmas; nothing when it does not exist.
JSORM_API std::optional<LiveTable> readLiveTable(Connection& connection, const std::string& table);

/// The rebuild's statements (pure): a new table whose column `op.column.name` is
/// `op.column` (the column's other constraints -- UNIQUE, CHECK, COLLATE, REFERENCES -- and
/// every other column and table constraint kept as written), the rows copied, the old table
/// dropped, the new one renamed, its indexes and triggers created again and its AUTOINCREMENT
/// counter kept. Throws SchemaError when the column is missing, a primary key or generated.
JSORM_API std::vector<std::string> rebuildSql(const Dialect& dialect, const LiveTable& live,
                                              const step::AlterColumn& op);

/// Runs the rebuild for `op` on `connection`, inside a savepoint, and checks the foreign keys
/// of the table and of the tables referencing it afterwards (PRAGMA foreign_key_check).
/// `show` sees every statement first; on a dry run nothing is executed. Throws SqlError for a
/// failed statement or a violated foreign key (the savepoint then undone).
JSORM_API void rebuildTable(Connection& connection, const step::AlterColumn& op, bool dryRun,
                            const std::function<void(const std::string&)>& show);

/// Whether any of `steps` rebuilds a table on this connection's dialect.
JSORM_API bool rebuildsTables(const Dialect& dialect, const Steps& steps);

/// Turns SQLite's foreign-key enforcement off for a migration that rebuilds a table (the
/// procedure's step 1: the pragma only takes effect outside a transaction, and a DROP TABLE
/// with it on would delete or cascade into the rows referencing the table), and back on
/// when the migration ends, however it ends. Does nothing for other migrations, or when
/// enforcement was already off.
class ForeignKeysOffForRebuild {
 public:
  ForeignKeysOffForRebuild(Connection& connection, const Steps& steps, bool dryRun, RunObserver& observer);
  ~ForeignKeysOffForRebuild();
  ForeignKeysOffForRebuild(const ForeignKeysOffForRebuild&) = delete;
  ForeignKeysOffForRebuild& operator=(const ForeignKeysOffForRebuild&) = delete;

 private:
  Connection& connection_;
  bool dryRun_;
  RunObserver& observer_;
  bool restore_ = false;
};

}  // namespace detail
JSORM_NAMESPACE_END
