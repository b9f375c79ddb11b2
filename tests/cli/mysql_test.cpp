// The CLI against MariaDB (the server of $JSORM_TEST_MYSQL_URL, which scripts/test.sh
// starts): the example's history up and down, partial migrations (DDL commits on its own
// there, so a failed migration stops half-way and the step journal says where), and the
// ways a run is refused. Each test gets a database of its own.
#include "cli_fixture.hpp"
#include "mysql_private_server.hpp"
#include "mysql_scratch.hpp"

#include <jsorm/runtime.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <thread>

using namespace jsorm::cli_test;

namespace {

/// The run printed neither the password of `url` nor this run's test secret.
void checkNoSecrets(const ProcessResult& r, const std::string& url) {
  INFO(describe(r));
  const std::string password = jsorm::passwordIn(url);
  if (!password.empty()) CHECK_FALSE(contains(r.out + r.err, password));
  CHECK_FALSE(contains(r.out + r.err, testSecret("x").substr(2)));  // this run's secret alone
}

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

// ---- the example history --------------------------------------------------------------

TEST_CASE("the roles/users example migrates into MariaDB with --url, rolls back and migrates again", "[mysql]") {
  MysqlScratchDatabase my;
  CliFixture f;
  const std::vector<std::string> url{"--url", my.url()};
  auto run = [&](const std::string& command) {
    std::vector<std::string> args{command, kExampleModule, "ormSource"};
    args.insert(args.end(), url.begin(), url.end());
    return f.jsorm(args);
  };

  const auto migrated = run("migrate");
  INFO(describe(migrated));
  REQUIRE(migrated.exitCode == 0);
  CHECK(contains(migrated.out, "Batch 1: applied 2 migrations"));
  checkNoSecrets(migrated, my.url());
  CHECK(my.hasTable("roles"));
  CHECK(my.hasTable("users"));
  CHECK(my.hasColumn("users", "role_id"));
  CHECK(my.hasColumn("users", "timezone"));
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations") == 2);

  const auto status = run("migrate:status");
  INFO(describe(status));
  CHECK(status.exitCode == 0);
  CHECK(contains(status.out, "2 applied, 0 pending, 0 changed, 0 missing"));
  checkNoSecrets(status, my.url());

  const auto down = run("migrate:down");
  INFO(describe(down));
  REQUIRE(down.exitCode == 0);
  CHECK_FALSE(my.hasTable("roles"));
  CHECK_FALSE(my.hasTable("users"));
  CHECK(sorted(my.db().tables()) == std::vector<std::string>{"jsorm_migrations", "jsorm_migrations_steps"});
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations") == 0);
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations_steps") == 0);
  CHECK(run("migrate:status").exitCode == 10);

  REQUIRE_OK(run("migrate"));
  CHECK(my.hasColumn("users", "timezone"));
  CHECK(run("migrate:status").exitCode == 0);
}

// ---- partial migrations ---------------------------------------------------------------

namespace {
/// partialSource migrated until its broken third step: create-first applied, four-steps
/// partial with steps 1-2 (partial_one and its note column) journaled.
struct PartialOnMysql {
  MysqlScratchDatabase my;
  CliFixture f;
  ProcessResult first;

