// The migrate → status → down → status cycle, batches, and migrate:up.

#include "cli_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace jsorm::cli_test;

namespace {
using Tables = std::vector<std::string>;

// migrate:status --json for a fixture source, parsed.
nlohmann::json statusJson(const CliFixture& f, const std::string& source, int expectedExit) {
  const auto r = f.cases("migrate:status", source, {"--json"});
  INFO(describe(r));
  REQUIRE(r.exitCode == expectedExit);
  return nlohmann::json::parse(r.out);
}

const nlohmann::json& entry(const nlohmann::json& status, const std::string& name) {
  for (const auto& m : status.at("migrations")) {
    if (m.at("name") == name) return m;
  }
  FAIL("migration " << name << " is not in the status: " << status.dump());
  throw std::logic_error("unreachable");
}
}  // namespace

TEST_CASE("the roles-and-users example migrates, reports, rolls back and reports again") {
  CliFixture f;
  const std::vector<std::string> source{kExampleModule, "ormSource", "--url", "sqlite:x.db"};
  auto run = [&](const std::string& command) {
    std::vector<std::string> args{command};
    args.insert(args.end(), source.begin(), source.end());
    return f.jsorm(args);
  };

  // migrate: a line per migration with its duration, in source order.
  const auto migrate = run("migrate");
  INFO(describe(migrate));
  REQUIRE(migrate.exitCode == 0);
  CHECK(matches(migrate.out, R"(applied +init-roles-and-users \(\d+ ms\)[\s\S]*applied +add-user-timezone \(\d+ ms\))"));
  CHECK(contains(migrate.out, "Batch 1: applied 2 migrations"));
  CHECK(migrate.err.empty());
  {
    auto db = openDb(f.db);
    CHECK(db->tables() == Tables{"jsorm_migrations", "roles", "users"});
    CHECK(db->hasColumn("users", "timezone"));
    CHECK(db->hasColumn("users", "role_id"));
  }
  CHECK(trackedNames(f.db) == std::vector<std::string>{"init-roles-and-users", "add-user-timezone"});

  // migrate:status: both applied in batch 1, exit 0.
  const auto applied = run("migrate:status");
  INFO(describe(applied));
  CHECK(applied.exitCode == 0);
  CHECK(matches(applied.out, R"(init-roles-and-users +applied +1 +\d{4}-\d\d-\d\d)"));
  CHECK(matches(applied.out, R"(add-user-timezone +applied +1 +\d{4}-\d\d-\d\d)"));
  CHECK(contains(applied.out, "2 applied, 0 pending, 0 changed, 0 missing"));

  // migrate:down: the whole batch, newest first.
  const auto down = run("migrate:down");
  INFO(describe(down));
  REQUIRE(down.exitCode == 0);
  CHECK(matches(down.out, R"(rolled back add-user-timezone \(\d+ ms\)[\s\S]*rolled back init-roles-and-users \(\d+ ms\))"));
  CHECK(contains(down.out, "Rolled back 2 migrations of batch 1."));
  {
    auto db = openDb(f.db);
    CHECK(db->tables() == Tables{"jsorm_migrations"});
  }
  CHECK(trackedNames(f.db).empty());

  // migrate:status again: both pending, exit 10 for deployment gates.
  const auto pending = run("migrate:status");
  INFO(describe(pending));
  CHECK(pending.exitCode == 10);
  CHECK(matches(pending.out, R"(init-roles-and-users +pending)"));
  CHECK(matches(pending.out, R"(add-user-timezone +pending)"));
  CHECK(contains(pending.out, "0 applied, 2 pending"));
}

