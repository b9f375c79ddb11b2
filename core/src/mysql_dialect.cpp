#include <jsorm/dialect.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>

JSORM_NAMESPACE_BEGIN

namespace {
// utf8mb4 takes up to 4 bytes a character and InnoDB keys at most 3072 bytes: the longest
// prefix of a text column an index can hold.
constexpr int kIndexPrefixChars = 768;

bool isLongColumn(FieldType type) {
  return type == FieldType::Text || type == FieldType::Json || type == FieldType::Bytes;
}

class MysqlDialect final : public Dialect {
 public:
  std::string name() const override { return "mysql"; }

  std::string quoteIdentifier(std::string_view identifier) const override {
    std::string out = "`";
    for (char c : identifier) {
      out += c;
      if (c == '`') out += '`';
    }
    return out + "`";
  }

  // Backslash is an escape character in MySQL strings unless NO_BACKSLASH_ESCAPES is set;
  // escaped here, a string reads back as written under either mode.
  std::string quoteString(std::string_view text) const override {
    std::string out = "'";
    for (char c : text) {
      switch (c) {
        case '\'': out += "''"; break;
        case '\\': out += "\\\\"; break;
        case '\0': out += "\\0"; break;
        default: out += c;
      }
    }
    return out + "'";
  }

  std::string literal(const Literal& value) const override {
    // MySQL has no literal for infinity or NaN (its DOUBLE cannot hold them).
    if (const auto* d = std::get_if<double>(&value); d && !std::isfinite(*d)) return "NULL";
    return Dialect::literal(value);
  }

  std::string placeholder(int) const override { return "?"; }

  // Only what differs from the shared map.
  std::string columnType(const ColumnDef& column) const override {
    switch (column.field.type) {
      case FieldType::Real: return "DOUBLE";
      case FieldType::Decimal: return fmt::format("DECIMAL({}, {})", column.field.precision, column.field.scale);
      case FieldType::Text: return "LONGTEXT";
      // TIMESTAMP would end in 2038 and update itself on every write; DATETIME(6) keeps
      // microseconds as PostgreSQL's timestamp does.
      case FieldType::Timestamp: return "DATETIME(6)";
      case FieldType::Uuid: return "CHAR(36)";
      case FieldType::Bytes: return "LONGBLOB";
      default: return Dialect::columnType(column);
    }
  }

  std::string primaryKeyClause(const ColumnDef& column) const override {
    return isGeneratedKey(column.field) ? " NOT NULL AUTO_INCREMENT PRIMARY KEY" : " NOT NULL PRIMARY KEY";
  }

  std::string castToText(std::string_view expression) const override {
    return fmt::format("CAST({} AS CHAR)", expression);
  }

  bool transactionalDdl() const override { return false; }

  // A compound statement runs on the server as a whole: a client killed while its DDL
  // runs does not stop the journal writes after it, and a statement that fails skips them.
  std::string serverSideBlock(const std::vector<std::string>& statements) const override {
    std::string block = "BEGIN NOT ATOMIC";
    for (std::string_view statement : statements) {
      // Trailing blanks and semicolons would end the block's statement early or empty.
      while (!statement.empty() && (std::isspace(static_cast<unsigned char>(statement.back())) || statement.back() == ';')) {
        statement.remove_suffix(1);
      }
      block += fmt::format(" {};", statement);
    }
    return block + " END";
  }

  // No NULLS FIRST/LAST: MySQL sorts NULL as the smallest value, so "IS NULL" sorts first.
  std::string orderTerm(std::string_view quotedColumn, bool descending) const override {
    return descending ? fmt::format("{0} IS NULL DESC, {0} DESC", quotedColumn)
                      : fmt::format("{0} IS NULL, {0} ASC", quotedColumn);
  }

  std::string defaultValuesClause() const override { return " () VALUES ()"; }
  std::string changedRowsQuery() const override { return "SELECT ROW_COUNT()"; }
  // No ON CONFLICT. IGNORE also turns foreign-key failures into warnings, so the query
  // runtime checks that every key names a row before it attaches.
  std::string insertSkippingDuplicates(std::string_view into) const override {
    return "INSERT IGNORE INTO " + std::string(into);
  }

