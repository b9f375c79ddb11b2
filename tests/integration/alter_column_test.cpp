// alterColumn on the real database: up, down, the data kept, and on SQLite a table rebuild
// that keeps indexes, foreign keys, triggers, views and the AUTOINCREMENT counter; a failing
// alter leaves the table and the tracking table as they were.
#include "test_database.hpp"

#include <jsorm/error.hpp>
#include <jsorm/runner.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;
using jsorm::test::sourceOf;
using jsorm::test::TestDatabase;

namespace {
const Model Author = defineModel("authors", {{"id", t.number().primary()}, {"name", t.string(40)}});
const Model Post = defineModel("posts", {
    {"id", t.number().primary()},
    {"title", t.string(20)},
    {"slug", t.string(40).unique()},
    {"views", t.string(10).optional().index()},
    {"author", t.belongsTo(Author)},
});

const Migration createPosts = defineMigration({
    .name = "create",
    .up = [](Builder& t) {
      return Steps{t.createTable(Author), t.createTable(Post),
                   t.createIndex("posts", {"author_id", "title"}, {.name = "posts_by_author"})};
    },
});

// The title becomes longer, optional, with a default; views (text holding numbers) a number.
const Migration alterPosts = defineMigration({
    .name = "alter",
    .up = [](Builder& t) {
      return Steps{
          t.alterColumn("posts", "title", t.string(200).optional().defaultTo("untitled"), {.from = t.string(20)}),
          t.alterColumn("posts", "views", t.number().optional(), {.from = t.string(10).optional()}),
      };
    },
});

const ColumnSnapshot& columnOf(const SchemaSnapshot& schema, const std::string& table, const std::string& column) {
  const TableSnapshot* t = schema.table(table);
  REQUIRE(t);
  const ColumnSnapshot* c = t->column(column);
  REQUIRE(c);
  return *c;
}

std::vector<std::string> indexesOf(const SchemaSnapshot& schema, const std::string& table) {
  std::vector<std::string> out;
  for (const auto& index : schema.table(table)->indexes) {
    std::string columns;
    for (const auto& c : index.columns) columns += c + ",";
    out.push_back(index.name + "(" + columns + ")" + (index.unique ? " unique" : ""));
  }
  std::sort(out.begin(), out.end());
  return out;
}

void seed(TestDatabase& db) {
  db.db().execute("INSERT INTO authors (id, name) VALUES (1, 'ada'), (2, 'grace')");
  db.db().execute("INSERT INTO posts (id, title, slug, views, author_id) VALUES "
                  "(1, 'first', 'first', '42', 1), (2, 'second', 'second', NULL, 2), (3, 'third', 'third', '7', 1)");
}

// Every statement shown, for a dry run.
class Recorder : public RunObserver {
 public:
  void statement(const std::string& sql) override { statements.push_back(sql); }
  std::vector<std::string> statements;
};

bool anyStartsWith(const std::vector<std::string>& statements, const std::string& prefix) {
  return std::any_of(statements.begin(), statements.end(), [&](const auto& s) { return s.rfind(prefix, 0) == 0; });
}
}  // namespace

