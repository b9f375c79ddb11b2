// Models: what the field factory and modifiers record, and what defineModel reports.
#include <jsorm/model.hpp>

#include <catch2/catch.hpp>


#include <string>
#include <utility>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;

namespace {
const Model Role = defineModel("roles", {
    {"id", t.number().primary()},
    {"name", t.string()},
});
const Model NoKey = defineModel("nokey", {
    {"name", t.string()},
});

// The one error a model recorded; fails the test when there is not exactly one.
std::string onlyError(const Model& model) {
  REQUIRE(model.errors().size() == 1);
  return model.errors().front();
}
}  // namespace

TEST_CASE("each field factory records its field type") {
  struct Case {
    Field field;
    FieldType type;
    const char* name;
  };
  const std::vector<Case> cases{
      {t.number(), FieldType::Number, "number"},       {t.bigint(), FieldType::BigInt, "bigint"},
      {t.real(), FieldType::Real, "real"},             {t.decimal(10, 2), FieldType::Decimal, "decimal"},
      {t.string(), FieldType::String, "string"},       {t.text(), FieldType::Text, "text"},
      {t.boolean(), FieldType::Boolean, "boolean"},    {t.date(), FieldType::Date, "date"},
      {t.timestamp(), FieldType::Timestamp, "timestamp"}, {t.json(), FieldType::Json, "json"},
      {t.uuid(), FieldType::Uuid, "uuid"},             {t.bytes(), FieldType::Bytes, "bytes"},
      {t.belongsTo(Role), FieldType::BelongsTo, "belongsTo"},
      {t.manyToMany(Role), FieldType::ManyToMany, "manyToMany"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(c.field.spec().type == c.type);
    CHECK(std::string(fieldTypeName(c.type)) == c.name);
  }
}

TEST_CASE("a new field is required, not primary, not unique, unindexed and has no default") {
  const FieldSpec spec = t.string().spec();
  CHECK_FALSE(spec.primary);
  CHECK_FALSE(spec.unique);
  CHECK_FALSE(spec.optional);
  CHECK_FALSE(spec.index);
  CHECK_FALSE(spec.defaultValue.has_value());
  CHECK(spec.defaultSql.empty());
  CHECK(spec.renamedFrom.empty());
  CHECK(spec.target == nullptr);
}

TEST_CASE("decimal records precision and scale, string records its length") {
  const FieldSpec decimal = t.decimal(12, 4).spec();
  CHECK(decimal.precision == 12);
  CHECK(decimal.scale == 4);
  CHECK(t.string().spec().length == 0);
  CHECK(t.string(40).spec().length == 40);
}

TEST_CASE("each modifier sets its flag in FieldSpec") {
  CHECK(t.number().primary().spec().primary);
  CHECK(t.string().unique().spec().unique);
  CHECK(t.string().optional().spec().optional);
  CHECK(t.boolean().index().spec().index);
  CHECK(t.timestamp().defaultRaw("CURRENT_TIMESTAMP").spec().defaultSql == "CURRENT_TIMESTAMP");
  CHECK(t.string().renamedFrom("full_name").spec().renamedFrom == "full_name");
}

TEST_CASE("modifiers chain and leave the original field unchanged") {
  const Field base = t.string(80);
  const Field modified = base.unique().optional().index().defaultTo("x");
  CHECK_FALSE(base.spec().unique);
  CHECK_FALSE(base.spec().optional);
  CHECK_FALSE(base.spec().index);
  CHECK_FALSE(base.spec().defaultValue.has_value());
  const FieldSpec& spec = modified.spec();
  CHECK(spec.type == FieldType::String);
  CHECK(spec.length == 80);
  CHECK(spec.unique);
  CHECK(spec.optional);
  CHECK(spec.index);
  REQUIRE(spec.defaultValue.has_value());
  CHECK(std::get<std::string>(*spec.defaultValue) == "x");
}

TEST_CASE("defaultTo records each literal type") {
  SECTION("bool") {
    const auto value = t.boolean().defaultTo(true).spec().defaultValue;
    REQUIRE(value.has_value());
    REQUIRE(std::holds_alternative<bool>(*value));
    CHECK(std::get<bool>(*value) == true);
    CHECK(std::get<bool>(*t.boolean().defaultTo(false).spec().defaultValue) == false);
  }
  SECTION("int, long and long long become 64-bit integers") {
    CHECK(std::get<std::int64_t>(*t.number().defaultTo(7).spec().defaultValue) == 7);
    CHECK(std::get<std::int64_t>(*t.number().defaultTo(-7L).spec().defaultValue) == -7);
    CHECK(std::get<std::int64_t>(*t.bigint().defaultTo(9007199254740993LL).spec().defaultValue) == 9007199254740993LL);
  }
  SECTION("double") {
    const auto value = t.real().defaultTo(1.5).spec().defaultValue;
    REQUIRE(std::holds_alternative<double>(*value));
    CHECK(std::get<double>(*value) == 1.5);
  }
  SECTION("a string literal is a string, not a bool") {
    const auto value = t.string().defaultTo("guest").spec().defaultValue;
    REQUIRE(std::holds_alternative<std::string>(*value));
    CHECK(std::get<std::string>(*value) == "guest");
  }
  SECTION("std::string") {
    const auto value = t.string().defaultTo(std::string("it's")).spec().defaultValue;
    REQUIRE(std::holds_alternative<std::string>(*value));
    CHECK(std::get<std::string>(*value) == "it's");
  }
}

TEST_CASE("belongsTo and manyToMany record the target model's definition") {
  CHECK(t.belongsTo(Role).spec().target == Role.data());
  CHECK(t.manyToMany(Role).spec().target == Role.data());
}

TEST_CASE("defineModel records the table and the fields in declaration order") {
  const Model users = defineModel("users", {
      {"id", t.number().primary()},
      {"name", t.string()},
      {"email", t.string().optional()},
  });
  CHECK(users.table() == "users");
  REQUIRE(users.fields().size() == 3);
  CHECK(users.fields()[0].first == "id");
  CHECK(users.fields()[1].first == "name");
  CHECK(users.fields()[2].first == "email");
  CHECK(users.fields()[2].second.spec().optional);
  CHECK(users.errors().empty());
}

TEST_CASE("defineModel accepts fields built at run time") {
  std::vector<std::pair<std::string, Field>> fields{{"id", t.number().primary()}};
  for (int i = 1; i <= 3; ++i) fields.emplace_back("col" + std::to_string(i), t.text());
  const Model generated = defineModel("generated", fields);
  CHECK(generated.fields().size() == 4);
  CHECK(generated.fields()[3].first == "col3");
  CHECK(generated.errors().empty());
}

TEST_CASE("a braced field list and a vector of the same fields define the same model") {
  const std::string table = "people";
  const Model braced = defineModel(table, {
      {"id", t.number().primary()},
      {std::string("na") + "me", t.string(80).unique()},
      {"active", t.boolean().defaultTo(true).index()},
  });
  const Model fromVector = defineModel(table, std::vector<std::pair<std::string, Field>>{
      {"id", t.number().primary()},
      {"name", t.string(80).unique()},
      {"active", t.boolean().defaultTo(true).index()},
  });
  CHECK(braced.table() == fromVector.table());
  REQUIRE(braced.fields().size() == fromVector.fields().size());
  for (std::size_t i = 0; i < braced.fields().size(); ++i) {
    const auto& a = braced.fields()[i];
    const auto& b = fromVector.fields()[i];
    CHECK(a.first == b.first);
    CHECK(a.second.spec().type == b.second.spec().type);
    CHECK(a.second.spec().length == b.second.spec().length);
    CHECK(a.second.spec().primary == b.second.spec().primary);
    CHECK(a.second.spec().unique == b.second.spec().unique);
    CHECK(a.second.spec().index == b.second.spec().index);
    CHECK(a.second.spec().defaultValue == b.second.spec().defaultValue);
  }
  CHECK(braced.errors().empty());
  CHECK(defineModel("empty", {}).fields().empty());
}

TEST_CASE("a modifier on a temporary and on a named field record the same") {
  Field named = t.number();
  const Field fromNamed = named.primary().unique().optional().index().defaultTo(3);
  const Field fromTemporary = t.number().primary().unique().optional().index().defaultTo(3);
  CHECK_FALSE(named.spec().primary);  // the named field is left as it was
  CHECK(fromNamed.spec().primary == fromTemporary.spec().primary);
  CHECK(fromNamed.spec().unique == fromTemporary.spec().unique);
  CHECK(fromNamed.spec().optional == fromTemporary.spec().optional);
  CHECK(fromNamed.spec().index == fromTemporary.spec().index);
  CHECK(fromNamed.spec().defaultValue == fromTemporary.spec().defaultValue);
  CHECK(std::move(named).defaultTo(2.5).spec().defaultValue == Literal{2.5});
  // A string literal stays a string on a temporary too, never the bool overload.
  CHECK(t.string().defaultTo("x").spec().defaultValue == Literal{std::string("x")});
  CHECK(t.string().optional().defaultTo(std::string("y")).spec().defaultValue == Literal{std::string("y")});
}

TEST_CASE("primaryKey finds the primary field, or nothing") {
  const auto* key = Role.primaryKey();
  REQUIRE(key != nullptr);
  CHECK(key->first == "id");
  CHECK(NoKey.primaryKey() == nullptr);
  const Model stringKey = defineModel("tags", {{"label", t.string()}, {"code", t.string(20).primary()}});
  REQUIRE(stringKey.primaryKey() != nullptr);
  CHECK(stringKey.primaryKey()->first == "code");
}

TEST_CASE("a default-constructed Model is empty") {
  const Model empty;
  CHECK(empty.table().empty());
  CHECK(empty.fields().empty());
  CHECK(empty.errors().empty());
  CHECK(empty.primaryKey() == nullptr);
}

TEST_CASE("copies of a Model share one definition") {
  const Model copy = Role;  // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(copy.data() == Role.data());
  CHECK(&copy.fields() == &Role.fields());
}

TEST_CASE("Model::renamedFrom records the previous table name on a new model") {
  const Model renamed = Role.renamedFrom("old_roles");
  CHECK(renamed.previousTable() == "old_roles");
  CHECK(renamed.table() == "roles");
  CHECK(renamed.fields().size() == Role.fields().size());
  CHECK(Role.previousTable().empty());
  CHECK(renamed.data() != Role.data());
}

TEST_CASE("a valid model records no errors") {
  const Model ok = defineModel("orders", {
      {"id", t.bigint().primary()},
      {"amount", t.decimal(10, 2)},
      {"ratio", t.decimal(5, 5)},
      {"scaleless", t.decimal(10, 0)},
      {"note", t.string(63)},
      {"role", t.belongsTo(Role)},
      {"roles", t.manyToMany(Role)},
      {std::string(63, 'c'), t.text().optional()},
  });
  CHECK(ok.errors().empty());
}

TEST_CASE("defineModel never throws, whatever the mistakes") {
  CHECK_NOTHROW(defineModel("", {{"", t.decimal(0, 0).defaultTo(1).defaultRaw("1")}, {"", t.belongsTo(Model())}}));
  const Model bad = defineModel("", {{"", t.decimal(0, 0).defaultTo(1).defaultRaw("1")}, {"", t.belongsTo(Model())}});
  CHECK(bad.errors().size() >= 5);
}

TEST_CASE("defineModel records an empty table name") {
  CHECK_THAT(onlyError(defineModel("", {{"id", t.number().primary()}})), Contains("table name is empty"));
}

TEST_CASE("defineModel records a table name longer than 63 bytes") {
  CHECK(defineModel(std::string(63, 'a'), {{"id", t.number().primary()}}).errors().empty());
  CHECK_THAT(onlyError(defineModel(std::string(64, 'a'), {{"id", t.number().primary()}})),
             Contains("64 bytes long") && Contains("the limit is 63"));
}

TEST_CASE("identifier length is counted in bytes, not characters") {
  std::string name;
  for (int i = 0; i < 32; ++i) name += "\xC3\xA9";  // 32 x U+00E9 = 64 bytes
  CHECK_THAT(onlyError(defineModel(name, {{"id", t.number().primary()}})), Contains("64 bytes long"));
  CHECK(defineModel("\xC3\xBCsers", {{"id", t.number().primary()}}).errors().empty());
}

TEST_CASE("defineModel records control characters in the table name") {
  CHECK_THAT(onlyError(defineModel("us\ters", {{"id", t.number().primary()}})), Contains("control character"));
  CHECK_THAT(onlyError(defineModel("us\x7f" "ers", {{"id", t.number().primary()}})), Contains("control character"));
  CHECK_THAT(onlyError(defineModel("users\n", {{"id", t.number().primary()}})), Contains("control character"));
}

TEST_CASE("defineModel records empty, too long and control-character field names") {
  CHECK_THAT(onlyError(defineModel("users", {{"id", t.number().primary()}, {"", t.string()}})),
             Contains("field name") && Contains("is empty"));
  CHECK_THAT(onlyError(defineModel("users", {{"id", t.number().primary()}, {std::string(64, 'f'), t.string()}})),
             Contains("field name") && Contains("64 bytes long"));
  CHECK_THAT(onlyError(defineModel("users", {{"id", t.number().primary()}, {"na\x01me", t.string()}})),
             Contains("field name") && Contains("control character"));
}

TEST_CASE("defineModel records a field name used twice") {
  const std::string error =
      onlyError(defineModel("users", {{"id", t.number().primary()}, {"name", t.string()}, {"name", t.text()}}));
  CHECK_THAT(error, Contains("model 'users'") && Contains("field 'name' is defined twice"));
}

TEST_CASE("defineModel records two primary keys") {
  CHECK_THAT(onlyError(defineModel("users", {{"id", t.number().primary()}, {"code", t.string().primary()}})),
             Contains("2 fields are marked primary()"));
}

TEST_CASE("defineModel records a decimal with a bad precision or scale") {
  CHECK_THAT(onlyError(defineModel("m", {{"id", t.number().primary()}, {"d", t.decimal(0, 0)}})),
             Contains("field 'd' is decimal(0, 0)"));
  CHECK_THAT(onlyError(defineModel("m", {{"id", t.number().primary()}, {"d", t.decimal(-3, 0)}})),
             Contains("decimal(-3, 0)"));
  CHECK_THAT(onlyError(defineModel("m", {{"id", t.number().primary()}, {"d", t.decimal(5, 6)}})),
             Contains("decimal(5, 6)"));
  CHECK_THAT(onlyError(defineModel("m", {{"id", t.number().primary()}, {"d", t.decimal(5, -1)}})),
             Contains("decimal(5, -1)"));
}

TEST_CASE("defineModel records a negative string length") {
  CHECK_THAT(onlyError(defineModel("m", {{"id", t.number().primary()}, {"s", t.string(-1)}})),
             Contains("field 's' has a negative string length"));
}

TEST_CASE("defineModel records defaultTo and defaultRaw on one field") {
  CHECK_THAT(onlyError(defineModel("m", {{"id", t.number().primary()},
                                         {"at", t.timestamp().defaultTo("2020-01-01").defaultRaw("CURRENT_TIMESTAMP")}})),
             Contains("field 'at' has both defaultTo and defaultRaw"));
}

TEST_CASE("defineModel records belongsTo a model without a primary key") {
  CHECK_THAT(onlyError(defineModel("m", {{"id", t.number().primary()}, {"owner", t.belongsTo(NoKey)}})),
             Contains("field 'owner' is belongsTo model 'nokey', which has no primary key"));
}

TEST_CASE("defineModel records manyToMany a model without a primary key") {
  CHECK_THAT(onlyError(defineModel("m", {{"id", t.number().primary()}, {"owners", t.manyToMany(NoKey)}})),
             Contains("field 'owners' is manyToMany model 'nokey', which has no primary key"));
}

TEST_CASE("defineModel records belongsTo a default-constructed Model") {
  CHECK_THAT(onlyError(defineModel("m", {{"id", t.number().primary()}, {"owner", t.belongsTo(Model())}})),
             Contains("field 'owner' relates to a model that is not defined yet"));
}

TEST_CASE("defineModel records a manyToMany field marked primary") {
  CHECK_THAT(onlyError(defineModel("m", {{"roles", t.manyToMany(Role).primary()}})),
             Contains("manyToMany field 'roles' cannot be a primary key"));
}

TEST_CASE("defineModel records each mistake of a model separately") {
  const Model bad = defineModel("m", {
      {"id", t.number().primary()},
      {"id", t.number().primary()},
      {"d", t.decimal(2, 3)},
  });
  CHECK(bad.errors().size() == 3);
}

// Found while writing these tests: `role` resolves to column `role_id`, the same column
// as the next field, so CREATE TABLE lists role_id twice and the database rejects it.
TEST_CASE("defineModel records a belongsTo column that collides with another field's column") {
  const Model clash = defineModel("posts", {
      {"id", t.number().primary()},
      {"role", t.belongsTo(Role)},
      {"role_id", t.number()},
  });
  REQUIRE_FALSE(clash.errors().empty());
  CHECK_THAT(clash.errors().front(), Contains("role_id"));
}

TEST_CASE("renamedFrom on a field is kept when the model is defined") {
  const Model users = defineModel("users", {{"id", t.number().primary()}, {"full_name", t.string().renamedFrom("name")}});
  CHECK(users.fields()[1].second.spec().renamedFrom == "name");
}
