// What a hostile but fair user tries: config typos, tracking tables made by the TypeScript
// jsorm, malformed connection strings, out-of-range options, module code that throws,
// thousands of tables, read-only commands on missing files, and the words jsorm prints.
#include "config_fixture.hpp"
#include "pg_scratch.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <set>
#include <sstream>
#include <sys/stat.h>

using namespace jsorm::cli_test;

namespace {
const std::string kThrowingInit = kFixtureDir + "/libfixture_throwing_init.so";

// The columns of a SQLite table, by name.
std::set<std::string> columnsOf(const std::string& db, const std::string& table) {
  std::set<std::string> names;
  for (const auto& row : openDb(db)->query("SELECT name FROM pragma_table_info('" + table + "')").rows) {
    names.insert(std::get<std::string>(row.at(0)));
  }
  return names;
}

// Rebuilds the tracking table the way the TypeScript jsorm makes it: its four columns only.
void makeFourColumnTrackingTable(const std::string& db) {
  auto c = openDb(db);
  c->execute(
      "CREATE TABLE ts_tracking (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, batch INTEGER NOT "
      "NULL, applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);"
      "INSERT INTO ts_tracking (id, name, batch, applied_at) SELECT id, name, batch, applied_at FROM jsorm_migrations;"
      "DROP TABLE jsorm_migrations; ALTER TABLE ts_tracking RENAME TO jsorm_migrations;");
}

const std::set<std::string> kFourColumns{"id", "name", "batch", "applied_at"};
}  // namespace

// --- 1. config typos ------------------------------------------------------------------

TEST_CASE("a misspelled config key is an error naming it, its line and the key meant", "[bad-input][config]") {
  struct Case {
    std::string config;
    std::string key;
    std::string line;
    std::string meant;
  };
  const std::vector<Case> typos{
      {"[defaults]\nmigrationSource = \"main\"\nenviroment = \"production\"\n\n" + sourceTable("main", "goodSource"),
       "enviroment", ":3:", "environment"},
      {defaultsTable("main") + sourceTable("main", "goodSource") + "ulr = \"sqlite:other.db\"\n", "ulr", ":7:", "url"},
      {defaultsTable("main") + "[migrationSorces.main]\nmodule = \"" + kCases + "\"\nexport = \"goodSource\"\n",
       "migrationSorces", ":4:", "migrationSources"},
      {defaultsTable("main") + sourceTable("main", "goodSource") + "[generateSources.models]\nmodule = \"m.so\"\n"
       "exprot = \"generateSource\"\n",
       "exprot", ":9:", "export"},
      {"[Defaults]\nmigrationSource = \"main\"\n" + sourceTable("main", "goodSource"), "Defaults", ":1:", "defaults"},
  };
  for (const auto& typo : typos) {
    ConfigFixture f;
    f.writeConfig(typo.config);
    for (const std::string command : {"migrate", "migrate:status", "db:fresh"}) {
      const auto r = f.run({command});
      INFO(command << "\n" << typo.config);
      CHECK_ONE_ERROR_LINE(r, 3);
      CHECK(contains(r.err, "unknown key '" + typo.key + "'"));
      CHECK(contains(r.err, "jsorm.toml" + typo.line));
      CHECK(contains(r.err, "did you mean '" + typo.meant + "'"));
      CHECK_FALSE(std::filesystem::exists(f.db));
    }
  }
}

