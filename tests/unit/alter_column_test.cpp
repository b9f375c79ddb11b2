// alterColumn: the step, its reversal, its checksum, its SQL on each dialect (SQLite's table
// rebuild included), its replay and how the lint rules classify it.
#include "../../core/src/sqlite_rebuild.hpp"

#include <jsorm/builder.hpp>
#include <jsorm/dialect.hpp>
#include <jsorm/error.hpp>
#include <jsorm/freeze.hpp>
#include <jsorm/lint.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/runner.hpp>
#include <jsorm/schema_replay.hpp>
#include <jsorm/source.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;

namespace {
const Builder b;

const step::AlterColumn& alter(const Step& step) { return std::get<step::AlterColumn>(step.operation()); }

std::vector<std::string> sql(const Dialect& dialect, const Step& step) {
  std::vector<std::string> out;
  for (const Statement& statement : dialect.render(step)) out.push_back(statement.sql);
  return out;
}

std::vector<std::string> rules(DatabaseKind database, const Steps& steps) {
  Linter linter(database);
  std::vector<std::string> out;
  for (const auto& finding : linter.lint("m", steps, true)) out.push_back(finding.rule);
  return out;
}

std::string checksumOf(Steps up) { return checksum(defineMigration({.name = "m", .up = std::move(up)})); }

detail::LiveTable posts() {
  detail::LiveTable live;
  live.name = "posts";
  live.createSql =
      "CREATE TABLE \"posts\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"title\" VARCHAR(100) NOT NULL DEFAULT "
      "'untitled', \"author_id\" INTEGER NOT NULL REFERENCES \"authors\" (\"id\"), \"body\" TEXT)";
  live.columns = {"id", "title", "author_id", "body"};
  live.dependents = {"CREATE INDEX \"posts_title_index\" ON \"posts\" (\"title\")"};
  return live;
}
}  // namespace

TEST_CASE("alterColumn builds a step with the new column and, when given, the old one") {
  const Step plain = b.alterColumn("posts", "title", t.string(200));
  CHECK(alter(plain).table == "posts");
  CHECK(alter(plain).column.name == "title");
  CHECK(alter(plain).column.field.length == 200);
  CHECK_FALSE(alter(plain).from.has_value());
  CHECK_FALSE(alter(plain).column.references.has_value());

  const Step known = b.alterColumn("posts", "title", t.string(200), {.from = t.string(100).optional()});
  REQUIRE(alter(known).from.has_value());
  CHECK(alter(known).from->name == "title");
  CHECK(alter(known).from->field.length == 100);
  CHECK(alter(known).from->field.optional);
  CHECK(plain.describe() == "alterColumn(\"posts\", \"title\")");
}

TEST_CASE("alterColumn refuses keys, uniqueness, indexes, references and relations, in the field and in .from") {
  const Model Author = defineModel("authors", {{"id", t.number().primary()}});
  CHECK_THROWS_WITH(b.alterColumn("posts", "id", t.bigint().primary()), Contains("a primary key"));
  CHECK_THROWS_WITH(b.alterColumn("posts", "title", t.string().unique()), Contains(".unique()"));
  CHECK_THROWS_WITH(b.alterColumn("posts", "title", t.string().index()), Contains(".index()"));
  CHECK_THROWS_WITH(b.alterColumn("posts", "author_id", t.number().references("authors", "id")),
                    Contains(".references()"));
  CHECK_THROWS_WITH(b.alterColumn("posts", "author", t.belongsTo(Author)), Contains("a relation field"));
  CHECK_THROWS_WITH(b.alterColumn("posts", "title", t.string(), {.from = t.string().unique()}),
                    Contains("the .from field is .unique()"));
  CHECK_THROWS_AS(b.alterColumn("posts", "title", t.string().unique()), SchemaError);
}

TEST_CASE("alterColumn with .from reverses to altering the column back; without it cannot be reversed") {
  const Step known = b.alterColumn("posts", "title", t.text(), {.from = t.string(100).optional()});
  const auto reversed = known.reversed();
  REQUIRE(reversed.has_value());
  REQUIRE(reversed->size() == 1);
  const auto& back = alter(reversed->front());
  CHECK(back.table == "posts");
  CHECK(back.column.field.type == FieldType::String);
  CHECK(back.column.field.optional);
  REQUIRE(back.from.has_value());
  CHECK(back.from->field.type == FieldType::Text);

  CHECK_FALSE(b.alterColumn("posts", "title", t.text()).reversed().has_value());
  const Migration m = defineMigration({.name = "widen", .up = Steps{b.alterColumn("posts", "title", t.text())}});
  CHECK_THROWS_WITH(downSteps(m), Contains("step 1 of 1, alterColumn(\"posts\", \"title\"), is not reversible"));
  CHECK_THROWS_WITH(downSteps(m), Contains("or give the alterColumn the column as it was: {.from = "));
}