TEST_CASE("alterColumn changes type, nullability and default, keeps the data, indexes and foreign keys, and rolls back") {
  TestDatabase db;
  const auto source = sourceOf({createPosts, alterPosts});
  Runner(db.db(), source).migrateTo("create");
  seed(db);
  const SchemaSnapshot before = db.db().introspect();

  Runner(db.db(), source).migrate();
  const SchemaSnapshot after = db.db().introspect();
  CHECK(columnOf(after, "posts", "title").nullable);
  CHECK(columnOf(after, "posts", "views").type == FieldType::Number);
  REQUIRE(columnOf(after, "posts", "author_id").references.has_value());
  CHECK(columnOf(after, "posts", "author_id").references->table == "authors");
  CHECK(indexesOf(after, "posts") == indexesOf(before, "posts"));
  CHECK(after.table("posts")->columns.size() == before.table("posts")->columns.size());

  // The rows, converted where the type changed.
  const auto rows = db.db().query("SELECT id, title, views FROM posts ORDER BY id");
  REQUIRE(rows.rows.size() == 3);
  CHECK(std::get<std::string>(rows.rows[0][1]) == "first");
  CHECK(std::get<std::int64_t>(rows.rows[0][2]) == 42);
  CHECK(std::holds_alternative<std::monostate>(rows.rows[1][2]));
  CHECK(std::get<std::int64_t>(rows.rows[2][2]) == 7);
  // The new default and nullability hold; the unique index and the foreign key still do.
  db.db().execute("INSERT INTO posts (id, slug, author_id) VALUES (4, 'fourth', 2)");
  CHECK(db.count("SELECT COUNT(*) FROM posts WHERE id = 4 AND title = 'untitled'") == 1);
  db.db().execute("INSERT INTO posts (id, title, slug, author_id) VALUES (5, NULL, 'fifth', 2)");
  CHECK_THROWS_AS(db.db().execute("INSERT INTO posts (id, title, slug, author_id) VALUES (6, 'x', 'first', 1)"),
                  SqlError);
  CHECK_THROWS_AS(db.db().execute("INSERT INTO posts (id, title, slug, author_id) VALUES (7, 'x', 'seventh', 99)"),
                  SqlError);

  // Down: back to what .from says, after the rows that would not fit are gone.
  db.db().execute("DELETE FROM posts WHERE id IN (4, 5)");
  Runner(db.db(), source).migrateDown();
  const SchemaSnapshot undone = db.db().introspect();
  CHECK_FALSE(columnOf(undone, "posts", "title").nullable);
  CHECK_FALSE(columnOf(undone, "posts", "title").defaultValue.has_value());
  CHECK(columnOf(undone, "posts", "views").type == FieldType::String);
  CHECK(indexesOf(undone, "posts") == indexesOf(before, "posts"));
  CHECK(db.count("SELECT COUNT(*) FROM posts") == 3);
  CHECK(db.count("SELECT COUNT(*) FROM posts WHERE views = '42'") == 1);
  CHECK_THROWS_AS(db.db().execute("INSERT INTO posts (id, title, slug, author_id) VALUES (8, NULL, 'eighth', 1)"),
                  SqlError);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
}

TEST_CASE("a failing alterColumn leaves the table, its rows and the tracking table as they were") {
  TestDatabase db;
  const Migration requireViews = defineMigration({
      .name = "require-views",
      .up = [](Builder& t) {
        return Steps{t.alterColumn("posts", "views", t.string(10), {.from = t.string(10).optional()})};
      },
  });
  const auto source = sourceOf({createPosts, requireViews});
  Runner(db.db(), source).migrateTo("create");
  seed(db);  // post 2 has no views
  const SchemaSnapshot before = db.db().introspect();

  try {
    Runner(db.db(), source).migrate();
    FAIL("making a column with NULLs NOT NULL should fail");
  } catch (const MigrationError& e) {
    CHECK(e.migration() == "require-views");
    CHECK_THAT(e.what(), Contains("step 1 of 1 (alterColumn(\"posts\", \"views\"))"));
  }
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
  const auto statuses = Runner(db.db(), source).status();
  REQUIRE(statuses.size() == 2);
  CHECK(statuses[1].state == MigrationState::Pending);
  const SchemaSnapshot now = db.db().introspect();
  CHECK(columnOf(now, "posts", "views").nullable);
  CHECK(indexesOf(now, "posts") == indexesOf(before, "posts"));
  std::vector<std::string> tables;
  for (const auto& table : now.tables) tables.push_back(table.name);
  std::vector<std::string> tablesBefore;
  for (const auto& table : before.tables) tablesBefore.push_back(table.name);
  CHECK(tables == tablesBefore);  // no half-built table left behind
  CHECK(db.count("SELECT COUNT(*) FROM posts") == 3);
  // Foreign keys are enforced again on this connection.
  CHECK_THROWS_AS(db.db().execute("INSERT INTO posts (id, title, slug, author_id) VALUES (9, 'x', 'ninth', 99)"),
                  SqlError);

  // Once the NULL is filled in, the same migration applies.
  db.db().execute("UPDATE posts SET views = '0' WHERE views IS NULL");
  Runner(db.db(), source).migrate();
  CHECK_FALSE(columnOf(db.db().introspect(), "posts", "views").nullable);
}

