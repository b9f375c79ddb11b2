// The production guard: migrate:down, db:fresh, db:rollback and migrate:repair refuse to
// run in production (--env, $JSORM_ENV or the config's [defaults] environment) unless
// --force is given; refused runs exit 8 with one line and leave the database untouched.

#include "config_fixture.hpp"

using namespace jsorm::cli_test;

namespace {
using Names = std::vector<std::string>;
const Names kGood{"create-accounts", "add-nickname", "seed-account"};

// The three ways to say "production".
enum class Way { Flag, Variable, Config };

const char* wayName(Way way) {
  switch (way) {
    case Way::Flag: return "--env production";
    case Way::Variable: return "JSORM_ENV=production";
    case Way::Config: return "[defaults] environment = \"production\"";
  }
  return "?";
}

// A config-first project migrated with goodSource (batches 1 and 2), in production the given way.
struct Production : ConfigFixture {
  Way way;
  std::string before;

  explicit Production(Way how) : way(how) {
    writeSimpleConfig("goodSource", way == Way::Config ? "production" : "");
    REQUIRE_OK(run({"migrate:up"}, {}));
    REQUIRE_OK(run({"migrate"}, {}));
    before = dbBytes();
    REQUIRE_FALSE(before.empty());
  }

  ProcessResult inProduction(const std::string& command, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{command};
    args.insert(args.end(), extra.begin(), extra.end());
    Env env;
    if (way == Way::Flag) args.insert(args.end(), {"--env", "production"});
    if (way == Way::Variable) env["JSORM_ENV"] = "production";
    return run(args, env);
  }

  bool unchanged() const { return dbBytes() == before; }
};

const std::vector<std::string> kGuarded{"migrate:down", "db:fresh", "db:rollback", "migrate:repair"};
}  // namespace

TEST_CASE("destructive commands exit 8 in production without --force and change nothing", "[bad-input]") {
  const Way way = GENERATE(Way::Flag, Way::Variable, Way::Config);
  const std::string command = GENERATE(from_range(kGuarded));
  INFO(command << " with " << wayName(way));
  Production f(way);

  const auto r = f.inProduction(command);
  CHECK_ONE_ERROR_LINE(r, 8);
  CHECK(contains(r.err, "production"));
  CHECK(contains(r.err, "--force"));
  CHECK(r.out.empty());
  CHECK(f.unchanged());
  CHECK(trackedNames(f.db) == kGood);
}

TEST_CASE("option --force runs each destructive command in production") {
  const Way way = GENERATE(Way::Flag, Way::Variable, Way::Config);
  INFO(wayName(way));
  Production f(way);

  SECTION("migrate:down") {
    const auto r = f.inProduction("migrate:down", {"--force"});
    INFO(describe(r));
    REQUIRE(r.exitCode == 0);
    CHECK(trackedNames(f.db) == Names{"create-accounts"});
  }
  SECTION("db:fresh") {
    {
      auto db = openDb(f.db);
      db->execute("INSERT INTO accounts (handle) VALUES ('second')");
    }
    const auto r = f.inProduction("db:fresh", {"--force"});
    INFO(describe(r));
    REQUIRE(r.exitCode == 0);
    CHECK(trackedNames(f.db) == kGood);
    CHECK(countRows(f.db, "SELECT count(*) FROM accounts") == 1);
    CHECK(countRows(f.db, "SELECT max(batch) FROM jsorm_migrations") == 1);
  }
  SECTION("db:rollback") {
    const auto r = f.inProduction("db:rollback", {"--force"});
    INFO(describe(r));
    REQUIRE(r.exitCode == 0);
    CHECK(trackedNames(f.db).empty());
  }
  SECTION("migrate:repair") {
    const auto r = f.inProduction("migrate:repair", {"--force"});
    INFO(describe(r));
    REQUIRE(r.exitCode == 0);
    CHECK(contains(r.out, "Nothing to repair"));
  }
}

