// Rows typed through the model: normalised cells and accessors that refuse mismatches.
#include <jsorm/error.hpp>
#include <jsorm/row.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace jsorm;
using Catch::Matchers::Contains;

namespace {
const Model Thing = defineModel("things", {
                                              {"id", t.number().primary()},
                                              {"name", t.string()},
                                              {"price", t.decimal(10, 2).optional()},
                                              {"ok", t.boolean()},
                                              {"at", t.timestamp().optional()},
                                              {"doc", t.json().optional()},
                                              {"raw", t.bytes().optional()},
                                          });

Row rowOf(std::vector<Value> cells) {
  const auto statement = compileSelect(Thing, nlohmann::json::object(), sqliteDialect());
  return Row(statement.table, statement.fields, std::move(cells));
}

}  // namespace

TEST_CASE("cells are read with the accessor of their field's type") {
  const Row row = rowOf({std::int64_t{1}, std::string("n"), std::string("12.50"), std::int64_t{1},
                         std::string("2024-01-02 03:04:05"), std::string(R"({"a":[1,2]})"), Bytes{0, 1}});
  CHECK(row.integer("id") == 1);
  CHECK(row.text("name") == "n");
  CHECK(row.real("price") == 12.5);  // PostgreSQL's numeric text
  CHECK(row.boolean("ok"));          // SQLite's 1
  CHECK(row.timestamp("at") == "2024-01-02 03:04:05");
  CHECK(row.json("doc") == nlohmann::json{{"a", {1, 2}}});
  CHECK(row.bytes("raw") == Bytes{0, 1});
  CHECK(row.get<int>("id") == 1);
  CHECK(row.get<std::string>("at") == "2024-01-02 03:04:05");
  CHECK(row.type("ok") == CellType::Boolean);
  CHECK(row.toJson()["doc"]["a"][1] == 2);
}

TEST_CASE("a NULL cell is an error for a plain accessor and empty for std::optional") {
  const Row row = rowOf({std::int64_t{1}, std::string("n"), std::monostate{}, false, std::monostate{},
                         std::monostate{}, std::monostate{}});
  CHECK(row.isNull("price"));
  CHECK(row.type("price") == CellType::Null);
  CHECK_FALSE(row.get<std::optional<double>>("price").has_value());
  CHECK_THROWS_AS(row.real("price"), QueryError);
  CHECK_THROWS_WITH(row.real("price"), Contains("things.price is NULL"));
  CHECK(row.toJson()["doc"].is_null());
}

TEST_CASE("the wrong accessor, an unknown field or an unselected one is a clear error") {
  const Row row = rowOf({std::int64_t{1}, std::string("n"), std::monostate{}, false, std::monostate{},
                         std::monostate{}, std::monostate{}});
  CHECK_THROWS_WITH(row.integer("name"), Contains("things.name is typed text, not integer; read it with text()"));
  CHECK_THROWS_WITH(row.text("nope"), Contains("model 'things' has no field 'nope'"));
  const auto statement = compileSelect(Thing, {{"select", {"id"}}}, sqliteDialect());
  const Row narrow(statement.table, statement.fields, {std::int64_t{1}});
  CHECK_THROWS_WITH(narrow.text("name"), Contains("it was not selected"));
  CHECK_FALSE(narrow.has("name"));
}

TEST_CASE("a cell the database holds in another type than the field says is reported, not converted") {
  const Row row = rowOf({std::string("abc"), std::string("n"), std::monostate{}, std::int64_t{5}, std::monostate{},
                         std::monostate{}, std::monostate{}});
  CHECK_THROWS_WITH(row.integer("id"), Contains("things.id is typed integer but the database returned text"));
  CHECK_THROWS_WITH(row.boolean("ok"), Contains("returned an integer"));
}