  std::string createTrackingTable(const std::string& table) const override {
    return Dialect::createTrackingTable(table) + kTableOptions;
  }

  std::vector<Statement> createTable(const step::CreateTable& op) const override {
    std::vector<Statement> out;
    // Indexes go inside CREATE TABLE: one statement, so the step is one atomic DDL.
    auto emit = [&](const TableDef& table) {
      std::vector<std::string> parts;
      for (const auto& column : table.columns) parts.push_back(columnDefinition(column));
      for (const auto& index : table.indexes) parts.push_back(indexClause(table, index));
      out.push_back({fmt::format("CREATE TABLE {} ({}){}", quoteIdentifier(table.name), fmt::join(parts, ", "),
                                 kTableOptions)});
    };
    emit(op.table);
    for (const auto& pivot : op.pivots) emit(pivot);
    return out;
  }

  std::vector<Statement> addColumn(const step::AddColumn& op) const override {
    const ColumnDef& column = op.column;
    std::string sql =
        fmt::format("ALTER TABLE {} ADD COLUMN {}", quoteIdentifier(op.table), columnDefinition(column));
    TableDef table{op.table, {column}, {}};
    for (bool unique : {true, false}) {
      if (unique ? !column.field.unique : !column.field.index) continue;
      sql += ", ADD " + indexClause(table, {op.table, defaultIndexName(op.table, {column.name}, unique), {column.name}, unique});
    }
    return {{sql}};
  }

  // MODIFY restates the whole column; its indexes and foreign keys are the table's and stay.
  std::vector<Statement> alterColumn(const step::AlterColumn& op) const override {
    if (!columnChange(op).any()) return {};
    return {{fmt::format("ALTER TABLE {} MODIFY COLUMN {}", quoteIdentifier(op.table), columnDefinition(op.column))}};
  }

  std::vector<Statement> dropColumn(const step::DropColumn& op) const override {
    return {{fmt::format("ALTER TABLE {} DROP COLUMN {}{}", quoteIdentifier(op.table), op.ifExists ? "IF EXISTS " : "",
                         quoteIdentifier(op.column))}};
  }

  std::vector<Statement> createIndex(const step::CreateIndex& op) const override {
    // No CONCURRENTLY: InnoDB builds secondary indexes online (LOCK=NONE) by default.
    IndexDef index = op.index;
    index.concurrently = false;
    return {{createIndexSql(index)}};
  }

  std::vector<Statement> dropIndex(const step::DropIndex& op) const override {
    return {{fmt::format("DROP INDEX {} ON {}", quoteIdentifier(op.name), quoteIdentifier(op.table))}};
  }

  std::vector<Statement> dropAllTables(const std::vector<std::string>& tables) const override {
    if (tables.empty()) return {};
    std::vector<std::string> quoted;
    for (const auto& table : tables) quoted.push_back(quoteIdentifier(table));
    // Session-wide and reset after: the one way to drop tables that reference each other.
    return {{"SET FOREIGN_KEY_CHECKS = 0"},
            {fmt::format("DROP TABLE IF EXISTS {}", fmt::join(quoted, ", "))},
            {"SET FOREIGN_KEY_CHECKS = 1"}};
  }

 private:
  static constexpr const char* kTableOptions = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

  // An index inside CREATE/ALTER TABLE. A non-unique index on a long column indexes its
  // prefix (MySQL refuses a whole TEXT/BLOB key); a unique one stays whole, which MariaDB
  // enforces with a hash.
  std::string indexClause(const TableDef& table, const IndexDef& index) const {
    std::vector<std::string> columns;
    for (const auto& name : index.columns) {
      auto column = std::find_if(table.columns.begin(), table.columns.end(), [&](const auto& c) { return c.name == name; });
      const bool prefix = !index.unique && column != table.columns.end() && isLongColumn(column->field.type);
      columns.push_back(prefix ? fmt::format("{}({})", quoteIdentifier(name), kIndexPrefixChars) : quoteIdentifier(name));
    }
    return fmt::format("{}INDEX {} ({})", index.unique ? "UNIQUE " : "", quoteIdentifier(index.name),
                       fmt::join(columns, ", "));
  }
};
}  // namespace

const Dialect& mysqlDialect() {
  static const MysqlDialect dialect;
  return dialect;
}

JSORM_NAMESPACE_END
