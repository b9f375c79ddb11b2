// --ddl-lock-timeout and --retries against a real PostgreSQL where another session holds a
// lock on the table a migration alters: the migration waits at most the timeout, is rolled
// back and retried, and finally fails naming the table and the lock, leaving nothing applied.
#include "cli_fixture.hpp"
#include "pg_scratch.hpp"

#include <fmt/format.h>

#include <chrono>
#include <thread>

using namespace jsorm::cli_test;

namespace {
using Clock = std::chrono::steady_clock;

// goodSource: create-accounts, then add-nickname (a column and an index on accounts).
ProcessResult migrate(const CliFixture& f, const ScratchDatabase& pg, std::vector<std::string> extra) {
  std::vector<std::string> args{"migrate", kCases, "goodSource", "--url", pg.url()};
  args.insert(args.end(), extra.begin(), extra.end());
  return f.jsorm(args);
}

std::size_t countOf(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}
}  // namespace

TEST_CASE("a migration that cannot get its table lock is retried, then fails naming the table and the holder", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate:up", kCases, "goodSource", "--url", pg.url()}));

  // An open transaction that read the table holds ACCESS SHARE on it until it ends, which
  // blocks ALTER TABLE's ACCESS EXCLUSIVE: the classic idle-in-transaction session.
  auto holder = jsorm::connect(pg.url());
  holder->begin();
  holder->query("SELECT COUNT(*) FROM accounts");

  const auto started = Clock::now();
  const auto r = migrate(f, pg, {"--ddl-lock-timeout", "0.2", "--retries", "2"});
  const auto took = Clock::now() - started;
  INFO(describe(r));
  CHECK(r.exitCode == 7);
  // Two retries announced, then the failure: three attempts in all.
  CHECK(countOf(r.err, "jsorm: warning: migration 'add-nickname' waited 200 ms for a lock on table \"accounts\"") == 2);
  CHECK(contains(r.err, "retry 1 of 2"));
  CHECK(contains(r.err, "retry 2 of 2"));
  CHECK(contains(r.err, "jsorm: error: migration 'add-nickname' gave up waiting for a lock on table \"accounts\""));
  CHECK(contains(r.err, "AccessShareLock on \"accounts\", idle in transaction"));
  CHECK(contains(r.err, "3 attempts each waited 200 ms"));
  CHECK(contains(r.err, "at step 1 of 2 (addColumn(\"accounts\", \"nickname\""));
  // The pauses (0.5 s then 1 s, each up to a quarter longer) happened, and no attempt waited unbounded.
  CHECK(took >= std::chrono::milliseconds(1500 + 3 * 200));
  CHECK(took < std::chrono::seconds(30));

  holder->rollback();
  // Nothing of add-nickname is applied, and the rest of the run did not go on without it.
  CHECK_FALSE(pg.db().hasColumn("accounts", "nickname"));
  CHECK(pg.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
  CHECK(pg.count("SELECT COUNT(*) FROM accounts") == 0);

  // With the lock free the same command applies what was left, once.
  const auto again = migrate(f, pg, {"--ddl-lock-timeout", "0.2", "--retries", "2"});
  INFO(describe(again));
  CHECK(again.exitCode == 0);
  CHECK_FALSE(contains(again.err, "warning"));
  CHECK(pg.count("SELECT COUNT(*) FROM jsorm_migrations") == 3);
  CHECK(pg.db().hasColumn("accounts", "nickname"));
}

TEST_CASE("a lock released while the migration retries lets it through on a later attempt", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate:up", kCases, "goodSource", "--url", pg.url()}));
  auto holder = jsorm::connect(pg.url());
  holder->begin();
  holder->execute("LOCK TABLE accounts IN SHARE MODE");

  jsorm::test::ProcessOptions options;
  options.workingDirectory = f.dir.path();
  const int pid = jsorm::test::spawnProcess(
      kJsorm, {"migrate", kCases, "goodSource", "--url", pg.url(), "--ddl-lock-timeout", "0.3", "--retries", "8"},
      options, f.dir.file("out"), f.dir.file("err"));
  // Long enough for at least one attempt to time out, well inside the eight retries' pauses.
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  holder->rollback();
  const int exitCode = jsorm::test::waitProcess(pid);
  const std::string err = jsorm::test::readFile(f.dir.file("err"));
  INFO(err);
  CHECK(exitCode == 0);
  CHECK(contains(err, "ShareLock on \"accounts\""));
  CHECK(contains(err, "retry 1 of 8"));
  CHECK(contains(jsorm::test::readFile(f.dir.file("out")), "Batch 2: applied 2 migrations"));
  CHECK(pg.count("SELECT COUNT(*) FROM jsorm_migrations WHERE name = 'add-nickname'") == 1);
  CHECK(pg.db().hasColumn("accounts", "nickname"));
}

TEST_CASE("[run] ddlLockTimeout in jsorm.toml bounds the wait, and the command line overrides it", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate:up", kCases, "goodSource", "--url", pg.url()}));
  jsorm::test::writeFile(f.dir.file("jsorm.toml"), "[run]\nddlLockTimeout = 0.1\nretries = 0\n");
  auto holder = jsorm::connect(pg.url());
  holder->begin();
  holder->query("SELECT COUNT(*) FROM accounts");

  const auto fromConfig = migrate(f, pg, {});
  INFO(describe(fromConfig));
  CHECK(fromConfig.exitCode == 7);
  CHECK(contains(fromConfig.err, "1 attempt each waited 100 ms"));
  CHECK_FALSE(contains(fromConfig.err, "retry 1"));

  const auto overridden = migrate(f, pg, {"--ddl-lock-timeout", "0.15", "--retries", "1"});
  INFO(describe(overridden));
  CHECK(overridden.exitCode == 7);
  CHECK(contains(overridden.err, "2 attempts each waited 150 ms"));
  holder->rollback();
  CHECK(pg.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
}

TEST_CASE("a dry run shows the lock_timeout it would set inside each migration's transaction", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  const auto r = migrate(f, pg, {"--dry-run", "--ddl-lock-timeout", "2.5"});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(countOf(r.out, "BEGIN;\nSET LOCAL lock_timeout = '2500ms';\n") == 3);
}

TEST_CASE("bad DDL lock settings are refused before anything runs", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  for (const auto& bad : std::vector<std::vector<std::string>>{{"--ddl-lock-timeout", "0"},
                                                               {"--ddl-lock-timeout", "-1"},
                                                               {"--ddl-lock-timeout", "nan"},
                                                               {"--ddl-lock-timeout", "inf"},
                                                               {"--ddl-lock-timeout", "86401"},
                                                               {"--ddl-lock-timeout", "soon"},
                                                               {"--retries", "-1"},
                                                               {"--retries", "101"},
                                                               {"--retries", "2.5"}}) {
    const auto r = migrate(f, pg, bad);
    INFO(bad[0] << " " << bad[1] << ": " << describe(r));
    CHECK(r.exitCode == 2);
    CHECK(r.errLines().size() == 1);
  }
  for (const auto& [toml, phrase] : std::vector<std::pair<std::string, std::string>>{
           {"[run]\nddlLockTimeout = 0\n", "run.ddlLockTimeout must be a number of seconds from 0.001"},
           {"[run]\nddlLockTimeout = \"5s\"\n", "run.ddlLockTimeout must be a number of seconds"},
           {"[run]\nretries = 1.5\n", "run.retries must be a whole number"},
           {"[run]\nretries = 1000\n", "run.retries must be a whole number from 0 to 100; got 1000"},
           {"[run]\nddlLockTimout = 5\n", "unknown key 'ddlLockTimout' in [run]"}}) {
    jsorm::test::writeFile(f.dir.file("jsorm.toml"), toml);
    const auto r = migrate(f, pg, {});
    INFO(toml << describe(r));
    CHECK(r.exitCode == 3);
    CHECK(contains(r.err, "jsorm.toml:"));
    CHECK(contains(r.err, phrase));
  }
  CHECK(pg.db().tables().empty());
}
