#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>

#include "checksum.hpp"
#include "lock_wait.hpp"
#include "runner_journal.hpp"
#include "sqlite_rebuild.hpp"
#include "statement_queue.hpp"
#include "step_journal.hpp"
#include "tracking_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

JSORM_NAMESPACE_BEGIN

const char* migrationStateName(MigrationState state) noexcept {
  switch (state) {
    case MigrationState::Applied: return "applied";
    case MigrationState::Pending: return "pending";
    case MigrationState::Missing: return "missing";
    case MigrationState::Changed: return "changed";
    case MigrationState::Partial: return "partial";
  }
  return "unknown";
}

RunObserver::~RunObserver() = default;
void RunObserver::migrationStarted(const std::string&, Direction) {}
void RunObserver::migrationFinished(const std::string&, Direction, std::chrono::milliseconds) {}
void RunObserver::statement(const std::string&) {}
void RunObserver::stepStarted(std::size_t, const std::string&) {}
void RunObserver::stepFinished(std::size_t) {}
void RunObserver::migrationRetrying(const std::string&, int, int, std::chrono::milliseconds, const std::string&) {}

namespace {
using Clock = std::chrono::steady_clock;

// Holds the migration lock for one run; released on every exit path.
class MigrationLock {
 public:
  MigrationLock(Connection& connection, std::string key, std::chrono::milliseconds timeout)
      : connection_(connection), key_(std::move(key)) {
    connection_.lockMigrations(key_, timeout);
  }
  ~MigrationLock() {
    try {
      connection_.unlockMigrations(key_);
    } catch (...) {
      // The database releases the lock when the connection closes anyway.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  Connection& connection_;
  std::string key_;
};

// A flag that holds `value` until the scope ends, however it ends.
class SetWhileInScope {
 public:
  SetWhileInScope(bool& flag, bool value) : flag_(flag) { flag_ = value; }
  ~SetWhileInScope() { flag_ = false; }
  SetWhileInScope(const SetWhileInScope&) = delete;
  SetWhileInScope& operator=(const SetWhileInScope&) = delete;

 private:
  bool& flag_;
};

// Points the runner's queue at a transaction's own queue until the transaction ends.
class QueueScope {
 public:
  QueueScope(detail::StatementQueue*& slot, detail::StatementQueue* queue) : slot_(slot), saved_(slot) { slot_ = queue; }
  ~QueueScope() { slot_ = saved_; }
  QueueScope(const QueueScope&) = delete;
  QueueScope& operator=(const QueueScope&) = delete;

 private:
  detail::StatementQueue*& slot_;
  detail::StatementQueue* saved_;
};

// Steps that are SQL and nothing else: their statements may wait in the queue. Any other
// (a data step runs C++ against the connection) first sends what is queued.
bool onlySql(const Step& step) {
  return std::visit(
      [](const auto& op) {
        using T = std::decay_t<decltype(op)>;
        return std::is_same_v<T, step::CreateTable> || std::is_same_v<T, step::DropTable> ||
               std::is_same_v<T, step::RenameTable> || std::is_same_v<T, step::AddColumn> ||
               std::is_same_v<T, step::DropColumn> || std::is_same_v<T, step::RenameColumn> ||
               std::is_same_v<T, step::CreateIndex> || std::is_same_v<T, step::DropIndex> ||
               std::is_same_v<T, step::RawSql>;
      },
      step.operation());
}

// Shows a bound statement on a dry run the way it would execute.
std::string inlineParams(const Dialect& dialect, std::string sql, const std::vector<Value>& params) {
  for (std::size_t i = params.size(); i-- > 0;) {
    const std::string mark = dialect.placeholder(static_cast<int>(i + 1));
    std::string shown = std::visit(
        [&](const auto& v) -> std::string {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>) return "NULL";
          else if constexpr (std::is_same_v<T, std::string>) return dialect.quoteString(v);
          else if constexpr (std::is_same_v<T, Bytes>) return "<bytes>";
          else return dialect.literal(Literal(v));
        },
        params[i]);
    if (auto at = sql.rfind(mark); at != std::string::npos) sql.replace(at, mark.size(), shown);
  }
  return sql;
}
}  // namespace

Runner::Runner(Connection& connection, const MigrationSource& source, RunOptions options)
    : Runner(connection, source, options, validate(source)) {}

Runner::Runner(Connection& connection, const MigrationSource& source, RunOptions options, ValidatedSource validated)
    : connection_(connection),
      source_(source),
      options_(options),
      validated_(std::move(validated)),
      journaling_(!connection.dialect().transactionalDdl()) {
  if (!options_.observer) options_.observer = &defaultObserver_;
  if (validated_.checksums.size() != source_.migrations.size()) {
    throw Error(fmt::format("the validation result has {} checksums for {} migrations; pass what validate() returned "
                            "for this source",
                            validated_.checksums.size(), source_.migrations.size()));
  }
}

void Runner::run(const std::string& sql) {
  options_.observer->statement(sql);
  if (options_.dryRun) return;
  if (queue_) queue_->add({.sql = sql});
  else connection_.execute(sql);
}

void Runner::flushQueue() {
  if (!queue_ || queue_->empty()) return;
  const std::vector<detail::QueuedStatement> queued = queue_->take();
  std::vector<BatchStatement> batch;
  batch.reserve(queued.size());
  for (const auto& q : queued) batch.push_back({q.kind, q.sql, q.params ? &*q.params : nullptr});
  try {
    connection_.executeAll(batch);
  } catch (const StatementFailure& failure) {
    const detail::QueuedStatement& failed = queued.at(failure.index());
    if (!failed.migration) throw;  // BEGIN, COMMIT, the tracking row: as when run alone
    if (failed.lockWaitBounded && connection_.dialect().isLockWaitTimeout(failure.sqlState())) {
      throw detail::LockWaitTimedOut{failed.step, failed.sql, failure};
    }
    throw detail::stepFailure(*failed.migration, *failed.steps, failed.step, failure, failed.sql);
  }
}

void Runner::inTransaction(const std::function<void()>& body) {
  // Everything up to COMMIT is queued and sent in one executeAll: on PostgreSQL one round
  // trip per migration instead of one per statement.
  detail::StatementQueue queue;
  const QueueScope queued(queue_, options_.dryRun ? nullptr : &queue);
  options_.observer->statement("BEGIN");
  if (queue_) queue_->add({.kind = BatchStatement::Kind::Begin, .sql = "BEGIN"});
  try {
    {
      const SetWhileInScope open(transactionOpen_, true);
      body();
    }
    options_.observer->statement("COMMIT");
    if (queue_) {
      queue_->add({.kind = BatchStatement::Kind::Commit, .sql = "COMMIT"});
      flushQueue();
    }
  } catch (...) {
    if (!options_.dryRun) {
      try {
        connection_.rollback();
      } catch (...) {
        // Keep the original error; the connection closes with the transaction undone.
      }
    }
    throw;
  }
}

void Runner::ensureTrackingTable() {
  const detail::TrackingTable tracking(connection_.dialect(), source_.migrationTable);
  if (journaling_) {
    const detail::StepJournal journal(connection_.dialect(), source_.migrationTable);
    if (!connection_.hasTable(journal.table())) {
      for (const Statement& statement : journal.createSql()) run(statement.sql);
    }
  }
  if (!connection_.hasTable(source_.migrationTable)) {
    run(tracking.createSql());
    return;
  }
  // A table created by another jsorm has the four standard columns only.
  const auto present = detail::TrackingTable::presentIn(connection_, source_.migrationTable);
  if (!present.checksum) run(tracking.addColumnSql("checksum"));
  if (!present.executionMs) run(tracking.addColumnSql("execution_ms"));
}

void Runner::runBound(const std::string& sql, const std::vector<Value>& params) {
  options_.observer->statement(inlineParams(connection_.dialect(), sql, params));
  if (options_.dryRun) return;
  if (queue_) queue_->add({.sql = sql, .params = params});
  else connection_.execute(sql, params);
}

std::vector<AppliedMigration> Runner::readApplied() {
  if (!connection_.hasTable(source_.migrationTable)) return {};
  // One statement, whichever extra columns the table has: on a dry run, or for a table
  // another tool made, those ensureTrackingTable() would add are still missing.
  const detail::TrackingTable tracking(connection_.dialect(), source_.migrationTable);
  return tracking.parse(connection_.query(tracking.selectSql()));
}

// A failed statement as the one line the CLI prints: the migration, the step, the
// database's message and the statement.
MigrationError detail::stepFailure(const Migration& migration, const Steps& steps, std::size_t i, const SqlError& e,
                                   const std::string& sqlText, const std::string& afterwards) {
  std::string sql = sqlText;
  std::replace(sql.begin(), sql.end(), '\n', ' ');
  return MigrationError(migration.name, fmt::format("migration '{}' failed at step {} of {} ({}): {}{} -- statement: {}{}",
                                                    migration.name, i + 1, steps.size(), steps[i].describe(),
                                                    e.databaseMessage(),
                                                    e.sqlState().empty() ? "" : " [" + e.sqlState() + "]", sql,
                                                    afterwards));
}

void Runner::runStatements(const Migration& migration, const Steps& steps) {
  const Dialect& dialect = connection_.dialect();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    options_.observer->stepStarted(i, steps[i].describe());
    if (!onlySql(steps[i])) flushQueue();
    if (const auto* data = std::get_if<step::Data>(&steps[i].operation())) {
      runData(migration, steps, i, data->up);
      options_.observer->stepFinished(i);
      continue;
    }
    for (const Statement& statement : dialect.render(steps[i])) {
      if (statement.onlyIfColumnExists) {
        flushQueue();  // the column may come from a statement still queued
        if (!connection_.hasColumn(statement.onlyIfColumnExists->table, statement.onlyIfColumnExists->column)) continue;
      }
      if (statement.rebuild) {
        // SQLite's alterColumn: the statements come from the table as it is now.
        flushQueue();
        try {
          detail::rebuildTable(connection_, *statement.rebuild, options_.dryRun,
                               [&](const std::string& sql) { options_.observer->statement(sql); });
        } catch (const SqlError& e) {
          throw detail::stepFailure(migration, steps, i, e, e.statement());
        } catch (const SchemaError& e) {
          throw MigrationError(migration.name, fmt::format("migration '{}' failed at step {} of {}: {}", migration.name,
                                                           i + 1, steps.size(), e.what()));
        }
        continue;
      }
      if (queue_) {
        options_.observer->statement(statement.sql);
        queue_->add({.sql = statement.sql, .migration = &migration, .steps = &steps, .step = i,
                     .lockWaitBounded = lockWaitBounded_});
        continue;
      }
      try {
        run(statement.sql);
      } catch (const SqlError& e) {
        if (lockWaitBounded_ && dialect.isLockWaitTimeout(e.sqlState())) {
          throw detail::LockWaitTimedOut{i, statement.sql, e};
        }
        throw detail::stepFailure(migration, steps, i, e, statement.sql);
      }
    }
    options_.observer->stepFinished(i);
  }
}

