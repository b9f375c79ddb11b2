#include "query_internal.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
constexpr const char* kOperators = "eq, ne, gt, gte, lt, lte, in, like, isNull";
constexpr std::string_view kOperatorNames[] = {"eq", "ne", "gt", "gte", "lt", "lte", "in", "like", "isNull"};

// and/or/not nest where-objects; a request body can nest them thousands deep. Rendering
// recurses, and SQLite's parser gives up near 50 levels of parentheses, so nesting stops
// well before either.
constexpr int kMaxWhereDepth = 32;

// "and", "or" and "not" are logical unless the model has a field of that name; "$and",
// "$or" and "$not" are logical always, so such a model keeps them.
std::string_view logicalKey(const QueryTable& table, const std::string& key) {
  std::string_view name = key;
  if (name.starts_with('$')) {
    name.remove_prefix(1);
  } else if (table.find(key)) {
    return {};
  }
  return name == "and" || name == "or" || name == "not" ? name : std::string_view();
}

std::string renderWhereAt(const QueryTable& table, const nlohmann::json& where, ParamBinder& binder, int depth);

[[noreturn]] void refuse(const QueryTable& table, const QueryField& field, std::string_view op, std::string_view why) {
  throw QueryError(fmt::format("where on {}.{}: '{}' {}", table.model, field.name, op, why));
}

bool comparable(const QueryField& field) {
  return field.type != CellType::Json && field.type != CellType::Bytes;
}

std::string nullTest(const std::string& column, bool isNull) {
  return column + (isNull ? " IS NULL" : " IS NOT NULL");
}

std::string operatorCondition(const QueryTable& table, const QueryField& field, const std::string& op,
                              const nlohmann::json& operand, ParamBinder& binder) {
  const std::string column = binder.dialect().quoteIdentifier(field.column);
  if (op == "isNull") {
    if (!operand.is_boolean()) refuse(table, field, op, "takes true or false");
    return nullTest(column, operand.get<bool>());
  }
  if (op == "eq" || op == "ne") {
    if (operand.is_null()) return nullTest(column, op == "eq");
    // JSON documents compare differently on the two databases (jsonb semantics against text).
    if (field.type == CellType::Json) refuse(table, field, op, "is not supported on a json field; use isNull");
    return fmt::format("{} {} {}", column, op == "eq" ? "=" : "<>", binder.bind(fieldValue(table, field, operand)));
  }
  if (op == "gt" || op == "gte" || op == "lt" || op == "lte") {
    if (!comparable(field)) {
      refuse(table, field, op, fmt::format("cannot compare a {} field", cellTypeName(field.type)));
    }
    if (operand.is_null()) refuse(table, field, op, "cannot compare with null; use isNull");
    const char* sign = op == "gt" ? ">" : op == "gte" ? ">=" : op == "lt" ? "<" : "<=";
    return fmt::format("{} {} {}", column, sign, binder.bind(fieldValue(table, field, operand)));
  }
  if (op == "in") {
    if (!operand.is_array()) refuse(table, field, op, "takes an array of values");
    if (field.type == CellType::Json) refuse(table, field, op, "is not supported on a json field");
    // IN () is a syntax error; an empty list matches nothing.
    if (operand.empty()) return "1 = 0";
    std::vector<std::string> placeholders;
    for (const auto& item : operand) {
      if (item.is_null()) refuse(table, field, op, "cannot hold null (NULL never matches IN); use isNull");
      placeholders.push_back(binder.bind(fieldValue(table, field, item)));
    }
    return fmt::format("{} IN ({})", column, fmt::join(placeholders, ", "));
  }
  if (op == "like") {
    // PostgreSQL has no LIKE for dates, uuids or numbers, so neither database gets it.
    if (field.declared != FieldType::String && field.declared != FieldType::Text) {
      refuse(table, field, op, "needs a string or text field");
    }
    if (!operand.is_string()) refuse(table, field, op, "takes a pattern string");
    return fmt::format("{} LIKE {}", column, binder.bind(operand.get<std::string>()));
  }
  refuse(table, field, op, fmt::format("is not an operator; expected one of {}", kOperators));
}

std::string fieldCondition(const QueryTable& table, const QueryField& field, const nlohmann::json& condition,
                           ParamBinder& binder) {
  // A bare value means equality; an object holds operators (a json field's value is never
  // an operator object, but a json field only takes isNull).
  if (!condition.is_object()) return operatorCondition(table, field, "eq", condition, binder);
  if (condition.empty()) refuse(table, field, "{}", fmt::format("is empty; give an operator: {}", kOperators));
  std::vector<std::string> parts;
  for (const auto& [op, operand] : condition.items()) {
    parts.push_back(operatorCondition(table, field, op, operand, binder));
  }
  return parts.size() == 1 ? parts.front() : fmt::format("({})", fmt::join(parts, " AND "));
}

