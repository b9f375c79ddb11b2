// A runner killed while it holds the migration lock: the lock goes with it (SQLite: a flock
// the kernel drops; PostgreSQL: a session advisory lock the server drops with the session),
// so a runner already waiting for it proceeds and finishes the job, each migration once.

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

void killedHolderReleasesLock(bool postgres) {
  const int trials = envCount("JSORM_RACE_TRIALS", 10) / 2;
  for (int trial = 1; trial <= std::max(1, trials); ++trial) {
    INFO("trial " << trial);
    TrialDatabase db(postgres);
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
}  // namespace

TEST_CASE("a runner killed while holding the migration lock releases it and the waiting runner finishes (SQLite)",
          "[race]") {
  killedHolderReleasesLock(false);
}
TEST_CASE("a runner killed while holding the migration lock releases it and the waiting runner finishes (PostgreSQL)",
          "[race][pg]") {
  killedHolderReleasesLock(true);
}
