#include <jsorm/dialect.hpp>

#include <fmt/format.h>

#include <cmath>

JSORM_NAMESPACE_BEGIN

namespace {
bool generatedKey(const FieldSpec& f) {
  return f.primary && (f.type == FieldType::Number || f.type == FieldType::BigInt);
}

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

  std::string columnType(const ColumnDef& column) const override {
    const FieldSpec& f = column.field;
    switch (f.type) {
      // Only INTEGER PRIMARY KEY aliases the rowid, so a generated bigint key is INTEGER too.
      case FieldType::Number: return "INTEGER";
      case FieldType::BigInt: return generatedKey(f) ? "INTEGER" : "BIGINT";
      case FieldType::Real: return "REAL";
      case FieldType::Decimal: return fmt::format("NUMERIC({}, {})", f.precision, f.scale);
      case FieldType::String: return fmt::format("VARCHAR({})", f.length > 0 ? f.length : 255);
      case FieldType::Text: return "TEXT";
      case FieldType::Boolean: return "BOOLEAN";
      case FieldType::Date: return "DATE";
      case FieldType::Timestamp: return "TIMESTAMP";
      // TEXT affinity keeps JSON and UUID text exactly as written.
      case FieldType::Json: return "TEXT";
      case FieldType::Uuid: return "TEXT";
      case FieldType::Bytes: return "BLOB";
      case FieldType::BelongsTo:
      case FieldType::ManyToMany: break;
    }
    return "INTEGER";
  }

  std::string columnDefinition(const ColumnDef& column) const override {
    // AUTOINCREMENT: ids of deleted rows are never reused, as with a sequence.
    if (generatedKey(column.field)) return quoteIdentifier(column.name) + " INTEGER PRIMARY KEY AUTOINCREMENT";
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

  std::string createTrackingTable(const std::string& table) const override {
    return fmt::format(
        "CREATE TABLE IF NOT EXISTS {} (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" TEXT NOT NULL UNIQUE, "
        "\"batch\" INTEGER NOT NULL, \"applied_at\" TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
        "\"checksum\" TEXT, \"execution_ms\" INTEGER)",
        quoteIdentifier(table));
  }
};
}  // namespace

const Dialect& sqliteDialect() {
  static const SqliteDialect dialect;
  return dialect;
}

JSORM_NAMESPACE_END
