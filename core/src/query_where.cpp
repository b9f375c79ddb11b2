#include "query_internal.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace jsorm::detail {

namespace {
constexpr const char* kOperators = "eq, ne, gt, gte, lt, lte, in, like, isNull";

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

std::string group(const QueryTable& table, const std::string& key, const nlohmann::json& items, ParamBinder& binder) {
  if (!items.is_array() || items.empty()) {
    throw QueryError(fmt::format("where on '{}': '{}' takes a non-empty array of where objects, not {}", table.model,
                                 key, shown(items)));
  }
  std::vector<std::string> parts;
  for (const auto& item : items) {
    const std::string part = renderWhere(table, item, binder);
    parts.push_back(part.empty() ? "1 = 1" : "(" + part + ")");
  }
  return fmt::format("({})", fmt::join(parts, key == "and" ? " AND " : " OR "));
}
}  // namespace

std::string renderWhere(const QueryTable& table, const nlohmann::json& where, ParamBinder& binder) {
  if (!where.is_object()) {
    throw QueryError(fmt::format("where on '{}' takes an object of conditions, not {}", table.model, shown(where)));
  }
  std::vector<std::string> parts;
  // Keys come in sorted order (nlohmann::json objects are sorted), so the SQL and the
  // parameter order are the same for the same query.
  for (const auto& [key, value] : where.items()) {
    if (key == "and" || key == "or") {
      parts.push_back(group(table, key, value, binder));
    } else if (key == "not") {
      const std::string inner = renderWhere(table, value, binder);
      if (inner.empty()) {
        throw QueryError(fmt::format("where on '{}': 'not' needs at least one condition", table.model));
      }
      parts.push_back(fmt::format("NOT ({})", inner));
    } else {
      parts.push_back(fieldCondition(table, table.at(key), value, binder));
    }
  }
  return fmt::format("{}", fmt::join(parts, " AND "));
}

}  // namespace jsorm::detail
