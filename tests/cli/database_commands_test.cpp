// db:fresh (drop every table, migrate from scratch as batch 1) and db:rollback (roll back
// every batch newest first, or the newest --steps N).

#include "config_fixture.hpp"

using namespace jsorm::cli_test;

namespace {
using Names = std::vector<std::string>;
const Names kGood{"create-accounts", "add-nickname", "seed-account"};

// goodSource applied one migration per batch: batches 1, 2 and 3.
struct ThreeBatches : ConfigFixture {
  ThreeBatches() {
    for (int i = 0; i < 3; ++i) REQUIRE_OK(legacy("migrate:up", "goodSource"));
    REQUIRE(countRows(db, "SELECT max(batch) FROM jsorm_migrations") == 3);
  }
};

// A migrated database plus a table the source never created, holding a row, and an extra account.
struct WithForeignTable : ThreeBatches {
  WithForeignTable() {
    auto connection = openDb(db);
    connection->execute("CREATE TABLE legacy_stuff (id INTEGER PRIMARY KEY, payload TEXT)");
    connection->execute("INSERT INTO legacy_stuff (payload) VALUES ('keep me?')");
    connection->execute("INSERT INTO accounts (handle) VALUES ('second')");
    REQUIRE(countRows(db, "SELECT count(*) FROM accounts") == 2);
  }
};
}  // namespace

// ---- db:fresh ------------------------------------------------------------------------------

TEST_CASE("db:fresh drops every table, the source's and others, and applies every migration as batch 1") {
  WithForeignTable f;
  const auto r = f.legacy("db:fresh", "goodSource");
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.empty());
  CHECK(matches(r.out, R"(applied +create-accounts[\s\S]*applied +add-nickname[\s\S]*applied +seed-account)"));
  CHECK(contains(r.out, "as batch 1"));

  CHECK(tablesOf(f.db) == Names{"accounts", "jsorm_migrations"});
  CHECK(trackedNames(f.db) == kGood);
  CHECK(countRows(f.db, "SELECT count(*) FROM jsorm_migrations WHERE batch = 1") == 3);
  CHECK(countRows(f.db, "SELECT count(*) FROM jsorm_migrations") == 3);
  // The data went with the tables: only the seeded account is back.
  CHECK(countRows(f.db, "SELECT count(*) FROM accounts") == 1);
  CHECK(countRows(f.db, "SELECT count(*) FROM accounts WHERE handle = 'admin'") == 1);
  CHECK(openDb(f.db)->hasColumn("accounts", "nickname"));

  auto status = parseStatus(f.legacy("migrate:status", "goodSource", {"--json"}), 0);
  for (const auto& name : kGood) CHECK(statusEntry(status, name).at("batch") == 1);
}

TEST_CASE("db:fresh on an empty database migrates from scratch") {
  ConfigFixture f;
  const auto r = f.legacy("db:fresh", "goodSource");
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == kGood);
  CHECK(countRows(f.db, "SELECT max(batch) FROM jsorm_migrations") == 1);
}

TEST_CASE("db:fresh drops tables of another source's history too") {
  ConfigFixture f;
  REQUIRE_OK(f.legacy("migrate", "evolvingSource"));
  REQUIRE(tablesOf(f.db) == (Names{"jsorm_migrations", "notes", "tags"}));
  const auto r = f.legacy("db:fresh", "goodSource");
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(tablesOf(f.db) == Names{"accounts", "jsorm_migrations"});
  CHECK(trackedNames(f.db) == kGood);
}

