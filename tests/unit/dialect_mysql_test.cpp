// The MySQL / MariaDB dialect: the exact SQL each step renders to, where it differs from
// the shared rendering.
#include <jsorm/builder.hpp>
#include <jsorm/dialect.hpp>
#include <jsorm/model.hpp>

#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;

namespace {
const Dialect& my = mysqlDialect();
const Builder b;

std::vector<std::string> sql(const Step& step) {
  std::vector<std::string> out;
  for (const Statement& statement : my.render(step)) out.push_back(statement.sql);
  return out;
}

constexpr const char* kOptions = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
}  // namespace

TEST_CASE("the MySQL dialect is named mysql, uses ? placeholders and has no transactional DDL") {
  CHECK(my.name() == "mysql");
  CHECK(my.placeholder(1) == "?");
  CHECK(my.placeholder(7) == "?");
  CHECK_FALSE(my.transactionalDdl());
  CHECK(postgresDialect().transactionalDdl());
  CHECK(sqliteDialect().transactionalDdl());
}

TEST_CASE("MySQL quotes identifiers in backticks, doubling embedded ones") {
  CHECK(my.quoteIdentifier("users") == "`users`");
  CHECK(my.quoteIdentifier("a`b") == "`a``b`");
  CHECK(my.quoteIdentifier("x`; DROP TABLE users; --") == "`x``; DROP TABLE users; --`");
  CHECK(my.quoteIdentifier("say \"hi\"") == "`say \"hi\"`");
}

TEST_CASE("MySQL strings escape quotes, backslashes and NUL so they read back under any sql_mode") {
  CHECK(my.quoteString("it's") == "'it''s'");
  CHECK(my.quoteString("a\\b") == "'a\\\\b'");
  CHECK(my.quoteString("\\'") == "'\\\\'''");
  CHECK(my.quoteString(std::string("a\0b", 3)) == "'a\\0b'");
  CHECK(my.literal(std::string("x\\")) == "'x\\\\'");
}

TEST_CASE("MySQL literals: booleans and numbers as written, no infinity or NaN") {
  CHECK(my.literal(true) == "TRUE");
  CHECK(my.literal(std::int64_t{-42}) == "-42");
  CHECK(my.literal(0.25) == "0.25");
  CHECK(my.literal(std::numeric_limits<double>::infinity()) == "NULL");
  CHECK(my.literal(std::numeric_limits<double>::quiet_NaN()) == "NULL");
}

TEST_CASE("MySQL createTable maps every field type and keeps utf8mb4 InnoDB") {
  const Model types = defineModel("types", {
      {"id", t.number().primary()},
      {"n", t.number()},
      {"bi", t.bigint()},
      {"r", t.real()},
      {"dc", t.decimal(10, 2)},
      {"s", t.string()},
      {"s40", t.string(40)},
      {"tx", t.text()},
      {"b", t.boolean()},
      {"dt", t.date()},
      {"ts", t.timestamp()},
      {"js", t.json()},
      {"u", t.uuid()},
      {"by", t.bytes()},
  });
  CHECK(sql(b.createTable(types)) ==
        std::vector<std::string>{
            "CREATE TABLE `types` (`id` INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, `n` INTEGER NOT NULL, "
            "`bi` BIGINT NOT NULL, `r` DOUBLE NOT NULL, `dc` DECIMAL(10, 2) NOT NULL, `s` VARCHAR(255) NOT NULL, "
            "`s40` VARCHAR(40) NOT NULL, `tx` LONGTEXT NOT NULL, `b` BOOLEAN NOT NULL, `dt` DATE NOT NULL, "
            "`ts` DATETIME(6) NOT NULL, `js` JSON NOT NULL, `u` CHAR(36) NOT NULL, `by` LONGBLOB NOT NULL)" +
            std::string(kOptions)});
}

TEST_CASE("MySQL keys: a number or bigint key is AUTO_INCREMENT, a string key is not") {
  CHECK_THAT(sql(b.createTable(defineModel("bigs", {{"id", t.bigint().primary()}})))[0],
             Contains("`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY"));
  const auto tags = sql(b.createTable(defineModel("tags", {{"code", t.string(20).primary()}})))[0];
  CHECK_THAT(tags, Contains("`code` VARCHAR(20) NOT NULL PRIMARY KEY"));
  CHECK_THAT(tags, !Contains("AUTO_INCREMENT"));
}

