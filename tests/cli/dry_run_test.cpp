// --dry-run prints what would run and leaves the database exactly as it was.

#include "cli_fixture.hpp"

using namespace jsorm::cli_test;

TEST_CASE("migrate --dry-run on a fresh database prints every statement and creates no table") {
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {"--dry-run"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "CREATE TABLE IF NOT EXISTS \"jsorm_migrations\""));
  CHECK(contains(r.out, "CREATE TABLE \"accounts\""));
  CHECK(contains(r.out, "INSERT INTO \"jsorm_migrations\""));
  CHECK(contains(r.out, "'create-accounts'"));
  CHECK(contains(r.out, "BEGIN;"));
  CHECK(contains(r.out, "COMMIT;"));
  CHECK(contains(r.out, "Dry run: 3 migrations would be applied as batch 1; nothing was changed."));
  CHECK(openDb(f.db)->tables().empty());
}

TEST_CASE("migrate --dry-run leaves a migrated database byte-for-byte unchanged") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:up", "goodSource"));
  const std::string before = f.dbBytes();
  REQUIRE_FALSE(before.empty());

  const auto r = f.cases("migrate", "goodSource", {"--dry-run"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "ALTER TABLE \"accounts\" ADD COLUMN \"nickname\""));
  CHECK(contains(r.out, "INSERT INTO accounts (handle) VALUES ('admin')"));
  CHECK(contains(r.out, "INSERT INTO \"jsorm_migrations\""));
  CHECK(contains(r.out, "'add-nickname'"));
  CHECK(contains(r.out, "'seed-account'"));
  CHECK(contains(r.out, "BEGIN;"));
  CHECK(contains(r.out, "COMMIT;"));
  CHECK_FALSE(contains(r.out, "CREATE TABLE IF NOT EXISTS \"jsorm_migrations\""));
  CHECK(contains(r.out, "Dry run: 2 migrations would be applied as batch 2"));

  CHECK(f.dbBytes() == before);
  const auto status = f.cases("migrate:status", "goodSource");
  INFO(describe(status));
  CHECK(status.exitCode == 10);
  CHECK(contains(status.out, "1 applied, 2 pending"));
}

TEST_CASE("migrate:up --dry-run shows only the next migration and changes nothing") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:up", "goodSource"));
  const std::string before = f.dbBytes();
  const auto r = f.cases("migrate:up", "goodSource", {"--dry-run"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "'add-nickname'"));
  CHECK_FALSE(contains(r.out, "'seed-account'"));
  CHECK(f.dbBytes() == before);
}

TEST_CASE("migrate:down --dry-run prints the rollback and leaves the database byte-for-byte unchanged") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  const std::string before = f.dbBytes();

  const auto r = f.cases("migrate:down", "goodSource", {"--dry-run"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "DELETE FROM accounts WHERE handle = 'admin'"));
  CHECK(contains(r.out, "DROP TABLE \"accounts\""));
  CHECK(contains(r.out, "DELETE FROM \"jsorm_migrations\" WHERE \"name\" = 'create-accounts'"));
  CHECK(contains(r.out, "BEGIN;"));
  CHECK(contains(r.out, "COMMIT;"));
  CHECK(contains(r.out, "Dry run: would roll back 3 migrations of batch 1; nothing was changed."));

  CHECK(f.dbBytes() == before);
  CHECK(trackedNames(f.db).size() == 3);
  CHECK(openDb(f.db)->hasColumn("accounts", "nickname"));
}
