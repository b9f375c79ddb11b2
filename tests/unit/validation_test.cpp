// jsorm::validate: every mistake of a source reported at once, as one SchemaError.
#include <jsorm/error.hpp>
#include <jsorm/source.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {
const Model Role = defineModel("roles", {
    {"id", t.number().primary()},
    {"name", t.string().unique()},
});
const Model User = defineModel("users", {
    {"id", t.number().primary()},
    {"name", t.string()},
    {"role", t.belongsTo(Role)},
});

const Migration init = defineMigration({
    .name = "init",
    .up = [](Builder& t) { return Steps{t.createTable(Role), t.createTable(User)}; },
});

MigrationSource sourceOf(std::vector<Migration> migrations) {
  return defineMigrationSource({
      .adapter = sqliteAdapter({.path = ":memory:"}),
      .migrations = std::move(migrations),
  });
}

// The message of the SchemaError validate throws; fails the test when it does not throw one.
template <class Source>
std::string problems(const Source& source) {
  try {
    validate(source);
  } catch (const SchemaError& e) {
    return e.what();
  }
  FAIL_CHECK("validate did not throw SchemaError");
  return {};
}
}  // namespace

TEST_CASE("a valid source passes validation") {
  const MigrationSource source = sourceOf({
      init,
      defineMigration({
          .name = "add-user-timezone",
          .up = [](Builder& t) { return Steps{t.addColumn("users", "timezone", t.string().optional())}; },
          .down = [](Builder& t) { return Steps{t.dropColumn("users", "timezone", {.ifExists = true})}; },
      }),
      defineMigration({
          .name = "index-and-rename",
          .up = [](Builder& t) {
            return Steps{t.createIndex("users", {"name", "timezone"}), t.renameColumn("users", "name", "full_name"),
                         t.createIndex("users", {"full_name"}, {.unique = true}), t.renameTable("users", "people"),
                         t.createIndex("people", {"role_id"})};
          },
      }),
      defineMigration({.name = "raw", .up = Steps{rawSql("CREATE VIEW v AS SELECT 1", "DROP VIEW v")}}),
  });
  CHECK_NOTHROW(validate(source));
}

TEST_CASE("an empty source with the default tracking table passes validation") {
  CHECK_NOTHROW(validate(sourceOf({})));
  CHECK(sourceOf({}).migrationTable == "jsorm_migrations");
}

TEST_CASE("validate reports a migration name used twice") {
  const std::string message = problems(sourceOf({init, init}));
  CHECK_THAT(message, Contains("migration name 'init' is used twice"));
  CHECK_THAT(message, !Contains("problems"));
}

TEST_CASE("validate reports a migration without a name by its position") {
  CHECK_THAT(problems(sourceOf({init, defineMigration({.up = Steps{rawSql("SELECT 1")}})})),
             Contains("migration #2 has no name"));
}

TEST_CASE("validate reports a migration without up") {
  CHECK_THAT(problems(sourceOf({defineMigration({.name = "nothing", .down = Steps{rawSql("SELECT 1")}})})),
             Contains("migration 'nothing' has no up"));
}

TEST_CASE("validate reports an invalid migrationTable") {
  MigrationSource source = sourceOf({init});
  source.migrationTable = "";
  CHECK_THAT(problems(source), Contains("migrationTable is empty"));
  source.migrationTable = std::string(64, 'm');
  CHECK_THAT(problems(source), Contains("migrationTable") && Contains("64 bytes long"));
  source.migrationTable = "jsorm\nmigrations";
  CHECK_THAT(problems(source), Contains("migrationTable contains a control character"));
  source.migrationTable = "my_migrations";
  CHECK_NOTHROW(validate(source));
}

