// Authoring (docs/writing-migrations.md): data steps on every database, the error for a
// migration whose live model changed, migrate:freeze, migrate:make, and migrate:generate's
// base replayed from a migration source's history.
#include "cli_fixture.hpp"
#include "config_fixture.hpp"
#include "mysql_scratch.hpp"
#include "pg_scratch.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using namespace jsorm::cli_test;

namespace {
const std::string kAuthoringV1 = kFixtureDir + "/libfixture_authoring_v1.so";
const std::string kAuthoringV2 = kFixtureDir + "/libfixture_authoring_v2.so";

std::vector<std::string> with(std::vector<std::string> args, const std::string& url) {
  if (!url.empty()) args.insert(args.end(), {"--url", url});
  return args;
}

std::int64_t count(jsorm::Connection& db, const std::string& sql) {
  return std::get<std::int64_t>(db.query(sql).rows.at(0).at(0));
}

// create-notes + seed-notes (a data step with a down) + mark-first-done (one without).
void dataStepsRoundTrip(const std::string& url, jsorm::Connection& db) {
  CliFixture f;
  REQUIRE_OK(f.jsorm(with({"migrate", kAuthoringV1, "dataSource", "--to", "seed-notes"}, url)));
  CHECK(count(db, "SELECT COUNT(*) FROM notes") == 2);
  // The batch rolls back: seed-notes' down removes its rows, then the table goes.
  REQUIRE_OK(f.jsorm(with({"migrate:down", kAuthoringV1, "dataSource"}, url)));
  CHECK_FALSE(db.hasTable("notes"));

  REQUIRE_OK(f.jsorm(with({"migrate", kAuthoringV1, "dataSource"}, url)));
  CHECK(count(db, "SELECT COUNT(*) FROM notes WHERE title = 'first' AND done = TRUE") == 1);
  CHECK(count(db, "SELECT COUNT(*) FROM notes WHERE done = FALSE") == 1);
  // A batch holding a data step without a down cannot be rolled back; nothing runs.
  const auto refused = f.jsorm(with({"migrate:down", kAuthoringV1, "dataSource"}, url));
  CHECK_ONE_ERROR_LINE(refused, 7);
  CHECK(contains(refused.err, "step 1 of 1, data(\"mark the first note done\"), is not reversible"));
  CHECK(count(db, "SELECT COUNT(*) FROM notes") == 2);
}

// failing-data adds a column, then its data step inserts a row and throws.
void failingDataStep(const std::string& url, jsorm::Connection& db, bool transactionalDdl) {
  CliFixture f;
  const auto r = f.jsorm(with({"migrate", kAuthoringV1, "failingDataSource"}, url));
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "migration 'failing-data' failed at step 2 of 2 (data(\"insert then fail\")): the backfill "
                        "found a row it cannot convert"));
  // The data step's own row is gone either way; the column only where DDL is transactional.
  CHECK(count(db, "SELECT COUNT(*) FROM notes") == 2);
  CHECK(db.hasColumn("notes", "extra") == !transactionalDdl);
  if (!transactionalDdl) {
    CHECK(contains(r.err, "the migration is partial (1 of 2 steps ran and are journaled)"));
    // migrate:down undoes the journaled step: the column goes, the rows stay.
    REQUIRE_OK(f.jsorm(with({"migrate:down", kAuthoringV1, "failingDataSource"}, url)));
    CHECK_FALSE(db.hasColumn("notes", "extra"));
    CHECK(count(db, "SELECT COUNT(*) FROM notes") == 2);
  }
}
// outside-transaction (.transaction = false) adds a column, then its data step inserts two
// rows (one in a nested transaction) and throws: the step's own transaction takes its rows
// back, the column stays, and the migration is not recorded.
void dataStepOutsideTransaction(const std::string& url, jsorm::Connection& db) {
  CliFixture f;
  const auto r = f.jsorm(with({"migrate", kAuthoringV1, "outsideSource"}, url));
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "failed at step 2 of 2 (data(\"insert twice then fail\")): stopped on purpose"));
  CHECK(count(db, "SELECT COUNT(*) FROM notes") == 2);
  CHECK(db.hasColumn("notes", "flag"));
  CHECK(count(db, "SELECT COUNT(*) FROM jsorm_migrations WHERE name = 'outside-transaction'") == 0);
}
}  // namespace

TEST_CASE("a data step in a migration outside a transaction runs in a transaction of its own") {
  CliFixture f;
  auto db = openDb(f.db);
  dataStepOutsideTransaction("sqlite:" + f.db, *db);
}

