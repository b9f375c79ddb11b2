// Relations on every database: include (a fixed number of queries whatever the number of
// rows), where on related fields, and attach/detach/sync through the pivot.
#include "query_fixture.hpp"

#include <catch2/catch.hpp>

using namespace jsorm;
using namespace jsorm::query_test;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {
const Model Author = defineModel("authors", {
                                                {"id", t.number().primary()},
                                                {"name", t.string()},
                                                {"team", t.belongsTo(Team).optional()},
                                            });
const Model Tag = defineModel("tags", {
                                          {"id", t.number().primary()},
                                          {"name", t.string().unique()},
                                      });
const Model Post = defineModel("posts", {
                                            {"id", t.number().primary()},
                                            {"title", t.string()},
                                            {"rank", t.number().defaultTo(0)},
                                            {"author", t.belongsTo(Author).optional()},
                                            {"tags", t.manyToMany(Tag)},
                                        });

// A self-referencing belongsTo: a model cannot name itself while it is being defined, so the
// relation points to a model of the same table declared first.
const Model PersonRef = defineModel("people", {{"id", t.number().primary()}, {"name", t.string()}});
const Model Person = defineModel("people", {
                                               {"id", t.number().primary()},
                                               {"name", t.string()},
                                               {"manager", t.belongsTo(PersonRef).optional()},
                                           });

/// Counts the statements sent through it, to prove that include does not query per row.
class CountingConnection final : public Connection {
 public:
  explicit CountingConnection(std::shared_ptr<Connection> inner) : inner_(std::move(inner)) {}
  const Dialect& dialect() const override { return inner_->dialect(); }
  void execute(std::string_view sql) override { ++statements, inner_->execute(sql); }
  void execute(std::string_view sql, const std::vector<Value>& params) override {
    ++statements, inner_->execute(sql, params);
  }
  ResultSet query(std::string_view sql, const std::vector<Value>& params) override {
    ++statements;
    return inner_->query(sql, params);
  }
  void begin() override { inner_->begin(); }
  void commit() override { inner_->commit(); }
  void rollback() override { inner_->rollback(); }
  void lockMigrations(const std::string& key, std::chrono::milliseconds timeout) override {
    inner_->lockMigrations(key, timeout);
  }
  void unlockMigrations(const std::string& key) override { inner_->unlockMigrations(key); }
  bool hasTable(const std::string& table) override { return inner_->hasTable(table); }
  bool hasColumn(const std::string& table, const std::string& column) override {
    return inner_->hasColumn(table, column);
  }
  std::vector<std::string> tables() override { return inner_->tables(); }
  std::string target() const override { return inner_->target(); }

  int statements = 0;

 private:
  std::shared_ptr<Connection> inner_;
};

struct Blog : QueryFixture {
  Blog() : QueryFixture({Team, Author, Tag, Post}) {
    ada = db.insert(Author, {{"name", "Ada"}});
    linus = db.insert(Author, {{"name", "Linus"}});
    cpp = db.insert(Tag, {{"name", "c++"}});
    sql = db.insert(Tag, {{"name", "sql"}});
    rust = db.insert(Tag, {{"name", "rust"}});
  }
  json ada, linus, cpp, sql, rust;
};

std::string titles(const std::vector<Row>& rows) {
  std::string out;
  for (const auto& row : rows) out += (out.empty() ? "" : ",") + row.text("title");
  return out;
}

std::string tagNames(const Row& post) {
  std::string out;
  for (const auto& tag : post.relatedAll("tags")) out += (out.empty() ? "" : ",") + tag.text("name");
  return out;
}
}  // namespace

