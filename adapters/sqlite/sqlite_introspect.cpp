// SqliteConnection::introspect: the live schema from sqlite_master and the table pragmas.
#include "sqlite_connection.hpp"

#include <jsorm/introspection.hpp>

#include <map>

namespace jsorm::sqlite {

namespace {
std::string text(const Value& v) { return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : ""; }
std::int64_t number(const Value& v) { return std::holds_alternative<std::int64_t>(v) ? std::get<std::int64_t>(v) : 0; }
}  // namespace

SchemaSnapshot SqliteConnection::introspect() {
  SchemaSnapshot schema;
  for (const auto& name : tables()) {
    TableSnapshot table{.name = name};
    // cid, name, type, notnull, dflt_value, pk
    const auto columns = query("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1) ORDER BY cid", {name});
    int keyColumns = 0;
    for (const auto& row : columns.rows) keyColumns += number(row[4]) > 0 ? 1 : 0;
    for (const auto& row : columns.rows) {
      ColumnSnapshot column;
      column.name = text(row[0]);
      describeRawType(column, text(row[1]));
      column.primary = number(row[4]) > 0;
      // An INTEGER PRIMARY KEY is the rowid: never NULL, though the pragma says notnull 0.
      const bool rowid = column.primary && keyColumns == 1 && column.rawType == "integer";
      column.nullable = number(row[2]) == 0 && !rowid;
      column.defaultSql = text(row[3]);
      table.columns.push_back(std::move(column));
    }

    // id, seq, table, from, to: one id per constraint; only single-column ones are kept.
    std::map<std::int64_t, std::vector<std::vector<Value>>> keys;
    for (auto& row : query("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq", {name}).rows) {
      keys[number(row[0])].push_back(std::move(row));
    }
    for (const auto& [id, parts] : keys) {
      if (parts.size() != 1) continue;
      const std::string target = text(parts[0][1]);
      std::string targetColumn = text(parts[0][3]);
      // REFERENCES t without a column means t's primary key.
      if (targetColumn.empty()) {
        const auto key = query("SELECT name FROM pragma_table_info(?1) WHERE pk = 1", {target});
        if (!key.rows.empty()) targetColumn = text(key.rows[0][0]);
      }
      for (auto& column : table.columns) {
        if (column.name == text(parts[0][2])) column.references = ForeignKey{target, targetColumn};
      }
    }

    // origin 'pk' is the index backing a non-rowid primary key; every other one is kept.
    for (const auto& row : query("SELECT name, \"unique\" FROM pragma_index_list(?1) WHERE origin <> 'pk' ORDER BY name", {name}).rows) {
      IndexSnapshot index{.name = text(row[0]), .columns = {}, .unique = number(row[1]) != 0};
      for (const auto& part : query("SELECT name FROM pragma_index_info(?1) ORDER BY seqno", {index.name}).rows) {
        // An expression has no column name.
        index.columns.push_back(std::holds_alternative<std::string>(part[0]) ? text(part[0]) : "(expression)");
      }
      table.indexes.push_back(std::move(index));
    }
    schema.tables.push_back(std::move(table));
  }
  finishIntrospection(schema);
  return schema;
}

}  // namespace jsorm::sqlite