TEST_CASE("an unknown config key far from any known one lists the known keys without a guess",
          "[bad-input][config]") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource") + "colourScheme = \"dark\"\n");
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "unknown key 'colourScheme'"));
  CHECK(contains(r.err, "module, export, url"));
  CHECK_FALSE(contains(r.err, "did you mean"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("a url in a generate source is refused: it would be silently unused", "[bad-input][config]") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource") +
                "[generateSources.models]\nmodule = \"" + kCases + "\"\nexport = \"generateSource\"\nurl = \"x\"\n");
  const auto r = f.run({"migrate:generate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "unknown key 'url' in [generateSources.models]"));
}

// --- 2. a tracking table made by the TypeScript jsorm ---------------------------------

TEST_CASE("read-only commands work on a four-column tracking table and leave it as it is", "[tracking-table]") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  makeFourColumnTrackingTable(f.db);
  REQUIRE(columnsOf(f.db, "jsorm_migrations") == kFourColumns);

  const auto status = f.cases("migrate:status", "goodSource");
  INFO(describe(status));
  CHECK(status.exitCode == 0);
  CHECK(contains(status.out, "3 applied, 0 pending, 0 changed, 0 missing"));

  const auto json = nlohmann::json::parse(f.cases("migrate:status", "goodSource", {"--json"}).out);
  CHECK(json["upToDate"] == true);
  CHECK(json["migrations"].size() == 3);

  for (const std::string command : {"migrate", "migrate:down", "db:rollback", "migrate:repair", "db:fresh"}) {
    const auto r = f.cases(command, "goodSource", {"--dry-run"});
    INFO(command << "\n" << describe(r));
    CHECK(r.exitCode == 0);
  }
  const auto down = f.cases("migrate:down", "goodSource", {"--dry-run"});
  CHECK(contains(down.out, "would roll back 3 migrations"));
  CHECK(columnsOf(f.db, "jsorm_migrations") == kFourColumns);
  CHECK(trackedNames(f.db).size() == 3);
}

TEST_CASE("writing commands work on a four-column tracking table", "[tracking-table]") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  makeFourColumnTrackingTable(f.db);

  REQUIRE_OK(f.cases("migrate:repair", "goodSource"));
  CHECK(trackedNames(f.db).size() == 3);
  REQUIRE_OK(f.cases("db:rollback", "goodSource", {"--steps", "1"}));
  CHECK(trackedNames(f.db) == std::vector<std::string>{"create-accounts", "add-nickname"});
  REQUIRE_OK(f.cases("migrate:down", "goodSource"));
  CHECK(trackedNames(f.db).empty());
  // A real migrate adds the columns jsorm records, and records them.
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  CHECK(columnsOf(f.db, "jsorm_migrations").count("checksum") == 1);
  CHECK(countRows(f.db, "SELECT COUNT(*) FROM jsorm_migrations WHERE checksum IS NOT NULL") == 3);
}

TEST_CASE("a tracking row whose batch is not a number is named, not an internal failure", "[tracking-table]") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  makeFourColumnTrackingTable(f.db);
  openDb(f.db)->execute("UPDATE jsorm_migrations SET batch = 'one' WHERE name = 'add-nickname'");
  const auto r = f.cases("migrate:status", "goodSource");
  CHECK(r.exitCode != 1);
  CHECK(contains(r.err, "batch column holds 'one'"));
}

TEST_CASE("PostgreSQL: read-only commands work on a four-column tracking table and leave it as it is",
          "[pg][tracking-table]") {
  ScratchDatabase pg;
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource", {"--url", pg.url()}));
  pg.db().execute("ALTER TABLE jsorm_migrations DROP COLUMN checksum, DROP COLUMN execution_ms");
  const auto columns = "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'jsorm_migrations'";
  REQUIRE(pg.count(columns) == 4);

  const auto status = f.cases("migrate:status", "goodSource", {"--url", pg.url()});
  INFO(describe(status));
  CHECK(status.exitCode == 0);
  CHECK(contains(status.out, "3 applied, 0 pending"));
  for (const std::string command : {"migrate", "migrate:down", "db:rollback", "migrate:repair"}) {
    const auto r = f.cases(command, "goodSource", {"--url", pg.url(), "--dry-run"});
    INFO(command << "\n" << describe(r));
    CHECK(r.exitCode == 0);
  }
  CHECK(pg.count(columns) == 4);
  REQUIRE_OK(f.cases("db:rollback", "goodSource", {"--url", pg.url()}));
  CHECK(pg.count("SELECT COUNT(*) FROM jsorm_migrations") == 0);
}

