// PgConnection::introspect: the live schema of the connection's current schema (the one
// `schema=NAME` chose, else the first of search_path) from the system catalogs.
#include "pg_connection.hpp"

#include <jsorm/introspection.hpp>

#include <map>

namespace jsorm::pg {

namespace {
std::string text(const Value& v) { return std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : ""; }
bool flag(const Value& v) { return std::holds_alternative<bool>(v) && std::get<bool>(v); }

// The tables of the current schema, as tables() lists them.
constexpr const char* kInSchema =
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')";

}  // namespace

SchemaSnapshot PgConnection::introspect() {
  IntrospectedSchema live(this->tables());

  // format_type spells the type as PostgreSQL prints it: "character varying(40)",
  // "numeric(12,2)", "timestamp without time zone".
  const std::string columns = std::string(
      "SELECT c.relname::text, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity <> '' "
      "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
      "LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum") +
      kInSchema + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum";
  for (const auto& row : query(columns, {}).rows) {
    auto* table = live.table(text(row[0]));
    if (!table) continue;
    ColumnSnapshot column;
    column.name = text(row[1]);
    describeRawType(column, text(row[2]));
    column.nullable = !flag(row[3]);
    column.defaultSql = flag(row[5]) ? "" : text(row[4]);
    table->columns.push_back(std::move(column));
  }

  const std::string keys = std::string(
      "SELECT c.relname::text, a.attname::text FROM pg_catalog.pg_index i "
      "JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)") +
      kInSchema + " AND i.indisprimary";
  for (const auto& row : query(keys, {}).rows) {
    if (auto* column = live.column(text(row[0]), text(row[1]))) {
      column->primary = true;
      // A serial key's sequence default is the key being generated, as an identity's is.
      if (column->defaultSql.rfind("nextval(", 0) == 0) column->defaultSql.clear();
    }
  }

  const std::string references = std::string(
      "SELECT c.relname::text, a.attname::text, t.relname::text, ta.attname::text FROM pg_catalog.pg_constraint k "
      "JOIN pg_catalog.pg_class c ON c.oid = k.conrelid "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
      "JOIN pg_catalog.pg_class t ON t.oid = k.confrelid "
      "JOIN pg_catalog.pg_attribute ta ON ta.attrelid = k.confrelid AND ta.attnum = k.confkey[1]") +
      kInSchema + " AND k.contype = 'f' AND cardinality(k.conkey) = 1";
  for (const auto& row : query(references, {}).rows) {
    if (auto* column = live.column(text(row[0]), text(row[1]))) {
      column->references = ForeignKey{text(row[2]), text(row[3])};
    }
  }

  // Key columns only (not INCLUDE ones), in index order; an expression has no attribute.
  const std::string indexes = std::string(
      "SELECT c.relname::text, x.relname::text, i.indisunique, coalesce(a.attname::text, '(expression)') "
      "FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indrelid "
      "JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid "
      "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, position) "
      "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0") +
      kInSchema + " AND NOT i.indisprimary AND k.position <= i.indnkeyatts ORDER BY c.relname, x.relname, k.position";
  for (const auto& row : query(indexes, {}).rows) {
    auto* table = live.table(text(row[0]));
    if (!table) continue;
    auto& list = table->indexes;
    if (list.empty() || list.back().name != text(row[1])) list.push_back({text(row[1]), {}, flag(row[2])});
    list.back().columns.push_back(text(row[3]));
  }

  return std::move(live).finish();
}

}  // namespace jsorm::pg
