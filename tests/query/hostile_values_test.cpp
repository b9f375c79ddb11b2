// Values and queries a request body can carry: deep nesting, NUL bytes, invalid UTF-8,
// impossible dates, out-of-range numbers, field names that are also keywords. Each is
// stored and matched the same way on every database, or refused with a QueryError before
// anything is sent.
#include "query_fixture.hpp"

#include <catch2/catch.hpp>

using namespace jsorm;
using namespace jsorm::query_test;
using nlohmann::json;
using Catch::Matchers::Contains;

namespace {
json nested(const char* key, int depth) {
  json where = {{"name", "a"}};
  for (int i = 0; i < depth; ++i) {
    if (std::string_view(key) == "not") where = {{"not", std::move(where)}};
    else where = {{key, json::array({std::move(where)})}};
  }
  return where;
}
}  // namespace

TEST_CASE("a where nested thousands deep is a QueryError, not a crash") {
  QueryFixture f;
  f.db.insert(Team, {{"name", "a"}});
  for (const char* key : {"not", "and", "or", "$or"}) {
    INFO(key);
    CHECK_THROWS_WITH(f.db.get(Team, {{"where", nested(key, 12000)}}), Contains("more than 32 levels deep"));
    CHECK_THROWS_AS(f.db.count(Team, {{"where", nested(key, 33)}}), QueryError);
  }
  // 32 levels is allowed and means what it says on both databases.
  CHECK(f.db.count(Team, {{"where", nested("and", 32)}}) == 1);
  CHECK(f.db.count(Team, {{"where", nested("not", 32)}}) == 1);  // an even number of NOTs
  CHECK(f.db.count(Team, {{"where", nested("not", 31)}}) == 0);
}

TEST_CASE("fields named not, and, or can be queried; $not, $and, $or stay logical") {
  const Model Logic = defineModel("logic", {
                                               {"id", t.number().primary()},
                                               {"not", t.boolean()},
                                               {"and", t.string()},
                                               {"or", t.number()},
                                           });
  QueryFixture f({Logic});
  f.db.insert(Logic, {{"not", true}, {"and", "x"}, {"or", 1}});
  f.db.insert(Logic, {{"not", false}, {"and", "y"}, {"or", 2}});
  CHECK(f.db.count(Logic, {{"where", {{"not", true}}}}) == 1);
  CHECK(f.db.count(Logic, {{"where", {{"and", "y"}}}}) == 1);
  CHECK(f.db.count(Logic, {{"where", {{"or", {{"gt", 0}}}}}}) == 2);
  CHECK(f.db.count(Logic, {{"where", {{"$not", {{"and", "y"}}}}}}) == 1);
  CHECK(f.db.count(Logic, {{"where", {{"$or", json::array({{{"or", 1}}, {{"and", "y"}}})}}}}) == 2);
}

TEST_CASE("a string with a NUL byte is stored whole or refused, never cut") {
  QueryFixture f;
  const std::string withNul("ab\0cd", 5);
  if (f.scratch.isPostgres()) {
    CHECK_THROWS_WITH(f.db.insert(Team, {{"name", withNul}}), Contains("NUL byte"));
    CHECK(f.db.count(Team) == 0);
  } else {
    f.db.insert(Team, {{"name", withNul}});
    CHECK(f.db.first(Team)->text("name") == withNul);
    CHECK(f.db.count(Team, {{"where", {{"name", "ab"}}}}) == 0);
    CHECK(f.db.count(Team, {{"where", {{"name", withNul}}}}) == 1);
  }
}

TEST_CASE("invalid UTF-8 is a QueryError on every database, in text and in json") {
  QueryFixture f;
  for (const std::string bad : {std::string("\xff\xfe"), std::string("a\xc3"), std::string("\xed\xa0\x80"),
                                std::string("\xc0\xaf")}) {
    CHECK_THROWS_AS(f.db.insert(Team, {{"name", bad}}), QueryError);
    CHECK_THROWS_AS(f.db.get(Team, {{"where", {{"name", bad}}}}), QueryError);
    CHECK_THROWS_AS(f.db.insert(Item, {{"name", "x"}, {"meta", {{"k", bad}}}}), QueryError);
  }
  CHECK(f.db.count(Team) == 0);
  CHECK(f.db.count(Item) == 0);
  f.db.insert(Team, {{"name", "naïve 建表 😀"}});
  CHECK(f.db.first(Team)->text("name") == "naïve 建表 😀");
}

