// Insert, read, update and remove through models, for every field type, on each adapter.
#include "query_fixture.hpp"

#include <catch2/catch.hpp>

using namespace jsorm;
using namespace jsorm::query_test;
using nlohmann::json;

TEST_CASE("insert returns the generated key and get reads every field type back") {
  QueryFixture f;
  const json teamId = f.db.insert(Team, {{"name", "core"}});
  REQUIRE(teamId.is_number_integer());
  const json id = f.db.insert(Item, {{"name", "widget"},
                                     {"notes", "long text"},
                                     {"quantity", 3},
                                     {"big", 9007199254740993LL},
                                     {"price", 3.25},
                                     {"amount", "12.50"},
                                     {"active", false},
                                     {"born", "2001-02-03"},
                                     {"seen_at", "2024-05-06 07:08:09"},
                                     {"meta", {{"tags", {"a", "b"}}, {"n", 1}}},
                                     {"token", "123e4567-e89b-12d3-a456-426614174000"},
                                     {"blob", json::binary({0, 39, 255})},
                                     {"team", teamId}});
  REQUIRE(id.is_number_integer());
  const auto row = f.db.first(Item, {{"where", {{"id", id}}}});
  REQUIRE(row);
  CHECK(row->integer("id") == id.get<std::int64_t>());
  CHECK(row->text("name") == "widget");
  CHECK(row->text("notes") == "long text");
  CHECK(row->integer("quantity") == 3);
  CHECK(row->integer("big") == 9007199254740993LL);  // beyond a double's precision
  CHECK(row->real("price") == 3.25);
  CHECK(row->real("amount") == 12.5);
  CHECK_FALSE(row->boolean("active"));
  CHECK(row->text("born") == "2001-02-03");
  CHECK(row->timestamp("seen_at") == "2024-05-06T07:08:09.000000");
  CHECK(row->json("meta") == json{{"tags", {"a", "b"}}, {"n", 1}});
  CHECK(row->text("token") == "123e4567-e89b-12d3-a456-426614174000");
  CHECK(row->bytes("blob") == Bytes{0, 39, 255});
  CHECK(row->integer("team") == teamId.get<std::int64_t>());
  CHECK(row->type("meta") == CellType::Json);
  CHECK(row->toJson()["name"] == "widget");

  const json second = f.db.insert(Item, {{"name", "gadget"}});
  CHECK(second.get<std::int64_t>() > id.get<std::int64_t>());
}

TEST_CASE("fields left out take their defaults and optional fields read as NULL") {
  QueryFixture f;
  const json id = f.db.insert(Item, {{"name", "plain"}});
  const auto row = f.db.first(Item, {{"where", {{"id", id}}}});
  REQUIRE(row);
  CHECK(row->integer("quantity") == 7);
  CHECK(row->boolean("active"));
  CHECK(row->timestamp("created_at").size() >= 19);
  for (const char* field : {"notes", "big", "price", "amount", "born", "seen_at", "meta", "token", "blob", "team"}) {
    INFO(field);
    CHECK(row->isNull(field));
    CHECK(row->type(field) == CellType::Null);
  }
  CHECK_FALSE(row->get<std::optional<std::string>>("notes"));
  CHECK_FALSE(row->get<std::optional<std::int64_t>>("team"));
  CHECK_THROWS_AS(row->text("notes"), QueryError);
}

TEST_CASE("explicit nulls are stored as NULL and can be set back") {
  QueryFixture f;
  const json id = f.db.insert(Item, {{"name", "n"}, {"notes", nullptr}, {"price", 1.5}});
  CHECK(f.db.first(Item, {{"where", {{"id", id}}}})->isNull("notes"));
  CHECK(f.db.update(Item, {{"set", {{"price", nullptr}, {"notes", "now"}}}, {"where", {{"id", id}}}}) == 1);
  const auto row = f.db.first(Item, {{"where", {{"id", id}}}});
  CHECK(row->isNull("price"));
  CHECK(row->text("notes") == "now");
}