TEST_CASE("a data step in a migration outside a transaction, on PostgreSQL", "[pg]") {
  ScratchDatabase scratch;
  dataStepOutsideTransaction(scratch.url(), scratch.db());
}

TEST_CASE("a data step changes rows in its migration's transaction, and only one with a down rolls back") {
  CliFixture f;
  auto db = openDb(f.db);
  dataStepsRoundTrip("sqlite:" + f.db, *db);
}

TEST_CASE("a data step that throws rolls its migration back with the step named") {
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate", kAuthoringV1, "dataSource"}));
  auto db = openDb(f.db);
  failingDataStep("sqlite:" + f.db, *db, true);
  CHECK(trackedNames(f.db) == std::vector<std::string>{"create-notes", "seed-notes", "mark-first-done"});
}

TEST_CASE("migrate --dry-run lists a data step it would run, in text and in the JSON plan") {
  CliFixture f;
  const auto text = f.jsorm({"migrate", kAuthoringV1, "dataSource", "--dry-run"});
  REQUIRE_OK(text);
  CHECK(contains(text.out, "-- data step: seed two notes (C++ code, run in this migration's transaction)"));
  const auto json = f.jsorm({"migrate", kAuthoringV1, "dataSource", "--dry-run", "--json"});
  REQUIRE_OK(json);
  const auto plan = nlohmann::json::parse(json.out);
  const auto& step = plan.at("migrations").at(1).at("steps").at(0);
  CHECK(step.at("description") == "data(\"seed two notes\")");
  CHECK(step.at("sql").at(0) == "-- data step: seed two notes (C++ code, run in this migration's transaction)");
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("data steps on PostgreSQL", "[pg]") {
  ScratchDatabase scratch;
  dataStepsRoundTrip(scratch.url(), scratch.db());
  failingDataStep(scratch.url(), scratch.db(), true);
}

TEST_CASE("data steps on MariaDB: each in a transaction with its journal row", "[mysql]") {
  MysqlScratchDatabase scratch;
  dataStepsRoundTrip(scratch.url(), scratch.db());
  failingDataStep(scratch.url(), scratch.db(), false);
}

TEST_CASE("migrate names the migration whose live model changed and points to migrate:freeze, not repair") {
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate", kAuthoringV1, "liveSource"}));
  const auto r = f.jsorm({"migrate", kAuthoringV2, "liveSource"});
  CHECK_ONE_ERROR_LINE(r, 7);
  CHECK(contains(r.err, "'create-posts' creates tables from the live models of tables 'posts', 'tags', which "
                        "changed since it was applied; run `jsorm migrate:freeze create-posts`"));
  CHECK(contains(r.err, "then run `jsorm migrate:generate`"));
  CHECK_FALSE(contains(r.err, "run migrate:repair after"));
}

TEST_CASE("migrate:freeze prints the migration with its tables as applied, verified by the checksum") {
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate", kAuthoringV1, "liveSource"}));
  const auto r = f.jsorm({"migrate:freeze", "create-posts", kAuthoringV2, "liveSource"});
  REQUIRE_OK(r);
  CHECK(contains(r.out, "const Migration createPosts = defineMigration({"));
  CHECK(contains(r.out, "    .name = \"create-posts\",\n"));
  CHECK(contains(r.out, "t.createTable(\"posts\", {\n"));
  CHECK(contains(r.out, "{\"title\", t.string().unique()},"));
  CHECK(contains(r.out, "{\"label\", t.string(40).index()},"));
  CHECK_FALSE(contains(r.out, "summary"));
  CHECK(contains(r.out, "// Table 'posts' as it was applied, from the database."));
  CHECK_FALSE(contains(r.out, "Table 'tags'"));
  CHECK(contains(r.out, "// Verified: its checksum is the one jsorm_migrations recorded ("));
  CHECK(contains(r.out, "t.dropTable(\"tags\"),"));
  CHECK(contains(r.err, "froze 'create-posts' (changed since it was applied: posts)"));
}

// The database's tags has tags.colour from a later migration, so tags as found does not
// reproduce the checksum (as it was before the later migrations, or the live model, does);
// posts comes from the database.
void freezeFromDatabase(const std::string& url) {
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate", kAuthoringV1, "liveSource", "--url", url}));
  const auto r = f.jsorm({"migrate:freeze", "create-posts", kAuthoringV2, "liveSource", "--url", url});
  REQUIRE_OK(r);
  CHECK(contains(r.out, "// Table 'posts' as it was applied, from the database."));
  CHECK(contains(r.out, "// Verified:"));
  CHECK(contains(r.out, "{\"title\", t.string().unique()},"));
  CHECK_FALSE(contains(r.out, "summary"));
  CHECK_FALSE(contains(r.out, "colour"));
}

TEST_CASE("migrate:freeze reads the applied tables from PostgreSQL", "[pg]") {
  ScratchDatabase scratch;
  freezeFromDatabase(scratch.url());
}

TEST_CASE("migrate:freeze reads the applied tables from MariaDB", "[mysql]") {
  MysqlScratchDatabase scratch;
  freezeFromDatabase(scratch.url());
}

TEST_CASE("migrate:freeze takes the tables from the snapshot when it holds them") {
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate", kAuthoringV1, "liveSource"}));
  // The snapshot of the v1 models, as migrate:generate leaves it.
  REQUIRE_OK(f.jsorm({"migrate:generate", kAuthoringV1, "liveModels", "--allow-dangerous"}));
  const auto r = f.jsorm({"migrate:freeze", "create-posts", kAuthoringV2, "liveSource", "liveModels"});
  REQUIRE_OK(r);
  CHECK(contains(r.out, "// Table 'posts' as it was applied, from the snapshot " + f.dir.file("schema.json") + "."));
  CHECK(contains(r.out, "// Verified:"));
}

TEST_CASE("migrate:freeze refuses unknown and unapplied migrations, and says when it cannot verify") {
  CliFixture f;
  REQUIRE_OK(f.jsorm({"migrate", kAuthoringV1, "liveSource", "--to", "create-posts"}));
  const auto unknown = f.jsorm({"migrate:freeze", "create-post", kAuthoringV2, "liveSource"});
  CHECK_ONE_ERROR_LINE(unknown, 2);
  CHECK(contains(unknown.err, "'create-post': source liveSource has no migration of that name; did you mean "
                              "'create-posts'?"));
  const auto pending = f.jsorm({"migrate:freeze", "add-tag-colour", kAuthoringV2, "liveSource"});
  CHECK_ONE_ERROR_LINE(pending, 7);
  CHECK(contains(pending.err, "migration 'add-tag-colour' is not applied to this database (pending)"));
  const auto missing = f.jsorm({"migrate:freeze"});
  CHECK_ONE_ERROR_LINE(missing, 2);

  openDb(f.db)->execute("UPDATE jsorm_migrations SET checksum = 'not-what-ran'");
  const auto unverified = f.jsorm({"migrate:freeze", "create-posts", kAuthoringV2, "liveSource"});
  INFO(describe(unverified));
  CHECK(unverified.exitCode == 16);
  CHECK(contains(unverified.out, "// NOT VERIFIED: its checksum "));
  CHECK(contains(unverified.err, "jsorm: error: the frozen migration's checksum is not the one jsorm_migrations "
                                 "recorded for 'create-posts'"));
}

TEST_CASE("migrate:make writes a timestamped, self-registering skeleton and refuses bad or taken names") {
  CliFixture f;
  const auto r = f.jsorm({"migrate:make", "backfill_slugs"});
  REQUIRE_OK(r);
  const std::string path = r.out.substr(0, r.out.find('\n'));
  CHECK(matches(path, "^" + f.dir.path() + "/migrations/[0-9]{8}T[0-9]{6}_backfill_slugs\\.cpp$"));
  const std::string text = readFile(path);
  const std::string name = std::filesystem::path(path).stem().string();
  CHECK(contains(text, "    .name = \"" + name + "\",\n"));
  CHECK(contains(text, "JSORM_MIGRATION(migration);"));
  CHECK(contains(text, "#include <jsorm/jsorm.hpp>"));

  const auto again = f.jsorm({"migrate:make", "backfill_slugs"});
  CHECK_ONE_ERROR_LINE(again, 2);
  CHECK(contains(again.err, "already holds a migration of that name"));
  for (const std::string& bad : std::vector<std::string>{"", "1st", "has space", "semi;colon", "dots.cpp", std::string(81, 'a')}) {
    const auto refused = f.jsorm({"migrate:make", bad});
    INFO(bad);
    CHECK_ONE_ERROR_LINE(refused, 2);
    CHECK(contains(refused.err, "not a usable migration name"));
  }
  const auto out = f.jsorm({"migrate:make", "elsewhere", "--out", f.dir.file("custom")});
  REQUIRE_OK(out);
  CHECK(contains(out.out, f.dir.file("custom") + "/"));
  CHECK(std::distance(std::filesystem::directory_iterator(f.dir.file("migrations")), {}) == 1);
}

TEST_CASE("migrate:make writes next to the nearest jsorm.toml") {
  CliFixture f;
  writeFile(f.dir.file("jsorm.toml"), "[migrationSources.main]\nmodule = \"x.so\"\nexport = \"s\"\n");
  std::filesystem::create_directories(f.dir.file("src/deep"));
  ProcessOptions options;
  options.workingDirectory = f.dir.file("src/deep");
  options.environment = {{"JSORM_CONFIG", ""}};
  const auto r = jsorm::test::runProcess(kJsorm, {"migrate:make", "add_index"}, options);
  REQUIRE_OK(r);
  CHECK(contains(r.out, f.dir.file("migrations") + "/"));
}

TEST_CASE("migrate:generate --history replays a migration source when there is no snapshot") {
  CliFixture f;
  // The history creates posts and tags and adds tags.colour, which the models lack: that is
  // the one difference proposed, not the tables again. create-posts reads the live models,
  // so posts.summary counts as history: the note says to freeze such a migration first.
  const auto r = f.jsorm({"migrate:generate", kAuthoringV2, "liveModels", "--history", "liveSource", "--check"});
  INFO(describe(r));
  CHECK(r.exitCode == 11);
  CHECK(contains(r.out, "note: no snapshot yet: compared with the schema liveSource's 3 migrations build"));
  CHECK(contains(r.out, "note: not replayed, so missing from that schema: unverifiable: migration "
                        "'create-title-view' step 1 (rawSql)"));
  CHECK(contains(r.out, "drop column tags.colour"));
  CHECK_FALSE(contains(r.out, "create table"));
  CHECK_FALSE(contains(r.out, "posts.summary"));
  CHECK(contains(r.out, "note: migration 'create-posts' creates 'posts' from the live model; if that model changed "
                        "since the migration was applied, run jsorm migrate:freeze create-posts first"));
  CHECK_FALSE(std::filesystem::exists(f.dir.file("schema.json")));

  // Without --history the same run proposes every table.
  const auto everything = f.jsorm({"migrate:generate", kAuthoringV2, "liveModels", "--check"});
  CHECK(contains(everything.out, "create table posts"));

  const auto refused = f.jsorm({"migrate:generate", kAuthoringV2, "liveModels", "--history", "noSuchSource"});
  CHECK_ONE_ERROR_LINE(refused, 4);
}

TEST_CASE("jsorm.toml: history = NAME in a generate source replays that migration source") {
  CliFixture f;
  writeFile(f.dir.file("jsorm.toml"), "[migrationSources.main]\nmodule = \"" + kAuthoringV2 +
                                          "\"\nexport = \"liveSource\"\n\n[generateSources.models]\nmodule = \"" +
                                          kAuthoringV2 + "\"\nexport = \"liveModels\"\nhistory = \"main\"\n");
  const auto r = f.jsorm({"migrate:generate", "--check"});
  INFO(describe(r));
  CHECK(r.exitCode == 11);
  CHECK(contains(r.out, "compared with the schema [migrationSources.main]'s 3 migrations build"));
  CHECK_FALSE(contains(r.out, "create table"));

  writeFile(f.dir.file("jsorm.toml"), "[migrationSources.main]\nmodule = \"m.so\"\nexport = \"s\"\n\n"
                                      "[generateSources.models]\nmodule = \"m.so\"\nexport = \"g\"\nhistory = \"mian\"\n");
  const auto typo = f.jsorm({"migrate:generate", "--check"});
  CHECK_ONE_ERROR_LINE(typo, 3);
  CHECK(contains(typo.err, "jsorm.toml:8:11: generateSources.models.history names no [migrationSources.mian] (did you "
                           "mean 'main'?); it defines: main"));
  writeFile(f.dir.file("jsorm.toml"), "[generateSources.models]\nmodule = \"m.so\"\nexport = \"g\"\nhistory = 3\n");
  const auto notString = f.jsorm({"migrate:generate", "--check"});
  CHECK_ONE_ERROR_LINE(notString, 3);
  CHECK(contains(notString.err, "generateSources.models.history must be a string"));
  writeFile(f.dir.file("jsorm.toml"), "[migrationSources.main]\nmodule = \"m.so\"\nexport = \"s\"\nhistory = \"x\"\n");
  const auto onMigrationSource = f.jsorm({"migrate", "--dry-run"});
  CHECK_ONE_ERROR_LINE(onMigrationSource, 3);
  CHECK(contains(onMigrationSource.err, "unknown key 'history' in [migrationSources.main]"));
}
