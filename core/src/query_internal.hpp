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

namespace jsorm::detail {

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

/// A JSON value as it appears in a message, shortened.
std::string shown(const nlohmann::json& value);

}  // namespace jsorm::detail
