#include <jsorm/snapshot.hpp>

#include "snapshot_of.hpp"

#include <algorithm>
#include <cmath>

JSORM_NAMESPACE_BEGIN

bool sameDefault(const std::optional<Literal>& a, const std::optional<Literal>& b) {
  // NaN is not equal to itself, but an unchanged NaN default is no change.
  if (a && b && std::holds_alternative<double>(*a) && std::holds_alternative<double>(*b) &&
      std::isnan(std::get<double>(*a)) && std::isnan(std::get<double>(*b))) {
    return true;
  }
  return a == b;
}

bool ColumnSnapshot::operator==(const ColumnSnapshot& o) const {
  // renamedFrom is an instruction to the generator, not part of the schema.
  auto referencesEqual = [](const std::optional<ForeignKey>& a, const std::optional<ForeignKey>& b) {
    return a.has_value() == b.has_value() && (!a || (a->table == b->table && a->column == b->column));
  };
  return name == o.name && type == o.type && length == o.length && precision == o.precision && scale == o.scale &&
         nullable == o.nullable && primary == o.primary && unique == o.unique && index == o.index &&
         sameDefault(defaultValue, o.defaultValue) && defaultSql == o.defaultSql && referencesEqual(references, o.references);
}

const ColumnSnapshot* TableSnapshot::column(const std::string& wanted) const {
  for (const auto& c : columns) {
    if (c.name == wanted) return &c;
  }
  return nullptr;
}

const TableSnapshot* SchemaSnapshot::table(const std::string& wanted) const {
  for (const auto& t : tables) {
    if (t.name == wanted) return &t;
  }
  return nullptr;
}

namespace detail {
ColumnSnapshot columnOf(const ColumnDef& column) {
  const FieldSpec& f = column.field;
  ColumnSnapshot c;
  c.name = column.name;
  c.type = f.type;
  c.length = f.type == FieldType::String ? stringLength(f) : 0;
  c.precision = f.precision;
  c.scale = f.scale;
  c.nullable = f.optional && !f.primary;
  c.primary = f.primary;
  c.unique = f.unique && !f.primary;
  c.index = f.index;
  c.defaultValue = f.defaultValue;
  c.defaultSql = f.defaultSql;
  c.references = column.references;
  c.renamedFrom = f.renamedFrom;
  return c;
}

TableSnapshot tableOf(const TableDef& table) {
  TableSnapshot t;
  t.name = table.name;
  t.columns.reserve(table.columns.size());
  for (const auto& column : table.columns) t.columns.push_back(columnOf(column));
  for (const auto& index : table.indexes) t.indexes.push_back({index.name, index.columns, index.unique});
  std::sort(t.indexes.begin(), t.indexes.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return t;
}
}  // namespace detail

using detail::tableOf;

SchemaSnapshot snapshotOf(const std::vector<Model>& models) {
  SchemaSnapshot snapshot;
  for (const Model& model : models) {
    const step::CreateTable resolved = resolveTable(model);
    TableSnapshot table = tableOf(resolved.table);
    table.renamedFrom = model.previousTable();
    snapshot.tables.push_back(std::move(table));
    std::size_t pivot = 0;
    for (const auto& [name, field] : model.fields()) {
      if (field.spec().type != FieldType::ManyToMany) continue;
      TableSnapshot table = tableOf(resolved.pivots.at(pivot++));
      table.pivotOf = model.table() + "." + name;
      snapshot.tables.push_back(std::move(table));
    }
  }
  std::sort(snapshot.tables.begin(), snapshot.tables.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return snapshot;
}

JSORM_NAMESPACE_END