TEST_CASE("include loads belongsTo and manyToMany relations, in rows and in toJson") {
  Blog f;
  const json first = f.db.insert(Post, {{"title", "one"}, {"author", f.ada}, {"tags", {f.sql, f.cpp}}});
  f.db.insert(Post, {{"title", "two"}, {"author", f.linus}, {"tags", json::array()}});
  f.db.insert(Post, {{"title", "three"}});  // no author, no tags

  const auto posts = f.db.get(Post, {{"include", {"author", "tags"}}, {"orderBy", "id"}});
  REQUIRE(posts.size() == 3);
  REQUIRE(posts[0].related("author"));
  CHECK(posts[0].related("author")->text("name") == "Ada");
  CHECK(tagNames(posts[0]) == "c++,sql");  // ordered by the tag's key
  CHECK(posts[1].related("author")->text("name") == "Linus");
  CHECK(posts[1].relatedAll("tags").empty());
  CHECK_FALSE(posts[2].related("author"));
  CHECK(posts[2].relatedAll("tags").empty());

  const json doc = posts[0].toJson();
  CHECK(doc["author"] == json{{"id", f.ada}, {"name", "Ada"}, {"team", nullptr}});
  CHECK(doc["tags"] == json::array({json{{"id", f.cpp}, {"name", "c++"}}, json{{"id", f.sql}, {"name", "sql"}}}));
  CHECK(doc["title"] == "one");
  CHECK(posts[2].toJson()["author"].is_null());
  CHECK(posts[2].toJson()["tags"] == json::array());

  // first() includes too, and without include a belongsTo still reads as its key.
  const auto one = f.db.first(Post, {{"where", {{"id", first}}}, {"include", {"tags"}}});
  CHECK(tagNames(*one) == "c++,sql");
  CHECK(f.db.first(Post, {{"where", {{"id", first}}}})->toJson()["author"] == f.ada);
}

TEST_CASE("include issues one query per relation whatever the number of rows") {
  Blog f;
  auto counting = std::make_shared<CountingConnection>(f.db.shared());
  Database db(counting);
  auto queriesFor = [&](int posts) {
    db->execute("DELETE FROM posts_tags");
    db.remove(Post, {{"where", json::object()}});
    for (int i = 0; i < posts; ++i) {
      db.insert(Post, {{"title", "p" + std::to_string(i)}, {"author", i % 2 ? f.ada : f.linus}, {"tags", {f.cpp, f.rust}}});
    }
    counting->statements = 0;
    const auto rows = db.get(Post, {{"include", {"author", "tags"}}});
    REQUIRE(rows.size() == static_cast<std::size_t>(posts));
    for (const auto& row : rows) REQUIRE(row.relatedAll("tags").size() == 2);
    return counting->statements;
  };
  CHECK(queriesFor(1) == 3);
  CHECK(queriesFor(10) == 3);
  CHECK(queriesFor(200) == 3);
  // Nothing to load: only the parents' query.
  db->execute("DELETE FROM posts_tags");
  db.remove(Post, {{"where", json::object()}});
  counting->statements = 0;
  CHECK(db.get(Post, {{"include", {"author", "tags"}}}).empty());
  CHECK(counting->statements == 1);
}

TEST_CASE("past 10,000 keys include loads in chunks of 10,000 keys") {
  Blog f;
  std::string values;
  for (int i = 0; i < 10001; ++i) values += std::string(i ? ", " : "") + "('p', 0)";
  f.db->execute("INSERT INTO posts (title, " + f.db.dialect().quoteIdentifier("rank") + ") VALUES " + values);
  f.db->execute("INSERT INTO posts_tags (posts_id, tags_id) SELECT id, " + f.cpp.dump() + " FROM posts");
  auto counting = std::make_shared<CountingConnection>(f.db.shared());
  Database db(counting);
  const auto rows = db.get(Post, {{"include", {"tags", "author"}}});
  CHECK(counting->statements == 3);  // the posts, then two chunks of post keys; no author key to load
  REQUIRE(rows.size() == 10001);
  std::size_t linked = 0;
  for (const auto& row : rows) linked += row.relatedAll("tags").size() == 1 && !row.related("author");
  CHECK(linked == 10001);
}

TEST_CASE("include combines with select, where, orderBy and limit") {
  Blog f;
  f.db.insert(Post, {{"title", "a"}, {"rank", 3}, {"author", f.ada}, {"tags", {f.cpp}}});
  f.db.insert(Post, {{"title", "b"}, {"rank", 2}, {"author", f.linus}, {"tags", {f.sql}}});
  f.db.insert(Post, {{"title", "c"}, {"rank", 1}, {"author", f.ada}, {"tags", {f.rust, f.sql}}});
  // Neither the author's key nor the post's id is selected: include still finds them.
  const auto rows = f.db.get(Post, {{"select", {"title"}},
                                     {"include", {"author", "tags"}},
                                     {"orderBy", {{"rank", "asc"}}},
                                     {"limit", 2}});
  REQUIRE(rows.size() == 2);
  CHECK(titles(rows) == "c,b");
  CHECK(rows[0].toJson() == json{{"title", "c"},
                                 {"author", {{"id", f.ada}, {"name", "Ada"}, {"team", nullptr}}},
                                 {"tags", {{{"id", f.sql}, {"name", "sql"}}, {{"id", f.rust}, {"name", "rust"}}}}});
  CHECK_FALSE(rows[0].has("author"));  // the key column was read for include only
  CHECK(tagNames(rows[1]) == "sql");
  // An empty include list is no include.
  CHECK(f.db.get(Post, {{"include", json::array()}}).size() == 3);
  CHECK_THROWS_WITH(f.db.get(Post, {{"include", json::array()}})[0].related("author"),
                    Contains("add \"include\": [\"author\"]"));
}

