// Eight `jsorm migrate` runners started at once on one MariaDB database (GET_LOCK), and on
// one Galera database through its three nodes (runner i through node i % 3; the lease
// lock): the lock serialises whole runs, so one runner applies every migration, the others
// find nothing to do, and each migration is tracked exactly once. JSORM_RACE_TRIALS sets
// the rounds (CI: 10), each on a fresh database. The source is crashSource's first 30
// migrations: the race is over who takes the lock at the start, and the whole 200 made a
// round take 1.3-2.4 s on MariaDB and 3.3 s on Galera for nothing more.

#include "reliability.hpp"

using namespace jsorm::reliability;

namespace {
constexpr int kRunners = 8;

void racingRunners(DatabaseKind kind, const std::string& source, int migrations) {
  const int rounds = envCount("JSORM_RACE_TRIALS", 10);
  const auto started = std::chrono::steady_clock::now();
  for (int round = 1; round <= rounds; ++round) {
    INFO("round " << round);
    TrialDatabase db(kind);
    std::vector<int> pids;
    // Runner i goes through node i % 3 on Galera.
    for (int i = 0; i < kRunners; ++i) {
      pids.push_back(db.spawn("migrate", source, "runner" + std::to_string(i), {}, i));
    }
    int applying = 0;
    for (int i = 0; i < kRunners; ++i) {
      const int code = ::jsorm::test::waitProcess(pids[i]);
      const std::string tag = "runner" + std::to_string(i);
      const std::string out = readFile(db.outFile(tag));
      INFO("runner " << i << " exit " << code << "\n" << db.output(tag));
      CHECK(code == 0);
      CHECK(readFile(db.fixture().dir.file(tag + ".err")).empty());
      if (contains(out, "Batch 1: applied")) ++applying;
      else CHECK(contains(out, "Nothing to migrate"));
    }
    CHECK(applying == 1);

    const auto tracked = db.tracked();
    REQUIRE(tracked.size() == static_cast<std::size_t>(migrations));
    for (int i = 1; i <= migrations; ++i) CHECK(tracked[i - 1] == migrationName(i));
    CHECK(db.journal().empty());
    CHECK(db.undoneJournalRows() == 0);
    const auto shape = db.shape();
    CHECK(strayTables(shape).empty());
    for (int i = 1; i <= migrations; ++i) CHECK(traceOf(shape, i) == Trace::Full);
    if (db.connection()->hasTable("jsorm_migrations_lock")) {
      // Every runner let go of its lease.
      CHECK(db.connection()->query("SELECT name FROM jsorm_migrations_lock").rows.empty());
    }
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  std::cout << "racing runners (" << kindName(kind) << "): " << rounds << " rounds of " << kRunners << " runners, "
            << migrations << " migrations, " << took.count() << " ms" << std::endl;
}
}  // namespace

TEST_CASE("eight racing migrate runners on one MariaDB database apply each migration exactly once",
          "[race][mysql]") {
  racingRunners(DatabaseKind::Mysql, "shortSource", 30);
}

TEST_CASE("eight racing migrate runners spread over three Galera nodes apply each migration exactly once",
          "[race][galera]") {
  racingRunners(DatabaseKind::Galera, "shortSource", 30);
}
