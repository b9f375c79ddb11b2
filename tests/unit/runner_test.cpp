// The runner against an in-memory fake connection: batches, transactions, guards, rollbacks
// and status, without a real database.
#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {
struct Row {
  std::int64_t id;
  std::string name;
  std::int64_t batch;
  std::string checksum;
};

// Records every call and keeps the tracking table's rows, reading the runner's own SQL.
class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(const Dialect& dialect, std::string tracking = "jsorm_migrations")
      : dialect_(dialect), tracking_(std::move(tracking)) {}

  const Dialect& dialect() const override { return dialect_; }

  void execute(std::string_view sql) override {
    log.emplace_back(sql);
    failIfAsked(sql);
    if (sql.starts_with("CREATE TABLE IF NOT EXISTS")) {
      trackingExists = true;
      trackingColumns = {"id", "name", "batch", "applied_at", "checksum", "execution_ms"};
    } else if (sql.find("ADD COLUMN \"checksum\"") != std::string_view::npos) {
      trackingColumns.insert("checksum");
    } else if (sql.find("ADD COLUMN \"execution_ms\"") != std::string_view::npos) {
      trackingColumns.insert("execution_ms");
    } else if (sql == "DROP TABLE IF EXISTS \"" + tracking_ + "\"") {
      trackingExists = false;
      rows.clear();
    }
  }

  void execute(std::string_view sql, const std::vector<Value>& params) override {
    log.emplace_back(sql);
    failIfAsked(sql);
    if (sql.starts_with("INSERT INTO")) {
      REQUIRE(params.size() == 4);
      rows.push_back({nextId++, std::get<std::string>(params[0]), std::get<std::int64_t>(params[1]),
                      std::get<std::string>(params[2])});
      executionMs.push_back(std::get<std::int64_t>(params[3]));
    } else if (sql.starts_with("UPDATE")) {
      REQUIRE(params.size() == 2);
      const auto name = std::get<std::string>(params[1]);
      for (Row& r : rows) {
        if (r.name == name) r.checksum = std::get<std::string>(params[0]);
      }
    } else if (sql.starts_with("DELETE FROM")) {
      REQUIRE(params.size() == 1);
      const auto name = std::get<std::string>(params[0]);
      rows.erase(std::remove_if(rows.begin(), rows.end(), [&](const Row& r) { return r.name == name; }), rows.end());
    } else {
      FAIL("unexpected parameterised statement: " << sql);
    }
  }

  ResultSet query(std::string_view sql, const std::vector<Value>&) override {
    log.emplace_back(sql);
    // The table's own columns (`tracked.*`: an extra column only when it exists), then
    // applied_at as text.
    ResultSet result;
    const bool checksum = trackingColumns.count("checksum") > 0;
    const bool executionMs = trackingColumns.count("execution_ms") > 0;
    result.columns = {"id", "name", "batch", "applied_at"};
    if (checksum) result.columns.emplace_back("checksum");
    if (executionMs) result.columns.emplace_back("execution_ms");
    result.columns.emplace_back("CAST(tracked.\"applied_at\" AS TEXT)");
    for (const Row& r : rows) {
      // PostgreSQL adapters may hand integers back as text; the runner must read both.
      const Value id = cellsAsText ? Value(std::to_string(r.id)) : Value(r.id);
      const Value batch = cellsAsText ? Value(std::to_string(r.batch)) : Value(r.batch);
      std::vector<Value> cells{id, r.name, batch, std::int64_t{20240102}};
      if (checksum) cells.emplace_back(r.checksum);
      if (executionMs) cells.emplace_back(std::monostate{});
      cells.emplace_back(std::string("2024-01-02 03:04:05"));
      result.rows.push_back(std::move(cells));
    }
    if (reshape) reshape(result);
    return result;
  }

  void begin() override { log.emplace_back("BEGIN"); }
  void commit() override { log.emplace_back("COMMIT"); }
  void rollback() override { log.emplace_back("ROLLBACK"); }
  void lockMigrations(const std::string& key, std::chrono::milliseconds) override { log.push_back("LOCK " + key); }
  void unlockMigrations(const std::string& key) override { log.push_back("UNLOCK " + key); }

  bool hasTable(const std::string& table) override { return table == tracking_ && trackingExists; }
  bool hasColumn(const std::string& table, const std::string& column) override {
    if (table == tracking_) return trackingColumns.count(column) > 0;
    return columns.count(table + "." + column) > 0;
  }
  std::vector<std::string> tables() override {
    log.emplace_back("TABLES");
    return tableList;
  }
  std::string target() const override { return "fake"; }

  void addRow(const std::string& name, std::int64_t batch, std::string sum = {}) {
    trackingExists = true;
    trackingColumns = {"id", "name", "batch", "applied_at", "checksum", "execution_ms"};
    rows.push_back({nextId++, name, batch, std::move(sum)});
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.name);
    return out;
  }
  bool ran(const std::string& sql) const { return std::find(log.begin(), log.end(), sql) != log.end(); }
  std::size_t position(const std::string& sql) const {
    return static_cast<std::size_t>(std::find(log.begin(), log.end(), sql) - log.begin());
  }

  std::vector<std::string> log;
  std::vector<Row> rows;
  std::vector<std::int64_t> executionMs;
  bool trackingExists = false;
  std::set<std::string> trackingColumns;
  std::set<std::string> columns;  ///< "table.column" pairs that exist
  std::vector<std::string> tableList;  ///< what tables() reports
  std::string failOn;             ///< a statement containing this throws SqlError
  bool cellsAsText = false;
  std::function<void(ResultSet&)> reshape;  ///< changes what the tracking table read returns

 private:
  void failIfAsked(std::string_view sql) const {
    if (!failOn.empty() && sql.find(failOn) != std::string_view::npos) {
      throw SqlError("table b already exists", std::string(sql), "42P07");
    }
  }

  const Dialect& dialect_;
  std::string tracking_;
  std::int64_t nextId = 1;
};

