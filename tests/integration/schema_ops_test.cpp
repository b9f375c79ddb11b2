// Every operation and field type, up and down, on the real database.
#include "test_database.hpp"

#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>

#include <catch2/catch.hpp>

using namespace jsorm;
using jsorm::test::sourceOf;
using jsorm::test::TestDatabase;

namespace {
const Model Team = defineModel("teams", {{"id", t.number().primary()}, {"name", t.string().unique()}});
const Model Member = defineModel("members", {
    {"id", t.bigint().primary()},
    {"handle", t.string(40).unique()},
    {"visits", t.bigint().defaultTo(0)},
    {"score", t.real().optional()},
    {"balance", t.decimal(12, 2).defaultTo(0)},
    {"bio", t.text().optional()},
    {"verified", t.boolean().defaultTo(false)},
    {"born", t.date().optional()},
    {"seen_at", t.timestamp().defaultRaw("CURRENT_TIMESTAMP")},
    {"settings", t.json().optional()},
    {"token", t.uuid().optional()},
    {"avatar", t.bytes().optional()},
    {"motto", t.string().defaultTo("it's fine")},
    {"team", t.belongsTo(Team).optional().index()},
    {"teams", t.manyToMany(Team)},
});
}  // namespace

TEST_CASE("createTable with every field type applies, accepts a row, and rolls back") {
  TestDatabase db;
  const auto source = sourceOf({defineMigration({
      .name = "create-all-types",
      .up = [](Builder& t) { return Steps{t.createTable(Team), t.createTable(Member)}; },
  })});
  Runner(db.db(), source).migrate();
  for (const char* column : {"id", "handle", "visits", "score", "balance", "bio", "verified", "born", "seen_at",
                             "settings", "token", "avatar", "motto", "team_id"}) {
    INFO(column);
    CHECK(db.hasColumn("members", column));
  }
  CHECK(db.hasTable("members_teams"));
  CHECK(db.hasColumn("members_teams", "members_id"));
  CHECK(db.hasColumn("members_teams", "teams_id"));

  db.db().execute("INSERT INTO teams (name) VALUES ('core')");
  db.db().execute("INSERT INTO members (handle, team_id) VALUES ('ada', 1)");
  const auto row = db.db().query("SELECT id, visits, verified, motto, balance FROM members");
  REQUIRE(row.rows.size() == 1);
  CHECK(std::get<std::int64_t>(row.rows[0][0]) == 1);  // generated key
  CHECK(std::get<std::int64_t>(row.rows[0][1]) == 0);
  const auto& verified = row.rows[0][2];
  CHECK((std::holds_alternative<bool>(verified) ? !std::get<bool>(verified) : std::get<std::int64_t>(verified) == 0));
  CHECK(std::get<std::string>(row.rows[0][3]) == "it's fine");
  // NOT NULL by default: a member without a handle is rejected.
  CHECK_THROWS_AS(db.db().execute("INSERT INTO members (visits) VALUES (1)"), SqlError);

  Runner(db.db(), source).migrateDown();
  CHECK_FALSE(db.hasTable("members"));
  CHECK_FALSE(db.hasTable("members_teams"));
  CHECK_FALSE(db.hasTable("teams"));
}

TEST_CASE("a migration without down is reversed automatically") {
  TestDatabase db;
  const auto source = sourceOf({
      defineMigration({.name = "create", .up = [](Builder& t) { return Steps{t.createTable(Team)}; }}),
      defineMigration({
          .name = "evolve",
          .up = [](Builder& t) {
            return Steps{
                t.addColumn("teams", "city", t.string().optional().index()),
                t.addColumn("teams", "code", t.string(8).optional().unique()),
                t.renameColumn("teams", "name", "title"),
                t.createIndex("teams", {"title", "city"}, {.name = "teams_title_city"}),
                t.rawSql("CREATE TABLE audit (id INTEGER)", "DROP TABLE audit"),
            };
          },
      }),
  });
  Runner(db.db(), source).migrateUp();
  Runner(db.db(), source).migrateUp();
  CHECK(db.hasColumn("teams", "city"));
  CHECK(db.hasColumn("teams", "code"));
  CHECK(db.hasColumn("teams", "title"));
  CHECK(db.hasTable("audit"));
  // The unique index made for `code` is enforced.
  db.db().execute("INSERT INTO teams (title, code) VALUES ('a', 'X')");
  CHECK_THROWS_AS(db.db().execute("INSERT INTO teams (title, code) VALUES ('b', 'X')"), SqlError);

  Runner(db.db(), source).migrateDown();
  CHECK_FALSE(db.hasTable("audit"));
  CHECK_FALSE(db.hasColumn("teams", "city"));
  CHECK_FALSE(db.hasColumn("teams", "code"));
  CHECK_FALSE(db.hasColumn("teams", "title"));
  CHECK(db.hasColumn("teams", "name"));
}

