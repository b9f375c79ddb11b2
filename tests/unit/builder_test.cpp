// The Builder and relation resolution: which steps and columns a migration's code produces.
#include <jsorm/builder.hpp>
#include <jsorm/error.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/runner.hpp>
#include <jsorm/step.hpp>

#include <catch2/catch.hpp>

using namespace jsorm;
using Catch::Matchers::Contains;

namespace {
const Model Role = defineModel("roles", {
    {"id", t.number().primary()},
    {"name", t.string().unique()},
});
const Model Tag = defineModel("tags", {
    {"code", t.string(20).primary()},
});
const Model NoKey = defineModel("nokey", {{"name", t.string()}});
const Model User = defineModel("users", {
    {"id", t.bigint().primary()},
    {"name", t.string().index()},
    {"role", t.belongsTo(Role).optional().index()},
    {"tags", t.manyToMany(Tag)},
});

// A copy of the step's operation, so it outlives a temporary Step.
template <class Op>
Op as(const Step& step) {
  const Op* op = std::get_if<Op>(&step.operation());
  REQUIRE(op != nullptr);
  return *op;
}
}  // namespace

TEST_CASE("the Builder offers the same field factories as t") {
  const Builder b;
  CHECK(b.decimal(8, 3).spec().precision == 8);
  CHECK(b.string(12).spec().length == 12);
  CHECK(b.uuid().spec().type == FieldType::Uuid);
  CHECK(b.belongsTo(Role).spec().target == Role.data());
}

TEST_CASE("defaultIndexName joins table and columns and ends in _index or _unique") {
  CHECK(defaultIndexName("users", {"email"}, false) == "users_email_index");
  CHECK(defaultIndexName("users", {"email"}, true) == "users_email_unique");
  CHECK(defaultIndexName("users", {"first", "last"}, false) == "users_first_last_index");
}

TEST_CASE("resolveColumns keeps a plain field as one column of the same name") {
  const auto columns = resolveColumns("users", "email", t.string().optional());
  REQUIRE(columns.size() == 1);
  CHECK(columns[0].name == "email");
  CHECK(columns[0].field.type == FieldType::String);
  CHECK(columns[0].field.optional);
  CHECK_FALSE(columns[0].references.has_value());
}

TEST_CASE("belongsTo resolves to <field>_<key> with the target key's type and a foreign key") {
  const auto columns = resolveColumns("posts", "tag", t.belongsTo(Tag).unique().defaultTo("misc"));
  REQUIRE(columns.size() == 1);
  const ColumnDef& column = columns[0];
  CHECK(column.name == "tag_code");
  CHECK(column.field.type == FieldType::String);
  CHECK(column.field.length == 20);
  CHECK_FALSE(column.field.primary);
  CHECK(column.field.unique);
  CHECK_FALSE(column.field.optional);
  REQUIRE(column.field.defaultValue.has_value());
  CHECK(std::get<std::string>(*column.field.defaultValue) == "misc");
  CHECK(column.field.target == nullptr);
  REQUIRE(column.references.has_value());
  CHECK(column.references->table == "tags");
  CHECK(column.references->column == "code");
}

TEST_CASE("belongsTo a number key is a plain number column, not a generated key") {
  const auto columns = resolveColumns("users", "role", t.belongsTo(Role));
  REQUIRE(columns.size() == 1);
  CHECK(columns[0].name == "role_id");
  CHECK(columns[0].field.type == FieldType::Number);
  CHECK_FALSE(columns[0].field.primary);
  CHECK_FALSE(columns[0].field.unique);  // the target key's uniqueness is not inherited
}

TEST_CASE("a renamed belongsTo field renames its column") {
  const auto columns = resolveColumns("users", "group", t.belongsTo(Role).renamedFrom("role"));
  CHECK(columns[0].field.renamedFrom == "role_id");
}

TEST_CASE("manyToMany resolves to no column") {
  CHECK(resolveColumns("users", "tags", t.manyToMany(Tag)).empty());
}

