#pragma once
// Pieces shared by the query compiler's files: binding values, checking them against a
// field, and rendering where-objects.

#include <jsorm/dialect.hpp>
#include <jsorm/query.hpp>

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// Appends parameters and hands back the dialect's placeholder for each.
class ParamBinder {
 public:
  ParamBinder(const Dialect& dialect, std::vector<Value>& params) : dialect_(dialect), params_(params) {}
  std::string bind(Value value);
  const Dialect& dialect() const noexcept { return dialect_; }

 private:
  const Dialect& dialect_;
  std::vector<Value>& params_;
};

/// A JSON value converted for `field`, or QueryError saying what the field takes.
/// JSON null becomes SQL NULL; callers decide whether NULL is allowed.
Value fieldValue(const QueryTable& table, const QueryField& field, const nlohmann::json& value);

/// The SQL condition of a where-object, empty when it has no conditions.
std::string renderWhere(const QueryTable& table, const nlohmann::json& where, ParamBinder& binder);

/// Throws QueryError unless `query` is an object whose keys are all in `allowed`.
void checkQueryKeys(const QueryTable& table, const nlohmann::json& query, std::string_view operation,
                    std::initializer_list<std::string_view> allowed);

/// A key of `table` (its primary key's type), for attach/detach/sync; never null.
Value relationKey(const QueryTable& table, const nlohmann::json& key, std::string_view operation);
/// A key or an array of keys of `target`, checked, each once, in the order given.
std::vector<Value> relationKeys(const QueryTable& target, const nlohmann::json& keys, std::string_view operation);

/// `SELECT key FROM table WHERE key IN (...)`: which of `keys` name a row of `model`.
BoundStatement compileExistingKeys(const Model& model, const std::vector<Value>& keys, const Dialect& dialect);

/// At most this many keys go into one IN list of the statements relations run (under the
/// 32,766 values a statement binds on every database); longer lists run in chunks.
inline constexpr std::size_t kKeysPerStatement = 10000;

/// A cell as the database returned it, in the one form rows hold on every database
/// (row.cpp): what Row does to each cell, and what relation loading compares keys by.
Value normaliseCell(const QueryField& field, Value cell);

/// A JSON value as it appears in a message, shortened.
std::string shown(const nlohmann::json& value);

}  // namespace detail
JSORM_NAMESPACE_END
