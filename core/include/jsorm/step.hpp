#pragma once
/// Steps: the operations a migration performs, as data that a dialect renders to SQL.

#include <jsorm/api.hpp>
#include <jsorm/model.hpp>

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <variant>
#include <vector>

JSORM_NAMESPACE_BEGIN

class Database;  // database_handle.hpp; a data step only stores callbacks taking one

/// A foreign-key target.
struct ForeignKey {
  std::string table;
  std::string column;
};

/// A column with relations resolved: belongsTo becomes `<name>_id` of the target's key type.
struct ColumnDef {
  std::string name;
  FieldSpec field;
  std::optional<ForeignKey> references;
};

struct IndexDef {
  std::string table;
  std::string name;
  std::vector<std::string> columns;
  bool unique = false;
  bool concurrently = false;
};

/// A table with its columns and the indexes its fields ask for.
struct TableDef {
  std::string name;
  std::vector<ColumnDef> columns;
  std::vector<IndexDef> indexes;
};

namespace step {
/// Creates a model's table, its field indexes and its many-to-many pivot tables.
struct CreateTable {
  TableDef table;
  std::vector<TableDef> pivots;
  /// Built by createTable(Model) from a live model, so the migration changes when the model
  /// does: the runner then names the model and points to migrate:freeze. Not in the checksum.
  bool fromModel = false;
};
struct DropTable {
  std::string table;
};
struct RenameTable {
  std::string from;
  std::string to;
};
struct AddColumn {
  std::string table;
  ColumnDef column;
};
struct DropColumn {
  std::string table;
  std::string column;
  bool ifExists = false;
};
struct RenameColumn {
  std::string table;
  std::string from;
  std::string to;
};
struct CreateIndex {
  IndexDef index;
};
struct DropIndex {
  std::string table;
  std::string name;
};
/// SQL passed through verbatim; irreversible without `down`.
struct RawSql {
  std::string up;
  std::optional<std::string> down;
};
/// C++ run against the migration's own connection and transaction (`t.data`). Only the
/// description is in the checksum; without `down` the step cannot be undone.
struct Data {
  std::string description;
  std::function<void(Database&)> up;
  std::function<void(Database&)> down;
};
/// Changes a column's type, nullability and default (`t.alterColumn`). Its indexes,
/// uniqueness and foreign key stay as they are. Reversible when `from`, the column as it
/// was, is known; SQLite rebuilds the table to do it.
struct AlterColumn {
  std::string table;
  ColumnDef column;
  std::optional<ColumnDef> from;
};
}  // namespace step

class Steps;

/// One operation of a migration.
class JSORM_API Step {
 public:
  using Operation = std::variant<step::CreateTable, step::DropTable, step::RenameTable, step::AddColumn,
                                 step::DropColumn, step::RenameColumn, step::CreateIndex, step::DropIndex,
                                 step::RawSql, step::Data, step::AlterColumn>;
  // Append new operations at the end: an operation's index is part of every checksum.

  template <class Op>
    requires std::is_constructible_v<Operation, Op>
  Step(Op op) : op_(std::move(op)) {}

  // Out of line so schema modules, compiled without optimisation, call core's optimised
  // copies instead of expanding the nine-way variant in every migration.
  Step(const Step& other);
  Step(Step&& other) noexcept;
  Step& operator=(const Step& other);
  Step& operator=(Step&& other) noexcept;
  ~Step();

  const Operation& operation() const noexcept { return op_; }

  /// The step as jsorm code would name it, e.g. `createTable("users")`.
  std::string describe() const;
  /// The steps that undo this one, or nothing when it cannot be undone automatically.
  std::optional<Steps> reversed() const;
  /// Whether the step must run outside a transaction (CREATE INDEX CONCURRENTLY).
  bool needsNoTransaction() const noexcept;

 private:
  Operation op_;
};

/// A migration's steps: a std::vector<Step> in all but name. A class only so that building
/// one from a braced list, `Steps{t.createTable(...), ...}`, is a call into core: expanded
/// inline in every migration function, the list's copy loop and its clean-up were a
/// quarter of a 1000-migration module's compile time at -O2.
class JSORM_API Steps : public std::vector<Step> {
 public:
  using std::vector<Step>::vector;
  Steps() noexcept = default;
  Steps(std::initializer_list<Step> steps);
  Steps(std::vector<Step> steps) noexcept : std::vector<Step>(std::move(steps)) {}
  Steps(const Steps& other);
  Steps(Steps&& other) noexcept;
  Steps& operator=(const Steps& other);
  Steps& operator=(Steps&& other) noexcept;
  ~Steps();
};

/// A raw statement that cannot be rolled back automatically.
JSORM_API Step rawSql(std::string up);
/// A raw statement and the statement that undoes it.
JSORM_API Step rawSql(std::string up, std::string down);

/// The columns a field becomes (none for manyToMany). Throws SchemaError on a bad relation.
JSORM_API std::vector<ColumnDef> resolveColumns(const std::string& table, const std::string& name, const Field& field);
/// The full table of a model, with field indexes and pivot tables.
JSORM_API step::CreateTable resolveTable(const Model& model);
/// The default index name jsorm gives: `<table>_<col>[_<col>...]_index` (or `_unique`).
JSORM_API std::string defaultIndexName(const std::string& table, const std::vector<std::string>& columns, bool unique);

JSORM_NAMESPACE_END