  PartialOnMysql() { first = run("migrate"); }
  ProcessResult run(const std::string& command, const std::string& variant = "", std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--url", my.url()};
    args.insert(args.end(), extra.begin(), extra.end());
    return f.cases(command, "partialSource", args, {{"FIXTURE_VARIANT", variant}});
  }
  std::int64_t journalRows() { return my.count("SELECT COUNT(*) FROM jsorm_migrations_steps"); }
};
}  // namespace

TEST_CASE("a migration failing at its third step on MariaDB is partial: one error line, exit 7, status 10", "[mysql]") {
  PartialOnMysql p;
  CHECK_ONE_ERROR_LINE(p.first, 7);
  CHECK(contains(p.first.err, "'four-steps'"));
  CHECK(contains(p.first.err, "step 3 of 4"));
  CHECK(contains(p.first.err, "Unknown column 'no_such_column'"));
  CHECK(contains(p.first.err, "MySQL error 1054"));
  CHECK(contains(p.first.err, "partial (2 of 4 steps ran and are journaled)"));
  checkNoSecrets(p.first, p.my.url());
  CHECK(p.my.hasTable("first"));
  CHECK(p.my.hasColumn("partial_one", "note"));
  CHECK_FALSE(p.my.hasTable("partial_two"));
  CHECK(p.my.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
  CHECK(p.journalRows() == 2);

  const auto text = p.run("migrate:status");
  INFO(describe(text));
  CHECK(text.exitCode == 10);
  CHECK(matches(text.out, R"(four-steps +partial \(2 of 4 steps\))"));
  CHECK(contains(text.out, "1 partial"));

  const auto json = p.run("migrate:status", "", {"--json"});
  INFO(describe(json));
  CHECK(json.exitCode == 10);
  const auto report = nlohmann::json::parse(json.out);
  CHECK(report["upToDate"] == false);
  REQUIRE(report["migrations"].size() == 2);
  CHECK(report["migrations"][0]["state"] == "applied");
  const auto& partial = report["migrations"][1];
  CHECK(partial["name"] == "four-steps");
  CHECK(partial["state"] == "partial");
  CHECK(partial["stepsDone"] == 2);
  CHECK(partial["stepsTotal"] == 4);
}

TEST_CASE("migrate resumes a partial migration on MariaDB with only its remaining steps", "[mysql]") {
  PartialOnMysql p;
  REQUIRE(p.first.exitCode == 7);
  // A row written between the failure and the fix: re-creating partial_one would lose it.
  p.my.db().execute("INSERT INTO partial_one (id, note) VALUES (7, 'kept')");

  const auto resumed = p.run("migrate", "fixed");
  INFO(describe(resumed));
  REQUIRE(resumed.exitCode == 0);
  CHECK(contains(resumed.out, "four-steps"));
  CHECK(p.journalRows() == 0);
  CHECK(p.my.count("SELECT COUNT(*) FROM jsorm_migrations") == 2);
  CHECK(p.my.count("SELECT COUNT(*) FROM partial_one WHERE id = 1 AND note = 'fixed'") == 1);
  CHECK(p.my.count("SELECT COUNT(*) FROM partial_one WHERE id = 7 AND note = 'kept'") == 1);
  CHECK(p.my.count("SELECT COUNT(*) FROM partial_one") == 2);
  CHECK(p.my.hasTable("partial_two"));

  const auto status = p.run("migrate:status", "fixed");
  INFO(describe(status));
  CHECK(status.exitCode == 0);
  CHECK(contains(status.out, "2 applied, 0 pending"));
}

TEST_CASE("migrate:down of a partial migration on MariaDB undoes exactly its journaled steps", "[mysql]") {
  PartialOnMysql p;
  REQUIRE(p.first.exitCode == 7);
  const auto down = p.run("migrate:down");
  INFO(describe(down));
  REQUIRE(down.exitCode == 0);
  CHECK(contains(down.out, "four-steps"));
  CHECK_FALSE(p.my.hasTable("partial_one"));
  CHECK_FALSE(p.my.hasTable("partial_two"));
  CHECK(p.my.hasTable("first"));  // create-first was applied, not part of the partial one
  CHECK(p.my.count("SELECT COUNT(*) FROM jsorm_migrations WHERE name = 'create-first'") == 1);
  CHECK(p.journalRows() == 0);

  const auto status = p.run("migrate:status");
  INFO(describe(status));
  CHECK(status.exitCode == 10);
  CHECK(matches(status.out, R"(four-steps +pending)"));
  CHECK(contains(status.out, "1 applied, 1 pending"));
}

TEST_CASE("a partial migration whose journaled step was edited is not resumed on MariaDB", "[mysql][bad-input]") {
  PartialOnMysql p;
  REQUIRE(p.first.exitCode == 7);
  const auto r = p.run("migrate", "edited");
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "'four-steps'"));
  CHECK(contains(r.err, "step 1"));
  CHECK(contains(r.err, "changed"));
  CHECK(p.journalRows() == 2);
  CHECK_FALSE(p.my.hasColumn("partial_one", "extra"));
  CHECK_FALSE(p.my.hasTable("partial_two"));
}