TEST_CASE("a related row that is missing reads as null") {
  Blog f;
  const json orphan = f.db.insert(Author, {{"name", "gone"}});
  f.db.insert(Post, {{"title", "lost"}, {"author", orphan}});
  // Remove the author behind the foreign key's back (SQLite and MariaDB allow it here).
  if (f.scratch.isPostgres()) {
    f.db->execute("ALTER TABLE posts DROP CONSTRAINT IF EXISTS posts_author_id_fkey");
  } else if (f.scratch.isMysql()) {
    f.db->execute("SET FOREIGN_KEY_CHECKS = 0");
  } else {
    f.db->execute("PRAGMA foreign_keys = OFF");
  }
  f.db->execute("DELETE FROM authors WHERE name = 'gone'");
  const auto post = f.db.first(Post, {{"include", {"author"}}});
  REQUIRE(post);
  CHECK_FALSE(post->related("author"));
  CHECK(post->toJson()["author"].is_null());
  if (f.scratch.isMysql()) f.db->execute("SET FOREIGN_KEY_CHECKS = 1");
}

TEST_CASE("include, related and relatedAll refuse what is not an included relation") {
  Blog f;
  f.db.insert(Post, {{"title", "x"}, {"author", f.ada}});
  CHECK_THROWS_WITH(f.db.get(Post, {{"include", {"autor"}}}),
                    Contains("include on 'posts': 'autor' is not a relation; did you mean 'author'?"));
  CHECK_THROWS_WITH(f.db.get(Post, {{"include", {"title"}}}), Contains("'title' is a plain field, not a relation"));
  CHECK_THROWS_WITH(f.db.get(Post, {{"include", {"tags", "tags"}}}), Contains("'tags' is included twice"));
  CHECK_THROWS_WITH(f.db.get(Post, {{"include", {{"author", true}}}}), Contains("include takes"));
  CHECK_THROWS_WITH(f.db.get(Post, {{"include", 3}}), Contains("include takes an array"));
  CHECK_THROWS_WITH(f.db.get(Tag, {{"include", {"posts"}}}), Contains("model 'tags' has no belongsTo or manyToMany"));
  CHECK_THROWS_AS(f.db.count(Post, {{"include", {"author"}}}), QueryError);

  const auto post = f.db.first(Post, {{"include", {"author"}}});
  CHECK_THROWS_WITH(post->relatedAll("tags"), Contains("add \"include\": [\"tags\"] to the query"));
  CHECK_THROWS_WITH(post->related("tags"), Contains("posts.tags is a manyToMany relation; read it with relatedAll"));
  CHECK_THROWS_WITH(post->relatedAll("author"), Contains("posts.author is a belongsTo relation; read it with related"));
  CHECK_THROWS_WITH(post->related("title"), Contains("is a plain field, not a relation"));
  CHECK_THROWS_WITH(post->related("athor"), Contains("did you mean 'author'?"));
  CHECK(post->hasRelated("author"));
  CHECK_FALSE(post->hasRelated("tags"));
}

TEST_CASE("a self-referencing belongsTo includes and filters on the same table") {
  QueryFixture f({Person});
  const json boss = f.db.insert(Person, {{"name", "Grace"}});
  const json mid = f.db.insert(Person, {{"name", "Ada"}, {"manager", boss}});
  f.db.insert(Person, {{"name", "Linus"}, {"manager", mid}});
  const auto people = f.db.get(Person, {{"include", {"manager"}}, {"orderBy", "id"}});
  REQUIRE(people.size() == 3);
  CHECK_FALSE(people[0].related("manager"));
  CHECK(people[1].related("manager")->text("name") == "Grace");
  CHECK(people[2].related("manager")->text("name") == "Ada");
  const auto managedByAda = f.db.get(Person, {{"where", {{"manager", {{"name", "Ada"}}}}}});
  REQUIRE(managedByAda.size() == 1);
  CHECK(managedByAda[0].text("name") == "Linus");
  // update and remove can filter by the very table they change.
  CHECK(f.db.update(Person, {{"set", {{"name", "Linus T."}}}, {"where", {{"manager", {{"name", "Ada"}}}}}}) == 1);
  CHECK(f.db.remove(Person, {{"where", {{"manager", {{"name", "Ada"}}}}}}) == 1);
  CHECK(f.db.count(Person) == 2);
}

