#pragma once
/// Rows read through a model: each cell typed by its field, with accessors that refuse a
/// field the row lacks or a type the field does not have.

#include <jsorm/adapter.hpp>
#include <jsorm/api.hpp>
#include <jsorm/query.hpp>
#include <jsorm/value.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// One result row. Cells are read into one form on every database (docs/models.md, "Values
/// read back"): booleans as bool, decimals as text with the declared scale ("12.50"),
/// timestamps as `YYYY-MM-DDTHH:MM:SS.ffffff`, json as its document's compact text.
class JSORM_API Row {
 public:
  Row(std::shared_ptr<const QueryTable> table, std::vector<const QueryField*> fields, std::vector<Value> cells);

  /// Whether the row holds `field` (it was selected).
  bool has(std::string_view field) const noexcept;
  bool isNull(std::string_view field) const;
  /// The field's type, or CellType::Null when the cell is NULL.
  CellType type(std::string_view field) const;

  std::int64_t integer(std::string_view field) const;
  /// A real or decimal field as a double (a decimal of more than 15 digits loses some).
  double real(std::string_view field) const;
  /// A decimal field's exact digits with its declared scale ("12.50" for decimal(10, 2), on
  /// every database; digits beyond the scale that the database kept are kept too), or a
  /// real field's shortest exact spelling.
  std::string decimal(std::string_view field) const;
  std::string text(std::string_view field) const;
  bool boolean(std::string_view field) const;
  /// `YYYY-MM-DDTHH:MM:SS.ffffff` (always six fraction digits, no zone), on every database.
  std::string timestamp(std::string_view field) const;
  /// The JSON document a json field holds.
  nlohmann::json json(std::string_view field) const;
  Bytes bytes(std::string_view field) const;

  /// `get<std::int64_t>("id")`, `get<std::optional<std::string>>("email")`: the accessor
  /// matching T; an optional is empty for NULL instead of throwing.
  template <class T>
  T get(std::string_view field) const;

  /// The cell as normalised, without type checks.
  const Value& value(std::string_view field) const;
  /// Field names in result order.
  std::vector<std::string> fields() const;
  /// The row as a JSON object (bytes as JSON binary, decimals as text); an included
  /// relation replaces its field: an object or null for belongsTo, an array for manyToMany.
  nlohmann::json toJson() const;

  /// The row a belongsTo relation the query included points to; empty when the key is NULL
  /// or names no row. Throws QueryError when `relation` was not included or is not a
  /// belongsTo field.
  std::optional<Row> related(std::string_view relation) const;
  /// The rows of a manyToMany relation the query included, ordered by their key.
  std::vector<Row> relatedAll(std::string_view relation) const;
  /// Whether the query included `relation`.
  bool hasRelated(std::string_view relation) const noexcept;
  /// Sets an included relation's rows (what `get` does for `include`).
  void setRelated(const QueryRelation& relation, std::vector<Row> rows);

 private:
  struct Included {
    const QueryRelation* relation;
    std::vector<Row> rows;
  };

  std::size_t indexOf(std::string_view field) const;
  const Value& expect(std::string_view field, CellType wanted) const;
  const Included& included(std::string_view relation, bool many) const;

  std::shared_ptr<const QueryTable> table_;
  std::vector<const QueryField*> fields_;
  std::vector<Value> cells_;
  std::vector<Included> included_;
};

/// The rows of a select's result, typed by the statement's fields.
JSORM_API std::vector<Row> rowsOf(const BoundStatement& statement, ResultSet result);

namespace detail {
template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {
  using type = T;
};
}  // namespace detail

template <class T>
T Row::get(std::string_view field) const {
  if constexpr (detail::IsOptional<T>::value) {
    if (isNull(field)) return std::nullopt;
    return get<typename detail::IsOptional<T>::type>(field);
  } else if constexpr (std::is_same_v<T, bool>) {
    return boolean(field);
  } else if constexpr (std::is_integral_v<T>) {
    return static_cast<T>(integer(field));
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(real(field));
  } else if constexpr (std::is_same_v<T, std::string>) {
    // Timestamps are text too; anything else keeps its own accessor's error.
    return type(field) == CellType::Timestamp ? timestamp(field) : text(field);
  } else if constexpr (std::is_same_v<T, Bytes>) {
    return bytes(field);
  } else {
    static_assert(std::is_same_v<T, nlohmann::json>, "Row::get supports integers, floating point, bool, "
                                                      "std::string, Bytes, nlohmann::json and std::optional of them");
    return json(field);
  }
}

JSORM_NAMESPACE_END