class RecordingObserver final : public RunObserver {
 public:
  void migrationStarted(const std::string& name, Direction direction) override {
    events.push_back((direction == Direction::Up ? "up " : "down ") + name);
  }
  void migrationFinished(const std::string& name, Direction, std::chrono::milliseconds) override {
    events.push_back("done " + name);
  }
  void statement(const std::string& sql) override { statements.push_back(sql); }

  std::vector<std::string> events;
  std::vector<std::string> statements;
};

Migration createTableMigration(std::string name, std::string table) {
  return defineMigration({
      .name = std::move(name),
      .up = Steps{rawSql("CREATE TABLE " + table + " (id INTEGER)", "DROP TABLE " + table)},
  });
}

MigrationSource sourceOf(std::vector<Migration> migrations) {
  return defineMigrationSource({.adapter = sqliteAdapter({.path = ":memory:"}), .migrations = std::move(migrations)});
}

const std::string kInsert =
    "INSERT INTO \"jsorm_migrations\" (\"name\", \"batch\", \"checksum\", \"execution_ms\") VALUES (?1, ?2, ?3, ?4)";
const std::string kSelect =
    "SELECT tracked.*, CAST(tracked.\"applied_at\" AS TEXT) FROM \"jsorm_migrations\" tracked ORDER BY "
    "tracked.\"id\"";
const std::string kDelete = "DELETE FROM \"jsorm_migrations\" WHERE \"name\" = ?1";
const std::string kUpdateChecksum = "UPDATE \"jsorm_migrations\" SET \"checksum\" = ?1 WHERE \"name\" = ?2";
}  // namespace

TEST_CASE("the runner validates the source before touching the database") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("a", "a"), createTableMigration("a", "b")});
  CHECK_THROWS_AS(Runner(db, source), SchemaError);
  CHECK(db.log.empty());
}

TEST_CASE("migrate applies pending migrations in source order as one batch, each in its own transaction") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b")});
  Runner runner(db, source);
  const RunResult result = runner.migrate();
  CHECK(result.batch == 1);
  CHECK(result.migrations == std::vector<std::string>{"m1", "m2"});
  CHECK(db.log == std::vector<std::string>{
                      "LOCK jsorm_migrations",
                      sqliteDialect().createTrackingTable("jsorm_migrations"),
                      kSelect,
                      "BEGIN",
                      "CREATE TABLE a (id INTEGER)",
                      kInsert,
                      "COMMIT",
                      "BEGIN",
                      "CREATE TABLE b (id INTEGER)",
                      kInsert,
                      "COMMIT",
                      "UNLOCK jsorm_migrations",
                  });
  REQUIRE(db.rows.size() == 2);
  CHECK(db.rows[0].name == "m1");
  CHECK(db.rows[0].batch == 1);
  CHECK(db.rows[0].checksum == checksum(source.migrations[0]));
  CHECK(db.rows[1].name == "m2");
  CHECK(db.rows[1].batch == 1);
  CHECK(db.executionMs.size() == 2);
}

TEST_CASE("migrate with nothing pending runs nothing and reports batch 0") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner runner(db, source);
  runner.migrate();
  db.log.clear();
  const RunResult again = runner.migrate();
  CHECK(again.batch == 0);
  CHECK(again.migrations.empty());
  CHECK_FALSE(db.ran("BEGIN"));
  CHECK(db.rows.size() == 1);
}

