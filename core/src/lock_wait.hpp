#pragma once
// A migration's statement that gave up waiting for a table lock (RunOptions::ddlLockTimeout):
// what it waited for, and how long the runner pauses before trying the migration again.

#include <jsorm/adapter.hpp>
#include <jsorm/error.hpp>
#include <jsorm/step.hpp>

#include <chrono>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// Thrown inside the migration's transaction; the runner rolls back and retries.
struct LockWaitTimedOut {
  std::size_t step = 0;
  std::string statement;
  SqlError error;
};

/// The tables a step's statements lock: its own and, for a new foreign key, the referenced
/// one (PostgreSQL locks both). Empty for raw SQL, whose tables jsorm does not know.
std::vector<std::string> tablesLockedBy(const Step& step);

/// "table \"a\" (held by pid 42: AccessShareLock, idle in transaction, application psql)",
/// asking the database who holds locks on `tables` now; just the tables when it cannot tell.
std::string lockHoldersOf(Connection& connection, const std::vector<std::string>& tables);

/// The pause before retry `retry` (1-based): 0.5 s doubling up to 30 s, with up to a
/// quarter of random spread so a fleet of runners does not retry in step.
std::chrono::milliseconds retryPause(int retry);

}  // namespace detail
JSORM_NAMESPACE_END
