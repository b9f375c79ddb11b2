// Several runners on one database at once: each migration is applied exactly once.

#include "cli_fixture.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fcntl.h>
#include <set>
#include <sys/file.h>
#include <unistd.h>

using namespace jsorm::cli_test;

TEST_CASE("eight racing migrate runners apply each migration exactly once") {
  constexpr int kRunners = 8;
  for (int round = 1; round <= envCount("JSORM_RACE_TRIALS", 10); ++round) {
    INFO("round " << round);
    CliFixture f;
    ProcessOptions options;
    options.workingDirectory = f.dir.path();
    options.environment = {{"DATABASE_URL", ""}, {"JSORM_ADAPTER_PATH", ""}, {"FIXTURE_DB", ""}};
    std::vector<int> pids;
    for (int i = 0; i < kRunners; ++i) {
      pids.push_back(::jsorm::test::spawnProcess(
          kJsorm, {"migrate", kCases, "manySource", "--url", "sqlite:" + f.db}, options,
          f.dir.file("out" + std::to_string(i)), f.dir.file("err" + std::to_string(i))));
    }
    int applying = 0;
    for (int i = 0; i < kRunners; ++i) {
      const int code = ::jsorm::test::waitProcess(pids[i]);
      const std::string out = readFile(f.dir.file("out" + std::to_string(i)));
      const std::string err = readFile(f.dir.file("err" + std::to_string(i)));
      INFO("runner " << i << " exit " << code << "\n" << out << err);
      CHECK(code == 0);
      CHECK(err.empty());
      if (contains(out, "Batch 1: applied")) ++applying;
      else CHECK(contains(out, "Nothing to migrate"));
    }
    // The lock serialises whole runs: one runner applies all 30, the others find nothing.
    CHECK(applying == 1);

    auto db = openDb(f.db);
    const auto rows = db->query("SELECT name, batch FROM jsorm_migrations ORDER BY id").rows;
    CHECK(rows.size() == 30);
    std::set<std::string> names;
    for (const auto& row : rows) names.insert(std::get<std::string>(row.at(0)));
    CHECK(names.size() == 30);
    for (int t = 1; t <= 30; ++t) {
      const std::string table = fmt::format("t{:03}", t);
      INFO(table);
      CHECK(db->hasTable(table));
      CHECK(names.count("create-" + table) == 1);
    }
  }
}

TEST_CASE("a runner that cannot get the migration lock in time exits 6 and changes nothing", "[bad-input]") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:up", "goodSource"));
  const auto before = f.dbBytes();

  // Hold the lock the SQLite adapter takes, as a long-running migrate would.
  const std::string lockFile = f.db + "-jsorm-lock";
  const int fd = ::open(lockFile.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);

  const auto started = std::chrono::steady_clock::now();
  const auto r = f.cases("migrate", "goodSource", {"--lock-timeout", "0.5"});
  const auto took = std::chrono::steady_clock::now() - started;
  ::close(fd);

  CHECK_ONE_ERROR_LINE(r, 6);
  CHECK(contains(r.err, "timed out"));
  CHECK(contains(r.err, "lock"));
  CHECK(contains(r.err, "--lock-timeout"));
  CHECK(took >= std::chrono::milliseconds(450));
  CHECK(took < std::chrono::seconds(20));
  CHECK(f.dbBytes() == before);

  // Once the lock is free, the same command succeeds.
  const auto after = f.cases("migrate", "goodSource", {"--lock-timeout", "5"});
  REQUIRE_OK(after);
  CHECK(trackedNames(f.db).size() == 3);
}
