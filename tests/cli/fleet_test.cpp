// Fleets (docs/fleets.md): one migrate or migrate:status over many databases, schemas and
// SQLite files, with parallelism, canaries, shards, a stop on failure and one report.

#include "cli_fixture.hpp"
#include "mysql_scratch.hpp"
#include "pg_scratch.hpp"

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <fstream>
#include <set>
#include <thread>

namespace {
using namespace jsorm::cli_test;
using Json = nlohmann::json;

const std::string kFleetModule = kFixtureDir + "/libfixture_fleet.so";
const std::vector<std::string> kFleetMigrations{"fleet-create-a", "fleet-create-b", "fleet-seed"};

ProcessOptions processOptions(const CliFixture& f) {
  ProcessOptions options;
  options.workingDirectory = f.dir.path();
  options.environment = {{"DATABASE_URL", ""}, {"JSORM_ADAPTER_PATH", ""}, {"NO_COLOR", ""}, {"FIXTURE_DB", f.db}};
  return options;
}

void writeLines(const std::string& file, const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  writeFile(file, text);
}

struct FleetFixture : CliFixture {
  std::string targets = dir.file("targets.txt");

  /// `jsorm COMMAND libfixture_fleet.so SOURCE --targets targets.txt extra...`
  ProcessResult fleet(const std::string& command, const std::vector<std::string>& extra = {},
                      const std::string& source = "fleetSource", const Env& env = {}) const {
    std::vector<std::string> args{command, kFleetModule, source, "--targets", targets};
    args.insert(args.end(), extra.begin(), extra.end());
    return jsorm(args, env);
  }
  int spawn(const std::vector<std::string>& args, const std::string& name) const {
    return jsorm::test::spawnProcess(kJsorm, args, processOptions(*this), dir.file(name + ".out"), dir.file(name + ".err"));
  }
  std::string sqlite(int i) const { return dir.file(fmt::format("tenant{}.db", i)); }
};

Json reportOf(const ProcessResult& r) {
  INFO(describe(r));
  REQUIRE_FALSE(r.out.empty());
  return Json::parse(r.out);
}

std::set<std::string> targetsIn(const Json& report, const std::string& state) {
  std::set<std::string> found;
  for (const auto& t : report.at("targets")) {
    if (t.at("state") == state) found.insert(t.at("target").get<std::string>());
  }
  return found;
}

/// The applied migrations of a SQLite target; empty when the file or table does not exist.
std::vector<std::string> sqliteApplied(const std::string& path) {
  if (!std::filesystem::exists(path)) return {};
  return trackedNames(path);
}

// PostgreSQL databases made for one test, all at once, dropped after it.
class PgDatabases {
 public:
  explicit PgDatabases(int count) {
    static std::atomic<int> batch{0};
    const std::string server = serverUrl();
    base_ = server.substr(0, server.rfind('/') + 1);
    admin_ = jsorm::connect(server);
    const int id = batch++;
    for (int i = 0; i < count; ++i) {
      names_.push_back(fmt::format("jsorm_fleet_{}_{}_{}", ::getpid(), id, i));
      admin_->execute("CREATE DATABASE " + names_.back());
    }
  }
  ~PgDatabases() {
    for (const auto& name : names_) {
      try {
        admin_->execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (...) {
      }
    }
  }
  PgDatabases(const PgDatabases&) = delete;
  PgDatabases& operator=(const PgDatabases&) = delete;

  std::string url(std::size_t i) const { return base_ + names_.at(i); }
  std::size_t size() const { return names_.size(); }
  jsorm::Connection& admin() { return *admin_; }
  const std::string& name(std::size_t i) const { return names_.at(i); }

 private:
  std::string base_;
  std::vector<std::string> names_;
  std::shared_ptr<jsorm::Connection> admin_;
};

/// The applied migrations in `schema` (or the default) of a PostgreSQL database, read
/// without creating anything.
std::vector<std::string> pgApplied(jsorm::Connection& db, const std::string& schema = "public",
                                   const std::string& table = "jsorm_migrations") {
  const auto exists = db.query("SELECT to_regclass($1)::text", {"\"" + schema + "\"." + table});
  if (std::holds_alternative<std::monostate>(exists.rows.at(0).at(0))) return {};
  std::vector<std::string> names;
  for (const auto& row : db.query("SELECT name FROM \"" + schema + "\"." + table + " ORDER BY id", {}).rows) {
    names.push_back(std::get<std::string>(row.at(0)));
  }
  return names;
}

std::vector<std::string> pgAppliedAt(const std::string& url, const std::string& schema = "public") {
  auto db = jsorm::connect(url);
  return pgApplied(*db, schema);
}

std::string password() { return jsorm::test::testSecret("pg"); }
}  // namespace

TEST_CASE("a fleet of PostgreSQL databases, schemas of one database and SQLite files migrates in one command",
          "[pg][fleet]") {
  // CI runs the full size (100 + 50 + 50); JSORM_TEST_FLEET_SMALL=1 runs 10 + 5 + 5.
  const bool small = std::getenv("JSORM_TEST_FLEET_SMALL") != nullptr;
  const int databases = small ? 10 : 100;
  const int schemas = small ? 5 : 50;
  const int files = small ? 5 : 50;
  FleetFixture f;
  const auto setupStarted = std::chrono::steady_clock::now();
  PgDatabases dbs(databases);
  ScratchDatabase shared;
  const auto setupMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - setupStarted).count();
  std::vector<std::string> lines{"# every kind of target at once"};
  for (std::size_t i = 0; i < dbs.size(); ++i) lines.push_back(dbs.url(i));
  for (int i = 0; i < schemas; ++i) lines.push_back(fmt::format("{}?schema=tenant_{}", shared.url(), i));
  for (int i = 0; i < files; ++i) lines.push_back("sqlite:" + f.sqlite(i));
  writeLines(f.targets, lines);

