#pragma once
/// For adapters: the columns of the table a catalog lookup read last, so that a reader's
/// `hasTable` and `hasColumn` calls in a row (the runner asks for the tracking table, then
/// for each of its optional columns) cost one round trip instead of one each.

#include <jsorm/api.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// Valid only until the connection sends anything else: the adapter calls `forget()` on
/// every round trip, since any statement may be DDL and a rollback may undo some.
class TableColumnsMemo {
 public:
  /// A table's columns, or nullopt when there is no such table.
  using Columns = std::optional<std::vector<std::string>>;

  /// What was remembered for `table`, or null when nothing is.
  const Columns* find(const std::string& table) const noexcept { return table_ && *table_ == table ? &columns_ : nullptr; }

  /// Call after the catalog round trip that read them (which forgot the previous table).
  const Columns& remember(std::string table, Columns columns) {
    table_ = std::move(table);
    columns_ = std::move(columns);
    return columns_;
  }

  void forget() noexcept { table_.reset(); }

 private:
  std::optional<std::string> table_;
  Columns columns_;
};

JSORM_NAMESPACE_END
