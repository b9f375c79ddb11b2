// The lint engine: which rule each typed step and rawSql statement meets on each database,
// which tables count as new, and how lintAllow marks findings.
#include <jsorm/error.hpp>
#include <jsorm/jsorm.hpp>
#include <jsorm/lint.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;
using Rules = std::vector<std::string>;

namespace {
const Builder b;
const DatabaseKind kPg = DatabaseKind::Postgres;
const DatabaseKind kMy = DatabaseKind::Mysql;
const DatabaseKind kLite = DatabaseKind::Sqlite;

Rules rulesOf(DatabaseKind db, const Steps& steps, bool transaction = true) {
  Linter linter(db);
  Rules out;
  for (const auto& f : linter.lint("m", steps, transaction)) out.push_back(f.rule);
  return out;
}
Rules rawRules(DatabaseKind db, const std::string& sql, bool transaction = true) {
  return rulesOf(db, {rawSql(sql)}, transaction);
}
}  // namespace

TEST_CASE("every rule has a unique kebab-case id and there are at least 15", "[lint]") {
  std::set<std::string_view> ids;
  for (const auto& rule : lintRules()) {
    CHECK(ids.insert(rule.id).second);
    for (char c : rule.id) CHECK(((c >= 'a' && c <= 'z') || c == '-'));
  }
  CHECK(ids.size() >= 15);
  CHECK(findLintRule("drop-table"));
  CHECK_FALSE(findLintRule("Drop-Table"));
  CHECK(nearestLintRule("create-index-concurrently") == "create-index-non-concurrently");
}

TEST_CASE("an index on an existing table needs CONCURRENTLY on PostgreSQL only", "[lint]") {
  CHECK(rulesOf(kPg, {b.createIndex("users", {"email"})}) == Rules{"create-index-non-concurrently"});
  CHECK(rulesOf(kMy, {b.createIndex("users", {"email"})}).empty());
  CHECK(rulesOf(kLite, {b.createIndex("users", {"email"})}).empty());
  CHECK(rulesOf(kPg, {b.createIndex("users", {"email"}, {.concurrently = true})}, false).empty());
  CHECK(rulesOf(kPg, {b.createIndex("users", {"email"}, {.concurrently = true})}, true) ==
        Rules{"concurrent-index-in-transaction"});
}

TEST_CASE("a table created earlier in the migration or the run is new", "[lint]") {
  const Model Post = defineModel("posts", {{"id", t.number().primary()}, {"title", t.string()}});
  CHECK(rulesOf(kPg, {b.createTable(Post), b.createIndex("posts", {"title"}), b.addColumn("posts", "x", t.number()),
                      b.renameColumn("posts", "x", "y"), b.dropColumn("posts", "y"), b.dropTable("posts")})
            .empty());
  Linter linter(kPg);
  CHECK(linter.lint("one", {b.createTable(Post)}, true).empty());
  CHECK(linter.lint("two", {b.createIndex("posts", {"title"})}, true).empty());
  linter.startRun();  // the next migration runs on a database where posts holds rows
  CHECK(linter.lint("three", {b.createIndex("posts", {"title"})}, true).size() == 1);
}

TEST_CASE("adding a required column without a default", "[lint]") {
  const Steps steps{b.addColumn("users", "age", t.number())};
  CHECK(rulesOf(kPg, steps) == Rules{"add-required-column-without-default"});
  CHECK(rulesOf(kLite, steps) == Rules{"add-required-column-without-default"});
  CHECK(rulesOf(kMy, steps) == Rules{"mysql-required-column-implicit-default"});
  CHECK(rulesOf(kPg, {b.addColumn("users", "age", t.number().defaultTo(0))}).empty());
  CHECK(rulesOf(kPg, {b.addColumn("users", "age", t.number().optional())}).empty());
  CHECK(rawRules(kPg, "alter table public.users add column age int not null") == Rules{"add-required-column-without-default"});
  CHECK(rawRules(kPg, "ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT NULL") ==
        Rules{"add-required-column-without-default"});
  CHECK(rawRules(kPg, "ALTER TABLE users ADD age int NOT NULL DEFAULT 0").empty());
}

TEST_CASE("a volatile default rewrites the table; now() does not", "[lint]") {
  CHECK(rulesOf(kPg, {b.addColumn("users", "token", t.uuid().defaultRaw("gen_random_uuid()"))}) ==
        Rules{"add-column-volatile-default"});
  CHECK(rulesOf(kPg, {b.addColumn("users", "seen", t.timestamp().defaultRaw("now()"))}).empty());
  CHECK(rawRules(kPg, "ALTER TABLE users ADD COLUMN r float DEFAULT (random() * 10) NOT NULL") ==
        Rules{"add-column-volatile-default"});
  // The function name inside a string is not a call.
  CHECK(rawRules(kPg, "ALTER TABLE users ADD COLUMN r text DEFAULT 'random()'").empty());
}

