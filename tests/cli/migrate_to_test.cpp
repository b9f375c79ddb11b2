// migrate --to NAME and db:rollback --to NAME on a history of six migrations in three
// batches, on SQLite, PostgreSQL and MariaDB: a deployment pins a release and rolls back to one.
#include "cli_fixture.hpp"
#include "mysql_scratch.hpp"
#include "pg_scratch.hpp"

#include <fmt/format.h>

using namespace jsorm::cli_test;

namespace {
// manySource: create-t001 … create-t030, each creating table t001 … t030.
std::string migration(int i) { return fmt::format("create-t{:03}", i); }

std::string text(const jsorm::Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  return "?";
}

// "create-t001@1 create-t002@1 …": each applied migration with its batch, in the order applied.
std::string tracked(jsorm::Connection& db) {
  std::string out;
  for (const auto& row : db.query("SELECT name, batch FROM jsorm_migrations ORDER BY id").rows) {
    out += fmt::format("{}{}@{}", out.empty() ? "" : " ", text(row.at(0)), text(row.at(1)));
  }
  return out;
}

struct Target {
  std::string url;
  jsorm::Connection& db;
};

void pinnedReleases(const Target& target) {
  CliFixture f;
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin() + 1, {kCases, "manySource"});
    args.insert(args.end(), {"--url", target.url});
    return f.jsorm(args);
  };

  // Three releases: up to t002, t004, t006.
  for (int release = 1; release <= 3; ++release) {
    const auto r = run({"migrate", "--to", migration(2 * release)});
    INFO(describe(r));
    REQUIRE(r.exitCode == 0);
    CHECK(contains(r.out, fmt::format("Migrating up to {}", migration(2 * release))));
    CHECK(contains(r.out, fmt::format("Batch {}: applied 2 migrations", release)));
  }
  CHECK(tracked(target.db) ==
        "create-t001@1 create-t002@1 create-t003@2 create-t004@2 create-t005@3 create-t006@3");
  CHECK(target.db.hasTable("t006"));
  CHECK_FALSE(target.db.hasTable("t007"));

  // A release already in place: nothing runs; an earlier pin is not a rollback.
  const auto again = run({"migrate", "--to", migration(4)});
  INFO(describe(again));
  CHECK(again.exitCode == 0);
  CHECK(contains(again.out, "Nothing to migrate: every migration up to create-t004 is already applied."));

  // The dry run and the JSON plan of a pinned release list exactly what it would apply.
  const auto dry = run({"migrate", "--to", migration(8), "--dry-run"});
  INFO(describe(dry));
  CHECK(dry.exitCode == 0);
  CHECK(contains(dry.out, "Dry run: 2 migrations would be applied as batch 4"));
  const auto plan = run({"migrate", "--to", migration(7), "--dry-run", "--json"});
  INFO(describe(plan));
  CHECK(plan.exitCode == 0);
  CHECK(contains(plan.out, "\"create-t007\""));
  CHECK_FALSE(contains(plan.out, "\"create-t008\""));

  // Back to t003: batch 3 whole and the newer half of batch 2, newest first.
  const auto back = run({"db:rollback", "--to", migration(3)});
  INFO(describe(back));
  REQUIRE(back.exitCode == 0);
  CHECK(contains(back.out, "Rolled back 3 migrations."));
  const auto t006 = back.out.find("rolled back create-t006");
  const auto t005 = back.out.find("rolled back create-t005");
  const auto t004 = back.out.find("rolled back create-t004");
  CHECK(t006 < t005);
  CHECK(t005 < t004);
  CHECK(t004 != std::string::npos);
  CHECK(tracked(target.db) == "create-t001@1 create-t002@1 create-t003@2");
  CHECK(target.db.hasTable("t003"));
  CHECK_FALSE(target.db.hasTable("t004"));

  // Rolling back to the newest applied one does nothing; the pin then moves forward again.
  const auto same = run({"db:rollback", "--to", migration(3)});
  INFO(describe(same));
  CHECK(same.exitCode == 0);
  CHECK(contains(same.out, "Nothing to roll back: create-t003 is the newest applied migration."));
  REQUIRE_OK(run({"migrate", "--to", migration(5)}));
  CHECK(tracked(target.db) == "create-t001@1 create-t002@1 create-t003@2 create-t004@3 create-t005@3");

  // Refusals, each before anything runs.
  const std::string before = tracked(target.db);
  const auto pending = run({"db:rollback", "--to", migration(9)});
  CHECK_ONE_ERROR_LINE(pending, 7);
  CHECK(contains(pending.err, "cannot roll back to 'create-t009': it is not applied"));
  const auto typo = run({"migrate", "--to", "create-t0O5"});
  CHECK_ONE_ERROR_LINE(typo, 2);
  CHECK(contains(typo.err, "--to 'create-t0O5': source manySource has no migration of that name; did you mean "
                           "'create-t005'"));
  const auto nothingNear = run({"db:rollback", "--to", "release-2024"});
  CHECK_ONE_ERROR_LINE(nothingNear, 2);
  CHECK(contains(nothingNear.err, "no migration of that name; migrate:status lists them"));
  CHECK_ONE_ERROR_LINE(run({"db:rollback", "--to", migration(2), "--steps", "1"}), 2);
  CHECK_ONE_ERROR_LINE(run({"migrate", "--to", ""}), 2);
  CHECK_ONE_ERROR_LINE(run({"migrate:up", "--to", migration(6)}), 2);
  const auto guarded = run({"db:rollback", "--to", migration(1), "--env", "production"});
  CHECK_ONE_ERROR_LINE(guarded, 8);
  CHECK(tracked(target.db) == before);

  // To the first one, in production with --force.
  const auto forced = run({"db:rollback", "--to", migration(1), "--env", "production", "--force"});
  INFO(describe(forced));
  CHECK(forced.exitCode == 0);
  CHECK(tracked(target.db) == "create-t001@1");
}
}  // namespace

TEST_CASE("migrate --to and db:rollback --to pin releases on SQLite") {
  jsorm::test::TempDir dir;
  const std::string url = "sqlite:" + dir.file("pinned.db");
  {
    // Created first so the test holds a connection to the file jsorm changes.
    auto created = jsorm::connect(url);
  }
  auto db = jsorm::connect(url);
  pinnedReleases({url, *db});
}

TEST_CASE("migrate --to and db:rollback --to pin releases on PostgreSQL", "[pg]") {
  ScratchDatabase pg;
  pinnedReleases({pg.url(), pg.db()});
}

TEST_CASE("migrate --to and db:rollback --to pin releases on MariaDB", "[mysql]") {
  MysqlScratchDatabase my;
  pinnedReleases({my.url(), my.db()});
}
