// Data steps (t.data) as data: description, reversal, checksum, validation, lint and
// replay; and the live-model mark createTable(Model) leaves on its step.
#include <jsorm/checksum.hpp>
#include <jsorm/database_handle.hpp>
#include <jsorm/error.hpp>
#include <jsorm/lint.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/schema_replay.hpp>
#include <jsorm/source.hpp>

#include <catch2/catch.hpp>

using namespace jsorm;
using Catch::Matchers::Contains;

namespace {
const Builder b;
const Model Post = defineModel("posts", {{"id", t.number().primary()}, {"title", t.string()}});

void noop(Database&) {}
void other(Database&) {}

Migration withData(std::string description, bool down) {
  return defineMigration({
      .name = "data",
      .up = [description, down](Builder& t) {
        return Steps{down ? t.data(description, noop, other) : t.data(description, noop)};
      },
  });
}
}  // namespace

TEST_CASE("a data step describes itself by its description and reverses only with a down") {
  const Step irreversible = b.data("backfill slugs", noop);
  CHECK(irreversible.describe() == "data(\"backfill slugs\")");
  CHECK_FALSE(irreversible.reversed());
  CHECK_FALSE(irreversible.needsNoTransaction());

  const Step reversible = b.data("backfill slugs", noop, other);
  const auto reversed = reversible.reversed();
  REQUIRE(reversed);
  REQUIRE(reversed->size() == 1);
  const auto& op = std::get<step::Data>(reversed->front().operation());
  CHECK(op.description == "backfill slugs");
  // The down runs as the reversed step's up, and the up becomes its down.
  CHECK(*op.up.target<void (*)(Database&)>() == &other);
  CHECK(*op.down.target<void (*)(Database&)>() == &noop);

  CHECK_THROWS_WITH(downSteps(withData("backfill slugs", false)), Contains("data(\"backfill slugs\"), is not reversible"));
  CHECK(downSteps(withData("backfill slugs", true)).size() == 1);
}

TEST_CASE("a data step's description is in the checksum, its code is not") {
  const Migration a = defineMigration({.name = "m", .up = [](Builder& t) { return Steps{t.data("one", noop)}; }});
  const Migration sameText = defineMigration({.name = "m", .up = [](Builder& t) { return Steps{t.data("one", other)}; }});
  const Migration otherText = defineMigration({.name = "m", .up = [](Builder& t) { return Steps{t.data("two", noop)}; }});
  CHECK(checksum(a) == checksum(sameText));
  CHECK(checksum(a) != checksum(otherText));
  // Not the same as raw SQL of the same text: the operation is part of the checksum.
  const Migration raw = defineMigration({.name = "m", .up = [](Builder& t) { return Steps{t.rawSql("one")}; }});
  CHECK(checksum(a) != checksum(raw));
}

TEST_CASE("validation refuses a data step without a description or code") {
  const auto source = [](Step step) {
    return defineMigrationSource({.adapter = sqliteAdapter({.name = "x", .path = ":memory:"}),
                                  .migrations = {defineMigration({.name = "m", .up = Steps{std::move(step)}})}});
  };
  CHECK_THROWS_WITH(validate(source(b.data("  ", noop))), Contains("the data step has no description"));
  CHECK_THROWS_WITH(validate(source(step::Data{"fill", {}, {}})), Contains("the data step has no code"));
  CHECK_NOTHROW(validate(source(b.data("fill", noop))));
}

TEST_CASE("lint and replay see no schema change in a data step") {
  const Steps steps{b.createTable(Post), b.data("fill titles", noop)};
  Linter linter(DatabaseKind::Postgres);
  CHECK(linter.lint("m", steps, true, {}).empty());
  const auto replayed = replayMigrations({defineMigration({.name = "m", .up = steps})});
  CHECK(replayed.unverifiable.empty());
  REQUIRE(replayed.schema.tables.size() == 1);
  CHECK(replayed.schema.tables[0].columns.size() == 2);
}

TEST_CASE("createTable(Model) marks its step as built from a live model; a literal table is not") {
  CHECK(std::get<step::CreateTable>(b.createTable(Post).operation()).fromModel);
  const Step literal = b.createTable("posts", {{"id", t.number().primary()}, {"title", t.string()}});
  CHECK_FALSE(std::get<step::CreateTable>(literal.operation()).fromModel);
  // The mark is not part of the checksum: freezing a migration keeps its checksum.
  const Migration live = defineMigration({.name = "m", .up = [](Builder& t) { return Steps{t.createTable(Post)}; }});
  const Migration frozen = defineMigration({.name = "m", .up = [](Builder& t) {
                                              return Steps{t.createTable("posts", {{"id", t.number().primary()},
                                                                                   {"title", t.string()}})};
                                            }});
  CHECK(checksum(live) == checksum(frozen));
}