TEST_CASE("update changes only the matching rows and returns how many") {
  QueryFixture f;
  f.db.insertMany(
      Item, {{{"name", "a"}, {"quantity", 1}}, {{"name", "b"}, {"quantity", 2}}, {{"name", "c"}, {"quantity", 3}}});
  CHECK(f.db.update(Item, {{"set", {{"active", false}}}, {"where", {{"quantity", {{"gte", 2}}}}}}) == 2);
  CHECK(f.db.count(Item, {{"where", {{"active", false}}}}) == 2);
  CHECK(f.db.first(Item, {{"where", {{"name", "a"}}}})->boolean("active"));
  CHECK(f.db.update(Item, {{"set", {{"quantity", 9}}}, {"where", {{"name", "nobody"}}}}) == 0);
  CHECK(f.db.update(Item, {{"set", {{"quantity", 9}}}, {"where", json::object()}}) == 3);
  CHECK(f.db.count(Item, {{"where", {{"quantity", 9}}}}) == 3);
}

TEST_CASE("remove deletes only the matching rows and returns how many") {
  QueryFixture f;
  f.db.insertMany(Item, {{{"name", "a"}}, {{"name", "b"}}, {{"name", "c"}}});
  CHECK(f.db.remove(Item, {{"where", {{"name", {{"in", {"a", "c"}}}}}}}) == 2);
  CHECK(f.db.count(Item) == 1);
  CHECK(f.db.first(Item)->text("name") == "b");
  CHECK(f.db.remove(Item, {{"where", {{"name", "zzz"}}}}) == 0);
  CHECK(f.db.remove(Item, {{"where", json::object()}}) == 1);
  CHECK(f.db.count(Item) == 0);
}

TEST_CASE("insertMany returns every key in order, from initializer lists or a parsed JSON array") {
  QueryFixture f;
  const auto keys = f.db.insertMany(Team, {{{"name", "x"}}, {{"name", "y"}}});
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].get<std::int64_t>() < keys[1].get<std::int64_t>());
  const auto more = f.db.insertMany(Team, json::parse(R"([{"name": "z"}])"));
  CHECK(more.size() == 1);
  CHECK(f.db.count(Team) == 3);
  CHECK(f.db.insertMany(Team, json::array()).empty());
}

TEST_CASE("a query written as JSON text reads the same as the initializer-list form") {
  QueryFixture f;
  f.db.insertMany(Item, {{{"name", "a"}, {"quantity", 1}}, {{"name", "b"}, {"quantity", 5}}});
  const auto parsed = f.db.get(Item, json::parse(R"({"select": ["name"], "where": {"quantity": {"gt": 2}}})"));
  const auto listed = f.db.get(Item, {{"select", {"name"}}, {"where", {{"quantity", {{"gt", 2}}}}}});
  REQUIRE(parsed.size() == 1);
  REQUIRE(listed.size() == 1);
  CHECK(parsed[0].text("name") == "b");
  CHECK(listed[0].toJson() == parsed[0].toJson());
}

TEST_CASE("select returns only the named fields") {
  QueryFixture f;
  f.db.insert(Item, {{"name", "a"}});
  const auto rows = f.db.get(Item, {{"select", {"name", "quantity"}}});
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].fields() == std::vector<std::string>{"name", "quantity"});
  CHECK(rows[0].has("name"));
  CHECK_FALSE(rows[0].has("id"));
  CHECK_THROWS_AS(rows[0].integer("id"), QueryError);
}

TEST_CASE("first and count") {
  QueryFixture f;
  CHECK_FALSE(f.db.first(Item));
  CHECK(f.db.count(Item) == 0);
  f.db.insertMany(Item, {{{"name", "b"}}, {{"name", "a"}}});
  CHECK(f.db.first(Item, {{"orderBy", "name"}})->text("name") == "a");
  CHECK(f.db.first(Item, {{"orderBy", {{"name", "desc"}}}})->text("name") == "b");
  CHECK(f.db.count(Item) == 2);
  CHECK(f.db.count(Item, {{"where", {{"name", "a"}}}}) == 1);
}

TEST_CASE("belongsTo filters by the related key, through the field or its column") {
  QueryFixture f;
  const json red = f.db.insert(Team, {{"name", "red"}});
  const json blue = f.db.insert(Team, {{"name", "blue"}});
  f.db.insertMany(Item, {{{"name", "r1"}, {"team", red}},
                         {{"name", "r2"}, {"team", red}},
                         {{"name", "b1"}, {"team", blue}},
                         {{"name", "none"}}});
  CHECK(f.db.count(Item, {{"where", {{"team", red}}}}) == 2);
  CHECK(f.db.count(Item, {{"where", {{"team_id", blue}}}}) == 1);
  CHECK(f.db.count(Item, {{"where", {{"team", {{"isNull", true}}}}}}) == 1);
  const auto rows = f.db.get(Item, {{"where", {{"team", {{"in", {red, blue}}}}}}, {"orderBy", "name"}});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].text("name") == "b1");
  CHECK(rows[0].integer("team") == blue.get<std::int64_t>());
  CHECK(rows[0].integer("team_id") == blue.get<std::int64_t>());
}