TEST_CASE("resolveColumns throws SchemaError for belongsTo a model without a primary key") {
  CHECK_THROWS_MATCHES(resolveColumns("posts", "owner", t.belongsTo(NoKey)), SchemaError,
                       Catch::Matchers::Message(
                           "model 'posts': field 'owner' belongsTo model 'nokey', which has no primary key"));
}

TEST_CASE("resolveTable resolves columns in order and adds an index per indexed field") {
  const step::CreateTable op = resolveTable(User);
  CHECK(op.table.name == "users");
  REQUIRE(op.table.columns.size() == 3);
  CHECK(op.table.columns[0].name == "id");
  CHECK(op.table.columns[1].name == "name");
  CHECK(op.table.columns[2].name == "role_id");
  REQUIRE(op.table.indexes.size() == 2);
  CHECK(op.table.indexes[0].name == "users_name_index");
  CHECK(op.table.indexes[0].table == "users");
  CHECK(op.table.indexes[0].columns == std::vector<std::string>{"name"});
  CHECK_FALSE(op.table.indexes[0].unique);
  CHECK(op.table.indexes[1].name == "users_role_id_index");
}

TEST_CASE("resolveTable makes a pivot table <table>_<field> with both keys and a unique index") {
  const step::CreateTable op = resolveTable(User);
  REQUIRE(op.pivots.size() == 1);
  const TableDef& pivot = op.pivots[0];
  CHECK(pivot.name == "users_tags");
  REQUIRE(pivot.columns.size() == 2);
  CHECK(pivot.columns[0].name == "users_id");
  CHECK(pivot.columns[0].field.type == FieldType::BigInt);
  CHECK_FALSE(pivot.columns[0].field.primary);
  CHECK_FALSE(pivot.columns[0].field.optional);
  REQUIRE(pivot.columns[0].references.has_value());
  CHECK(pivot.columns[0].references->table == "users");
  CHECK(pivot.columns[0].references->column == "id");
  CHECK(pivot.columns[1].name == "tags_code");
  CHECK(pivot.columns[1].field.type == FieldType::String);
  REQUIRE(pivot.columns[1].references.has_value());
  CHECK(pivot.columns[1].references->table == "tags");
  CHECK(pivot.columns[1].references->column == "code");
  REQUIRE(pivot.indexes.size() == 1);
  CHECK(pivot.indexes[0].name == "users_tags_users_id_tags_code_unique");
  CHECK(pivot.indexes[0].unique);
  CHECK(pivot.indexes[0].columns == std::vector<std::string>{"users_id", "tags_code"});
}

TEST_CASE("createTable of a model with errors throws SchemaError listing them") {
  const Model bad = defineModel("bad", {{"id", t.number().primary()}, {"id", t.text()}, {"d", t.decimal(0, 0)}});
  const Builder b;
  CHECK_THROWS_AS(b.createTable(bad), SchemaError);
  CHECK_THROWS_WITH(b.createTable(bad), Contains("field 'id' is defined twice") && Contains("decimal(0, 0)"));
}

TEST_CASE("createTable of a valid model is the resolved table") {
  const Builder b;
  const auto& op = as<step::CreateTable>(b.createTable(User));
  CHECK(op.table.name == "users");
  CHECK(op.table.columns.size() == 3);
  CHECK(op.pivots.size() == 1);
}

TEST_CASE("addColumn resolves a belongsTo field to its key column") {
  const Builder b;
  const auto& op = as<step::AddColumn>(b.addColumn("posts", "role", b.belongsTo(Role).optional()));
  CHECK(op.table == "posts");
  CHECK(op.column.name == "role_id");
  CHECK(op.column.field.optional);
  REQUIRE(op.column.references.has_value());
  CHECK(op.column.references->table == "roles");
}

TEST_CASE("addColumn refuses a manyToMany field") {
  const Builder b;
  CHECK_THROWS_AS(b.addColumn("users", "tags", b.manyToMany(Tag)), SchemaError);
  CHECK_THROWS_WITH(b.addColumn("users", "tags", b.manyToMany(Tag)), Contains("addColumn(\"users\", \"tags\")"));
}