TEST_CASE("the example without --url or DATABASE_URL migrates into ./roles_users.db") {
  CliFixture f;
  const auto r = f.jsorm({"migrate", kExampleModule, "ormSource"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "roles_users.db"));
  const std::string db = f.dir.file("roles_users.db");
  REQUIRE(std::filesystem::exists(db));
  CHECK(openDb(db)->tables() == Tables{"jsorm_migrations", "roles", "users"});
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("migrate:up applies only the next migration, as a batch of its own") {
  CliFixture f;
  const auto first = f.cases("migrate:up", "goodSource");
  INFO(describe(first));
  REQUIRE(first.exitCode == 0);
  CHECK(matches(first.out, R"(applied +create-accounts \(\d+ ms\))"));
  CHECK_FALSE(contains(first.out, "add-nickname"));

  auto status = statusJson(f, "goodSource", 10);
  CHECK(entry(status, "create-accounts").at("state") == "applied");
  CHECK(entry(status, "create-accounts").at("batch") == 1);
  CHECK(entry(status, "add-nickname").at("state") == "pending");
  CHECK(entry(status, "seed-account").at("state") == "pending");
  CHECK(openDb(f.db)->hasTable("accounts"));
  CHECK_FALSE(openDb(f.db)->hasColumn("accounts", "nickname"));

  const auto second = f.cases("migrate:up", "goodSource");
  INFO(describe(second));
  REQUIRE(second.exitCode == 0);
  status = statusJson(f, "goodSource", 10);
  CHECK(entry(status, "add-nickname").at("state") == "applied");
  CHECK(entry(status, "add-nickname").at("batch") == 2);
  CHECK(entry(status, "seed-account").at("state") == "pending");
  CHECK(trackedNames(f.db) == std::vector<std::string>{"create-accounts", "add-nickname"});
}

TEST_CASE("migrate with nothing pending says so and exits 0") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  const auto before = f.dbBytes();
  const auto again = f.cases("migrate", "goodSource");
  INFO(describe(again));
  CHECK(again.exitCode == 0);
  CHECK(contains(again.out, "Nothing to migrate"));
  CHECK_FALSE(contains(again.out, "applied "));
  CHECK(f.dbBytes() == before);
  CHECK(trackedNames(f.db).size() == 3);
}

TEST_CASE("migrate:down with nothing applied says so and exits 0") {
  CliFixture f;
  const auto r = f.cases("migrate:down", "goodSource");
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(contains(r.out, "Nothing to roll back"));
  CHECK(r.err.empty());
  CHECK(openDb(f.db)->tables().empty());
}

TEST_CASE("migrate:down rolls back every migration of the last batch and only that batch") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:up", "goodSource"));  // batch 1: create-accounts
  REQUIRE_OK(f.cases("migrate", "goodSource"));     // batch 2: add-nickname, seed-account
  CHECK(countRows(f.db, "SELECT count(*) FROM accounts") == 1);

  const auto down = f.cases("migrate:down", "goodSource");
  INFO(describe(down));
  REQUIRE(down.exitCode == 0);
  CHECK(matches(down.out, R"(rolled back seed-account \(\d+ ms\)[\s\S]*rolled back add-nickname \(\d+ ms\))"));
  CHECK_FALSE(contains(down.out, "create-accounts"));
  CHECK(contains(down.out, "Rolled back 2 migrations of batch 2."));

  CHECK(trackedNames(f.db) == std::vector<std::string>{"create-accounts"});
  auto db = openDb(f.db);
  CHECK(db->hasTable("accounts"));
  CHECK_FALSE(db->hasColumn("accounts", "nickname"));
  CHECK(countRows(f.db, "SELECT count(*) FROM accounts") == 0);

  auto status = statusJson(f, "goodSource", 10);
  CHECK(entry(status, "create-accounts").at("batch") == 1);
  CHECK(entry(status, "add-nickname").at("state") == "pending");
  CHECK(entry(status, "seed-account").at("state") == "pending");
}

TEST_CASE("a batch rolled back can be migrated again") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  REQUIRE_OK(f.cases("migrate:down", "goodSource"));
  CHECK(openDb(f.db)->tables() == Tables{"jsorm_migrations"});
  const auto again = f.cases("migrate", "goodSource");
  INFO(describe(again));
  REQUIRE(again.exitCode == 0);
  CHECK(contains(again.out, "Batch 1: applied 3 migrations"));
  CHECK(countRows(f.db, "SELECT count(*) FROM accounts WHERE handle = 'admin'") == 1);
  statusJson(f, "goodSource", 0);
}
