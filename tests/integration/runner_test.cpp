// Batches, up, down and status through the runner on a real database.
#include "test_database.hpp"

#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>

#include <catch2/catch.hpp>

using namespace jsorm;
using jsorm::test::sourceOf;
using jsorm::test::TestDatabase;

namespace {
Migration tableMigration(const std::string& name, const std::string& table) {
  return defineMigration({
      .name = name,
      .up = [table](Builder& t) {
        return Steps{t.createTable(defineModel(table, {{"id", t.number().primary()}, {"label", t.string().optional()}}))};
      },
  });
}

std::vector<std::string> namesIn(const std::vector<MigrationStatus>& statuses, MigrationState state) {
  std::vector<std::string> names;
  for (const auto& s : statuses) {
    if (s.state == state) names.push_back(s.name);
  }
  return names;
}
}  // namespace

TEST_CASE("migrate applies every pending migration in source order as one batch") {
  TestDatabase db;
  const auto source = sourceOf({tableMigration("a", "ta"), tableMigration("b", "tb"), tableMigration("c", "tc")});
  const RunResult result = Runner(db.db(), source).migrate();
  CHECK(result.batch == 1);
  CHECK(result.migrations == std::vector<std::string>{"a", "b", "c"});
  CHECK(db.hasTable("ta"));
  CHECK(db.hasTable("tb"));
  CHECK(db.hasTable("tc"));
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations WHERE batch = 1") == 3);
  // Source order is id order.
  const auto rows = db.db().query("SELECT name FROM jsorm_migrations ORDER BY id");
  REQUIRE(rows.rows.size() == 3);
  CHECK(std::get<std::string>(rows.rows[2][0]) == "c");
}

TEST_CASE("the tracking table has jsorm's columns plus checksum and execution_ms") {
  TestDatabase db;
  Runner(db.db(), sourceOf({tableMigration("a", "ta")})).migrate();
  for (const char* column : {"id", "name", "batch", "applied_at", "checksum", "execution_ms"}) {
    INFO(column);
    CHECK(db.hasColumn("jsorm_migrations", column));
  }
  const auto row = db.db().query("SELECT checksum, execution_ms, applied_at FROM jsorm_migrations");
  REQUIRE(row.rows.size() == 1);
  CHECK(std::get<std::string>(row.rows[0][0]) == checksum(tableMigration("a", "ta")));
  CHECK(std::holds_alternative<std::int64_t>(row.rows[0][1]));
  CHECK_FALSE(std::holds_alternative<std::monostate>(row.rows[0][2]));
}

TEST_CASE("a second migrate finds nothing pending and changes nothing") {
  TestDatabase db;
  const auto source = sourceOf({tableMigration("a", "ta")});
  Runner(db.db(), source).migrate();
  const RunResult again = Runner(db.db(), source).migrate();
  CHECK(again.migrations.empty());
  CHECK(again.batch == 0);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
}

TEST_CASE("new migrations added to the source form the next batch") {
  TestDatabase db;
  Runner(db.db(), sourceOf({tableMigration("a", "ta")})).migrate();
  const RunResult second = Runner(db.db(), sourceOf({tableMigration("a", "ta"), tableMigration("b", "tb")})).migrate();
  CHECK(second.batch == 2);
  CHECK(second.migrations == std::vector<std::string>{"b"});
}

TEST_CASE("migrateUp applies only the next pending migration as a batch of its own") {
  TestDatabase db;
  const auto source = sourceOf({tableMigration("a", "ta"), tableMigration("b", "tb")});
  CHECK(Runner(db.db(), source).migrateUp().migrations == std::vector<std::string>{"a"});
  CHECK(db.hasTable("ta"));
  CHECK_FALSE(db.hasTable("tb"));
  const RunResult next = Runner(db.db(), source).migrateUp();
  CHECK(next.batch == 2);
  CHECK(next.migrations == std::vector<std::string>{"b"});
}

TEST_CASE("migrateDown rolls back only the last batch, newest first") {
  TestDatabase db;
  Runner(db.db(), sourceOf({tableMigration("a", "ta")})).migrate();
  const auto source = sourceOf({tableMigration("a", "ta"), tableMigration("b", "tb"), tableMigration("c", "tc")});
  Runner(db.db(), source).migrate();

  const RunResult down = Runner(db.db(), source).migrateDown();
  CHECK(down.batch == 2);
  CHECK(down.migrations == std::vector<std::string>{"c", "b"});
  CHECK(db.hasTable("ta"));
  CHECK_FALSE(db.hasTable("tb"));
  CHECK_FALSE(db.hasTable("tc"));
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);

  CHECK(Runner(db.db(), source).migrateDown().migrations == std::vector<std::string>{"a"});
  CHECK_FALSE(db.hasTable("ta"));
  CHECK(Runner(db.db(), source).migrateDown().migrations.empty());
}