TEST_CASE("migrate:repair clears a partial state on MariaDB: the migration is pending again", "[mysql]") {
  PartialOnMysql p;
  REQUIRE(p.first.exitCode == 7);
  const auto repaired = p.run("migrate:repair");
  INFO(describe(repaired));
  REQUIRE(repaired.exitCode == 0);
  CHECK(contains(repaired.out, "four-steps"));
  CHECK(p.journalRows() == 0);
  const auto status = p.run("migrate:status");
  INFO(describe(status));
  CHECK(status.exitCode == 10);
  CHECK(matches(status.out, R"(four-steps +pending)"));
  CHECK_FALSE(contains(status.out, "partial"));
}

// ---- bad input --------------------------------------------------------------------------

TEST_CASE("a wrong MariaDB password is one line, exit 6, access denied, and not printed", "[mysql][bad-input]") {
  CliFixture f;
  std::string url = mysqlServerUrl();
  const std::string real = jsorm::passwordIn(url);
  REQUIRE_FALSE(real.empty());
  const std::string wrong = testSecret("not-the-pw-7c1");
  url.replace(url.find(real), real.size(), wrong);
  for (const std::string command : {"migrate", "migrate:status"}) {
    const auto r = f.cases(command, "goodSource", {"--url", url});
    CHECK_ONE_ERROR_LINE(r, 6);
    CHECK(contains(r.err, "access denied for user \"jsorm\""));
    CHECK_FALSE(contains(r.out + r.err, wrong));
    CHECK_FALSE(contains(r.out + r.err, real));
  }
}

TEST_CASE("an unknown MariaDB database is named in a one-line error, exit 6", "[mysql][bad-input]") {
  CliFixture f;
  const std::string url = mysqlUrlFor(mysqlServerUrl(), "no_such_db_x");
  const auto r = f.cases("migrate", "goodSource", {"--url", url});
  CHECK_ONE_ERROR_LINE(r, 6);
  CHECK(contains(r.err, "\"no_such_db_x\" does not exist"));
  checkNoSecrets(r, url);
}

TEST_CASE("a refused MariaDB port is one line, exit 6, naming host and port", "[mysql][bad-input]") {
  CliFixture f;
  const std::string url = "mysql://u:" + testSecret("s3cret") + "@127.0.0.1:1/x";
  for (const std::string command : {"migrate", "migrate:status"}) {
    const auto r = f.cases(command, "goodSource", {"--url", url});
    CHECK_ONE_ERROR_LINE(r, 6);
    CHECK(contains(r.err, "cannot connect to MySQL at 127.0.0.1:1"));
    CHECK(contains(r.err, "connection refused"));
    checkNoSecrets(r, url);
  }
}

TEST_CASE("a malformed MySQL URL (bad port, unknown parameter) is one line, exit 6, with the password redacted",
          "[mysql][bad-input]") {
  // Exit 6 like PostgreSQL's adapter for the same mistakes: the adapter parses its own URL.
  CliFixture f;
  const std::string secret = testSecret("url");
  const struct {
    std::string url;
    std::string phrase;
  } cases[] = {
      {"mysql://u:" + secret + "@127.0.0.1:99999/x", "has the port '99999', which is not a number from 1 to 65535"},
      {"mysql://u:" + secret + "@127.0.0.1:abc/x", "has the port 'abc'"},
      {"mariadb://u:" + secret + "@127.0.0.1:3306/x?frobnicate=1", "unknown parameter 'frobnicate'"},
      {"mysql://u:" + secret + "@127.0.0.1:3306/x?lock=sometimes", "lock=sometimes"},
  };
  for (const auto& c : cases) {
    const auto r = f.cases("migrate", "goodSource", {"--url", c.url});
    INFO(c.url);
    CHECK_ONE_ERROR_LINE(r, 6);
    CHECK(contains(r.err, c.phrase));
    CHECK(contains(r.err, "mysql://u@127.0.0.1") + contains(r.err, "mariadb://u@127.0.0.1") == 1);
    checkNoSecrets(r, c.url);
  }
}

TEST_CASE("a statement MariaDB rejects fails its migration with the MySQL error and statement, exit 7",
          "[mysql][bad-input]") {
  MysqlScratchDatabase my;
  CliFixture f;
  const auto r = f.cases("migrate", "failingSource", {"--url", my.url()});
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "'broken-second'"));
  CHECK(contains(r.err, "step 2 of 2"));
  CHECK(contains(r.err, "MySQL error 1146"));
  CHECK(contains(r.err, "[42S02]"));
  CHECK(contains(r.err, "INSERT INTO no_such_table"));
  checkNoSecrets(r, my.url());
  CHECK(my.hasTable("first"));
  CHECK(my.hasTable("second"));  // DDL commits on its own: the first step stays, journaled
  CHECK_FALSE(my.hasTable("third"));
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations_steps WHERE migration = 'broken-second'") == 1);
}