TEST_CASE("migrate adds only the migrations not yet applied, as the next batch") {
  FakeConnection db(sqliteDialect());
  db.addRow("m1", 3);
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b")});
  Runner runner(db, source);
  const RunResult result = runner.migrate();
  CHECK(result.batch == 4);
  CHECK(result.migrations == std::vector<std::string>{"m2"});
  CHECK_FALSE(db.ran("CREATE TABLE a (id INTEGER)"));
  CHECK(db.ran("CREATE TABLE b (id INTEGER)"));
}

TEST_CASE("migrateUp applies only the next pending migration as a batch of its own") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source =
      sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b"), createTableMigration("m3", "c")});
  Runner runner(db, source);
  const RunResult first = runner.migrateUp();
  CHECK(first.batch == 1);
  CHECK(first.migrations == std::vector<std::string>{"m1"});
  CHECK_FALSE(db.ran("CREATE TABLE b (id INTEGER)"));
  const RunResult second = runner.migrateUp();
  CHECK(second.batch == 2);
  CHECK(second.migrations == std::vector<std::string>{"m2"});
  CHECK(db.names() == std::vector<std::string>{"m1", "m2"});
}

TEST_CASE("migrateDown rolls back only the last batch, newest first") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source =
      sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b"), createTableMigration("m3", "c")});
  Runner runner(db, source);
  runner.migrateUp();
  runner.migrate();
  db.log.clear();
  const RunResult result = runner.migrateDown();
  CHECK(result.batch == 2);
  CHECK(result.migrations == std::vector<std::string>{"m3", "m2"});
  CHECK(db.log == std::vector<std::string>{
                      "LOCK jsorm_migrations",
                      kSelect,
                      "BEGIN",
                      "DROP TABLE c",
                      kDelete,
                      "COMMIT",
                      "BEGIN",
                      "DROP TABLE b",
                      kDelete,
                      "COMMIT",
                      "UNLOCK jsorm_migrations",
                  });
  CHECK(db.names() == std::vector<std::string>{"m1"});
}

TEST_CASE("migrateDown with nothing applied does nothing") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner runner(db, source);
  const RunResult result = runner.migrateDown();
  CHECK(result.batch == 0);
  CHECK(result.migrations.empty());
  CHECK_FALSE(db.ran("BEGIN"));
}

TEST_CASE("migrateDown reverses up automatically when the migration has no down") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({defineMigration({
      .name = "tz",
      .up = [](Builder& t) { return Steps{t.addColumn("users", "tz", t.text().optional())}; },
  })});
  Runner runner(db, source);
  runner.migrate();
  db.columns.insert("users.tz");
  runner.migrateDown();
  CHECK(db.ran("ALTER TABLE \"users\" DROP COLUMN \"tz\""));
  CHECK(db.rows.empty());
}

TEST_CASE("migrateDown refuses before running anything when a migration of the batch is irreversible") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({
      defineMigration({.name = "backfill", .up = Steps{rawSql("UPDATE users SET active = TRUE")}}),
      createTableMigration("m2", "b"),
  });
  Runner runner(db, source);
  runner.migrate();
  db.log.clear();
  try {
    runner.migrateDown();
    FAIL("migrateDown did not throw");
  } catch (const MigrationError& e) {
    CHECK(e.migration() == "backfill");
    CHECK_THAT(e.what(), Contains("step 1 of 1") && Contains("rawSql(\"UPDATE users SET active = TRUE\")"));
  }
  // m2 would be rolled back first; the plan must fail before it runs.
  CHECK_FALSE(db.ran("DROP TABLE b"));
  CHECK_FALSE(db.ran("BEGIN"));
  CHECK(db.names() == std::vector<std::string>{"backfill", "m2"});
  CHECK(db.log.back() == "UNLOCK jsorm_migrations");
}

TEST_CASE("migrateDown refuses when an applied migration of the batch is missing from the source") {
  FakeConnection db(sqliteDialect());
  db.addRow("m1", 1);
  db.addRow("gone", 1);
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner runner(db, source);
  try {
    runner.migrateDown();
    FAIL("migrateDown did not throw");
  } catch (const MigrationError& e) {
    CHECK(e.migration() == "gone");
    CHECK_THAT(e.what(), Contains("cannot roll back batch 1") && Contains("no longer defines it"));
  }
  CHECK_FALSE(db.ran("DROP TABLE a"));
  CHECK(db.rows.size() == 2);
}