void Runner::runMigration(const Migration& migration, const Steps& steps, Direction direction, std::int64_t batch,
                          const std::string& sum, const detail::MigrationJournal* done) {
  options_.observer->migrationStarted(migration.name, direction);
  const auto started = Clock::now();
  if (journaling_) {
    if (direction == Direction::Up) runJournaled(migration, steps, batch, sum, done);
    else if (done) reverseJournaled(migration, *done);
    else rollBackJournaled(migration);
    options_.observer->migrationFinished(
        migration.name, direction, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started));
    return;
  }
  const bool transactional =
      migration.transaction && std::none_of(steps.begin(), steps.end(), [](const Step& s) { return s.needsNoTransaction(); });
  const detail::TrackingTable tracking(connection_.dialect(), source_.migrationTable);

  auto record = [&] {
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    if (direction == Direction::Up) {
      runBound(tracking.insertSql(), {migration.name, batch, sum, static_cast<std::int64_t>(took.count())});
    } else {
      runBound(tracking.deleteSql(), {migration.name});
    }
  };

  // SQLite's table rebuild needs foreign keys off, which only works outside a transaction.
  const detail::ForeignKeysOffForRebuild foreignKeys(connection_, steps, options_.dryRun, *options_.observer);
  if (!transactional) {
    // Outside a transaction the row is written only once every statement succeeded: a
    // failure leaves the migration pending, with whatever its statements already did.
    runStatements(migration, steps);
    record();
  } else {
    runInTransactionRetrying(migration, steps, record);
  }
  options_.observer->migrationFinished(
      migration.name, direction, std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started));
}

