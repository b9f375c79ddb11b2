#include <jsorm/dialect.hpp>
#include <jsorm/overloaded.hpp>

#include "tracking_table.hpp"

#include <fmt/format.h>
#include <cmath>
#include <fmt/ranges.h>

JSORM_NAMESPACE_BEGIN

namespace {
using detail::Overloaded;

std::string doubled(std::string_view text, char quote) {
  std::string out;
  out.reserve(text.size() + 2);
  out += quote;
  for (char c : text) {
    out += c;
    if (c == quote) out += quote;
  }
  out += quote;
  return out;
}
}  // namespace

Dialect::~Dialect() = default;

namespace {
// What a dry run shows for a data step: a SQL comment on one line.
std::string dataStepComment(const step::Data& op) {
  std::string text = "-- data step: " + op.description + " (C++ code, run in this migration's transaction)";
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}
}  // namespace

std::string Dialect::quoteIdentifier(std::string_view identifier) const { return doubled(identifier, '"'); }

std::string Dialect::quoteString(std::string_view text) const { return doubled(text, '\''); }

std::string Dialect::literal(const Literal& value) const {
  return std::visit(Overloaded{
                        [](bool b) -> std::string { return b ? "TRUE" : "FALSE"; },
                        [](std::int64_t i) { return fmt::format("{}", i); },
                        [](double d) -> std::string {
                          // PostgreSQL reads these spellings for float columns; bare inf/nan are identifiers.
                          if (std::isnan(d)) return "'NaN'";
                          if (std::isinf(d)) return d > 0 ? "'Infinity'" : "'-Infinity'";
                          return fmt::format("{}", d);
                        },
                        [this](const std::string& s) { return quoteString(s); },
                    },
                    value);
}

std::string Dialect::columnDefinition(const ColumnDef& column) const {
  const FieldSpec& f = column.field;
  std::string sql = quoteIdentifier(column.name) + " " + columnType(column);
  if (f.primary) {
    sql += primaryKeyClause(column);
  } else if (!f.optional) {
    sql += " NOT NULL";
  }
  sql += defaultClause(f);
  if (column.references) {
    sql += fmt::format(" REFERENCES {} ({})", quoteIdentifier(column.references->table),
                       quoteIdentifier(column.references->column));
  }
  return sql;
}

std::string Dialect::defaultClause(const FieldSpec& f) const {
  std::string sql;
  if (f.defaultValue) sql += " DEFAULT " + literal(*f.defaultValue);
  // Parenthesised so that any expression is accepted by both SQLite and PostgreSQL.
  if (!f.defaultSql.empty()) sql += " DEFAULT (" + f.defaultSql + ")";
  return sql;
}

std::string Dialect::primaryKeyClause(const ColumnDef&) const { return " PRIMARY KEY"; }

std::string Dialect::createTrackingTable(const std::string& table) const {
  std::vector<std::string> columns;
  for (const auto& c : detail::trackingColumns()) {
    columns.push_back(columnDefinition(ColumnDef{c.name, c.field, std::nullopt}) + (c.unique ? " UNIQUE" : ""));
  }
  return fmt::format("CREATE TABLE IF NOT EXISTS {} ({})", quoteIdentifier(table), fmt::join(columns, ", "));
}

std::string Dialect::castToText(std::string_view expression) const {
  return fmt::format("CAST({} AS TEXT)", expression);
}

std::string Dialect::orderTerm(std::string_view quotedColumn, bool descending) const {
  return fmt::format("{} {}", quotedColumn, descending ? "DESC NULLS FIRST" : "ASC NULLS LAST");
}

std::string Dialect::serverSideBlock(const std::vector<std::string>&) const { return {}; }

std::string Dialect::lockWaitLimitSql(std::chrono::milliseconds) const { return {}; }

bool Dialect::isLockWaitTimeout(std::string_view) const { return false; }

std::string Dialect::lockHoldersQuery(const std::vector<std::string>&) const { return {}; }

std::string Dialect::columnType(const ColumnDef& column) const {
  const FieldSpec& f = column.field;
  switch (f.type) {
    case FieldType::Number: return "INTEGER";
    case FieldType::BigInt: return "BIGINT";
    case FieldType::Real: return "REAL";
    case FieldType::Decimal: return fmt::format("NUMERIC({}, {})", f.precision, f.scale);
    case FieldType::String: return fmt::format("VARCHAR({})", stringLength(f));
    case FieldType::Text: return "TEXT";
    case FieldType::Boolean: return "BOOLEAN";
    case FieldType::Date: return "DATE";
    case FieldType::Timestamp: return "TIMESTAMP";
    case FieldType::Json: return "JSON";
    case FieldType::Uuid: return "UUID";
    case FieldType::Bytes: return "BYTEA";
    // A relation's column takes the type of the key it references (resolved before here).
    case FieldType::BelongsTo:
    case FieldType::ManyToMany: break;
  }
  return "INTEGER";
}

