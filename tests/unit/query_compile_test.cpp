// Model-checked queries compiled to exact SQL and parameters, per dialect.
#include <jsorm/error.hpp>
#include <jsorm/query.hpp>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace jsorm;
using nlohmann::json;

namespace {
const Model Role = defineModel("roles", {{"id", t.number().primary()}, {"name", t.string()}});
const Model User = defineModel("users", {
                                            {"id", t.number().primary()},
                                            {"name", t.string()},
                                            {"email", t.string().optional()},
                                            {"active", t.boolean().defaultTo(true)},
                                            {"score", t.real().optional()},
                                            {"seen", t.timestamp().optional()},
                                            {"meta", t.json().optional()},
                                            {"avatar", t.bytes().optional()},
                                            {"role", t.belongsTo(Role)},
                                        });
const Model Log = defineModel("logs", {{"line", t.text()}});

std::vector<Value> params(std::initializer_list<Value> values) { return values; }
}  // namespace

TEST_CASE("get with no query selects every column of the model in declaration order") {
  const auto s = compileSelect(User, json::object(), sqliteDialect());
  CHECK(s.sql ==
        R"(SELECT "id", "name", "email", "active", "score", "seen", "meta", "avatar", "role_id" FROM "users")");
  CHECK(s.params.empty());
  REQUIRE(s.fields.size() == 9);
  CHECK(s.fields.back()->name == "role");
  CHECK(s.fields.back()->column == "role_id");
}

TEST_CASE("get renders select, where, orderBy, limit and offset with numbered placeholders per dialect") {
  const json query = {{"select", {"id", "name"}},
                      {"where", {{"active", true}, {"name", {{"like", "A%"}}}}},
                      {"orderBy", json::array({{{"name", "desc"}}, "id"})},
                      {"limit", 10},
                      {"offset", 20}};
  const auto pg = compileSelect(User, query, postgresDialect());
  CHECK(pg.sql == R"(SELECT "id", "name" FROM "users" WHERE "active" = $1 AND "name" LIKE $2 )"
                  R"(ORDER BY "name" DESC NULLS FIRST, "id" ASC NULLS LAST LIMIT $3 OFFSET $4)");
  CHECK(pg.params == params({true, std::string("A%"), std::int64_t{10}, std::int64_t{20}}));
  const auto lite = compileSelect(User, query, sqliteDialect());
  CHECK(lite.sql == R"(SELECT "id", "name" FROM "users" WHERE "active" = ?1 AND "name" LIKE ?2 )"
                    R"(ORDER BY "name" DESC NULLS FIRST, "id" ASC NULLS LAST LIMIT ?3 OFFSET ?4)");
}

TEST_CASE("offset without limit gets the largest limit, which both databases read as none") {
  const auto sqlite = compileSelect(User, {{"select", {"id"}}, {"offset", 5}}, sqliteDialect());
  CHECK(sqlite.sql == R"(SELECT "id" FROM "users" LIMIT ?1 OFFSET ?2)");
  CHECK(sqlite.params.at(0) == Value{std::int64_t{9223372036854775807}});
  CHECK(compileSelect(User, {{"select", {"id"}}, {"offset", 5}}, postgresDialect()).sql ==
        R"(SELECT "id" FROM "users" LIMIT $1 OFFSET $2)");
}