TEST_CASE("a failing statement rolls back and names the migration, the step, the statement and the database message") {
  FakeConnection db(sqliteDialect());
  db.failOn = "CREATE TABLE b";
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b")});
  Runner runner(db, source);
  try {
    runner.migrate();
    FAIL("migrate did not throw");
  } catch (const MigrationError& e) {
    CHECK(e.migration() == "m2");
    CHECK(std::string(e.what()) ==
          "migration 'm2' failed at step 1 of 1 (rawSql(\"CREATE TABLE b (id INTEGER)\")): table b already exists "
          "[42P07] -- statement: CREATE TABLE b (id INTEGER)");
  }
  CHECK(db.names() == std::vector<std::string>{"m1"});
  const auto failed = db.position("CREATE TABLE b (id INTEGER)");
  REQUIRE(failed + 1 < db.log.size());
  CHECK(db.log[failed + 1] == "ROLLBACK");
  CHECK(db.log.back() == "UNLOCK jsorm_migrations");
}

TEST_CASE("a migration with transaction = false runs without BEGIN and records its row after its statements") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({defineMigration({
      .name = "nontx",
      .up = Steps{rawSql("CREATE INDEX CONCURRENTLY i ON t (c)", "DROP INDEX i")},
      .transaction = false,
  })});
  Runner runner(db, source);
  runner.migrate();
  CHECK_FALSE(db.ran("BEGIN"));
  CHECK_FALSE(db.ran("COMMIT"));
  CHECK(db.position("CREATE INDEX CONCURRENTLY i ON t (c)") < db.position(kInsert));
  CHECK(db.names() == std::vector<std::string>{"nontx"});
}

TEST_CASE("a concurrent createIndex makes its migration run outside a transaction") {
  FakeConnection db(postgresDialect());
  const MigrationSource source = sourceOf({defineMigration({
      .name = "idx",
      .up = [](Builder& t) { return Steps{t.createIndex("users", {"email"}, {.concurrently = true})}; },
  })});
  Runner runner(db, source);
  runner.migrate();
  CHECK(db.ran("CREATE INDEX CONCURRENTLY \"users_email_index\" ON \"users\" (\"email\")"));
  CHECK_FALSE(db.ran("BEGIN"));
}

TEST_CASE("the runner uses the connection's dialect for the tracking table's placeholders") {
  FakeConnection db(postgresDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner runner(db, source);
  runner.migrate();
  CHECK(db.ran(postgresDialect().createTrackingTable("jsorm_migrations")));
  CHECK(db.ran("INSERT INTO \"jsorm_migrations\" (\"name\", \"batch\", \"checksum\", \"execution_ms\") VALUES ($1, $2, "
               "$3, $4)"));
}

TEST_CASE("the runner skips a guarded statement when its column does not exist") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({defineMigration({
      .name = "drop-tz",
      .up = [](Builder& t) { return Steps{t.dropColumn("users", "tz", {.ifExists = true})}; },
  })});
  Runner runner(db, source);
  runner.migrate();
  CHECK_FALSE(db.ran("ALTER TABLE \"users\" DROP COLUMN \"tz\""));
  CHECK_FALSE(db.ran("DROP INDEX IF EXISTS \"users_tz_index\""));
  CHECK(db.names() == std::vector<std::string>{"drop-tz"});
}

TEST_CASE("the runner runs a guarded statement when its column exists") {
  FakeConnection db(sqliteDialect());
  db.columns.insert("users.tz");
  const MigrationSource source = sourceOf({defineMigration({
      .name = "drop-tz",
      .up = [](Builder& t) { return Steps{t.dropColumn("users", "tz", {.ifExists = true})}; },
  })});
  Runner runner(db, source);
  runner.migrate();
  CHECK(db.ran("DROP INDEX IF EXISTS \"users_tz_index\""));
  CHECK(db.ran("DROP INDEX IF EXISTS \"users_tz_unique\""));
  CHECK(db.ran("ALTER TABLE \"users\" DROP COLUMN \"tz\""));
}

TEST_CASE("the runner adds checksum and execution_ms to a tracking table made by another jsorm") {
  FakeConnection db(sqliteDialect());
  db.trackingExists = true;
  db.trackingColumns = {"id", "name", "batch", "applied_at"};
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner runner(db, source);
  runner.migrate();
  CHECK_FALSE(db.ran(sqliteDialect().createTrackingTable("jsorm_migrations")));
  CHECK(db.ran("ALTER TABLE \"jsorm_migrations\" ADD COLUMN \"checksum\" TEXT"));
  CHECK(db.ran("ALTER TABLE \"jsorm_migrations\" ADD COLUMN \"execution_ms\" INTEGER"));
}