std::vector<Statement> Dialect::render(const Step& step) const {
  return std::visit(Overloaded{
                        [this](const step::CreateTable& op) { return createTable(op); },
                        [this](const step::DropTable& op) { return dropTable(op); },
                        [this](const step::RenameTable& op) { return renameTable(op); },
                        [this](const step::AddColumn& op) { return addColumn(op); },
                        [this](const step::DropColumn& op) { return dropColumn(op); },
                        [this](const step::RenameColumn& op) { return renameColumn(op); },
                        [this](const step::CreateIndex& op) { return createIndex(op); },
                        [this](const step::DropIndex& op) { return dropIndex(op); },
                        [this](const step::RawSql& op) { return rawSql(op); },
                        [this](const step::AlterColumn& op) { return alterColumn(op); },
                        // C++, not SQL: one placeholder so the journal and the plan count it as one
                        // statement; the runner calls the code instead of sending this.
                        [](const step::Data& op) { return std::vector<Statement>{{dataStepComment(op)}}; },
                    },
                    step.operation());
}

std::string Dialect::tableBody(const TableDef& table) const {
  std::vector<std::string> columns;
  columns.reserve(table.columns.size());
  for (const auto& column : table.columns) columns.push_back(columnDefinition(column));
  return fmt::format("CREATE TABLE {} ({})", quoteIdentifier(table.name), fmt::join(columns, ", "));
}

std::string Dialect::createIndexSql(const IndexDef& index) const {
  std::vector<std::string> columns;
  for (const auto& column : index.columns) columns.push_back(quoteIdentifier(column));
  return fmt::format("CREATE {}INDEX {}{} ON {} ({})", index.unique ? "UNIQUE " : "",
                     index.concurrently ? "CONCURRENTLY " : "", quoteIdentifier(index.name),
                     quoteIdentifier(index.table), fmt::join(columns, ", "));
}

std::vector<Statement> Dialect::createTable(const step::CreateTable& op) const {
  std::vector<Statement> out;
  auto emit = [&](const TableDef& table) {
    out.push_back({tableBody(table)});
    for (const auto& index : table.indexes) out.push_back({createIndexSql(index)});
  };
  emit(op.table);
  // Pivot tables follow their owner: they reference it.
  for (const auto& pivot : op.pivots) emit(pivot);
  return out;
}

std::vector<Statement> Dialect::dropTable(const step::DropTable& op) const {
  return {{"DROP TABLE " + quoteIdentifier(op.table)}};
}

std::vector<Statement> Dialect::renameTable(const step::RenameTable& op) const {
  return {{fmt::format("ALTER TABLE {} RENAME TO {}", quoteIdentifier(op.from), quoteIdentifier(op.to))}};
}

std::vector<Statement> Dialect::addColumn(const step::AddColumn& op) const {
  // Uniqueness is a named index, as in createTable: SQLite cannot add a UNIQUE column.
  const ColumnDef& column = op.column;
  std::vector<Statement> out{
      {fmt::format("ALTER TABLE {} ADD COLUMN {}", quoteIdentifier(op.table), columnDefinition(column))}};
  if (column.field.unique) {
    out.push_back({createIndexSql({op.table, defaultIndexName(op.table, {column.name}, true), {column.name}, true})});
  }
  if (column.field.index) {
    out.push_back({createIndexSql({op.table, defaultIndexName(op.table, {column.name}, false), {column.name}})});
  }
  return out;
}

std::vector<Statement> Dialect::renameColumn(const step::RenameColumn& op) const {
  return {{fmt::format("ALTER TABLE {} RENAME COLUMN {} TO {}", quoteIdentifier(op.table), quoteIdentifier(op.from),
                       quoteIdentifier(op.to))}};
}

Dialect::ColumnChange Dialect::columnChange(const step::AlterColumn& op) const {
  if (!op.from) return {true, true, true};
  const FieldSpec& now = op.column.field;
  const FieldSpec& was = op.from->field;
  return {columnType(op.column) != columnType(*op.from), now.optional != was.optional,
          defaultClause(now) != defaultClause(was)};
}

std::string Dialect::typeConversion(const ColumnDef&) const { return {}; }

std::vector<Statement> Dialect::alterColumn(const step::AlterColumn& op) const {
  const ColumnChange change = columnChange(op);
  const std::string alter =
      fmt::format("ALTER TABLE {} ALTER COLUMN {} ", quoteIdentifier(op.table), quoteIdentifier(op.column.name));
  const FieldSpec& f = op.column.field;
  const std::string newDefault = defaultClause(f);
  std::vector<Statement> out;
  // The old default is converted with the column and may not convert: it goes first and
  // the new one (or the same one, converted by hand) is set after the type.
  const bool hadDefault = !op.from || !defaultClause(op.from->field).empty();
  const bool resetDefault = change.defaultValue || (change.type && hadDefault);
  if ((change.type && hadDefault) || (change.defaultValue && newDefault.empty())) out.push_back({alter + "DROP DEFAULT"});
  if (change.type) out.push_back({alter + "TYPE " + columnType(op.column) + typeConversion(op.column)});
  if (change.nullability) out.push_back({alter + (f.optional ? "DROP NOT NULL" : "SET NOT NULL")});
  if (resetDefault && !newDefault.empty()) out.push_back({alter + "SET" + newDefault});
  return out;
}

std::vector<Statement> Dialect::createIndex(const step::CreateIndex& op) const { return {{createIndexSql(op.index)}}; }

std::vector<Statement> Dialect::dropIndex(const step::DropIndex& op) const {
  return {{"DROP INDEX " + quoteIdentifier(op.name)}};
}

std::vector<Statement> Dialect::rawSql(const step::RawSql& op) const { return {{op.up}}; }

JSORM_NAMESPACE_END
