// The runner on databases whose DDL commits on its own (MySQL, MariaDB): every statement
// journaled as it runs, partial migrations resumed or undone from the journal.

#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>

#include "checksum.hpp"
#include "runner_journal.hpp"
#include "step_journal.hpp"
#include "tracking_table.hpp"

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN

namespace {
using Clock = std::chrono::steady_clock;

bool isRawSql(const Step& step) { return std::holds_alternative<step::RawSql>(step.operation()); }
}  // namespace

Runner::Journal Runner::readJournal() {
  if (!journaling_) return {};
  return detail::StepJournal(connection_.dialect(), source_.migrationTable).read(connection_);
}

void Runner::settleUncertain(const Migration& migration, const Steps& steps, detail::MigrationJournal& journal) {
  if (journal.uncertain.empty()) return;
  const detail::StepJournal table(connection_.dialect(), source_.migrationTable);
  for (const auto at : journal.uncertain) {
    const auto present = at.first < steps.size() ? detail::effectPresent(connection_, steps[at.first], at.second)
                                                 : std::optional<bool>();
    if (!present) {
      throw MigrationError(
          migration.name,
          fmt::format("migration '{}': statement {} of step {} ({}) was cut off on the server (its connection was "
                      "killed or the server stopped) and jsorm cannot tell from the schema whether it took effect; "
                      "check it by hand, undo what it did if anything, then run migrate:repair and migrate again",
                      migration.name, at.second + 1, at.first + 1,
                      at.first < steps.size() ? steps[at.first].describe() : "no longer in the migration"));
    }
    run(*present ? table.markDone(migration.name, at) : table.forgetStatement(migration.name, at));
    if (*present) journal.done.insert(at);
  }
  journal.uncertain.clear();
}

void Runner::runJournaled(const Migration& migration, const Steps& steps, std::int64_t batch, const std::string& sum,
                          const detail::MigrationJournal* resumed) {
  const Dialect& dialect = connection_.dialect();
  const detail::StepJournal journal(dialect, source_.migrationTable);
  detail::MigrationJournal done = resumed ? *resumed : detail::MigrationJournal{};
  settleUncertain(migration, steps, done);
  const auto started = Clock::now();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string stepSum = detail::stepChecksum(steps[i]);
    const auto statements = dialect.render(steps[i]);
    options_.observer->stepStarted(i, steps[i].describe());
    if (const auto* data = std::get_if<step::Data>(&steps[i].operation())) {
      if (!done.has(i, 0)) runJournaledData(migration, steps, i, data->up, journal.insert(migration.name, {i, 0}, stepSum, true));
      options_.observer->stepFinished(i);
      continue;
    }
    for (std::size_t j = 0; j < statements.size(); ++j) {
      if (done.has(i, j)) continue;
      const std::string& sql = statements[j].sql;
      options_.observer->statement(sql);
      if (options_.dryRun) continue;
      const std::vector<std::string> unit{journal.insert(migration.name, {i, j}, stepSum, false), sql,
                                          journal.markDone(migration.name, {i, j})};
      // Raw SQL may hold what a server-side block cannot (DELIMITER, CREATE PROCEDURE): it
      // runs on its own between its journal writes.
      const std::string block = isRawSql(steps[i]) ? std::string() : dialect.serverSideBlock(unit);
      try {
        if (block.empty()) {
          for (const auto& statement : unit) connection_.execute(statement);
        } else {
          connection_.execute(block);
        }
      } catch (const SqlError& e) {
        // The server said the statement failed, so it did not take effect: its row goes.
        try {
          connection_.execute(journal.forgetStatement(migration.name, {i, j}));
        } catch (const Error&) {
          // Left uncertain; the next run settles it from the schema.
        }
        throw detail::stepFailure(migration, steps, i, e, sql,
                                  fmt::format("; the migration is partial ({} of {} steps ran and are journaled): fix "
                                              "the step and run migrate to resume, or migrate:down to undo them",
                                              i, steps.size()));
      }
    }
    options_.observer->stepFinished(i);
  }
  // The tracking row and the end of the journal in one transaction: DML is transactional.
  const detail::TrackingTable tracking(dialect, source_.migrationTable);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  inTransaction([&] {
    runBound(tracking.insertSql(), {migration.name, batch, sum, static_cast<std::int64_t>(took.count())});
    run(journal.forget(migration.name));
  });
}

void Runner::runJournaledData(const Migration& migration, const Steps& steps, std::size_t i,
                              const std::function<void(Database&)>& callback, const std::string& journalRow) {
  // A data step changes rows, which are transactional even here: the code's changes and its
  // journal row commit together, so a run cut off before COMMIT leaves neither and resuming
  // runs the step again from the start. (Code that sends DDL through db->execute commits
  // early on these databases and loses that guarantee.)
  try {
    runData(migration, steps, i, callback, options_.dryRun ? std::vector<std::string>{} : std::vector{journalRow});
  } catch (const MigrationError& e) {
    throw MigrationError(migration.name,
                         fmt::format("{}; the migration is partial ({} of {} steps ran and are journaled): fix the "
                                     "step and run migrate to resume, or migrate:down to undo them",
                                     e.what(), i, steps.size()));
  }
}