TEST_CASE("validate reports invalid identifiers inside steps, naming the migration and the step") {
  const std::string tooLong(64, 'x');
  SECTION("table name of dropTable") {
    CHECK_THAT(problems(sourceOf({defineMigration({.name = "m", .up = [](Builder& t) { return Steps{t.dropTable("")}; }})})),
               Contains("migration 'm', dropTable(\"\"): table name is empty"));
  }
  SECTION("new name of renameTable") {
    CHECK_THAT(problems(sourceOf({defineMigration(
                   {.name = "m", .up = [&](Builder& t) { return Steps{t.renameTable("users", tooLong)}; }})})),
               Contains("migration 'm', renameTable(\"users\"") && Contains("64 bytes long"));
  }
  SECTION("column name of addColumn") {
    CHECK_THAT(problems(sourceOf({defineMigration(
                   {.name = "m", .up = [](Builder& t) { return Steps{t.addColumn("users", "a\tb", t.text())}; }})})),
               Contains("column name contains a control character"));
  }
  SECTION("column names of renameColumn") {
    CHECK_THAT(problems(sourceOf({defineMigration(
                   {.name = "m", .up = [](Builder& t) { return Steps{t.renameColumn("users", "name", "")}; }})})),
               Contains("renameColumn(\"users\", \"name\", \"\"): column name is empty"));
  }
  SECTION("column name of dropColumn") {
    CHECK_THAT(problems(sourceOf({defineMigration(
                   {.name = "m", .up = [](Builder& t) { return Steps{t.dropColumn("users", "")}; }})})),
               Contains("column name is empty"));
  }
  SECTION("index name and columns of createIndex") {
    CHECK_THAT(problems(sourceOf({defineMigration(
                   {.name = "m", .up = [&](Builder& t) { return Steps{t.createIndex("users", {"name"}, {.name = tooLong})}; }})})),
               Contains("index name") && Contains("64 bytes long"));
    CHECK_THAT(problems(sourceOf({defineMigration(
                   {.name = "m", .up = [](Builder& t) { return Steps{t.createIndex("users", {})}; }})})),
               Contains("the index has no columns"));
  }
  SECTION("index name of dropIndex") {
    CHECK_THAT(problems(sourceOf({defineMigration(
                   {.name = "m", .up = [](Builder& t) { return Steps{t.dropIndex("users", "")}; }})})),
               Contains("index name is empty"));
  }
  SECTION("a default index name that grows past 63 bytes") {
    const std::string table(30, 't');
    const std::string column(30, 'c');
    CHECK_THAT(problems(sourceOf({defineMigration(
                   {.name = "m", .up = [&](Builder& t) { return Steps{t.createIndex(table, {column})}; }})})),
               Contains("index name") && Contains("67 bytes long"));
  }
}

// Found while writing these tests: createTable checks the names of the indexes its fields
// imply, but addColumn does not, so PostgreSQL silently truncates `<table>_<column>_unique`.
TEST_CASE("validate reports an index name implied by addColumn that grows past 63 bytes") {
  const std::string table(30, 't');
  const std::string column(30, 'c');
  CHECK_THAT(problems(sourceOf({defineMigration({
                 .name = "m",
                 .up = [&](Builder& t) { return Steps{t.addColumn(table, column, t.string().optional().unique())}; },
             })})),
             Contains("index name") && Contains("68 bytes long"));
  CHECK_THAT(problems(sourceOf({defineMigration({
                 .name = "m",
                 .up = [&](Builder& t) { return Steps{t.addColumn(table, column, t.string().optional().index())}; },
             })})),
             Contains("index name") && Contains("67 bytes long"));
}

TEST_CASE("validate reports an index name implied by createTable that grows past 63 bytes") {
  const Model wide = defineModel(std::string(30, 't'), {{"id", t.number().primary()}, {std::string(30, 'c'), t.text().index()}});
  REQUIRE(wide.errors().empty());
  CHECK_THAT(problems(sourceOf({defineMigration({.name = "m", .up = [&](Builder& t) { return Steps{t.createTable(wide)}; }})})),
             Contains("migration 'm', createTable(") && Contains("index name") && Contains("67 bytes long"));
}

TEST_CASE("validate reports createIndex on a column that a table created earlier lacks") {
  const std::string message = problems(sourceOf({
      init,
      defineMigration({.name = "idx", .up = [](Builder& t) { return Steps{t.createIndex("users", {"name", "nickname"})}; }}),
  }));
  CHECK_THAT(message, Contains("migration 'idx', createIndex(\"users\", {\"name\", \"nickname\"}): table 'users' has "
                               "no column 'nickname'"));
}