// --- 3. passwords in malformed connection strings -------------------------------------

TEST_CASE("a URL whose password holds an unencoded '@', '/', '?' or '#' is refused without printing any of it",
          "[bad-input][secrets]") {
  const std::string secret = testSecret("pw");
  for (const std::string password : {secret + "@x", "a/" + secret, secret + "?q", "x#" + secret, secret + "@@" + secret}) {
    Seeded f;
    for (const std::string scheme : {"postgres", "postgresql", "mysql"}) {
      const std::string url = scheme + "://app:" + password + "@127.0.0.1:1/db";
      const auto r = f.cases("migrate:status", "goodSource", {"--url", url});
      INFO(url);
      CHECK_ONE_ERROR_LINE(r, 3);
      CHECK(contains(r.err, "percent-encode"));
      CHECK_FALSE(contains(r.out + r.err, secret));
      // No fragment of the password around the secret either ("a", "x", "q").
      CHECK_FALSE(contains(r.err, "app:"));
    }
    CHECK(f.unchanged());
  }
}

TEST_CASE("key=value settings with a typo are refused without echoing them", "[bad-input][secrets]") {
  const std::string secret = testSecret("kv");
  for (const std::string conninfo : {"host=127.0.0.1 password:" + secret, "host=127.0.0.1 password='" + secret,
                                     "dbname=x =" + secret, "password=" + secret + " port"}) {
    Seeded f;
    const auto r = f.cases("migrate", "goodSource", {"--url", conninfo});
    INFO(conninfo);
    CHECK_ONE_ERROR_LINE(r, 3);
    CHECK(contains(r.err, "not understood as key=value settings"));
    CHECK_FALSE(contains(r.out + r.err, secret));
    CHECK(f.unchanged());
  }
}

TEST_CASE("a password in the source's own URL (DATABASE_URL) is never printed, however malformed",
          "[bad-input][secrets][pg]") {
  const std::string secret = testSecret("env");
  Seeded f;
  for (const std::string url : {"postgres://app:" + secret + "@127.0.0.1:1/db",
                                "postgres://app:p@" + secret + "@127.0.0.1:1/db",
                                "host=127.0.0.1 port=1 password=" + secret}) {
    // examples' module reads DATABASE_URL through env(); the pg adapter and its messages are exercised.
    const auto r = f.jsorm({"migrate:status", kExampleModule, "ormSource"}, {{"DATABASE_URL", url}});
    INFO(url << "\n" << describe(r));
    CHECK(r.exitCode != 0);
    CHECK(r.errLines().size() == 1);
    CHECK_FALSE(contains(r.out + r.err, secret));
  }
}

// --- 4. option ranges -----------------------------------------------------------------

TEST_CASE("a --steps below 1 is a usage error and rolls back nothing", "[bad-input][options]") {
  for (const std::string steps : {"-9223372036854775808", "0", "-1", "-9223372036854775807"}) {
    Seeded f;
    const auto r = f.cases("db:rollback", "goodSource", {"--steps", steps});
    INFO(steps);
    CHECK_ONE_ERROR_LINE(r, 2);
    CHECK(contains(r.err, "--steps must be a whole number of at least 1"));
    CHECK(f.unchanged());
    CHECK(trackedNames(f.db).size() == 3);
  }
  Seeded f;
  for (const std::string steps : {"abc", "1.5", "99999999999999999999"}) {
    const auto r = f.cases("db:rollback", "goodSource", {"--steps", steps});
    INFO(steps);
    CHECK_ONE_ERROR_LINE(r, 2);
  }
  CHECK(f.unchanged());
}