TEST_CASE("the checksum changes with every part of an alterColumn") {
  const std::string base = checksumOf({b.alterColumn("posts", "title", t.string(200))});
  CHECK(checksumOf({b.alterColumn("posts", "title", t.string(200))}) == base);
  std::vector<std::string> others{
      checksumOf({b.alterColumn("posts", "title", t.string(201))}),
      checksumOf({b.alterColumn("posts", "title", t.string(200).optional())}),
      checksumOf({b.alterColumn("posts", "title", t.string(200).defaultTo("x"))}),
      checksumOf({b.alterColumn("posts", "title", t.string(200).defaultRaw("lower('X')"))}),
      checksumOf({b.alterColumn("posts", "name", t.string(200))}),
      checksumOf({b.alterColumn("articles", "title", t.string(200))}),
      checksumOf({b.alterColumn("posts", "title", t.string(200), {.from = t.string(100)})}),
      checksumOf({b.alterColumn("posts", "title", t.string(200), {.from = t.string(99)})}),
      checksumOf({b.addColumn("posts", "title", t.string(200))}),
  };
  others.push_back(base);
  std::sort(others.begin(), others.end());
  CHECK(std::adjacent_find(others.begin(), others.end()) == others.end());
}

TEST_CASE("PostgreSQL alters type (with USING), nullability and default; unknown old column: all of them") {
  const Dialect& pg = postgresDialect();
  CHECK(sql(pg, b.alterColumn("posts", "views", t.bigint().defaultTo(0))) ==
        std::vector<std::string>{
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" DROP DEFAULT",
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" TYPE BIGINT USING \"views\"::BIGINT",
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" SET NOT NULL",
            "ALTER TABLE \"posts\" ALTER COLUMN \"views\" SET DEFAULT 0",
        });
  CHECK(sql(pg, b.alterColumn("posts", "title", t.text().optional())) ==
        std::vector<std::string>{
            "ALTER TABLE \"posts\" ALTER COLUMN \"title\" DROP DEFAULT",
            "ALTER TABLE \"posts\" ALTER COLUMN \"title\" TYPE TEXT USING \"title\"::TEXT",
            "ALTER TABLE \"posts\" ALTER COLUMN \"title\" DROP NOT NULL",
        });
}

TEST_CASE("PostgreSQL alters only what differs from .from") {
  const Dialect& pg = postgresDialect();
  // Only the type.
  CHECK(sql(pg, b.alterColumn("posts", "title", t.string(200), {.from = t.string(100)})) ==
        std::vector<std::string>{
            "ALTER TABLE \"posts\" ALTER COLUMN \"title\" TYPE VARCHAR(200) USING \"title\"::VARCHAR(200)"});
  // Only nullability, both ways.
  CHECK(sql(pg, b.alterColumn("posts", "title", t.string(100), {.from = t.string(100).optional()})) ==
        std::vector<std::string>{"ALTER TABLE \"posts\" ALTER COLUMN \"title\" SET NOT NULL"});
  CHECK(sql(pg, b.alterColumn("posts", "title", t.string(100).optional(), {.from = t.string(100)})) ==
        std::vector<std::string>{"ALTER TABLE \"posts\" ALTER COLUMN \"title\" DROP NOT NULL"});
  // Only the default: set, changed, dropped; a string default is a quoted literal.
  CHECK(sql(pg, b.alterColumn("posts", "title", t.string(100).defaultTo("it's"), {.from = t.string(100)})) ==
        std::vector<std::string>{"ALTER TABLE \"posts\" ALTER COLUMN \"title\" SET DEFAULT 'it''s'"});
  CHECK(sql(pg, b.alterColumn("posts", "title", t.string(100), {.from = t.string(100).defaultTo("x")})) ==
        std::vector<std::string>{"ALTER TABLE \"posts\" ALTER COLUMN \"title\" DROP DEFAULT"});
  // A type change with a default: the old default goes first and comes back after.
  CHECK(sql(pg, b.alterColumn("posts", "n", t.bigint().defaultTo(1), {.from = t.number().defaultTo(1)})) ==
        std::vector<std::string>{
            "ALTER TABLE \"posts\" ALTER COLUMN \"n\" DROP DEFAULT",
            "ALTER TABLE \"posts\" ALTER COLUMN \"n\" TYPE BIGINT USING \"n\"::BIGINT",
            "ALTER TABLE \"posts\" ALTER COLUMN \"n\" SET DEFAULT 1",
        });
  // Nothing differs: nothing runs.
  CHECK(sql(pg, b.alterColumn("posts", "title", t.string(100), {.from = t.string(100)})).empty());
}