TEST_CASE("status lists applied, pending, changed and missing migrations") {
  TestDatabase db;
  Runner(db.db(), sourceOf({tableMigration("a", "ta"), tableMigration("gone", "tg"), tableMigration("edited", "te")}))
      .migrate();
  // "edited" now creates another table: its checksum differs from the applied one.
  const auto now = sourceOf({tableMigration("a", "ta"), tableMigration("edited", "te_v2"), tableMigration("new", "tn")});
  const auto statuses = Runner(db.db(), now).status();
  CHECK(namesIn(statuses, MigrationState::Applied) == std::vector<std::string>{"a"});
  CHECK(namesIn(statuses, MigrationState::Changed) == std::vector<std::string>{"edited"});
  CHECK(namesIn(statuses, MigrationState::Pending) == std::vector<std::string>{"new"});
  CHECK(namesIn(statuses, MigrationState::Missing) == std::vector<std::string>{"gone"});
  REQUIRE(statuses.front().applied);
  CHECK(statuses.front().applied->batch == 1);
  CHECK_FALSE(statuses.front().applied->appliedAt.empty());
}

TEST_CASE("status on a database without a tracking table reports everything pending and creates nothing") {
  TestDatabase db;
  const auto statuses = Runner(db.db(), sourceOf({tableMigration("a", "ta")})).status();
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].state == MigrationState::Pending);
  CHECK_FALSE(db.hasTable("jsorm_migrations"));
}

TEST_CASE("a custom migrationTable name is used for tracking") {
  TestDatabase db;
  Runner(db.db(), sourceOf({tableMigration("a", "ta")}, "schema_history")).migrate();
  CHECK(db.hasTable("schema_history"));
  CHECK_FALSE(db.hasTable("jsorm_migrations"));
}

TEST_CASE("a tracking table with only jsorm's four columns gains checksum and execution_ms") {
  TestDatabase db;
  const std::string id = db.isPostgres() ? "id SERIAL PRIMARY KEY"
                         : db.isMysql()  ? "id INTEGER AUTO_INCREMENT PRIMARY KEY"
                                         : "id INTEGER PRIMARY KEY AUTOINCREMENT";
  db.db().execute("CREATE TABLE jsorm_migrations (" + id +
                  ", name VARCHAR(255) NOT NULL UNIQUE, batch INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT "
                  "CURRENT_TIMESTAMP)");
  db.db().execute("INSERT INTO jsorm_migrations (name, batch) VALUES ('a', 1)");
  const RunResult result =
      Runner(db.db(), sourceOf({tableMigration("a", "ta"), tableMigration("b", "tb")})).migrate();
  CHECK(result.migrations == std::vector<std::string>{"b"});
  CHECK(result.batch == 2);
  CHECK(db.hasColumn("jsorm_migrations", "checksum"));
  CHECK(db.hasColumn("jsorm_migrations", "execution_ms"));
}

TEST_CASE("a dry run changes nothing and reports the statements it would run") {
  TestDatabase db;
  struct Recorder : RunObserver {
    std::vector<std::string> statements;
    void statement(const std::string& sql) override { statements.push_back(sql); }
  } recorder;
  const auto source = sourceOf({tableMigration("a", "ta")});
  const RunResult result = Runner(db.db(), source, {.dryRun = true, .observer = &recorder}).migrate();
  CHECK(result.migrations == std::vector<std::string>{"a"});
  CHECK(db.tables().empty());
  if (db.isMysql()) {
    // The step journal first; the table is created outside any transaction, then the
    // tracking row and the end of the journal are written together.
    REQUIRE(recorder.statements.size() == 7);
    CHECK(recorder.statements[0].rfind("CREATE TABLE `jsorm_migrations_steps`", 0) == 0);
    CHECK(recorder.statements[1].rfind("CREATE TABLE IF NOT EXISTS `jsorm_migrations`", 0) == 0);
    CHECK(recorder.statements[2].rfind("CREATE TABLE `ta`", 0) == 0);
    CHECK(recorder.statements[3] == "BEGIN");
    CHECK(recorder.statements[4].find("INSERT INTO `jsorm_migrations`") == 0);
    CHECK(recorder.statements[5] == "DELETE FROM `jsorm_migrations_steps` WHERE `migration` = 'a'");
    CHECK(recorder.statements[6] == "COMMIT");
    return;
  }
  REQUIRE(recorder.statements.size() == 5);
  CHECK(recorder.statements[0].rfind("CREATE TABLE IF NOT EXISTS \"jsorm_migrations\"", 0) == 0);
  CHECK(recorder.statements[1] == "BEGIN");
  CHECK(recorder.statements[2].rfind("CREATE TABLE \"ta\"", 0) == 0);
  CHECK(recorder.statements[3].find("INSERT INTO \"jsorm_migrations\"") == 0);
  CHECK(recorder.statements[3].find("'a', 1, '") != std::string::npos);
  CHECK(recorder.statements[4] == "COMMIT");
}