std::string group(const QueryTable& table, std::string_view key, const nlohmann::json& items, ParamBinder& binder,
                  int depth) {
  if (!items.is_array() || items.empty()) {
    throw QueryError(fmt::format("where on '{}': '{}' takes a non-empty array of where objects, not {}", table.model,
                                 key, shown(items)));
  }
  std::vector<std::string> parts;
  for (const auto& item : items) {
    const std::string part = renderWhereAt(table, item, binder, depth + 1);
    parts.push_back(part.empty() ? "1 = 1" : "(" + part + ")");
  }
  return fmt::format("({})", fmt::join(parts, key == "and" ? " AND " : " OR "));
}
// An object whose keys are all operators tests a value ({"in": [1, 2]}); any other object
// on a relation field is a where on the related model ({"name": "Ada"}).
bool isOperatorObject(const nlohmann::json& value) {
  if (!value.is_object() || value.empty()) return false;
  for (const auto& [key, operand] : value.items()) {
    if (std::find(std::begin(kOperatorNames), std::end(kOperatorNames), key) == std::end(kOperatorNames)) return false;
  }
  return true;
}

// The relation `key` filters by, or nullptr when the condition is on a column: a scalar or
// an operator object on a belongsTo field still means its key.
const QueryRelation* relationFilter(const QueryTable& table, const std::string& key, const nlohmann::json& value) {
  const QueryRelation* relation = table.relation(key);
  if (!relation) return nullptr;
  if (relation->many) return relation;
  return value.is_object() && !isOperatorObject(value) ? relation : nullptr;
}

// `column IN (SELECT key FROM target WHERE ...)`: an IN subquery rather than EXISTS, so that
// the inner columns need no alias even when the target is the same table.
std::string relationCondition(const QueryTable& table, const QueryRelation& relation, const nlohmann::json& value,
                              ParamBinder& binder, int depth) {
  const Dialect& dialect = binder.dialect();
  const auto target = queryTable(relation.target);
  const QueryField* targetKey = target->primaryKey();
  if (!targetKey) throw QueryError(fmt::format("where on '{}': '{}' relates to a model without a key", table.model, relation.name));
  // On a manyToMany field a key or an operator object tests the target's key.
  const nlohmann::json inner =
      relation.many && (!value.is_object() || isOperatorObject(value)) ? nlohmann::json{{targetKey->name, value}} : value;
  const std::string condition = renderWhereAt(*target, inner, binder, depth + 1);
  std::string rows = fmt::format("SELECT {} FROM {}", dialect.quoteIdentifier(targetKey->column),
                                 dialect.quoteIdentifier(target->model));
  if (!condition.empty()) rows += " WHERE " + condition;
  if (!relation.many) return fmt::format("{} IN ({})", dialect.quoteIdentifier(relation.column), rows);
  const QueryField* ownerKey = table.primaryKey();
  return fmt::format("{} IN (SELECT {} FROM {} WHERE {} IN ({}))", dialect.quoteIdentifier(ownerKey->column),
                     dialect.quoteIdentifier(relation.ownerColumn), dialect.quoteIdentifier(relation.pivot),
                     dialect.quoteIdentifier(relation.targetColumn), rows);
}

std::string renderWhereAt(const QueryTable& table, const nlohmann::json& where, ParamBinder& binder, int depth) {
  if (depth > kMaxWhereDepth) {
    throw QueryError(fmt::format("where on '{}' nests and/or/not more than {} levels deep; flatten it (an 'in' list "
                                 "or one 'or' of many conditions)",
                                 table.model, kMaxWhereDepth));
  }
  if (!where.is_object()) {
    throw QueryError(fmt::format("where on '{}' takes an object of conditions, not {}", table.model, shown(where)));
  }
  std::vector<std::string> parts;
  // Keys come in sorted order (nlohmann::json objects are sorted), so the SQL and the
  // parameter order are the same for the same query.
  for (const auto& [key, value] : where.items()) {
    const std::string_view logical = logicalKey(table, key);
    if (logical == "and" || logical == "or") {
      parts.push_back(group(table, logical, value, binder, depth));
    } else if (logical == "not") {
      const std::string inner = renderWhereAt(table, value, binder, depth + 1);
      if (inner.empty()) {
        throw QueryError(fmt::format("where on '{}': 'not' needs at least one condition", table.model));
      }
      parts.push_back(fmt::format("NOT ({})", inner));
    } else if (const QueryRelation* relation = relationFilter(table, key, value)) {
      parts.push_back(relationCondition(table, *relation, value, binder, depth));
    } else {
      parts.push_back(fieldCondition(table, table.at(key), value, binder));
    }
  }
  return fmt::format("{}", fmt::join(parts, " AND "));
}
}  // namespace

std::string renderWhere(const QueryTable& table, const nlohmann::json& where, ParamBinder& binder) {
  return renderWhereAt(table, where, binder, 0);
}

}  // namespace detail
JSORM_NAMESPACE_END