TEST_CASE("a --lock-timeout must be finite, at least 0 and at most a week", "[bad-input][options]") {
  Seeded f;
  for (const std::string seconds : {"-5", "nan", "inf", "-inf", "1e300", "604801"}) {
    for (const std::string command : {"migrate", "migrate:status"}) {
      const auto r = f.cases(command, "goodSource", {"--lock-timeout", seconds});
      INFO(command << " --lock-timeout " << seconds);
      CHECK_ONE_ERROR_LINE(r, 2);
      CHECK(contains(r.err, "--lock-timeout must be a number of seconds from 0 to 604800"));
    }
  }
  CHECK(f.unchanged());
  CHECK(f.cases("migrate:status", "goodSource", {"--lock-timeout", "0"}).exitCode == 0);
  CHECK(f.cases("migrate:status", "goodSource", {"--lock-timeout", "604800"}).exitCode == 0);
}

// --- 5 and 6. module code that throws -------------------------------------------------

TEST_CASE("a migration whose up() throws at run time is a failed migration named in the error",
          "[bad-input][module]") {
  for (const std::string source : {"upThrowsSource", "upThrowsNonStandardSource"}) {
    CliFixture f;
    const auto r = f.cases("migrate", source);
    INFO(source);
    CHECK_ONE_ERROR_LINE(r, 7);
    CHECK(contains(r.err, "build-late-table"));
    CHECK_FALSE(contains(r.err, "unexpected failure"));
    // The migration before it is applied and recorded; the failed one is not.
    CHECK(trackedNames(f.db) == std::vector<std::string>{"create-accounts"});
    CHECK_FALSE(openDb(f.db)->hasTable("late"));
  }
}

TEST_CASE("a source function that throws something that is not a std::exception is exit 5",
          "[bad-input][module]") {
  CliFixture f;
  for (const std::string command : {"migrate", "migrate:status"}) {
    const auto r = f.cases(command, "nonStandardThrowingSource");
    CHECK_ONE_ERROR_LINE(r, 5);
    CHECK(contains(r.err, "nonStandardThrowingSource"));
    CHECK(contains(r.err, "not a std::exception"));
  }
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("a module whose static initialiser throws is one line and exit 4, never an abort", "[bad-input][module]") {
  CliFixture f;
  for (const std::string kind : {"std", "int"}) {
    for (const std::string command : {"migrate", "migrate:status", "inspect"}) {
      std::vector<std::string> args{command, kThrowingInit};
      if (command != "inspect") args.push_back("ormSource");
      const auto r = f.jsorm(args, {{"FIXTURE_INIT_THROWS", kind}});
      INFO(command << " " << kind);
      CHECK_ONE_ERROR_LINE(r, 4);
      CHECK(contains(r.err, "libfixture_throwing_init.so"));
      CHECK(contains(r.err, "static initialiser"));
      CHECK(contains(r.err, kind == "std" ? "cannot read models.json" : "not a std::exception"));
      CHECK_FALSE(contains(r.err, "terminate called"));
    }
  }
}

// --- 7. bounded statements and error lines --------------------------------------------

TEST_CASE("an error about a huge statement is one line of bounded length", "[bad-input]") {
  CliFixture f;
  const auto r = f.cases("migrate", "longFailingSource");
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "long-failing"));
  CHECK(r.err.size() < 2200);
  CHECK(contains(r.err, "more bytes)"));
}

TEST_CASE("PostgreSQL: db:fresh drops thousands of tables", "[pg][slow]") {
  ScratchDatabase pg;
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource", {"--url", pg.url()}));
  // 3000 tables with a key and a TOAST table each: about 12,000 relations to lock, over
  // the default lock table. Made 100 per transaction, which stays inside it.
  for (int first = 1; first <= 3000; first += 100) {
    std::string sql;
    for (int i = first; i < first + 100; ++i) sql += fmt::format("CREATE TABLE filler_{} (id int PRIMARY KEY, v text);", i);
    pg.db().execute(sql);
  }
  REQUIRE(pg.count("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'") == 3002);
  const auto r = f.cases("db:fresh", "goodSource", {"--url", pg.url()});
  INFO(describe(r).substr(0, 3000));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "Dropped 3002 tables"));
  CHECK(pg.count("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'") == 2);
  CHECK(pg.count("SELECT COUNT(*) FROM jsorm_migrations") == 3);
}