TEST_CASE("where on a belongsTo field filters by the related model's fields") {
  Blog f;
  const json team = f.db.insert(Team, {{"name", "core"}});
  f.db.update(Author, {{"set", {{"team", team}}}, {"where", {{"name", "Ada"}}}});
  f.db.insert(Post, {{"title", "a1"}, {"author", f.ada}, {"tags", {f.cpp}}});
  f.db.insert(Post, {{"title", "a2"}, {"author", f.ada}});
  f.db.insert(Post, {{"title", "l1"}, {"author", f.linus}, {"tags", {f.sql, f.cpp}}});
  f.db.insert(Post, {{"title", "none"}});
  auto where = [&](const json& condition) {
    return titles(f.db.get(Post, {{"where", condition}, {"orderBy", "title"}}));
  };
  CHECK(where({{"author", {{"name", "Ada"}}}}) == "a1,a2");
  CHECK(where({{"author", {{"name", {{"like", "L%"}}}}}}) == "l1");
  CHECK(where({{"author", {{"name", {{"in", {"Ada", "Linus"}}}}}}}) == "a1,a2,l1");
  CHECK(where({{"author", {{"or", {{{"name", "Linus"}}, {{"id", f.ada}}}}}}}) == "a1,a2,l1");
  CHECK(where({{"not", {{"author", {{"name", "Ada"}}}}}}) == "l1");  // NULL never matches, as in SQL
  CHECK(where({{"author", {{"team", {{"name", "core"}}}}}}) == "a1,a2");  // two levels
  CHECK(where({{"author", {{"name", "Ada"}}}, {"title", {{"ne", "a1"}}}}) == "a2");
  // A scalar or an operator object still means the key.
  CHECK(where({{"author", f.linus}}) == "l1");
  CHECK(where({{"author", {{"in", {f.linus}}}}}) == "l1");
  CHECK(where({{"author", nullptr}}) == "none");
  CHECK(where({{"author", {{"name", "Nobody"}}}}).empty());
  // manyToMany: a key, an operator on the key, or the target's fields.
  CHECK(where({{"tags", f.cpp}}) == "a1,l1");
  CHECK(where({{"tags", {{"name", "sql"}}}}) == "l1");
  CHECK(where({{"tags", {{"in", {f.sql, f.rust}}}}}) == "l1");
  CHECK(f.db.count(Post, {{"where", {{"author", {{"name", "Ada"}}}}}}) == 2);
  CHECK(f.db.update(Post, {{"set", {{"rank", 9}}}, {"where", {{"author", {{"name", "Linus"}}}}}}) == 1);
  CHECK(f.db.remove(Post, {{"where", {{"tags", {{"name", "rust"}}}}}}) == 0);
  CHECK(f.db.remove(Post, {{"where", {{"author", {{"name", "Ada"}}}, {"title", "a2"}}}}) == 1);
  // Unknown fields of the related model and wrong key types are refused before anything is sent.
  CHECK_THROWS_WITH(where({{"author", {{"nmae", "Ada"}}}}), Contains("model 'authors' has no field 'nmae'"));
  CHECK_THROWS_WITH(where({{"author", "Ada"}}), Contains("posts.author takes an integer"));
  CHECK_THROWS_WITH(where({{"tags", "c++"}}), Contains("tags.id takes an integer"));
}

