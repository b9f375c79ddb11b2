#include <jsorm/redaction.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace jsorm;

namespace {
bool hasSecret(const std::vector<std::string>& secrets, const std::string& secret) {
  return std::find(secrets.begin(), secrets.end(), secret) != secrets.end();
}
}  // namespace

TEST_CASE("redaction removes the password of a well-formed URL of any scheme") {
  CHECK(redactConnection("postgres://app:pw-1@db:5432/x") == "postgres://app@db:5432/x");
  CHECK(redactConnection("mysql://root:pw%40x@db/app") == "mysql://root@db/app");
  CHECK(hasSecret(secretsIn("mysql://root:pw%40x@db/app"), "pw@x"));
  CHECK(redactConnection("postgres://app@db/x?sslmode=require&password=pw-2") == "postgres://app@db/x?sslmode=require");
  CHECK(hasSecret(secretsIn("postgres://db/x?password=pw-2"), "pw-2"));
}

TEST_CASE("a URL password with an unencoded '@' or '/' is hidden whole, under both readings") {
  for (const std::string url : {"postgres://app:ab@cd@db/x", "postgres://app:ab/cd@db/x", "postgres://app:a@b/c@db/x"}) {
    INFO(url);
    const std::string redacted = redactConnection(url);
    CHECK(redacted.find("ab") == std::string::npos);
    CHECK(redacted.find("cd") == std::string::npos);
    CHECK(redacted.rfind("postgres://***@db/x", 0) == 0);
    CHECK_FALSE(ambiguousUserInfo(url).empty());
    const std::string scrubbed = scrubSecrets("libpq said: " + url, secretsIn(url));
    CHECK(scrubbed.find(url.substr(15, 4)) == std::string::npos);
  }
  CHECK(hasSecret(secretsIn("postgres://app:ab@cd@db/x"), "ab@cd"));
  CHECK(hasSecret(secretsIn("postgres://app:ab@cd@db/x"), "ab"));  // libpq's reading
  CHECK(ambiguousUserInfo("postgres://app:p%40ss@db/x").empty());
  CHECK(ambiguousUserInfo("postgres://app:pa:ss@db/x").empty());
  CHECK(ambiguousUserInfo("sqlite:app.db").empty());
}

TEST_CASE("key=value settings: passwords are secrets, and text that does not parse is hidden") {
  CHECK(redactConnection("host=db password='a b' dbname=x") == "host=db dbname=x");
  CHECK(hasSecret(secretsIn("host=db sslpassword=k-9"), "k-9"));
  CHECK(redactConnection("host=db password:pw-3") == "host=db ...");
  CHECK(conninfoProblem("host=db dbname=x").empty());
  CHECK(conninfoProblem("host=db password='x y'").empty());
  CHECK(conninfoProblem("host=db password:pw-3") == "setting 2 is not of the form name=value");
  CHECK(conninfoProblem("host=db password='pw-3") == "the value of setting 2 has no closing quote");
  CHECK(conninfoProblem("=pw-3") == "setting 1 has no name before its '='");
}

TEST_CASE("scrubbing replaces the longest secret first") {
  CHECK(scrubSecrets("x abcd y ab z", {"ab", "abcd"}) == "x *** y *** z");
  CHECK(scrubSecrets("nothing here", {""}) == "nothing here");
}
