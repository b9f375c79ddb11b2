#include <jsorm/error.hpp>
#include <jsorm/row.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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

// A double holds 15 significant decimal digits exactly; a decimal with more stays text.
bool fitsDouble(std::string_view decimal) {
  int significant = 0;
  bool leading = true;
  for (char c : decimal) {
    if (c < '0' || c > '9') continue;
    if (leading && c == '0') continue;
    leading = false;
    ++significant;
  }
  // Trailing zeros of a fraction carry no digits ("1.50" is 1.5).
  if (decimal.find('.') != std::string_view::npos) {
    for (auto it = decimal.rbegin(); it != decimal.rend() && *it == '0'; ++it) --significant;
  }
  return significant <= 15;
}

// Lossless conversions only: SQLite keeps booleans as 0/1, PostgreSQL returns numeric as
// text, and a column an existing database declared loosely may hold 3.0 for 3. A decimal
// whose digits a double cannot hold stays text (PostgreSQL keeps 40 digits exactly).
Value normalise(const QueryField& field, Value cell) {
  if (const auto* i = std::get_if<std::int64_t>(&cell)) {
    if (field.type == CellType::Real) return static_cast<double>(*i);
    if (field.type == CellType::Boolean && (*i == 0 || *i == 1)) return *i == 1;
  } else if (const auto* d = std::get_if<double>(&cell)) {
    if (field.type == CellType::Integer && std::trunc(*d) == *d && std::abs(*d) < 9.2e18) {
      return static_cast<std::int64_t>(*d);
    }
  } else if (const auto* s = std::get_if<std::string>(&cell)) {
    const char* end = s->data() + s->size();
    if (field.type == CellType::Real) {
      if (field.declared == FieldType::Decimal && !fitsDouble(*s)) return cell;
      double v = 0;
      if (auto r = std::from_chars(s->data(), end, v); r.ec == std::errc{} && r.ptr == end) return v;
    } else if (field.type == CellType::Integer) {
      std::int64_t v = 0;
      if (auto r = std::from_chars(s->data(), end, v); r.ec == std::errc{} && r.ptr == end) return v;
    }
  }
  return cell;
}
}  // namespace

Row::Row(std::shared_ptr<const QueryTable> table, std::vector<const QueryField*> fields, std::vector<Value> cells)
    : table_(std::move(table)), fields_(std::move(fields)), cells_(std::move(cells)) {
  if (cells_.size() != fields_.size()) {
    throw QueryError(fmt::format("a row of '{}' has {} cells for {} fields", table_->model, cells_.size(),
                                 fields_.size()));
  }
  for (std::size_t i = 0; i < cells_.size(); ++i) cells_[i] = normalise(*fields_[i], std::move(cells_[i]));
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
  return out;
}

std::vector<Row> rowsOf(const BoundStatement& statement, ResultSet result) {
  std::vector<Row> rows;
  rows.reserve(result.rows.size());
  for (auto& cells : result.rows) rows.emplace_back(statement.table, statement.fields, std::move(cells));
  return rows;
}

JSORM_NAMESPACE_END
