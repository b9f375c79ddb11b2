// replayMigrations: the schema applied migrations should have left, from their steps alone.
#include <jsorm/error.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/schema_replay.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace jsorm;

namespace {
const Builder b;
const Model Tag = defineModel("tags", {{"id", t.number().primary()}, {"label", t.string(40).unique()}});
const Model Author = defineModel("authors", {{"id", t.number().primary()}, {"name", t.string()}});
const Model Post = defineModel("posts", {
    {"id", t.bigint().primary()},
    {"title", t.string().index()},
    {"author", t.belongsTo(Author)},
    {"tags", t.manyToMany(Tag)},
});

Migration migration(std::string name, Steps steps) { return defineMigration({.name = std::move(name), .up = std::move(steps)}); }

std::vector<std::string> tableNames(const SchemaSnapshot& schema) {
  std::vector<std::string> out;
  for (const auto& table : schema.tables) out.push_back(table.name);
  return out;
}

std::vector<std::string> columnNames(const TableSnapshot& table) {
  std::vector<std::string> out;
  for (const auto& column : table.columns) out.push_back(column.name);
  return out;
}

std::vector<std::string> indexNames(const TableSnapshot& table) {
  std::vector<std::string> out;
  for (const auto& index : table.indexes) out.push_back(index.name);
  return out;
}
}  // namespace

TEST_CASE("replay of createTable gives the models' tables, pivots and field indexes") {
  const ReplayedSchema replayed = replayMigrations({migration("one", {b.createTable(Tag), b.createTable(Author),
                                                                     b.createTable(Post)})});
  CHECK(replayed.unverifiable.empty());
  REQUIRE(tableNames(replayed.schema) == std::vector<std::string>{"authors", "posts", "posts_tags", "tags"});
  const TableSnapshot& posts = *replayed.schema.table("posts");
  CHECK(columnNames(posts) == std::vector<std::string>{"id", "title", "author_id"});
  CHECK(indexNames(posts) == std::vector<std::string>{"posts_title_index"});
  REQUIRE(posts.column("author_id")->references);
  CHECK(posts.column("author_id")->references->table == "authors");
  const TableSnapshot& pivot = *replayed.schema.table("posts_tags");
  CHECK(columnNames(pivot) == std::vector<std::string>{"posts_id", "tags_id"});
  REQUIRE(pivot.indexes.size() == 1);
  CHECK(pivot.indexes[0].unique);
  CHECK(indexNames(*replayed.schema.table("tags")) == std::vector<std::string>{"tags_label_unique"});
  // The same conversion as the models' snapshot: replaying createTable of every model is snapshotOf.
  const SchemaSnapshot models = snapshotOf({Tag, Author, Post});
  REQUIRE(models.tables.size() == replayed.schema.tables.size());
  for (std::size_t i = 0; i < models.tables.size(); ++i) {
    CHECK(models.tables[i].columns == replayed.schema.tables[i].columns);
    CHECK(models.tables[i].indexes == replayed.schema.tables[i].indexes);
  }
}

TEST_CASE("replay follows columns added, dropped and renamed, with their indexes") {
  const ReplayedSchema replayed = replayMigrations({
      migration("one", {b.createTable(Author)}),
      migration("two", {b.addColumn("authors", "email", b.string().unique()),
                        b.addColumn("authors", "bio", b.text().optional().index()),
                        b.addColumn("authors", "age", b.number().optional())}),
      migration("three", {b.renameColumn("authors", "email", "mail"), b.dropColumn("authors", "bio"),
                          b.dropColumn("authors", "nothing", {.ifExists = true})}),
  });
  const TableSnapshot& authors = *replayed.schema.table("authors");
  CHECK(columnNames(authors) == std::vector<std::string>{"id", "name", "mail", "age"});
  // bio's index went with it; email's unique index keeps its name and now covers mail.
  REQUIRE(authors.indexes.size() == 1);
  CHECK(authors.indexes[0].name == "authors_email_unique");
  CHECK(authors.indexes[0].columns == std::vector<std::string>{"mail"});
  CHECK(authors.indexes[0].unique);
  CHECK(authors.column("age")->nullable);
  CHECK(replayed.unverifiable.empty());
}

TEST_CASE("replay follows renamed tables and columns into the foreign keys that reference them") {
  const ReplayedSchema replayed = replayMigrations({
      migration("one", {b.createTable(Author), b.createTable(Tag), b.createTable(Post)}),
      migration("two", {b.renameTable("authors", "writers"), b.renameColumn("writers", "id", "writer_id")}),
      migration("three", {b.dropTable("posts_tags"), b.dropTable("tags")}),
  });
  CHECK(tableNames(replayed.schema) == std::vector<std::string>{"posts", "writers"});
  const auto& key = replayed.schema.table("posts")->column("author_id")->references;
  REQUIRE(key);
  CHECK(key->table == "writers");
  CHECK(key->column == "writer_id");
}

