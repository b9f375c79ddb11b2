// Applied history that no longer matches the source (evolvingSource, steered by
// FIXTURE_VARIANT): migrate:status reports it, migrate refuses, migrate:repair accepts it.

#include "config_fixture.hpp"

using namespace jsorm::cli_test;

namespace {
using Names = std::vector<std::string>;
const Names kAll{"create-notes", "add-note-title", "create-tags"};
const Env kEdited{{"FIXTURE_VARIANT", "2"}};
const Env kGone{{"FIXTURE_VARIANT", "gone"}};

std::string checksumOf(const std::string& db, const std::string& name) {
  return queryText(db, "SELECT checksum FROM jsorm_migrations WHERE name = '" + name + "'");
}

// evolvingSource migrated in its original form (variant 1), one batch of three.
struct Migrated : ConfigFixture {
  std::string before;
  Migrated() {
    REQUIRE_OK(legacy("migrate", "evolvingSource"));
    REQUIRE(trackedNames(db) == kAll);
    before = dbBytes();
  }
  ProcessResult evolving(const std::string& command, const Env& env, std::vector<std::string> extra = {}) const {
    return legacy(command, "evolvingSource", std::move(extra), env);
  }
  bool unchanged() const { return dbBytes() == before; }
};
}  // namespace

// ---- status ---------------------------------------------------------------------------------

TEST_CASE("migrate:status exits 0 and says upToDate when every migration is applied and unchanged") {
  Migrated f;
  const auto text = f.evolving("migrate:status", {});
  INFO(describe(text));
  CHECK(text.exitCode == 0);
  CHECK(contains(text.out, "3 applied, 0 pending, 0 changed, 0 missing"));
  auto status = parseStatus(f.evolving("migrate:status", {}, {"--json"}), 0);
  CHECK(status.at("upToDate") == true);
  for (const auto& name : kAll) CHECK(statusEntry(status, name).at("state") == "applied");
}

TEST_CASE("migrate:status with only a pending migration exits 10 and says pending") {
  ConfigFixture f;
  REQUIRE_OK(f.legacy("migrate:up", "evolvingSource"));
  const auto text = f.legacy("migrate:status", "evolvingSource");
  INFO(describe(text));
  CHECK(text.exitCode == 10);
  CHECK(matches(text.out, R"(add-note-title +pending)"));
  auto status = parseStatus(f.legacy("migrate:status", "evolvingSource", {"--json"}), 10);
  CHECK(status.at("upToDate") == false);
  CHECK(statusEntry(status, "create-notes").at("state") == "applied");
  CHECK(statusEntry(status, "add-note-title").at("state") == "pending");
  CHECK(statusEntry(status, "create-tags").at("state") == "pending");
}

TEST_CASE("migrate:status reports an applied migration edited since as changed and exits 10") {
  Migrated f;
  const auto text = f.evolving("migrate:status", kEdited);
  INFO(describe(text));
  CHECK(text.exitCode == 10);
  CHECK(matches(text.out, R"(add-note-title +changed +1)"));
  CHECK(matches(text.out, R"(create-notes +applied)"));
  CHECK(contains(text.out, "2 applied, 0 pending, 1 changed, 0 missing"));

  auto status = parseStatus(f.evolving("migrate:status", kEdited, {"--json"}), 10);
  CHECK(status.at("upToDate") == false);
  CHECK(statusEntry(status, "add-note-title").at("state") == "changed");
  CHECK(statusEntry(status, "add-note-title").at("batch") == 1);
  CHECK(statusEntry(status, "create-notes").at("state") == "applied");
  CHECK(statusEntry(status, "create-tags").at("state") == "applied");
  CHECK(f.unchanged());
}

TEST_CASE("migrate:status reports an applied migration removed from the source as missing and exits 10") {
  Migrated f;
  const auto text = f.evolving("migrate:status", kGone);
  INFO(describe(text));
  CHECK(text.exitCode == 10);
  CHECK(matches(text.out, R"(add-note-title +missing)"));
  CHECK(contains(text.out, "2 applied, 0 pending, 0 changed, 1 missing"));
  auto status = parseStatus(f.evolving("migrate:status", kGone, {"--json"}), 10);
  CHECK(status.at("upToDate") == false);
  CHECK(statusEntry(status, "add-note-title").at("state") == "missing");
}

// ---- migrate refuses -------------------------------------------------------------------------