TEST_CASE("SQLite's rebuild keeps triggers, views, the AUTOINCREMENT counter and rows that cascade", "[sqlite]") {
  TestDatabase db;
  const Model Log = defineModel("logs", {{"id", t.bigint().primary()}, {"body", t.string(20)}});
  const auto source = sourceOf({
      defineMigration({
          .name = "create",
          .up = [Log](Builder& t) {
            return Steps{
                t.createTable(Log),
                t.rawSql("CREATE TABLE notes (id INTEGER PRIMARY KEY, log_id INTEGER REFERENCES logs (id) "
                         "ON DELETE CASCADE)"),
                t.rawSql("CREATE TABLE audit (body TEXT)"),
                t.rawSql("CREATE TRIGGER logs_audit AFTER INSERT ON logs BEGIN INSERT INTO audit VALUES (NEW.body); "
                         "END"),
                t.rawSql("CREATE VIEW log_bodies AS SELECT body FROM logs"),
            };
          },
      }),
      defineMigration({
          .name = "widen",
          .up = [](Builder& t) { return Steps{t.alterColumn("logs", "body", t.text(), {.from = t.string(20)})}; },
      }),
  });
  Runner(db.db(), source).migrateTo("create");
  db.db().execute("INSERT INTO logs (body) VALUES ('a'), ('b'), ('c')");
  db.db().execute("DELETE FROM logs WHERE id = 3");  // the counter stays at 3
  db.db().execute("INSERT INTO notes (id, log_id) VALUES (1, 1), (2, 2)");

  Runner(db.db(), source).migrate();
  CHECK(columnOf(db.db().introspect(), "logs", "body").type == FieldType::Text);
  CHECK(db.count("SELECT COUNT(*) FROM notes") == 2);  // not cascaded away by the DROP TABLE
  CHECK(db.count("SELECT COUNT(*) FROM log_bodies") == 2);
  db.db().execute("INSERT INTO logs (body) VALUES ('d')");
  CHECK(db.count("SELECT MAX(id) FROM logs") == 4);  // 3 is not reused
  CHECK(db.count("SELECT COUNT(*) FROM audit") == 4);  // the trigger fired again
  CHECK(db.count("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%jsorm_rebuild%'") == 0);
  db.db().execute("DELETE FROM logs WHERE id = 1");  // foreign keys are on again: it cascades
  CHECK(db.count("SELECT COUNT(*) FROM notes") == 1);

  // An emptied table keeps its counter through a rebuild too (down, then up again).
  db.db().execute("DELETE FROM notes");
  db.db().execute("DELETE FROM logs");
  Runner(db.db(), source).migrateDown();
  Runner(db.db(), source).migrate();
  db.db().execute("INSERT INTO logs (body) VALUES ('e')");
  CHECK(db.count("SELECT MAX(id) FROM logs") == 5);
}

TEST_CASE("SQLite's rebuild refuses to leave a broken foreign key on the table it rebuilt, and undoes itself", "[sqlite]") {
  TestDatabase db;
  const auto source = sourceOf({
      createPosts,
      defineMigration({
          .name = "break-reference",
          .up = [](Builder& t) { return Steps{t.alterColumn("posts", "author_id", t.text())}; },
          .down = [](Builder& t) { return Steps{t.alterColumn("posts", "author_id", t.number())}; },
      }),
  });
  Runner(db.db(), source).migrateTo("create");
  db.db().execute("INSERT INTO authors (id, name) VALUES (1, 'ada')");
  db.db().execute("INSERT INTO posts (id, title, slug, author_id) VALUES (1, 't', 's', 1)");
  db.db().execute("PRAGMA foreign_keys = OFF");
  db.db().execute("INSERT INTO posts (id, title, slug, author_id) VALUES (2, 't', 's2', 5)");  // already broken
  db.db().execute("PRAGMA foreign_keys = ON");
  try {
    Runner(db.db(), source).migrate();
    FAIL("the rebuild should find the broken reference");
  } catch (const MigrationError& e) {
    CHECK_THAT(e.what(), Contains("FOREIGN KEY constraint failed after rebuilding posts"));
    CHECK_THAT(e.what(), Contains("PRAGMA foreign_key_check"));
  }
  CHECK(columnOf(db.db().introspect(), "posts", "author_id").type == FieldType::Number);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
}