TEST_CASE("the tracking table is read by column name, without case, in one statement") {
  FakeConnection db(sqliteDialect());
  db.trackingExists = true;
  db.trackingColumns = {"id", "name", "batch", "applied_at"};
  db.rows.push_back({1, "m1", 3, ""});
  // A table another tool made, with upper-case names and its columns in another order.
  db.reshape = [](ResultSet& result) {
    result.columns = {"BATCH", "Applied_At", "NAME", "Id", "applied_at_text"};
    for (auto& row : result.rows) row = {row[2], row[3], row[1], row[0], row[4]};
  };
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner runner(db, source);
  const auto statuses = runner.status();
  REQUIRE(statuses.size() == 1);
  REQUIRE(statuses[0].applied);
  CHECK(statuses[0].applied->id == 1);
  CHECK(statuses[0].applied->batch == 3);
  CHECK(statuses[0].applied->appliedAt == "2024-01-02 03:04:05");
  CHECK(statuses[0].applied->checksum.empty());
  CHECK(statuses[0].state == MigrationState::Applied);
  CHECK(db.log == std::vector<std::string>{kSelect});

  db.reshape = [](ResultSet& result) {
    result.columns = {"id", "name", "applied_at", "applied_at_text"};
    for (auto& row : result.rows) row = {row[0], row[1], row[3], row[4]};
  };
  CHECK_THROWS_WITH(runner.status(), "the tracking table 'jsorm_migrations' has no column 'batch', so no jsorm made it; "
                                     "set the source's migrationTable to the table jsorm tracks migrations in");
}

TEST_CASE("the runner uses the source's migrationTable for the lock and the tracking SQL") {
  FakeConnection db(sqliteDialect(), "schema_history");
  MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  source.migrationTable = "schema_history";
  Runner runner(db, source);
  runner.migrate();
  CHECK(db.log.front() == "LOCK schema_history");
  CHECK(db.ran(sqliteDialect().createTrackingTable("schema_history")));
  CHECK(db.ran("INSERT INTO \"schema_history\" (\"name\", \"batch\", \"checksum\", \"execution_ms\") VALUES (?1, ?2, "
               "?3, ?4)"));
  CHECK(db.log.back() == "UNLOCK schema_history");
}

TEST_CASE("a dry run reports every statement and changes nothing") {
  FakeConnection db(sqliteDialect());
  RecordingObserver observer;
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner runner(db, source, {.dryRun = true, .observer = &observer});
  const RunResult result = runner.migrate();
  CHECK(result.migrations == std::vector<std::string>{"m1"});
  CHECK(db.log == std::vector<std::string>{"LOCK jsorm_migrations", "UNLOCK jsorm_migrations"});
  CHECK(db.rows.empty());
  REQUIRE(observer.statements.size() == 5);
  CHECK(observer.statements[0] == sqliteDialect().createTrackingTable("jsorm_migrations"));
  CHECK(observer.statements[1] == "BEGIN");
  CHECK(observer.statements[2] == "CREATE TABLE a (id INTEGER)");
  CHECK_THAT(observer.statements[3],
             StartsWith("INSERT INTO \"jsorm_migrations\" (\"name\", \"batch\", \"checksum\", \"execution_ms\") VALUES "
                        "('m1', 1, '" +
                        checksum(source.migrations[0]) + "', "));
  CHECK(observer.statements[4] == "COMMIT");
  CHECK(observer.events == std::vector<std::string>{"up m1", "done m1"});
}