TEST_CASE("MySQL restates the whole column with MODIFY COLUMN, once, or not at all when nothing differs") {
  const Dialect& my = mysqlDialect();
  CHECK(sql(my, b.alterColumn("posts", "title", t.string(200).defaultTo("x"))) ==
        std::vector<std::string>{"ALTER TABLE `posts` MODIFY COLUMN `title` VARCHAR(200) NOT NULL DEFAULT 'x'"});
  CHECK(sql(my, b.alterColumn("posts", "body", t.text().optional(), {.from = t.string(100)})) ==
        std::vector<std::string>{"ALTER TABLE `posts` MODIFY COLUMN `body` LONGTEXT"});
  CHECK(sql(my, b.alterColumn("posts", "title", t.string(100), {.from = t.string(100)})).empty());
}

TEST_CASE("SQLite renders alterColumn as a rebuild the runner expands from the live table") {
  const Dialect& lite = sqliteDialect();
  const auto statements = lite.render(b.alterColumn("posts", "title", t.text(), {.from = t.string(100)}));
  REQUIRE(statements.size() == 1);
  REQUIRE(statements[0].rebuild.has_value());
  CHECK(statements[0].rebuild->table == "posts");
  CHECK(statements[0].sql.rfind("-- rebuild table \"posts\"", 0) == 0);
  // Nothing differs: nothing to rebuild.
  CHECK(lite.render(b.alterColumn("posts", "title", t.string(100), {.from = t.string(100)})).empty());
  CHECK(detail::rebuildsTables(lite, {b.alterColumn("posts", "title", t.text())}));
  CHECK_FALSE(detail::rebuildsTables(lite, {b.addColumn("posts", "x", t.text().optional())}));
  CHECK_FALSE(detail::rebuildsTables(postgresDialect(), {b.alterColumn("posts", "title", t.text())}));
}

TEST_CASE("SQLite's rebuild follows the documented procedure and keeps the rest of the table as written") {
  const auto statements =
      detail::rebuildSql(sqliteDialect(), posts(), alter(b.alterColumn("posts", "title", t.text().optional())));
  CHECK(statements == std::vector<std::string>{
                          "CREATE TABLE \"posts_jsorm_rebuild\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"title\" TEXT, "
                          "\"author_id\" INTEGER NOT NULL REFERENCES \"authors\" (\"id\"), \"body\" TEXT)",
                          "INSERT INTO \"posts_jsorm_rebuild\" (\"id\", \"title\", \"author_id\", \"body\") SELECT \"id\", "
                          "\"title\", \"author_id\", \"body\" FROM \"posts\"",
                          "DROP TABLE \"posts\"",
                          "PRAGMA legacy_alter_table = ON",
                          "ALTER TABLE \"posts_jsorm_rebuild\" RENAME TO \"posts\"",
                          "PRAGMA legacy_alter_table = OFF",
                          "CREATE INDEX \"posts_title_index\" ON \"posts\" (\"title\")",
                      });
}

