// MysqlConnection::introspect: the live schema of DATABASE() from information_schema.
#include "mysql_connection.hpp"

#include <jsorm/error.hpp>
#include <jsorm/introspection.hpp>

#include <map>
#include <regex>

namespace jsorm::mysql {

namespace {
std::string text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* b = std::get_if<Bytes>(&v)) return std::string(b->begin(), b->end());
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return {};
}
bool isNull(const Value& v) { return std::holds_alternative<std::monostate>(v); }

// "int(11) unsigned" is "int unsigned": an integer's display width says nothing about what
// it stores (MySQL 8 no longer prints it). tinyint(1) keeps its width: it is how MariaDB
// and MySQL spell BOOLEAN.
std::string withoutDisplayWidth(const std::string& rawType) {
  static const std::regex width(R"(^(tinyint|smallint|mediumint|int|integer|bigint)\(\d+\))");
  const std::string normal = normalRawType(rawType);
  if (normal.rfind("tinyint(1)", 0) == 0) return normal;
  return std::regex_replace(normal, width, "$1", std::regex_constants::format_first_only);
}

}  // namespace

SchemaSnapshot MysqlConnection::introspect() {
  IntrospectedSchema live(this->tables());

  for (const auto& row : query("SELECT table_name, column_name, column_type, is_nullable, column_default, extra "
                               "FROM information_schema.columns WHERE table_schema = DATABASE() "
                               "ORDER BY table_name, ordinal_position",
                               {})
                             .rows) {
    auto* table = live.table(text(row[0]));
    if (!table) continue;
    ColumnSnapshot column;
    column.name = text(row[1]);
    describeRawType(column, withoutDisplayWidth(text(row[2])));
    // jsorm's own spellings of boolean and uuid on this database.
    if (column.rawType.rfind("tinyint(1)", 0) == 0) column.type = FieldType::Boolean;
    if (column.rawType == "char(36)") {
      column.type = FieldType::Uuid;
      column.length = 0;
    }
    column.nullable = text(row[3]) == "YES";
    // MariaDB reports a nullable column without a default as the text NULL; a string
    // default comes quoted, so the text NULL is never a value.
    const std::string defaultSql = isNull(row[4]) ? "" : text(row[4]);
    const bool generatedKey = text(row[5]).find("auto_increment") != std::string::npos;
    column.defaultSql = defaultSql == "NULL" || generatedKey ? "" : defaultSql;
    table->columns.push_back(std::move(column));
  }

  // MariaDB's JSON is LONGTEXT with a json_valid check named after the column; MySQL's is a
  // json type (handled by its name), and MySQL's check_constraints has no table_name.
  try {
    static const std::regex jsonCheck(R"(^json_valid\(`((?:[^`]|``)+)`\)$)");
    for (const auto& row : query("SELECT table_name, check_clause FROM information_schema.check_constraints "
                                 "WHERE constraint_schema = DATABASE()",
                                 {})
                               .rows) {
      std::smatch match;
      const std::string clause = text(row[1]);
      if (!std::regex_match(clause, match, jsonCheck)) continue;
      std::string name = match[1];
      for (std::size_t at = name.find("``"); at != std::string::npos; at = name.find("``", at + 1)) name.erase(at, 1);
      if (auto* column = live.column(text(row[0]), name); column && column->type == FieldType::Text) {
        column->type = FieldType::Json;
      }
    }
  } catch (const SqlError&) {
  }

  // Grouped by constraint: only single-column foreign keys are kept.
  std::map<std::pair<std::string, std::string>, std::vector<std::vector<Value>>> keys;
  for (auto& row : query("SELECT table_name, constraint_name, column_name, referenced_table_name, "
                         "referenced_column_name FROM information_schema.key_column_usage "
                         "WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL",
                         {})
                       .rows) {
    keys[{text(row[0]), text(row[1])}].push_back(std::move(row));
  }
  std::map<std::pair<std::string, std::string>, std::string> constraintOf;  // (table, column) → name
  for (const auto& [key, parts] : keys) {
    if (parts.size() != 1) continue;
    constraintOf[{key.first, text(parts[0][2])}] = key.second;
    if (auto* column = live.column(key.first, text(parts[0][2]))) {
      column->references = ForeignKey{text(parts[0][3]), text(parts[0][4])};
    }
  }

  for (const auto& row : query("SELECT table_name, index_name, non_unique, column_name FROM information_schema.statistics "
                               "WHERE table_schema = DATABASE() ORDER BY table_name, index_name, seq_in_index",
                               {})
                             .rows) {
    auto* table = live.table(text(row[0]));
    if (!table) continue;
    const std::string index = text(row[1]);
    if (index == "PRIMARY") {
      if (auto* column = live.column(text(row[0]), text(row[3]))) column->primary = true;
      continue;
    }
    auto& list = table->indexes;
    if (list.empty() || list.back().name != index) list.push_back({index, {}, text(row[2]) == "0"});
    // An expression part (MySQL 8 functional index) has no column name.
    list.back().columns.push_back(isNull(row[3]) ? "(expression)" : text(row[3]));
  }

  // InnoDB needs an index on a foreign key's column and makes one when there is none, named
  // after the constraint or, unnamed, the column. Nobody asked for it (like the primary key's,
  // it comes with the constraint), so it is left out, and db:check does not call it drift.
  for (auto& [name, table] : live.tables()) {
    std::erase_if(table.indexes, [&, &tableName = name](const IndexSnapshot& index) {
      if (index.unique || index.columns.size() != 1) return false;
      const auto constraint = constraintOf.find({tableName, index.columns[0]});
      return constraint != constraintOf.end() && (index.name == index.columns[0] || index.name == constraint->second);
    });
  }

  return std::move(live).finish();
}

}  // namespace jsorm::mysql