TEST_CASE("the observer hears each step start and finish around exactly that step's statements") {
  FakeConnection db(sqliteDialect());
  // What migrate --dry-run --json groups by: the transaction and tracking statements fall outside every step.
  class StepObserver final : public RunObserver {
   public:
    void stepStarted(std::size_t index, const std::string& description) override {
      events.push_back("step " + std::to_string(index) + " " + description);
    }
    void stepFinished(std::size_t index) override { events.push_back("end " + std::to_string(index)); }
    void statement(const std::string& sql) override { events.push_back(sql.substr(0, sql.find(" VALUES"))); }
    std::vector<std::string> events;
  } observer;
  const MigrationSource source = sourceOf({defineMigration({
      .name = "two-steps",
      .up = Steps{rawSql("CREATE TABLE a (id INTEGER)", "DROP TABLE a"), rawSql("CREATE TABLE b (id INTEGER)", "DROP TABLE b")},
  })});
  Runner runner(db, source, {.dryRun = true, .observer = &observer});
  runner.migrate();
  const std::string insert = "INSERT INTO \"jsorm_migrations\" (\"name\", \"batch\", \"checksum\", \"execution_ms\")";
  CHECK(observer.events == std::vector<std::string>{sqliteDialect().createTrackingTable("jsorm_migrations"),
                                                    "BEGIN",
                                                    "step 0 rawSql(\"CREATE TABLE a (id INTEGER)\")",
                                                    "CREATE TABLE a (id INTEGER)",
                                                    "end 0",
                                                    "step 1 rawSql(\"CREATE TABLE b (id INTEGER)\")",
                                                    "CREATE TABLE b (id INTEGER)",
                                                    "end 1",
                                                    insert,
                                                    "COMMIT"});

  // Rolling back reports its down steps, newest first, the same way.
  db.addRow("two-steps", 1, checksum(source.migrations[0]));
  observer.events.clear();
  runner.migrateDown();
  CHECK(observer.events == std::vector<std::string>{"BEGIN", "step 0 rawSql(\"DROP TABLE b\")", "DROP TABLE b", "end 0",
                                                    "step 1 rawSql(\"DROP TABLE a\")", "DROP TABLE a", "end 1",
                                                    "DELETE FROM \"jsorm_migrations\" WHERE \"name\" = 'two-steps'",
                                                    "COMMIT"});
}

TEST_CASE("status lists applied, changed, pending and then missing migrations") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b"),
                                           createTableMigration("m3", "c"), createTableMigration("m4", "d")});
  db.addRow("m1", 1, checksum(source.migrations[0]));
  db.addRow("m2", 1, "0000000000000000");
  db.addRow("m3", 2);  // recorded by a tool that kept no checksum
  db.addRow("gone", 2, "1111111111111111");
  Runner runner(db, source);
  const auto statuses = runner.status();
  REQUIRE(statuses.size() == 5);
  CHECK(statuses[0].name == "m1");
  CHECK(statuses[0].state == MigrationState::Applied);
  CHECK(statuses[1].name == "m2");
  CHECK(statuses[1].state == MigrationState::Changed);
  CHECK(statuses[2].name == "m3");
  CHECK(statuses[2].state == MigrationState::Applied);
  CHECK(statuses[3].name == "m4");
  CHECK(statuses[3].state == MigrationState::Pending);
  CHECK_FALSE(statuses[3].applied.has_value());
  CHECK(statuses[4].name == "gone");
  CHECK(statuses[4].state == MigrationState::Missing);
  REQUIRE(statuses[0].applied.has_value());
  CHECK(statuses[0].applied->batch == 1);
  CHECK(statuses[0].applied->appliedAt == "2024-01-02 03:04:05");
  CHECK_FALSE(statuses[0].applied->executionMs.has_value());
}

// Rows in source order are paired by position, others by name: both must give each
// migration its own row, whole.
TEST_CASE("status pairs each migration with its own row whether the table is in source order or not") {
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b"),
                                           createTableMigration("m3", "c")});
  auto expectPaired = [&](const std::vector<MigrationStatus>& statuses) {
    REQUIRE(statuses.size() == 3);
    for (std::size_t i = 0; i < 2; ++i) {
      INFO(statuses[i].name);
      REQUIRE(statuses[i].applied.has_value());
      CHECK(statuses[i].applied->name == statuses[i].name);
      CHECK(statuses[i].applied->appliedAt == "2024-01-02 03:04:05");
    }
    CHECK(statuses[0].name == "m1");
    CHECK(statuses[0].state == MigrationState::Applied);
    CHECK(statuses[0].applied->batch == 1);
    CHECK(statuses[0].applied->checksum == checksum(source.migrations[0]));
    CHECK(statuses[1].name == "m2");
    CHECK(statuses[1].state == MigrationState::Changed);
    CHECK(statuses[1].applied->batch == 2);
    CHECK(statuses[1].applied->checksum == "0000000000000000");
    CHECK(statuses[2].name == "m3");
    CHECK(statuses[2].state == MigrationState::Pending);
    CHECK_FALSE(statuses[2].applied.has_value());
  };
  SECTION("in source order") {
    FakeConnection db(sqliteDialect());
    db.addRow("m1", 1, checksum(source.migrations[0]));
    db.addRow("m2", 2, "0000000000000000");
    Runner runner(db, source);
    expectPaired(runner.status());
  }
  SECTION("out of source order") {
    FakeConnection db(sqliteDialect());
    db.addRow("m2", 2, "0000000000000000");
    db.addRow("m1", 1, checksum(source.migrations[0]));
    Runner runner(db, source);
    expectPaired(runner.status());
  }
  SECTION("a later migration applied before an earlier one") {
    FakeConnection db(sqliteDialect());
    db.addRow("m1", 1, checksum(source.migrations[0]));
    db.addRow("m3", 1, checksum(source.migrations[2]));
    Runner runner(db, source);
    const auto statuses = runner.status();
    REQUIRE(statuses.size() == 3);
    CHECK(statuses[1].state == MigrationState::Pending);
    CHECK(statuses[2].state == MigrationState::Applied);
    REQUIRE(statuses[2].applied.has_value());
    CHECK(statuses[2].applied->name == "m3");
  }
}
TEST_CASE("status without a tracking table reports every migration pending and creates nothing") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner runner(db, source);
  const auto statuses = runner.status();
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].state == MigrationState::Pending);
  CHECK(db.log.empty());
}