TEST_CASE("SQLite's rebuild is whole in a migration with .transaction = false", "[sqlite]") {
  TestDatabase db;
  const auto source = sourceOf({
      createPosts,
      defineMigration({
          .name = "outside",
          .up = [](Builder& t) { return Steps{t.alterColumn("posts", "views", t.string(10))}; },
          .transaction = false,
      }),
  });
  Runner(db.db(), source).migrateTo("create");
  seed(db);
  CHECK_THROWS_AS(Runner(db.db(), source).migrate(), MigrationError);
  CHECK(columnOf(db.db().introspect(), "posts", "views").nullable);
  CHECK(db.count("SELECT COUNT(*) FROM posts") == 3);
  CHECK(db.count("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%jsorm_rebuild%'") == 0);
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
}

TEST_CASE("a dry run shows SQLite's rebuild statements, read from the table, and changes nothing", "[sqlite]") {
  TestDatabase db;
  const auto source = sourceOf({createPosts, alterPosts});
  Runner(db.db(), source).migrateTo("create");
  Recorder recorder;
  Runner(db.db(), source, {.dryRun = true, .observer = &recorder}).migrate();
  const auto& shown = recorder.statements;
  CHECK(anyStartsWith(shown, "PRAGMA foreign_keys = OFF"));
  CHECK(anyStartsWith(shown, "CREATE TABLE \"posts_jsorm_rebuild\" ("));
  CHECK(anyStartsWith(shown, "INSERT INTO \"posts_jsorm_rebuild\" (\"id\", \"title\", \"slug\", \"views\", \"author_id\")"));
  CHECK(anyStartsWith(shown, "CREATE UNIQUE INDEX \"posts_slug_unique\""));
  CHECK(anyStartsWith(shown, "PRAGMA foreign_key_check"));
  CHECK(anyStartsWith(shown, "PRAGMA foreign_keys = ON"));
  CHECK(db.count("SELECT COUNT(*) FROM jsorm_migrations") == 1);
  CHECK_FALSE(columnOf(db.db().introspect(), "posts", "title").nullable);
}

TEST_CASE("a dry run of a rebuild on a table an earlier pending migration creates says it reads it later",
          "[sqlite]") {
  TestDatabase db;
  Recorder recorder;
  Runner(db.db(), sourceOf({createPosts, alterPosts}), {.dryRun = true, .observer = &recorder}).migrate();
  CHECK(std::any_of(recorder.statements.begin(), recorder.statements.end(),
                    [](const auto& s) { return s.find("does not exist yet") != std::string::npos; }));
  CHECK_FALSE(db.hasTable("posts"));
}

TEST_CASE("alterColumn on a table created earlier in the same migration, with names that need quoting") {
  TestDatabase db;
  const std::string table = "odd \"posts\" \xC3\xBC";
  const std::string column = "ti;tle's";
  const auto source = sourceOf({defineMigration({
      .name = "create-and-alter",
      .up = [table, column](Builder& t) {
        return Steps{
            t.createTable(defineModel(table, {{"id", t.number().primary()}, {column, t.string(10)}})),
            t.createIndex(table, {column}, {.name = "odd_index"}),
            t.alterColumn(table, column, t.string(30).optional().defaultTo("it's"), {.from = t.string(10)}),
        };
      },
  })});
  Runner(db.db(), source).migrate();
  const SchemaSnapshot schema = db.db().introspect();
  const ColumnSnapshot& altered = columnOf(schema, table, column);
  CHECK(altered.nullable);
  CHECK(altered.length == 30);
  CHECK(indexesOf(schema, table) == std::vector<std::string>{"odd_index(" + column + ",)"});
  const std::string quotedTable = db.db().dialect().quoteIdentifier(table);
  db.db().execute("INSERT INTO " + quotedTable + " (id) VALUES (1)");
  CHECK(db.count("SELECT COUNT(*) FROM " + quotedTable + " WHERE " + db.db().dialect().quoteIdentifier(column) +
                 " = 'it''s'") == 1);

  Runner(db.db(), source).migrateDown();
  CHECK_FALSE(db.hasTable(table));
}

