// Transactions through Database::transaction, on each adapter.
#include "query_fixture.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>

using namespace jsorm;
using namespace jsorm::query_test;
using nlohmann::json;

TEST_CASE("a transaction commits when its body returns, and passes its result through") {
  QueryFixture f;
  const auto keys = f.db.transaction([](Database& tx) {
    std::vector<json> out{tx.insert(Team, {{"name", "a"}}), tx.insert(Team, {{"name", "b"}})};
    return out;
  });
  CHECK(keys.size() == 2);
  // Another connection sees the rows: they were committed.
  CHECK(Database(f.scratch.connect()).count(Team) == 2);
}

TEST_CASE("a transaction rolls back when its body throws, and the exception propagates") {
  QueryFixture f;
  f.db.insert(Team, {{"name", "kept"}});
  CHECK_THROWS_WITH(f.db.transaction([](Database& tx) {
                      tx.insert(Team, {{"name", "lost"}});
                      tx.update(Team, {{"set", {{"name", "renamed"}}}, {"where", {{"name", "kept"}}}});
                      throw std::runtime_error("stop here");
                    }),
                    "stop here");
  CHECK(f.db.count(Team) == 1);
  CHECK(f.db.first(Team)->text("name") == "kept");
  f.db.insert(Team, {{"name", "after"}});  // the connection is usable again
  CHECK(f.db.count(Team) == 2);
}

TEST_CASE("a statement the database rejects rolls the transaction back as an SqlError") {
  QueryFixture f;
  CHECK_THROWS_AS(f.db.transaction([](Database& tx) {
                    tx.insert(Team, {{"name", "same"}});
                    tx.insert(Team, {{"name", "same"}});  // unique
                  }),
                  SqlError);
  CHECK(f.db.count(Team) == 0);
}

TEST_CASE("insertMany inserts every row or none") {
  QueryFixture f;
  CHECK_THROWS_AS(f.db.insertMany(Team, {{{"name", "x"}}, {{"name", "y"}}, {{"name", "x"}}}), SqlError);
  CHECK(f.db.count(Team) == 0);
  // A row that does not fit the model is refused before the first one is sent.
  CHECK_THROWS_AS(f.db.insertMany(Team, {{{"name", "ok"}}, {{"nmae", "typo"}}}), QueryError);
  CHECK(f.db.count(Team) == 0);
}

TEST_CASE("a nested transaction is a savepoint: its failure undoes only its own work") {
  QueryFixture f;
  f.db.transaction([](Database& tx) {
    tx.insert(Team, {{"name", "outer"}});
    try {
      tx.transaction([](Database& inner) {
        inner.insert(Team, {{"name", "inner"}});
        throw std::runtime_error("inner fails");
      });
    } catch (const std::runtime_error&) {
    }
    tx.transaction([](Database& inner) { inner.insert(Team, {{"name", "inner ok"}}); });
  });
  std::vector<std::string> names;
  for (const auto& row : f.db.get(Team, {{"orderBy", "name"}})) names.push_back(row.text("name"));
  CHECK(names == std::vector<std::string>{"inner ok", "outer"});
}