// --- 8. schema-qualified tracking table -----------------------------------------------

TEST_CASE("a schema-qualified migrationTable is refused before anything runs", "[bad-input][module]") {
  CliFixture f;
  for (const std::string command : {"migrate", "migrate:status", "db:fresh"}) {
    const auto r = f.cases(command, "qualifiedTableSource");
    INFO(command);
    CHECK_ONE_ERROR_LINE(r, 5);
    CHECK(contains(r.err, "migrationTable 'public.jsorm_migrations'"));
    CHECK(contains(r.err, "schema-qualified"));
  }
  CHECK_FALSE(std::filesystem::exists(f.db));
}

// --- 9. read-only commands create nothing ---------------------------------------------

TEST_CASE("read-only commands on a missing SQLite file create no file", "[read-only]") {
  CliFixture f;
  const std::string missing = f.dir.file("never.db");
  const auto status = f.cases("migrate:status", "goodSource", {"--url", "sqlite:" + missing});
  INFO(describe(status));
  CHECK(status.exitCode == 10);
  CHECK(contains(status.out, "0 applied, 3 pending"));
  for (const std::string command : {"migrate", "migrate:up", "db:fresh", "migrate:down", "db:rollback"}) {
    const auto r = f.cases(command, "goodSource", {"--url", "sqlite:" + missing, "--dry-run"});
    INFO(command << "\n" << describe(r));
    CHECK(r.exitCode == 0);
  }
  CHECK(std::filesystem::is_empty(f.dir.path()));
}

TEST_CASE("read-only commands on an existing SQLite file change no byte and leave no lock file", "[read-only]") {
  Seeded f;
  REQUIRE_OK(f.cases("migrate:down", "goodSource"));
  f.before = f.dbBytes();
  std::filesystem::remove(f.db + "-jsorm-lock");
  CHECK(f.cases("migrate:status", "goodSource").exitCode == 10);
  for (const std::string command : {"migrate", "db:fresh", "migrate:repair"}) {
    REQUIRE_OK(f.cases(command, "goodSource", {"--dry-run"}));
  }
  CHECK(f.unchanged());
  CHECK_FALSE(std::filesystem::exists(f.db + "-jsorm-lock"));
  CHECK_FALSE(std::filesystem::exists(f.db + "-journal"));
}

// --- 10. connection strings that are not understood -----------------------------------

TEST_CASE("an empty --url is a usage error that does not blame the environment", "[bad-input][url]") {
  Seeded f;
  const auto r = f.cases("migrate", "goodSource", {"--url", ""});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(contains(r.err, "--url is empty"));
  CHECK_FALSE(contains(r.err, "FIXTURE_DB"));
  CHECK(f.unchanged());
}

TEST_CASE("a connection string that is no URL, path or key=value is not understood", "[bad-input][url]") {
  Seeded f;
  for (const std::string url : {"not a url", "localhost", "${DATABASE_URL}", "postgres//u@h/db"}) {
    const auto r = f.cases("migrate", "goodSource", {"--url", url});
    INFO(url);
    CHECK_ONE_ERROR_LINE(r, 3);
    CHECK((contains(r.err, "not understood") || contains(r.err, "${VAR}")));
    CHECK_FALSE(contains(r.err, "/var/run/postgresql"));
  }
  CHECK(f.unchanged());
}

TEST_CASE("a config url that expands to a literal ${VAR} says nothing expanded it", "[bad-input][url][config]") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", kCases, "${JSORM_TEST_URL}"));
  const auto r = f.run({"migrate"}, {{"JSORM_TEST_URL", "${DB_URL}"}});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "${VAR}"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("a bare file path is read as a SQLite database", "[url]") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource", {"--url", "./plain.db"}));
  CHECK(trackedNames(f.dir.file("plain.db")).size() == 3);
}