TEST_CASE("SQLite's ADD COLUMN restrictions", "[lint]") {
  CHECK(rulesOf(kLite, {b.addColumn("users", "seen", t.timestamp().optional().defaultRaw("CURRENT_TIMESTAMP"))}) ==
        Rules{"sqlite-add-column-restricted"});
  CHECK(rulesOf(kLite, {b.addColumn("users", "n", t.number().optional().defaultRaw("-1"))}).empty());
  CHECK(rawRules(kLite, "ALTER TABLE users ADD COLUMN code text UNIQUE") == Rules{"sqlite-add-column-restricted"});
  CHECK(rawRules(kLite, "ALTER TABLE users ALTER COLUMN code TYPE int") == Rules{"sqlite-alter-unsupported"});
  CHECK(rawRules(kLite, "ALTER TABLE users ADD CONSTRAINT c CHECK (x > 0)") == Rules{"sqlite-alter-unsupported"});
  CHECK(rawRules(kLite, "ALTER TABLE users RENAME TO people") == Rules{"rename-table"});
}

TEST_CASE("type changes rewrite on PostgreSQL and copy on MySQL", "[lint]") {
  CHECK(rawRules(kPg, "ALTER TABLE users ALTER COLUMN age TYPE bigint") == Rules{"change-column-type"});
  CHECK(rawRules(kPg, "ALTER TABLE \"Users\" ALTER age SET DATA TYPE bigint USING age::bigint") ==
        Rules{"change-column-type"});
  CHECK(rawRules(kMy, "ALTER TABLE users MODIFY COLUMN age BIGINT NOT NULL") == Rules{"change-column-type"});
  CHECK(rawRules(kMy, "ALTER TABLE `users` CHANGE `age` `years` BIGINT") == Rules{"change-column-type"});
}

TEST_CASE("SET NOT NULL needs a validated CHECK first", "[lint]") {
  CHECK(rawRules(kPg, "ALTER TABLE users ALTER COLUMN email SET NOT NULL") == Rules{"set-not-null-without-check"});
  Linter linter(kPg);
  const auto first = linter.lint(
      "check", {rawSql("ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID")}, true);
  CHECK(first.empty());
  CHECK(linter.lint("validate", {rawSql("ALTER TABLE users VALIDATE CONSTRAINT email_nn")}, true).empty());
  CHECK(linter.lint("set", {rawSql("ALTER TABLE users ALTER COLUMN email SET NOT NULL")}, true).empty());
  CHECK(linter.lint("other", {rawSql("ALTER TABLE users ALTER COLUMN name SET NOT NULL")}, true).size() == 1);
}

TEST_CASE("constraints: NOT VALID, USING INDEX, and MySQL's table copy", "[lint]") {
  CHECK(rawRules(kPg, "ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)") ==
        Rules{"add-foreign-key-validating"});
  CHECK(rawRules(kPg, "ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID").empty());
  CHECK(rawRules(kPg, "ALTER TABLE posts ADD CHECK (n > 0)") == Rules{"add-check-validating"});
  CHECK(rawRules(kPg, "ALTER TABLE posts ADD CONSTRAINT u UNIQUE (slug)") == Rules{"add-unique-constraint"});
  CHECK(rawRules(kPg, "ALTER TABLE posts ADD CONSTRAINT u UNIQUE USING INDEX posts_slug").empty());
  CHECK(rawRules(kMy, "ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id)") ==
        Rules{"mysql-foreign-key-copies-table"});
  const Model User = defineModel("users", {{"id", t.number().primary()}});
  CHECK(rulesOf(kPg, {b.addColumn("posts", "author", t.belongsTo(User).optional())}) ==
        Rules{"add-foreign-key-validating"});
  CHECK(rulesOf(kMy, {b.addColumn("posts", "author", t.belongsTo(User).optional())}) ==
        Rules{"mysql-foreign-key-copies-table"});
  CHECK(rulesOf(kLite, {b.addColumn("posts", "author", t.belongsTo(User).optional())}).empty());
}

TEST_CASE("destructive changes on every database", "[lint]") {
  for (auto db : {kPg, kMy, kLite}) {
    CHECK(rulesOf(db, {b.dropTable("users")}) == Rules{"drop-table"});
    CHECK(rulesOf(db, {b.dropColumn("users", "email")}) == Rules{"drop-column"});
    CHECK(rulesOf(db, {b.renameTable("users", "people")}) == Rules{"rename-table"});
    CHECK(rulesOf(db, {b.renameColumn("users", "email", "mail")}) == Rules{"rename-column"});
    CHECK(rawRules(db, "DROP TABLE IF EXISTS a, public.b CASCADE") == Rules{"drop-table", "drop-table"});
  }
  CHECK(rawRules(kMy, "RENAME TABLE a TO b, c TO d") == Rules{"rename-table", "rename-table"});
  CHECK(rawRules(kPg, "ALTER TABLE users RENAME COLUMN a TO b") == Rules{"rename-column"});
  CHECK(rawRules(kPg, "alter table users drop column if exists a") == Rules{"drop-column"});
}

