#pragma once
/// Queries checked against a model: jsorm's JSON query objects compiled to SQL text and
/// bound parameters for one dialect. Nothing here touches a database.

#include <jsorm/api.hpp>
#include <jsorm/dialect.hpp>
#include <jsorm/model.hpp>
#include <jsorm/value.hpp>

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// How a field's values are checked when written and typed when read.
enum class CellType { Null, Integer, Real, Text, Boolean, Timestamp, Json, Bytes };

/// "integer", "real", "text", ... for messages.
JSORM_API const char* cellTypeName(CellType type) noexcept;

/// A field of a model as a query sees it: the column behind it and its cell type.
/// A belongsTo field `role` is the column `role_id`, typed as the target's key.
struct QueryField {
  std::string name;
  std::string column;
  CellType type = CellType::Integer;
  FieldType declared = FieldType::Number;  ///< the column's own field type (belongsTo resolved)
  bool optional = false;
  bool hasDefault = false;
  bool generated = false;  ///< a number/bigint primary key the database fills in
  bool primary = false;
};

/// The fields of one model that queries may name, in declaration order.
struct QueryTable {
  std::string model;  ///< the model's table name, for messages
  std::vector<QueryField> fields;

  /// The field called `name`, or nullptr.
  const QueryField* find(const std::string& name) const noexcept;
  /// The field called `name`; throws QueryError naming the model's fields when there is none.
  const QueryField& at(const std::string& name) const;
  const QueryField* primaryKey() const noexcept;
};

/// The query view of a model (manyToMany fields have no column and are left out).
/// Throws QueryError when the model has definition errors.
JSORM_API std::shared_ptr<const QueryTable> queryTable(const Model& model);

/// SQL text with its parameters; `fields` are the result columns of a select, in order.
struct BoundStatement {
  std::string sql;
  std::vector<Value> params;
  std::vector<const QueryField*> fields;
  std::shared_ptr<const QueryTable> table;  ///< keeps `fields` alive
};

/// `{select, where, orderBy, limit, offset}` -> SELECT.
JSORM_API BoundStatement compileSelect(const Model& model, const nlohmann::json& query, const Dialect& dialect);
/// `{where}` -> SELECT COUNT(*).
JSORM_API BoundStatement compileCount(const Model& model, const nlohmann::json& query, const Dialect& dialect);
/// One row `{field: value, ...}` -> INSERT ... RETURNING the primary key (if the model has one).
JSORM_API BoundStatement compileInsert(const Model& model, const nlohmann::json& row, const Dialect& dialect);
/// `{set, where}` -> UPDATE ... RETURNING 1 (one result row per row changed).
JSORM_API BoundStatement compileUpdate(const Model& model, const nlohmann::json& query, const Dialect& dialect);
/// `{where}` -> DELETE ... RETURNING 1 (one result row per row removed).
JSORM_API BoundStatement compileRemove(const Model& model, const nlohmann::json& query, const Dialect& dialect);

JSORM_NAMESPACE_END
