// Connection::executeAll and the runner's one-call transactions (PostgreSQL
// sends them in pipeline mode): a failure anywhere still names its statement
// and leaves nothing applied.
#include <catch2/catch.hpp>
#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>
#include <string>

#include "test_database.hpp"

using namespace jsorm;
using jsorm::test::sourceOf;
using jsorm::test::TestDatabase;

namespace {
Migration table(const std::string& name, const std::string& tableName) {
  return defineMigration({
      .name = name,
      .up =
          [tableName](Builder& t) {
            return Steps{t.createTable(defineModel(tableName, {{"id", t.number().primary()}, {"label", t.string()}})),
                         t.createIndex(tableName, {"label"})};
          },
  });
}

// Step 2 of 4 fails; steps 3 and 4 would create tables if anything after the
// failure ran.
const Migration failsInTheMiddle = defineMigration({
    .name = "fails-in-the-middle",
    .up =
        [](Builder& t) {
          return Steps{
              t.createTable(defineModel("mid_before", {{"id", t.number().primary()}})),
              t.rawSql("INSERT INTO mid_nowhere (x) VALUES (1)"),
              t.createTable(defineModel("mid_after", {{"id", t.number().primary()}})),
              t.rawSql("CREATE TABLE mid_raw (id INTEGER)", "DROP TABLE mid_raw"),
          };
        },
});

std::string trackingRows(const TestDatabase& db) {
  std::string rows;
  for (const auto& row : db.db().query("SELECT name, batch, checksum FROM jsorm_migrations ORDER BY id").rows) {
    rows += std::get<std::string>(row.at(0)) + "/" + std::to_string(std::get<std::int64_t>(row.at(1))) + "/" +
            std::get<std::string>(row.at(2)) + ";";
  }
  return rows;
}
}  // namespace

TEST_CASE("a statement failing in the middle of a sent-together migration is named and nothing of it stays") {
  TestDatabase db;
  Runner(db.db(), sourceOf({table("first", "pipe_first")})).migrate();
  const std::string before = trackingRows(db);
  REQUIRE(before.find("first/1/") == 0);

  const auto source = sourceOf({table("first", "pipe_first"), failsInTheMiddle, table("last", "pipe_last")});
  try {
    Runner(db.db(), source).migrate();
    FAIL("migrate should have failed");
  } catch (const MigrationError& e) {
    const std::string message = e.what();
    CHECK(e.migration() == "fails-in-the-middle");
    CHECK(message.find("step 2 of 4") != std::string::npos);
    CHECK(message.find("statement: INSERT INTO mid_nowhere (x) VALUES (1)") != std::string::npos);
    if (db.isPostgres()) CHECK(message.find("[42P01]") != std::string::npos);  // undefined_table
  }
  CHECK(trackingRows(db) == before);
  CHECK_FALSE(db.hasTable("pipe_last"));
  if (!db.isMysql()) {  // MySQL commits each DDL statement (the journal covers
                        // it: failure_test.cpp)
    CHECK_FALSE(db.hasTable("mid_before"));
    CHECK_FALSE(db.hasTable("mid_after"));
    CHECK_FALSE(db.hasTable("mid_raw"));
  }
  // The connection is usable afterwards: the failed transaction was rolled
  // back.
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
}

TEST_CASE("executeAll runs statements in order, bound or not, and stops at the first failure with its index") {
  TestDatabase db;
  Connection& c = db.db();
  c.execute("CREATE TABLE pipe_values (n INTEGER NOT NULL, label VARCHAR(20))");
  const std::vector<Value> one{std::int64_t{1}, std::string("one")};
  const std::vector<Value> two{std::int64_t{2}, Value()};
  const std::string insert = db.isPostgres() ? "INSERT INTO pipe_values (n, label) VALUES ($1, $2)"
                                             : "INSERT INTO pipe_values (n, label) VALUES (?, ?)";
  c.executeAll({{.kind = BatchStatement::Kind::Begin},
                {.sql = insert, .params = &one},
                {.sql = "INSERT INTO pipe_values (n) VALUES (3); INSERT INTO pipe_values (n) VALUES (4)"},
                {.sql = insert, .params = &two},
                {.kind = BatchStatement::Kind::Commit}});
  CHECK(db.count("SELECT COUNT(*) FROM pipe_values") == 4);
  CHECK(db.count("SELECT COUNT(*) FROM pipe_values WHERE n = 2 AND label IS NULL") == 1);

  const std::vector<Value> five{std::int64_t{5}, std::string("five")};
  const std::vector<Value> six{std::int64_t{6}, std::string("six")};
  try {
    c.executeAll({{.kind = BatchStatement::Kind::Begin},
                  {.sql = insert, .params = &five},
                  {.sql = "INSERT INTO pipe_values (n) VALUES (NULL)"},
                  {.sql = insert, .params = &six},
                  {.kind = BatchStatement::Kind::Commit}});
    FAIL("executeAll should have failed");
  } catch (const StatementFailure& e) {
    CHECK(e.index() == 2);
    CHECK(e.statement() == "INSERT INTO pipe_values (n) VALUES (NULL)");
    if (db.isPostgres()) CHECK(e.sqlState() == "23502");  // not_null_violation
  }
  c.rollback();
  CHECK(db.count("SELECT COUNT(*) FROM pipe_values WHERE n >= 5") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM pipe_values") == 4);
}

TEST_CASE("a migration of more statements than one pipeline holds fails as a whole, naming the statement") {
  {
    TestDatabase db;
    // 600 statements, so they span several pipelines (256 each on PostgreSQL);
    // number 520 fails.
    const Migration many = defineMigration({
        .name = "many-statements",
        .up =
            [](Builder& t) {
              Steps steps{t.rawSql("CREATE TABLE pipe_many (n INTEGER PRIMARY KEY)", "DROP TABLE pipe_many")};
              for (int i = 1; i < 600; ++i) {
                const int n = i == 519 ? 1 : i;  // a duplicate key
                steps.push_back(t.rawSql("INSERT INTO pipe_many (n) VALUES (" + std::to_string(n) + ")", "SELECT 1"));
              }
              return steps;
            },
    });
    try {
      Runner(db.db(), sourceOf({many})).migrate();
      FAIL("migrate should have failed");
    } catch (const MigrationError& e) {
      const std::string message = e.what();
      CHECK(message.find("step 520 of 600") != std::string::npos);
      CHECK(message.find("statement: INSERT INTO pipe_many (n) VALUES (1)") != std::string::npos);
    }
    if (!db.isMysql()) CHECK_FALSE(db.hasTable("pipe_many"));
    CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 0);
  }

  // The same migration without the duplicate applies whole, in order (on a
  // fresh database: on MySQL the failed one is partial).
  TestDatabase db;
  const Migration fixed = defineMigration({
      .name = "many-statements-fixed",
      .up =
          [](Builder& t) {
            Steps steps{t.rawSql("CREATE TABLE pipe_many2 (n INTEGER PRIMARY KEY)", "DROP TABLE pipe_many2")};
            for (int i = 1; i < 600; ++i) {
              steps.push_back(t.rawSql("INSERT INTO pipe_many2 (n) VALUES (" + std::to_string(i) + ")", "SELECT 1"));
            }
            return steps;
          },
  });
  Runner(db.db(), sourceOf({fixed})).migrate();
  CHECK(db.count("SELECT COUNT(*) FROM pipe_many2") == 599);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
}