  const auto started = std::chrono::steady_clock::now();
  const auto r = f.fleet("migrate", {"--parallel", "8", "--json"});
  const auto runMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  WARN("creating " << databases << " databases took " << setupMs << " ms; the fleet of " << lines.size() - 1
                   << " targets took " << runMs << " ms");
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  const Json report = reportOf(r);
  const std::size_t total = static_cast<std::size_t>(databases + schemas + files);
  CHECK(report["totals"] == Json{{"ok", total}, {"failed", 0}, {"skipped", 0}, {"notCurrent", 0}, {"total", total}});
  REQUIRE(report["targets"].size() == total);
  for (const auto& t : report["targets"]) {
    CHECK(t["state"] == "ok");
    CHECK(t["applied"] == Json(kFleetMigrations));
    CHECK(t["error"].is_null());
    CHECK(t["exitCode"] == 0);
  }
  CHECK_FALSE(contains(r.out, password()));
  for (std::size_t i = 0; i < dbs.size(); ++i) CHECK(pgAppliedAt(dbs.url(i)) == kFleetMigrations);
  for (int i = 0; i < schemas; ++i) CHECK(pgApplied(shared.db(), fmt::format("tenant_{}", i)) == kFleetMigrations);
  CHECK(pgApplied(shared.db()).empty());  // nothing landed in public
  for (int i = 0; i < files; ++i) CHECK(sqliteApplied(f.sqlite(i)) == kFleetMigrations);

  // The same fleet checked: every target current, exit 0; one behind: exit 10.
  REQUIRE_OK(f.fleet("migrate:status", {"--parallel", "8"}));
  shared.db().execute("DELETE FROM tenant_3.jsorm_migrations WHERE name = 'fleet-seed'");
  const auto status = f.fleet("migrate:status", {"--parallel", "8", "--json"});
  CHECK(status.exitCode == 10);
  const Json behind = reportOf(status);
  CHECK(behind["totals"]["notCurrent"] == 1);
  CHECK(targetsIn(behind, "not-current") == std::set<std::string>{jsorm::redactUrl(shared.url()) + "?schema=tenant_3"});
}

