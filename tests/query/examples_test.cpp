// The query examples run as programs against each database: the roles-and-users database
// as `jsorm migrate` leaves it, and a database made by plain SQL. docs/models.md quotes
// the first example; a test keeps the two identical.
#include "../integration/test_database.hpp"
#include "process.hpp"

#include <jsorm/database.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <sstream>

using jsorm::test::readFile;
using jsorm::test::runProcess;
using jsorm::test::TestDatabase;

namespace {
std::string lines(std::initializer_list<const char*> text) {
  std::string out;
  for (const char* line : text) out += std::string(line) + "\n";
  return out;
}

void migrateExample(const TestDatabase& db) {
  const auto migrated = runProcess(JSORM_BIN, {"migrate", JSORM_EXAMPLE_MODULE, "ormSource", "--url", db.url()});
  INFO(migrated.err);
  REQUIRE(migrated.exitCode == 0);
}

void createExistingTables(const TestDatabase& db) {
  std::istringstream sql(readFile(JSORM_EXISTING_SQL));
  std::string statement;
  while (std::getline(sql, statement, ';')) {
    if (statement.find_first_not_of(" \n") != std::string::npos) db.db().execute(statement);
  }
}

// What `runs` prints on a fresh SQLite database set up by `setup`: the reference every
// other database's output must equal byte for byte.
template <class Setup, class Runs>
std::string outputOnSqlite(Setup&& setup, Runs&& runs) {
  const std::string kind = jsorm::test::databaseKind();
  jsorm::test::setDatabaseKind("sqlite");
  std::unique_ptr<TestDatabase> reference;
  try {
    reference = std::make_unique<TestDatabase>();
  } catch (...) {
    jsorm::test::setDatabaseKind(kind);
    throw;
  }
  jsorm::test::setDatabaseKind(kind);
  setup(*reference);
  return runs(*reference);
}
}  // namespace

TEST_CASE("the roles-and-users app reads and writes the database jsorm migrate made") {
  TestDatabase db;
  migrateExample(db);

  const auto first = runProcess(JSORM_QUERY_APP, {db.url()});
  INFO(first.err);
  REQUIRE(first.exitCode == 0);
  CHECK(first.out == lines({"Ada <ada@example.org> admin", "Linus <no email> admin", "1 user(s) without an email"}));
  CHECK(db.count("SELECT COUNT(*) FROM roles") == 1);
  CHECK(db.count("SELECT COUNT(*) FROM users WHERE active") == 2);

  // The second run finds the role instead of inserting it again.
  const auto second = runProcess(JSORM_QUERY_APP, {db.url()});
  REQUIRE(second.exitCode == 0);
  CHECK(second.out == lines({"Ada <ada@example.org> admin", "Ada <ada@example.org> admin", "Linus <no email> admin",
                             "Linus <no email> admin", "2 user(s) without an email"}));
  CHECK(db.count("SELECT COUNT(*) FROM roles") == 1);

  // Byte for byte what the same two runs print on SQLite.
  const std::string onSqlite = outputOnSqlite(migrateExample, [](const TestDatabase& reference) {
    std::string out = runProcess(JSORM_QUERY_APP, {reference.url()}).out;
    return out + runProcess(JSORM_QUERY_APP, {reference.url()}).out;
  });
  CHECK(first.out + second.out == onSqlite);
}

TEST_CASE("the roles-and-users app reports a database that was never migrated as one error line") {
  TestDatabase db;
  const auto r = runProcess(JSORM_QUERY_APP, {db.url()});
  CHECK(r.exitCode == 1);
  CHECK(r.err.rfind("roles_users_app: ", 0) == 0);
  CHECK(r.err.find("roles") != std::string::npos);
}

TEST_CASE("the existing-database example works on tables made by plain SQL, without a tracking table") {
  TestDatabase db;
  createExistingTables(db);
  const auto r = runProcess(JSORM_EXISTING_APP, {db.url()});
  INFO(r.err);
  REQUIRE(r.exitCode == 0);
  CHECK(r.out ==
        lines({"tracking table: none", "inserted HB-3", "tagged KB-1: 1 new link(s)", "1 product(s) discontinued",
               "KB-1 Keyboard 49.9 x12", "HB-3 USB hub 24 x5", "1 removed, 2 left",
               R"({"added_at":"2024-03-03T08:00:00.000000","category":{"id":1,"name":"Peripherals"},)"
               R"("discontinued":false,"price":"24.00","sku":"HB-3","stock":5,)"
               R"("tags":[{"id":1,"label":"usb"},{"id":2,"label":"wired"}],"title":"USB hub"})",
               R"({"added_at":"2024-03-01T09:30:00.000000","category":{"id":1,"name":"Peripherals"},)"
               R"("discontinued":false,"price":"49.90","sku":"KB-1","stock":12,)"
               R"("tags":[{"id":2,"label":"wired"}],"title":"Keyboard"})",
               "HB-3 tags synced: 1 change(s); wired: 1 product(s)"}));
  CHECK_FALSE(db.hasTable("jsorm_migrations"));
  CHECK(r.out == outputOnSqlite(createExistingTables, [](const TestDatabase& reference) {
          return runProcess(JSORM_EXISTING_APP, {reference.url()}).out;
        }));
}

namespace {
// The lines between the markers, with the block's common indentation removed.
std::string exampleRegion(const std::string& source) {
  const auto begin = source.find("// README:begin\n");
  const auto end = source.find("    // README:end");
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  std::istringstream in(source.substr(begin + 16, end - begin - 16));
  std::string line;
  std::string out;
  while (std::getline(in, line)) out += (line.rfind("    ", 0) == 0 ? line.substr(4) : line) + "\n";
  return out;
}

std::string readmeSnippet(const std::string& readme) {
  const auto section = readme.find("## Use models without migrations");
  REQUIRE(section != std::string::npos);
  const auto open = readme.find("```cpp\n", section);
  REQUIRE(open != std::string::npos);
  const auto close = readme.find("```\n", open + 7);
  return readme.substr(open + 7, close - open - 7);
}
}  // namespace

TEST_CASE("docs/models.md's query snippet is the tested example, line for line", "[sqlite]") {
  const std::string snippet = readmeSnippet(readFile(JSORM_README));
  const std::string example = exampleRegion(readFile(JSORM_QUERY_APP_SOURCE));
  CHECK(snippet == example);
}
