// db:check on SQLite, PostgreSQL and MariaDB: changes made by hand (a column added, an
// index dropped, a type changed, a table created) are each reported with the object's name
// and exit 14; an untouched database exits 0.
#include "brownfield_targets.hpp"
#include "mysql_scratch.hpp"
#include "pg_scratch.hpp"

#include <nlohmann/json.hpp>

#include <fstream>

using namespace jsorm::cli_test;

namespace {
// reviews.stars from integer to bigint, as each database allows (SQLite: a table rebuild).
std::vector<std::string> widenStars(Database database) {
  switch (database) {
    case Database::Postgres: return {"ALTER TABLE reviews ALTER COLUMN stars TYPE bigint"};
    case Database::Mariadb: return {"ALTER TABLE reviews MODIFY stars BIGINT NOT NULL"};
    case Database::Sqlite: break;
  }
  return {"CREATE TABLE reviews_new (id INTEGER PRIMARY KEY AUTOINCREMENT, book_id INTEGER NOT NULL "
          "REFERENCES books (id), stars BIGINT NOT NULL)",
          "INSERT INTO reviews_new SELECT * FROM reviews", "DROP TABLE reviews",
          "ALTER TABLE reviews_new RENAME TO reviews"};
}

std::string dropTitleIndex(Database database) {
  return database == Database::Mariadb ? "DROP INDEX books_title_index ON books" : "DROP INDEX books_title_index";
}

void driftByHand(const Target& target) {
  CliFixture f;
  REQUIRE_OK(bookshop(f, target, "migrate", "bookshopSource"));

  const auto clean = bookshop(f, target, "db:check", "bookshopSource");
  INFO(describe(clean));
  CHECK(clean.exitCode == 0);
  CHECK(contains(clean.out, "matches the 4 applied migrations."));
  const auto cleanJson = nlohmann::json::parse(bookshop(f, target, "db:check", "bookshopSource", {"--json"}).out);
  CHECK(cleanJson["match"] == true);
  CHECK(cleanJson["drift"] == 0);
  CHECK(cleanJson["against"] == "migrations");
  CHECK(cleanJson["differences"].empty());

  target.run({"ALTER TABLE authors ADD COLUMN nickname VARCHAR(40)", dropTitleIndex(target.database),
              "CREATE TABLE audit_log (id INTEGER NOT NULL)"});
  target.run(widenStars(target.database));

  const auto drift = bookshop(f, target, "db:check", "bookshopSource");
  INFO(describe(drift));
  CHECK(drift.exitCode == 14);
  CHECK(differenceLines(drift.out) == std::vector<std::string>{
                                "extra table audit_log",
                                "extra column authors.nickname (varchar(40), nullable)",
                                "missing index books_title_index on books (title)",
                                "column-type of reviews.stars: expected integer, found bigint",
                            });
  CHECK(contains(drift.out, "has drifted from the 4 applied migrations: 4 differences."));

  const auto report = bookshop(f, target, "db:check", "bookshopSource", {"--json"});
  CHECK(report.exitCode == 14);
  const auto json = nlohmann::json::parse(report.out);
  CHECK(json["match"] == false);
  CHECK(json["drift"] == 4);
  REQUIRE(json["differences"].size() == 4);
  CHECK(json["differences"][0]["kind"] == "extra-table");
  CHECK(json["differences"][0]["object"].is_null());
  CHECK(json["differences"][2]["kind"] == "missing-index");
  CHECK(json["differences"][2]["table"] == "books");
  CHECK(json["differences"][2]["object"] == "books_title_index");
  CHECK(json["differences"][3]["expected"] == "integer");
  CHECK(json["differences"][3]["actual"] == "bigint");
  CHECK(json["differences"][3]["unverifiable"] == false);
}

// rawSql adds authors.legacy_code: listed as unverifiable, not drift. --models compares
// with the models, which lack the composite index migration 003 made.
void unverifiableAndModels(const Target& target) {
  CliFixture f;
  REQUIRE_OK(bookshop(f, target, "migrate", "bookshopRawSource"));
  const auto raw = bookshop(f, target, "db:check", "bookshopRawSource");
  INFO(describe(raw));
  CHECK(raw.exitCode == 0);
  CHECK(differenceLines(raw.out) == std::vector<std::string>{
                              "extra column authors.legacy_code (varchar(12), nullable) (unverifiable: a rawSql step "
                              "changed table authors)",
                              "unverifiable: migration '005-legacy-code' step 1 (rawSql) changes table authors",
                          });
  const auto json = nlohmann::json::parse(bookshop(f, target, "db:check", "bookshopRawSource", {"--json"}).out);
  CHECK(json["drift"] == 0);
  REQUIRE(json["unverifiable"].size() == 1);
  CHECK(json["unverifiable"][0]["migration"] == "005-legacy-code");
  CHECK(json["unverifiable"][0]["step"] == 1);
  CHECK(json["unverifiable"][0]["tables"] == nlohmann::json::array({"authors"}));

  const auto models = f.jsorm({"db:check", kBrownfield, "bookshopSource", "bookshopModels", "--models", "--url",
                               target.url});
  INFO(describe(models));
  CHECK(models.exitCode == 14);
  CHECK(differenceLines(models.out) == std::vector<std::string>{
                                 "extra column authors.legacy_code (varchar(12), nullable)",
                                 "extra index books_author_id_title_index on books (author_id, title)",
                             });
  CHECK(contains(models.out, "has drifted from the 4 models: 2 differences."));
}
// Table and column names with quotes, a semicolon and non-ASCII letters read back from
// the catalogue exactly as the migrations wrote them; a string default on a decimal
// ("1.50") compares by value.
void awkwardNames(const Target& target) {
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate", kCases, "awkwardNamesSource", "--url", target.url}));
  const auto r = f.jsorm({"db:check", kCases, "awkwardNamesSource", "--url", target.url});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(contains(r.out, "matches the 2 applied migrations."));
}
}  // namespace