TEST_CASE("every where operator renders its SQL") {
  auto where = [](json condition) {
    const auto s = compileSelect(User, {{"select", {"id"}}, {"where", condition}}, postgresDialect());
    return std::make_pair(s.sql.substr(std::string(R"(SELECT "id" FROM "users" WHERE )").size()), s.params);
  };
  CHECK(where({{"name", "x"}}).first == R"("name" = $1)");
  CHECK(where({{"name", {{"eq", "x"}}}}).first == R"("name" = $1)");
  CHECK(where({{"name", {{"ne", "x"}}}}).first == R"("name" <> $1)");
  CHECK(where({{"score", {{"gt", 1}}}}).first == R"("score" > $1)");
  CHECK(where({{"score", {{"gte", 1}}}}).first == R"("score" >= $1)");
  CHECK(where({{"score", {{"lt", 1}}}}).first == R"("score" < $1)");
  CHECK(where({{"score", {{"lte", 1}}}}).first == R"("score" <= $1)");
  CHECK(where({{"score", {{"gt", 1}, {"lt", 5}}}}).first == R"(("score" > $1 AND "score" < $2))");
  CHECK(where({{"id", {{"in", {1, 2, 3}}}}}).first == R"("id" IN ($1, $2, $3))");
  CHECK(where({{"id", {{"in", json::array()}}}}).first == "1 = 0");
  CHECK(where({{"email", {{"like", "%@x.org"}}}}).first == R"("email" LIKE $1)");
  CHECK(where({{"email", {{"isNull", true}}}}).first == R"("email" IS NULL)");
  CHECK(where({{"email", {{"isNull", false}}}}).first == R"("email" IS NOT NULL)");
  CHECK(where({{"email", nullptr}}).first == R"("email" IS NULL)");
  CHECK(where({{"email", {{"ne", nullptr}}}}).first == R"("email" IS NOT NULL)");
  CHECK(where({{"meta", {{"isNull", true}}}}).first == R"("meta" IS NULL)");
  CHECK(where({{"or", {{{"name", "a"}}, {{"name", "b"}}}}}).first == R"((("name" = $1) OR ("name" = $2)))");
  CHECK(where({{"and", {{{"name", "a"}}, {{"active", false}}}}}).first == R"((("name" = $1) AND ("active" = $2)))");
  CHECK(where({{"not", {{"name", "a"}}}}).first == R"(NOT ("name" = $1))");
  CHECK(where({{"or", {json::object(), {{"name", "b"}}}}}).first == R"((1 = 1 OR ("name" = $1)))");
}

TEST_CASE("belongsTo filters by the related key through the field or its column") {
  const auto byField = compileSelect(User, {{"select", {"id"}}, {"where", {{"role", 3}}}}, sqliteDialect());
  CHECK(byField.sql == R"(SELECT "id" FROM "users" WHERE "role_id" = ?1)");
  CHECK(byField.params == params({std::int64_t{3}}));
  const auto byColumn =
      compileSelect(User, {{"select", {"id"}}, {"where", {{"role_id", {{"in", {1, 2}}}}}}}, sqliteDialect());
  CHECK(byColumn.sql == R"(SELECT "id" FROM "users" WHERE "role_id" IN (?1, ?2))");
}

TEST_CASE("values become parameters, never SQL text") {
  const std::string hostile = "x'); DROP TABLE users; --";
  const auto s = compileSelect(User, {{"where", {{"name", hostile}}}}, postgresDialect());
  CHECK(s.sql.find("DROP") == std::string::npos);
  CHECK(s.params == params({hostile}));
}

TEST_CASE("insert binds the given fields and returns the primary key") {
  const auto s = compileInsert(User, {{"name", "Ann"}, {"role", 1}, {"meta", {{"a", 1}}}}, postgresDialect());
  CHECK(s.sql == R"(INSERT INTO "users" ("meta", "name", "role_id") VALUES ($1, $2, $3) RETURNING "id")");
  CHECK(s.params == params({std::string(R"({"a":1})"), std::string("Ann"), std::int64_t{1}}));
  REQUIRE(s.fields.size() == 1);
  CHECK(s.fields[0]->name == "id");
}

TEST_CASE("insert of nothing uses DEFAULT VALUES and a model without a key returns nothing") {
  const Model Defaults = defineModel("d", {{"id", t.number().primary()}, {"n", t.number().defaultTo(1)}});
  CHECK(compileInsert(Defaults, json::object(), sqliteDialect()).sql ==
        R"(INSERT INTO "d" DEFAULT VALUES RETURNING "id")");
  const auto s = compileInsert(Log, {{"line", "a"}}, sqliteDialect());
  CHECK(s.sql == R"(INSERT INTO "logs" ("line") VALUES (?1))");
  CHECK(s.fields.empty());
}

TEST_CASE("update sets before it filters and counts through RETURNING") {
  const auto s = compileUpdate(User, {{"set", {{"email", nullptr}, {"active", false}}}, {"where", {{"id", 4}}}},
                               postgresDialect());
  CHECK(s.sql == R"(UPDATE "users" SET "active" = $1, "email" = $2 WHERE "id" = $3 RETURNING 1)");
  CHECK(s.params == params({false, std::monostate{}, std::int64_t{4}}));
}

