// migrate:baseline on SQLite, PostgreSQL and MariaDB: a database built by a plain SQL
// script equal to migrations 1-3 is adopted (status: baseline) and migrate then applies
// only the 4th; the same script missing a column is refused, naming the column.
#include "brownfield_targets.hpp"
#include "mysql_scratch.hpp"
#include "pg_scratch.hpp"

#include <nlohmann/json.hpp>

using namespace jsorm::cli_test;

namespace {
std::string text(const jsorm::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (std::holds_alternative<std::monostate>(value)) return "null";
  return "?";
}

// "001-create-authors@0 ...": each recorded migration with its batch, in the order recorded.
std::string tracked(jsorm::Connection& db) {
  if (!db.hasTable("jsorm_migrations")) return "(no tracking table)";
  std::string out;
  for (const auto& row : db.query("SELECT name, batch, execution_ms FROM jsorm_migrations ORDER BY id").rows) {
    out += fmt::format("{}{}@{}/{}", out.empty() ? "" : " ", text(row.at(0)), text(row.at(1)), text(row.at(2)));
  }
  return out;
}

void adoptScriptDatabase(const Target& target) {
  CliFixture f;
  target.run(bookshopScript(target.database));

  const auto missingTo = bookshop(f, target, "migrate:baseline", "bookshopSource");
  CHECK_ONE_ERROR_LINE(missingTo, 2);
  CHECK(contains(missingTo.err, "needs --to NAME"));
  CHECK_ONE_ERROR_LINE(bookshop(f, target, "migrate:baseline", "bookshopSource", {"--to", "003-add-isbm"}), 2);

  const auto baseline = bookshop(f, target, "migrate:baseline", "bookshopSource", {"--to", "003-add-isbn"});
  INFO(describe(baseline));
  REQUIRE(baseline.exitCode == 0);
  CHECK(contains(baseline.out, "Baselining up to 003-add-isbn on "));
  CHECK(contains(baseline.out, "Recorded 3 migrations as applied (batch 0, baseline) without running them."));
  CHECK(tracked(target.db) == "001-create-authors@0/null 002-create-books@0/null 003-add-isbn@0/null");

  const auto status = bookshop(f, target, "migrate:status", "bookshopSource", {"--json"});
  const auto json = nlohmann::json::parse(status.out);
  REQUIRE(json["migrations"].size() == 4);
  for (int i = 0; i < 3; ++i) CHECK(json["migrations"][i]["state"] == "baseline");
  CHECK(json["migrations"][3]["state"] == "pending");
  const auto table = bookshop(f, target, "migrate:status", "bookshopSource");
  CHECK(matches(table.out, R"(003-add-isbn\s+baseline\s+0)"));

  // A second baseline is refused: the history has begun.
  const auto again = bookshop(f, target, "migrate:baseline", "bookshopSource", {"--to", "002-create-books"});
  CHECK_ONE_ERROR_LINE(again, 7);
  CHECK(contains(again.err, "refusing to baseline: jsorm_migrations already records 3 migrations"));

  const auto migrate = bookshop(f, target, "migrate", "bookshopSource");
  INFO(describe(migrate));
  REQUIRE(migrate.exitCode == 0);
  CHECK(contains(migrate.out, "Batch 1: applied 1 migration"));
  CHECK(contains(migrate.out, "004-create-reviews"));
  CHECK_FALSE(contains(migrate.out, "003-add-isbn"));
  CHECK(tracked(target.db).starts_with("001-create-authors@0/null 002-create-books@0/null 003-add-isbn@0/null "
                                        "004-create-reviews@1/"));

  // The script's own index names are no drift: indexes match by what they cover.
  const auto check = bookshop(f, target, "db:check", "bookshopSource");
  INFO(describe(check));
  CHECK(check.exitCode == 0);

  // The baseline is the floor of every rollback: what the script built stays.
  const auto rollback = bookshop(f, target, "db:rollback", "bookshopSource");
  INFO(describe(rollback));
  CHECK(rollback.exitCode == 0);
  CHECK(contains(rollback.out, "Rolled back 1 migration."));
  CHECK(tracked(target.db) == "001-create-authors@0/null 002-create-books@0/null 003-add-isbn@0/null");
  const auto down = bookshop(f, target, "migrate:down", "bookshopSource");
  INFO(describe(down));
  CHECK(down.exitCode == 0);
  CHECK(contains(down.out, "Nothing to roll back"));
  CHECK(tracked(target.db) == "001-create-authors@0/null 002-create-books@0/null 003-add-isbn@0/null");
  CHECK(bookshop(f, target, "db:check", "bookshopSource").exitCode == 0);
}

void refuseIncompleteScript(const Target& target) {
  CliFixture f;
  target.run(bookshopScript(target.database, false));
  const auto refused = bookshop(f, target, "migrate:baseline", "bookshopSource", {"--to", "003-add-isbn"});
  INFO(describe(refused));
  CHECK(refused.exitCode == 14);
  const std::string bio =
      fmt::format("missing column authors.bio ({}, nullable)", target.database == Database::Mariadb ? "longtext" : "text");
  const auto lines = outputLines(refused.out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].starts_with("Baselining up to 003-add-isbn on "));
  CHECK(lines[1] == bio);
  CHECK(refused.errLines().size() == 1);
  CHECK(contains(refused.err, "jsorm: error: refusing to baseline to '003-add-isbn': "));
  CHECK(contains(refused.err, "first: " + bio));
  CHECK(tracked(target.db) == "(no tracking table)");

  // Baselining only what the script does hold works; --force records the rest unchecked.
  REQUIRE_OK(bookshop(f, target, "migrate:baseline", "bookshopSource", {"--to", "001-create-authors", "--force"}));
  CHECK(tracked(target.db) == "001-create-authors@0/null");
}
}  // namespace

TEST_CASE("migrate:baseline adopts a database built by a SQL script on SQLite") {
  SqliteDatabase sqlite;
  adoptScriptDatabase(sqlite.target());
}

TEST_CASE("migrate:baseline refuses a script missing a column, naming it, on SQLite") {
  SqliteDatabase sqlite;
  refuseIncompleteScript(sqlite.target());
}

TEST_CASE("migrate:baseline adopts a database built by a SQL script on PostgreSQL", "[pg]") {
  ScratchDatabase pg;
  adoptScriptDatabase({pg.url(), pg.db(), Database::Postgres});
}

TEST_CASE("migrate:baseline refuses a script missing a column, naming it, on PostgreSQL", "[pg]") {
  ScratchDatabase pg;
  refuseIncompleteScript({pg.url(), pg.db(), Database::Postgres});
}

TEST_CASE("migrate:baseline adopts a database built by a SQL script on MariaDB", "[mysql]") {
  MysqlScratchDatabase my;
  adoptScriptDatabase({my.url(), my.db(), Database::Mariadb});
}

TEST_CASE("migrate:baseline refuses a script missing a column, naming it, on MariaDB", "[mysql]") {
  MysqlScratchDatabase my;
  refuseIncompleteScript({my.url(), my.db(), Database::Mariadb});
}
