// freezeMigration: the live-model tables of an applied migration replaced by the
// definitions whose checksum is the applied one, written as literal C++.
#include <jsorm/checksum.hpp>
#include <jsorm/freeze.hpp>
#include <jsorm/migration.hpp>

#include <catch2/catch.hpp>

using namespace jsorm;
using Catch::Matchers::Contains;

namespace {
Model postV1() {
  return defineModel("posts", {{"id", t.number().primary()}, {"title", t.string().unique()}, {"body", t.text().optional()}});
}
const Model Author = defineModel("authors", {{"id", t.number().primary()}, {"name", t.string(80)}});

Migration createBlog(Model post) {
  return defineMigration({
      .name = "create-blog",
      .up = [post](Builder& t) {
        return Steps{t.createTable(Author), t.createTable(post), t.createIndex("posts", {"body", "title"}),
                     t.rawSql("SELECT 1")};
      },
  });
}

SchemaSnapshot snapshotOfV1() { return snapshotOf({Author, postV1()}); }
}  // namespace

TEST_CASE("freezeMigration finds the applied tables among the candidates and writes them as literals") {
  const std::string applied = checksum(createBlog(postV1()));
  // The model has since gained a field and renamed another.
  const Model postV2 = defineModel("posts", {{"id", t.number().primary()},
                                             {"headline", t.string().unique().renamedFrom("title")},
                                             {"body", t.text().optional()},
                                             {"summary", t.string(120).optional().defaultTo("none")}});
  const auto frozen = freezeMigration(createBlog(postV2), {{"the snapshot", snapshotOfV1()}}, applied);
  CHECK(frozen.matches);
  CHECK(frozen.checksum == applied);
  CHECK(frozen.liveTables == std::vector<std::string>{"authors", "posts"});
  CHECK(frozen.changedTables == std::vector<std::string>{"posts"});
  CHECK(frozen.origins == std::vector<std::string>{"the snapshot"});
  CHECK(frozen.code == R"(const Migration createBlog = defineMigration({
    .name = "create-blog",
    .up = [](Builder& t) {
      return Steps{
          t.createTable("authors", {
              {"id", t.number().primary()},
              {"name", t.string(80)},
          }),
          t.createTable("posts", {
              {"id", t.number().primary()},
              {"title", t.string().unique()},
              {"body", t.text().optional()},
          }),
          t.createIndex("posts", {"body", "title"}),
          t.rawSql("SELECT 1"),
      };
    },
});
)");
}

TEST_CASE("freezeMigration undoes the migrations applied after it to find a table they altered") {
  const std::string applied = checksum(createBlog(postV1()));
  const Migration addSlug = defineMigration({
      .name = "add-slug",
      .up = [](Builder& t) { return Steps{t.addColumn("posts", "slug", t.string(60).optional()),
                                          t.renameColumn("posts", "body", "content")}; },
  });
  // The database has the later column and rename; the live model has the slug too.
  const Model postNow = defineModel("posts", {{"id", t.number().primary()},
                                              {"title", t.string().unique()},
                                              {"content", t.text().optional()},
                                              {"slug", t.string(60).optional()}});
  const SchemaSnapshot found = snapshotOf({Author, postNow});
  const auto without = freezeMigration(createBlog(postNow), {{"the database", found}}, applied);
  CHECK_FALSE(without.matches);
  const auto frozen = freezeMigration(createBlog(postNow), {{"the database", found}}, applied, {addSlug});
  CHECK(frozen.matches);
  CHECK(frozen.origins == std::vector<std::string>{"the database, with the 1 migration applied after it undone"});
  CHECK_THAT(frozen.code, Contains("{\"body\", t.text().optional()},"));
  CHECK_FALSE(frozen.code.find("slug") != std::string::npos);
}

TEST_CASE("freezeMigration says when no candidate reproduces the applied checksum") {
  const auto frozen = freezeMigration(createBlog(postV1()), {{"the database", snapshotOfV1()}}, "something else");
  CHECK_FALSE(frozen.matches);
  CHECK(frozen.checksum == checksum(createBlog(postV1())));
}

TEST_CASE("freezeMigration keeps a model that did not change and leaves data steps to the user") {
  const Migration migration = defineMigration({
      .name = "2024_seed",
      .up = [](Builder& t) {
        return Steps{t.createTable(Author), t.data("seed authors", [](Database&) {})};
      },
      .transaction = false,
  });
  const auto frozen = freezeMigration(migration, {}, checksum(migration));
  CHECK(frozen.matches);
  CHECK(frozen.changedTables.empty());
  CHECK_THAT(frozen.code, Contains("const Migration migration2024Seed = defineMigration({"));
  CHECK_THAT(frozen.code, Contains("t.data(\"seed authors\", /* the code of the original data step */),"));
  CHECK_THAT(frozen.code, Contains(".transaction = false,"));
  REQUIRE(frozen.notes.size() == 1);
  CHECK_THAT(frozen.notes[0], Contains("up step 2 (data(\"seed authors\")) is C++"));
}
