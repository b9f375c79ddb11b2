// Queries that do not fit the model fail before anything reaches the database.
#include "query_fixture.hpp"

#include <catch2/catch.hpp>

using namespace jsorm;
using namespace jsorm::query_test;
using nlohmann::json;
using Catch::Matchers::Contains;

TEST_CASE("unknown fields, wrong value types and bad operators are QueryErrors and change nothing") {
  QueryFixture f;
  f.db.insert(Team, {{"name", "a"}});
  CHECK_THROWS_WITH(f.db.get(Team, {{"where", {{"title", "a"}}}}), Contains("model 'teams' has no field 'title'"));
  CHECK_THROWS_WITH(f.db.insert(Team, {{"name", 5}}), Contains("teams.name takes a string, not 5"));
  CHECK_THROWS_WITH(f.db.insert(Team, {{"name", "b"}, {"colour", "red"}}), Contains("no field 'colour'"));
  CHECK_THROWS_WITH(f.db.insert(Item, {{"quantity", 1}}), Contains("missing name"));
  CHECK_THROWS_WITH(f.db.update(Team, {{"set", {{"name", nullptr}}}, {"where", json::object()}}),
                    Contains("cannot be null"));
  CHECK_THROWS_WITH(f.db.update(Team, {{"set", {{"name", "z"}}}}), Contains("needs a where"));
  CHECK_THROWS_WITH(f.db.remove(Team, json::object()), Contains("needs a where"));
  CHECK_THROWS_WITH(f.db.remove(Team, {{"where", {{"id", "1 OR 1=1"}}}}), Contains("teams.id takes an integer"));
  CHECK_THROWS_WITH(f.db.count(Item, {{"where", {{"active", "yes"}}}}), Contains("items.active takes true or false"));
  CHECK_THROWS_WITH(f.db.get(Item, {{"where", {{"quantity", {{"approx", 1}}}}}}),
                    Contains("'approx' is not an operator"));
  CHECK_THROWS_WITH(f.db.get(Item, {{"orderBy", "colour"}}), Contains("no field 'colour'"));
  CHECK_THROWS_AS(f.db.get(Item, {{"where", {{"meta", {{"gt", 1}}}}}}), QueryError);
  CHECK(f.db.count(Team) == 1);
  CHECK(f.db.first(Team)->text("name") == "a");
}

TEST_CASE("a table the model names but the database lacks is the database's SqlError") {
  const Model Missing = defineModel("not_there", {{"id", t.number().primary()}});
  QueryFixture f;
  CHECK_THROWS_AS(f.db.get(Missing), SqlError);
}

TEST_CASE("reading a field with the wrong accessor says what the field is") {
  QueryFixture f;
  f.db.insert(Item, {{"name", "a"}});
  const auto row = f.db.first(Item);
  CHECK_THROWS_WITH(row->integer("name"), Contains("items.name is typed text, not integer; read it with text()"));
  CHECK_THROWS_WITH(row->boolean("quantity"), Contains("items.quantity is typed integer"));
  CHECK_THROWS_WITH(row->text("colour"), Contains("no field 'colour'"));
  CHECK_THROWS_WITH(row->real("price"), Contains("items.price is NULL"));
}
