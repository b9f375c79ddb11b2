// Statements for relations: loading what a select includes, and the pivot rows attach,
// detach and sync change. Pure: nothing here touches a database.
#include "query_internal.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <set>

JSORM_NAMESPACE_BEGIN

namespace {
using detail::ParamBinder;

const QueryField& keyOf(const QueryTable& table) {
  const QueryField* key = table.primaryKey();
  if (!key) throw QueryError(fmt::format("model '{}' has no primary key, so no relation can point to it", table.model));
  return *key;
}

// The keys of an IN list: integers as literals (numbers jsorm read from the database or
// checked as integers, never text from a user), anything else bound. SQLite parses numbered placeholders
// in time quadratic in their count: 10,000 of them cost it 0.2 s, the literals 10 ms.
std::string keyList(const std::vector<Value>& keys, ParamBinder& binder) {
  std::vector<std::string> out;
  out.reserve(keys.size());
  for (const auto& key : keys) {
    const auto* number = std::get_if<std::int64_t>(&key);
    out.push_back(number ? std::to_string(*number) : binder.bind(key));
  }
  return fmt::format("{}", fmt::join(out, ", "));
}

// Counted by RETURNING 1 where the dialect has no changed-rows query, as update and remove are.
void countChanged(BoundStatement& out, const Dialect& dialect) {
  if (dialect.changedRowsQuery().empty()) out.sql += " RETURNING 1";
}
}  // namespace

BoundStatement compileRelatedRows(const QueryRelation& relation, const std::vector<Value>& keys,
                                  const Dialect& dialect) {
  BoundStatement out;
  out.table = queryTable(relation.target);
  const QueryTable& target = *out.table;
  std::vector<std::string> columns;
  for (const auto& field : target.fields) {
    out.fields.push_back(&field);
    columns.push_back(dialect.quoteIdentifier(field.column));
  }
  ParamBinder binder(dialect, out.params);
  out.sql = fmt::format("SELECT {} FROM {} WHERE {} IN ({})", fmt::join(columns, ", "),
                        dialect.quoteIdentifier(target.model), dialect.quoteIdentifier(keyOf(target).column),
                        keyList(keys, binder));
  return out;
}

BoundStatement compilePivotRows(const QueryRelation& relation, const QueryField& ownerKey,
                                const std::vector<Value>& ownerKeys, const Dialect& dialect) {
  BoundStatement out;
  out.table = queryTable(relation.target);
  const QueryTable& target = *out.table;
  const std::string t = dialect.quoteIdentifier("t");
  const std::string p = dialect.quoteIdentifier("p");
  std::vector<std::string> columns;
  for (const auto& field : target.fields) {
    out.fields.push_back(&field);
    columns.push_back(t + "." + dialect.quoteIdentifier(field.column));
  }
  const std::string owner = p + "." + dialect.quoteIdentifier(relation.ownerColumn);
  const std::string targetKey = t + "." + dialect.quoteIdentifier(keyOf(target).column);
  columns.push_back(owner);
  out.keys.push_back(&ownerKey);
  ParamBinder binder(dialect, out.params);
  out.sql = fmt::format("SELECT {} FROM {} AS {} JOIN {} AS {} ON {}.{} = {} WHERE {} IN ({}) ORDER BY {}, {}",
                        fmt::join(columns, ", "), dialect.quoteIdentifier(target.model), t,
                        dialect.quoteIdentifier(relation.pivot), p, p, dialect.quoteIdentifier(relation.targetColumn),
                        targetKey, owner, keyList(ownerKeys, binder), owner, targetKey);
  return out;
}

BoundStatement compileAttach(const QueryRelation& relation, const Value& owner, const std::vector<Value>& targets,
                             const Dialect& dialect) {
  BoundStatement out;
  ParamBinder binder(dialect, out.params);
  std::vector<std::string> rows;
  rows.reserve(targets.size());
  for (const auto& target : targets) {
    const std::string first = binder.bind(owner);
    rows.push_back(fmt::format("({}, {})", first, binder.bind(target)));
  }
  out.sql = dialect.insertSkippingDuplicates(fmt::format(
      "{} ({}, {}) VALUES {}", dialect.quoteIdentifier(relation.pivot), dialect.quoteIdentifier(relation.ownerColumn),
      dialect.quoteIdentifier(relation.targetColumn), fmt::join(rows, ", ")));
  countChanged(out, dialect);
  return out;
}

BoundStatement compileDetach(const QueryRelation& relation, const Value& owner, const std::vector<Value>& targets,
                             bool keep, const Dialect& dialect) {
  BoundStatement out;
  ParamBinder binder(dialect, out.params);
  out.sql = fmt::format("DELETE FROM {} WHERE {} = {}", dialect.quoteIdentifier(relation.pivot),
                        dialect.quoteIdentifier(relation.ownerColumn), binder.bind(owner));
  if (!targets.empty()) {
    out.sql += fmt::format(" AND {} {}IN ({})", dialect.quoteIdentifier(relation.targetColumn), keep ? "NOT " : "",
                           keyList(targets, binder));
  } else if (!keep) {
    out.sql += " AND 1 = 0";  // detaching nothing
  }
  countChanged(out, dialect);
  return out;
}

namespace detail {

BoundStatement compileExistingKeys(const Model& model, const std::vector<Value>& keys, const Dialect& dialect) {
  BoundStatement out;
  out.table = queryTable(model);
  const QueryField& key = keyOf(*out.table);
  out.fields.push_back(&key);
  ParamBinder binder(dialect, out.params);
  const std::string column = dialect.quoteIdentifier(key.column);
  out.sql = fmt::format("SELECT {} FROM {} WHERE {} IN ({})", column, dialect.quoteIdentifier(out.table->model),
                        column, keyList(keys, binder));
  return out;
}

Value relationKey(const QueryTable& table, const nlohmann::json& key, std::string_view operation) {
  const QueryField& field = keyOf(table);
  if (key.is_null()) throw QueryError(fmt::format("{}: a key of '{}' cannot be null", operation, table.model));
  return fieldValue(table, field, key);
}

std::vector<Value> relationKeys(const QueryTable& target, const nlohmann::json& keys, std::string_view operation) {
  std::vector<Value> out;
  std::set<Value> seen;
  const nlohmann::json list = keys.is_array() ? keys : nlohmann::json::array({keys});
  for (const auto& key : list) {
    Value value = relationKey(target, key, operation);
    // The same key twice links once (an INSERT of both would trip the pivot's unique index).
    if (seen.insert(value).second) out.push_back(std::move(value));
  }
  return out;
}

}  // namespace detail

JSORM_NAMESPACE_END