TEST_CASE("attach, detach and sync change the pivot idempotently and count the rows they change") {
  Blog f;
  const json post = f.db.insert(Post, {{"title", "p"}});
  CHECK(f.db.attach(Post, post, "tags", {f.cpp, f.sql}) == 2);
  CHECK(f.db.attach(Post, post, "tags", {f.cpp, f.sql}) == 0);          // already linked
  CHECK(f.db.attach(Post, post, "tags", {f.cpp, f.rust, f.rust}) == 1);  // duplicates in the list count once
  CHECK(f.db.attach(Post, post, "tags", json::array()) == 0);
  CHECK(f.db.attach(Post, post, "tags", f.cpp) == 0);  // a single key
  CHECK(tagNames(*f.db.first(Post, {{"include", {"tags"}}})) == "c++,sql,rust");

  CHECK(f.db.detach(Post, post, "tags", {f.sql, 999}) == 1);  // 999 was never linked
  CHECK(f.db.detach(Post, post, "tags", {f.sql}) == 0);
  CHECK(f.db.detach(Post, post, "tags", json::array()) == 0);
  CHECK(tagNames(*f.db.first(Post, {{"include", {"tags"}}})) == "c++,rust");

  CHECK(f.db.sync(Post, post, "tags", {f.sql, f.rust}) == 2);  // c++ out, sql in
  CHECK(f.db.sync(Post, post, "tags", {f.sql, f.rust}) == 0);
  CHECK(tagNames(*f.db.first(Post, {{"include", {"tags"}}})) == "sql,rust");
  CHECK(f.db.sync(Post, post, "tags", json::array()) == 2);
  CHECK(f.db.first(Post, {{"include", {"tags"}}})->relatedAll("tags").empty());
  CHECK(f.scratch.count("SELECT COUNT(*) FROM posts_tags") == 0);
}

TEST_CASE("attach, detach and sync refuse missing rows, wrong key types and non-pivot fields alike") {
  Blog f;
  const json post = f.db.insert(Post, {{"title", "p"}});
  CHECK_THROWS_WITH(f.db.attach(Post, post, "tags", {f.cpp, 404}),
                    Contains("attach on 'posts': 'tags' has no row with the key 404"));
  CHECK_THROWS_WITH(f.db.attach(Post, 777, "tags", {f.cpp}), Contains("'posts' has no row with the key 777"));
  CHECK_THROWS_WITH(f.db.sync(Post, post, "tags", {404}), Contains("has no row with the key 404"));
  CHECK(f.scratch.count("SELECT COUNT(*) FROM posts_tags") == 0);  // nothing half-done
  CHECK_THROWS_WITH(f.db.attach(Post, post, "tags", {"c++"}), Contains("tags.id takes an integer"));
  CHECK_THROWS_WITH(f.db.attach(Post, "one", "tags", {f.cpp}), Contains("posts.id takes an integer"));
  CHECK_THROWS_WITH(f.db.attach(Post, nullptr, "tags", {f.cpp}), Contains("cannot be null"));
  CHECK_THROWS_WITH(f.db.attach(Post, post, "author", {f.ada}), Contains("'author' is a belongsTo field, not manyToMany"));
  CHECK_THROWS_WITH(f.db.detach(Post, post, "tag", {f.cpp}), Contains("did you mean 'tags'?"));
  CHECK_THROWS_WITH(f.db.update(Post, {{"set", {{"tags", {f.cpp}}}}, {"where", json::object()}}),
                    Contains("use db.attach, db.detach or db.sync"));
}

TEST_CASE("insert and insertMany link manyToMany keys in the row's transaction") {
  Blog f;
  const json post = f.db.insert(Post, {{"title", "p"}, {"tags", {f.cpp, f.cpp, f.sql}}});
  CHECK(tagNames(*f.db.first(Post, {{"where", {{"id", post}}}, {"include", {"tags"}}})) == "c++,sql");
  const auto keys = f.db.insertMany(Post, {{{"title", "q"}, {"tags", {f.rust}}}, {{"title", "r"}}});
  CHECK(tagNames(*f.db.first(Post, {{"where", {{"id", keys[0]}}}, {"include", {"tags"}}})) == "rust");
  // A missing tag undoes the row too; a wrong type is refused before anything is sent.
  CHECK_THROWS_WITH(f.db.insert(Post, {{"title", "bad"}, {"tags", {404}}}), Contains("no row with the key 404"));
  CHECK_THROWS_WITH(f.db.insert(Post, {{"title", "bad"}, {"tags", {"x"}}}), Contains("tags.id takes an integer"));
  CHECK_THROWS_WITH(f.db.insert(Post, {{"title", "bad"}, {"tags", 3}}), Contains("takes an array of 'tags' keys"));
  CHECK(f.db.count(Post, {{"where", {{"title", "bad"}}}}) == 0);
}