TEST_CASE("a dropped database fails only its target: with --continue-on-error the rest finish, exit 7", "[pg][fleet]") {
  FleetFixture f;
  PgDatabases dbs(4);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < dbs.size(); ++i) lines.push_back(dbs.url(i));
  for (int i = 0; i < 4; ++i) lines.push_back("sqlite:" + f.sqlite(i));
  writeLines(f.targets, lines);
  dbs.admin().execute("DROP DATABASE " + dbs.name(1) + " WITH (FORCE)");

  const auto r = f.fleet("migrate", {"--continue-on-error", "--parallel", "3", "--json"});
  CHECK(r.exitCode == 7);
  const Json report = reportOf(r);
  CHECK(report["totals"]["ok"] == 7);
  CHECK(report["totals"]["failed"] == 1);
  const Json& failed = report["targets"][1];
  CHECK(failed["state"] == "failed");
  CHECK(failed["target"] == jsorm::redactUrl(dbs.url(1)));
  CHECK(failed["exitCode"] == 6);  // what a single migrate on it exits with: a connection error
  CHECK(contains(failed["error"].get<std::string>(), dbs.name(1)));
  CHECK(failed["applied"] == Json::array());
  CHECK_FALSE(contains(r.out + r.err, password()));
  for (std::size_t i : {0u, 2u, 3u}) CHECK(pgAppliedAt(dbs.url(i)) == kFleetMigrations);
  for (int i = 0; i < 4; ++i) CHECK(sqliteApplied(f.sqlite(i)) == kFleetMigrations);

  // In text: one FAILED line naming the target and its error, and the summary.
  const auto text = f.fleet("migrate:status", {"--continue-on-error"});
  CHECK(text.exitCode == 7);
  CHECK(matches(text.out, "FAILED " + jsorm::redactUrl(dbs.url(1)) + ": .*" + dbs.name(1)));
  CHECK(contains(text.out, "Fleet of 8 targets in "));
  CHECK(contains(text.out, ": 7 ok, 1 failed, 0 skipped."));
}

TEST_CASE("a migration failing on one target: the rest finish with --continue-on-error; without it nothing new starts",
          "[fleet]") {
  FleetFixture f;
  std::vector<std::string> lines;
  for (int i = 0; i < 8; ++i) lines.push_back("sqlite:" + f.sqlite(i));
  writeLines(f.targets, lines);
  // Target 2 already has fleet_b: fleet-create-b fails there, and only there.
  openDb(f.sqlite(2))->execute("CREATE TABLE fleet_b (x INTEGER)");

  SECTION("without --continue-on-error, one at a time: the targets after it are skipped and untouched") {
    const auto r = f.fleet("migrate", {"--parallel", "1", "--json"});
    CHECK(r.exitCode == 7);
    const Json report = reportOf(r);
    CHECK(report["totals"] == Json{{"ok", 2}, {"failed", 1}, {"skipped", 5}, {"notCurrent", 0}, {"total", 8}});
    CHECK(report["targets"][2]["applied"] == Json{"fleet-create-a"});
    CHECK(contains(report["targets"][2]["error"].get<std::string>(), "fleet-create-b"));
    CHECK(report["targets"][2]["exitCode"] == 7);
    for (int i = 3; i < 8; ++i) {
      CHECK(report["targets"][i]["state"] == "skipped");
      CHECK(report["targets"][i]["exitCode"].is_null());
      CHECK_FALSE(std::filesystem::exists(f.sqlite(i)));
    }
    CHECK(sqliteApplied(f.sqlite(2)) == std::vector<std::string>{"fleet-create-a"});
  }
  SECTION("without --continue-on-error, four at a time: whatever had not started is untouched") {
    const auto r = f.fleet("migrate", {"--parallel", "4", "--json"});
    CHECK(r.exitCode == 7);
    const Json report = reportOf(r);
    CHECK(report["totals"]["failed"] == 1);
    CHECK(report["totals"]["skipped"].get<int>() >= 1);
    for (int i = 0; i < 8; ++i) {
      const auto& state = report["targets"][i]["state"];
      if (state == "skipped") CHECK_FALSE(std::filesystem::exists(f.sqlite(i)));
      if (state == "ok") CHECK(sqliteApplied(f.sqlite(i)) == kFleetMigrations);
    }
  }
  SECTION("with --continue-on-error every other target is migrated") {
    const auto r = f.fleet("migrate", {"--parallel", "2", "--continue-on-error"});
    CHECK(r.exitCode == 7);
    CHECK(matches(r.out, "FAILED sqlite:[^ ]*tenant2\\.db: .*fleet-create-b"));
    CHECK(contains(r.out, ": 7 ok, 1 failed, 0 skipped."));
    for (int i = 0; i < 8; ++i) {
      if (i != 2) CHECK(sqliteApplied(f.sqlite(i)) == kFleetMigrations);
    }
  }
}

