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
  CHECK(row.timestamp("at") == "2024-01-02T03:04:05.000000");
  CHECK(row.json("doc") == nlohmann::json{{"a", {1, 2}}});
  CHECK(row.bytes("raw") == Bytes{0, 1});
  CHECK(row.get<int>("id") == 1);
  CHECK(row.get<std::string>("at") == "2024-01-02T03:04:05.000000");
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

TEST_CASE("each database's spelling of a value reads back in one form") {
  auto read = [](std::vector<Value> changed) {
    std::vector<Value> cells = {std::int64_t{1}, std::string("n"), std::monostate{}, false, std::monostate{},
                                std::monostate{}, std::monostate{}};
    for (std::size_t i = 0; i < changed.size(); ++i) {
      if (!std::holds_alternative<std::monostate>(changed[i])) cells[i] = changed[i];
    }
    return rowOf(cells);
  };
  auto at = [&](const char* stamp) { return read({{}, {}, {}, {}, std::string(stamp)}).timestamp("at"); };
  CHECK(at("2024-01-02 03:04:05") == "2024-01-02T03:04:05.000000");         // SQLite's CURRENT_TIMESTAMP
  CHECK(at("2024-01-02 03:04:05.5") == "2024-01-02T03:04:05.500000");       // PostgreSQL
  CHECK(at("2024-01-02 03:04:05.123400") == "2024-01-02T03:04:05.123400");  // MariaDB's DATETIME(6)
  CHECK(at("2024-01-02T03:04:05.1234567") == "2024-01-02T03:04:05.123456");
  CHECK(at("2024-01-02 01:04:05+02") == "2024-01-01T23:04:05.000000");  // a timestamptz column, in UTC
  CHECK(at("2024-12-31 23:30:00-01:30") == "2025-01-01T01:00:00.000000");
  CHECK(at("2024-01-02 03:04:05Z") == "2024-01-02T03:04:05.000000");
  CHECK(at("2024-01-02 03:04:05+0530") == "2024-01-01T21:34:05.000000");
  CHECK(at("2024-01-02 03:04:05+99:00") == "2024-01-02 03:04:05+99:00");  // no such zone: as given
  CHECK(at("infinity") == "infinity");  // not a time jsorm knows: left as the database said it

  auto price = [&](Value cell) { return read({{}, {}, std::move(cell)}).decimal("price"); };
  CHECK(price(std::string("12.50")) == "12.50");
  CHECK(price(12.5) == "12.50");  // SQLite's REAL
  CHECK(price(std::int64_t{12}) == "12.00");
  CHECK(price(std::string("12.5000")) == "12.50");
  CHECK(price(std::string("12.505")) == "12.505");
  CHECK(price(std::string("7.")) == "7.00");  // a digit past the scale is not rounded away
  CHECK(price(0.1) == "0.10");
  CHECK(price(-3.25) == "-3.25");
  CHECK(price(12345678.91) == "12345678.91");
  CHECK(read({{}, {}, std::string("1.50")}).toJson()["price"] == "1.50");

  CHECK(read({{}, {}, {}, {}, {}, std::string(R"({"b": [1, 2], "a": null})")}).toJson()["doc"] ==
        nlohmann::json{{"a", nullptr}, {"b", {1, 2}}});
  CHECK(std::get<std::string>(read({{}, {}, {}, {}, {}, std::string(R"({"b": 1})")}).value("doc")) == R"({"b":1})");
}