void Runner::reverseJournaled(const Migration& migration, detail::MigrationJournal journal) {
  const Dialect& dialect = connection_.dialect();
  const detail::StepJournal table(dialect, source_.migrationTable);
  const Steps up = upSteps(migration);
  settleUncertain(migration, up, journal);
  std::set<std::size_t> ran;
  for (const auto& at : journal.done) ran.insert(at.first);
  // Plan first: a step that cannot be reversed stops the rollback before anything runs.
  std::vector<std::pair<std::size_t, Steps>> plan;
  for (auto step = ran.rbegin(); step != ran.rend(); ++step) {
    const std::size_t i = *step;
    if (i >= up.size()) {
      throw MigrationError(migration.name, fmt::format("cannot undo partial migration '{}': the journal lists step {} "
                                                       "but the migration now has {} steps; restore it",
                                                       migration.name, i + 1, up.size()));
    }
    auto reversed = up[i].reversed();
    if (!reversed) {
      throw MigrationError(migration.name,
                           fmt::format("cannot undo partial migration '{}': its journaled step {} ({}) is not "
                                       "reversible; undo it by hand, then run migrate:repair",
                                       migration.name, i + 1, up[i].describe()));
    }
    plan.emplace_back(i, std::move(*reversed));
  }
  for (const auto& [i, down] : plan) {
    if (const auto* data = down.size() == 1 ? std::get_if<step::Data>(&down.front().operation()) : nullptr) {
      // Its undo and the end of its journal rows commit together, as its run did.
      runData(migration, up, i, data->up, options_.dryRun ? std::vector<std::string>{} : std::vector{table.forgetStep(migration.name, i)});
      continue;
    }
    // The step's rows turn uncertain, its undo runs, its rows go: one server-side block, so
    // a run cut off halfway leaves rows the next run settles from the schema.
    std::vector<std::string> unit{table.markStepUncertain(migration.name, i)};
    bool raw = false;
    for (const Step& step : down) {
      raw = raw || isRawSql(step);
      for (auto& statement : dialect.render(step)) {
        options_.observer->statement(statement.sql);
        unit.push_back(std::move(statement.sql));
      }
    }
    unit.push_back(table.forgetStep(migration.name, i));
    if (options_.dryRun) continue;
    const std::string block = raw ? std::string() : dialect.serverSideBlock(unit);
    try {
      if (block.empty()) {
        for (const auto& statement : unit) connection_.execute(statement);
      } else {
        connection_.execute(block);
      }
    } catch (const SqlError& e) {
      throw detail::stepFailure(migration, up, i, e, e.statement(),
                                fmt::format("; undoing step {} of partial migration '{}' failed, and the journal "
                                            "still lists it",
                                            i + 1, migration.name));
    }
  }
  if (!options_.dryRun) connection_.execute(table.forget(migration.name));
}

void Runner::rollBackJournaled(const Migration& migration) {
  const Dialect& dialect = connection_.dialect();
  const detail::StepJournal journal(dialect, source_.migrationTable);
  const detail::TrackingTable tracking(dialect, source_.migrationTable);
  if (!migration.down.empty()) {
    // An explicit down was written for the whole migration: it runs as written, and the
    // tracking row goes once it succeeded.
    const Steps down = downSteps(migration);
    try {
      runStatements(migration, down);
    } catch (const MigrationError& e) {
      throw MigrationError(migration.name,
                           fmt::format("{}; the statements of the down before that one ran and cannot be taken back "
                                       "on {}, and '{}' stays recorded as applied: fix the down and run migrate:down "
                                       "again, or finish it by hand",
                                       e.what(), dialect.name(), migration.name));
    }
    runBound(tracking.deleteSql(), {migration.name});
    return;
  }
  // Turned into a partial migration with every step journaled, in one transaction, then
  // undone step by step: a kill halfway leaves a partial migration, resumable either way.
  const Steps up = upSteps(migration);
  detail::MigrationJournal all;
  inTransaction([&] {
    runBound(tracking.deleteSql(), {migration.name});
    for (std::size_t i = 0; i < up.size(); ++i) {
      const std::string stepSum = detail::stepChecksum(up[i]);
      all.stepChecksums[i] = stepSum;
      const std::size_t count = dialect.render(up[i]).size();
      for (std::size_t j = 0; j < count; ++j) {
        all.done.insert({i, j});
        run(journal.insert(migration.name, {i, j}, stepSum, true));
      }
    }
  });
  reverseJournaled(migration, std::move(all));
}

JSORM_NAMESPACE_END
