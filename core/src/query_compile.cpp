#include "query_internal.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <limits>

JSORM_NAMESPACE_BEGIN

namespace {
using detail::ParamBinder;
using nlohmann::json;

BoundStatement start(const Model& model) {
  BoundStatement out;
  out.table = queryTable(model);
  return out;
}

void appendWhere(BoundStatement& out, const json& where, ParamBinder& binder) {
  const std::string condition = detail::renderWhere(*out.table, where, binder);
  if (!condition.empty()) out.sql += " WHERE " + condition;
}

// Update and remove without a where would change every row; that has to be asked for.
const json& requiredWhere(const QueryTable& table, const json& query, std::string_view operation) {
  if (!query.contains("where")) {
    throw QueryError(fmt::format("{} on '{}' needs a where; pass \"where\": {{}} to {} every row", operation,
                                 table.model, operation == "update" ? "change" : "remove"));
  }
  return query["where"];
}

std::vector<const QueryField*> selected(const QueryTable& table, const json& query) {
  std::vector<const QueryField*> fields;
  if (!query.contains("select")) {
    for (const auto& field : table.fields) fields.push_back(&field);
    return fields;
  }
  const json& select = query["select"];
  if (!select.is_array() || select.empty()) {
    throw QueryError(fmt::format("get on '{}': select takes a non-empty array of field names, not {}", table.model,
                                 detail::shown(select)));
  }
  for (const auto& name : select) {
    if (!name.is_string()) {
      throw QueryError(fmt::format("get on '{}': select takes field names, not {}", table.model, detail::shown(name)));
    }
    const QueryField* field = &table.at(name.get<std::string>());
    if (std::find(fields.begin(), fields.end(), field) != fields.end()) {
      throw QueryError(fmt::format("get on '{}': field '{}' is selected twice", table.model, field->name));
    }
    fields.push_back(field);
  }
  return fields;
}

std::string orderTerm(const QueryTable& table, const std::string& name, const json& direction, const Dialect& dialect) {
  const QueryField& field = table.at(name);
  if (!direction.is_string() || (direction != "asc" && direction != "desc")) {
    throw QueryError(fmt::format("orderBy on '{}': the direction of '{}' is \"asc\" or \"desc\", not {}", table.model,
                                 name, detail::shown(direction)));
  }
  // Spelled out because the databases disagree: PostgreSQL sorts NULL last, SQLite first.
  return dialect.orderTerm(dialect.quoteIdentifier(field.column), direction == "desc");
}

std::string orderBy(const QueryTable& table, const json& order, const Dialect& dialect) {
  std::vector<std::string> terms;
  auto add = [&](const json& item) {
    if (item.is_string()) {
      terms.push_back(orderTerm(table, item.get<std::string>(), "asc", dialect));
    } else if (item.is_object() && item.size() == 1) {
      terms.push_back(orderTerm(table, item.begin().key(), item.begin().value(), dialect));
    } else if (item.is_object() && item.size() > 1) {
      // nlohmann::json objects forget their key order, so several keys would sort unpredictably.
      throw QueryError(fmt::format("orderBy on '{}': give several fields as an array, e.g. [{{\"a\": \"asc\"}}, "
                                   "{{\"b\": \"desc\"}}], since an object's keys have no order",
                                   table.model));
    } else {
      throw QueryError(fmt::format("orderBy on '{}' takes a field name, {{\"field\": \"asc\"|\"desc\"}} or an array "
                                   "of them, not {}",
                                   table.model, detail::shown(item)));
    }
  };
  if (order.is_array()) {
    for (const auto& item : order) add(item);
  } else {
    add(order);
  }
  return fmt::format("{}", fmt::join(terms, ", "));
}

std::int64_t count(const QueryTable& table, const json& query, const char* key) {
  const json& value = query[key];
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
    throw QueryError(
        fmt::format("get on '{}': {} takes a non-negative integer, not {}", table.model, key, detail::shown(value)));
  }
  return value.get<std::int64_t>();
}

// The relations a select includes, each once; the key each is loaded by becomes a result
// column after the selected fields.
void includeRelations(BoundStatement& out, const json& query) {
  if (!query.contains("include")) return;
  const QueryTable& table = *out.table;
  const std::string operation = fmt::format("include on '{}'", table.model);
  const json& include = query["include"];
  const json names = include.is_string() ? json::array({include}) : include;
  if (!names.is_array()) {
    throw QueryError(fmt::format("{}: include takes an array of relation fields, not {}", operation,
                                 detail::shown(include)));
  }
  for (const auto& name : names) {
    if (!name.is_string()) {
      throw QueryError(fmt::format("{}: include takes relation field names, not {}", operation, detail::shown(name)));
    }
    const QueryRelation* relation = &table.relationAt(name.get<std::string>(), operation);
    if (std::find(out.include.begin(), out.include.end(), relation) != out.include.end()) {
      throw QueryError(fmt::format("{}: '{}' is included twice", operation, relation->name));
    }
    out.include.push_back(relation);
    out.keys.push_back(relation->many ? table.primaryKey() : table.find(relation->name));
  }
}

std::vector<std::pair<const QueryField*, Value>> assignments(const QueryTable& table, const json& values,
                                                             std::string_view operation) {
  std::vector<std::pair<const QueryField*, Value>> out;
  for (const auto& [name, value] : values.items()) {
    if (const QueryRelation* relation = table.relation(name); relation && relation->many) {
      // insert links them after the row exists (Database::insert); nothing else takes them.
      if (operation == "insert") continue;
      throw QueryError(fmt::format("{} on '{}': '{}' is a manyToMany field, changed through its pivot; use "
                                   "db.attach, db.detach or db.sync",
                                   operation, table.model, name));
    }
    const QueryField& field = table.at(name);
    Value converted = detail::fieldValue(table, field, value);
    if (std::holds_alternative<std::monostate>(converted) && !field.optional) {
      throw QueryError(fmt::format("{} on '{}': field '{}' cannot be null (it is not optional)", operation, table.model,
                                   field.name));
    }
    out.emplace_back(&field, std::move(converted));
  }
  return out;
}
}  // namespace

