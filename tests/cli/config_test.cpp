// Config-first mode: a jsorm.toml names the migration sources, so no command needs
// MODULE SYMBOL; discovery, --config, $JSORM_CONFIG, --source, url resolution and ${VAR}.

#include "config_fixture.hpp"

using namespace jsorm::cli_test;

namespace {
using Names = std::vector<std::string>;
const Names kGood{"create-accounts", "add-nickname", "seed-account"};
const Names kEvolving{"create-notes", "add-note-title", "create-tags"};

// The module path of libfixture_cases.so relative to `from`.
std::string relativeModule(const std::string& from) {
  return std::filesystem::relative(kCases, std::filesystem::canonical(from)).string();
}
}  // namespace

// ---- no positional arguments -------------------------------------------------------------

TEST_CASE("with a jsorm.toml, migrate, migrate:up, migrate:status and migrate:down need no arguments") {
  ConfigFixture f;
  f.writeSimpleConfig();

  const auto up = f.run({"migrate:up"});
  INFO(describe(up));
  REQUIRE(up.exitCode == 0);
  CHECK(matches(up.out, R"(applied +create-accounts)"));
  CHECK(trackedNames(f.db) == Names{"create-accounts"});

  auto status = parseStatus(f.run({"migrate:status", "--json"}), 10);
  CHECK(statusEntry(status, "create-accounts").at("state") == "applied");
  CHECK(statusEntry(status, "add-nickname").at("state") == "pending");

  const auto migrate = f.run({"migrate"});
  INFO(describe(migrate));
  REQUIRE(migrate.exitCode == 0);
  CHECK(contains(migrate.out, "Batch 2: applied 2 migrations"));
  CHECK(trackedNames(f.db) == kGood);

  const auto text = f.run({"migrate:status"});
  INFO(describe(text));
  CHECK(text.exitCode == 0);
  CHECK(matches(text.out, R"(seed-account +applied +2)"));
  CHECK(contains(text.out, "3 applied, 0 pending, 0 changed, 0 missing"));

  const auto down = f.run({"migrate:down"});
  INFO(describe(down));
  REQUIRE(down.exitCode == 0);
  CHECK(contains(down.out, "Rolled back 2 migrations of batch 2."));
  CHECK(trackedNames(f.db) == Names{"create-accounts"});
}

TEST_CASE("with a jsorm.toml, db:fresh, db:rollback and migrate:repair need no arguments") {
  ConfigFixture f;
  f.writeSimpleConfig();
  REQUIRE_OK(f.run({"migrate"}));

  const auto fresh = f.run({"db:fresh"});
  INFO(describe(fresh));
  REQUIRE(fresh.exitCode == 0);
  CHECK(trackedNames(f.db) == kGood);

  const auto repair = f.run({"migrate:repair"});
  INFO(describe(repair));
  CHECK(repair.exitCode == 0);
  CHECK(contains(repair.out, "Nothing to repair"));

  const auto rollback = f.run({"db:rollback"});
  INFO(describe(rollback));
  REQUIRE(rollback.exitCode == 0);
  CHECK(trackedNames(f.db).empty());
  CHECK(tablesOf(f.db) == Names{"jsorm_migrations"});
}

TEST_CASE("the announcement names the source and module the config chose") {
  ConfigFixture f;
  f.writeSimpleConfig();
  const auto r = f.run({"migrate"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "goodSource"));
  CHECK(contains(r.out, "libfixture_cases.so"));
}