TEST_CASE("dropColumn with ifExists skips a column that is not there") {
  TestDatabase db;
  const auto source = sourceOf({
      defineMigration({.name = "create", .up = [](Builder& t) { return Steps{t.createTable(Team)}; }}),
      defineMigration({.name = "drop-twice",
                       .up = [](Builder& t) {
                         return Steps{t.dropColumn("teams", "name"), t.dropColumn("teams", "name", {.ifExists = true})};
                       },
                       .down = [](Builder& t) { return Steps{t.addColumn("teams", "name", t.string().optional())}; }}),
  });
  Runner(db.db(), source).migrate();
  CHECK_FALSE(db.hasColumn("teams", "name"));
  Runner(db.db(), source).migrateDown();
  CHECK_FALSE(db.hasTable("teams"));
}

TEST_CASE("renameTable and dropIndex apply") {
  TestDatabase db;
  const auto source = sourceOf({
      defineMigration({.name = "create", .up = [](Builder& t) {
                         return Steps{t.createTable(Team), t.createIndex("teams", {"name"}, {.name = "teams_by_name"})};
                       }}),
      defineMigration({.name = "rename",
                       .up = [](Builder& t) {
                         return Steps{t.dropIndex("teams", "teams_by_name"), t.renameTable("teams", "squads")};
                       },
                       .down = [](Builder& t) {
                         return Steps{t.renameTable("squads", "teams"),
                                      t.createIndex("teams", {"name"}, {.name = "teams_by_name"})};
                       }}),
  });
  Runner(db.db(), source).migrateUp();
  Runner(db.db(), source).migrateUp();
  CHECK(db.hasTable("squads"));
  CHECK_FALSE(db.hasTable("teams"));
  Runner(db.db(), source).migrateDown();
  CHECK(db.hasTable("teams"));
  CHECK_FALSE(db.hasTable("squads"));
}

TEST_CASE("identifiers with quotes, semicolons and Unicode are stored as written") {
  TestDatabase db;
  const std::string table = "odd\"table; DROP TABLE victims; --";
  const auto source = sourceOf({
      defineMigration({.name = "victims", .up = [](Builder& t) {
                         return Steps{t.createTable(defineModel("victims", {{"id", t.number().primary()}}))};
                       }}),
      defineMigration({.name = "odd", .up = [table](Builder& t) {
                         return Steps{t.createTable(defineModel(table, {
                                                                           {"id", t.number().primary()},
                                                                           {"naïve \"column\"", t.string().optional().index()},
                                                                           {"prix€", t.string().defaultTo("'; DROP TABLE victims; --")},
                                                                       }))};
                       }}),
  });
  Runner(db.db(), source).migrate();
  CHECK(db.hasTable("victims"));
  CHECK(db.hasTable(table));
  CHECK(db.hasColumn(table, "naïve \"column\""));
  CHECK(db.hasColumn(table, "prix€"));
  const std::string quoted = db.db().dialect().quoteIdentifier(table);
  db.db().execute("INSERT INTO " + quoted + db.db().dialect().defaultValuesClause());
  const auto row = db.db().query("SELECT " + db.db().dialect().quoteIdentifier("prix€") + " FROM " + quoted);
  CHECK(std::get<std::string>(row.rows.at(0).at(0)) == "'; DROP TABLE victims; --");
  Runner(db.db(), source).migrateDown();
  CHECK_FALSE(db.hasTable(table));
  CHECK_FALSE(db.hasTable("victims"));
}

TEST_CASE("a migration with transaction = false is recorded only after it succeeds") {
  TestDatabase db;
  const auto source = sourceOf({defineMigration({
      .name = "outside-transaction",
      .up = Steps{rawSql("CREATE TABLE made_outside (id INTEGER)", "DROP TABLE made_outside"),
                  rawSql("INSERT INTO not_there VALUES (1)")},
      .transaction = false,
  })});
  CHECK_THROWS_AS(Runner(db.db(), source).migrate(), MigrationError);
  // Outside a transaction the first statement stays, and the migration stays pending.
  CHECK(db.hasTable("made_outside"));
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 0);
}

TEST_CASE("the seed's GIN full-text index applies and rolls back", "[pg]") {
  TestDatabase db;
  const auto source = sourceOf({
      defineMigration({.name = "users", .up = [](Builder& t) {
                         return Steps{t.createTable(defineModel("users", {{"id", t.number().primary()}, {"name", t.string()}}))};
                       }}),
      defineMigration({.name = "fts",
                       .up = Steps{rawSql("CREATE INDEX users_name_fts ON users USING GIN (to_tsvector('english', name))",
                                          "DROP INDEX IF EXISTS users_name_fts")}}),
  });
  Runner(db.db(), source).migrate();
  CHECK(db.count("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'users_name_fts'") == 1);
  Runner(db.db(), source).migrateDown();
  CHECK_FALSE(db.hasTable("users"));
}