TEST_CASE("remove and count render their where") {
  CHECK(compileRemove(User, {{"where", {{"id", 4}}}}, sqliteDialect()).sql ==
        R"(DELETE FROM "users" WHERE "id" = ?1 RETURNING 1)");
  CHECK(compileRemove(User, {{"where", json::object()}}, sqliteDialect()).sql == R"(DELETE FROM "users" RETURNING 1)");
  CHECK(compileCount(User, {{"where", {{"active", true}}}}, postgresDialect()).sql ==
        R"(SELECT COUNT(*) FROM "users" WHERE "active" = $1)");
  CHECK(compileCount(User, json::object(), postgresDialect()).sql == R"(SELECT COUNT(*) FROM "users")");
}

TEST_CASE("identifiers are quoted by the dialect, quotes doubled") {
  const Model Odd = defineModel("we\"ird", {{"co\"l", t.string()}});
  CHECK(compileSelect(Odd, json::object(), sqliteDialect()).sql == R"(SELECT "co""l" FROM "we""ird")");
}

TEST_CASE("timestamps are checked and written with a space separator") {
  const auto s = compileUpdate(User, {{"set", {{"seen", "2024-02-03T04:05:06"}}}, {"where", json::object()}},
                               sqliteDialect());
  CHECK(s.params == params({std::string("2024-02-03 04:05:06")}));
}

TEST_CASE("bytes are taken as JSON binary or an array of byte values") {
  const auto a = compileUpdate(User, {{"set", {{"avatar", json::binary({0, 255, 39})}}}, {"where", json::object()}},
                               sqliteDialect());
  CHECK(a.params == params({Bytes{0, 255, 39}}));
  const auto b = compileUpdate(User, {{"set", {{"avatar", {1, 2}}}}, {"where", json::object()}}, sqliteDialect());
  CHECK(b.params == params({Bytes{1, 2}}));
}

namespace {
std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const QueryError& e) {
    return e.what();
  }
  return "no QueryError";
}
}  // namespace

TEST_CASE("queries that do not fit the model are QueryErrors naming the problem") {
  const auto& d = sqliteDialect();
  using Catch::Matchers::Contains;
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"nmae", "x"}}}}, d); }),
             Contains("model 'users' has no field 'nmae'") && Contains("name, email"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"select", {"id", "pasword"}}}, d); }), Contains("no field 'pasword'"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"orderBy", "nope"}}, d); }), Contains("no field 'nope'"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"wher", json::object()}}, d); }),
             Contains("unknown query key 'wher'"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"id", "1"}}}}, d); }),
             Contains("users.id takes an integer, not \"1\""));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"id", 1.5}}}}, d); }), Contains("an integer, not 1.5"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"id", {1, 2}}}}}, d); }), Contains("{\"in\": [...]}"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"active", 1}}}}, d); }), Contains("true or false"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"name", {{"between", 1}}}}}}, d); }),
             Contains("'between' is not an operator"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"id", {{"like", "1%"}}}}}}, d); }),
             Contains("'like' needs a string or text field"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"meta", {{"eq", 1}}}}}}, d); }),
             Contains("not supported on a json field"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"avatar", {{"gt", 1}}}}}}, d); }),
             Contains("cannot compare a bytes field"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"id", {{"in", 3}}}}}}, d); }), Contains("an array"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"id", {{"in", {1, nullptr}}}}}}}, d); }),
             Contains("cannot hold null"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"email", {{"isNull", "yes"}}}}}}, d); }),
             Contains("true or false"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"score", {{"gt", nullptr}}}}}}, d); }),
             Contains("cannot compare with null"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"or", json::array()}}}}, d); }),
             Contains("'or' takes a non-empty array"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"not", json::object()}}}}, d); }),
             Contains("'not' needs at least one condition"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", "id = 1"}}, d); }), Contains("takes an object"));
  CHECK_THAT(errorOf([&] {
               compileSelect(User, {{"orderBy", {{"name", "up"}}}}, d);
             }),
             Contains("\"asc\" or \"desc\""));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"orderBy", {{"name", "asc"}, {"id", "asc"}}}}, d); }),
             Contains("as an array"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"limit", -1}}, d); }), Contains("non-negative integer"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"select", {"id", "id"}}}, d); }), Contains("selected twice"));
  CHECK_THAT(errorOf([&] { compileSelect(User, {{"where", {{"seen", "yesterday"}}}}, d); }), Contains("a timestamp"));
  CHECK_THAT(errorOf([&] { compileInsert(User, {{"email", "a@b"}}, d); }),
             Contains("insert into 'users': missing name, role"));
  CHECK_THAT(errorOf([&] { compileInsert(User, {{"name", nullptr}, {"role", 1}}, d); }),
             Contains("field 'name' cannot be null"));
  CHECK_THAT(errorOf([&] { compileInsert(User, {{"name", "a"}, {"role", 1}, {"avatar", {1, 256}}}, d); }),
             Contains("bytes"));
  CHECK_THAT(errorOf([&] { compileInsert(User, json::array(), d); }), Contains("takes an object of field values"));
  CHECK_THAT(errorOf([&] { compileUpdate(User, {{"set", {{"name", "b"}}}}, d); }),
             Contains("update on 'users' needs a where"));
  CHECK_THAT(errorOf([&] { compileUpdate(User, {{"where", json::object()}}, d); }), Contains("needs \"set\""));
  CHECK_THAT(errorOf([&] { compileRemove(User, json::object(), d); }), Contains("remove on 'users' needs a where"));
  CHECK_THAT(errorOf([&] { compileCount(User, {{"limit", 1}}, d); }), Contains("unknown query key 'limit'"));
}

