// What a failing or refused migration leaves behind: nothing half-applied.
#include "test_database.hpp"

#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>

#include <catch2/catch.hpp>

using namespace jsorm;
using jsorm::test::sourceOf;
using jsorm::test::TestDatabase;

namespace {
Migration simpleTable(const std::string& name, const std::string& table) {
  return defineMigration({
      .name = name,
      .up = [table](Builder& t) { return Steps{t.createTable(defineModel(table, {{"id", t.number().primary()}}))}; },
  });
}

const Migration failsOnThirdStatement = defineMigration({
    .name = "fails-on-third",
    .up = [](Builder& t) {
      return Steps{
          t.createTable(defineModel("half_one", {{"id", t.number().primary()}})),
          t.createTable(defineModel("half_two", {{"id", t.number().primary()}})),
          t.rawSql("INSERT INTO missing_table (x) VALUES (1)"),
      };
    },
});
}  // namespace

TEST_CASE("a migration failing on its third statement leaves no trace and keeps earlier migrations") {
  TestDatabase db;
  const auto source = sourceOf({simpleTable("first", "first_table"), failsOnThirdStatement, simpleTable("after", "after_table")});
  try {
    Runner(db.db(), source).migrate();
    FAIL("migrate should have failed");
  } catch (const MigrationError& e) {
    const std::string message = e.what();
    CHECK(e.migration() == "fails-on-third");
    CHECK(message.find("step 3 of 3") != std::string::npos);
    CHECK(message.find("INSERT INTO missing_table (x) VALUES (1)") != std::string::npos);
    CHECK(message.find("missing_table") != std::string::npos);
    if (db.isPostgres()) CHECK(message.find("[42P01]") != std::string::npos);  // undefined_table
  }
  CHECK(db.hasTable("first_table"));
  CHECK_FALSE(db.hasTable("after_table"));
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations WHERE name = 'first'") == 1);
  if (!db.isMysql()) {
    CHECK_FALSE(db.hasTable("half_one"));
    CHECK_FALSE(db.hasTable("half_two"));
    return;
  }
  // MySQL commits each DDL statement: the two tables stay, journaled, and the migration is
  // partial. Migrating again with the step fixed resumes after them; down undoes them.
  CHECK(db.hasTable("half_one"));
  CHECK(db.hasTable("half_two"));
  const auto statuses = Runner(db.db(), source).status();
  REQUIRE(statuses.size() == 3);
  CHECK(statuses[1].state == MigrationState::Partial);
  CHECK(statuses[1].stepsDone == 2);
  CHECK(statuses[1].stepsTotal == 3);
  CHECK(statuses[2].state == MigrationState::Pending);

  const Migration fixed = defineMigration({
      .name = "fails-on-third",
      .up = [](Builder& t) {
        return Steps{
            t.createTable(defineModel("half_one", {{"id", t.number().primary()}})),
            t.createTable(defineModel("half_two", {{"id", t.number().primary()}})),
            t.rawSql("INSERT INTO half_one (id) VALUES (7)", "DELETE FROM half_one WHERE id = 7"),
        };
      },
  });
  const auto fixedSource = sourceOf({simpleTable("first", "first_table"), fixed, simpleTable("after", "after_table")});
  const RunResult resumed = Runner(db.db(), fixedSource).migrate();
  CHECK(resumed.migrations == std::vector<std::string>{"fails-on-third", "after"});
  CHECK(db.count("SELECT COUNT(*) FROM half_one WHERE id = 7") == 1);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations_steps") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 3);
}

TEST_CASE("undoing a partial migration reverses exactly its journaled steps", "[mysql]") {
  TestDatabase db;
  if (!db.isMysql()) return;
  const auto source = sourceOf({simpleTable("first", "first_table"), failsOnThirdStatement});
  CHECK_THROWS_AS(Runner(db.db(), source).migrate(), MigrationError);
  REQUIRE(db.hasTable("half_two"));
  // What migrate:down undoes is the partial migration, not the batch before it.
  const RunResult undone = Runner(db.db(), source).migrateDown();
  CHECK(undone.migrations == std::vector<std::string>{"fails-on-third"});
  CHECK(undone.batch == 0);
  CHECK_FALSE(db.hasTable("half_one"));
  CHECK_FALSE(db.hasTable("half_two"));
  CHECK(db.hasTable("first_table"));
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations_steps") == 0);
  CHECK(Runner(db.db(), source).status()[1].state == MigrationState::Pending);
}

TEST_CASE("rolling back a batch with an irreversible migration is refused before any step runs") {
  TestDatabase db;
  const auto source = sourceOf({simpleTable("create-kept", "kept"),
                                defineMigration({.name = "purge", .up = Steps{rawSql("DELETE FROM kept")}})});
  Runner(db.db(), source).migrate();
  try {
    Runner(db.db(), source).migrateDown();
    FAIL("migrateDown should have been refused");
  } catch (const MigrationError& e) {
    CHECK(e.migration() == "purge");
    CHECK(std::string(e.what()).find("not reversible") != std::string::npos);
  }
  CHECK(db.hasTable("kept"));
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 2);
}

TEST_CASE("rolling back a batch whose migration left the source is refused") {
  TestDatabase db;
  Runner(db.db(), sourceOf({simpleTable("a", "ta"), simpleTable("b", "tb")})).migrate();
  CHECK_THROWS_WITH(Runner(db.db(), sourceOf({simpleTable("a", "ta")})).migrateDown(),
                    Catch::Contains("'b' was applied but the source no longer defines it"));
  CHECK(db.hasTable("ta"));
  CHECK(db.hasTable("tb"));
}

TEST_CASE("a failing down keeps the migration applied") {
  TestDatabase db;
  const auto source = sourceOf({defineMigration({
      .name = "bad-down",
      .up = [](Builder& t) { return Steps{t.createTable(defineModel("kept_up", {{"id", t.number().primary()}}))}; },
      .down = Steps{rawSql("DROP TABLE kept_up"), rawSql("DROP TABLE no_such_table_here")},
  })});
  Runner(db.db(), source).migrate();
  CHECK_THROWS_AS(Runner(db.db(), source).migrateDown(), MigrationError);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
  // MySQL cannot take back the DROP TABLE that ran before the failing one; an explicit down
  // is not journaled, and its error says what ran.
  CHECK(db.hasTable("kept_up") != db.isMysql());
}

TEST_CASE("an invalid source is refused before the database is touched") {
  TestDatabase db;
  const auto source = sourceOf({simpleTable("same", "t1"), simpleTable("same", "t2")});
  CHECK_THROWS_AS(Runner(db.db(), source), SchemaError);
  CHECK_FALSE(db.hasTable("jsorm_migrations"));
}
