// The CLI against the real PostgreSQL server started by scripts/test.sh. Each test gets a
// database of its own, so these run in parallel with everything else.
#include "cli_fixture.hpp"
#include "pg_scratch.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>

#include <atomic>
#include <cstdlib>
#include <unistd.h>

using namespace jsorm::cli_test;

namespace {
std::string passwordOf(const std::string& url) { return jsorm::passwordIn(url); }
}  // namespace

TEST_CASE("the example migrates into PostgreSQL with DATABASE_URL set, full-text index included", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  const Env env{{"DATABASE_URL", pg.url()}};
  const auto migrated = f.jsorm({"migrate", kExampleModule, "postgresSource"}, env);
  INFO(describe(migrated));
  REQUIRE(migrated.exitCode == 0);
  CHECK(contains(migrated.out, "add-fulltext-index"));
  CHECK_FALSE(contains(migrated.out + migrated.err, passwordOf(pg.url())));
  CHECK(pg.db().hasColumn("users", "timezone"));
  CHECK(pg.db().hasColumn("users", "role_id"));
  CHECK(pg.count("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'users_name_fts'") == 1);
  CHECK(f.jsorm({"migrate:status", kExampleModule, "postgresSource"}, env).exitCode == 0);

  const auto down = f.jsorm({"migrate:down", kExampleModule, "postgresSource"}, env);
  INFO(describe(down));
  REQUIRE(down.exitCode == 0);
  CHECK(pg.db().tables() == std::vector<std::string>{"jsorm_migrations"});
}

TEST_CASE("eight racing jsorm migrate processes on PostgreSQL apply each migration exactly once", "[pg]") {
  for (int trial = 0; trial < envCount("JSORM_RACE_TRIALS", 10); ++trial) {
    ScratchDatabase pg;
    CliFixture f;
    std::vector<int> pids;
    for (int i = 0; i < 8; ++i) {
      jsorm::test::ProcessOptions options;
      options.workingDirectory = f.dir.path();
      // Eight connections at once on a loaded 2-core machine (a sanitizer build, other
      // suites in parallel) have been seen to take longer than jsorm's 10 s default; this
      // test is about the lock, so connecting gets the time it needs.
      options.environment["PGCONNECT_TIMEOUT"] = "60";
      pids.push_back(jsorm::test::spawnProcess(kJsorm, {"migrate", kCases, "manySource", "--url", pg.url()}, options,
                                               f.dir.file(fmt::format("out{}", i)), f.dir.file(fmt::format("err{}", i))));
    }
    int applied = 0;
    for (std::size_t i = 0; i < pids.size(); ++i) {
      INFO("runner " << i << ": " << readFile(f.dir.file(fmt::format("err{}", i))));
      CHECK(jsorm::test::waitProcess(pids[i]) == 0);
      if (contains(readFile(f.dir.file(fmt::format("out{}", i))), "Batch 1: applied 30 migrations")) ++applied;
    }
    CHECK(applied == 1);
    CHECK(pg.count("SELECT COUNT(*) FROM jsorm_migrations") == 30);
    CHECK(pg.count("SELECT COUNT(DISTINCT name) FROM jsorm_migrations") == 30);
    CHECK(pg.db().hasTable("t030"));
  }
}

TEST_CASE("a refused PostgreSQL connection is one line, exit 6, and never shows the password", "[pg][bad-input]") {
  CliFixture f;
  for (const std::string command : {"migrate", "migrate:status"}) {
    const auto r = f.cases(command, "goodSource", {"--url", "postgres://u:" + testSecret("s3cret") + "@127.0.0.1:1/x"});
    CHECK_ONE_ERROR_LINE(r, 6);
    CHECK(contains(r.err, "connection refused"));
    CHECK(contains(r.err, "127.0.0.1:1"));
    CHECK_FALSE(contains(r.out + r.err, testSecret("s3cret")));
  }
}

TEST_CASE("a wrong PostgreSQL password is an authentication error that does not print it", "[pg][bad-input]") {
  CliFixture f;
  std::string url = serverUrl();
  const std::string real = passwordOf(url);
  url.replace(url.find(real), real.size(), testSecret("not-the-pw-9f3"));
  const auto r = f.cases("migrate", "goodSource", {"--url", url});
  CHECK_ONE_ERROR_LINE(r, 6);
  CHECK(contains(r.err, "authentication failed"));
  CHECK_FALSE(contains(r.out + r.err, testSecret("not-the-pw-9f3")));
}

TEST_CASE("an unknown PostgreSQL database is named in a one-line error", "[pg][bad-input]") {
  CliFixture f;
  const std::string server = serverUrl();
  const auto r = f.cases("migrate", "goodSource", {"--url", server.substr(0, server.rfind('/') + 1) + "no_such_db_x"});
  CHECK_ONE_ERROR_LINE(r, 6);
  CHECK(contains(r.err, "no_such_db_x"));
  CHECK(contains(r.err, "does not exist"));
  CHECK_FALSE(contains(r.out + r.err, passwordOf(server)));
}

TEST_CASE("a failing migration on PostgreSQL reports SQLSTATE and statement and leaves no trace", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  const auto r = f.cases("migrate", "failingSource", {"--url", pg.url()});
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "broken-second"));
  CHECK(contains(r.err, "[42P01]"));
  CHECK(contains(r.err, "INSERT INTO no_such_table"));
  CHECK(pg.db().hasTable("first"));
  CHECK_FALSE(pg.db().hasTable("second"));
  CHECK(pg.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
}

TEST_CASE("a dry run on PostgreSQL prints the SQL, redacts the password and changes nothing", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {"--url", pg.url(), "--dry-run"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "CREATE TABLE IF NOT EXISTS \"jsorm_migrations\""));
  CHECK(contains(r.out, "GENERATED BY DEFAULT AS IDENTITY"));
  CHECK_FALSE(contains(r.out + r.err, passwordOf(pg.url())));
  CHECK(pg.db().tables().empty());
}

TEST_CASE("a runner waiting on PostgreSQL's migration lock times out with exit 6", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  auto holder = jsorm::connect(pg.url());
  holder->lockMigrations("jsorm_migrations", std::chrono::milliseconds(1000));
  const auto r = f.cases("migrate", "goodSource", {"--url", pg.url(), "--lock-timeout", "0.5"});
  CHECK_ONE_ERROR_LINE(r, 6);
  CHECK(contains(r.err, "timed out after 500 ms"));
  CHECK_FALSE(pg.db().hasTable("accounts"));
  holder = jsorm::Database();  // closing the session releases the lock
  CHECK(f.cases("migrate", "goodSource", {"--url", pg.url()}).exitCode == 0);
}