// ---- the server or the connection gone mid-run ------------------------------------------

namespace {
/// Starts `jsorm migrate manySource` (30 migrations, one table each) on `url` and waits
/// until `tables` of its tables exist, so the run is well under way but not finished.
int startManyAndWait(const CliFixture& f, MysqlScratchDatabase& my, const std::string& url, int tables) {
  jsorm::test::ProcessOptions options;
  options.workingDirectory = f.dir.path();
  options.environment = {{"DATABASE_URL", ""}, {"JSORM_ADAPTER_PATH", ""}};
  const int pid = jsorm::test::spawnProcess(kJsorm, {"migrate", kCases, "manySource", "--url", url}, options,
                                            f.dir.file("out"), f.dir.file("err"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (my.count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                  "AND table_name LIKE 't0%'") < tables) {
    if (std::chrono::steady_clock::now() > deadline) FAIL("manySource made fewer than " << tables << " tables in 120 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return pid;
}

/// After a rerun: every migration applied once, every table there, nothing journaled.
void checkManyComplete(MysqlScratchDatabase& my) {
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations") == 30);
  CHECK(my.count("SELECT COUNT(DISTINCT name) FROM jsorm_migrations") == 30);
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations_steps") == 0);
  CHECK(my.count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
                 "AND table_name LIKE 't0%'") == 30);
}
}  // namespace

TEST_CASE("MariaDB killed mid-run: one 'lost the connection' line, exit 6, and a rerun completes", "[mysql][bad-input]") {
  PrivateMariadbServer server;
  for (int trial = 0; trial < envCount("JSORM_KILL_TRIALS", 3); ++trial) {
    MysqlScratchDatabase my(server.url());
    CliFixture f;
    const int threshold = 2 + (trial * 7) % 20;  // kill at different points of the run
    const int pid = startManyAndWait(f, my, my.url(), threshold);
    server.crash();
    const ProcessResult killed{jsorm::test::waitProcess(pid), readFile(f.dir.file("out")), readFile(f.dir.file("err"))};
    INFO("trial " << trial << ", killed after " << threshold << " tables");
    CHECK_ONE_ERROR_LINE(killed, 6);
    CHECK(contains(killed.err, "lost the connection to MySQL at mysql://jsorm@127.0.0.1:"));
    checkNoSecrets(killed, my.url());

    server.restart();
    my.reconnect(server.url());
    const auto rerun = f.cases("migrate", "manySource", {"--url", my.url()});
    INFO(describe(rerun));
    CHECK(rerun.exitCode == 0);
    checkManyComplete(my);
    const auto status = f.cases("migrate:status", "manySource", {"--url", my.url()});
    INFO(describe(status));
    CHECK(status.exitCode == 0);
  }
}

TEST_CASE("the runner's MariaDB connection killed mid-run: one 'lost the connection' line, exit 6, rerun completes",
          "[mysql][bad-input]") {
  MysqlScratchDatabase my;
  CliFixture f;
  const int pid = startManyAndWait(f, my, my.url(), 5);
  // The runner's session: the only one on this database besides ours.
  const auto sessions = my.db().query(
      "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()");
  REQUIRE(sessions.rows.size() == 1);
  my.db().execute(fmt::format("KILL CONNECTION {}", firstNumber(sessions)));
  const ProcessResult killed{jsorm::test::waitProcess(pid), readFile(f.dir.file("out")), readFile(f.dir.file("err"))};
  CHECK_ONE_ERROR_LINE(killed, 6);
  CHECK(contains(killed.err, "lost the connection to MySQL at mysql://jsorm@127.0.0.1:"));
  checkNoSecrets(killed, my.url());

  // KILL lands between the statements of the runner's server-side unit (the DDL, then its
  // journal row) as easily as between units: the rerun must still find what ran.
  const auto between = f.cases("migrate:status", "manySource", {"--url", my.url()});
  INFO("status after the kill: " << describe(between));
  const auto rerun = f.cases("migrate", "manySource", {"--url", my.url()});
  INFO(describe(rerun));
  CHECK(rerun.exitCode == 0);
  checkManyComplete(my);
}