TEST_CASE("db:fresh --dry-run prints the DROP statements and changes nothing") {
  WithForeignTable f;
  const auto before = f.dbBytes();
  const auto r = f.legacy("db:fresh", "goodSource", {"--dry-run"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(matches(r.out, R"(DROP TABLE[^\n]*"?legacy_stuff"?)"));
  CHECK(matches(r.out, R"(DROP TABLE[^\n]*"?accounts"?)"));
  CHECK(matches(r.out, R"(DROP TABLE[^\n]*"?jsorm_migrations"?)"));
  CHECK(contains(r.out, "CREATE TABLE"));
  CHECK(contains(r.out, "nothing was changed"));
  CHECK(f.dbBytes() == before);
  CHECK(tablesOf(f.db) == (Names{"accounts", "jsorm_migrations", "legacy_stuff"}));
}

// ---- db:rollback -----------------------------------------------------------------------------

TEST_CASE("db:rollback rolls back every batch, newest first") {
  ThreeBatches f;
  const auto r = f.legacy("db:rollback", "goodSource");
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.empty());
  CHECK(matches(r.out, R"(rolled back seed-account[\s\S]*rolled back add-nickname[\s\S]*rolled back create-accounts)"));
  CHECK(contains(r.out, "Rolled back 3 migrations."));
  CHECK(trackedNames(f.db).empty());
  CHECK(tablesOf(f.db) == Names{"jsorm_migrations"});
  parseStatus(f.legacy("migrate:status", "goodSource", {"--json"}), 10);
}

TEST_CASE("db:rollback rolls back batches of several migrations, newest first within each") {
  ConfigFixture f;
  REQUIRE_OK(f.legacy("migrate:up", "goodSource"));  // batch 1: create-accounts
  REQUIRE_OK(f.legacy("migrate", "goodSource"));     // batch 2: add-nickname, seed-account
  const auto r = f.legacy("db:rollback", "goodSource");
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(matches(r.out, R"(rolled back seed-account[\s\S]*rolled back add-nickname[\s\S]*rolled back create-accounts)"));
  CHECK(trackedNames(f.db).empty());
}

TEST_CASE("db:rollback --steps 2 rolls back only the newest two migrations") {
  ThreeBatches f;
  const auto r = f.legacy("db:rollback", "goodSource", {"--steps", "2"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(matches(r.out, R"(rolled back seed-account[\s\S]*rolled back add-nickname)"));
  CHECK_FALSE(contains(r.out, "rolled back create-accounts"));
  CHECK(contains(r.out, "Rolled back 2 migrations."));
  CHECK(trackedNames(f.db) == Names{"create-accounts"});
  auto db = openDb(f.db);
  CHECK(db->hasTable("accounts"));
  CHECK_FALSE(db->hasColumn("accounts", "nickname"));
}

TEST_CASE("db:rollback --steps can cut through a batch") {
  ConfigFixture f;
  REQUIRE_OK(f.legacy("migrate", "goodSource"));  // one batch of three
  const auto r = f.legacy("db:rollback", "goodSource", {"--steps", "1"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db) == (Names{"create-accounts", "add-nickname"}));
  CHECK(countRows(f.db, "SELECT count(*) FROM accounts") == 0);
}

TEST_CASE("db:rollback --steps larger than what is applied rolls back everything") {
  ThreeBatches f;
  const auto r = f.legacy("db:rollback", "goodSource", {"--steps", "10"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(trackedNames(f.db).empty());
}

TEST_CASE("db:rollback --steps with a negative or non-numeric value is a usage error") {
  ThreeBatches f;
  const auto before = f.dbBytes();
  const std::string value = GENERATE("-1", "two", "");
  INFO("--steps '" << value << "'");
  const auto r = f.legacy("db:rollback", "goodSource", {"--steps", value});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(contains(r.err, "steps"));
  CHECK(f.dbBytes() == before);
}

TEST_CASE("db:rollback --steps=-1 is a usage error too") {
  ThreeBatches f;
  const auto before = f.dbBytes();
  const auto r = f.legacy("db:rollback", "goodSource", {"--steps=-1"});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(f.dbBytes() == before);
  CHECK(trackedNames(f.db) == kGood);
}

TEST_CASE("db:rollback with nothing applied says so and exits 0") {
  ConfigFixture f;
  const auto r = f.legacy("db:rollback", "goodSource");
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(contains(r.out, "Nothing to roll back"));
}

TEST_CASE("db:rollback of a batch with an irreversible migration exits 7 and changes nothing") {
  ConfigFixture f;
  REQUIRE_OK(f.legacy("migrate", "irreversibleSource"));
  const auto before = f.dbBytes();
  const auto r = f.legacy("db:rollback", "irreversibleSource");
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "drop-kept-data"));
  CHECK_FALSE(contains(r.out, "rolled back"));
  CHECK(f.dbBytes() == before);
  CHECK(trackedNames(f.db) == (Names{"create-kept", "drop-kept-data"}));
}

TEST_CASE("db:rollback --steps 1 of an irreversible newest migration exits 7 and changes nothing") {
  // Each migration in a batch of its own: the newest one alone is already irreversible.
  ConfigFixture f;
  REQUIRE_OK(f.legacy("migrate:up", "irreversibleSource"));
  REQUIRE_OK(f.legacy("migrate:up", "irreversibleSource"));
  const auto before = f.dbBytes();
  const auto r = f.legacy("db:rollback", "irreversibleSource", {"--steps", "1"});
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(f.dbBytes() == before);
}

TEST_CASE("db:rollback with an applied migration the source no longer defines exits 7 and changes nothing") {
  ConfigFixture f;
  REQUIRE_OK(f.legacy("migrate", "evolvingSource"));
  const auto before = f.dbBytes();
  const auto r = f.legacy("db:rollback", "evolvingSource", {}, {{"FIXTURE_VARIANT", "gone"}});
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "add-note-title"));
  CHECK(f.dbBytes() == before);
}

TEST_CASE("db:rollback --dry-run prints the rollback and changes nothing") {
  ThreeBatches f;
  const auto before = f.dbBytes();
  const auto r = f.legacy("db:rollback", "goodSource", {"--dry-run"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "DELETE FROM accounts WHERE handle = 'admin'"));
  CHECK(contains(r.out, "nothing was changed"));
  CHECK(f.dbBytes() == before);
  CHECK(trackedNames(f.db) == kGood);
}

TEST_CASE("db:rollback --steps 0 is a usage error and rolls back nothing") {
  ThreeBatches f;
  const auto before = f.dbBytes();
  const auto r = f.legacy("db:rollback", "goodSource", {"--steps", "0"});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(contains(r.err, "steps"));
  CHECK(f.dbBytes() == before);
  CHECK(trackedNames(f.db) == kGood);
}
