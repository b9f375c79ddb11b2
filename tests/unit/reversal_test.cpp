// Undoing steps: Step::reversed, downSteps, Step::describe and needsNoTransaction.
#include <jsorm/error.hpp>
#include <jsorm/migration.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;

namespace {
const Builder b;
const Model Tag = defineModel("tags", {{"id", t.number().primary()}});
const Model Role = defineModel("roles", {{"id", t.number().primary()}});
const Model User = defineModel("users", {
    {"id", t.number().primary()},
    {"name", t.string().index()},
    {"tags", t.manyToMany(Tag)},
    {"roles", t.manyToMany(Role)},
});

std::vector<std::string> describeAll(const Steps& steps) {
  std::vector<std::string> out;
  for (const auto& step : steps) out.push_back(step.describe());
  return out;
}

template <class Op>
Op as(const Step& step) {
  const Op* op = std::get_if<Op>(&step.operation());
  REQUIRE(op != nullptr);
  return *op;
}

std::string rollbackError(const Migration& migration) {
  try {
    (void)downSteps(migration);
  } catch (const MigrationError& e) {
    CHECK(e.migration() == migration.name);
    return e.what();
  }
  FAIL_CHECK("downSteps did not throw MigrationError");
  return {};
}
}  // namespace

TEST_CASE("createTable reverses to dropTable") {
  const auto reversed = b.createTable(Tag).reversed();
  REQUIRE(reversed.has_value());
  REQUIRE(reversed->size() == 1);
  CHECK(as<step::DropTable>((*reversed)[0]).table == "tags");
}

TEST_CASE("createTable with pivots reverses to dropping the pivots before the table") {
  const auto reversed = b.createTable(User).reversed();
  REQUIRE(reversed.has_value());
  CHECK(describeAll(*reversed) == std::vector<std::string>{"dropTable(\"users_tags\")", "dropTable(\"users_roles\")",
                                                           "dropTable(\"users\")"});
}

TEST_CASE("renameTable reverses to the opposite rename") {
  const auto reversed = b.renameTable("people", "persons").reversed();
  REQUIRE(reversed.has_value());
  REQUIRE(reversed->size() == 1);
  const auto op = as<step::RenameTable>((*reversed)[0]);
  CHECK(op.from == "persons");
  CHECK(op.to == "people");
}

TEST_CASE("addColumn reverses to dropping the column, without ifExists") {
  const auto reversed = b.addColumn("users", "role", b.belongsTo(Role)).reversed();
  REQUIRE(reversed.has_value());
  REQUIRE(reversed->size() == 1);
  const auto op = as<step::DropColumn>((*reversed)[0]);
  CHECK(op.table == "users");
  CHECK(op.column == "role_id");
  CHECK_FALSE(op.ifExists);
}

TEST_CASE("renameColumn reverses to the opposite rename") {
  const auto reversed = b.renameColumn("users", "name", "full_name").reversed();
  REQUIRE(reversed.has_value());
  REQUIRE(reversed->size() == 1);
  const auto op = as<step::RenameColumn>((*reversed)[0]);
  CHECK(op.table == "users");
  CHECK(op.from == "full_name");
  CHECK(op.to == "name");
}

TEST_CASE("createIndex reverses to dropping the index by its name") {
  const auto byDefault = b.createIndex("users", {"name"}).reversed();
  REQUIRE(byDefault.has_value());
  REQUIRE(byDefault->size() == 1);
  const auto op = as<step::DropIndex>((*byDefault)[0]);
  CHECK(op.table == "users");
  CHECK(op.name == "users_name_index");
  const auto custom = b.createIndex("users", {"name"}, {.name = "by_name", .unique = true}).reversed();
  REQUIRE(custom.has_value());
  CHECK(as<step::DropIndex>((*custom)[0]).name == "by_name");
}