TEST_CASE("a fleet with --canary 3: a migration failing on a canary leaves every other target untouched", "[fleet]") {
  FleetFixture f;
  std::vector<std::string> lines;
  for (int i = 0; i < 10; ++i) lines.push_back("sqlite:" + f.sqlite(i));
  writeLines(f.targets, lines);
  for (int i = 0; i < 3; ++i) openDb(f.sqlite(i))->execute("CREATE TABLE fleet_b (x INTEGER)");

  // Even --continue-on-error does not let the fleet past a failed canary.
  const auto r = f.fleet("migrate", {"--canary", "3", "--parallel", "4", "--continue-on-error", "--json"});
  CHECK(r.exitCode == 7);
  const Json report = reportOf(r);
  CHECK(report["canaryFailed"] == true);
  // All three canaries start at once, but one that a busy machine starts only after the
  // first failure is skipped rather than run: at least one fails, none succeeds.
  const Json& totals = report["totals"];
  CHECK(totals["ok"] == 0);
  CHECK(totals["notCurrent"] == 0);
  CHECK(totals["total"] == 10);
  CHECK(totals["failed"].get<int>() >= 1);
  CHECK(totals["failed"].get<int>() + totals["skipped"].get<int>() == 10);
  for (int i = 3; i < 10; ++i) CHECK_FALSE(std::filesystem::exists(f.sqlite(i)));

  // Healthy canaries let the rest run.
  for (int i = 0; i < 3; ++i) openDb(f.sqlite(i))->execute("DROP TABLE fleet_b");
  const auto healthy = f.fleet("migrate", {"--canary", "3", "--json"});
  INFO(describe(healthy));
  CHECK(healthy.exitCode == 0);
  CHECK(reportOf(healthy)["totals"]["ok"] == 10);
}

TEST_CASE("two fleets racing on overlapping targets apply each migration once per target", "[pg][fleet]") {
  FleetFixture f;
  ScratchDatabase pg;
  std::vector<std::string> all;
  for (int i = 0; i < 6; ++i) all.push_back(fmt::format("{}?schema=race_{}", pg.url(), i));
  for (int i = 0; i < 6; ++i) all.push_back("sqlite:" + f.sqlite(i));
  // The first fleet takes the first eight, the second the last eight, in reverse: eight shared.
  writeLines(f.dir.file("a.txt"), {all.begin(), all.begin() + 8});
  writeLines(f.dir.file("b.txt"), {all.rbegin(), all.rbegin() + 8});
  for (int round = 0; round < 3; ++round) {
    const int a = f.spawn({"migrate", kFleetModule, "fleetSource", "--targets", f.dir.file("a.txt"), "--parallel", "4"}, "a");
    const int b = f.spawn({"migrate", kFleetModule, "fleetSource", "--targets", f.dir.file("b.txt"), "--parallel", "4"}, "b");
    INFO(readFile(f.dir.file("a.out")) << readFile(f.dir.file("a.err")) << readFile(f.dir.file("b.out"))
                                      << readFile(f.dir.file("b.err")));
    CHECK(jsorm::test::waitProcess(a) == 0);
    CHECK(jsorm::test::waitProcess(b) == 0);
    for (int i = 0; i < 6; ++i) {
      CHECK(pgApplied(pg.db(), fmt::format("race_{}", i)) == kFleetMigrations);
      CHECK(pg.count(fmt::format("SELECT count(*) FROM race_{}.fleet_a", i)) == 1);  // the seed ran once
      CHECK(sqliteApplied(f.sqlite(i)) == kFleetMigrations);
      CHECK(countRows(f.sqlite(i), "SELECT count(*) FROM fleet_a") == 1);
    }
    // The next round races on fresh targets.
    for (int i = 0; i < 6; ++i) {
      pg.db().execute(fmt::format("DROP SCHEMA race_{} CASCADE", i));
      std::filesystem::remove(f.sqlite(i));
    }
  }
}