TEST_CASE("MySQL createTable declares its indexes inside the one statement, prefixing long non-unique columns") {
  const Model posts = defineModel("posts", {
      {"id", t.number().primary()},
      {"slug", t.string().unique()},
      {"body", t.text().index()},
      {"digest", t.text().unique()},
      {"rank", t.number().index()},
  });
  const auto statements = sql(b.createTable(posts));
  REQUIRE(statements.size() == 1);
  CHECK_THAT(statements[0], Contains("UNIQUE INDEX `posts_slug_unique` (`slug`)"));
  // A whole TEXT key is refused by MySQL; its first 768 characters fit InnoDB's 3072 bytes.
  CHECK_THAT(statements[0], Contains("INDEX `posts_body_index` (`body`(768))"));
  // A unique prefix would only make the prefix unique: the column stays whole (MariaDB hashes it).
  CHECK_THAT(statements[0], Contains("UNIQUE INDEX `posts_digest_unique` (`digest`)"));
  CHECK_THAT(statements[0], Contains("INDEX `posts_rank_index` (`rank`)"));
  CHECK_THAT(statements[0], EndsWith(kOptions));
}

TEST_CASE("MySQL addColumn adds the column and its indexes in one ALTER TABLE") {
  CHECK(sql(b.addColumn("users", "email", t.string().unique())) ==
        std::vector<std::string>{"ALTER TABLE `users` ADD COLUMN `email` VARCHAR(255) NOT NULL, "
                                 "ADD UNIQUE INDEX `users_email_unique` (`email`)"});
  CHECK(sql(b.addColumn("users", "bio", t.text().optional().index())) ==
        std::vector<std::string>{"ALTER TABLE `users` ADD COLUMN `bio` LONGTEXT, ADD INDEX `users_bio_index` (`bio`(768))"});
}

TEST_CASE("MySQL drops indexes on their table and columns with IF EXISTS when asked") {
  CHECK(sql(b.dropIndex("users", "users_email_unique")) ==
        std::vector<std::string>{"DROP INDEX `users_email_unique` ON `users`"});
  CHECK(sql(b.dropColumn("users", "nick", {.ifExists = true})) ==
        std::vector<std::string>{"ALTER TABLE `users` DROP COLUMN IF EXISTS `nick`"});
  CHECK(sql(b.createIndex("users", {"name"}, {.name = "by_name", .concurrently = true})) ==
        std::vector<std::string>{"CREATE INDEX `by_name` ON `users` (`name`)"});
}

TEST_CASE("MySQL drops every table with foreign key checks off, and back on") {
  CHECK(my.dropAllTables({}).empty());
  const auto statements = my.dropAllTables({"a", "b`c"});
  REQUIRE(statements.size() == 3);
  CHECK(statements[0].sql == "SET FOREIGN_KEY_CHECKS = 0");
  CHECK(statements[1].sql == "DROP TABLE IF EXISTS `a`, `b``c`");
  CHECK(statements[2].sql == "SET FOREIGN_KEY_CHECKS = 1");
}

TEST_CASE("MySQL journals a statement in a compound block the server finishes on its own") {
  CHECK(my.serverSideBlock({"INSERT INTO `j` VALUES (1, 0)", "CREATE TABLE `t` (`id` INTEGER);  \n",
                             "UPDATE `j` SET `done` = 1"}) ==
        "BEGIN NOT ATOMIC INSERT INTO `j` VALUES (1, 0); CREATE TABLE `t` (`id` INTEGER); UPDATE `j` SET `done` = 1; END");
  // Databases with transactional DDL need no such unit.
  CHECK(postgresDialect().serverSideBlock({"CREATE TABLE t (id INTEGER)"}).empty());
}

TEST_CASE("MySQL query pieces: NULL order without NULLS LAST, an empty insert, counting changed rows") {
  CHECK(my.orderTerm("`n`", false) == "`n` IS NULL, `n` ASC");
  CHECK(my.orderTerm("`n`", true) == "`n` IS NULL DESC, `n` DESC");
  CHECK(postgresDialect().orderTerm("\"n\"", false) == "\"n\" ASC NULLS LAST");
  CHECK(my.defaultValuesClause() == " () VALUES ()");
  CHECK(my.changedRowsQuery() == "SELECT ROW_COUNT()");
  CHECK(postgresDialect().changedRowsQuery().empty());
  CHECK(my.castToText("`applied_at`") == "CAST(`applied_at` AS CHAR)");
}

TEST_CASE("the MySQL tracking table is the shared definition in backticks, on InnoDB") {
  const std::string create = my.createTrackingTable("jsorm_migrations");
  CHECK_THAT(create, Contains("CREATE TABLE IF NOT EXISTS `jsorm_migrations` ("));
  CHECK_THAT(create, Contains("`id` INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY"));
  CHECK_THAT(create, Contains("`applied_at` DATETIME(6) NOT NULL DEFAULT (CURRENT_TIMESTAMP)"));
  CHECK_THAT(create, EndsWith(kOptions));
}