TEST_CASE("rawSql: hostile text is read as the database reads it", "[lint]") {
  // The keywords are in a string, a comment and a dollar quote: the statement is an INSERT.
  CHECK(rawRules(kPg, "INSERT INTO log VALUES ('DROP TABLE users') -- DROP TABLE users\n").empty());
  CHECK(rawRules(kPg, "/* CREATE INDEX x ON users (a) */ INSERT INTO log VALUES ($$ALTER TABLE users DROP a$$)").empty());
  CHECK(rawRules(kPg, "cReAtE uNiQuE iNdEx ix ON \"public\".\"users\" (a)") == Rules{"create-index-non-concurrently"});
  CHECK(rawRules(kPg, "CREATE INDEX CONCURRENTLY IF NOT EXISTS ix ON users (a)", false).empty());
  CHECK(rawRules(kPg, "CREATE INDEX CONCURRENTLY ix ON users (a)", true) == Rules{"concurrent-index-in-transaction"});
  // Two statements in one rawSql run as one implicit transaction block.
  CHECK(rawRules(kPg, "CREATE INDEX CONCURRENTLY ix ON users (a); SELECT 1", false) ==
        Rules{"concurrent-index-in-transaction", "raw-sql-not-analysed"});
  CHECK(rawRules(kPg, "DROP INDEX ix") == Rules{"drop-index-non-concurrently"});
  CHECK(rawRules(kPg, "DROP INDEX CONCURRENTLY ix", false).empty());
  CHECK(rawRules(kPg, "CREATE TABLE t (a int); CREATE INDEX ix ON t (a); ALTER TABLE t ADD COLUMN b int NOT NULL").empty());
}

TEST_CASE("rawSql the rules do not know is reported once per statement", "[lint]") {
  CHECK(rawRules(kPg, "SELECT 1; VACUUM users; GRANT ALL ON users TO x") ==
        Rules{"raw-sql-not-analysed", "raw-sql-not-analysed", "raw-sql-not-analysed"});
  CHECK(rawRules(kPg, "ALTER TABLE users OWNER TO bob") == Rules{"raw-sql-not-analysed"});
  CHECK(rawRules(kPg, "ALTER TABLE users DROP COLUMN a, OWNER TO bob") == Rules{"drop-column", "raw-sql-not-analysed"});
  CHECK(rawRules(kPg, "INSERT INTO t VALUES ('unclosed") == Rules{"raw-sql-not-analysed"});
  CHECK(rawRules(kPg, "COMMENT ON TABLE users IS 'x'; UPDATE users SET a = 1").empty());
}

TEST_CASE("MySQL: a data change and DDL in one transactional migration", "[lint]") {
  CHECK(rulesOf(kMy, {b.addColumn("users", "n", t.number().optional()), rawSql("UPDATE users SET n = 1")}) ==
        Rules{"mysql-ddl-not-transactional"});
  CHECK(rulesOf(kMy, {rawSql("UPDATE users SET n = 1"), b.dropIndex("users", "ix")}) ==
        Rules{"mysql-ddl-not-transactional"});
  CHECK(rulesOf(kMy, {b.addColumn("users", "n", t.number().optional()), rawSql("UPDATE users SET n = 1")}, false).empty());
  CHECK(rulesOf(kPg, {b.addColumn("users", "n", t.number().optional()), rawSql("UPDATE users SET n = 1")}).empty());
}

TEST_CASE("a finding names the migration and step, and lintAllow marks it with its reason", "[lint]") {
  Linter linter(kPg);
  const auto findings = linter.lint("2024_add_index", {b.addColumn("users", "n", t.number().optional()),
                                                       b.createIndex("users", {"n"})},
                                    true, {{"create-index-non-concurrently", "users has 10 rows"}});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].migration == "2024_add_index");
  CHECK(findings[0].step == 2);
  CHECK_THAT(findings[0].stepDescription, Contains("createIndex"));
  CHECK(findings[0].level == LintLevel::Error);
  CHECK(findings[0].allowed);
  CHECK(findings[0].reason == "users has 10 rows");
  CHECK_THAT(findings[0].fix, Contains("concurrently"));
  CHECK(countFindings(findings).errors == 0);
  CHECK(countFindings(findings).allowed == 1);
}

TEST_CASE("a lintAllow naming an unknown rule is a schema error naming the nearest rule", "[lint]") {
  const Migration m = defineMigration({.name = "m1", .up = Steps{}, .lintAllow = {{"drop-tables", "x"}}});
  CHECK_THROWS_MATCHES(checkLintAllowances(m), SchemaError,
                       Catch::Matchers::Message("migration 'm1' allows the lint rule 'drop-tables', which does not exist "
                                                "(nearest: 'drop-table'); docs/lint.md lists the rules"));
}