TEST_CASE("SQLite's rebuild keeps the altered column's foreign key, CHECK, COLLATE and UNIQUE") {
  detail::LiveTable live;
  live.name = "c";
  live.createSql =
      "create table if not exists c(\n  id integer primary key,\n  -- the owner\n  p_id int not null default 0 "
      "constraint fk_p references p(id) on delete set null on update set default not deferrable check (p_id >= 0) "
      "collate nocase unique,\n  note text default (lower('A')), unique(id, p_id)) strict";
  live.columns = {"id", "p_id", "note"};
  live.sequence = 41;
  const auto statements =
      detail::rebuildSql(sqliteDialect(), live, alter(b.alterColumn("c", "p_id", t.bigint().optional())));
  CHECK(statements.at(0) ==
        "CREATE TABLE \"c_jsorm_rebuild\" (\n  id integer primary key,\n  -- the owner\n  \"p_id\" BIGINT constraint fk_p "
        "references p(id) on delete set null on update set default not deferrable check (p_id >= 0) collate nocase "
        "unique,\n  note text default (lower('A')), unique(id, p_id)) strict");
  CHECK(statements.at(statements.size() - 2) == "DELETE FROM sqlite_sequence WHERE name = 'c'");
  CHECK(statements.back() == "INSERT INTO sqlite_sequence (name, seq) VALUES ('c', 41)");
  // A default given as an expression or a negative number is replaced whole.
  live.createSql = "CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INT DEFAULT -1 NOT NULL, note TEXT DEFAULT (1 + (2)) "
                   "CHECK (note <> ''))";
  CHECK(detail::rebuildSql(sqliteDialect(), live, alter(b.alterColumn("c", "p_id", t.number().defaultTo(5)))).at(0) ==
        "CREATE TABLE \"c_jsorm_rebuild\" (id INTEGER PRIMARY KEY, \"p_id\" INTEGER NOT NULL DEFAULT 5, note TEXT "
        "DEFAULT (1 + (2)) CHECK (note <> ''))");
  CHECK(detail::rebuildSql(sqliteDialect(), live, alter(b.alterColumn("c", "note", t.string(10).optional()))).at(0) ==
        "CREATE TABLE \"c_jsorm_rebuild\" (id INTEGER PRIMARY KEY, p_id INT DEFAULT -1 NOT NULL, \"note\" VARCHAR(10) "
        "CHECK (note <> ''))");
}

TEST_CASE("SQLite's rebuild refuses a missing, primary-key or generated column, naming the step") {
  detail::LiveTable live = posts();
  CHECK_THROWS_WITH(detail::rebuildSql(sqliteDialect(), live, alter(b.alterColumn("posts", "nope", t.text()))),
                    Contains("alterColumn(\"posts\", \"nope\"): table posts has no column nope"));
  CHECK_THROWS_WITH(detail::rebuildSql(sqliteDialect(), live, alter(b.alterColumn("posts", "id", t.text()))),
                    Contains("primary key"));
  live.createSql = "CREATE TABLE posts (id INTEGER PRIMARY KEY, t TEXT, u TEXT GENERATED ALWAYS AS (upper(t)))";
  CHECK_THROWS_WITH(detail::rebuildSql(sqliteDialect(), live, alter(b.alterColumn("posts", "u", t.text()))),
                    Contains("generated column"));
  // A table constraint named like the column is not the column.
  live.createSql = "CREATE TABLE posts (id INTEGER PRIMARY KEY, CONSTRAINT title CHECK (id > 0))";
  CHECK_THROWS_WITH(detail::rebuildSql(sqliteDialect(), live, alter(b.alterColumn("posts", "title", t.text()))),
                    Contains("no column title"));
}

TEST_CASE("replay applies alterColumn: type, nullability and default change, key, index and reference stay") {
  const Model Author = defineModel("authors", {{"id", t.number().primary()}});
  const Model Post = defineModel("posts", {{"id", t.number().primary()},
                                           {"title", t.string(100).index()},
                                           {"author", t.belongsTo(Author)}});
  const auto replayed = replayMigrations({
      defineMigration({.name = "1", .up = Steps{b.createTable(Author), b.createTable(Post)}}),
      defineMigration({.name = "2",
                       .up = Steps{b.alterColumn("posts", "title", t.text().optional().defaultTo("x")),
                                   b.alterColumn("posts", "author_id", t.bigint().optional())}}),
  });
  CHECK(replayed.unverifiable.empty());
  const TableSnapshot* posts = replayed.schema.table("posts");
  REQUIRE(posts);
  const ColumnSnapshot* title = posts->column("title");
  REQUIRE(title);
  CHECK(title->type == FieldType::Text);
  CHECK(title->nullable);
  CHECK(title->index);
  REQUIRE(title->defaultValue.has_value());
  CHECK(std::get<std::string>(*title->defaultValue) == "x");
  CHECK(posts->indexes.size() == 1);
  const ColumnSnapshot* author = posts->column("author_id");
  REQUIRE(author);
  CHECK(author->type == FieldType::BigInt);
  REQUIRE(author->references.has_value());
  CHECK(author->references->table == "authors");
}

TEST_CASE("replay cannot follow alterColumn on a table no typed step created") {
  const auto replayed =
      replayMigrations({defineMigration({.name = "1", .up = Steps{b.alterColumn("legacy", "x", t.text())}})});
  REQUIRE(replayed.unverifiable.size() == 1);
  CHECK(replayed.unverifiable[0].tables == std::vector<std::string>{"legacy"});
}