TEST_CASE("validate checks createIndex against the columns a belongsTo resolves to") {
  CHECK_NOTHROW(validate(sourceOf({
      init,
      defineMigration({.name = "idx", .up = [](Builder& t) { return Steps{t.createIndex("users", {"role_id"})}; }}),
  })));
  CHECK_THAT(problems(sourceOf({
                 init,
                 defineMigration({.name = "idx", .up = [](Builder& t) { return Steps{t.createIndex("users", {"role"})}; }}),
             })),
             Contains("table 'users' has no column 'role'"));
}

TEST_CASE("validate does not check columns of a table the source never created") {
  CHECK_NOTHROW(validate(sourceOf({
      defineMigration({.name = "idx",
                       .up = [](Builder& t) {
                         return Steps{t.createIndex("legacy", {"anything"}), t.dropColumn("legacy", "whatever"),
                                      t.renameColumn("legacy", "a", "b")};
                       }}),
  })));
}

TEST_CASE("validate follows columns added, dropped and renamed by earlier steps") {
  CHECK_NOTHROW(validate(sourceOf({
      init,
      defineMigration({.name = "add", .up = [](Builder& t) { return Steps{t.addColumn("users", "tz", t.text())}; }}),
      defineMigration({.name = "idx", .up = [](Builder& t) { return Steps{t.createIndex("users", {"tz"})}; }}),
  })));
  CHECK_THAT(problems(sourceOf({
                 init,
                 defineMigration({.name = "drop", .up = [](Builder& t) { return Steps{t.dropColumn("users", "name")}; }}),
                 defineMigration({.name = "idx", .up = [](Builder& t) { return Steps{t.createIndex("users", {"name"})}; }}),
             })),
             Contains("migration 'idx'") && Contains("table 'users' has no column 'name'"));
  CHECK_THAT(problems(sourceOf({
                 init,
                 defineMigration({.name = "ren", .up = [](Builder& t) { return Steps{t.renameTable("users", "people")}; }}),
                 defineMigration({.name = "idx", .up = [](Builder& t) { return Steps{t.createIndex("people", {"nope"})}; }}),
             })),
             Contains("table 'people' has no column 'nope'"));
}

TEST_CASE("validate reports dropColumn of an unknown column of a known table") {
  CHECK_THAT(problems(sourceOf({
                 init,
                 defineMigration({.name = "drop", .up = [](Builder& t) { return Steps{t.dropColumn("users", "nickname")}; }}),
             })),
             Contains("migration 'drop', dropColumn(\"users\", \"nickname\"): table 'users' has no column 'nickname'"));
}

TEST_CASE("validate accepts dropColumn ifExists of an unknown column") {
  CHECK_NOTHROW(validate(sourceOf({
      init,
      defineMigration({.name = "drop",
                       .up = [](Builder& t) { return Steps{t.dropColumn("users", "nickname", {.ifExists = true})}; }}),
  })));
}

TEST_CASE("validate reports renameColumn of an unknown column of a known table") {
  CHECK_THAT(problems(sourceOf({
                 init,
                 defineMigration({.name = "ren", .up = [](Builder& t) { return Steps{t.renameColumn("users", "nick", "handle")}; }}),
             })),
             Contains("migration 'ren', renameColumn(\"users\", \"nick\", \"handle\"): table 'users' has no column 'nick'"));
}

TEST_CASE("validate reports an empty rawSql") {
  CHECK_THAT(problems(sourceOf({defineMigration({.name = "raw", .up = Steps{rawSql("")}})})),
             Contains("migration 'raw', rawSql(\"\"): the SQL is empty"));
  CHECK_THAT(problems(sourceOf({defineMigration({.name = "raw", .up = Steps{rawSql(" ;\n\t")}})})),
             Contains("the SQL is empty"));
}