TEST_CASE("db:check reads awkward identifiers back exactly on SQLite") {
  SqliteDatabase sqlite;
  awkwardNames(sqlite.target());
}

TEST_CASE("db:check reads awkward identifiers back exactly on PostgreSQL", "[pg]") {
  ScratchDatabase pg;
  awkwardNames({pg.url(), pg.db(), Database::Postgres});
}

TEST_CASE("db:check reads awkward identifiers back exactly on MariaDB", "[mysql]") {
  MysqlScratchDatabase my;
  awkwardNames({my.url(), my.db(), Database::Mariadb});
}

TEST_CASE("db:check names each change made by hand on SQLite") {
  SqliteDatabase sqlite;
  driftByHand(sqlite.target());
}

TEST_CASE("db:check reports rawSql as unverifiable and --models compares with the models on SQLite") {
  SqliteDatabase sqlite;
  unverifiableAndModels(sqlite.target());
}

TEST_CASE("db:check --models with a jsorm.toml takes its migration and generate sources") {
  CliFixture f;
  const std::string url = "sqlite:" + f.dir.file("toml.db");
  std::ofstream(f.dir.file("jsorm.toml")) << "[migrationSources.shop]\nmodule = \"" << kBrownfield
                                          << "\"\nexport = \"bookshopSource\"\nurl = \"" << url
                                          << "\"\n\n[generateSources.shop]\nmodule = \"" << kBrownfield
                                          << "\"\nexport = \"bookshopModels\"\n";
  REQUIRE_OK(f.jsorm({"migrate"}));
  REQUIRE_OK(f.jsorm({"db:check"}));
  const auto models = f.jsorm({"db:check", "--models", "--json"});
  INFO(describe(models));
  CHECK(models.exitCode == 14);
  const auto json = nlohmann::json::parse(models.out);
  CHECK(json["against"] == "models");
  REQUIRE(json["differences"].size() == 1);
  CHECK(json["differences"][0]["message"] == "extra index books_author_id_title_index on books (author_id, title)");
}