TEST_CASE("the runner reads ids and batches that the database returns as text") {
  FakeConnection db(postgresDialect());
  db.cellsAsText = true;
  db.addRow("m1", 7);
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b")});
  Runner runner(db, source);
  const auto statuses = runner.status();
  REQUIRE(statuses[0].applied.has_value());
  CHECK(statuses[0].applied->id == 1);
  CHECK(statuses[0].applied->batch == 7);
  CHECK(runner.migrate().batch == 8);
}

TEST_CASE("migrationStateName names each state") {
  CHECK(std::string(migrationStateName(MigrationState::Applied)) == "applied");
  CHECK(std::string(migrationStateName(MigrationState::Pending)) == "pending");
  CHECK(std::string(migrationStateName(MigrationState::Missing)) == "missing");
  CHECK(std::string(migrationStateName(MigrationState::Changed)) == "changed");
}

TEST_CASE("migrate refuses before running anything when an applied migration changed") {
  FakeConnection db(sqliteDialect());
  db.addRow("m1", 1, "0000000000000000");
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b")});
  Runner runner(db, source);
  try {
    runner.migrate();
    FAIL("migrate did not throw");
  } catch (const MigrationError& e) {
    CHECK(e.migration() == "m1");
    CHECK_THAT(e.what(), Contains("changed since they were applied: 'm1'") && Contains("migrate:repair"));
  }
  CHECK_FALSE(db.ran("BEGIN"));
  CHECK_FALSE(db.ran("CREATE TABLE b (id INTEGER)"));
  CHECK(db.log.back() == "UNLOCK jsorm_migrations");
}

TEST_CASE("migrateUp refuses when an applied migration left the source") {
  FakeConnection db(sqliteDialect());
  db.addRow("gone", 1, "1111111111111111");
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner runner(db, source);
  try {
    runner.migrateUp();
    FAIL("migrateUp did not throw");
  } catch (const MigrationError& e) {
    CHECK(e.migration() == "gone");
    CHECK_THAT(e.what(), Contains("applied but no longer in the source: 'gone'"));
  }
  CHECK_FALSE(db.ran("CREATE TABLE a (id INTEGER)"));
}

TEST_CASE("rollback rolls back every batch, newest batch first and newest migration first within it") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source =
      sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b"), createTableMigration("m3", "c")});
  Runner runner(db, source);
  runner.migrateUp();
  runner.migrate();
  const RunResult result = runner.rollback();
  CHECK(result.batch == 2);
  CHECK(result.migrations == std::vector<std::string>{"m3", "m2", "m1"});
  CHECK(db.position("DROP TABLE c") < db.position("DROP TABLE b"));
  CHECK(db.position("DROP TABLE b") < db.position("DROP TABLE a"));
  CHECK(db.rows.empty());
}

TEST_CASE("rollback orders by batch before the order of application") {
  FakeConnection db(sqliteDialect());
  db.addRow("m1", 2, {});  // applied first, but in the later batch
  db.addRow("m2", 1, {});
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b")});
  Runner runner(db, source);
  CHECK(runner.rollback().migrations == std::vector<std::string>{"m1", "m2"});
}

TEST_CASE("rollback with a step count rolls back only that many migrations") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source =
      sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b"), createTableMigration("m3", "c")});
  Runner runner(db, source);
  runner.migrate();
  CHECK(runner.rollback(1).migrations == std::vector<std::string>{"m3"});
  CHECK(db.names() == std::vector<std::string>{"m1", "m2"});
  CHECK(runner.rollback(0).migrations.empty());
  CHECK(runner.rollback(10).migrations == std::vector<std::string>{"m2", "m1"});
}

TEST_CASE("rollback refuses before running anything when any migration is irreversible") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({
      defineMigration({.name = "backfill", .up = Steps{rawSql("UPDATE users SET active = TRUE")}}),
      createTableMigration("m2", "b"),
  });
  Runner runner(db, source);
  runner.migrateUp();
  runner.migrateUp();
  CHECK_THROWS_AS(runner.rollback(), MigrationError);
  CHECK_FALSE(db.ran("DROP TABLE b"));
  CHECK(db.rows.size() == 2);
}

