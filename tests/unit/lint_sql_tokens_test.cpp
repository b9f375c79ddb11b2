// The rawSql tokenizer migrate:lint reads statements with: quotes, quoted identifiers,
// dollar quotes and comments hide `;` and keywords; statements split only at real `;`.
#include "../../core/src/sql_tokens.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace jsorm::detail;

namespace {
std::vector<std::string> words(const SqlStatement& s) {
  std::vector<std::string> out;
  for (const auto& t : s.tokens) {
    if (t.kind == SqlTokenKind::Word) out.push_back(t.upper);
  }
  return out;
}
}  // namespace

TEST_CASE("a `;` inside a string, a quoted identifier, a comment or a dollar quote does not split", "[lint]") {
  const auto statements = splitSqlStatements(
      "INSERT INTO t VALUES ('a;b', 'it''s; fine'); -- trailing; comment\n"
      "CREATE TABLE \"odd;name\" (x int); /* block; /* nested; */ still; */ "
      "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $$ not the end $$; $body$ LANGUAGE sql;"
      "SELECT $$;$$");
  REQUIRE(statements.size() == 4);
  CHECK(statements[0].text == "INSERT INTO t VALUES ('a;b', 'it''s; fine')");
  CHECK(statements[1].tokens[2].kind == SqlTokenKind::Identifier);
  CHECK(statements[1].tokens[2].text == "odd;name");
  CHECK(statements[2].tokens[8].kind == SqlTokenKind::String);
  CHECK(statements[2].tokens[8].text == " SELECT 1; $$ not the end $$; ");
  CHECK(words(statements[3]) == std::vector<std::string>{"SELECT"});
}

TEST_CASE("keywords inside strings and comments are not words", "[lint]") {
  const auto statements = splitSqlStatements("select 'DROP TABLE users' -- DROP TABLE users\n /* CREATE INDEX */ ");
  REQUIRE(statements.size() == 1);
  CHECK(words(statements[0]) == std::vector<std::string>{"SELECT"});
}

TEST_CASE("only comments or whitespace between `;` make no statement", "[lint]") {
  CHECK(splitSqlStatements(" ; -- nothing\n ;/* */;").empty());
  CHECK(splitSqlStatements("").empty());
}

TEST_CASE("words are upper-cased for matching and keep their spelling", "[lint]") {
  const auto s = splitSqlStatements("cReAtE Index CONCURRENTLY").at(0);
  CHECK(words(s) == std::vector<std::string>{"CREATE", "INDEX", "CONCURRENTLY"});
  CHECK(s.tokens[0].text == "cReAtE");
}

TEST_CASE("a backslash escapes a quote only where the database says so", "[lint]") {
  // PostgreSQL: 'a\' is a complete string, then `; DROP` is a second statement.
  CHECK(splitSqlStatements("SELECT 'a\\'; DROP TABLE x").size() == 2);
  // MySQL: \' is a quote inside the string, so the `;` is inside it too.
  const auto mysql = splitSqlStatements("SELECT 'a\\'; DROP TABLE x'", BackslashInStrings::Escape);
  REQUIRE(mysql.size() == 1);
  CHECK(mysql[0].tokens[1].text == "a'; DROP TABLE x");
  // PostgreSQL's E'' string escapes with a backslash too.
  CHECK(splitSqlStatements("SELECT E'a\\'; b'").size() == 1);
}

TEST_CASE("`$1` is a parameter, not a dollar quote, and doubled quotes stand for themselves", "[lint]") {
  const auto s = splitSqlStatements("SELECT $1; SELECT \"a\"\"b\"");
  REQUIRE(s.size() == 2);
  CHECK(s[1].tokens[1].text == "a\"b");
  const auto backquoted = splitSqlStatements("ALTER TABLE `my;table` ADD x int");
  REQUIRE(backquoted.size() == 1);
  CHECK(backquoted[0].tokens[2].text == "my;table");
}

TEST_CASE("an unclosed quote, comment or dollar quote marks the statement unterminated", "[lint]") {
  CHECK(splitSqlStatements("SELECT 'open").at(0).unterminated);
  CHECK(splitSqlStatements("SELECT 1 /* open").at(0).unterminated);
  CHECK(splitSqlStatements("SELECT $x$ open").at(0).unterminated);
  CHECK(splitSqlStatements("CREATE TABLE \"open (x int)").at(0).unterminated);
  CHECK_FALSE(splitSqlStatements("SELECT 'closed'").at(0).unterminated);
}