TEST_CASE("db:check replays an edited migration as the source has it now, and says so") {
  CliFixture f;
  const std::string v1 = kFixtureDir + "/libfixture_history_v1.so";
  const std::string edited = kFixtureDir + "/libfixture_history_v2_edit.so";
  REQUIRE_OK(f.jsorm({"migrate", v1, "historySource"}));
  const auto r = f.jsorm({"db:check", edited, "historySource"});
  INFO(describe(r));
  CHECK(r.exitCode == 14);
  CHECK(differenceLines(r.out) ==
        std::vector<std::string>{
            "column-type of users.email: expected varchar(200), found varchar(80)",
            "missing column users.bio (text, nullable)",
            "missing index users_nickname_email_index on users (nickname, email)",
            "extra index users_nickname_index on users (nickname)",
            "note: migration 'create-users' changed since it was applied: replayed as the source has it now",
            "note: migration 'add-nickname' changed since it was applied: replayed as the source has it now",
        });
  REQUIRE_OK(f.jsorm({"db:check", v1, "historySource"}));
}

TEST_CASE("db:check usage errors", "") {
  CliFixture f;
  CHECK_ONE_ERROR_LINE(f.jsorm({"db:check", kBrownfield, "bookshopSource", "--models"}), 2);
  CHECK_ONE_ERROR_LINE(f.jsorm({"db:check", kBrownfield, "bookshopSource", "bookshopModels"}), 2);
}

TEST_CASE("db:check names each change made by hand on PostgreSQL", "[pg]") {
  ScratchDatabase pg;
  driftByHand({pg.url(), pg.db(), Database::Postgres});
}

TEST_CASE("db:check reports rawSql as unverifiable and --models compares with the models on PostgreSQL", "[pg]") {
  ScratchDatabase pg;
  unverifiableAndModels({pg.url(), pg.db(), Database::Postgres});
}

TEST_CASE("db:check and migrate:baseline look only at the schema= schema on PostgreSQL", "[pg]") {
  CliFixture f;
  ScratchDatabase pg;
  // A bookshop migrated into public, and one to adopt in schema shop_b.
  const std::string publicUrl = pg.url();
  const std::string shopUrl = pg.url() + "?schema=shop_b";
  REQUIRE_OK(f.jsorm({"migrate", kBrownfield, "bookshopSource", "--url", publicUrl}));
  pg.db().execute("CREATE SCHEMA shop_b");
  pg.db().execute("SET search_path TO shop_b");
  Target shop{shopUrl, pg.db(), Database::Postgres};
  shop.run(bookshopScript(Database::Postgres));
  pg.db().execute("SET search_path TO public");

  const auto baseline = bookshop(f, shop, "migrate:baseline", "bookshopSource", {"--to", "003-add-isbn"});
  INFO(describe(baseline));
  REQUIRE(baseline.exitCode == 0);
  REQUIRE_OK(bookshop(f, shop, "migrate", "bookshopSource"));
  REQUIRE_OK(bookshop(f, shop, "db:check", "bookshopSource"));
  // A change in public is no drift of shop_b, and the reverse.
  pg.db().execute("ALTER TABLE public.authors ADD COLUMN nickname text");
  REQUIRE_OK(bookshop(f, shop, "db:check", "bookshopSource"));
  const auto inPublic = f.jsorm({"db:check", kBrownfield, "bookshopSource", "--url", publicUrl});
  CHECK(inPublic.exitCode == 14);
  CHECK(differenceLines(inPublic.out) == std::vector<std::string>{"extra column authors.nickname (text, nullable)"});
}

TEST_CASE("db:check names each change made by hand on MariaDB", "[mysql]") {
  MysqlScratchDatabase my;
  driftByHand({my.url(), my.db(), Database::Mariadb});
}

TEST_CASE("db:check reports rawSql as unverifiable and --models compares with the models on MariaDB", "[mysql]") {
  MysqlScratchDatabase my;
  unverifiableAndModels({my.url(), my.db(), Database::Mariadb});
}