TEST_CASE("migrate refuses a changed history with exit 7, naming the migration and migrate:repair", "[bad-input]") {
  Migrated f;
  const std::string command = GENERATE("migrate", "migrate:up");
  INFO(command);
  const auto r = f.evolving(command, kEdited);
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "'add-note-title'"));
  CHECK(contains(r.err, "migrate:repair"));
  CHECK(f.unchanged());
}

TEST_CASE("migrate refuses a history with a missing migration with exit 7, naming it and migrate:repair", "[bad-input]") {
  Migrated f;
  const auto r = f.evolving("migrate", kGone);
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "'add-note-title'"));
  CHECK(contains(r.err, "migrate:repair"));
  CHECK(f.unchanged());
}

TEST_CASE("migrate refuses a changed history even when new migrations are pending", "[bad-input]") {
  ConfigFixture f;
  REQUIRE_OK(f.legacy("migrate:up", "evolvingSource"));
  REQUIRE_OK(f.legacy("migrate:up", "evolvingSource"));  // create-notes, add-note-title
  const auto before = f.dbBytes();
  const auto r = f.legacy("migrate", "evolvingSource", {}, kEdited);
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(f.dbBytes() == before);
  CHECK_FALSE(openDb(f.db)->hasTable("tags"));
}

// ---- migrate:repair --------------------------------------------------------------------------

TEST_CASE("migrate:repair re-records the checksum of a changed migration, then status and migrate are clean") {
  Migrated f;
  const auto oldTitle = checksumOf(f.db, "add-note-title");
  const auto oldNotes = checksumOf(f.db, "create-notes");
  REQUIRE_FALSE(oldTitle.empty());

  const auto r = f.evolving("migrate:repair", kEdited);
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "add-note-title"));
  CHECK_FALSE(contains(r.out, "create-notes"));
  CHECK(contains(r.out, "Repaired 1 migration"));

  CHECK(checksumOf(f.db, "add-note-title") != oldTitle);
  CHECK(checksumOf(f.db, "create-notes") == oldNotes);
  CHECK(trackedNames(f.db) == kAll);

  CHECK(f.evolving("migrate:status", kEdited).exitCode == 0);
  auto status = parseStatus(f.evolving("migrate:status", kEdited, {"--json"}), 0);
  CHECK(status.at("upToDate") == true);
  CHECK(statusEntry(status, "add-note-title").at("checksum") == checksumOf(f.db, "add-note-title"));

  const auto migrate = f.evolving("migrate", kEdited);
  INFO(describe(migrate));
  CHECK(migrate.exitCode == 0);
  CHECK(contains(migrate.out, "Nothing to migrate"));
  // The original form now counts as the changed one.
  CHECK(f.evolving("migrate:status", {}).exitCode == 10);
}

TEST_CASE("migrate:repair forgets a migration the source no longer defines") {
  Migrated f;
  const auto r = f.evolving("migrate:repair", kGone);
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "add-note-title"));
  CHECK(trackedNames(f.db) == (Names{"create-notes", "create-tags"}));
  CHECK(countRows(f.db, "SELECT count(*) FROM jsorm_migrations WHERE name = 'add-note-title'") == 0);

  const auto migrate = f.evolving("migrate", kGone);
  INFO(describe(migrate));
  CHECK(migrate.exitCode == 0);
  CHECK(contains(migrate.out, "Nothing to migrate"));
  CHECK(trackedNames(f.db) == (Names{"create-notes", "create-tags"}));

  auto status = parseStatus(f.evolving("migrate:status", kGone, {"--json"}), 0);
  CHECK(status.at("upToDate") == true);
  CHECK(status.at("migrations").size() == 2);
}

TEST_CASE("migrate:repair with nothing to repair says so and exits 0") {
  Migrated f;
  const auto r = f.evolving("migrate:repair", {});
  INFO(describe(r));
  CHECK(r.exitCode == 0);
  CHECK(contains(r.out, "Nothing to repair"));
  CHECK(trackedNames(f.db) == kAll);
}

TEST_CASE("migrate:repair --dry-run changes nothing") {
  Migrated f;
  const Env env = GENERATE(kEdited, kGone);
  INFO("FIXTURE_VARIANT=" << env.at("FIXTURE_VARIANT"));
  const auto r = f.evolving("migrate:repair", env, {"--dry-run"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "add-note-title"));
  CHECK(contains(r.out, "nothing was changed"));
  CHECK(f.unchanged());
  CHECK(trackedNames(f.db) == kAll);
  CHECK(f.evolving("migrate:status", env).exitCode == 10);
  CHECK(f.evolving("migrate", env).exitCode == 7);
}