// --- 12. words ------------------------------------------------------------------------

TEST_CASE("jsorm --help separates every command from its summary", "[help]") {
  CliFixture f;
  const auto r = f.jsorm({"--help"});
  REQUIRE(r.exitCode == 0);
  CHECK(matches(r.out, R"(migrate:generate +Write)"));
  CHECK(matches(r.out, R"(migrate:status +List)"));
  CHECK_FALSE(contains(r.out, "migrate:generateWrite"));
}

TEST_CASE("migrate:generate --help says --source picks a generate source", "[help]") {
  CliFixture f;
  const auto generate = f.jsorm({"migrate:generate", "--help"});
  CHECK(contains(generate.out, "[generateSources.NAME]"));
  CHECK_FALSE(contains(generate.out, "[migrationSources.NAME]"));
  const auto migrate = f.jsorm({"migrate", "--help"});
  CHECK(contains(migrate.out, "[migrationSources.NAME]"));
}

TEST_CASE("a dry run says 'would apply', never 'applied'", "[dry-run]") {
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {"--dry-run"});
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "would apply     create-accounts"));
  CHECK_FALSE(matches(r.out, R"(\bapplied\s+create-accounts)"));
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  const auto down = f.cases("migrate:down", "goodSource", {"--dry-run"});
  CHECK(contains(down.out, "would roll back seed-account"));
  CHECK_FALSE(contains(down.out, "rolled back seed-account"));
}

TEST_CASE("the status table aligns names by their width on a terminal, not their bytes", "[status]") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:up", "unicodeNamesSource"));
  const auto r = f.cases("migrate:status", "unicodeNamesSource");
  REQUIRE(r.exitCode == 10);
  // The state column starts at the same terminal column on every row: "añadir-índice" is
  // 13 columns in 15 bytes, "建表" 4 columns in 6 bytes.
  std::istringstream lines(r.out);
  std::set<std::size_t> stateColumns;
  for (std::string line; std::getline(lines, line);) {
    for (const std::string state : {"applied", "pending", "State"}) {
      const auto at = line.find(state);
      if (at == std::string::npos || line.find("migrations on") != std::string::npos) continue;
      const std::string before = line.substr(0, at);
      std::size_t columns = 0;
      for (const std::string wide : {"建", "表"}) {
        for (auto p = before.find(wide); p != std::string::npos; p = before.find(wide, p + 1)) columns += 2;
      }
      std::size_t ascii = 0;
      std::size_t twoByte = 0;
      for (unsigned char c : before) {
        if (c < 0x80) ++ascii;
        else if ((c & 0xE0) == 0xC0) ++twoByte;
      }
      stateColumns.insert(columns + ascii + twoByte);
      break;
    }
  }
  CHECK(stateColumns.size() == 1);
  CHECK(contains(r.out, "añadir-índice"));
}

TEST_CASE("a config url that is empty, as written or once expanded, is an error, not the module's own connection",
          "[bad-input][url][config]") {
  for (const std::string url : {"", "${JSORM_TEST_EMPTY:-}", "${JSORM_TEST_EMPTY_SET}"}) {
    ConfigFixture f;
    f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", kCases, url));
    const auto r = f.run({"migrate"}, {{"JSORM_TEST_EMPTY_SET", ""}});
    INFO(url);
    CHECK_ONE_ERROR_LINE(r, 3);
    CHECK(contains(r.err, "url"));
    CHECK_FALSE(std::filesystem::exists(f.db));
  }
}

// --- the generator's files ------------------------------------------------------------

