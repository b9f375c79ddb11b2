// --help of the config-first and guarded commands: the options they take, and the command list.

#include "config_fixture.hpp"

using namespace jsorm::cli_test;

namespace {
ProcessResult help(const ConfigFixture& f, const std::string& command) { return f.run({command, "--help"}); }

void checkOptions(const ProcessResult& r, std::initializer_list<const char*> present,
                  std::initializer_list<const char*> absent) {
  for (const char* option : present) {
    INFO("expected " << option << "\n" << describe(r));
    CHECK(contains(r.out, option));
  }
  for (const char* option : absent) {
    INFO("did not expect " << option << "\n" << describe(r));
    CHECK_FALSE(contains(r.out, option));
  }
}
}  // namespace

TEST_CASE("jsorm --help lists db:fresh, db:rollback and migrate:repair") {
  ConfigFixture f;
  const auto r = f.run({"--help"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(matches(r.out, R"(\n +db:fresh +\S)"));
  CHECK(matches(r.out, R"(\n +db:rollback +\S)"));
  CHECK(matches(r.out, R"(\n +migrate:repair +\S)"));
  CHECK(contains(r.out, "jsorm.toml"));
  CHECK(contains(r.out, "8 production guard"));
}

TEST_CASE("db:fresh --help shows the guard, config and run options") {
  ConfigFixture f;
  const auto r = help(f, "db:fresh");
  REQUIRE(r.exitCode == 0);
  checkOptions(r, {"--force", "--env", "--config", "--source", "--dry-run", "--url"}, {"--steps", "--json"});
}

TEST_CASE("db:rollback --help shows the guard, config, run options and --steps") {
  ConfigFixture f;
  const auto r = help(f, "db:rollback");
  REQUIRE(r.exitCode == 0);
  checkOptions(r, {"--force", "--env", "--config", "--source", "--dry-run", "--steps", "--url"}, {"--json"});
}

TEST_CASE("migrate:repair --help shows the guard, config and run options") {
  ConfigFixture f;
  const auto r = help(f, "migrate:repair");
  REQUIRE(r.exitCode == 0);
  checkOptions(r, {"--force", "--env", "--config", "--source", "--dry-run", "--url"}, {"--steps", "--json"});
}

TEST_CASE("migrate:down --help offers --force and the config options, migrate and migrate:status the config options") {
  ConfigFixture f;
  const auto down = help(f, "migrate:down");
  REQUIRE(down.exitCode == 0);
  checkOptions(down, {"--force", "--env", "--config", "--source"}, {"--steps"});

  const auto migrate = help(f, "migrate");
  REQUIRE(migrate.exitCode == 0);
  checkOptions(migrate, {"--config", "--source", "--env"}, {"--steps"});

  const auto status = help(f, "migrate:status");
  REQUIRE(status.exitCode == 0);
  checkOptions(status, {"--config", "--source", "--env", "--json"}, {"--steps"});
}
