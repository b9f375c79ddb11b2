#include "query_internal.hpp"

#include <jsorm/error.hpp>
#include <jsorm/row.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

JSORM_NAMESPACE_BEGIN

namespace {
const char* heldName(const Value& value) {
  switch (value.index()) {
    case 0: return "NULL";
    case 1: return "a boolean";
    case 2: return "an integer";
    case 3: return "a real";
    case 4: return "text";
    default: return "bytes";
  }
}

// Which alternative of Value a cell of each type holds once normalised.
std::size_t alternativeOf(CellType type) {
  switch (type) {
    case CellType::Boolean: return 1;
    case CellType::Integer: return 2;
    case CellType::Real: return 3;
    case CellType::Bytes: return 5;
    case CellType::Null: return 0;
    default: return 4;
  }
}

}  // namespace

Row::Row(std::shared_ptr<const QueryTable> table, std::vector<const QueryField*> fields, std::vector<Value> cells)
    : table_(std::move(table)), fields_(std::move(fields)), cells_(std::move(cells)) {
  if (cells_.size() != fields_.size()) {
    throw QueryError(fmt::format("a row of '{}' has {} cells for {} fields", table_->model, cells_.size(),
                                 fields_.size()));
  }
  for (std::size_t i = 0; i < cells_.size(); ++i) {
    cells_[i] = detail::normaliseCell(*fields_[i], std::move(cells_[i]));
  }
}

std::size_t Row::indexOf(std::string_view name) const {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i]->name == name) return i;
  }
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i]->column == name) return i;
  }
  if (table_->find(std::string(name))) {
    throw QueryError(fmt::format("the row of '{}' does not hold '{}': it was not selected", table_->model, name));
  }
  table_->at(std::string(name));  // throws, listing the model's fields
  throw QueryError(fmt::format("model '{}' has no field '{}'", table_->model, name));
}

bool Row::has(std::string_view name) const noexcept {
  for (const auto* field : fields_) {
    if (field->name == name || field->column == name) return true;
  }
  return false;
}

bool Row::isNull(std::string_view field) const { return std::holds_alternative<std::monostate>(value(field)); }

CellType Row::type(std::string_view field) const {
  const std::size_t i = indexOf(field);
  return std::holds_alternative<std::monostate>(cells_[i]) ? CellType::Null : fields_[i]->type;
}

const Value& Row::value(std::string_view field) const { return cells_[indexOf(field)]; }

const Value& Row::expect(std::string_view name, CellType wanted) const {
  const std::size_t i = indexOf(name);
  const QueryField& field = *fields_[i];
  const Value& cell = cells_[i];
  if (field.type != wanted) {
    throw QueryError(fmt::format("{}.{} is typed {}, not {}; read it with {}()", table_->model, field.name,
                                 cellTypeName(field.type), cellTypeName(wanted), cellTypeName(field.type)));
  }
  if (std::holds_alternative<std::monostate>(cell)) {
    throw QueryError(fmt::format("{}.{} is NULL; test isNull() first or read it as std::optional", table_->model,
                                 field.name));
  }
  if (cell.index() != alternativeOf(wanted)) {
    throw QueryError(fmt::format("{}.{} is typed {} but the database returned {} for it", table_->model, field.name,
                                 cellTypeName(wanted), heldName(cell)));
  }
  return cell;
}

std::int64_t Row::integer(std::string_view field) const {
  return std::get<std::int64_t>(expect(field, CellType::Integer));
}
double Row::real(std::string_view field) const {
  const std::size_t i = indexOf(field);
  // A decimal too precise for a double is held as text; real() is asked for a double anyway.
  if (fields_[i]->declared == FieldType::Decimal) {
    if (const auto* text = std::get_if<std::string>(&cells_[i])) {
      double v = 0;
      std::from_chars(text->data(), text->data() + text->size(), v);
      return v;
    }
  }
  return std::get<double>(expect(field, CellType::Real));
}