void Runner::runInTransactionRetrying(const Migration& migration, const Steps& steps,
                                      const std::function<void()>& record) {
  const std::string limitSql =
      options_.ddlLockTimeout ? connection_.dialect().lockWaitLimitSql(*options_.ddlLockTimeout) : std::string();
  for (int retry = 1;; ++retry) {
    try {
      inTransaction([&] {
        if (!limitSql.empty()) run(limitSql);
        {
          const SetWhileInScope bounded(lockWaitBounded_, !limitSql.empty());
          runStatements(migration, steps);
        }
        record();
      });
      return;
    } catch (const detail::LockWaitTimedOut& timedOut) {
      const Step& step = steps[timedOut.step];
      const std::string waitedFor = detail::lockHoldersOf(connection_, detail::tablesLockedBy(step));
      const std::string where = fmt::format("step {} of {} ({})", timedOut.step + 1, steps.size(), step.describe());
      if (retry > options_.ddlLockRetries) {
        std::string sql = timedOut.statement;
        std::replace(sql.begin(), sql.end(), '\n', ' ');
        throw MigrationError(
            migration.name,
            fmt::format("migration '{}' gave up waiting for a lock on {} at {}: {} attempt{} each waited {} ms "
                        "(the DDL lock timeout), and it was rolled back each time, so nothing of it is applied; "
                        "retry when the lock is free, or end the session holding it -- statement: {}",
                        migration.name, waitedFor, where, retry, retry == 1 ? "" : "s",
                        options_.ddlLockTimeout->count(), sql));
      }
      const auto pause = detail::retryPause(retry);
      options_.observer->migrationRetrying(migration.name, retry, options_.ddlLockRetries, pause,
                                           fmt::format("waited {} ms for a lock on {} at {}",
                                                       options_.ddlLockTimeout->count(), waitedFor, where));
      std::this_thread::sleep_for(pause);
    }
  }
}