TEST_CASE("dates, uuids and decimals are checked the same on both databases") {
  const Model Typed = defineModel("typed", {{"d", t.date()}, {"u", t.uuid()}, {"n", t.decimal(10, 2)}});
  using Catch::Matchers::Contains;
  CHECK_THAT(errorOf([&] { compileInsert(Typed, {{"d", "03/02/2024"}, {"u", "x"}, {"n", 1}}, sqliteDialect()); }),
             Contains("a date 'YYYY-MM-DD'"));
  CHECK_THAT(errorOf([&] { compileInsert(Typed, {{"d", "2024-02-03"}, {"u", "x"}, {"n", 1}}, sqliteDialect()); }),
             Contains("a UUID"));
  const auto ok = compileInsert(
      Typed, {{"d", "2024-02-03"}, {"u", "123e4567-e89b-12d3-a456-426614174000"}, {"n", "12.50"}}, sqliteDialect());
  CHECK(ok.params[1] == Value(std::string("12.50")));
}

TEST_CASE("a model with definition errors cannot be queried") {
  const Model Bad = defineModel("", {{"id", t.number().primary()}});
  if (!Bad.errors().empty()) {
    CHECK_THROWS_AS(compileSelect(Bad, json::object(), sqliteDialect()), QueryError);
  }
}

namespace {
const Model Tag = defineModel("tags", {{"id", t.number().primary()}, {"name", t.string()}});
const Model Post = defineModel("posts", {
                                            {"id", t.number().primary()},
                                            {"title", t.string()},
                                            {"author", t.belongsTo(User).optional()},
                                            {"tags", t.manyToMany(Tag)},
                                        });
}  // namespace

TEST_CASE("include reads the keys it loads by after the selected columns") {
  const auto s = compileSelect(Post, {{"select", {"title"}}, {"include", {"tags", "author"}}}, sqliteDialect());
  CHECK(s.sql == R"(SELECT "title", "id", "author_id" FROM "posts")");
  REQUIRE(s.fields.size() == 1);
  REQUIRE(s.include.size() == 2);
  CHECK(s.include[0]->name == "tags");
  CHECK(s.include[0]->pivot == "posts_tags");
  CHECK(s.include[0]->ownerColumn == "posts_id");
  CHECK(s.include[0]->targetColumn == "tags_id");
  CHECK(s.keys[1]->column == "author_id");
}