TEST_CASE("jsorm.toml is found from a sub-folder two levels down") {
  ConfigFixture f;
  f.writeSimpleConfig();
  f.mkdirs("src/deep");
  const auto r = f.runIn("src/deep", {"migrate"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == kGood);
  CHECK(f.runIn("src/deep", {"migrate:status"}).exitCode == 0);
}

TEST_CASE("the nearest jsorm.toml upwards wins over one further up") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource"));
  f.write("app/jsorm.toml", defaultsTable("main") + sourceTable("main", "evolvingSource"));
  f.mkdirs("app/sub");
  const auto r = f.runIn("app/sub", {"migrate"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == kEvolving);
}

TEST_CASE("a module path relative to the config file is resolved against the config's folder") {
  ConfigFixture f;
  const std::string module = relativeModule(f.dir.path());
  REQUIRE(std::filesystem::path(module).is_relative());
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", module));
  f.mkdirs("a/b");
  // From two levels down the same relative path would point elsewhere: only resolving it
  // against the config's folder finds the module.
  const auto r = f.runIn("a/b", {"migrate"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == kGood);
}

TEST_CASE("the only [migrationSources] table is used without [defaults]") {
  ConfigFixture f;
  f.writeConfig(sourceTable("solo", "goodSource"));
  REQUIRE_OK(f.run({"migrate"}));
  CHECK(trackedNames(f.db) == kGood);
}

// ---- choosing a config or a source ---------------------------------------------------------

TEST_CASE("option --config FILE uses a config elsewhere instead of the jsorm.toml found upwards") {
  ConfigFixture f;
  // The discovered jsorm.toml would fail: its export does not exist.
  f.writeConfig(defaultsTable("main") + sourceTable("main", "noSuchExport"));
  const std::string other = f.write("conf/elsewhere.toml", defaultsTable("main") + sourceTable("main", "goodSource"));

  SECTION("absolute path") {
    const auto r = f.run({"migrate", "--config", other});
    INFO(describe(r));
    REQUIRE(r.exitCode == 0);
  }
  SECTION("path relative to the current folder") {
    const auto r = f.run({"migrate", "--config", "conf/elsewhere.toml"});
    INFO(describe(r));
    REQUIRE(r.exitCode == 0);
  }
  CHECK(trackedNames(f.db) == kGood);
  // Without --config the discovered (broken) one is used: the flag did make the difference.
  CHECK(f.run({"migrate:status"}).exitCode == 4);
}

TEST_CASE("$JSORM_CONFIG picks a config elsewhere") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "noSuchExport"));
  const std::string other = f.write("conf/env.toml", defaultsTable("main") + sourceTable("main", "goodSource"));
  const auto r = f.run({"migrate"}, {{"JSORM_CONFIG", other}});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == kGood);
}

TEST_CASE("option --config wins over $JSORM_CONFIG") {
  ConfigFixture f;
  const std::string broken = f.write("conf/broken.toml", defaultsTable("main") + sourceTable("main", "noSuchExport"));
  const std::string good = f.write("conf/good.toml", defaultsTable("main") + sourceTable("main", "goodSource"));
  const auto r = f.run({"migrate", "--config", good}, {{"JSORM_CONFIG", broken}});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == kGood);
}

TEST_CASE("option --source NAME picks another [migrationSources.NAME]") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource") + "\n" + sourceTable("notes", "evolvingSource"));
  const auto r = f.run({"migrate", "--source", "notes"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == kEvolving);
  CHECK(tablesOf(f.db) == Names{"jsorm_migrations", "notes", "tags"});
  CHECK(f.run({"migrate:status", "--source", "notes"}).exitCode == 0);
  // The default source sees the other history as missing migrations.
  CHECK(f.run({"migrate:status"}).exitCode == 10);
}

TEST_CASE("an unknown --source exits 3 listing the names the config defines", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource") + "\n" + sourceTable("notes", "evolvingSource"));
  const auto r = f.run({"migrate", "--source", "nope"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "nope"));
  CHECK(contains(r.err, "main"));
  CHECK(contains(r.err, "notes"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("a [defaults] migrationSource the config does not define exits 3 naming it", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("ghost") + sourceTable("main", "goodSource"));
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "ghost"));
  CHECK(contains(r.err, "main"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("without a config and without MODULE SYMBOL jsorm exits 2 mentioning jsorm.toml", "[bad-input]") {
  ConfigFixture f;
  for (const std::string command : {"migrate", "migrate:status", "db:fresh", "db:rollback", "migrate:repair"}) {
    const auto r = f.run({command});
    INFO(command);
    CHECK_ONE_ERROR_LINE(r, 2);
    CHECK(contains(r.err, "jsorm.toml"));
  }
  CHECK_FALSE(std::filesystem::exists(f.db));
}

// ---- url ---------------------------------------------------------------------------------------

TEST_CASE("a relative sqlite: url in the config is relative to the config's folder") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", kCases, "sqlite:rel.db"));
  f.mkdirs("sub/deeper");
  const auto r = f.runIn("sub/deeper", {"migrate"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  REQUIRE(f.exists("rel.db"));
  CHECK(trackedNames(f.path("rel.db")) == kGood);
  CHECK_FALSE(f.exists("sub/deeper/rel.db"));
  CHECK_FALSE(std::filesystem::exists(f.db));  // the url replaced the source's own FIXTURE_DB
  // From the config's own folder it is the same database.
  CHECK(f.run({"migrate:status"}).exitCode == 0);
}

TEST_CASE("option --url overrides the config's url") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", kCases, "sqlite:config.db"));
  const auto r = f.run({"migrate", "--url", "sqlite:" + f.path("cli.db")});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.path("cli.db")) == kGood);
  CHECK_FALSE(f.exists("config.db"));
}

TEST_CASE("${VAR} in the config's url is expanded from the environment") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", kCases, "${JSORM_TEST_URL}"));
  const std::string target = f.path("from-var.db");
  const auto r = f.run({"migrate"}, {{"JSORM_TEST_URL", "sqlite:" + target}});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  REQUIRE(std::filesystem::exists(target));
  CHECK(trackedNames(target) == kGood);
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("${VAR} expanding to a relative sqlite: path is relative to the config's folder") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", kCases, "${JSORM_TEST_URL}"));
  f.mkdirs("x/y");
  const auto r = f.runIn("x/y", {"migrate"}, {{"JSORM_TEST_URL", "sqlite:var-rel.db"}});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(f.exists("var-rel.db"));
  CHECK_FALSE(f.exists("x/y/var-rel.db"));
}