RunResult Runner::apply(std::size_t limit, bool fromScratch, std::size_t end) {
  std::vector<AppliedMigration> applied;
  Journal journal;
  if (fromScratch) {
    if (journaling_) {
      for (const Statement& statement : detail::StepJournal(connection_.dialect(), source_.migrationTable).createSql()) {
        run(statement.sql);
      }
    }
    run(detail::TrackingTable(connection_.dialect(), source_.migrationTable).createSql());
  } else {
    ensureTrackingTable();
    // Read after taking the lock: another runner may have applied migrations meanwhile.
    applied = readApplied();
    journal = readJournal();
    refuseAlteredHistory(applied, journal);
  }
  std::set<std::string> done;
  std::int64_t lastBatch = 0;
  for (const auto& row : applied) {
    done.insert(row.name);
    lastBatch = std::max(lastBatch, row.batch);
  }
  RunResult result;
  for (std::size_t i = 0; i < end; ++i) {
    const Migration& migration = source_.migrations[i];
    if (result.migrations.size() >= limit) break;
    if (done.count(migration.name)) continue;
    if (result.batch == 0) result.batch = lastBatch + 1;
    const auto partial = journal.find(migration.name);
    runMigration(migration, upSteps(migration), Direction::Up, result.batch, checksumAt(i),
                 partial == journal.end() ? nullptr : &partial->second);
    result.migrations.push_back(migration.name);
  }
  return result;
}

