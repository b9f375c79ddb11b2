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
#include <string_view>
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
  int scale = 0;                           ///< a decimal's declared scale
  bool optional = false;
  bool hasDefault = false;
  bool generated = false;  ///< a number/bigint primary key the database fills in
  bool primary = false;
};

/// A relation field of a model: `belongsTo` (a column of this table holding the target's
/// key) or `manyToMany` (a pivot table `<table>_<field>` holding both keys).
struct QueryRelation {
  std::string name;
  bool many = false;         ///< manyToMany
  Model target;
  std::string column;        ///< belongsTo: this table's column holding the target's key
  std::string pivot;         ///< manyToMany: the pivot table
  std::string ownerColumn;   ///< manyToMany: the pivot's column holding this table's key
  std::string targetColumn;  ///< manyToMany: the pivot's column holding the target's key
};

/// The fields of one model that queries may name, in declaration order.
struct QueryTable {
  std::string model;  ///< the model's table name, for messages
  std::vector<QueryField> fields;
  std::vector<QueryRelation> relations;  ///< its belongsTo and manyToMany fields

  /// The relation called `name`, or nullptr.
  const QueryRelation* relation(std::string_view name) const noexcept;
  /// The relation called `name`; throws QueryError (naming the relations, with a "did you
  /// mean") when `name` is not one. `operation` starts the message ("include on 'posts'").
  const QueryRelation& relationAt(std::string_view name, std::string_view operation) const;

  /// The field called `name`, or nullptr.
  const QueryField* find(const std::string& name) const noexcept;
  /// The field called `name`; throws QueryError naming the model's fields when there is none.
  const QueryField& at(const std::string& name) const;
  const QueryField* primaryKey() const noexcept;
};

/// The query view of a model (manyToMany fields have no column: they are relations only).
/// Throws QueryError when the model has definition errors.
JSORM_API std::shared_ptr<const QueryTable> queryTable(const Model& model);

/// SQL text with its parameters; `fields` are the result columns of a select, in order.
struct BoundStatement {
  std::string sql;
  std::vector<Value> params;
  std::vector<const QueryField*> fields;
  std::shared_ptr<const QueryTable> table;  ///< keeps `fields` alive
  /// Result columns after `fields`, not part of the rows: the keys a select's `include`
  /// loads its relations by (one per entry of `include`, in order).
  std::vector<const QueryField*> keys;
  /// The relations a select includes, checked against the model, in the order given.
  std::vector<const QueryRelation*> include;
};

/// `{select, where, orderBy, limit, offset, include}` -> SELECT.
JSORM_API BoundStatement compileSelect(const Model& model, const nlohmann::json& query, const Dialect& dialect);
/// `{where}` -> SELECT COUNT(*).
JSORM_API BoundStatement compileCount(const Model& model, const nlohmann::json& query, const Dialect& dialect);
/// One row `{field: value, ...}` -> INSERT ... RETURNING the primary key (if the model has one).
JSORM_API BoundStatement compileInsert(const Model& model, const nlohmann::json& row, const Dialect& dialect);
/// `{set, where}` -> UPDATE ... RETURNING 1 (one result row per row changed).
JSORM_API BoundStatement compileUpdate(const Model& model, const nlohmann::json& query, const Dialect& dialect);
/// `{where}` -> DELETE ... RETURNING 1 (one result row per row removed).
JSORM_API BoundStatement compileRemove(const Model& model, const nlohmann::json& query, const Dialect& dialect);

/// The rows of a belongsTo relation's target whose key is one of `keys` (an include).
JSORM_API BoundStatement compileRelatedRows(const QueryRelation& relation, const std::vector<Value>& keys,
                                            const Dialect& dialect);
/// The rows of a manyToMany relation's target linked to the owners `ownerKeys` through the
/// pivot, ordered by owner then target key; the owner's key is the one column in `keys`.
/// `ownerKey` is the owner's primary-key field (it must outlive the statement).
JSORM_API BoundStatement compilePivotRows(const QueryRelation& relation, const QueryField& ownerKey,
                                          const std::vector<Value>& ownerKeys, const Dialect& dialect);
/// The pivot rows linking `owner` to each of `targets` that are not linked yet (duplicates
/// skipped as the dialect does it); one result row per row inserted where the dialect
/// counts with RETURNING.
JSORM_API BoundStatement compileAttach(const QueryRelation& relation, const Value& owner,
                                       const std::vector<Value>& targets, const Dialect& dialect);
/// Deletes the pivot rows linking `owner` to `targets` (`keep == false`) or to anything but
/// `targets` (`keep == true`, what sync removes).
JSORM_API BoundStatement compileDetach(const QueryRelation& relation, const Value& owner,
                                       const std::vector<Value>& targets, bool keep, const Dialect& dialect);

JSORM_NAMESPACE_END