TEST_CASE("fresh drops every table and applies every migration as batch 1") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b")});
  Runner runner(db, source);
  runner.migrate();
  db.tableList = {"a", "b", "jsorm_migrations"};
  db.log.clear();
  const RunResult result = runner.fresh();
  CHECK(result.batch == 1);
  CHECK(result.migrations == std::vector<std::string>{"m1", "m2"});
  CHECK(db.log == std::vector<std::string>{
                      "LOCK jsorm_migrations",
                      "TABLES",
                      "PRAGMA foreign_keys = OFF",
                      "DROP TABLE IF EXISTS \"a\"",
                      "DROP TABLE IF EXISTS \"b\"",
                      "DROP TABLE IF EXISTS \"jsorm_migrations\"",
                      "PRAGMA foreign_keys = ON",
                      sqliteDialect().createTrackingTable("jsorm_migrations"),
                      "BEGIN",
                      "CREATE TABLE a (id INTEGER)",
                      kInsert,
                      "COMMIT",
                      "BEGIN",
                      "CREATE TABLE b (id INTEGER)",
                      kInsert,
                      "COMMIT",
                      "UNLOCK jsorm_migrations",
                  });
  CHECK(db.names() == std::vector<std::string>{"m1", "m2"});
}

TEST_CASE("repair re-records changed checksums and forgets missing migrations") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b")});
  db.addRow("m1", 1, checksum(source.migrations[0]));
  db.addRow("m2", 1, "0000000000000000");
  db.addRow("gone", 1, "1111111111111111");
  Runner runner(db, source);
  const auto repaired = runner.repair();
  REQUIRE(repaired.size() == 2);
  CHECK(repaired[0].name == "m2");
  CHECK(repaired[0].state == MigrationState::Changed);
  CHECK(repaired[1].name == "gone");
  CHECK(repaired[1].state == MigrationState::Missing);
  CHECK(db.ran(kUpdateChecksum));
  CHECK(db.ran(kDelete));
  CHECK(db.names() == std::vector<std::string>{"m1", "m2"});
  CHECK(db.rows[1].checksum == checksum(source.migrations[1]));
  CHECK_FALSE(db.ran("CREATE TABLE a (id INTEGER)"));
  for (const auto& status : runner.status()) CHECK(status.state == MigrationState::Applied);
}

TEST_CASE("repair with nothing changed repairs nothing") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  db.addRow("m1", 1, checksum(source.migrations[0]));
  Runner runner(db, source);
  CHECK(runner.repair().empty());
  CHECK_FALSE(db.ran(kUpdateChecksum));
}

// Building a migration's steps runs module code; a large source paid for it three times per
// command before validation handed its checksums to the runner.
TEST_CASE("a runner given validate()'s result builds no migration again for status") {
  FakeConnection db(sqliteDialect());
  int builds = 0;
  const MigrationSource source = sourceOf({defineMigration({
      .name = "m1",
      .up = [&builds](Builder&) {
        ++builds;
        return Steps{rawSql("CREATE TABLE a (id INTEGER)", "DROP TABLE a")};
      },
  })});
  auto validated = validate(source);
  CHECK(builds == 1);
  REQUIRE(validated.checksums.size() == 1);
  CHECK(validated.checksums[0] == checksum(source.migrations[0]));
  CHECK(builds == 2);  // checksum() on its own builds the steps
  db.addRow("m1", 1, validated.checksums[0]);

  Runner runner(db, source, {}, std::move(validated));
  const auto statuses = runner.status();
  REQUIRE(statuses.size() == 1);
  CHECK(statuses[0].state == MigrationState::Applied);
  CHECK(builds == 2);
}

TEST_CASE("a runner given a validation result of another source refuses to start") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a"), createTableMigration("m2", "b")});
  const MigrationSource other = sourceOf({createTableMigration("m1", "a")});
  CHECK_THROWS_WITH(Runner(db, source, {}, validate(other)), Contains("1 checksums for 2 migrations"));
}

TEST_CASE("the runner records the checksum validation computed") {
  FakeConnection db(sqliteDialect());
  const MigrationSource source = sourceOf({createTableMigration("m1", "a")});
  Runner(db, source).migrate();
  REQUIRE(db.rows.size() == 1);
  CHECK(db.rows[0].checksum == validate(source).checksums[0]);
  CHECK(db.rows[0].checksum == checksum(source.migrations[0]));
}