void Runner::refuseAlteredHistory(const std::vector<AppliedMigration>& applied, const Journal& journal) {
  std::vector<std::string> changed;
  std::vector<std::string> missing;
  std::map<std::string, const Migration*> byName;
  for (const auto& migration : source_.migrations) byName[migration.name] = &migration;
  for (const auto& status : statusOf(applied, journal)) {
    if (status.state == MigrationState::Changed) changed.push_back("'" + status.name + "'");
    if (status.state == MigrationState::Missing) missing.push_back("'" + status.name + "'");
    if (status.state != MigrationState::Partial) continue;
    const auto found = byName.find(status.name);
    if (found == byName.end()) {
      missing.push_back(fmt::format("'{}' (partial)", status.name));
      continue;
    }
    // Resuming runs the remaining steps after the journaled ones: those must be what ran.
    const Steps steps = upSteps(*found->second);
    for (const auto& [step, sum] : journal.at(status.name).stepChecksums) {
      if (step >= steps.size() || detail::stepChecksum(steps[step]) != sum) {
        throw MigrationError(
            status.name,
            fmt::format("refusing to resume partial migration '{}': its step {} ({}) changed since it ran; restore "
                        "that step, or undo what ran first (migrate:down, or by hand and then migrate:repair)",
                        status.name, step + 1, step < steps.size() ? steps[step].describe() : "no longer in it"));
      }
    }
  }
  if (changed.empty() && missing.empty()) return;
  refuseChangedLiveModels(changed);
  std::vector<std::string> parts;
  if (!changed.empty()) parts.push_back(fmt::format("changed since they were applied: {}", fmt::join(changed, ", ")));
  if (!missing.empty()) parts.push_back(fmt::format("applied but no longer in the source: {}", fmt::join(missing, ", ")));
  const std::string first = (changed.empty() ? missing : changed).front();
  throw MigrationError(first.substr(1, first.find('\'', 1) - 1),
                       fmt::format("refusing to migrate: migrations {}; restore them, or run migrate:repair after "
                                   "a deliberate change",
                                   fmt::join(parts, "; ")));
}

void Runner::refuseChangedLiveModels(const std::vector<std::string>& changed) {
  // A migration that builds tables from live models changes when a model does: the fix is
  // to freeze it (the models as they were) and generate the change, not migrate:repair,
  // which would make a fresh database create the new column and then add it again.
  std::vector<std::string> parts;
  std::string first;
  for (const auto& quoted : changed) {
    const std::string name = quoted.substr(1, quoted.size() - 2);
    const auto found = std::find_if(source_.migrations.begin(), source_.migrations.end(),
                                    [&](const Migration& m) { return m.name == name; });
    if (found == source_.migrations.end()) continue;
    std::vector<std::string> models;
    for (const Step& step : upSteps(*found)) {
      const auto* create = std::get_if<step::CreateTable>(&step.operation());
      if (create && create->fromModel) models.push_back("'" + create->table.name + "'");
    }
    if (models.empty()) continue;
    if (first.empty()) first = name;
    parts.push_back(fmt::format("'{}' creates {} from the live model{} of table{} {}, which changed since it was "
                                "applied; run `jsorm migrate:freeze {}` and paste what it prints in place of that "
                                "migration",
                                name, models.size() == 1 ? "a table" : "tables", models.size() == 1 ? "" : "s",
                                models.size() == 1 ? "" : "s", fmt::join(models, ", "), name));
  }
  if (parts.empty()) return;
  throw MigrationError(first, fmt::format("refusing to migrate: migration {}; then run `jsorm migrate:generate` to "
                                          "write the model change as a new migration (not migrate:repair, which "
                                          "would make a fresh database create the new columns and then add them "
                                          "again)",
                                          fmt::join(parts, "; migration ")));
}

RunResult Runner::migrate() {
  MigrationLock lock(connection_, source_.migrationTable, options_.lockTimeout);
  return apply(source_.migrations.size(), false, source_.migrations.size());
}

RunResult Runner::migrateUp() {
  MigrationLock lock(connection_, source_.migrationTable, options_.lockTimeout);
  return apply(1, false, source_.migrations.size());
}

