// Identifiers with quotes, semicolons and non-ASCII characters are stored as written.

#include "cli_fixture.hpp"

using namespace jsorm::cli_test;

TEST_CASE("identifiers with quotes, semicolons and Unicode are quoted, never injected", "[bad-input]") {
  CliFixture f;
  const auto r = f.cases("migrate", "awkwardNamesSource");
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.empty());

  const std::string odd = "odd\"table; DROP TABLE victims; --";
  auto db = openDb(f.db);
  CHECK(db->hasTable(odd));
  CHECK(db->hasColumn(odd, "id"));
  CHECK(db->hasColumn(odd, "naïve \"column\""));
  CHECK(db->hasColumn(odd, "prix€"));
  CHECK(db->hasTable("victims"));
  CHECK(trackedNames(f.db) == std::vector<std::string>{"create-victims", "create-odd"});

  // The default is stored as the value written, and the table accepts rows.
  db->execute("INSERT INTO \"odd\"\"table; DROP TABLE victims; --\" (\"naïve \"\"column\"\"\") VALUES ('x')");
  const auto rows = db->query("SELECT \"prix€\" FROM \"odd\"\"table; DROP TABLE victims; --\"");
  REQUIRE(rows.rows.size() == 1);
  const auto& price = rows.rows[0][0];
  if (const auto* d = std::get_if<double>(&price)) CHECK(*d == Approx(1.5));
  else if (const auto* s = std::get_if<std::string>(&price)) CHECK(*s == "1.50");
  else FAIL("prix€ has an unexpected type");

  // And the whole thing rolls back cleanly.
  const auto down = f.cases("migrate:down", "awkwardNamesSource");
  INFO(describe(down));
  REQUIRE(down.exitCode == 0);
  auto after = openDb(f.db);
  CHECK_FALSE(after->hasTable(odd));
  CHECK_FALSE(after->hasTable("victims"));
  CHECK(after->tables() == std::vector<std::string>{"jsorm_migrations"});
}

TEST_CASE("awkward identifiers appear quoted in --dry-run output") {
  CliFixture f;
  const auto r = f.cases("migrate", "awkwardNamesSource", {"--dry-run"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "CREATE TABLE \"odd\"\"table; DROP TABLE victims; --\""));
  CHECK(contains(r.out, "\"naïve \"\"column\"\"\""));
  CHECK(contains(r.out, "\"prix€\""));
  CHECK(openDb(f.db)->tables().empty());
}
