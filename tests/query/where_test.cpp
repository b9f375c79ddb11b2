// Each where operator, ordering and paging against real data, on each adapter.
#include "query_fixture.hpp"

#include <catch2/catch.hpp>

using namespace jsorm;
using namespace jsorm::query_test;
using nlohmann::json;

namespace {
// Five items; c and e have no price, d no seen_at.
void seed(Database& db) {
  db.insertMany(
      Item,
      {
          {{"name", "a"}, {"quantity", 1}, {"price", 1.5}, {"active", true}, {"seen_at", "2024-01-01 00:00:00"}},
          {{"name", "b"}, {"quantity", 2}, {"price", 2.5}, {"active", false}, {"seen_at", "2024-02-01 00:00:00"}},
          {{"name", "c"}, {"quantity", 3}, {"price", nullptr}, {"active", true}, {"seen_at", "2024-03-01 12:30:00"}},
          {{"name", "d"}, {"quantity", 4}, {"price", 4.5}, {"active", false}},
          {{"name", "e"}, {"quantity", 5}, {"active", true}, {"seen_at", "2025-01-01 00:00:00"}},
      });
}

std::string names(Database& db, const json& where, const json& orderBy = "name") {
  std::string out;
  for (const auto& row : db.get(Item, {{"select", {"name"}}, {"where", where}, {"orderBy", orderBy}})) {
    out += row.text("name");
  }
  return out;
}
}  // namespace

TEST_CASE("equality, inequality and comparisons") {
  QueryFixture f;
  seed(f.db);
  CHECK(names(f.db, {{"name", "b"}}) == "b");
  CHECK(names(f.db, {{"quantity", {{"eq", 3}}}}) == "c");
  CHECK(names(f.db, {{"quantity", {{"ne", 3}}}}) == "abde");
  CHECK(names(f.db, {{"quantity", {{"gt", 3}}}}) == "de");
  CHECK(names(f.db, {{"quantity", {{"gte", 3}}}}) == "cde");
  CHECK(names(f.db, {{"quantity", {{"lt", 3}}}}) == "ab");
  CHECK(names(f.db, {{"quantity", {{"lte", 3}}}}) == "abc");
  CHECK(names(f.db, {{"quantity", {{"gt", 1}, {"lt", 4}}}}) == "bc");
  CHECK(names(f.db, {{"price", {{"gt", 2}}}}) == "bd");
  CHECK(names(f.db, {{"active", false}}) == "bd");
  CHECK(names(f.db, {{"name", {{"gte", "d"}}}}) == "de");
  CHECK(names(f.db, {{"seen_at", {{"gte", "2024-02-01 00:00:00"}, {"lt", "2025-01-01 00:00:00"}}}}) == "bc");
  CHECK(names(f.db, {{"seen_at", "2024-03-01T12:30:00"}}) == "c");
}

TEST_CASE("in, like and isNull") {
  QueryFixture f;
  seed(f.db);
  CHECK(names(f.db, {{"quantity", {{"in", {1, 3, 5, 99}}}}}) == "ace");
  CHECK(names(f.db, {{"name", {{"in", {"b", "d"}}}}}) == "bd");
  CHECK(names(f.db, {{"name", {{"in", json::array()}}}}).empty());
  f.db.insert(Item, {{"name", "apple pie"}});
  CHECK(names(f.db, {{"name", {{"like", "a%"}}}}) == "aapple pie");
  CHECK(names(f.db, {{"name", {{"like", "%pie"}}}}) == "apple pie");
  CHECK(names(f.db, {{"name", {{"like", "_"}}}}) == "abcde");
  CHECK(names(f.db, {{"price", {{"isNull", true}}}}) == "apple piece");
  CHECK(names(f.db, {{"price", nullptr}}) == "apple piece");
  CHECK(names(f.db, {{"price", {{"isNull", false}}}}) == "abd");
  CHECK(names(f.db, {{"price", {{"ne", nullptr}}}}) == "abd");
}

TEST_CASE("and, or and not combine conditions") {
  QueryFixture f;
  seed(f.db);
  CHECK(names(f.db, {{"active", true}, {"quantity", {{"gt", 1}}}}) == "ce");
  CHECK(names(f.db, {{"and", {{{"active", true}}, {{"quantity", {{"lt", 5}}}}}}}) == "ac");
  CHECK(names(f.db, {{"or", {{{"name", "a"}}, {{"quantity", {{"gte", 4}}}}}}}) == "ade");
  CHECK(names(f.db, {{"not", {{"active", true}}}}) == "bd");
  CHECK(names(f.db, {{"not", {{"or", {{{"name", "a"}}, {{"name", "b"}}}}}}}) == "cde");
  CHECK(names(f.db, {{"or", {{{"and", {{{"active", false}}, {{"quantity", 4}}}}}, {{"price", nullptr}}}}}) == "cde");
  CHECK(names(f.db, {{"active", true}, {"or", {{{"name", "a"}}, {{"name", "b"}}}}}) == "a");
}

TEST_CASE("orderBy sorts ascending, descending, by several fields, with NULL last ascending") {
  QueryFixture f;
  seed(f.db);
  CHECK(names(f.db, json::object(), {{"quantity", "desc"}}) == "edcba");
  CHECK(names(f.db, json::object(), json::array({{{"active", "asc"}}, {{"quantity", "desc"}}})) == "dbeca");
  // NULL sorts as the largest value on both databases.
  CHECK(names(f.db, json::object(), json::array({{{"price", "asc"}}, "name"})) == "abdce");
  CHECK(names(f.db, json::object(), json::array({{{"price", "desc"}}, "name"})) == "cedba");
}

TEST_CASE("limit and offset page through ordered rows") {
  QueryFixture f;
  seed(f.db);
  auto page = [&](int limit, int offset) {
    std::string out;
    for (const auto& row : f.db.get(Item, {{"orderBy", "quantity"}, {"limit", limit}, {"offset", offset}})) {
      out += row.text("name");
    }
    return out;
  };
  CHECK(page(2, 0) == "ab");
  CHECK(page(2, 2) == "cd");
  CHECK(page(2, 4) == "e");
  CHECK(page(2, 6).empty());
  CHECK(f.db.get(Item, {{"limit", 0}}).empty());
  std::string rest;
  for (const auto& row : f.db.get(Item, {{"orderBy", "quantity"}, {"offset", 3}})) rest += row.text("name");
  CHECK(rest == "de");
}