TEST_CASE("validation refuses alterColumn on a column the source's steps never made") {
  const Model Post = defineModel("posts", {{"id", t.number().primary()}, {"title", t.string()}});
  MigrationSource source;
  source.migrations = {defineMigration({.name = "1", .up = Steps{b.createTable(Post)}}),
                       defineMigration({.name = "2", .up = Steps{b.alterColumn("posts", "titel", t.text())}})};
  CHECK_THROWS_WITH(validate(source), Contains("table 'posts' has no column 'titel'"));
  source.migrations[1] = defineMigration({.name = "2", .up = Steps{b.alterColumn("posts", "title", t.text())}});
  CHECK_NOTHROW(validate(source));
}

TEST_CASE("lint classifies alterColumn as the ALTER COLUMN statements it runs") {
  const Steps widen{b.alterColumn("posts", "title", t.string(200), {.from = t.string(100)})};
  const Steps require{b.alterColumn("posts", "title", t.string(100), {.from = t.string(100).optional()})};
  const Steps relax{b.alterColumn("posts", "title", t.string(100).optional(), {.from = t.string(100)})};
  const Steps newDefault{b.alterColumn("posts", "title", t.string(100).defaultTo("x"), {.from = t.string(100)})};
  const Steps unknown{b.alterColumn("posts", "title", t.string(100))};

  using V = std::vector<std::string>;
  // Widening a varchar (or making it text) is a catalog change on PostgreSQL; narrowing or
  // int to bigint rewrites the table.
  CHECK(rules(DatabaseKind::Postgres, widen).empty());
  CHECK(rules(DatabaseKind::Postgres, {b.alterColumn("posts", "title", t.text(), {.from = t.string(100)})}).empty());
  CHECK(rules(DatabaseKind::Postgres, {b.alterColumn("posts", "title", t.string(50), {.from = t.string(100)})}) ==
        V{"change-column-type"});
  CHECK(rules(DatabaseKind::Postgres, {b.alterColumn("posts", "n", t.bigint(), {.from = t.number()})}) ==
        V{"change-column-type"});
  CHECK(rules(DatabaseKind::Postgres, require) == V{"set-not-null-without-check"});
  CHECK(rules(DatabaseKind::Postgres, relax).empty());
  CHECK(rules(DatabaseKind::Postgres, newDefault).empty());
  CHECK(rules(DatabaseKind::Postgres, unknown) == V{"change-column-type", "set-not-null-without-check"});
  // The same as the rawSql that says it.
  CHECK(rules(DatabaseKind::Postgres, {rawSql("ALTER TABLE posts ALTER COLUMN title TYPE varchar(200)")}) ==
        V{"change-column-type"});
  CHECK(rules(DatabaseKind::Postgres, {rawSql("ALTER TABLE posts ALTER COLUMN title SET NOT NULL")}) ==
        V{"set-not-null-without-check"});

  CHECK(rules(DatabaseKind::Mysql, widen) == V{"change-column-type"});
  CHECK(rules(DatabaseKind::Mysql, newDefault).empty());
  // SQLite rebuilds the table: no ALTER COLUMN it would refuse.
  CHECK(rules(DatabaseKind::Sqlite, unknown).empty());
  // A table the same run creates is new: nothing to rewrite or lock.
  const Model Post = defineModel("posts", {{"id", t.number().primary()}, {"title", t.string(100)}});
  CHECK(rules(DatabaseKind::Postgres, {b.createTable(Post), unknown.front()}).empty());
}

TEST_CASE("migrate:freeze writes alterColumn as the DSL does, with its .from") {
  const Migration migration = defineMigration({
      .name = "alter",
      .up = [](Builder& t) {
        return Steps{t.alterColumn("posts", "title", t.text().optional().defaultTo("x"), {.from = t.string(100)}),
                     t.alterColumn("posts", "views", t.bigint())};
      },
      .down = [](Builder& t) { return Steps{t.alterColumn("posts", "title", t.string(100))}; },
  });
  const auto frozen = freezeMigration(migration, {}, checksum(migration));
  CHECK(frozen.matches);
  CHECK(frozen.notes.empty());
  CHECK_THAT(frozen.code,
             Contains("t.alterColumn(\"posts\", \"title\", t.text().optional().defaultTo(\"x\"), {.from = t.string(100)}),"));
  CHECK_THAT(frozen.code, Contains("t.alterColumn(\"posts\", \"views\", t.bigint()),"));
  CHECK_THAT(frozen.code, Contains("t.alterColumn(\"posts\", \"title\", t.string(100)),"));
}
