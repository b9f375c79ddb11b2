// The raw-type rules every adapter's introspect shares: normalising what a database prints,
// splitting off the arguments, and the jsorm type a raw type most likely holds.
#include <jsorm/introspection.hpp>

#include <catch2/catch.hpp>

using namespace jsorm;

TEST_CASE("normalRawType lower-cases, drops spaces inside parentheses and collapses the rest") {
  CHECK(normalRawType("NUMERIC(12, 2)") == "numeric(12,2)");
  CHECK(normalRawType("  Character   Varying ( 40 ) ") == "character varying(40)");
  CHECK(normalRawType("timestamp(6)  WITHOUT time zone") == "timestamp(6) without time zone");
  CHECK(normalRawType("") == "");
}

TEST_CASE("splitRawType keeps numeric arguments and the name around them") {
  const auto decimal = splitRawType("decimal(12,2)");
  CHECK(decimal.name == "decimal");
  CHECK(decimal.arguments == std::vector<int>{12, 2});
  const auto stamp = splitRawType("timestamp(3) with time zone");
  CHECK(stamp.name == "timestamp with time zone");
  CHECK(stamp.arguments == std::vector<int>{3});
  // Hostile: words, an unclosed parenthesis, a number too large for int.
  CHECK(splitRawType("enum('a','b')").arguments.empty());
  CHECK(splitRawType("varchar(12").arguments == std::vector<int>{12});
  CHECK(splitRawType("varchar(99999999999)").arguments.empty());
}

TEST_CASE("likelyFieldType maps each database's spellings to the jsorm type") {
  auto type = [](const char* raw) { return fieldTypeName(likelyFieldType(splitRawType(raw))); };
  CHECK(type("integer") == std::string("number"));
  CHECK(type("int unsigned") == std::string("number"));
  CHECK(type("bigint") == std::string("bigint"));
  CHECK(type("int8") == std::string("bigint"));
  CHECK(type("double precision") == std::string("real"));
  CHECK(type("real") == std::string("real"));
  CHECK(type("numeric(12,2)") == std::string("decimal"));
  CHECK(type("character varying(40)") == std::string("string"));
  CHECK(type("varchar(255)") == std::string("string"));
  CHECK(type("character varying") == std::string("text"));  // no length: unbounded
  CHECK(type("longtext") == std::string("text"));
  CHECK(type("boolean") == std::string("boolean"));
  CHECK(type("date") == std::string("date"));
  CHECK(type("datetime(6)") == std::string("timestamp"));
  CHECK(type("timestamp without time zone") == std::string("timestamp"));
  CHECK(type("jsonb") == std::string("json"));
  CHECK(type("uuid") == std::string("uuid"));
  CHECK(type("bytea") == std::string("bytes"));
  CHECK(type("longblob") == std::string("bytes"));
}

TEST_CASE("describeRawType sets length for strings and precision and scale for decimals only") {
  ColumnSnapshot column;
  describeRawType(column, "NUMERIC(8, 3)");
  CHECK(column.rawType == "numeric(8,3)");
  CHECK(column.precision == 8);
  CHECK(column.scale == 3);
  CHECK(column.length == 0);
  describeRawType(column, "datetime(6)");
  CHECK(column.type == FieldType::Timestamp);
  CHECK(column.precision == 0);
  CHECK(column.length == 0);
}

TEST_CASE("finishIntrospection sorts by name and flags columns covered by a single-column index") {
  SchemaSnapshot schema;
  TableSnapshot b{.name = "b"};
  b.columns = {ColumnSnapshot{.name = "x"}, ColumnSnapshot{.name = "y"}, ColumnSnapshot{.name = "z"}};
  b.indexes = {{"b_z", {"z"}, false}, {"b_xy", {"x", "y"}, true}, {"b_x", {"x"}, true}};
  schema.tables = {b, TableSnapshot{.name = "a"}};
  IntrospectedSchema live({"b", "a"});
  *live.table("b") = b;
  CHECK(live.table("c") == nullptr);
  CHECK(live.column("b", "nope") == nullptr);
  const auto done = std::move(live).finish();
  REQUIRE(done.tables.size() == 2);
  CHECK(done.tables[0].name == "a");
  const auto& table = done.tables[1];
  CHECK(table.indexes[0].name == "b_x");
  CHECK(table.indexes[2].name == "b_z");
  CHECK(table.column("x")->unique);
  CHECK_FALSE(table.column("x")->index);
  CHECK_FALSE(table.column("y")->unique);  // only in a two-column index
  CHECK_FALSE(table.column("y")->index);
  CHECK(table.column("z")->index);
}