TEST_CASE("fleet shards 1/3, 2/3 and 3/3 run at once cover every target exactly once", "[fleet]") {
  FleetFixture f;
  std::vector<std::string> lines;
  for (int i = 0; i < 30; ++i) lines.push_back("sqlite:" + f.sqlite(i));
  writeLines(f.targets, lines);
  std::vector<int> pids;
  for (int k = 1; k <= 3; ++k) {
    pids.push_back(f.spawn({"migrate", kFleetModule, "fleetSource", "--targets", f.targets, "--shard",
                            fmt::format("{}/3", k), "--json"},
                           fmt::format("shard{}", k)));
  }
  std::multiset<std::string> covered;
  std::vector<std::set<std::string>> slices;
  for (int k = 1; k <= 3; ++k) {
    INFO(readFile(f.dir.file(fmt::format("shard{}.err", k))));
    CHECK(jsorm::test::waitProcess(pids[k - 1]) == 0);
    const Json report = Json::parse(readFile(f.dir.file(fmt::format("shard{}.out", k))));
    slices.push_back(targetsIn(report, "ok"));
    CHECK(report["totals"]["ok"] == report["totals"]["total"]);
    for (const auto& t : report["targets"]) covered.insert(t["target"].get<std::string>());
  }
  CHECK(covered.size() == 30);
  CHECK(std::set<std::string>(covered.begin(), covered.end()).size() == 30);
  for (const auto& slice : slices) CHECK_FALSE(slice.empty());  // 30 targets: no slice is empty by chance
  for (int i = 0; i < 30; ++i) CHECK(sqliteApplied(f.sqlite(i)) == kFleetMigrations);

  // A slice depends on the targets, not on their order in the file.
  std::vector<std::string> reversed(lines.rbegin(), lines.rend());
  writeLines(f.dir.file("reversed.txt"), reversed);
  const auto again = f.jsorm({"migrate:status", kFleetModule, "fleetSource", "--targets", f.dir.file("reversed.txt"),
                              "--shard", "2/3", "--json"});
  CHECK(again.exitCode == 0);
  CHECK(targetsIn(reportOf(again), "ok") == slices[1]);
}

TEST_CASE("a shard is the same on every machine and in every jsorm version: FNV-1a of the URL and source", "[fleet]") {
  // Relative paths, so the targets' text is the same wherever the test runs. The expected
  // slices are FNV-1a 64 of "sqlite:tN.db\nfleetSource" mod 3, computed outside jsorm:
  // changing the hash would move targets between the shards of jobs already deployed.
  FleetFixture f;
  std::vector<std::string> lines;
  for (int i = 0; i < 12; ++i) lines.push_back(fmt::format("sqlite:t{}.db", i));
  writeLines(f.targets, lines);
  const std::vector<std::set<std::string>> expected{
      {"sqlite:t2.db", "sqlite:t3.db", "sqlite:t4.db", "sqlite:t9.db"},
      {"sqlite:t1.db", "sqlite:t7.db", "sqlite:t8.db", "sqlite:t10.db", "sqlite:t11.db"},
      {"sqlite:t0.db", "sqlite:t5.db", "sqlite:t6.db"}};
  for (int k = 1; k <= 3; ++k) {
    const auto r = f.fleet("migrate:status", {"--shard", fmt::format("{}/3", k), "--json"});
    CHECK(r.exitCode == 10);  // nothing applied yet
    CHECK(targetsIn(reportOf(r), "not-current") == expected[k - 1]);
  }
  // Nothing was created by the status runs.
  for (int i = 0; i < 12; ++i) CHECK_FALSE(std::filesystem::exists(f.dir.file(fmt::format("t{}.db", i))));
}

TEST_CASE("a dry run on a fleet changes nothing and reports each target's plan", "[fleet]") {
  FleetFixture f;
  writeLines(f.targets, {"sqlite:" + f.sqlite(0), "sqlite:" + f.sqlite(1)});
  REQUIRE_OK(f.jsorm({"migrate", kFleetModule, "fleetSource", "--url", "sqlite:" + f.sqlite(1)}));
  const std::string before = readFile(f.sqlite(1));

  const auto json = f.fleet("migrate", {"--dry-run", "--json"});
  INFO(describe(json));
  CHECK(json.exitCode == 0);
  const Json report = reportOf(json);
  CHECK(report["targets"][0]["applied"] == Json(kFleetMigrations));
  CHECK(report["targets"][0]["plan"]["migrations"].size() == 3);
  CHECK(report["targets"][1]["applied"] == Json::array());
  CHECK(report["targets"][1]["plan"]["batch"].is_null());
  CHECK_FALSE(std::filesystem::exists(f.sqlite(0)));
  CHECK(readFile(f.sqlite(1)) == before);

  const auto text = f.fleet("migrate", {"--dry-run"});
  CHECK(text.exitCode == 0);
  CHECK(contains(text.out, "would apply 3 migrations as batch 1"));
  CHECK(contains(text.out, "CREATE TABLE \"fleet_a\""));
  CHECK(contains(text.out, "nothing to migrate"));
  CHECK_FALSE(std::filesystem::exists(f.sqlite(0)));
}

