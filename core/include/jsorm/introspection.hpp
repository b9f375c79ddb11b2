#pragma once
/// What every adapter's Connection::introspect shares: reading a raw column type and
/// finishing a live snapshot, so that the rules are the same for every database.

#include <jsorm/api.hpp>
#include <jsorm/snapshot.hpp>

#include <map>
#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// A raw column type split into its name and numeric arguments:
/// "numeric(12,2)" is {"numeric", {12, 2}}, "timestamp(6) without time zone" is
/// {"timestamp without time zone", {6}}.
struct RawType {
  std::string name;
  std::vector<int> arguments;
};

/// Lower case, single spaces, no space inside the parentheses: "NUMERIC(12, 2)" is
/// "numeric(12,2)".
JSORM_API std::string normalRawType(std::string_view rawType);
JSORM_API RawType splitRawType(std::string_view rawType);

/// The jsorm type a raw type most likely holds, judged by its name alone. Where several
/// jsorm types share one database type (SQLite's "text" holds text, json and uuid) the
/// likeliest wins; adapters refine what they know more about (a MariaDB json_valid check).
JSORM_API FieldType likelyFieldType(const RawType& rawType);

/// Sets column.rawType (normalised), type, and length (string) or precision and scale
/// (decimal) from the type the database reports.
JSORM_API void describeRawType(ColumnSnapshot& column, std::string_view rawType);

/// Sorts tables and each table's indexes by name, and marks a column unique or index when
/// a single-column unique or non-unique index covers exactly it.
JSORM_API void finishIntrospection(SchemaSnapshot& schema);

/// A live schema being filled in from catalog rows that name their table and column.
class JSORM_API IntrospectedSchema {
 public:
  /// Starts with these tables, empty; rows naming any other table are ignored.
  explicit IntrospectedSchema(const std::vector<std::string>& tables);

  /// The table, or null when it is not one of the tables given.
  TableSnapshot* table(const std::string& name);
  /// The column, or null when its table or the column is unknown.
  ColumnSnapshot* column(const std::string& table, const std::string& name);
  std::map<std::string, TableSnapshot>& tables() noexcept { return tables_; }

  /// The snapshot, finished by finishIntrospection.
  SchemaSnapshot finish() &&;

 private:
  std::map<std::string, TableSnapshot> tables_;
};

JSORM_NAMESPACE_END
