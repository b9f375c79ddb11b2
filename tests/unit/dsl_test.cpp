// The seed example of DESIGN.md must compile as written; this file holds it verbatim.
#include <jsorm/dialect.hpp>
#include <jsorm/jsorm.hpp>

#include <catch2/catch.hpp>

using namespace jsorm;

namespace {
const Model Role = defineModel("roles", {
    {"id", t.number().primary()},
    {"name", t.string().unique()},
});
const Model User = defineModel("users", {
    {"id", t.number().primary()},
    {"name", t.string()},
    {"email", t.string().optional()},
    {"active", t.boolean().defaultTo(true).index()},
    {"role", t.belongsTo(Role)},
});

const Migration initRolesAndUsers = defineMigration({
    .name = "init-roles-and-users",
    .up = [](Builder& t) { return Steps{t.createTable(Role), t.createTable(User)}; },
    .down = [](Builder& t) { return Steps{t.dropTable("users"), t.dropTable("roles")}; },
});
const Migration addUserTimezone = defineMigration({
    .name = "add-user-timezone",
    .up = [](Builder& t) { return Steps{t.addColumn("users", "timezone", t.string().optional())}; },
    .down = [](Builder& t) { return Steps{t.dropColumn("users", "timezone", {.ifExists = true})}; },
});
}  // namespace

TEST_CASE("the seed migrations render to SQLite SQL") {
  const Steps up = initRolesAndUsers.up.build();
  REQUIRE(up.size() == 2);
  const auto sql = sqliteDialect().render(up[1]);
  REQUIRE(sql.size() == 2);
  CHECK(sql[0].sql ==
        "CREATE TABLE \"users\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" VARCHAR(255) NOT NULL, "
        "\"email\" VARCHAR(255), \"active\" BOOLEAN NOT NULL DEFAULT TRUE, \"role_id\" INTEGER NOT NULL "
        "REFERENCES \"roles\" (\"id\"))");
  CHECK(sql[1].sql == "CREATE INDEX \"users_active_index\" ON \"users\" (\"active\")");
  CHECK(addUserTimezone.up.build().size() == 1);
}
