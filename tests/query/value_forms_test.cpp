// Values read back in one form on every database (docs/models.md, "Values read back"):
// the same query prints the same bytes on SQLite, PostgreSQL and MariaDB.
#include "query_fixture.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace jsorm;
using namespace jsorm::query_test;
using nlohmann::json;

TEST_CASE("timestamps read back as YYYY-MM-DDTHH:MM:SS.ffffff on every database") {
  QueryFixture f;
  f.db.insert(Item, {{"name", "whole"}, {"seen_at", "2024-05-06 07:08:09"}});
  f.db.insert(Item, {{"name", "half"}, {"seen_at", "2024-01-01T10:00:00.5"}});
  f.db.insert(Item, {{"name", "micro"}, {"seen_at", "1999-12-31 23:59:59.000001"}});
  const auto rows = f.db.get(Item, {{"orderBy", "id"}});
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].timestamp("seen_at") == "2024-05-06T07:08:09.000000");
  CHECK(rows[1].timestamp("seen_at") == "2024-01-01T10:00:00.500000");
  CHECK(rows[2].timestamp("seen_at") == "1999-12-31T23:59:59.000001");
  CHECK(rows[1].toJson()["seen_at"] == "2024-01-01T10:00:00.500000");
  // The database's own clock (SQLite's CURRENT_TIMESTAMP has whole seconds) in the same form.
  static const std::regex form(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6})");
  CHECK(std::regex_match(rows[0].timestamp("created_at"), form));
  // What is read back finds the row again.
  CHECK(f.db.count(Item, {{"where", {{"seen_at", rows[1].timestamp("seen_at")}}}}) == 1);
}

TEST_CASE("decimals read back with their declared scale, booleans as booleans, json compact") {
  QueryFixture f;
  f.db.insert(Item, {{"name", "a"}, {"amount", 12.5}, {"active", false}, {"meta", {{"b", {1, 2}}, {"a", {{"x", 1.5}}}}}});
  f.db.insert(Item, {{"name", "b"}, {"amount", "3"}, {"meta", json::array()}});
  f.db.insert(Item, {{"name", "c"}, {"amount", "-0.10"}});
  const auto rows = f.db.get(Item, {{"orderBy", "id"}});
  CHECK(rows[0].decimal("amount") == "12.50");
  CHECK(rows[1].decimal("amount") == "3.00");
  CHECK(rows[2].decimal("amount") == "-0.10");
  CHECK(rows[0].real("amount") == 12.5);
  CHECK(rows[0].toJson()["amount"] == "12.50");
  CHECK(rows[0].toJson()["active"] == false);
  CHECK(rows[1].toJson()["active"] == true);
  CHECK(std::get<std::string>(rows[0].value("meta")) == R"({"a":{"x":1.5},"b":[1,2]})");
  CHECK(std::get<std::string>(rows[1].value("meta")) == "[]");
}

TEST_CASE("a uuid is kept in lower case, so every database finds it by either case") {
  QueryFixture f;
  f.db.insert(Item, {{"name", "u"}, {"token", "123E4567-E89B-12D3-A456-426614174000"}});
  CHECK(f.db.first(Item)->text("token") == "123e4567-e89b-12d3-a456-426614174000");
  CHECK(f.db.count(Item, {{"where", {{"token", "123E4567-E89B-12D3-A456-426614174000"}}}}) == 1);
  CHECK(f.db.count(Item, {{"where", {{"token", "123e4567-e89b-12d3-a456-426614174000"}}}}) == 1);
}

TEST_CASE("a row of every type prints the same JSON on every database") {
  QueryFixture f;
  const json team = f.db.insert(Team, {{"name", "core"}});
  f.db.insert(Item, {{"name", "all"},
                     {"notes", "n"},
                     {"quantity", 3},
                     {"big", 9007199254740993LL},
                     {"price", 2.25},
                     {"amount", "1234.5"},
                     {"active", true},
                     {"born", "2001-02-03"},
                     {"seen_at", "2024-05-06T07:08:09.25"},
                     {"created_at", "2020-01-01 00:00:00"},
                     {"meta", {{"k", "v"}, {"n", nullptr}}},
                     {"token", "00000000-0000-0000-0000-00000000000A"},
                     {"blob", json::binary({1, 2})},
                     {"team", team}});
  json doc = f.db.first(Item, {{"include", {"team"}}})->toJson();
  doc.erase("id");
  doc["team"].erase("id");
  doc["blob"] = json::array({1, 2});  // JSON binary prints as a subtype object; compare the bytes
  CHECK(doc.dump() ==
        R"({"active":true,"amount":"1234.50","big":9007199254740993,"blob":[1,2],"born":"2001-02-03",)"
        R"("created_at":"2020-01-01T00:00:00.000000","meta":{"k":"v","n":null},"name":"all","notes":"n",)"
        R"("price":2.25,"quantity":3,"seen_at":"2024-05-06T07:08:09.250000","team":{"name":"core"},)"
        R"("token":"00000000-0000-0000-0000-00000000000a"})");
}