namespace {
std::vector<std::string> filesIn(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  if (!std::filesystem::exists(dir)) return names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string utcStampIn(int secondsAhead) {
  const std::time_t when = std::time(nullptr) + secondsAhead;
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%S", &utc);
  return text;
}
}  // namespace

TEST_CASE("a snapshot path that is not a regular file is refused at once", "[bad-input][generate]") {
  CliFixture f;
  std::filesystem::create_symlink("/dev/zero", f.dir.file("schema.json"));
  const auto zero = f.cases("migrate:generate", "generateSource");
  CHECK_ONE_ERROR_LINE(zero, 3);
  CHECK(contains(zero.err, "not a regular file"));
  std::filesystem::remove(f.dir.file("schema.json"));
  REQUIRE(::mkfifo(f.dir.file("schema.json").c_str(), 0644) == 0);
  const auto fifo = f.cases("migrate:generate", "generateSource");
  CHECK_ONE_ERROR_LINE(fifo, 3);
  CHECK(filesIn(f.dir.file("migrations"), ".cpp").empty());
}

TEST_CASE("migrate:generate never overwrites a migration file", "[generate]") {
  CliFixture f;
  // Files already holding every name the run could pick in the next seconds.
  const std::string out = f.dir.file("migrations");
  std::filesystem::create_directories(out);
  std::vector<std::string> planted;
  for (int ahead = 0; ahead < 5; ++ahead) {
    planted.push_back(out + "/" + utcStampIn(ahead) + "_accounts.cpp");
    writeFile(planted.back(), "// written by hand\n");
  }
  const auto r = f.cases("migrate:generate", "generateSource", {"--name", "accounts"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  for (const auto& file : planted) CHECK(readFile(file) == "// written by hand\n");
  const auto files = filesIn(out, ".cpp");
  REQUIRE(files.size() == planted.size() + 1);
  bool numbered = false;
  for (const auto& name : files) numbered |= name.find("_accounts_2.cpp") != std::string::npos;
  CHECK(numbered);
}

TEST_CASE("parallel migrate:generate runs on one snapshot write the change once", "[generate]") {
  CliFixture f;
  std::vector<int> pids;
  for (int i = 0; i < 4; ++i) {
    ProcessOptions options;
    options.workingDirectory = f.dir.path();
    options.environment = {{"NO_COLOR", ""}};
    pids.push_back(::jsorm::test::spawnProcess(kJsorm, {"migrate:generate", kCases, "generateSource"}, options,
                                               f.dir.file("out" + std::to_string(i)), f.dir.file("err" + std::to_string(i))));
  }
  for (int pid : pids) CHECK(::jsorm::test::waitProcess(pid) == 0);
  CHECK(filesIn(f.dir.file("migrations"), ".cpp").size() == 1);
  int unchanged = 0;
  for (int i = 0; i < 4; ++i) unchanged += contains(readFile(f.dir.file("out" + std::to_string(i))), "No changes");
  CHECK(unchanged == 3);
  for (const auto& entry : std::filesystem::directory_iterator(f.dir.path())) {
    CHECK(entry.path().filename().string().find(".tmp-") == std::string::npos);
  }
}

TEST_CASE("migrate:generate refuses models that migrate would refuse, and writes nothing", "[bad-input][generate]") {
  CliFixture f;
  const auto r = f.cases("migrate:generate", "unmigratableGenerateSource");
  CHECK_ONE_ERROR_LINE(r, 5);
  CHECK(contains(r.err, "ring (ring_a -> ring_b -> ring_a)"));
  CHECK(contains(r.err, "the limit is 63"));
  CHECK_FALSE(std::filesystem::exists(f.dir.file("schema.json")));
  CHECK(filesIn(f.dir.file("migrations"), ".cpp").empty());
}

TEST_CASE("migrate:generate classifies with the migrate:lint rules and names them", "[generate][lint]") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:generate", "generateSource"));
  // The snapshot without accounts.handle (string(40).unique(), NOT NULL, no default): the
  // models now add it to a table that exists.
  auto snapshot = nlohmann::json::parse(readFile(f.dir.file("schema.json")));
  auto& accounts = snapshot["tables"]["accounts"];
  const auto named = [](const char* name) { return [name](const nlohmann::json& j) { return j["name"] == name; }; };
  auto& columns = accounts["columns"].get_ref<nlohmann::json::array_t&>();
  auto& indexes = accounts["indexes"].get_ref<nlohmann::json::array_t&>();
  REQUIRE(std::erase_if(columns, named("handle")) == 1);
  REQUIRE(std::erase_if(indexes, named("accounts_handle_unique")) == 1);
  writeFile(f.dir.file("schema.json"), snapshot.dump(2));

  const auto pg = f.cases("migrate:generate", "generateSource", {"--check"});
  INFO(describe(pg));
  CHECK(pg.exitCode == 11);
  CHECK(contains(pg.out, "review_required  add column accounts.handle"));
  CHECK(contains(pg.out, "[add-required-column-without-default, create-index-non-concurrently]"));
  const auto json = f.cases("migrate:generate", "generateSource", {"--check", "--json"});
  CHECK(contains(json.out, "\"rule\": \"add-required-column-without-default\""));
  CHECK(contains(json.out, "\"database\": \"postgres\""));
  // SQLite refuses the column too; its indexes are harmless.
  const auto lite = f.cases("migrate:generate", "generateSource", {"--check", "--database", "sqlite"});
  CHECK(contains(lite.out, "[add-required-column-without-default]"));
  CHECK_ONE_ERROR_LINE(f.cases("migrate:generate", "generateSource", {"--database", "oracle"}), 2);
  CHECK_ONE_ERROR_LINE(f.cases("migrate:generate", "generateSource", {"--all"}), 2);

  REQUIRE_OK(f.cases("migrate:generate", "generateSource", {"--name", "handle"}));
  const auto files = filesIn(f.dir.file("migrations"), "_handle.cpp");
  REQUIRE(files.size() == 1);
  const std::string text = readFile(f.dir.file("migrations") + "/" + files.front());
  INFO(text);
  CHECK(contains(text, "// review_required: add column accounts.handle"));
  CHECK(contains(text, "//   add-required-column-without-default (error) — add the column as .optional()"));
  CHECK(contains(text, "the migrate:lint rules for postgres"));
}

// --- sources are resolved by their symbol ---------------------------------------------

TEST_CASE("a source is found by its exported symbol and checked against the registry", "[bad-input][module]") {
  CliFixture f;
  const std::string odd = kFixtureDir + "/libfixture_odd_symbols.so";
  REQUIRE_OK(f.jsorm({"migrate:status", odd, "goodSource", "--url", "sqlite:" + f.db}));
  // The dynamic linker's own trace shows the lookup of the symbol in the module.
  const auto traced = f.jsorm({"migrate:status", odd, "goodSource", "--url", "sqlite:" + f.db}, {{"LD_DEBUG", "symbols"}});
  bool lookedUpInModule = false;
  std::istringstream trace(traced.err);
  for (std::string line; std::getline(trace, line);) {
    lookedUpInModule |= contains(line, "symbol=goodSource;") && contains(line, "libfixture_odd_symbols.so");
  }
  CHECK(lookedUpInModule);
  const auto unlisted = f.jsorm({"migrate", odd, "unlistedSource"});
  CHECK_ONE_ERROR_LINE(unlisted, 4);
  CHECK(contains(unlisted.err, "registry does not list that source"));
  for (const std::string symbol : {"functionSource", "textSource", "jsorm_module_info", "malloc", "environ"}) {
    const auto r = f.jsorm({"migrate", odd, symbol});
    INFO(symbol);
    CHECK_ONE_ERROR_LINE(r, 4);
    CHECK((contains(r.err, "is not a jsorm source") || contains(r.err, "exports no migration source")));
  }
  const auto listedOnly = f.jsorm({"migrate:status", kFixtureDir + "/libfixture_odd_registry.so", "goodSource"});
  CHECK_ONE_ERROR_LINE(listedOnly, 4);
  CHECK(contains(listedOnly.err, "lists a source 'listedOnly' in its registry but does not export the symbol"));
}