TEST_CASE("relation loads and pivot changes render their SQL per dialect") {
  const auto table = queryTable(Post);  // QueryTable's lookups are core's own (not exported)
  REQUIRE(table->relations.size() == 2);
  const QueryRelation& author = table->relations[0];
  const QueryRelation& tags = table->relations[1];
  const QueryField& postKey = table->fields.front();
  const std::vector<Value> keys{std::int64_t{1}, std::int64_t{2}};
  CHECK(compileRelatedRows(author, keys, postgresDialect()).sql ==
        R"(SELECT "id", "name", "email", "active", "score", "seen", "meta", "avatar", "role_id" FROM "users" )"
        R"(WHERE "id" IN (1, 2))");  // integer keys as literals, text keys bound
  CHECK(compilePivotRows(tags, postKey, keys, mysqlDialect()).sql ==
        "SELECT `t`.`id`, `t`.`name`, `p`.`posts_id` FROM `tags` AS `t` JOIN `posts_tags` AS `p` ON `p`.`tags_id` = "
        "`t`.`id` WHERE `p`.`posts_id` IN (1, 2) ORDER BY `p`.`posts_id`, `t`.`id`");
  const auto byText = compileRelatedRows(author, {std::string("x'); DROP TABLE users; --")}, sqliteDialect());
  CHECK(byText.sql.ends_with(R"(WHERE "id" IN (?1))"));
  CHECK(byText.params.size() == 1);

  const Value post = std::int64_t{7};
  const auto attach = compileAttach(tags, post, keys, sqliteDialect());
  CHECK(attach.sql == R"(INSERT INTO "posts_tags" ("posts_id", "tags_id") VALUES (?1, ?2), (?3, ?4) )"
                      R"(ON CONFLICT DO NOTHING RETURNING 1)");
  CHECK(attach.params == params({std::int64_t{7}, std::int64_t{1}, std::int64_t{7}, std::int64_t{2}}));
  CHECK(compileAttach(tags, post, keys, postgresDialect()).sql ==
        R"(INSERT INTO "posts_tags" ("posts_id", "tags_id") VALUES ($1, $2), ($3, $4) ON CONFLICT DO NOTHING RETURNING 1)");
  CHECK(compileAttach(tags, post, keys, mysqlDialect()).sql ==
        "INSERT IGNORE INTO `posts_tags` (`posts_id`, `tags_id`) VALUES (?, ?), (?, ?)");

  CHECK(compileDetach(tags, post, keys, false, postgresDialect()).sql ==
        R"(DELETE FROM "posts_tags" WHERE "posts_id" = $1 AND "tags_id" IN (1, 2) RETURNING 1)");
  CHECK(compileDetach(tags, post, keys, true, mysqlDialect()).sql ==
        "DELETE FROM `posts_tags` WHERE `posts_id` = ? AND `tags_id` NOT IN (1, 2)");
  CHECK(compileDetach(tags, post, {}, true, sqliteDialect()).sql ==
        R"(DELETE FROM "posts_tags" WHERE "posts_id" = ?1 RETURNING 1)");
}

TEST_CASE("where on a relation renders an IN subquery") {
  auto where = [](json condition) {
    const auto s = compileSelect(Post, {{"select", {"id"}}, {"where", condition}}, postgresDialect());
    return s.sql.substr(std::string(R"(SELECT "id" FROM "posts" WHERE )").size());
  };
  CHECK(where({{"author", {{"name", "Ada"}}}}) == R"("author_id" IN (SELECT "id" FROM "users" WHERE "name" = $1))");
  CHECK(where({{"author", {{"role", {{"name", "admin"}}}}}}) ==
        R"("author_id" IN (SELECT "id" FROM "users" WHERE "role_id" IN (SELECT "id" FROM "roles" WHERE "name" = $1)))");
  CHECK(where({{"author", {{"in", {1, 2}}}}}) == R"("author_id" IN ($1, $2))");  // operators: the key
  CHECK(where({{"author", 3}}) == R"("author_id" = $1)");
  CHECK(where({{"tags", 3}}) ==
        R"("id" IN (SELECT "posts_id" FROM "posts_tags" WHERE "tags_id" IN (SELECT "id" FROM "tags" WHERE "id" = $1)))");
  CHECK(where({{"tags", {{"name", "c++"}}}}) == R"("id" IN (SELECT "posts_id" FROM "posts_tags" WHERE "tags_id" IN )"
                                                R"((SELECT "id" FROM "tags" WHERE "name" = $1)))");
}