RunResult Runner::migrateTo(const std::string& name) {
  const auto& migrations = source_.migrations;
  const auto found = std::find_if(migrations.begin(), migrations.end(), [&](const auto& m) { return m.name == name; });
  if (found == migrations.end()) {
    throw MigrationError(name, fmt::format("cannot migrate to '{}': the source has no migration of that name", name));
  }
  MigrationLock lock(connection_, source_.migrationTable, options_.lockTimeout);
  const auto end = static_cast<std::size_t>(found - migrations.begin()) + 1;
  return apply(end, false, end);
}

RunResult Runner::baseline(const std::string& name, const std::function<void()>& verify) {
  const auto& migrations = source_.migrations;
  const auto found = std::find_if(migrations.begin(), migrations.end(), [&](const auto& m) { return m.name == name; });
  if (found == migrations.end()) {
    throw MigrationError(name, fmt::format("cannot baseline to '{}': the source has no migration of that name", name));
  }
  MigrationLock lock(connection_, source_.migrationTable, options_.lockTimeout);
  const auto applied = readApplied();
  const auto journal = readJournal();
  if (!applied.empty() || !journal.empty()) {
    const std::string first = applied.empty() ? journal.begin()->first : applied.front().name;
    throw MigrationError(name, fmt::format("refusing to baseline: {} already records {} migration{} (e.g. '{}'); a "
                                           "baseline starts the history of a database jsorm never migrated, so "
                                           "use migrate (or migrate --to) here",
                                           source_.migrationTable, applied.size() + journal.size(),
                                           applied.size() + journal.size() == 1 ? "" : "s", first));
  }
  if (verify) verify();
  ensureTrackingTable();
  const detail::TrackingTable tracking(connection_.dialect(), source_.migrationTable);
  RunResult result;
  inTransaction([&] {
    for (std::size_t i = 0; i <= static_cast<std::size_t>(found - migrations.begin()); ++i) {
      // Batch 0 and no execution time: recorded, never run.
      runBound(tracking.insertSql(), {migrations[i].name, std::int64_t{0}, checksumAt(i), Value()});
      result.migrations.push_back(migrations[i].name);
    }
  });
  return result;
}

RunResult Runner::fresh() {
  MigrationLock lock(connection_, source_.migrationTable, options_.lockTimeout);
  // A lease lock's row is what this run holds: its table stays.
  std::vector<std::string> tables = connection_.tables();
  std::erase(tables, source_.migrationTable + "_lock");
  for (const Statement& statement : connection_.dialect().dropAllTables(tables)) run(statement.sql);
  return apply(source_.migrations.size(), true, source_.migrations.size());
}

RunResult Runner::migrateDown() {
  MigrationLock lock(connection_, source_.migrationTable, options_.lockTimeout);
  // A partial migration is the last thing that ran: undoing it is what down means.
  if (auto partial = undoPartial(); !partial.migrations.empty()) return partial;
  const auto applied = readApplied();
  std::int64_t lastBatch = 0;
  for (const auto& row : applied) lastBatch = std::max(lastBatch, row.batch);
  if (lastBatch == 0) return {};  // nothing, or only the baseline, which is never undone
  std::vector<AppliedMigration> batch;
  for (auto row = applied.rbegin(); row != applied.rend(); ++row) {
    if (row->batch == lastBatch) batch.push_back(*row);
  }
  return rollBack(batch);
}

RunResult Runner::rollback(std::optional<std::size_t> steps) {
  MigrationLock lock(connection_, source_.migrationTable, options_.lockTimeout);
  RunResult partial = undoPartial(steps);
  if (steps) *steps -= std::min(*steps, partial.migrations.size());
  auto applied = undoableNewestFirst();
  if (steps && *steps < applied.size()) applied.resize(*steps);
  RunResult result = rollBack(applied);
  partial.migrations.insert(partial.migrations.end(), result.migrations.begin(), result.migrations.end());
  if (partial.batch == 0) partial.batch = result.batch;
  return partial;
}