TEST_CASE("${VAR} unset exits 3 naming the variable and the key", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", kCases, "${JSORM_TEST_URL}"));
  const auto r = f.run({"migrate"}, {{"JSORM_TEST_URL", ""}});
  CHECK_ONE_ERROR_LINE(r, 3);
  CHECK(contains(r.err, "JSORM_TEST_URL"));
  CHECK(contains(r.err, "migrationSources.main.url"));
  CHECK(r.out.empty());
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("${VAR:-fallback} uses the fallback when VAR is unset and VAR when it is set") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") +
                sourceTable("main", "goodSource", kCases, "${JSORM_TEST_URL:-sqlite:fallback.db}"));
  f.mkdirs("sub");

  SECTION("unset: the fallback, relative to the config's folder") {
    const auto r = f.runIn("sub", {"migrate"}, {{"JSORM_TEST_URL", ""}});
    INFO(describe(r));
    REQUIRE(r.exitCode == 0);
    REQUIRE(f.exists("fallback.db"));
    CHECK(trackedNames(f.path("fallback.db")) == kGood);
    CHECK_FALSE(f.exists("sub/fallback.db"));
  }
  SECTION("set: the variable") {
    const std::string target = f.path("set.db");
    const auto r = f.runIn("sub", {"migrate"}, {{"JSORM_TEST_URL", "sqlite:" + target}});
    INFO(describe(r));
    REQUIRE(r.exitCode == 0);
    CHECK(trackedNames(target) == kGood);
    CHECK_FALSE(f.exists("fallback.db"));
  }
}

// ---- legacy mode next to a config ----------------------------------------------------------

TEST_CASE("the legacy MODULE SYMBOL form still works with a jsorm.toml present, ignoring its source") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "evolvingSource", kCases, "sqlite:config.db"));
  const auto r = f.legacy("migrate", "goodSource");
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == kGood);
  CHECK_FALSE(f.exists("config.db"));
  CHECK(f.legacy("migrate:status", "goodSource").exitCode == 0);
}

TEST_CASE("MODULE without SYMBOL is a usage error even with a jsorm.toml") {
  ConfigFixture f;
  f.writeSimpleConfig();
  const auto r = f.run({"migrate", kCases});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("a password in the config's url is never printed") {
  ConfigFixture f;
  SECTION("written in the config") {
    f.writeConfig(defaultsTable("main") +
                  sourceTable("main", "goodSource", kCases, "postgres://app:" + testSecret("hunter2secret") + "@127.0.0.1:1/appdb"));
    const auto r = f.run({"migrate"});
    CHECK_ONE_ERROR_LINE(r, 6);
    CHECK_FALSE(contains(r.out + r.err, testSecret("hunter2secret")));
  }
  SECTION("from ${VAR}") {
    f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", kCases, "${JSORM_TEST_URL}"));
    const auto r = f.run({"migrate:status"}, {{"JSORM_TEST_URL", "postgres://app:" + testSecret("hunter2secret") + "@127.0.0.1:1/appdb"}});
    CHECK_ONE_ERROR_LINE(r, 6);
    CHECK_FALSE(contains(r.out + r.err, testSecret("hunter2secret")));
  }
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("${VAR} in a source's module is expanded from the environment") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", "${JSORM_TEST_LIBDIR}/libfixture_cases.so"));
  const auto r = f.run({"migrate"}, {{"JSORM_TEST_LIBDIR", kFixtureDir}});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(trackedNames(f.db) == kGood);
}