TEST_CASE("rawSql with a down reverses to its down, whose down is the up") {
  const auto reversed = rawSql("CREATE VIEW v AS SELECT 1", "DROP VIEW v").reversed();
  REQUIRE(reversed.has_value());
  REQUIRE(reversed->size() == 1);
  const auto op = as<step::RawSql>((*reversed)[0]);
  CHECK(op.up == "DROP VIEW v");
  REQUIRE(op.down.has_value());
  CHECK(*op.down == "CREATE VIEW v AS SELECT 1");
}

TEST_CASE("dropTable, dropColumn, dropIndex and rawSql without down cannot be reversed") {
  CHECK_FALSE(b.dropTable("users").reversed().has_value());
  CHECK_FALSE(b.dropColumn("users", "name").reversed().has_value());
  CHECK_FALSE(b.dropColumn("users", "name", {.ifExists = true}).reversed().has_value());
  CHECK_FALSE(b.dropIndex("users", "users_name_index").reversed().has_value());
  CHECK_FALSE(rawSql("UPDATE users SET name = 'x'").reversed().has_value());
}

TEST_CASE("downSteps uses the explicit down when the migration has one") {
  const Migration m = defineMigration({
      .name = "explicit",
      .up = Steps{b.dropTable("legacy")},
      .down = [](Builder& t) { return Steps{t.rawSql("CREATE TABLE legacy (id INTEGER)")}; },
  });
  CHECK(describeAll(downSteps(m)) == std::vector<std::string>{"rawSql(\"CREATE TABLE legacy (id INTEGER)\")"});
}

TEST_CASE("downSteps uses an explicit empty down as given") {
  const Migration m = defineMigration({.name = "noop-down", .up = Steps{b.dropTable("legacy")}, .down = Steps{}});
  CHECK(downSteps(m).empty());
}

TEST_CASE("downSteps without down reverses up, last step first") {
  const Migration m = defineMigration({
      .name = "init",
      .up = [](Builder& t) {
        return Steps{t.createTable(Tag), t.createTable(User), t.addColumn("tags", "label", t.text().optional()),
                     t.createIndex("tags", {"label"}), t.renameColumn("users", "name", "full_name")};
      },
  });
  CHECK(describeAll(downSteps(m)) == std::vector<std::string>{
                                         "renameColumn(\"users\", \"full_name\", \"name\")",
                                         "dropIndex(\"tags\", \"tags_label_index\")",
                                         "dropColumn(\"tags\", \"label\")",
                                         "dropTable(\"users_tags\")",
                                         "dropTable(\"users_roles\")",
                                         "dropTable(\"users\")",
                                         "dropTable(\"tags\")",
                                     });
}

TEST_CASE("downSteps of an irreversible step names the migration, the step number and the step") {
  SECTION("dropTable") {
    const Migration m = defineMigration({
        .name = "drop-legacy",
        .up = Steps{b.createIndex("users", {"name"}), b.dropTable("legacy")},
    });
    CHECK_THAT(rollbackError(m), Contains("migration 'drop-legacy'") && Contains("step 2 of 2") &&
                                     Contains("dropTable(\"legacy\")") && Contains("add a down"));
  }
  SECTION("dropColumn") {
    const Migration m = defineMigration({
        .name = "drop-tz",
        .up = [](Builder& t) { return Steps{t.dropColumn("users", "timezone", {.ifExists = true}), t.rawSql("a", "b")}; },
    });
    CHECK_THAT(rollbackError(m), Contains("migration 'drop-tz'") && Contains("step 1 of 2") &&
                                     Contains("dropColumn(\"users\", \"timezone\")"));
  }
  SECTION("dropIndex") {
    const Migration m = defineMigration({.name = "drop-idx", .up = Steps{b.dropIndex("users", "users_name_index")}});
    CHECK_THAT(rollbackError(m), Contains("migration 'drop-idx'") && Contains("step 1 of 1") &&
                                     Contains("dropIndex(\"users\", \"users_name_index\")"));
  }
  SECTION("rawSql without down") {
    const Migration m = defineMigration({
        .name = "backfill",
        .up = Steps{rawSql("CREATE TABLE x (id INT)", "DROP TABLE x"), rawSql("UPDATE users SET active = TRUE"),
                    rawSql("SELECT 1", "SELECT 2")},
    });
    CHECK_THAT(rollbackError(m), Contains("migration 'backfill'") && Contains("step 2 of 3") &&
                                     Contains("rawSql(\"UPDATE users SET active = TRUE\")"));
  }
}

