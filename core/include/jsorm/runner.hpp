#pragma once
/// The runner: applies and rolls back a source's migrations, recorded in the tracking table.

#include <jsorm/adapter.hpp>
#include <jsorm/api.hpp>
#include <jsorm/checksum.hpp>
#include <jsorm/source.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// A row of the tracking table.
struct AppliedMigration {
  std::int64_t id = 0;
  std::string name;
  std::int64_t batch = 0;
  std::string appliedAt;
  std::string checksum;
  std::optional<std::int64_t> executionMs;
};

enum class MigrationState {
  Applied,
  Pending,
  Missing,  ///< recorded as applied, no longer in the source
  Changed,  ///< applied, but its steps differ from what was applied
  /// Stopped halfway on a database without transactional DDL: the step journal lists the
  /// statements that ran. `migrate` resumes it, `migrate:down` undoes what ran.
  Partial,
};

JSORM_API const char* migrationStateName(MigrationState state) noexcept;

struct MigrationStatus {
  std::string name;
  MigrationState state = MigrationState::Pending;
  std::optional<AppliedMigration> applied;
  /// Partial: the steps that ran to the end, of how many the migration has.
  std::size_t stepsDone = 0;
  std::size_t stepsTotal = 0;
};

namespace detail {
struct MigrationJournal;
class StatementQueue;
}

enum class Direction { Up, Down };

/// Told about progress; the CLI prints it, a program may log it.
class JSORM_API RunObserver {
 public:
  virtual ~RunObserver();
  virtual void migrationStarted(const std::string& name, Direction direction);
  virtual void migrationFinished(const std::string& name, Direction direction, std::chrono::milliseconds took);
  /// Called with every statement before it runs (or instead of running it, on a dry run).
  virtual void statement(const std::string& sql);
  /// Called before the statements of each step as a migration is applied or rolled back;
  /// `index` counts from 0 in the steps being run (its up steps, or its down steps). Every
  /// statement until stepFinished belongs to that step; the transaction and tracking-table
  /// statements around the steps come before the first or after the last. Undoing a partial
  /// migration's journaled steps reports statements only.
  virtual void stepStarted(std::size_t index, const std::string& description);
  /// Called once every statement of the step ran (or was shown, on a dry run); not when one
  /// failed. In a transactional migration the statements are sent together at COMMIT
  /// (Connection::executeAll), so there it means they were all queued, in order.
  virtual void stepFinished(std::size_t index);
  /// A migration gave up waiting for a table lock (RunOptions::ddlLockTimeout), was rolled
  /// back, and runs again after `pause`: retry `retry` of `retries`. `reason` names the
  /// step and the tables it waited for.
  virtual void migrationRetrying(const std::string& name, int retry, int retries, std::chrono::milliseconds pause,
                                 const std::string& reason);
};

struct RunOptions {
  /// How long to wait for another runner holding the migration lock.
  std::chrono::milliseconds lockTimeout{60'000};
  /// Print what would run through the observer; change nothing.
  bool dryRun = false;
  RunObserver* observer = nullptr;
  /// Bounds each statement's wait for a table lock in a transactional migration (where the
  /// dialect can: PostgreSQL's lock_timeout). A migration that runs out is rolled back and
  /// retried after a growing pause, then fails naming the tables and who holds them.
  /// nullopt: statements wait as long as the database lets them.
  std::optional<std::chrono::milliseconds> ddlLockTimeout;
  int ddlLockRetries = 3;
};

/// What a run did.
struct RunResult {
  std::int64_t batch = 0;  ///< 0 when nothing ran
  std::vector<std::string> migrations;
};

/// Applies and rolls back one source's migrations over one connection.
class JSORM_API Runner {
 public:
  /// Validates the source (throws SchemaError) before touching the database.
  Runner(Connection& connection, const MigrationSource& source, RunOptions options = {});
  /// Trusts that `validated` is what validate(source) returned, and skips validating again.
  Runner(Connection& connection, const MigrationSource& source, RunOptions options, ValidatedSource validated);

  /// Applies every pending migration, in source order, as one new batch. Refuses, before
  /// running anything, when an applied migration changed or left the source.
  RunResult migrate();
  /// Applies only the next pending migration, as a batch of its own.
  RunResult migrateUp();
  /// Applies the pending migrations up to and including `name`, in source order, as one
  /// new batch: a release pinned to a migration. Throws MigrationError when the source has
  /// no migration of that name.
  RunResult migrateTo(const std::string& name);
  /// Records the migrations up to and including `name` as applied, in batch 0, WITHOUT
  /// running them: for a database built outside jsorm (migrate:baseline). Under the
  /// migration lock, refuses (MigrationError) when any migration is already recorded or
  /// partial, then calls `verify` (which throws to refuse: the schema check), then writes
  /// the rows in one transaction. Batch 0 is the oldest batch: migrate:down and db:rollback
  /// undo baselined migrations like any other, last.
  RunResult baseline(const std::string& name, const std::function<void()>& verify);
  /// Rolls back the last batch, newest first. Refuses before running anything when a
  /// migration of the batch is missing from the source or cannot be reversed.
  RunResult migrateDown();
  /// Rolls back every batch, newest first, or only the newest `steps` migrations.
  RunResult rollback(std::optional<std::size_t> steps = std::nullopt);
  /// Rolls back every migration applied after `name` (and every partial one), newest
  /// first, keeping `name` and what came before it. Throws MigrationError, before running
  /// anything, when `name` is not applied.
  RunResult rollbackTo(const std::string& name);
  /// Drops every table of the database (or schema), then applies every migration.
  RunResult fresh();
  /// Re-records the checksum of each applied migration whose steps changed, forgets
  /// applied migrations the source no longer has, and clears the journal of partial
  /// migrations (after their statements were undone by hand: they are pending again).
  /// Returns what it repaired.
  std::vector<MigrationStatus> repair();
  /// Every migration of the source with its state, then applied ones the source lacks.
  std::vector<MigrationStatus> status();

