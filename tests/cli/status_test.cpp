// migrate:status: states, --json, and the exit code deployments gate on.

#include "cli_fixture.hpp"

#include <nlohmann/json.hpp>

#include <set>

using namespace jsorm::cli_test;

TEST_CASE("migrate:status --json gives every migration's name, state, batch, time and checksum") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate:up", "goodSource"));
  const auto r = f.cases("migrate:status", "goodSource", {"--json"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 10);
  CHECK(r.err.empty());
  nlohmann::json doc;
  REQUIRE_NOTHROW(doc = nlohmann::json::parse(r.out));
  CHECK(doc.at("upToDate") == false);
  CHECK(doc.at("migrationTable") == "jsorm_migrations");
  CHECK(contains(doc.at("database").get<std::string>(), "x.db"));
  const auto& migrations = doc.at("migrations");
  REQUIRE(migrations.size() == 3);
  for (const auto& m : migrations) {
    for (const char* key : {"name", "state", "batch", "appliedAt", "checksum"}) {
      INFO(key << " in " << m.dump());
      CHECK(m.contains(key));
    }
  }
  CHECK(migrations[0].at("name") == "create-accounts");
  CHECK(migrations[0].at("state") == "applied");
  CHECK(migrations[0].at("batch") == 1);
  CHECK(matches(migrations[0].at("appliedAt").get<std::string>(), R"(^\d{4}-\d\d-\d\d)"));
  CHECK(migrations[0].at("checksum").is_string());
  CHECK_FALSE(migrations[0].at("checksum").get<std::string>().empty());
  CHECK(migrations[1].at("name") == "add-nickname");
  CHECK(migrations[1].at("state") == "pending");
  CHECK(migrations[1].at("batch").is_null());
  CHECK(migrations[1].at("appliedAt").is_null());
  CHECK(migrations[2].at("name") == "seed-account");
  CHECK(migrations[2].at("state") == "pending");
}

TEST_CASE("migrate:status --json says upToDate and exits 0 when everything is applied") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  const auto r = f.cases("migrate:status", "goodSource", {"--json"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc.at("upToDate") == true);
  for (const auto& m : doc.at("migrations")) {
    CHECK(m.at("state") == "applied");
    CHECK(m.at("batch") == 1);
  }
}

TEST_CASE("migrate:status on a database never migrated lists all pending, exits 10 and creates no table") {
  CliFixture f;
  const auto r = f.cases("migrate:status", "goodSource");
  INFO(describe(r));
  CHECK(r.exitCode == 10);
  CHECK(contains(r.out, "0 applied, 3 pending, 0 changed, 0 missing"));
  CHECK(openDb(f.db)->tables().empty());
}

TEST_CASE("migrate:status reports migrations the source no longer defines as missing") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  const auto before = f.dbBytes();

  const auto r = f.cases("migrate:status", "manySource", {"--json"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 10);
  const auto doc = nlohmann::json::parse(r.out);
  CHECK(doc.at("upToDate") == false);
  std::set<std::string> missing, pending;
  for (const auto& m : doc.at("migrations")) {
    if (m.at("state") == "missing") {
      missing.insert(m.at("name").get<std::string>());
      CHECK(m.at("batch") == 1);
    } else if (m.at("state") == "pending") {
      pending.insert(m.at("name").get<std::string>());
    } else {
      FAIL("unexpected state in " << m.dump());
    }
  }
  CHECK(missing == std::set<std::string>{"create-accounts", "add-nickname", "seed-account"});
  CHECK(pending.size() == 30);
  CHECK(pending.count("create-t001") == 1);
  CHECK(pending.count("create-t030") == 1);

  const auto text = f.cases("migrate:status", "manySource");
  INFO(describe(text));
  CHECK(text.exitCode == 10);
  CHECK(matches(text.out, R"(create-accounts +missing +1)"));
  CHECK(contains(text.out, "0 applied, 30 pending, 0 changed, 3 missing"));
  CHECK(f.dbBytes() == before);
}

TEST_CASE("migrate:status --quiet still prints the status table") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  const auto r = f.cases("migrate:status", "goodSource", {"--quiet"});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(matches(r.out, R"(seed-account +applied +1)"));
}
