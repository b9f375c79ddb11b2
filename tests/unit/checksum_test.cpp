// jsorm::checksum: a stable fingerprint of what a migration runs.
#include <jsorm/migration.hpp>
#include <jsorm/runner.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>

using namespace jsorm;
using Catch::Matchers::Matches;

namespace {
Migration withUp(MigrationBody up) { return defineMigration({.name = "m", .up = std::move(up)}); }

Migration addColumn(const Field& field, std::string column = "timezone") {
  return defineMigration({
      .name = "m",
      .up = [field, column](Builder& t) { return Steps{t.addColumn("users", column, field)}; },
  });
}
}  // namespace

TEST_CASE("a checksum is 16 lowercase hex characters") {
  CHECK_THAT(checksum(withUp(Steps{rawSql("SELECT 1")})), Matches("[0-9a-f]{16}"));
  CHECK_THAT(checksum(withUp(Steps{})), Matches("[0-9a-f]{16}"));
}

TEST_CASE("the checksum of the same steps is the same every time") {
  const Migration m = addColumn(t.string().optional());
  CHECK(checksum(m) == checksum(m));
  CHECK(checksum(addColumn(t.string().optional())) == checksum(addColumn(t.string().optional())));
}

TEST_CASE("a callback and a step list of the same steps have the same checksum") {
  const Builder b;
  const Migration list = withUp(Steps{b.addColumn("users", "tz", b.string().optional()), b.createIndex("users", {"tz"}),
                                      rawSql("UPDATE users SET tz = 'UTC'", "SELECT 1")});
  const Migration callback = withUp([](Builder& t) {
    return Steps{t.addColumn("users", "tz", t.string().optional()), t.createIndex("users", {"tz"}),
                 t.rawSql("UPDATE users SET tz = 'UTC'", "SELECT 1")};
  });
  CHECK(checksum(list) == checksum(callback));
}

TEST_CASE("the migration's name is not part of its checksum") {
  Migration a = withUp(Steps{rawSql("SELECT 1")});
  Migration b = a;
  b.name = "renamed";
  CHECK(checksum(a) == checksum(b));
}

TEST_CASE("a field's renamedFrom is not part of the checksum") {
  CHECK(checksum(addColumn(t.string())) == checksum(addColumn(t.string().renamedFrom("old"))));
}

TEST_CASE("the checksum changes when a column's type changes") {
  const auto base = checksum(addColumn(t.string()));
  CHECK(checksum(addColumn(t.text())) != base);
  CHECK(checksum(addColumn(t.string(40))) != base);
  CHECK(checksum(addColumn(t.decimal(10, 2))) != checksum(addColumn(t.decimal(10, 3))));
  CHECK(checksum(addColumn(t.number())) != checksum(addColumn(t.bigint())));
}

TEST_CASE("the checksum changes when a column's modifiers change") {
  const auto base = checksum(addColumn(t.string()));
  CHECK(checksum(addColumn(t.string().optional())) != base);
  CHECK(checksum(addColumn(t.string().unique())) != base);
  CHECK(checksum(addColumn(t.string().index())) != base);
}

TEST_CASE("the checksum changes when a default changes") {
  const auto none = checksum(addColumn(t.string()));
  const auto a = checksum(addColumn(t.string().defaultTo("a")));
  const auto b = checksum(addColumn(t.string().defaultTo("b")));
  const auto raw = checksum(addColumn(t.string().defaultRaw("'a'")));
  CHECK(std::set<std::string>{none, a, b, raw}.size() == 4);
  CHECK(checksum(addColumn(t.number().defaultTo(1))) != checksum(addColumn(t.number().defaultTo(2))));
  CHECK(checksum(addColumn(t.number().defaultTo(1))) != checksum(addColumn(t.number().defaultTo(1.0))));
  CHECK(checksum(addColumn(t.boolean().defaultTo(true))) != checksum(addColumn(t.boolean().defaultTo(false))));
}

TEST_CASE("the checksum changes when a column's name changes") {
  CHECK(checksum(addColumn(t.string(), "timezone")) != checksum(addColumn(t.string(), "time_zone")));
}

TEST_CASE("the checksum changes when a table or index name changes") {
  const Builder b;
  CHECK(checksum(withUp(Steps{b.dropTable("users")})) != checksum(withUp(Steps{b.dropTable("people")})));
  CHECK(checksum(withUp(Steps{b.createIndex("users", {"a"})})) !=
        checksum(withUp(Steps{b.createIndex("users", {"a"}, {.name = "x"})})));
  CHECK(checksum(withUp(Steps{b.createIndex("users", {"a"})})) !=
        checksum(withUp(Steps{b.createIndex("users", {"a"}, {.concurrently = true})})));
}

TEST_CASE("the checksum changes when the rawSql text changes") {
  CHECK(checksum(withUp(Steps{rawSql("SELECT 1")})) != checksum(withUp(Steps{rawSql("SELECT 2")})));
  CHECK(checksum(withUp(Steps{rawSql("SELECT 1")})) != checksum(withUp(Steps{rawSql("SELECT 1", "SELECT 0")})));
  CHECK(checksum(withUp(Steps{rawSql("SELECT 1", "SELECT 0")})) !=
        checksum(withUp(Steps{rawSql("SELECT 1", "SELECT 00")})));
}

TEST_CASE("the checksum does not confuse one step with two that concatenate alike") {
  CHECK(checksum(withUp(Steps{rawSql("ab")})) != checksum(withUp(Steps{rawSql("a"), rawSql("b")})));
  CHECK(checksum(withUp(Steps{rawSql("a", "b")})) != checksum(withUp(Steps{rawSql("ab")})));
}

TEST_CASE("the checksum changes when the step order changes") {
  const Builder b;
  CHECK(checksum(withUp(Steps{b.dropTable("a"), b.dropTable("b")})) !=
        checksum(withUp(Steps{b.dropTable("b"), b.dropTable("a")})));
}

TEST_CASE("the checksum changes when the transaction flag changes") {
  Migration a = withUp(Steps{rawSql("CREATE INDEX CONCURRENTLY i ON t (c)")});
  Migration b = a;
  b.transaction = false;
  CHECK(checksum(a) != checksum(b));
}

TEST_CASE("the checksum covers an explicit down") {
  const Builder bld;
  Migration a = withUp(Steps{bld.dropTable("x")});
  Migration b = a;
  b.down = Steps{rawSql("CREATE TABLE x (id INT)")};
  Migration c = a;
  c.down = Steps{rawSql("CREATE TABLE x (id BIGINT)")};
  CHECK(checksum(a) != checksum(b));
  CHECK(checksum(b) != checksum(c));
}

TEST_CASE("the checksum changes when a createTable model changes") {
  const Model v1 = defineModel("users", {{"id", t.number().primary()}, {"name", t.string()}});
  const Model v2 = defineModel("users", {{"id", t.number().primary()}, {"name", t.string(100)}});
  const Model v1again = defineModel("users", {{"id", t.number().primary()}, {"name", t.string()}});
  auto create = [](const Model& m) {
    return defineMigration({.name = "init", .up = [m](Builder& t) { return Steps{t.createTable(m)}; }});
  };
  CHECK(checksum(create(v1)) == checksum(create(v1again)));
  CHECK(checksum(create(v1)) != checksum(create(v2)));
}