TEST_CASE("validate reports a model with errors used in createTable") {
  const Model bad = defineModel("bad", {{"id", t.number().primary()}, {"d", t.decimal(2, 5)}});
  CHECK_THAT(problems(sourceOf({defineMigration({.name = "create-bad",
                                                 .up = [&](Builder& t) { return Steps{t.createTable(bad)}; }})})),
             Contains("migration 'create-bad'") && Contains("model 'bad'") && Contains("decimal(2, 5)"));
}

TEST_CASE("validate reports a relation error thrown while building a migration's steps") {
  const Model noKey = defineModel("nokey", {{"name", t.string()}});
  CHECK_THAT(problems(sourceOf({defineMigration({.name = "fk",
                                                 .up = [&](Builder& t) {
                                                   return Steps{t.addColumn("users", "owner", t.belongsTo(noKey))};
                                                 }})})),
             Contains("migration 'fk'") && Contains("which has no primary key"));
}

TEST_CASE("validate reports a down that cannot be built") {
  const Model bad = defineModel("", {{"id", t.number().primary()}});
  CHECK_THAT(problems(sourceOf({defineMigration({.name = "m",
                                                 .up = Steps{rawSql("SELECT 1")},
                                                 .down = [&](Builder& t) { return Steps{t.createTable(bad)}; }})})),
             Contains("migration 'm'") && Contains("table name is empty"));
}

TEST_CASE("validate reports every problem in one message with their count") {
  MigrationSource source = sourceOf({
      init,
      init,
      defineMigration({.name = "raw", .up = Steps{rawSql("")}}),
  });
  source.migrationTable = "";
  const std::string message = problems(source);
  CHECK_THAT(message, StartsWith("3 problems: "));
  CHECK_THAT(message, Contains("migrationTable is empty"));
  CHECK_THAT(message, Contains("migration name 'init' is used twice"));
  CHECK_THAT(message, Contains("the SQL is empty"));
}

TEST_CASE("validate counts two problems in one migration as two") {
  const std::string message = problems(sourceOf({
      init,
      defineMigration({.name = "m",
                       .up = [](Builder& t) { return Steps{t.dropColumn("users", "a"), t.dropColumn("roles", "b")}; }}),
  }));
  CHECK_THAT(message, StartsWith("2 problems: "));
  CHECK_THAT(message, Contains("table 'users' has no column 'a'") && Contains("table 'roles' has no column 'b'"));
}

TEST_CASE("checkIdentifier throws SchemaError naming what is wrong") {
  CHECK_NOTHROW(checkIdentifier("users", "table name"));
  CHECK_NOTHROW(checkIdentifier(std::string(63, 'a'), "table name"));
  CHECK_THROWS_MATCHES(checkIdentifier("", "table name"), SchemaError, Catch::Matchers::Message("table name is empty"));
  CHECK_THROWS_WITH(checkIdentifier(std::string(64, 'a'), "column name"),
                    Contains("column name '") && Contains("is 64 bytes long (the limit is 63)"));
  CHECK_THROWS_MATCHES(checkIdentifier("a\x1f" "b", "index name"), SchemaError,
                       Catch::Matchers::Message("index name contains a control character"));
}

TEST_CASE("validate of a generate source passes valid models") {
  CHECK_NOTHROW(validate(defineMigrationGenerateSource({.models = {Role, User}})));
  CHECK(defineMigrationGenerateSource({.models = {Role}}).snapshotPath == ".migrations/schema.json");
}

TEST_CASE("validate of a generate source reports model errors, duplicate tables and an empty snapshotPath") {
  const Model bad = defineModel("bad", {{"id", t.number().primary()}, {"x", t.decimal(0, 0)}});
  CHECK_THAT(problems(defineMigrationGenerateSource({.models = {Role, bad}})),
             Contains("model 'bad'") && Contains("decimal(0, 0)"));
  CHECK_THAT(problems(defineMigrationGenerateSource({.models = {Role, User, Role}})),
             Contains("model 'roles' is defined twice"));
  CHECK_THAT(problems(defineMigrationGenerateSource({.models = {Role}, .snapshotPath = ""})),
             Contains("snapshotPath is empty"));
  CHECK_THAT(problems(defineMigrationGenerateSource({.models = {bad, bad}, .snapshotPath = ""})),
             StartsWith("4 problems: "));
}