TEST_CASE("a fleet over --all-sources runs every migration source of jsorm.toml against its own url", "[fleet]") {
  FleetFixture f;
  writeFile(f.dir.file("jsorm.toml"), fmt::format("[migrationSources.main]\nmodule = \"{0}\"\nexport = \"fleetSource\"\n"
                                                  "url = \"sqlite:one.db\"\n"
                                                  "[migrationSources.other]\nmodule = \"{0}\"\nexport = \"otherSource\"\n"
                                                  "url = \"sqlite:one.db\"\n"
                                                  "[migrationSources.third]\nmodule = \"{0}\"\nexport = \"fleetSource\"\n"
                                                  "url = \"sqlite:${{THIRD_DB}}\"\n",
                                                  kFleetModule));
  const auto r = f.jsorm({"migrate", "--all-sources", "--json"}, {{"THIRD_DB", "three.db"}});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  const Json report = reportOf(r);
  REQUIRE(report["targets"].size() == 3);
  CHECK(report["targets"][1]["source"] == "other");
  CHECK(report["targets"][1]["applied"] == Json{"other-create"});
  CHECK(report["targets"][2]["target"] == "sqlite:three.db");
  CHECK(sqliteApplied(f.dir.file("one.db")) == kFleetMigrations);
  CHECK(trackedNames(f.dir.file("one.db"), "other_migrations") == std::vector<std::string>{"other-create"});
  CHECK(sqliteApplied(f.dir.file("three.db")) == kFleetMigrations);

  const auto text = f.jsorm({"migrate:status", "--all-sources"}, {{"THIRD_DB", "three.db"}});
  CHECK(text.exitCode == 0);
  CHECK(contains(text.out, "ok  sqlite:one.db (source other)  current: 1 applied"));
  // An unset variable in one source's url is a config error before anything runs.
  CHECK_ONE_ERROR_LINE(f.jsorm({"migrate", "--all-sources"}), 3);
  CHECK(contains(f.jsorm({"migrate", "--all-sources"}).err, "THIRD_DB"));
}

TEST_CASE("a bad targets file fails with its file:line before any target runs", "[fleet][bad-input]") {
  FleetFixture f;
  const std::string good = "sqlite:" + f.sqlite(0);
  auto refused = [&](const std::vector<std::string>& lines, int line, const std::string& says) {
    writeLines(f.targets, lines);
    const auto r = f.fleet("migrate");
    CHECK_ONE_ERROR_LINE(r, 3);
    CHECK(contains(r.err, fmt::format("targets.txt:{}", line)));
    CHECK(contains(r.err, says));
    CHECK_FALSE(std::filesystem::exists(f.sqlite(0)));
  };
  refused({good, "just-a-word"}, 2, "not a connection URL");
  refused({"# tenants", good, "", "${FLEET_UNSET_VAR}"}, 4, "FLEET_UNSET_VAR");
  refused({good, "${FLEET_EMPTY:-}"}, 2, "empty after expanding");
  refused({good, "sqlite:" + f.sqlite(0) + "  # the same file again"}, 2, "listed twice");
  refused({good, "nosuchdb://host/db"}, 2, "no usable adapter plugin");
  writeLines(f.targets, {"# only comments", ""});
  CHECK_ONE_ERROR_LINE(f.fleet("migrate"), 3);
  CHECK_ONE_ERROR_LINE(f.jsorm({"migrate", kFleetModule, "fleetSource", "--targets", f.dir.file("missing.txt")}), 3);
}