TEST_CASE("SQLite's rebuild of a hand-written table keeps every constraint the altered column and the table had",
          "[sqlite]") {
  TestDatabase db;
  const auto source = sourceOf({
      defineMigration({
          .name = "hand-written",
          .up = Steps{
              rawSql("CREATE TABLE owners (id INTEGER PRIMARY KEY, code TEXT UNIQUE)"),
              rawSql("CREATE TABLE things (\n"
                     "  id INTEGER PRIMARY KEY, -- the key, (with a comma) in a comment\n"
                     "  name VARCHAR(20) NOT NULL COLLATE NOCASE CONSTRAINT name_unique UNIQUE,\n"
                     "  \"size, in cm\" INT DEFAULT (2 * 3) CHECK (\"size, in cm\" >= 0),\n"
                     "  owner_code TEXT CONSTRAINT owner_fk REFERENCES owners (code) ON DELETE SET NULL "
                     "ON UPDATE CASCADE,\n"
                     "  note TEXT,\n"
                     "  CONSTRAINT pair UNIQUE (note, owner_code),\n"
                     "  CHECK (length(note) < 100)\n"
                     ")"),
          },
      }),
      defineMigration({
          .name = "alter-each",
          .up = [](Builder& t) {
            return Steps{
                t.alterColumn("things", "name", t.text().optional()),
                t.alterColumn("things", "size, in cm", t.bigint().defaultTo(7)),
                t.alterColumn("things", "owner_code", t.string(10).optional()),
                t.alterColumn("things", "note", t.string(200).optional().defaultTo("-")),
            };
          },
      }),
  });
  Runner(db.db(), source).migrateTo("hand-written");
  db.db().execute("INSERT INTO owners (id, code) VALUES (1, 'a'), (2, 'b')");
  db.db().execute("INSERT INTO things (id, name, \"size, in cm\", owner_code, note) VALUES (1, 'Ada', 5, 'a', 'x')");
  Runner(db.db(), source).migrate();

  CHECK(db.count("SELECT COUNT(*) FROM things WHERE id = 1 AND name = 'ADA' AND \"size, in cm\" = 5 AND "
                 "owner_code = 'a' AND note = 'x'") == 1);  // the row, and COLLATE NOCASE
  auto refused = [&](const std::string& sql) {
    INFO(sql);
    CHECK_THROWS_AS(db.db().execute(sql), SqlError);
  };
  refused("INSERT INTO things (id, name, owner_code) VALUES (2, 'ada', 'b')");           // UNIQUE NOCASE name
  refused("INSERT INTO things (id, name, \"size, in cm\") VALUES (3, 'c', -1)");        // column CHECK
  refused("INSERT INTO things (id, name, owner_code) VALUES (4, 'd', 'zz')");           // foreign key
  refused("INSERT INTO things (id, name, note, owner_code) VALUES (5, 'e', 'x', 'a')"); // table UNIQUE
  refused("INSERT INTO things (id, name, note) VALUES (6, 'f', printf('%.200c', 'n'))"); // table CHECK
  db.db().execute("INSERT INTO things (id) VALUES (7)");  // name now optional; the new defaults apply
  CHECK(db.count("SELECT COUNT(*) FROM things WHERE id = 7 AND \"size, in cm\" = 7 AND note = '-'") == 1);
  db.db().execute("UPDATE owners SET code = 'A' WHERE id = 1");  // ON UPDATE CASCADE still there
  CHECK(db.count("SELECT COUNT(*) FROM things WHERE owner_code = 'A'") == 1);
  db.db().execute("DELETE FROM owners WHERE id = 1");  // ON DELETE SET NULL still there
  CHECK(db.count("SELECT COUNT(*) FROM things WHERE id = 1 AND owner_code IS NULL") == 1);
  const auto sql = std::get<std::string>(
      db.db().query("SELECT sql FROM sqlite_master WHERE name = 'things'").rows.at(0).at(0));
  CHECK_THAT(sql, Contains("CONSTRAINT pair UNIQUE (note, owner_code)"));
  CHECK_THAT(sql, Contains("-- the key, (with a comma) in a comment"));
}