TEST_CASE("impossible dates and times are refused on every database") {
  QueryFixture f;
  for (const char* date : {"2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31"}) {
    INFO(date);
    CHECK_THROWS_WITH(f.db.insert(Item, {{"name", "x"}, {"born", date}}), Contains("a date 'YYYY-MM-DD'"));
  }
  for (const char* stamp : {"2024-02-30 10:00:00", "2024-01-01 25:00:00", "2024-01-01 10:61:00", "2024-01-01 10:00:61"}) {
    INFO(stamp);
    CHECK_THROWS_WITH(f.db.insert(Item, {{"name", "x"}, {"seen_at", stamp}}), Contains("a timestamp"));
  }
  CHECK(f.db.count(Item) == 0);
  f.db.insert(Item, {{"name", "leap"}, {"born", "2024-02-29"}, {"seen_at", "2000-02-29 23:59:59"}});
  CHECK(f.db.count(Item) == 1);
}

TEST_CASE("timestamps match whatever their spelling, as on PostgreSQL") {
  QueryFixture f;
  f.db.insert(Item, {{"name", "half"}, {"seen_at", "2024-01-01T10:00:00.500"}});
  f.db.insert(Item, {{"name", "whole"}, {"seen_at", "2024-01-01 11:00:00.000000"}});
  CHECK(f.db.count(Item, {{"where", {{"seen_at", "2024-01-01 10:00:00.5"}}}}) == 1);
  CHECK(f.db.count(Item, {{"where", {{"seen_at", "2024-01-01T10:00:00.50"}}}}) == 1);
  CHECK(f.db.count(Item, {{"where", {{"seen_at", "2024-01-01 11:00:00"}}}}) == 1);
  CHECK(f.db.count(Item, {{"where", {{"seen_at", {{"gt", "2024-01-01 10:00:00.25"}}}}}}) == 2);
  CHECK(f.db.count(Item, {{"where", {{"seen_at", {{"lt", "2024-01-01 10:00:00.75"}}}}}}) == 1);
}

TEST_CASE("a number field takes 32-bit integers, a bigint 64-bit ones, on every database") {
  QueryFixture f;
  CHECK_THROWS_WITH(f.db.insert(Item, {{"name", "x"}, {"quantity", 1LL << 40}}), Contains("fits in 32 bits"));
  CHECK_THROWS_AS(f.db.insert(Item, {{"name", "x"}, {"quantity", -2147483649LL}}), QueryError);
  CHECK(f.db.count(Item) == 0);
  f.db.insert(Item, {{"name", "edge"}, {"quantity", 2147483647}, {"big", 1LL << 40}});
  const auto row = f.db.first(Item);
  CHECK(row->integer("quantity") == 2147483647);
  CHECK(row->integer("big") == (1LL << 40));
}

TEST_CASE("an 'in' list works up to the parameter limit and is a QueryError past it, on every database") {
  QueryFixture f;
  f.db.insert(Team, {{"name", "n100"}});
  json many = json::array();
  for (int i = 0; i < 32766; ++i) many.push_back("n" + std::to_string(i));
  CHECK(f.db.count(Team, {{"where", {{"name", {{"in", many}}}}}}) == 1);
  many.push_back("one more");
  CHECK_THROWS_WITH(f.db.count(Team, {{"where", {{"name", {{"in", many}}}}}}), Contains("more than 32766 values"));
  json huge = json::array();
  for (int i = 0; i < 70000; ++i) huge.push_back(i);
  CHECK_THROWS_AS(f.db.get(Team, {{"where", {{"id", {{"in", huge}}}}}}), QueryError);
}

TEST_CASE("a decimal reads back with every digit the database kept") {
  const Model Ledger = defineModel("ledger", {{"id", t.number().primary()},
                                              {"amount", t.decimal(40, 2)},
                                              {"small", t.decimal(10, 2).optional()}});
  QueryFixture f({Ledger});
  f.db.insert(Ledger, {{"amount", "12345678901234.25"}, {"small", "12345678.91"}});
  auto row = f.db.first(Ledger);
  CHECK(row->decimal("amount") == "12345678901234.25");
  CHECK(row->decimal("small") == "12345678.91");
  CHECK(row->real("small") == 12345678.91);
  if (f.scratch.isPostgres()) {
    // 40 digits: PostgreSQL keeps them all, and so does the row (a double would keep 15).
    const std::string wide = "12345678901234567890123456789012345678.25";
    f.db.insert(Ledger, {{"amount", wide}});
    row = f.db.first(Ledger, {{"where", {{"amount", wide}}}});
    REQUIRE(row);
    CHECK(row->decimal("amount") == wide);
    CHECK(row->toJson()["amount"] == wide);
    CHECK(row->real("amount") == Approx(1.2345678901234568e37));
  }
}