TEST_CASE("fleet options that cannot work together are usage errors", "[fleet][bad-input]") {
  FleetFixture f;
  writeLines(f.targets, {"sqlite:" + f.sqlite(0)});
  for (const auto& extra : std::vector<std::vector<std::string>>{{"--shard", "0/3"},
                                                                 {"--shard", "4/3"},
                                                                 {"--shard", "1/0"},
                                                                 {"--shard", "1-3"},
                                                                 {"--shard", "a/3"},
                                                                 {"--shard", "1/3/5"},
                                                                 {"--shard", "-1/3"},
                                                                 {"--shard", "99999999999999999999999/3"},
                                                                 {"--parallel", "0"},
                                                                 {"--parallel", "65"},
                                                                 {"--canary", "-1"},
                                                                 {"--all-sources"},
                                                                 {"--url", "sqlite:x.db"}}) {
    INFO(fmt::format("{}", fmt::join(extra, " ")));
    CHECK_ONE_ERROR_LINE(f.fleet("migrate", extra), 2);
  }
  // Fleet-only options without a fleet.
  CHECK_ONE_ERROR_LINE(f.cases("migrate", "goodSource", {"--shard", "1/2"}), 2);
  CHECK_ONE_ERROR_LINE(f.cases("migrate", "goodSource", {"--continue-on-error"}), 2);
  // migrate:up is one database at a time.
  CHECK_ONE_ERROR_LINE(f.cases("migrate:up", "goodSource", {"--targets", f.targets}), 2);
  CHECK_FALSE(std::filesystem::exists(f.sqlite(0)));
}

TEST_CASE("migrate --to pins one release across a fleet, checked against the source before any target runs",
          "[fleet]") {
  FleetFixture f;
  writeLines(f.targets, {"sqlite:" + f.sqlite(0), "sqlite:" + f.sqlite(1), "sqlite:" + f.sqlite(2)});
  const auto typo = f.fleet("migrate", {"--to", "fleet-create-c"});
  CHECK_ONE_ERROR_LINE(typo, 2);
  CHECK(contains(typo.err, "did you mean 'fleet-create-a' or 'fleet-create-b'?"));
  CHECK_FALSE(std::filesystem::exists(f.sqlite(0)));

  const Json pinned = reportOf(f.fleet("migrate", {"--to", "fleet-create-b", "--json"}));
  CHECK(pinned.at("totals").at("ok") == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(sqliteApplied(f.sqlite(i)) == std::vector<std::string>{"fleet-create-a", "fleet-create-b"});
  }
  for (const auto& target : pinned.at("targets")) {
    CHECK(target.at("applied") == Json::array({"fleet-create-a", "fleet-create-b"}));
  }
  REQUIRE_OK(f.fleet("migrate"));
  CHECK(sqliteApplied(f.sqlite(2)) == std::vector<std::string>{"fleet-create-a", "fleet-create-b", "fleet-seed"});
}

TEST_CASE("an unreachable host among the targets fails with exit 6 semantics and its password is never printed",
          "[pg][fleet][bad-input]") {
  FleetFixture f;
  const std::string secret = testSecret("fleet");
  const std::string unreachable = fmt::format("postgres://tenant:{}@127.0.0.1:1/nowhere", secret);
  writeLines(f.targets, {"sqlite:" + f.sqlite(0), unreachable, "sqlite:" + f.sqlite(1)});
  for (const bool json : {false, true}) {
    std::vector<std::string> extra{"--continue-on-error", "-v"};
    if (json) extra.push_back("--json");
    const auto r = f.fleet("migrate", extra);
    INFO(describe(r));
    CHECK(r.exitCode == 7);
    CHECK_FALSE(contains(r.out + r.err, secret));
    if (json) {
      const Json report = reportOf(r);
      CHECK(report["targets"][1]["target"] == "postgres://tenant@127.0.0.1:1/nowhere");
      CHECK(report["targets"][1]["exitCode"] == 6);
      CHECK(report["totals"]["ok"] == 2);
    } else {
      CHECK(contains(r.out, "FAILED postgres://tenant@127.0.0.1:1/nowhere: "));
    }
  }
  CHECK(sqliteApplied(f.sqlite(1)) == kFleetMigrations);
}