RunResult Runner::rollbackTo(const std::string& name) {
  MigrationLock lock(connection_, source_.migrationTable, options_.lockTimeout);
  auto applied = appliedNewestFirst();
  const auto target = std::find_if(applied.begin(), applied.end(), [&](const auto& row) { return row.name == name; });
  if (target == applied.end()) {
    throw MigrationError(name, fmt::format("cannot roll back to '{}': it is not applied (migrate:status shows what is); "
                                           "nothing was rolled back",
                                           name));
  }
  applied.erase(target, applied.end());
  std::erase_if(applied, [](const AppliedMigration& row) { return row.batch == 0; });  // the baseline floor
  // Partial migrations ran after every applied one.
  RunResult partial = undoPartial();
  RunResult result = rollBack(applied);
  partial.migrations.insert(partial.migrations.end(), result.migrations.begin(), result.migrations.end());
  if (partial.batch == 0) partial.batch = result.batch;
  return partial;
}

std::vector<AppliedMigration> Runner::appliedNewestFirst() {
  auto applied = readApplied();
  std::stable_sort(applied.begin(), applied.end(), [](const auto& a, const auto& b) {
    return a.batch != b.batch ? a.batch > b.batch : a.id > b.id;
  });
  return applied;
}

std::vector<AppliedMigration> Runner::undoableNewestFirst() {
  auto applied = appliedNewestFirst();
  // Batch 0 is the baseline: schema jsorm found, not schema it made. Rolling it back would
  // drop what another tool built, so it is the floor every rollback stops at.
  std::erase_if(applied, [](const AppliedMigration& row) { return row.batch == 0; });
  return applied;
}

RunResult Runner::undoPartial(std::optional<std::size_t> limit) {
  RunResult result;
  const Journal journal = readJournal();
  if (journal.empty()) return result;
  const auto applied = readApplied();
  std::set<std::string> recorded;
  for (const auto& row : applied) recorded.insert(row.name);
  // Newest first, in source order; every partial migration must still be in the source.
  for (const auto& [name, entry] : journal) {
    if (recorded.count(name)) continue;
    if (std::none_of(source_.migrations.begin(), source_.migrations.end(), [&](const auto& m) { return m.name == name; })) {
      throw MigrationError(name, fmt::format("cannot undo partial migration '{}': the source no longer defines it; "
                                             "restore it in the schema module, or undo it by hand and run "
                                             "migrate:repair",
                                             name));
    }
  }
  for (auto migration = source_.migrations.rbegin(); migration != source_.migrations.rend(); ++migration) {
    if (limit && result.migrations.size() >= *limit) break;
    const auto found = journal.find(migration->name);
    if (found == journal.end() || recorded.count(migration->name)) continue;
    runMigration(*migration, {}, Direction::Down, 0, {}, &found->second);
    result.migrations.push_back(migration->name);
  }
  return result;
}

RunResult Runner::rollBack(const std::vector<AppliedMigration>& newestFirst) {
  RunResult result;
  if (newestFirst.empty()) return result;
  std::map<std::string, const Migration*> byName;
  for (const auto& migration : source_.migrations) byName[migration.name] = &migration;

  // Plan everything before running anything: a missing or irreversible migration must
  // stop the rollback while the database is still untouched.
  std::vector<std::pair<const Migration*, Steps>> plan;
  for (const auto& row : newestFirst) {
    auto found = byName.find(row.name);
    if (found == byName.end()) {
      throw MigrationError(row.name, fmt::format("cannot roll back batch {}: migration '{}' was applied but the "
                                                 "source no longer defines it; restore it in the schema module",
                                                 row.batch, row.name));
    }
    plan.emplace_back(found->second, downSteps(*found->second));
  }
  result.batch = newestFirst.front().batch;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    runMigration(*plan[i].first, plan[i].second, Direction::Down, newestFirst[i].batch, {});
    result.migrations.push_back(plan[i].first->name);
  }
  return result;
}