std::string Row::decimal(std::string_view field) const {
  const std::size_t i = indexOf(field);
  if (fields_[i]->declared == FieldType::Decimal) {
    if (const auto* text = std::get_if<std::string>(&cells_[i])) return *text;
  }
  return fmt::format("{}", real(field));
}
std::string Row::text(std::string_view field) const { return std::get<std::string>(expect(field, CellType::Text)); }
bool Row::boolean(std::string_view field) const { return std::get<bool>(expect(field, CellType::Boolean)); }
std::string Row::timestamp(std::string_view field) const {
  return std::get<std::string>(expect(field, CellType::Timestamp));
}
Bytes Row::bytes(std::string_view field) const { return std::get<Bytes>(expect(field, CellType::Bytes)); }

nlohmann::json Row::json(std::string_view field) const {
  const auto& text = std::get<std::string>(expect(field, CellType::Json));
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw QueryError(fmt::format("{}.{} holds text that is not JSON: {}", table_->model, field, e.what()));
  }
}

std::vector<std::string> Row::fields() const {
  std::vector<std::string> names;
  for (const auto* field : fields_) names.push_back(field->name);
  return names;
}

nlohmann::json Row::toJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Value& cell = cells_[i];
    nlohmann::json& slot = out[fields_[i]->name];
    if (fields_[i]->type == CellType::Json && std::holds_alternative<std::string>(cell)) {
      slot = nlohmann::json::parse(std::get<std::string>(cell), nullptr, false);
      if (!slot.is_discarded()) continue;
    }
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) slot = nullptr;
          else if constexpr (std::is_same_v<T, Bytes>) slot = nlohmann::json::binary(v);
          else slot = v;
        },
        cell);
  }
  // An included relation takes its field's place (a belongsTo's key becomes its row).
  for (const auto& [relation, rows] : included_) {
    nlohmann::json& slot = out[relation->name];
    if (relation->many) {
      slot = nlohmann::json::array();
      for (const auto& row : rows) slot.push_back(row.toJson());
    } else {
      slot = rows.empty() ? nlohmann::json() : rows.front().toJson();
    }
  }
  return out;
}

bool Row::hasRelated(std::string_view relation) const noexcept {
  return std::any_of(included_.begin(), included_.end(),
                     [&](const Included& included) { return included.relation->name == relation; });
}

void Row::setRelated(const QueryRelation& relation, std::vector<Row> rows) {
  for (auto& included : included_) {
    if (included.relation->name == relation.name) {
      included.rows = std::move(rows);
      return;
    }
  }
  included_.push_back(Included{&relation, std::move(rows)});
}

const Row::Included& Row::included(std::string_view name, bool many) const {
  const QueryRelation& relation = table_->relationAt(name, fmt::format("reading the row of '{}'", table_->model));
  if (relation.many != many) {
    throw QueryError(fmt::format("{}.{} is a {} relation; read it with {}(\"{}\")", table_->model, name,
                                 relation.many ? "manyToMany" : "belongsTo", relation.many ? "relatedAll" : "related",
                                 name));
  }
  for (const auto& included : included_) {
    if (included.relation->name == name) return included;
  }
  throw QueryError(fmt::format("the row of '{}' does not hold the relation '{}': add \"include\": [\"{}\"] to the query",
                               table_->model, name, name));
}

std::optional<Row> Row::related(std::string_view relation) const {
  const auto& rows = included(relation, false).rows;
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::vector<Row> Row::relatedAll(std::string_view relation) const { return included(relation, true).rows; }

std::vector<Row> rowsOf(const BoundStatement& statement, ResultSet result) {
  std::vector<Row> rows;
  rows.reserve(result.rows.size());
  for (auto& cells : result.rows) {
    // The key columns an include loads by follow the selected fields; the row holds only these.
    cells.resize(std::min(cells.size(), statement.fields.size()));
    rows.emplace_back(statement.table, statement.fields, std::move(cells));
  }
  return rows;
}

JSORM_NAMESPACE_END
