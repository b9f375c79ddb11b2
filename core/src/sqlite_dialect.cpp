#include <jsorm/dialect.hpp>

#include <fmt/format.h>

#include <cmath>

JSORM_NAMESPACE_BEGIN

namespace {
class SqliteDialect final : public Dialect {
 public:
  std::string name() const override { return "sqlite"; }

  std::string literal(const Literal& value) const override {
    // SQLite has no infinity literal but reads an overflowing one as such; NaN it stores as NULL.
    if (const auto* d = std::get_if<double>(&value); d && !std::isfinite(*d)) {
      return std::isnan(*d) ? "NULL" : (*d > 0 ? "9e999" : "-9e999");
    }
    return Dialect::literal(value);
  }

  std::string placeholder(int index) const override { return fmt::format("?{}", index); }

  // Only what differs from the shared map.
  std::string columnType(const ColumnDef& column) const override {
    switch (column.field.type) {
      // Only INTEGER PRIMARY KEY aliases the rowid, so a generated bigint key is INTEGER too.
      case FieldType::BigInt: return isGeneratedKey(column.field) ? "INTEGER" : "BIGINT";
      // TEXT affinity keeps JSON and UUID text exactly as written.
      case FieldType::Json:
      case FieldType::Uuid: return "TEXT";
      case FieldType::Bytes: return "BLOB";
      default: return Dialect::columnType(column);
    }
  }

  std::string columnDefinition(const ColumnDef& column) const override {
    // AUTOINCREMENT: ids of deleted rows are never reused, as with a sequence.
    if (isGeneratedKey(column.field)) return quoteIdentifier(column.name) + " INTEGER PRIMARY KEY AUTOINCREMENT";
    return Dialect::columnDefinition(column);
  }

  // SQLite lets a non-integer primary key hold NULL unless told otherwise.
  std::string primaryKeyClause(const ColumnDef&) const override { return " NOT NULL PRIMARY KEY"; }

  std::vector<Statement> dropColumn(const step::DropColumn& op) const override {
    // SQLite refuses to drop an indexed column, so the indexes jsorm made for it go first.
    std::vector<Statement> out;
    std::optional<ColumnRef> guard;
    if (op.ifExists) guard = ColumnRef{op.table, op.column};
    for (bool unique : {false, true}) {
      out.push_back({"DROP INDEX IF EXISTS " + quoteIdentifier(defaultIndexName(op.table, {op.column}, unique)), guard});
    }
    out.push_back({fmt::format("ALTER TABLE {} DROP COLUMN {}", quoteIdentifier(op.table), quoteIdentifier(op.column)),
                   guard});
    return out;
  }

  // SQLite has no ALTER COLUMN: the table is rebuilt (sqlite_rebuild.cpp), which needs the
  // table as the database holds it, so the runner expands this statement when it runs.
  std::vector<Statement> alterColumn(const step::AlterColumn& op) const override {
    if (!columnChange(op).any()) return {};
    Statement rebuild{fmt::format("-- rebuild table {} with column {} as {}", quoteIdentifier(op.table),
                                  quoteIdentifier(op.column.name), columnDefinition(op.column))};
    rebuild.rebuild = op;
    return {rebuild};
  }

  std::vector<Statement> createIndex(const step::CreateIndex& op) const override {
    IndexDef index = op.index;
    index.concurrently = false;  // SQLite has no concurrent index builds
    return {{createIndexSql(index)}};
  }

  std::vector<Statement> dropAllTables(const std::vector<std::string>& tables) const override {
    // Foreign keys would make the drop order matter; the pragma only works outside a
    // transaction, which is where db:fresh drops.
    std::vector<Statement> out{{"PRAGMA foreign_keys = OFF"}};
    for (const auto& table : tables) out.push_back({"DROP TABLE IF EXISTS " + quoteIdentifier(table)});
    out.push_back({"PRAGMA foreign_keys = ON"});
    return out;
  }

};
}  // namespace

const Dialect& sqliteDialect() {
  static const SqliteDialect dialect;
  return dialect;
}

JSORM_NAMESPACE_END
