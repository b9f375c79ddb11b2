#pragma once
// A transactional migration's statements, held until COMMIT and then handed to
// Connection::executeAll in one call, so an adapter that can pipeline them
// (PostgreSQL) pays one round trip per migration instead of one per statement.

#include <cstddef>
#include <jsorm/adapter.hpp>
#include <jsorm/migration.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

struct QueuedStatement {
  BatchStatement::Kind kind = BatchStatement::Kind::Sql;
  std::string sql;
  std::optional<std::vector<Value>> params;
  /// The step it renders and that step's migration, for the error that names
  /// them; no migration for BEGIN, COMMIT and the tracking row.
  const Migration* migration = nullptr;
  const Steps* steps = nullptr;
  std::size_t step = 0;
  /// Whether the statement ran under the runner's lock-wait bound (a timeout is
  /// then retried).
  bool lockWaitBounded = false;
};

class StatementQueue {
 public:
  void add(QueuedStatement statement) { queued_.push_back(std::move(statement)); }
  bool empty() const noexcept { return queued_.empty(); }
  /// Everything queued, in order, leaving the queue empty.
  std::vector<QueuedStatement> take() { return std::exchange(queued_, {}); }

 private:
  std::vector<QueuedStatement> queued_;
};

}  // namespace detail
JSORM_NAMESPACE_END