 private:
  /// Applies pending migrations of source_.migrations[0..end) in order, at most `limit`.
  RunResult apply(std::size_t limit, bool fromScratch, std::size_t end);
  /// The applied migrations, newest first: by batch, then by the order they were applied in.
  std::vector<AppliedMigration> appliedNewestFirst();
  /// The same without the baseline (batch 0): what a rollback may undo.
  std::vector<AppliedMigration> undoableNewestFirst();
  /// The checksum of source_.migrations[index], from validation.
  const std::string& checksumAt(std::size_t index) const { return validated_.checksums[index]; }
  RunResult rollBack(const std::vector<AppliedMigration>& newestFirst);
  using Journal = std::map<std::string, detail::MigrationJournal>;
  /// Takes the rows so that each matched row's strings move into its status.
  std::vector<MigrationStatus> statusOf(std::vector<AppliedMigration> applied, const Journal& journal);
  void refuseAlteredHistory(const std::vector<AppliedMigration>& applied, const Journal& journal);
  /// Throws when a changed migration (`'name'` each) builds tables from live models.
  void refuseChangedLiveModels(const std::vector<std::string>& changed);
  void ensureTrackingTable();
  /// Runs `body` between BEGIN and COMMIT (shown, not sent, on a dry run); rolls back and
  /// rethrows when it throws.
  void inTransaction(const std::function<void()>& body);
  std::vector<AppliedMigration> readApplied();
  Journal readJournal();
  /// Applies `migration` statement by statement, journaling each, skipping what `done`
  /// says already ran; on a database without transactional DDL.
  void runJournaled(const Migration& migration, const Steps& steps, std::int64_t batch, const std::string& checksum,
                    const detail::MigrationJournal* done);
  /// Runs data step `i` on such a database, its journal row written in its transaction.
  void runJournaledData(const Migration& migration, const Steps& steps, std::size_t i,
                        const std::function<void(Database&)>& callback, const std::string& journalRow);
  /// Undoes the journaled steps of a partial migration, newest first, forgetting each.
  void reverseJournaled(const Migration& migration, detail::MigrationJournal journal);
  /// Settles the journal's uncertain statements (cut off on the server) by looking at the
  /// schema: each becomes done or is forgotten. Throws when the schema cannot tell.
  void settleUncertain(const Migration& migration, const Steps& steps, detail::MigrationJournal& journal);
  /// Rolls back an applied migration on a database without transactional DDL.
  void rollBackJournaled(const Migration& migration);
  void runMigration(const Migration& migration, const Steps& steps, Direction direction, std::int64_t batch,
                    const std::string& checksum, const detail::MigrationJournal* done = nullptr);
  /// Undoes partial migrations (at most `limit`), newest first.
  RunResult undoPartial(std::optional<std::size_t> limit = std::nullopt);
  void runStatements(const Migration& migration, const Steps& steps);
  /// Runs step `i`, a data step, with `callback` (its up or its down) against this
  /// connection: inside the open transaction, else in one of its own (runner_data.cpp).
  void runData(const Migration& migration, const Steps& steps, std::size_t i,
               const std::function<void(Database&)>& callback, const std::vector<std::string>& alsoInTransaction = {});
  /// Runs a transactional migration's statements and tracking row in one transaction,
  /// again after a pause each time a statement gave up waiting for a lock, up to the retries.
  void runInTransactionRetrying(const Migration& migration, const Steps& steps, const std::function<void()>& record);
  void run(const std::string& sql);
  void runBound(const std::string& sql, const std::vector<Value>& params);
  /// Sends what the open transaction queued (Connection::executeAll); a failed step's
  /// statement becomes the same error as when it runs alone. Called before anything that
  /// must see the queued statements' effect: a catalog check, a step that is not SQL.
  void flushQueue();

  Connection& connection_;
  const MigrationSource& source_;
  RunOptions options_;
  ValidatedSource validated_;
  RunObserver defaultObserver_;
  bool journaling_ = false;
  /// Set while a transaction runs under RunOptions::ddlLockTimeout, so that only a lock wait
  /// the runner bounded is taken for one.
  bool lockWaitBounded_ = false;
  /// Set while a transaction (not a dry run) runs: its statements wait here until COMMIT.
  detail::StatementQueue* queue_ = nullptr;
  /// Set while inTransaction's body runs: a data step then joins that transaction.
  bool transactionOpen_ = false;
};


JSORM_NAMESPACE_END