TEST_CASE("schema=NAME puts the tracking table in that schema; a status does not create it; db:fresh stays inside",
          "[pg][fleet]") {
  FleetFixture f;
  ScratchDatabase pg;
  const std::string url = pg.url() + "?schema=tenant_x";
  pg.db().execute("CREATE TABLE keep_me (id integer)");
  const auto status = f.jsorm({"migrate:status", kFleetModule, "fleetSource", "--url", url, "--json"});
  CHECK(status.exitCode == 10);
  CHECK(pg.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'tenant_x'") == 0);

  REQUIRE_OK(f.jsorm({"migrate", kFleetModule, "fleetSource", "--url", url}));
  CHECK(pgApplied(pg.db(), "tenant_x") == kFleetMigrations);
  CHECK(pg.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'tenant_x'") == 3);
  REQUIRE_OK(f.jsorm({"db:fresh", kFleetModule, "fleetSource", "--url", url}));
  CHECK(pg.count("SELECT count(*) FROM pg_tables WHERE tablename = 'keep_me' AND schemaname = 'public'") == 1);
  CHECK(pgApplied(pg.db(), "tenant_x") == kFleetMigrations);

  for (const std::string& bad : std::vector<std::string>{"1abc", "pg_catalog", "a-b", "a%20b", "", std::string(64, 'x')}) {
    INFO(bad);
    const auto r = f.jsorm({"migrate", kFleetModule, "fleetSource", "--url", pg.url() + "?schema=" + bad});
    CHECK_ONE_ERROR_LINE(r, 3);
    CHECK(contains(r.err, "schema="));
    CHECK_FALSE(contains(r.err, password()));
  }
}

TEST_CASE("SIGINT stops starting targets, lets running ones finish their migration, and reports", "[pg][fleet]") {
  FleetFixture f;
  ScratchDatabase pg;
  std::vector<std::string> lines;
  for (int i = 0; i < 4; ++i) lines.push_back(fmt::format("{}?schema=nap_{}", pg.url(), i));
  writeLines(f.targets, lines);
  const int pid = f.spawn({"migrate", kFleetModule, "slowSource", "--targets", f.targets, "--parallel", "2", "--json"},
                          "interrupted");
  // The signal comes once the first target has recorded a migration: the fleet is running
  // (a slow start under a sanitizer must not turn this into a kill before the handler).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (pgApplied(pg.db(), "nap_0").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGINT);
  const int code = jsorm::test::waitProcess(pid);
  const std::string out = readFile(f.dir.file("interrupted.out"));
  INFO(out << readFile(f.dir.file("interrupted.err")));
  CHECK(code == 130);
  const Json report = Json::parse(out);
  CHECK(report["interruptedBy"] == "SIGINT");
  CHECK(report["exitCode"] == 130);
  for (int i = 0; i < 4; ++i) {
    const auto& target = report["targets"][i];
    const auto applied = pgApplied(pg.db(), fmt::format("nap_{}", i));
    if (i < 2) {
      // Running when the signal came: stopped between two migrations, each recorded whole.
      CHECK(target["state"] == "failed");
      CHECK(target["exitCode"] == 130);
      CHECK(target["applied"].size() == applied.size());
      CHECK(applied.size() >= 1);
      CHECK(applied.size() < 6);
    } else {
      CHECK(target["state"] == "skipped");
      CHECK(applied.empty());
    }
  }
}

TEST_CASE("a fleet of twelve MariaDB databases migrates at --parallel 8, each migration once",
          "[mysql][fleet]") {
  FleetFixture f;
  std::vector<std::unique_ptr<MysqlScratchDatabase>> dbs;
  std::vector<std::string> lines;
  for (int i = 0; i < 12; ++i) {
    dbs.push_back(std::make_unique<MysqlScratchDatabase>());
    lines.push_back(dbs.back()->url());
  }
  writeLines(f.targets, lines);
  // A fresh process each round: the first connections of a process are the ones that race.
  for (int round = 0; round < 3; ++round) {
    const auto r = f.fleet(round == 2 ? "migrate:status" : "migrate", {"--parallel", "8", "--json"});
    INFO(describe(r));
    CHECK(r.exitCode == 0);
    CHECK(reportOf(r)["totals"]["ok"] == 12);
  }
  for (auto& db : dbs) {
    CHECK(db->count("SELECT COUNT(*) FROM jsorm_migrations") == 3);
    CHECK(db->count("SELECT COUNT(*) FROM fleet_a") == 1);
  }
}
