// kill -9 at random moments: a `jsorm migrate` (or `migrate:down`) of 200 migrations is
// SIGKILLed at a random point (after a random number of migrations, a random time into the
// next one, both from a seeded RNG); the database must hold exactly the
// migrations the tracking table lists, each one whole, and a rerun must end in the same
// schema as a clean run. JSORM_KILL_TRIALS sets the trials per test (CI: 20);
// JSORM_RELIABILITY_SEED replays the kill times of a failed run.

#include "reliability.hpp"

#include <algorithm>

using namespace jsorm::reliability;

namespace {
using Micros = std::chrono::microseconds;

Micros since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<Micros>(std::chrono::steady_clock::now() - start);
}

/// A clean run of `command` on a fresh database: its duration and the schema it leaves.
struct CleanRun {
  Micros took{};
  std::string fingerprint;
};

CleanRun cleanMigrate(bool postgres, const std::string& source) {
  TrialDatabase db(postgres);
  const auto started = std::chrono::steady_clock::now();
  REQUIRE_OK(db.run("migrate", source));
  CleanRun clean{since(started), db.fingerprint()};
  REQUIRE(db.tracked().size() == kMigrationCount);
  return clean;
}

/// The tracking table and the schema agree: each tracked migration is whole, each other one
/// left no trace, nothing is tracked twice. Returns the tracked count.
std::size_t requireConsistent(const TrialDatabase& db) {
  const auto tracked = db.tracked();
  const std::set<std::string> names(tracked.begin(), tracked.end());
  REQUIRE(names.size() == tracked.size());
  const auto shape = db.shape();
  CHECK(strayTables(shape).empty());
  for (int i = 1; i <= kMigrationCount; ++i) {
    INFO("migration " << migrationName(i) << (names.count(migrationName(i)) ? " (tracked)" : " (not tracked)"));
    CHECK(traceOf(shape, i) == (names.count(migrationName(i)) ? Trace::Full : Trace::None));
  }
  return tracked.size();
}

/// Where a trial kills: after a random number of finished migrations (0..199), at a random
/// point within the next one (up to twice a clean run's average per migration).
struct KillPoint {
  int after = 0;
  Micros delay{};
};
KillPoint killPoint(std::mt19937_64& random, Micros clean) {
  const std::int64_t perMigration = std::max<std::int64_t>(clean.count() / kMigrationCount, 1);
  return {std::uniform_int_distribution<int>(0, kMigrationCount - 1)(random),
          Micros(std::uniform_int_distribution<std::int64_t>(0, 2 * perMigration)(random))};
}

struct Tally {
  int trials = 0;
  int midRun = 0;  ///< killed with some but not all migrations done
  std::size_t fewest = kMigrationCount, most = 0;
  void add(int exitCode, std::size_t done) {
    ++trials;
    if (exitCode == -SIGKILL && done > 0 && done < kMigrationCount) ++midRun;
    fewest = std::min(fewest, done);
    most = std::max(most, done);
  }
  void report(const std::string& what) const {
    std::cout << what << ": " << trials << " trials, " << midRun << " killed mid-run, " << fewest << ".." << most
              << " migrations done at the kill" << std::endl;
    // Kills that all land before the first or after the last migration would test nothing.
    // With fewer than 4 trials one unlucky draw would decide, so the check needs 4 (the
    // CI passes run at least that many of every kind).
    if (trials >= 4) CHECK(midRun * 4 >= trials);
  }
};

void killDuringMigrate(bool postgres) {
  const std::string name = postgres ? "kill during migrate (PostgreSQL)" : "kill during migrate (SQLite)";
  std::uint64_t seed = 0;
  auto random = seededRandom(name, seed);
  const CleanRun clean = cleanMigrate(postgres, "crashSource");
  const int trials = envCount("JSORM_KILL_TRIALS", 20);
  Tally tally;
  for (int trial = 1; trial <= trials; ++trial) {
    const KillPoint at = killPoint(random, clean.took);
    INFO("seed " << seed << ", trial " << trial << ", kill " << at.delay.count() << " us after migration "
                 << at.after << " finished");
    TrialDatabase db(postgres);
    const int code = killAtProgress(db.spawn("migrate", "crashSource", "killed"), db.outFile("killed"), at.after,
                                    at.delay);
    INFO("killed run: exit " << code << "\n" << db.output("killed"));
    CHECK((code == -SIGKILL || code == 0));
    db.settle();
    tally.add(code, requireConsistent(db));

    const auto rerun = db.run("migrate", "crashSource");
    REQUIRE_OK(rerun);
    CHECK(db.tracked().size() == kMigrationCount);
    CHECK(db.fingerprint() == clean.fingerprint);
  }
  tally.report(name);
}

