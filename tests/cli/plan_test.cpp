// `migrate --dry-run --json`: the plan against a live database, one JSON document on
// stdout, recorded from the runner's own dry run, on SQLite, PostgreSQL and MariaDB. The
// database is the same after as before.
#include "cli_fixture.hpp"
#include "mysql_scratch.hpp"
#include "pg_scratch.hpp"

#include <nlohmann/json.hpp>

#include <regex>

using namespace jsorm::cli_test;
using Json = nlohmann::ordered_json;

namespace {

/// The whole of stdout parsed strictly as one JSON document (trailing text fails), with
/// the documented fields in the documented order at every level.
Json parsePlan(const ProcessResult& r) {
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  Json plan;
  REQUIRE_NOTHROW(plan = Json::parse(r.out));
  std::vector<std::string> keys;
  for (const auto& item : plan.items()) keys.push_back(item.key());
  CHECK(keys == std::vector<std::string>{"database", "migrationTable", "source", "module", "batch", "migrations",
                                         "statements"});
  for (const auto& migration : plan.at("migrations")) {
    keys.clear();
    for (const auto& item : migration.items()) keys.push_back(item.key());
    CHECK(keys == std::vector<std::string>{"name", "checksum", "transactional", "steps"});
    CHECK(matches(migration.at("checksum").get<std::string>(), "^[0-9a-f]{16}$"));
    std::size_t index = 0;
    for (const auto& step : migration.at("steps")) {
      keys.clear();
      for (const auto& item : step.items()) keys.push_back(item.key());
      CHECK(keys == std::vector<std::string>{"index", "description", "sql"});
      CHECK(step.at("index") == ++index);  // every step, counted from 1
    }
  }
  return plan;
}

std::vector<std::string> names(const Json& plan) {
  std::vector<std::string> out;
  for (const auto& migration : plan.at("migrations")) out.push_back(migration.at("name"));
  return out;
}

const Json& migrationNamed(const Json& plan, const std::string& name) {
  for (const auto& migration : plan.at("migrations")) {
    if (migration.at("name") == name) return migration;
  }
  FAIL("the plan has no migration " << name);
  static const Json none;
  return none;
}

// The tracking row's execution_ms is measured, even on a dry run: the one value two runs
// may print differently.
std::string withoutTimings(const std::string& text) {
  static const std::regex timing(R"((INSERT INTO [`"]jsorm_migrations[`"] .*VALUES \(.*, )\d+\))");
  return std::regex_replace(text, timing, "$1<ms>)");
}

/// What the text dry run printed as statements (each followed by ';'), without its
/// announcement, progress and summary lines.
std::string textStatements(const std::string& out) {
  std::string kept;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    const std::string line = out.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const bool narration = line.rfind("Dry run: ", 0) == 0 || line.rfind("  would apply", 0) == 0 ||
                           line.rfind("Nothing to migrate", 0) == 0;
    if (!narration) kept += line + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return withoutTimings(kept);
}

std::string jsonStatements(const Json& plan) {
  std::string joined;
  for (const auto& sql : plan.at("statements")) joined += sql.get<std::string>() + ";\n";
  return withoutTimings(joined);
}

/// Every step's statements, in plan order.
std::vector<std::string> stepSql(const Json& plan) {
  std::vector<std::string> out;
  for (const auto& migration : plan.at("migrations")) {
    for (const auto& step : migration.at("steps")) {
      for (const auto& sql : step.at("sql")) out.push_back(sql);
    }
  }
  return out;
}

/// The statements without the transactions and the tracking and journal tables': what the
/// steps themselves send, which the plan must have grouped under them, all of them, in order.
std::vector<std::string> withoutBookkeeping(const Json& plan) {
  std::vector<std::string> out;
  for (const auto& statement : plan.at("statements")) {
    const std::string sql = statement;
    if (sql == "BEGIN" || sql == "COMMIT" || contains(sql, "jsorm_migrations")) continue;
    out.push_back(sql);
  }
  return out;
}

/// The JSON plan and the text --dry-run of the same command agree statement for statement,
/// and the steps hold exactly the statements that are not bookkeeping.
void checkAgainstText(const Json& plan, const ProcessResult& text) {
  INFO(describe(text));
  REQUIRE(text.exitCode == 0);
  CHECK(jsonStatements(plan) == textStatements(text.out));
  CHECK(stepSql(plan) == withoutBookkeeping(plan));
}

/// The statement lists of every step of `migration`.
std::vector<std::vector<std::string>> stepsOf(const Json& migration) {
  std::vector<std::vector<std::string>> out;
  for (const auto& step : migration.at("steps")) out.push_back(step.at("sql").get<std::vector<std::string>>());
  return out;
}

}  // namespace

// ---- SQLite ---------------------------------------------------------------------------

TEST_CASE("migrate --dry-run --json on a fresh SQLite database prints only the plan, batch 1, and creates nothing") {
  CliFixture f;
  // --verbose would print statements as text: with --json nothing but the document is on stdout.
  const auto r = f.cases("migrate", "goodSource", {"--dry-run", "--json", "--verbose"});
  const Json plan = parsePlan(r);
  CHECK(r.err.empty());
  CHECK(plan.at("database") == "sqlite:" + f.db);
  CHECK(plan.at("migrationTable") == "jsorm_migrations");
  CHECK(plan.at("source") == "goodSource");
  CHECK(plan.at("module") == kCases);
  CHECK(plan.at("batch") == 1);
  CHECK(names(plan) == std::vector<std::string>{"create-accounts", "add-nickname", "seed-account"});

  const Json& nickname = migrationNamed(plan, "add-nickname");
  CHECK(nickname.at("transactional") == true);
  REQUIRE(nickname.at("steps").size() == 2);
  CHECK(nickname.at("steps")[0].at("description") == "addColumn(\"accounts\", \"nickname\")");
  CHECK(stepsOf(nickname) ==
        std::vector<std::vector<std::string>>{{"ALTER TABLE \"accounts\" ADD COLUMN \"nickname\" VARCHAR(255)"},
                                              {"CREATE INDEX \"accounts_nickname_index\" ON \"accounts\" (\"nickname\")"}});
  CHECK(stepsOf(migrationNamed(plan, "seed-account")) ==
        std::vector<std::vector<std::string>>{{"INSERT INTO accounts (handle) VALUES ('admin')"}});

  // The tracking table's creation and rows are in the statements, outside every step.
  const auto statements = plan.at("statements").get<std::vector<std::string>>();
  REQUIRE(statements.size() >= 2);
  CHECK(statements.front().rfind("CREATE TABLE IF NOT EXISTS \"jsorm_migrations\"", 0) == 0);
  CHECK(contains(statements[statements.size() - 2],
                 "VALUES ('seed-account', 1, '" + migrationNamed(plan, "seed-account").at("checksum").get<std::string>()));
  checkAgainstText(plan, f.cases("migrate", "goodSource", {"--dry-run"}));

  CHECK_FALSE(std::filesystem::exists(f.db));

  // The checksums planned are the ones a real run records.
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  auto db = openDb(f.db);
  for (const auto& row : db->query("SELECT name, checksum FROM jsorm_migrations ORDER BY id").rows) {
    CHECK(migrationNamed(plan, std::get<std::string>(row.at(0))).at("checksum") == std::get<std::string>(row.at(1)));
  }
}

TEST_CASE("migrate --dry-run --json on an up-to-date SQLite database plans batch null and no migrations") {
  Seeded f;
  const Json plan = parsePlan(f.cases("migrate", "goodSource", {"--dry-run", "--json"}));
  CHECK(plan.at("batch").is_null());
  CHECK(plan.at("migrations").empty());
  CHECK(plan.at("statements").empty());
  CHECK(f.unchanged());
  checkAgainstText(plan, f.cases("migrate", "goodSource", {"--dry-run"}));
}

TEST_CASE("a partially applied SQLite database plans only its pending migrations as the next batch") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:up", "goodSource"));
  REQUIRE_OK(f.cases("migrate:up", "goodSource"));  // batches 1 and 2
  const std::string before = f.dbBytes();

  const Json plan = parsePlan(f.cases("migrate", "goodSource", {"--dry-run", "--json"}));
  CHECK(plan.at("batch") == 3);
  CHECK(names(plan) == std::vector<std::string>{"seed-account"});
  CHECK_FALSE(contains(plan.dump(), "CREATE TABLE"));
  checkAgainstText(plan, f.cases("migrate", "goodSource", {"--dry-run"}));
  CHECK(f.dbBytes() == before);
  CHECK(trackedNames(f.db) == std::vector<std::string>{"create-accounts", "add-nickname"});
}

TEST_CASE("migrate:up --dry-run --json plans only the next pending migration") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:up", "goodSource"));
  const std::string before = f.dbBytes();
  const Json plan = parsePlan(f.cases("migrate:up", "goodSource", {"--dry-run", "--json"}));
  CHECK(plan.at("batch") == 2);
  CHECK(names(plan) == std::vector<std::string>{"add-nickname"});
  checkAgainstText(plan, f.cases("migrate:up", "goodSource", {"--dry-run"}));
  CHECK(f.dbBytes() == before);
}

TEST_CASE("migrate --json without --dry-run is a usage error, exit 2, that prints nothing on stdout and migrates nothing",
          "[bad-input]") {
  CliFixture f;
  for (const std::string command : {"migrate", "migrate:up"}) {
    const auto r = f.cases(command, "goodSource", {"--json"});
    CHECK_ONE_ERROR_LINE(r, 2);
    CHECK(contains(r.err, "--json prints the plan of a dry run and needs --dry-run"));
    CHECK(r.out.empty());
  }
  // Refused before the module is even loaded.
  CHECK_ONE_ERROR_LINE(f.jsorm({"migrate", f.dir.file("missing.so"), "goodSource", "--json"}), 2);
  // migrate:down has no plan to print.
  CHECK_ONE_ERROR_LINE(f.cases("migrate:down", "goodSource", {"--dry-run", "--json"}), 2);
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("a plan that cannot be made prints an error line and no JSON", "[bad-input]") {
  CliFixture f;
  SECTION("a database that cannot be opened: exit 6") {
    const auto r = f.cases("migrate", "goodSource", {"--dry-run", "--json", "--url", "sqlite:" + f.dir.file("no/such/dir/x.db")});
    CHECK_ONE_ERROR_LINE(r, 6);
    CHECK(r.out.empty());
  }
  SECTION("a module that is missing: exit 4") {
    const auto r = f.jsorm({"migrate", f.dir.file("missing.so"), "goodSource", "--dry-run", "--json"});
    CHECK_ONE_ERROR_LINE(r, 4);
    CHECK(r.out.empty());
  }
  SECTION("an applied migration edited since: exit 7, the database unchanged") {
    REQUIRE_OK(f.cases("migrate", "evolvingSource"));
    const std::string before = f.dbBytes();
    const auto r = f.cases("migrate", "evolvingSource", {"--dry-run", "--json"}, {{"FIXTURE_VARIANT", "2"}});
    CHECK_ONE_ERROR_LINE(r, 7);
    CHECK(contains(r.err, "add-note-title"));
    CHECK(r.out.empty());
    CHECK(f.dbBytes() == before);
  }
}

// ---- PostgreSQL -----------------------------------------------------------------------

namespace {
/// The tracking rows and the tables, to compare before and after.
std::string pgState(ScratchDatabase& pg) {
  std::string state;
  for (const auto& table : pg.db().tables()) state += table + " ";
  if (pg.db().hasTable("jsorm_migrations")) {
    const auto rows = pg.db().query("SELECT name || ':' || batch || ':' || checksum FROM jsorm_migrations ORDER BY id");
    for (const auto& row : rows.rows) state += std::get<std::string>(row.at(0)) + " ";
  }
  return state;
}
}  // namespace

TEST_CASE("migrate --dry-run --json on PostgreSQL plans every step's exact SQL and creates nothing", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {"--url", pg.url(), "--dry-run", "--json"});
  const Json plan = parsePlan(r);
  CHECK_FALSE(contains(r.out + r.err, jsorm::passwordIn(pg.url())));
  CHECK(plan.at("database").get<std::string>().rfind("postgres://", 0) == 0);
  CHECK(plan.at("batch") == 1);
  CHECK(names(plan) == std::vector<std::string>{"create-accounts", "add-nickname", "seed-account"});
  // One step, two statements: PostgreSQL makes the unique index apart from the table.
  const auto accounts = stepsOf(migrationNamed(plan, "create-accounts"));
  REQUIRE(accounts.size() == 1);
  REQUIRE(accounts[0].size() == 2);
  CHECK(accounts[0][0].rfind("CREATE TABLE \"accounts\" (", 0) == 0);
  CHECK(accounts[0][1] == "CREATE UNIQUE INDEX \"accounts_handle_unique\" ON \"accounts\" (\"handle\")");
  CHECK(migrationNamed(plan, "add-nickname").at("transactional") == true);
  checkAgainstText(plan, f.cases("migrate", "goodSource", {"--url", pg.url(), "--dry-run"}));
  CHECK(pg.db().tables().empty());
}

TEST_CASE("a partially applied PostgreSQL database plans only its pending migrations, then nothing", "[pg]") {
  ScratchDatabase pg;
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:up", "goodSource", {"--url", pg.url()}));
  const std::string before = pgState(pg);

  const Json plan = parsePlan(f.cases("migrate", "goodSource", {"--url", pg.url(), "--dry-run", "--json"}));
  CHECK(plan.at("batch") == 2);
  CHECK(names(plan) == std::vector<std::string>{"add-nickname", "seed-account"});
  checkAgainstText(plan, f.cases("migrate", "goodSource", {"--url", pg.url(), "--dry-run"}));
  CHECK(pgState(pg) == before);

  REQUIRE_OK(f.cases("migrate", "goodSource", {"--url", pg.url()}));
  const std::string migrated = pgState(pg);
  const Json none = parsePlan(f.cases("migrate", "goodSource", {"--url", pg.url(), "--dry-run", "--json"}));
  CHECK(none.at("batch").is_null());
  CHECK(none.at("migrations").empty());
  CHECK(none.at("statements").empty());
  CHECK(pgState(pg) == migrated);
}

TEST_CASE("an unreachable PostgreSQL database fails the plan with one line, exit 6, and nothing on stdout",
          "[pg][bad-input]") {
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource",
                         {"--dry-run", "--json", "--url", "postgres://u:" + testSecret("plan") + "@127.0.0.1:1/x"});
  CHECK_ONE_ERROR_LINE(r, 6);
  CHECK(r.out.empty());
  CHECK_FALSE(contains(r.err, testSecret("plan")));
}

// ---- MariaDB --------------------------------------------------------------------------
// Each statement runs journaled there, in a unit with its journal rows; the plan shows the
// statements the steps send, as the text dry run does, and the units stay an
// implementation detail.

TEST_CASE("migrate --dry-run --json on MariaDB plans the bare statements of each step and creates nothing", "[mysql]") {
  MysqlScratchDatabase my;
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {"--url", my.url(), "--dry-run", "--json"});
  const Json plan = parsePlan(r);
  CHECK_FALSE(contains(r.out + r.err, jsorm::passwordIn(my.url())));
  CHECK(plan.at("batch") == 1);
  CHECK(names(plan) == std::vector<std::string>{"create-accounts", "add-nickname", "seed-account"});
  for (const auto& migration : plan.at("migrations")) CHECK(migration.at("transactional") == false);
  CHECK(stepsOf(migrationNamed(plan, "add-nickname")) ==
        std::vector<std::vector<std::string>>{{"ALTER TABLE `accounts` ADD COLUMN `nickname` VARCHAR(255)"},
                                              {"CREATE INDEX `accounts_nickname_index` ON `accounts` (`nickname`)"}});
  checkAgainstText(plan, f.cases("migrate", "goodSource", {"--url", my.url(), "--dry-run"}));
  CHECK(my.db().tables().empty());

  REQUIRE_OK(f.cases("migrate:up", "goodSource", {"--url", my.url()}));
  const Json rest = parsePlan(f.cases("migrate", "goodSource", {"--url", my.url(), "--dry-run", "--json"}));
  CHECK(rest.at("batch") == 2);
  CHECK(names(rest) == std::vector<std::string>{"add-nickname", "seed-account"});
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations_steps") == 0);
}

TEST_CASE("a partial migration on MariaDB is planned with only the statements its resume would run", "[mysql]") {
  MysqlScratchDatabase my;
  CliFixture f;
  const Env broken{{"FIXTURE_VARIANT", ""}};
  const Env fixed{{"FIXTURE_VARIANT", "fixed"}};
  REQUIRE(f.cases("migrate", "partialSource", {"--url", my.url()}, broken).exitCode == 7);  // 2 of 4 steps ran
  const std::int64_t journaled = my.count("SELECT COUNT(*) FROM jsorm_migrations_steps");
  REQUIRE(journaled == 2);

  const Json plan = parsePlan(f.cases("migrate", "partialSource", {"--url", my.url(), "--dry-run", "--json"}, fixed));
  CHECK(plan.at("batch") == 2);
  REQUIRE(names(plan) == std::vector<std::string>{"four-steps"});
  const auto steps = stepsOf(plan.at("migrations")[0]);
  REQUIRE(steps.size() == 4);
  CHECK(steps[0].empty());  // journaled: ran before the failure, not sent again
  CHECK(steps[1].empty());
  CHECK(steps[2] == std::vector<std::string>{"INSERT INTO partial_one (id, note) VALUES (1, 'fixed')"});
  CHECK(steps[3].size() == 1);
  checkAgainstText(plan, f.cases("migrate", "partialSource", {"--url", my.url(), "--dry-run"}, fixed));
  CHECK(my.count("SELECT COUNT(*) FROM jsorm_migrations_steps") == journaled);
  CHECK_FALSE(my.hasTable("partial_two"));
}