TEST_CASE("values with quotes, semicolons and SQL are stored verbatim") {
  QueryFixture f;
  const std::vector<std::string> hostile = {
      "O'Brien",
      "Robert'); DROP TABLE items; --",
      "\"double\" ; ' quoted",
      "back\\slash % and _ wildcards",
      "line\nbreak\ttab",
      "\xc3\xa9t\xc3\xa9 \xe2\x9c\x93",
      "$1 ?1 ? :name",
  };
  for (const auto& text : hostile) f.db.insert(Item, {{"name", text}, {"notes", text}, {"meta", {{"v", text}}}});
  CHECK(f.db.count(Item) == static_cast<std::int64_t>(hostile.size()));
  for (const auto& text : hostile) {
    INFO(text);
    const auto row = f.db.first(Item, {{"where", {{"name", text}}}});
    REQUIRE(row);
    CHECK(row->text("notes") == text);
    CHECK(row->json("meta")["v"] == text);
  }
  CHECK(f.db.count(Item, {{"where", {{"name", {{"like", "O'%"}}}}}}) == 1);
  CHECK(f.scratch.hasTable("items"));
  CHECK(f.db.update(Item, {{"set", {{"notes", "'; DELETE FROM items; --"}}}, {"where", {{"name", "O'Brien"}}}}) == 1);
  CHECK(f.db.first(Item, {{"where", {{"name", "O'Brien"}}}})->text("notes") == "'; DELETE FROM items; --");
  CHECK(f.db.count(Item) == static_cast<std::int64_t>(hostile.size()));
}

TEST_CASE("bytes keep every byte value and json keeps nested documents") {
  QueryFixture f;
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
  const json doc = {{"a", {1, 2.5, nullptr, true}}, {"quote", "it's \"x\""}, {"nested", {{"k", json::object()}}}};
  const json id = f.db.insert(Item, {{"name", "b"}, {"blob", json::binary(all)}, {"meta", doc}});
  const auto row = f.db.first(Item, {{"where", {{"id", id}}}});
  CHECK(row->bytes("blob") == all);
  CHECK(row->json("meta") == doc);
  CHECK(f.db.count(Item, {{"where", {{"blob", json::binary(all)}}}}) == 1);
  const json empty = f.db.insert(Item, {{"name", "e"}, {"blob", json::binary(Bytes{})}});
  CHECK(f.db.first(Item, {{"where", {{"id", empty}}}})->bytes("blob").empty());
}

TEST_CASE("a model with a text primary key returns the key it was given") {
  const Model Country = defineModel("countries", {{"code", t.string(2).primary()}, {"name", t.string()}});
  QueryFixture f({Country});
  CHECK(f.db.insert(Country, {{"code", "FR"}, {"name", "France"}}) == "FR");
  CHECK(f.db.first(Country, {{"where", {{"code", "FR"}}}})->text("name") == "France");
}

TEST_CASE("the Database is still the shared connection handle connect used to return") {
  QueryFixture f;
  std::shared_ptr<Connection> connection = f.db;
  connection->execute("INSERT INTO teams (name) VALUES ('raw')");
  CHECK(f.db.count(Team) == 1);
  CHECK(f.db->hasTable("teams"));
  CHECK_THROWS_AS(Database().count(Team), ConnectionError);
}

TEST_CASE("connect takes an adapter descriptor as well as a URL") {
  QueryFixture f;
  f.db.insert(Team, {{"name", "seen"}});
  const std::string url = f.scratch.url();
  Database viaDescriptor = f.scratch.isPostgres() ? jsorm::connect(pgAdapter({.connectionString = url}))
                            : f.scratch.isMysql() ? jsorm::connect(mysqlAdapter({.connectionString = url}))
                                                  : jsorm::connect(sqliteAdapter({.path = url.substr(7)}));
  CHECK(viaDescriptor.first(Team)->text("name") == "seen");
}