void killDuringRollback(bool postgres) {
  const std::string name = postgres ? "kill during migrate:down (PostgreSQL)" : "kill during migrate:down (SQLite)";
  std::uint64_t seed = 0;
  auto random = seededRandom(name, seed);
  const CleanRun clean = cleanMigrate(postgres, "crashSource");
  Micros downTook{};
  std::string emptyFingerprint;
  {
    TrialDatabase db(postgres);
    REQUIRE_OK(db.run("migrate", "crashSource"));
    const auto started = std::chrono::steady_clock::now();
    REQUIRE_OK(db.run("migrate:down", "crashSource"));
    downTook = since(started);
    emptyFingerprint = db.fingerprint();
    REQUIRE(db.tracked().empty());
  }
  const int trials = std::max(1, envCount("JSORM_KILL_TRIALS", 20) / 4);
  Tally tally;
  for (int trial = 1; trial <= trials; ++trial) {
    const KillPoint at = killPoint(random, downTook);
    INFO("seed " << seed << ", trial " << trial << ", kill " << at.delay.count() << " us after rollback "
                 << at.after << " finished");
    TrialDatabase db(postgres);
    REQUIRE_OK(db.run("migrate", "crashSource"));
    const int code = killAtProgress(db.spawn("migrate:down", "crashSource", "killed"), db.outFile("killed"),
                                    at.after, at.delay);
    INFO("killed rollback: exit " << code << "\n" << db.output("killed"));
    CHECK((code == -SIGKILL || code == 0));
    db.settle();
    // Rolled back newest first, so what is left is still the oldest migrations, whole.
    const auto left = requireConsistent(db);
    const auto tracked = db.tracked();
    for (std::size_t i = 0; i < tracked.size(); ++i) CHECK(tracked[i] == migrationName(static_cast<int>(i) + 1));
    tally.add(code, kMigrationCount - left);

    // The rest of the batch rolls back on a rerun; migrating again gives the clean schema.
    REQUIRE_OK(db.run("migrate:down", "crashSource"));
    CHECK(db.tracked().empty());
    CHECK(db.fingerprint() == emptyFingerprint);
    REQUIRE_OK(db.run("migrate", "crashSource"));
    CHECK(db.fingerprint() == clean.fingerprint);
  }
  tally.report(name);
}

// `.transaction = false` gives up the guarantee on purpose: statements commit one by one and
// the tracking row is written last. What a kill leaves, checked here and documented in
// docs/reliability.md: the tracked migrations are whole and a prefix of the source; the one
// migration that was running may be partly or wholly applied but is not tracked; nothing
// after it ran.
// A rerun then stops at that migration (exit 7, naming it) until someone removes its
// remains; after that the rerun gives the clean schema.
void killDuringNonTransactional(bool postgres) {
  const std::string name = postgres ? "kill during non-transactional migrate (PostgreSQL)"
                                    : "kill during non-transactional migrate (SQLite)";
  std::uint64_t seed = 0;
  auto random = seededRandom(name, seed);
  const CleanRun clean = cleanMigrate(postgres, "nonTransactionalSource");
  const int trials = std::max(1, envCount("JSORM_KILL_TRIALS", 20) / 4);
  Tally tally;
  int leftovers = 0;
  for (int trial = 1; trial <= trials; ++trial) {
    const KillPoint at = killPoint(random, clean.took);
    INFO("seed " << seed << ", trial " << trial << ", kill " << at.delay.count() << " us after migration "
                 << at.after << " finished");
    TrialDatabase db(postgres);
    const int code = killAtProgress(db.spawn("migrate", "nonTransactionalSource", "killed"), db.outFile("killed"),
                                    at.after, at.delay);
    INFO("killed run: exit " << code << "\n" << db.output("killed"));
    CHECK((code == -SIGKILL || code == 0));
    db.settle();

    const auto tracked = db.tracked();
    const auto shape = db.shape();
    CHECK(strayTables(shape).empty());
    const int done = static_cast<int>(tracked.size());
    for (int i = 1; i <= done; ++i) {
      INFO("tracked " << migrationName(i));
      CHECK(tracked[i - 1] == migrationName(i));
      CHECK(traceOf(shape, i) == Trace::Full);
    }
    for (int i = done + 2; i <= kMigrationCount; ++i) {
      INFO("not started " << migrationName(i));
      CHECK(traceOf(shape, i) == Trace::None);
    }
    tally.add(code, tracked.size());

    const bool interrupted = done < kMigrationCount && traceOf(shape, done + 1) != Trace::None;
    const auto rerun = db.run("migrate", "nonTransactionalSource");
    if (interrupted) {
      ++leftovers;
      CHECK_ONE_ERROR_LINE(rerun, 7);
      CHECK(contains(rerun.err, "'" + migrationName(done + 1) + "'"));
      CHECK(db.tracked().size() == tracked.size());
      // The manual recovery docs/reliability.md describes: remove the remains, run again.
      db.connection()->execute("DROP TABLE \"" + tableName(done + 1) + "\"");
      REQUIRE_OK(db.run("migrate", "nonTransactionalSource"));
    } else {
      REQUIRE_OK(rerun);
    }
    CHECK(db.tracked().size() == kMigrationCount);
    CHECK(db.fingerprint() == clean.fingerprint);
  }
  tally.report(name);
  std::cout << name << ": " << leftovers << " of " << trials
            << " kills left an untracked, partly or wholly applied migration" << std::endl;
}
}  // namespace

TEST_CASE("kill -9 during migrate leaves only whole tracked migrations and a rerun completes (SQLite)", "[kill]") {
  killDuringMigrate(false);
}
TEST_CASE("kill -9 during migrate leaves only whole tracked migrations and a rerun completes (PostgreSQL)",
          "[kill][pg]") {
  killDuringMigrate(true);
}
TEST_CASE("kill -9 during migrate:down leaves only whole tracked migrations and a rerun completes (SQLite)",
          "[kill]") {
  killDuringRollback(false);
}
TEST_CASE("kill -9 during migrate:down leaves only whole tracked migrations and a rerun completes (PostgreSQL)",
          "[kill][pg]") {
  killDuringRollback(true);
}
TEST_CASE("kill -9 during a non-transactional migrate leaves at most the running migration partial (SQLite)",
          "[kill]") {
  killDuringNonTransactional(false);
}
TEST_CASE("kill -9 during a non-transactional CONCURRENTLY migrate leaves at most the running migration partial "
          "(PostgreSQL)",
          "[kill][pg]") {
  killDuringNonTransactional(true);
}