BoundStatement compileSelect(const Model& model, const json& query, const Dialect& dialect) {
  BoundStatement out = start(model);
  const QueryTable& table = *out.table;
  detail::checkQueryKeys(table, query, "get", {"select", "where", "orderBy", "limit", "offset", "include"});
  out.fields = selected(table, query);
  includeRelations(out, query);
  std::vector<std::string> columns;
  for (const auto* field : out.fields) columns.push_back(dialect.quoteIdentifier(field->column));
  for (const auto* key : out.keys) columns.push_back(dialect.quoteIdentifier(key->column));
  out.sql = fmt::format("SELECT {} FROM {}", fmt::join(columns, ", "), dialect.quoteIdentifier(table.model));
  ParamBinder binder(dialect, out.params);
  if (query.contains("where")) appendWhere(out, query["where"], binder);
  if (query.contains("orderBy")) out.sql += " ORDER BY " + orderBy(table, query["orderBy"], dialect);
  const bool hasLimit = query.contains("limit");
  if (hasLimit) out.sql += " LIMIT " + binder.bind(count(table, query, "limit"));
  if (query.contains("offset")) {
    // SQLite accepts OFFSET only after a LIMIT; the largest count means none, on every database.
    if (!hasLimit) out.sql += " LIMIT " + binder.bind(std::numeric_limits<std::int64_t>::max());
    out.sql += " OFFSET " + binder.bind(count(table, query, "offset"));
  }
  return out;
}

BoundStatement compileCount(const Model& model, const json& query, const Dialect& dialect) {
  BoundStatement out = start(model);
  detail::checkQueryKeys(*out.table, query, "count", {"where"});
  out.sql = "SELECT COUNT(*) FROM " + dialect.quoteIdentifier(out.table->model);
  ParamBinder binder(dialect, out.params);
  if (query.contains("where")) appendWhere(out, query["where"], binder);
  return out;
}

BoundStatement compileInsert(const Model& model, const json& row, const Dialect& dialect) {
  BoundStatement out = start(model);
  const QueryTable& table = *out.table;
  if (!row.is_object()) {
    throw QueryError(fmt::format("insert into '{}' takes an object of field values, not {}", table.model,
                                 detail::shown(row)));
  }
  const auto values = assignments(table, row, "insert");
  std::vector<std::string> missing;
  for (const auto& field : table.fields) {
    if (field.optional || field.hasDefault || field.generated) continue;
    const bool given = std::any_of(values.begin(), values.end(), [&](const auto& v) { return v.first == &field; });
    if (!given) missing.push_back(field.name);
  }
  if (!missing.empty()) {
    throw QueryError(fmt::format("insert into '{}': missing {} (required, no default)", table.model,
                                 fmt::join(missing, ", ")));
  }
  ParamBinder binder(dialect, out.params);
  std::vector<std::string> columns;
  std::vector<std::string> placeholders;
  for (const auto& [field, value] : values) {
    columns.push_back(dialect.quoteIdentifier(field->column));
    placeholders.push_back(binder.bind(value));
  }
  out.sql = "INSERT INTO " + dialect.quoteIdentifier(table.model);
  out.sql += columns.empty()
                 ? dialect.defaultValuesClause()
                 : fmt::format(" ({}) VALUES ({})", fmt::join(columns, ", "), fmt::join(placeholders, ", "));
  if (const auto* key = table.primaryKey()) {
    out.sql += " RETURNING " + dialect.quoteIdentifier(key->column);
    out.fields.push_back(key);
  }
  return out;
}

BoundStatement compileUpdate(const Model& model, const json& query, const Dialect& dialect) {
  BoundStatement out = start(model);
  const QueryTable& table = *out.table;
  detail::checkQueryKeys(table, query, "update", {"set", "where"});
  const json& where = requiredWhere(table, query, "update");
  if (!query.contains("set") || !query["set"].is_object() || query["set"].empty()) {
    throw QueryError(fmt::format("update on '{}' needs \"set\": an object of the fields to change", table.model));
  }
  ParamBinder binder(dialect, out.params);
  std::vector<std::string> sets;
  for (const auto& [field, value] : assignments(table, query["set"], "update")) {
    sets.push_back(fmt::format("{} = {}", dialect.quoteIdentifier(field->column), binder.bind(value)));
  }
  out.sql = fmt::format("UPDATE {} SET {}", dialect.quoteIdentifier(table.model), fmt::join(sets, ", "));
  appendWhere(out, where, binder);
  // One row back per row changed: the count, without a driver-specific "rows affected".
  if (dialect.changedRowsQuery().empty()) out.sql += " RETURNING 1";
  return out;
}

BoundStatement compileRemove(const Model& model, const json& query, const Dialect& dialect) {
  BoundStatement out = start(model);
  detail::checkQueryKeys(*out.table, query, "remove", {"where"});
  const json& where = requiredWhere(*out.table, query, "remove");
  out.sql = "DELETE FROM " + dialect.quoteIdentifier(out.table->model);
  ParamBinder binder(dialect, out.params);
  appendWhere(out, where, binder);
  if (dialect.changedRowsQuery().empty()) out.sql += " RETURNING 1";
  return out;
}

JSORM_NAMESPACE_END