TEST_CASE("describe names each step as jsorm code would") {
  CHECK(b.createTable(User).describe() == "createTable(\"users\")");
  CHECK(b.dropTable("users").describe() == "dropTable(\"users\")");
  CHECK(b.renameTable("people", "persons").describe() == "renameTable(\"people\", \"persons\")");
  CHECK(b.addColumn("users", "timezone", b.string()).describe() == "addColumn(\"users\", \"timezone\")");
  CHECK(b.addColumn("users", "role", b.belongsTo(Role)).describe() == "addColumn(\"users\", \"role_id\")");
  CHECK(b.dropColumn("users", "timezone").describe() == "dropColumn(\"users\", \"timezone\")");
  CHECK(b.renameColumn("users", "name", "full_name").describe() == "renameColumn(\"users\", \"name\", \"full_name\")");
  CHECK(b.createIndex("users", {"name"}).describe() == "createIndex(\"users\", {\"name\"})");
  CHECK(b.createIndex("users", {"first", "last"}).describe() == "createIndex(\"users\", {\"first\", \"last\"})");
  CHECK(b.dropIndex("users", "users_name_index").describe() == "dropIndex(\"users\", \"users_name_index\")");
  CHECK(rawSql("SELECT 1").describe() == "rawSql(\"SELECT 1\")");
}

TEST_CASE("describe shortens long rawSql to its first 60 characters") {
  const std::string longSql = "UPDATE users SET name = lower(name) WHERE name IS NOT NULL AND id > 1000 AND active";
  REQUIRE(longSql.size() > 60);
  CHECK(rawSql(longSql).describe() == "rawSql(\"" + longSql.substr(0, 60) + "...\")");
  const std::string exactly60(60, 'x');
  CHECK(rawSql(exactly60).describe() == "rawSql(\"" + exactly60 + "\")");
}

TEST_CASE("only a concurrent createIndex needs to run outside a transaction") {
  CHECK(b.createIndex("users", {"name"}, {.concurrently = true}).needsNoTransaction());
  CHECK_FALSE(b.createIndex("users", {"name"}).needsNoTransaction());
  CHECK_FALSE(b.createIndex("users", {"name"}, {.unique = true}).needsNoTransaction());
  CHECK_FALSE(b.createTable(User).needsNoTransaction());
  CHECK_FALSE(b.dropTable("users").needsNoTransaction());
  CHECK_FALSE(b.addColumn("users", "x", b.text()).needsNoTransaction());
  CHECK_FALSE(b.dropColumn("users", "x").needsNoTransaction());
  CHECK_FALSE(b.renameColumn("users", "x", "y").needsNoTransaction());
  CHECK_FALSE(b.renameTable("users", "people").needsNoTransaction());
  CHECK_FALSE(b.dropIndex("users", "i").needsNoTransaction());
  CHECK_FALSE(rawSql("CREATE INDEX CONCURRENTLY i ON users (name)").needsNoTransaction());
}

TEST_CASE("MigrationBody tells a missing body from an empty step list") {
  const Migration m = defineMigration({.name = "m", .up = Steps{}});
  CHECK_FALSE(m.up.empty());
  CHECK(m.down.empty());
  CHECK(m.up.build().empty());
  CHECK(m.transaction);
}

TEST_CASE("a callback body builds its steps each time it is asked") {
  int calls = 0;
  const MigrationBody body = [&calls](Builder& t) {
    ++calls;
    return Steps{t.dropTable("x")};
  };
  CHECK(body.build().size() == 1);
  CHECK(body.build().size() == 1);
  CHECK(calls == 2);
}
