#include "query_internal.hpp"

#include <jsorm/error.hpp>
#include <jsorm/spelling.hpp>
#include <jsorm/step.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

JSORM_NAMESPACE_BEGIN

const char* cellTypeName(CellType type) noexcept {
  switch (type) {
    case CellType::Null: return "null";
    case CellType::Integer: return "integer";
    case CellType::Real: return "real";
    case CellType::Text: return "text";
    case CellType::Boolean: return "boolean";
    case CellType::Timestamp: return "timestamp";
    case CellType::Json: return "json";
    case CellType::Bytes: return "bytes";
  }
  return "unknown";
}

namespace {
CellType cellTypeOf(FieldType type) {
  switch (type) {
    case FieldType::Real:
    case FieldType::Decimal: return CellType::Real;
    case FieldType::String:
    case FieldType::Text:
    case FieldType::Date:
    case FieldType::Uuid: return CellType::Text;
    case FieldType::Boolean: return CellType::Boolean;
    case FieldType::Timestamp: return CellType::Timestamp;
    case FieldType::Json: return CellType::Json;
    case FieldType::Bytes: return CellType::Bytes;
    default: return CellType::Integer;
  }
}
}  // namespace

const QueryField* QueryTable::find(const std::string& name) const noexcept {
  for (const auto& field : fields) {
    if (field.name == name) return &field;
  }
  // A belongsTo field also answers to its column (`role_id` for `role`), the name a
  // reader of the database sees.
  for (const auto& field : fields) {
    if (field.column == name) return &field;
  }
  return nullptr;
}

const QueryField& QueryTable::at(const std::string& name) const {
  if (const auto* field = find(name)) return *field;
  std::vector<std::string> names;
  for (const auto& field : fields) names.push_back(field.name);
  throw QueryError(fmt::format("model '{}' has no field '{}'; its fields are {}", model, name, fmt::join(names, ", ")));
}

const QueryField* QueryTable::primaryKey() const noexcept {
  for (const auto& field : fields) {
    if (field.primary) return &field;
  }
  return nullptr;
}

const QueryRelation* QueryTable::relation(std::string_view name) const noexcept {
  for (const auto& relation : relations) {
    if (relation.name == name) return &relation;
  }
  return nullptr;
}

const QueryRelation& QueryTable::relationAt(std::string_view name, std::string_view operation) const {
  if (const auto* found = relation(name)) return *found;
  std::vector<std::string> names;
  for (const auto& relation : relations) names.push_back(relation.name);
  if (names.empty()) {
    throw QueryError(fmt::format("{}: '{}' is not a relation; model '{}' has no belongsTo or manyToMany field",
                                 operation, name, model));
  }
  const auto near = nearestNames(name, names, 1);
  const std::string hint = near.empty() ? "" : fmt::format("did you mean '{}'? ", near.front());
  const std::string what = find(std::string(name)) ? "is a plain field, not a relation" : "is not a relation";
  throw QueryError(fmt::format("{}: '{}' {}; {}its relations are {}", operation, name, what, hint,
                               fmt::join(names, ", ")));
}

namespace {
// The relation fields, with the pivot tables as resolveTable names them (one home for the
// pivot's table and column names).
std::vector<QueryRelation> relationsOf(const Model& model, const std::vector<QueryField>& fields) {
  std::vector<QueryRelation> out;
  std::vector<TableDef> pivots;
  std::size_t nextPivot = 0;
  for (const auto& [name, field] : model.fields()) {
    const FieldSpec& spec = field.spec();
    if (spec.type != FieldType::BelongsTo && spec.type != FieldType::ManyToMany) continue;
    QueryRelation relation;
    relation.name = name;
    relation.target = Model(spec.target);
    if (spec.type == FieldType::BelongsTo) {
      for (const auto& column : fields) {
        if (column.name == name) relation.column = column.column;
      }
    } else {
      if (pivots.empty()) pivots = resolveTable(model).pivots;
      const TableDef& pivot = pivots.at(nextPivot++);
      relation.many = true;
      relation.pivot = pivot.name;
      relation.ownerColumn = pivot.columns.at(0).name;
      relation.targetColumn = pivot.columns.at(1).name;
    }
    out.push_back(std::move(relation));
  }
  return out;
}
}  // namespace

std::shared_ptr<const QueryTable> queryTable(const Model& model) {
  if (!model.errors().empty()) {
    throw QueryError(fmt::format("model '{}' is invalid: {}", model.table(), fmt::join(model.errors(), "; ")));
  }
  auto table = std::make_shared<QueryTable>();
  table->model = model.table();
  for (const auto& [name, field] : model.fields()) {
    std::vector<ColumnDef> columns;
    try {
      columns = resolveColumns(model.table(), name, field);
    } catch (const SchemaError& e) {
      throw QueryError(e.what());
    }
    for (const auto& column : columns) {
      const FieldSpec& spec = column.field;
      QueryField out;
      out.name = name;
      out.column = column.name;
      out.type = cellTypeOf(spec.type);
      out.declared = spec.type;
      out.scale = spec.scale;
      out.optional = spec.optional;
      out.hasDefault = spec.defaultValue.has_value() || !spec.defaultSql.empty();
      out.primary = spec.primary;
      out.generated = isGeneratedKey(spec);
      table->fields.push_back(std::move(out));
    }
  }
  try {
    table->relations = relationsOf(model, table->fields);
  } catch (const SchemaError& e) {
    throw QueryError(e.what());
  }
  return table;
}

JSORM_NAMESPACE_END