TEST_CASE("a CONCURRENTLY index migration runs outside a transaction and is recorded", "[pg]") {
  TestDatabase db;
  const auto source = sourceOf({
      defineMigration({.name = "users", .up = [](Builder& t) {
                         return Steps{t.createTable(defineModel("users", {{"id", t.number().primary()}, {"email", t.string()}}))};
                       }}),
      defineMigration({.name = "index-email", .up = [](Builder& t) {
                         return Steps{t.createIndex("users", {"email"}, {.unique = true, .concurrently = true})};
                       }}),
  });
  Runner(db.db(), source).migrate();
  CHECK(db.count("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'users_email_unique'") == 1);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations WHERE name = 'index-email'") == 1);
}

TEST_CASE("a renamed table leaves no name behind for a new table of the old name") {
  test::TestDatabase scratch;
  const Model Users = defineModel("users", {{"id", t.number().primary()}, {"name", t.string()}});
  const Model Posts = defineModel("posts", {{"id", t.number().primary()}, {"author", t.belongsTo(Users)}});
  const Model NewUsers = defineModel("users", {{"id", t.number().primary()}, {"email", t.string()}});
  auto source = test::sourceOf({
      defineMigration({.name = "create", .up = [&](Builder& t) { return Steps{t.createTable(Users), t.createTable(Posts)}; }}),
      defineMigration({.name = "rename", .up = [](Builder& t) { return Steps{t.renameTable("users", "people")}; }}),
      defineMigration({.name = "recreate", .up = [&](Builder& t) { return Steps{t.createTable(NewUsers)}; }}),
  });
  Runner runner(scratch.db(), source);
  REQUIRE(runner.migrate().migrations.size() == 3);
  CHECK(scratch.hasTable("people"));
  CHECK(scratch.hasTable("users"));
  scratch.db().execute("INSERT INTO users (email) VALUES ('a@example.com')");
  scratch.db().execute("INSERT INTO people (name) VALUES ('Ada')");
  if (scratch.isPostgres()) {
    CHECK(scratch.count("SELECT COUNT(*) FROM pg_constraint WHERE conname = 'people_pkey'") == 1);
    CHECK(scratch.count("SELECT COUNT(*) FROM pg_class WHERE relname = 'people_id_seq'") == 1);
  }
  // And back: rolling everything back restores the first names.
  CHECK(runner.rollback().migrations.size() == 3);
  // The tracking table, and on MySQL its step journal.
  CHECK(scratch.tables().size() == (scratch.isMysql() ? 2u : 1u));
}

// hasTable and hasColumn answer from the catalog as it is at the call: after this
// connection's statements, a batch, a rolled-back transaction, and another session's change
// that this connection never heard of (a long-lived connection checking on a CLI run).
TEST_CASE("catalog lookups follow every change the connection makes") {
  TestDatabase database;
  Connection& db = database.db();
  CHECK_FALSE(db.hasTable("lookups"));
  CHECK_FALSE(db.hasColumn("lookups", "a"));
  db.execute("CREATE TABLE lookups (a INTEGER)");
  CHECK(db.hasTable("lookups"));
  CHECK(db.hasColumn("lookups", "a"));
  CHECK_FALSE(db.hasColumn("lookups", "b"));
  CHECK_FALSE(db.hasTable("other_lookups"));
  CHECK(db.hasColumn("lookups", "a"));  // back to the first table after another one

  db.execute("ALTER TABLE lookups ADD COLUMN b INTEGER");
  CHECK(db.hasColumn("lookups", "b"));
  db.executeAll({BatchStatement{BatchStatement::Kind::Sql, "ALTER TABLE lookups ADD COLUMN c INTEGER", nullptr}});
  CHECK(db.hasColumn("lookups", "c"));

  if (!database.isMysql()) {  // DDL inside a transaction, undone by its rollback
    db.begin();
    db.execute("ALTER TABLE lookups ADD COLUMN d INTEGER");
    CHECK(db.hasColumn("lookups", "d"));
    db.rollback();
    CHECK_FALSE(db.hasColumn("lookups", "d"));
  }

  CHECK_FALSE(db.hasColumn("lookups", "e"));
  database.connect()->execute("ALTER TABLE lookups ADD COLUMN e INTEGER");
  CHECK(db.hasColumn("lookups", "e"));
  database.connect()->execute("DROP TABLE lookups");
  CHECK_FALSE(db.hasTable("lookups"));
  CHECK_FALSE(db.hasColumn("lookups", "a"));

  if (database.isPostgres()) {  // a table without columns still exists
    db.execute("CREATE TABLE no_columns ()");
    CHECK(db.hasTable("no_columns"));
    CHECK_FALSE(db.hasColumn("no_columns", "a"));
  }
  if (database.isMysql()) {  // column names compare without case there
    db.execute("CREATE TABLE cased (Mixed INTEGER)");
    CHECK(db.hasColumn("cased", "mixed"));
    CHECK(db.hasColumn("cased", "MIXED"));
  }
}