TEST_CASE("migrate and migrate:status are not guarded in production") {
  const Way way = GENERATE(Way::Flag, Way::Variable, Way::Config);
  INFO(wayName(way));
  Production f(way);
  REQUIRE_OK(f.inProduction("migrate:down", {"--force"}));  // batch 2 pending again

  const auto status = f.inProduction("migrate:status");
  INFO(describe(status));
  CHECK(status.exitCode == 10);
  CHECK(status.errLines().empty());

  const auto migrate = f.inProduction("migrate");
  INFO(describe(migrate));
  REQUIRE(migrate.exitCode == 0);
  CHECK(trackedNames(f.db) == kGood);

  const auto up = f.inProduction("migrate:up");
  INFO(describe(up));
  CHECK(up.exitCode == 0);

  CHECK(f.inProduction("migrate:status").exitCode == 0);
}

TEST_CASE("option --env development overrides JSORM_ENV=production") {
  Production f(Way::Variable);
  const auto r = f.run({"db:rollback", "--env", "development"}, {{"JSORM_ENV", "production"}});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db).empty());
}

TEST_CASE("option --env development overrides the config's production environment") {
  Production f(Way::Config);
  const auto r = f.run({"migrate:down", "--env", "development"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == Names{"create-accounts"});
}

TEST_CASE("JSORM_ENV=development overrides the config's production environment") {
  Production f(Way::Config);
  const auto r = f.run({"migrate:down"}, {{"JSORM_ENV", "development"}});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == Names{"create-accounts"});
}

TEST_CASE("option --env production refuses even when the config says development") {
  ConfigFixture f;
  f.writeSimpleConfig("goodSource", "development");
  REQUIRE_OK(f.run({"migrate"}));
  const auto before = f.dbBytes();
  const auto r = f.run({"db:rollback", "--env", "production"});
  CHECK_ONE_ERROR_LINE(r, 8);
  CHECK(f.dbBytes() == before);
}

TEST_CASE("the guard also applies to the legacy MODULE SYMBOL form") {
  ConfigFixture f;
  REQUIRE_OK(f.legacy("migrate", "goodSource"));
  const auto before = f.dbBytes();
  for (const auto& command : kGuarded) {
    INFO(command);
    const auto r = f.legacy(command, "goodSource", {"--env", "production"});
    CHECK_ONE_ERROR_LINE(r, 8);
    CHECK(contains(r.err, "--force"));
    CHECK(f.dbBytes() == before);
  }
  const auto forced = f.legacy("db:rollback", "goodSource", {}, {{"JSORM_ENV", "production"}});
  CHECK_ONE_ERROR_LINE(forced, 8);
  REQUIRE_OK(f.legacy("db:rollback", "goodSource", {"--force"}, {{"JSORM_ENV", "production"}}));
  CHECK(trackedNames(f.db).empty());
}

TEST_CASE("outside production the destructive commands need no --force") {
  ConfigFixture f;
  f.writeSimpleConfig();
  REQUIRE_OK(f.run({"migrate"}));
  REQUIRE_OK(f.run({"migrate:down"}, {{"JSORM_ENV", "staging"}}));
  REQUIRE_OK(f.run({"migrate"}));
  REQUIRE_OK(f.run({"db:rollback"}));
  REQUIRE_OK(f.run({"db:fresh", "--env", "development"}));
  REQUIRE_OK(f.run({"migrate:repair"}));
  CHECK(trackedNames(f.db) == kGood);
}

TEST_CASE("${VAR} in [defaults] environment is expanded, so production is guarded") {
  ConfigFixture f;
  f.writeConfig("[defaults]\nmigrationSource = \"main\"\nenvironment = \"${JSORM_TEST_APP_ENV}\"\n\n" +
                sourceTable("main", "goodSource"));
  const Env env{{"JSORM_TEST_APP_ENV", "production"}};
  REQUIRE_OK(f.run({"migrate"}, env));
  const auto before = f.dbBytes();
  const auto r = f.run({"db:rollback"}, env);
  CHECK_ONE_ERROR_LINE(r, 8);
  CHECK(f.dbBytes() == before);
  CHECK(trackedNames(f.db) == kGood);
}
