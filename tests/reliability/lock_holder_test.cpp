// A runner killed while it holds the migration lock: the lock goes with it (SQLite: a flock
// the kernel drops; PostgreSQL: a session advisory lock the server drops with the session),
// so a runner already waiting for it proceeds and finishes the job, each migration once.
// A lease lock (MariaDB Galera, or lock=lease) is not dropped with its holder: the waiter
// takes it over once the lease expired.

#include "reliability.hpp"

using namespace jsorm::reliability;

namespace {
// Waits until the first runner has applied at least one migration (so it holds the lock
// and is mid-run); a read can meet the writer's lock on SQLite, so errors just retry.
std::size_t waitForProgress(const TrialDatabase& db, int pid) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    try {
      if (const auto n = db.tracked().size(); n > 0) return n;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ::kill(pid, SIGKILL);
  ::jsorm::test::waitProcess(pid);
  FAIL("the first runner applied nothing within 30 s");
  return 0;
}

void killedHolderReleasesLock(DatabaseKind kind) {
  const int trials = envCount("JSORM_RACE_TRIALS", 10) / 2;
  for (int trial = 1; trial <= std::max(1, trials); ++trial) {
    INFO("trial " << trial);
    TrialDatabase db(kind);
    const int holder = db.spawn("migrate", "crashSource", "holder");
    const std::size_t before = waitForProgress(db, holder);
    // The waiter gives up after 30 s, so a lock that outlived its holder fails the test
    // with exit 6 instead of hanging it.
    const int waiter = db.spawn("migrate", "crashSource", "waiter", {"--lock-timeout", "30"});
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const int holderExit = killAfter(holder, std::chrono::microseconds(0));
    INFO("holder: exit " << holderExit << ", " << before << "+ migrations applied before the kill\n"
                         << db.output("holder"));
    const int waiterExit = ::jsorm::test::waitProcess(waiter);
    INFO("waiter: exit " << waiterExit << "\n" << db.output("waiter"));
    CHECK(waiterExit == 0);
    // The holder may finish before the kill lands on a fast machine; the trial only counts
    // when it did not.
    if (holderExit == -SIGKILL) {
      CHECK(contains(db.output("waiter"), "Batch 2: applied"));
    }
    db.settle();
    const auto tracked = db.tracked();
    CHECK(tracked.size() == kMigrationCount);
    CHECK(std::set<std::string>(tracked.begin(), tracked.end()).size() == tracked.size());
    const auto shape = db.shape();
    for (int i = 1; i <= kMigrationCount; ++i) CHECK(traceOf(shape, i) == Trace::Full);
  }
}

/// Waits until `pid` printed at least `count` finished migrations (or ended); false on 60 s.
bool waitForProgressLines(const TrialDatabase& db, const std::string& tag, int pid, int count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (finishedIn(db.outFile(tag)) < count && !isZombie(pid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return finishedIn(db.outFile(tag)) >= count;
}

// A lease lock (Galera, or ?lock=lease) dies with nobody to release it: the row stays and
// only its heartbeat stops. A runner started while the holder ran waits until the
// heartbeat stood still for a whole lease, takes the lease over and finishes the job; the
// wait from the kill to its first migration is at least about one lease (the last beat
// may have come up to a quarter lease before the kill).
void killedLeaseHolderIsTakenOver(DatabaseKind kind, const std::string& urlQuery) {
  constexpr std::chrono::milliseconds kLease(2000);
  const int trials = std::max(1, envCount("JSORM_RACE_TRIALS", 10) / 5);
  for (int trial = 1; trial <= trials; ++trial) {
    INFO("trial " << trial);
    TrialDatabase db(kind, urlQuery);
    // Galera: holder through node 1, waiter through node 2.
    const int holder = db.spawn("migrate", "crashSource", "holder", {}, 0);
    if (!waitForProgressLines(db, "holder", holder, 1)) {
      killAfter(holder, std::chrono::microseconds(0));
      FAIL("the holder applied nothing within 60 s\n" << db.output("holder"));
    }
    const int waiter = db.spawn("migrate", "crashSource", "waiter", {"--lock-timeout", "60"}, 1);
    // Time for the waiter to start, connect and find the lease held.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const bool waiterIdle = finishedIn(db.outFile("waiter")) == 0;
    const auto killedAt = std::chrono::steady_clock::now();
    const int holderExit = killAfter(holder, std::chrono::microseconds(0));
    INFO("holder: exit " << holderExit << "\n" << db.output("holder"));
    CHECK(waiterIdle);  // two runners applying at once would be a broken lock
    CHECK(holderExit == -SIGKILL);  // not REQUIRE: the waiter is still to be reaped
    const int applied = finishedIn(db.outFile("holder"));

    const bool tookOver = waitForProgressLines(db, "waiter", waiter, 1);
    const auto waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killedAt);
    const int waiterExit = ::jsorm::test::waitProcess(waiter);
    INFO("waiter: exit " << waiterExit << "\n" << db.output("waiter"));
    CHECK(tookOver);
    CHECK(waiterExit == 0);
    CHECK(contains(db.output("waiter"), "Batch 2: applied"));
    CHECK(waited >= kLease * 3 / 4);
    std::cout << "lease takeover (" << kindName(kind) << "): holder killed after " << applied
              << " migrations; the waiter's first migration finished " << waited.count() << " ms after the kill ("
              << kLease.count() << " ms lease)" << std::endl;

    db.settle();
    const auto tracked = db.tracked();
    REQUIRE(tracked.size() == kMigrationCount);
    for (int i = 1; i <= kMigrationCount; ++i) CHECK(tracked[i - 1] == migrationName(i));
    CHECK(db.journal().empty());
    CHECK(db.undoneJournalRows() == 0);
    const auto shape = db.shape();
    for (int i = 1; i <= kMigrationCount; ++i) CHECK(traceOf(shape, i) == Trace::Full);
    CHECK(db.connection()->query("SELECT name FROM jsorm_migrations_lock").rows.empty());
  }
}
}  // namespace

TEST_CASE("a runner killed while holding the migration lock releases it and the waiting runner finishes (SQLite)",
          "[race]") {
  killedHolderReleasesLock(DatabaseKind::Sqlite);
}
TEST_CASE("a runner killed while holding the migration lock releases it and the waiting runner finishes (PostgreSQL)",
          "[race][pg]") {
  killedHolderReleasesLock(DatabaseKind::Postgres);
}
TEST_CASE("a runner killed while holding a Galera lease is taken over after the lease expires and the waiting runner "
          "finishes",
          "[race][galera]") {
  killedLeaseHolderIsTakenOver(DatabaseKind::Galera, "?lock_lease=2");
}
TEST_CASE("a runner killed while holding a lease lock on a standalone MariaDB is taken over after the lease expires",
          "[race][mysql]") {
  killedLeaseHolderIsTakenOver(DatabaseKind::Mysql, "?lock=lease&lock_lease=2");
}
