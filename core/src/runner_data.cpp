// Data steps: C++ a migration runs against the runner's own connection, through the query
// runtime (`t.data`), where the rest of the migration's statements run.

#include <jsorm/database_handle.hpp>
#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>

#include "lock_wait.hpp"
#include "runner_journal.hpp"

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN

void Runner::runData(const Migration& migration, const Steps& steps, std::size_t i,
                     const std::function<void(Database&)>& callback, const std::vector<std::string>& alsoInTransaction) {
  const Dialect& dialect = connection_.dialect();
  // The dialect's placeholder: what a dry run and the plan show for the step.
  const std::string shown = dialect.render(steps[i]).front().sql;
  auto body = [&] {
    options_.observer->statement(shown);
    // The code talks to the connection directly: what waits in the queue (BEGIN, earlier
    // statements) is sent first.
    flushQueue();
    if (!options_.dryRun) {
      // The handle borrows the runner's connection (the deleter does nothing) and knows a
      // transaction is open, so the code's own transaction() calls become savepoints.
      Database db = Database::insideTransaction(std::shared_ptr<Connection>(&connection_, [](Connection*) {}));
      try {
        callback(db);
      } catch (const SqlError& e) {
        if (lockWaitBounded_ && dialect.isLockWaitTimeout(e.sqlState())) {
          throw detail::LockWaitTimedOut{i, e.statement(), e};
        }
        throw detail::stepFailure(migration, steps, i, e, e.statement());
      } catch (const MigrationError&) {
        throw;
      } catch (const std::exception& e) {
        throw MigrationError(migration.name, fmt::format("migration '{}' failed at step {} of {} ({}): {}",
                                                         migration.name, i + 1, steps.size(), steps[i].describe(),
                                                         e.what()));
      }
    }
    for (const auto& sql : alsoInTransaction) run(sql);
  };
  // A migration outside a transaction (`.transaction = false`, or a database whose DDL
  // commits on its own) still runs each data step atomically: in a transaction of its own.
  if (transactionOpen_) body();
  else inTransaction(body);
}

JSORM_NAMESPACE_END