TEST_CASE("replay of createIndex and dropIndex keeps indexes sorted by name") {
  const ReplayedSchema replayed = replayMigrations({
      migration("one", {b.createTable(Author)}),
      migration("two", {b.createIndex("authors", {"name", "id"}, {.name = "z_index", .unique = true}),
                        b.createIndex("authors", {"name"})}),
      migration("three", {b.dropIndex("authors", "authors_name_index")}),
  });
  const TableSnapshot& authors = *replayed.schema.table("authors");
  REQUIRE(indexNames(authors) == std::vector<std::string>{"z_index"});
  CHECK(authors.indexes[0].columns == std::vector<std::string>{"name", "id"});
}

TEST_CASE("rawSql that changes tables makes them unverifiable, naming migration, step and tables") {
  const ReplayedSchema replayed = replayMigrations({
      migration("one", {b.createTable(Author)}),
      migration("two", {b.rawSql("INSERT INTO authors (name) VALUES ('a; b'); UPDATE authors SET name = 'x'"),
                        b.rawSql("ALTER TABLE \"authors\" ADD COLUMN legacy text; CREATE TABLE IF NOT EXISTS "
                                 "public.audit (id int)")}),
  });
  REQUIRE(replayed.unverifiable.size() == 1);  // the data statements change no schema
  const UnverifiableStep& step = replayed.unverifiable[0];
  CHECK(step.migration == "two");
  CHECK(step.step == 2);
  CHECK(step.tables == std::vector<std::string>{"authors", "audit"});
  CHECK(step.describe() == "unverifiable: migration 'two' step 2 (rawSql) changes tables authors, audit");
}

TEST_CASE("rawSql whose tables cannot be read is unverifiable without tables") {
  const ReplayedSchema replayed = replayMigrations({
      migration("views", {b.rawSql("CREATE VIEW recent AS SELECT 1")}),
  });
  REQUIRE(replayed.unverifiable.size() == 1);
  CHECK(replayed.unverifiable[0].tables.empty());
  CHECK(replayed.unverifiable[0].describe() == "unverifiable: migration 'views' step 1 (rawSql)");
}

TEST_CASE("rawSql naming some of what it changes keeps those tables and says it changes more") {
  const ReplayedSchema replayed = replayMigrations({
      migration("mixed", {b.rawSql("CREATE VIEW v AS SELECT 1; DROP TABLE old_things")}),
  });
  REQUIRE(replayed.unverifiable.size() == 1);
  CHECK(replayed.unverifiable[0].tables == std::vector<std::string>{"old_things"});
  CHECK(replayed.unverifiable[0].describe() ==
        "unverifiable: migration 'mixed' step 1 (rawSql, also changing objects it does not name) changes table "
        "old_things");
}

TEST_CASE("tablesChangedBy reads the tables of DDL in each database's spelling") {
  SchemaSnapshot known;
  known.tables.push_back({"users", {}, {{"users_name_index", {"name"}, false}}, "", ""});
  auto tables = [&](const std::string& sql) { return tablesChangedBy(sql, known).tables; };
  using V = std::vector<std::string>;
  CHECK(tables("DROP TABLE IF EXISTS a, `b`") == V{"a", "b"});
  CHECK(tables("ALTER TABLE old RENAME TO new") == V{"old", "new"});
  CHECK(tables("RENAME TABLE a TO b, c TO d") == V{"a", "b", "c", "d"});
  CHECK(tables("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON ONLY s.t (x)") == V{"t"});
  CHECK(tables("DROP INDEX users_name_index") == V{"users"});
  CHECK(tables("DROP INDEX i ON t") == V{"t"});
  CHECK(tables("-- CREATE TABLE nope (x int)\nSELECT 'DROP TABLE users'").empty());
  CHECK_FALSE(tablesChangedBy("DROP INDEX unknown_index", known).complete);
  CHECK_FALSE(tablesChangedBy("SELECT 1", known).changesSchema);
}

TEST_CASE("replay marks a typed step on a table raw SQL made as unverifiable") {
  const ReplayedSchema replayed = replayMigrations({
      migration("raw", {b.rawSql("CREATE TABLE legacy (id integer primary key)")}),
      migration("typed", {b.addColumn("legacy", "note", b.text().optional())}),
  });
  REQUIRE(replayed.unverifiable.size() == 2);
  CHECK(replayed.unverifiable[1].migration == "typed");
  CHECK(replayed.unverifiable[1].tables == std::vector<std::string>{"legacy"});
  CHECK(replayed.schema.tables.empty());
}

TEST_CASE("replay names the migration whose up cannot be built") {
  const Migration broken = defineMigration({.name = "broken", .up = [](Builder&) -> Steps {
                                              throw std::runtime_error("no model");
                                            }});
  CHECK_THROWS_AS(replayMigrations({broken}), MigrationError);
}