TEST_CASE("dropColumn records ifExists") {
  const Builder b;
  CHECK_FALSE(as<step::DropColumn>(b.dropColumn("users", "tz")).ifExists);
  const auto& op = as<step::DropColumn>(b.dropColumn("users", "tz", {.ifExists = true}));
  CHECK(op.ifExists);
  CHECK(op.table == "users");
  CHECK(op.column == "tz");
}

TEST_CASE("createIndex builds the same step from a braced list as from a vector") {
  const Builder b;
  const std::string table = "users";
  const std::vector<std::string> columns{"first", "last"};
  CHECK(checksum(defineMigration({.name = "a", .up = Steps{b.createIndex("users", {"first", "last"})}})) ==
        checksum(defineMigration({.name = "b", .up = Steps{b.createIndex("users", columns)}})));
  CHECK(checksum(defineMigration({.name = "a", .up = Steps{b.createIndex(table, {"first", std::string("last")})}})) ==
        checksum(defineMigration({.name = "b", .up = Steps{b.createIndex(table, columns)}})));
  CHECK(checksum(defineMigration({.name = "a", .up = Steps{b.createIndex("users", {"first"}, {.unique = true})}})) ==
        checksum(defineMigration({.name = "b", .up = Steps{b.createIndex(table, std::vector<std::string>{"first"},
                                                                          {.unique = true})}})));
  const auto& index = as<step::CreateIndex>(b.createIndex(table, {"first", "last"}, {.name = "by_name"}));
  CHECK(index.index.table == "users");
  CHECK(index.index.name == "by_name");
  CHECK(index.index.columns == columns);
}

TEST_CASE("createIndex names the index <table>_<columns>_index unless told otherwise") {
  const Builder b;
  const auto& plain = as<step::CreateIndex>(b.createIndex("users", {"first", "last"}));
  CHECK(plain.index.name == "users_first_last_index");
  CHECK(plain.index.table == "users");
  CHECK(plain.index.columns == std::vector<std::string>{"first", "last"});
  CHECK_FALSE(plain.index.unique);
  CHECK_FALSE(plain.index.concurrently);

  const auto& unique = as<step::CreateIndex>(b.createIndex("users", {"email"}, {.unique = true}));
  CHECK(unique.index.name == "users_email_unique");
  CHECK(unique.index.unique);

  const auto& custom =
      as<step::CreateIndex>(b.createIndex("users", {"email"}, {.name = "by_email", .concurrently = true}));
  CHECK(custom.index.name == "by_email");
  CHECK(custom.index.concurrently);
}

TEST_CASE("the other Builder operations record their arguments") {
  const Builder b;
  CHECK(as<step::DropTable>(b.dropTable("users")).table == "users");
  const auto& renameTable = as<step::RenameTable>(b.renameTable("people", "persons"));
  CHECK(renameTable.from == "people");
  CHECK(renameTable.to == "persons");
  const auto& renameColumn = as<step::RenameColumn>(b.renameColumn("users", "name", "full_name"));
  CHECK(renameColumn.table == "users");
  CHECK(renameColumn.from == "name");
  CHECK(renameColumn.to == "full_name");
  const auto& dropIndex = as<step::DropIndex>(b.dropIndex("users", "users_name_index"));
  CHECK(dropIndex.table == "users");
  CHECK(dropIndex.name == "users_name_index");
}

TEST_CASE("rawSql keeps its up and optional down verbatim") {
  const Builder b;
  const auto& upOnly = as<step::RawSql>(b.rawSql("SELECT 1"));
  CHECK(upOnly.up == "SELECT 1");
  CHECK_FALSE(upOnly.down.has_value());
  const auto& both = as<step::RawSql>(rawSql("CREATE VIEW v AS SELECT 1", "DROP VIEW v"));
  CHECK(both.up == "CREATE VIEW v AS SELECT 1");
  REQUIRE(both.down.has_value());
  CHECK(*both.down == "DROP VIEW v");
}