std::vector<MigrationStatus> Runner::repair() {
  MigrationLock lock(connection_, source_.migrationTable, options_.lockTimeout);
  const detail::TrackingTable tracking(connection_.dialect(), source_.migrationTable);
  std::vector<MigrationStatus> repaired;
  std::map<std::string, std::size_t> indexOf;
  for (std::size_t i = 0; i < source_.migrations.size(); ++i) indexOf[source_.migrations[i].name] = i;
  const detail::StepJournal journal(connection_.dialect(), source_.migrationTable);
  for (auto& status : statusOf(readApplied(), readJournal())) {
    if (status.state == MigrationState::Partial) {
      run(journal.forget(status.name));
    } else if (status.state == MigrationState::Changed) {
      runBound(tracking.updateChecksumSql(), {checksumAt(indexOf.at(status.name)), status.name});
    } else if (status.state == MigrationState::Missing) {
      runBound(tracking.deleteSql(), {status.name});
    } else {
      continue;
    }
    repaired.push_back(std::move(status));
  }
  return repaired;
}

std::vector<MigrationStatus> Runner::status() { return statusOf(readApplied(), readJournal()); }

std::vector<MigrationStatus> Runner::statusOf(std::vector<AppliedMigration> applied, const Journal& journal) {
  const std::vector<Migration>& migrations = source_.migrations;
  // rowOf[i]: the tracking row of migrations[i], or null. Almost always the table holds the
  // source's first migrations in source order, and position alone pairs them: hashing every
  // name was most of a 10,000-row status. Otherwise names are looked up (of two rows with
  // one name, the later one counts).
  std::vector<AppliedMigration*> rowOf(migrations.size(), nullptr);
  const bool inOrder = applied.size() <= migrations.size() &&
                       std::equal(applied.begin(), applied.end(), migrations.begin(),
                                  [](const AppliedMigration& row, const Migration& m) { return row.name == m.name; });
  std::unordered_map<std::string_view, AppliedMigration*> byName;
  if (inOrder) {
    for (std::size_t i = 0; i < applied.size(); ++i) rowOf[i] = &applied[i];
  } else {
    byName.reserve(applied.size());
    for (auto& row : applied) byName[row.name] = &row;
    for (std::size_t i = 0; i < migrations.size(); ++i) {
      if (auto found = byName.find(migrations[i].name); found != byName.end()) rowOf[i] = found->second;
    }
  }

  std::vector<MigrationStatus> statuses;
  statuses.reserve(migrations.size());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const Migration& migration = migrations[i];
    MigrationStatus status{migration.name, MigrationState::Pending, std::nullopt};
    if (AppliedMigration* row = rowOf[i]) {
      const bool changed = !row->checksum.empty() && row->checksum != checksumAt(i);
      status.state = changed ? MigrationState::Changed : MigrationState::Applied;
      // Each row matches one migration at most (source names are unique). Out of order, its
      // name stays: byName's key views it, and the loop for missing rows below reads it.
      status.applied = AppliedMigration{row->id, inOrder ? std::move(row->name) : row->name, row->batch,
                                        std::move(row->appliedAt), std::move(row->checksum), row->executionMs};
    } else if (auto partial = journal.find(migration.name); partial != journal.end()) {
      status.state = MigrationState::Partial;
      const Steps steps = upSteps(migration);
      status.stepsTotal = steps.size();
      const Dialect& dialect = connection_.dialect();
      for (std::size_t step = 0; step < steps.size(); ++step) {
        const std::size_t count = dialect.render(steps[step]).size();
        bool whole = true;
        for (std::size_t j = 0; j < count; ++j) whole = whole && partial->second.has(step, j);
        if (whole) ++status.stepsDone;
      }
    }
    statuses.push_back(std::move(status));
  }
  // In order, every row is the source's, so only a journal can name what the source lacks.
  if (inOrder && journal.empty()) return statuses;
  std::unordered_set<std::string_view> inSource;
  inSource.reserve(migrations.size());
  for (const auto& migration : migrations) inSource.insert(migration.name);
  for (const auto& [name, entry] : journal) {
    if (!inSource.count(name) && !byName.count(name)) {
      MigrationStatus status{name, MigrationState::Partial, std::nullopt};
      status.stepsDone = entry.stepChecksums.size();
      statuses.push_back(std::move(status));
    }
  }
  if (inOrder) return statuses;
  for (const auto& row : applied) {
    if (!inSource.count(row.name)) statuses.push_back({row.name, MigrationState::Missing, row});
  }
  return statuses;
}

JSORM_NAMESPACE_END
