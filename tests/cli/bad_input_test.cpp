// Every way a run can be refused: the exact exit code, one "jsorm: error:" line on stderr
// that says what is wrong, and a database left exactly as it was. Each case of the bad-input
// matrix (here and in the other CLI suites) carries the tag [bad-input]; the test
// "reliability: bad-input matrix ..." counts them.

#include "config_fixture.hpp"
#include "pg_scratch.hpp"

#include <cstddef>
#include <cstring>
#include <elf.h>
#include <random>
#include <unistd.h>

using namespace jsorm::cli_test;

namespace {
void checkPhrases(const ProcessResult& r, std::initializer_list<std::string> phrases) {
  for (const auto& phrase : phrases) {
    INFO("expected in stderr: " << phrase << "\n" << describe(r));
    CHECK(contains(r.err, phrase));
  }
}

std::string randomBytes(std::size_t n) {
  std::mt19937 random(12345);
  std::string bytes(n, '\0');
  for (auto& c : bytes) c = static_cast<char>(random() & 0xff);
  bytes[0] = 'X';  // never the ELF magic
  return bytes;
}
}  // namespace

// ---- schema modules that cannot be loaded: exit 4 --------------------------------------

TEST_CASE("a module path that does not exist exits 4 with file not found", "[bad-input]") {
  Seeded f;
  const std::string module = f.dir.file("no-such-module.so");
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"file not found", module});
  CHECK(r.out.empty());
  CHECK(f.unchanged());
}

TEST_CASE("a text file named like a module exits 4: not a shared library", "[bad-input]") {
  Seeded f;
  const std::string module = f.dir.file("x.so");
  writeFile(module, "this is not a shared library\njust some text\n");
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"not a shared library", module});
  CHECK(f.unchanged());
}

TEST_CASE("random bytes larger than an ELF header exit 4: not a shared library, no ELF header", "[bad-input]") {
  Seeded f;
  const std::string module = f.dir.file("random.so");
  writeFile(module, randomBytes(4096));
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"not a shared library", "no ELF header"});
  CHECK(f.unchanged());
}

TEST_CASE("an empty file as module exits 4: not a shared library", "[bad-input]") {
  Seeded f;
  const std::string module = f.dir.file("empty.so");
  writeFile(module, "");
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"not a shared library", module});
  CHECK(f.unchanged());
}

TEST_CASE("a module cut off inside its ELF header exits 4", "[bad-input]") {
  Seeded f;
  const std::string module = f.dir.file("header-only.so");
  writeFile(module, readFile(kCases).substr(0, 64));
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"cannot load schema module", module});
  CHECK(f.unchanged());
}

// Its ELF and program headers are intact but its segments lie past the end of the file:
// dlopen would map them and die of SIGBUS touching the missing pages.
TEST_CASE("a truncated module exits 4 without crashing", "[bad-input]") {
  Seeded f;
  const std::string module = f.dir.file("truncated.so");
  writeFile(module, readFile(kCases).substr(0, 2000));
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"cannot load schema module", module, "truncated"});
  CHECK(f.unchanged());
}

TEST_CASE("a directory given as module exits 4: it is a directory", "[bad-input]") {
  Seeded f;
  const std::string module = f.dir.file("modules.so");
  std::filesystem::create_directories(module);
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"is a directory", module});
  CHECK(f.unchanged());
}

TEST_CASE("a shared library built without jsorm exits 4: not a jsorm schema module", "[bad-input]") {
  Seeded f;
  const std::string module = kFixtureDir + "/libfixture_plain_library.so";
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"not a jsorm schema module", "libfixture_plain_library.so", "JSORM_EXPORT_SOURCE"});
  CHECK(f.unchanged());
}

TEST_CASE("a symbol the module does not export exits 4 listing what it does export", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate", "noSuchSource");
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"exports no migration source named 'noSuchSource'", "goodSource", "manySource"});
  // A generate source is no answer to "which migration sources are there".
  CHECK_FALSE(contains(r.err, "generateSource"));
  CHECK(f.unchanged());
}

TEST_CASE("a generate source given to migrate exits 4 saying it is a generate source", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate", "generateSource");
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"'generateSource'", "generate source", "not a migration source"});
  CHECK(f.unchanged());
}

TEST_CASE("a module built for another ABI exits 4 naming both ABIs and saying rebuild", "[bad-input]") {
  Seeded f;
  const auto r = f.jsorm({"migrate", kFixtureDir + "/libfixture_abi_mismatch.so", "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"ABI 999", "ABI 5", "rebuild", "libfixture_abi_mismatch.so"});
  CHECK(f.unchanged());
}

// ---- configuration and connection: exits 3 and 6 ----------------------------------------

TEST_CASE("an adapter no plugin provides exits 6 naming the file and every directory searched", "[bad-input]") {
  CliFixture f;
  const std::string fromOption = f.dir.file("plugins-option");
  const std::string fromEnv = f.dir.file("plugins-env");
  std::filesystem::create_directories(fromOption);
  std::filesystem::create_directories(fromEnv);
  const auto r = f.cases("migrate", "unknownAdapterSource", {"--adapter-path", fromOption},
                         {{"JSORM_ADAPTER_PATH", fromEnv}});
  CHECK_ONE_ERROR_LINE(r, 6);
  checkPhrases(r, {"no adapter plugin 'nosuchdb'", "libjsorm_adapter_nosuchdb.so", fromOption, fromEnv,
                   std::filesystem::path(kSqliteAdapter).parent_path().string(), "--adapter-path",
                   "JSORM_ADAPTER_PATH"});
  CHECK(r.err.find(fromOption) < r.err.find(fromEnv));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("FIXTURE_DB unset and no --url exits 3 naming the variable", "[bad-input]") {
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {}, {{"FIXTURE_DB", ""}});
  CHECK_ONE_ERROR_LINE(r, 3);
  checkPhrases(r, {"FIXTURE_DB", "--url"});
  CHECK(r.out.empty());
  CHECK(std::filesystem::is_empty(f.dir.path()));
}

TEST_CASE("migrate --url replaces an unset environment variable") {
  CliFixture f;
  const auto r = f.cases("migrate", "goodSource", {"--url", "sqlite:" + f.db}, {{"FIXTURE_DB", ""}});
  REQUIRE_OK(r);
  CHECK(trackedNames(f.db).size() == 3);
}

TEST_CASE("a SQLite path in a directory that does not exist exits 6 and creates nothing", "[bad-input]") {
  CliFixture f;
  const std::string missingDir = f.dir.file("no-such-dir");
  const auto r = f.cases("migrate", "goodSource", {"--url", "sqlite:" + missingDir + "/x.db"});
  CHECK_ONE_ERROR_LINE(r, 6);
  checkPhrases(r, {"does not exist", missingDir});
  CHECK_FALSE(std::filesystem::exists(missingDir));
}

TEST_CASE("a file that is not a SQLite database exits 6 and is left alone", "[bad-input]") {
  CliFixture f;
  const std::string junk = "this is not a database, " + std::string(200, 'x');
  writeFile(f.db, junk);
  const auto r = f.cases("migrate", "goodSource");
  CHECK_ONE_ERROR_LINE(r, 6);
  checkPhrases(r, {"cannot open SQLite database", "not a database"});
  CHECK(f.dbBytes() == junk);
}

// ---- invalid schema definitions: exit 5, before any connection ---------------------------

TEST_CASE("duplicate migration names exit 5: used twice", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate", "duplicateSource");
  CHECK_ONE_ERROR_LINE(r, 5);
  checkPhrases(r, {"create-dup", "used twice", "duplicateSource"});
  CHECK(f.unchanged());
  CHECK_FALSE(openDb(f.db)->hasTable("dup_a"));
}

TEST_CASE("belongsTo a model without a primary key exits 5: no primary key", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate", "noPrimaryKeySource");
  CHECK_ONE_ERROR_LINE(r, 5);
  checkPhrases(r, {"no primary key", "tags", "noPrimaryKeySource"});
  CHECK(f.unchanged());
}

TEST_CASE("createIndex on an unknown column exits 5 naming the column", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate", "badIndexSource");
  CHECK_ONE_ERROR_LINE(r, 5);
  checkPhrases(r, {"colour", "badIndexSource"});
  CHECK(f.unchanged());
  CHECK_FALSE(openDb(f.db)->hasTable("items"));
}

TEST_CASE("a source that throws exits 5 with its message", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate", "throwingSource");
  CHECK_ONE_ERROR_LINE(r, 5);
  checkPhrases(r, {"throwingSource", "the source could not be built"});
  CHECK(f.unchanged());
}

// ---- migrations that fail or are refused: exit 7 ----------------------------------------

TEST_CASE("a migration failing halfway exits 7 and leaves only the migrations before it", "[bad-input]") {
  CliFixture f;
  const auto r = f.cases("migrate", "failingSource");
  CHECK_ONE_ERROR_LINE(r, 7);
  checkPhrases(r, {"'broken-second'", "INSERT INTO no_such_table", "no such table"});
  CHECK(matches(r.out, R"(applied +create-first)"));
  CHECK_FALSE(contains(r.out, "broken-second ("));

  auto db = openDb(f.db);
  CHECK(db->hasTable("first"));
  CHECK_FALSE(db->hasTable("second"));  // the failing migration's first step was undone
  CHECK_FALSE(db->hasTable("third"));
  CHECK(trackedNames(f.db) == std::vector<std::string>{"create-first"});

  // Running again fails the same way without applying anything twice.
  const auto again = f.cases("migrate", "failingSource");
  CHECK_ONE_ERROR_LINE(again, 7);
  CHECK(trackedNames(f.db) == std::vector<std::string>{"create-first"});
}

TEST_CASE("rolling back a batch with an irreversible migration exits 7 and runs nothing", "[bad-input]") {
  CliFixture f;
  REQUIRE_OK(f.cases("migrate", "irreversibleSource"));
  const auto before = f.dbBytes();
  const auto r = f.cases("migrate:down", "irreversibleSource");
  CHECK_ONE_ERROR_LINE(r, 7);
  checkPhrases(r, {"'drop-kept-data'", "not reversible"});
  CHECK(openDb(f.db)->hasTable("kept"));
  CHECK(trackedNames(f.db) == std::vector<std::string>{"create-kept", "drop-kept-data"});
  CHECK(f.dbBytes() == before);
}

TEST_CASE("rolling back a batch the source no longer defines exits 7 and runs nothing", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate:down", "manySource");
  CHECK_ONE_ERROR_LINE(r, 7);
  checkPhrases(r, {"no longer defines", "'seed-account'"});
  CHECK(f.unchanged());
  CHECK(trackedNames(f.db).size() == 3);
}

// ---- gaps the reliability issue listed ---------------------------------------------------

// A copy of a real module with only e_machine changed: the kind of file a cross-build for
// another CPU produces. Refused from its header, before dlopen.
TEST_CASE("a module built for another architecture exits 4: built for another architecture", "[bad-input]") {
  Seeded f;
  std::string bytes = readFile(kCases);
  REQUIRE(bytes.size() > sizeof(Elf64_Ehdr));
#if defined(__aarch64__)
  const Elf64_Half other = EM_X86_64;
#else
  const Elf64_Half other = EM_AARCH64;
#endif
  std::memcpy(bytes.data() + offsetof(Elf64_Ehdr, e_machine), &other, sizeof other);
  const std::string module = f.dir.file("libother-arch.so");
  writeFile(module, bytes);
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"built for another architecture", "rebuild", module});
  CHECK(f.unchanged());
}

TEST_CASE("an adapter plugin built for another ABI exits 4 naming both ABIs", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate", "goodSource", {"--url", "oldabi:whatever", "--adapter-path", kFixtureDir + "/adapters"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"ABI 999", "ABI 5", "rebuild", "libjsorm_adapter_oldabi.so"});
  CHECK(f.unchanged());
}

TEST_CASE("a shared library posing as an adapter plugin exits 4: not a jsorm adapter", "[bad-input]") {
  Seeded f;
  const std::string plugins = f.dir.file("plugins");
  std::filesystem::create_directories(plugins);
  std::filesystem::copy_file(kFixtureDir + "/libfixture_plain_library.so", plugins + "/libjsorm_adapter_fake.so");
  const auto r = f.cases("migrate", "goodSource", {"--url", "fake:db", "--adapter-path", plugins});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"libjsorm_adapter_fake.so"});
  CHECK(f.unchanged());
}

TEST_CASE("a --url whose scheme names no installed adapter exits 6 naming the plugin it looked for", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate", "goodSource", {"--url", "oracle://root:" + testSecret("hunter2-pw") + "@db.example/app"});
  CHECK_ONE_ERROR_LINE(r, 6);
  checkPhrases(r, {"libjsorm_adapter_oracle.so"});
  CHECK_FALSE(contains(r.out + r.err, testSecret("hunter2-pw")));
  CHECK(f.unchanged());
}

TEST_CASE("a sqlite: --url without a path exits 6 asking for one and changes nothing", "[bad-input]") {
  Seeded f;
  const auto r = f.cases("migrate", "goodSource", {"--url", "sqlite:"});
  CHECK_ONE_ERROR_LINE(r, 6);
  checkPhrases(r, {"no SQLite database path given"});
  CHECK(f.unchanged());
}

TEST_CASE("a PostgreSQL URL with a port that is not a number exits 6 without printing the password",
          "[bad-input][pg]") {
  Seeded f;
  const auto r = f.cases("migrate", "goodSource", {"--url", "postgres://u:" + testSecret("port-pw-77") + "@127.0.0.1:notaport/db"});
  CHECK_ONE_ERROR_LINE(r, 6);
  CHECK_FALSE(contains(r.out + r.err, testSecret("port-pw-77")));
  CHECK(f.unchanged());
}

TEST_CASE("an empty jsorm.toml exits 3 saying no source is chosen", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig("");
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  checkPhrases(r, {"jsorm.toml", "no source"});
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("a jsorm.toml cut off mid-value exits 3 naming its line", "[bad-input]") {
  ConfigFixture f;
  const std::string whole = defaultsTable("main") + sourceTable("main", "goodSource");
  f.writeConfig(whole.substr(0, whole.find("export") + 12));  // export = "go
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  checkPhrases(r, {"end-of-file"});
  CHECK(matches(r.err, R"(jsorm\.toml:6:\d+)"));
  CHECK_FALSE(std::filesystem::exists(f.db));
}

TEST_CASE("an unterminated ${ in jsorm.toml exits 3 naming the key", "[bad-input]") {
  ConfigFixture f;
  f.writeConfig(defaultsTable("main") + sourceTable("main", "goodSource", kCases, std::string("sqlite:${FIXTURE_DB")));
  const auto r = f.run({"migrate"});
  CHECK_ONE_ERROR_LINE(r, 3);
  checkPhrases(r, {"unterminated", "migrationSources.main.url"});
  CHECK_FALSE(std::filesystem::exists(f.db));
}

// chmod 000 does not stop root, so as root the run drops to nobody (setpriv) to meet a file
// it really cannot read; otherwise the test would pass without ever exercising the error.
TEST_CASE("a jsorm.toml that cannot be read exits 3: permission denied", "[bad-input]") {
  ConfigFixture f;
  const std::string config = f.writeSimpleConfig();
  std::filesystem::permissions(config, std::filesystem::perms::none);
  std::filesystem::permissions(f.dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                 std::filesystem::perms::group_exec |
                                                 std::filesystem::perms::others_read |
                                                 std::filesystem::perms::others_exec);
  ProcessResult r;
  if (::geteuid() == 0) {
    ProcessOptions options;
    options.workingDirectory = f.dir.path();
    options.environment = {{"JSORM_CONFIG", ""}, {"NO_COLOR", ""}, {"FIXTURE_DB", f.db}};
    r = ::jsorm::test::runProcess("/usr/bin/setpriv",
                                  {"--reuid=65534", "--regid=65534", "--clear-groups", kJsorm, "migrate", "--config",
                                   config},
                                  options);
  } else {
    r = f.run({"migrate", "--config", config});
  }
  CHECK_ONE_ERROR_LINE(r, 3);
  checkPhrases(r, {"cannot read config", "permission denied", config});
  CHECK_FALSE(std::filesystem::exists(f.db));
}

namespace {
// migrate:generate over a broken schema.json: exit 3 with `phrases`, the snapshot untouched
// and no migration written.
void checkSnapshotRefused(const std::string& snapshot, std::initializer_list<std::string> phrases) {
  CliFixture f;
  writeFile(f.dir.file("schema.json"), snapshot);
  const auto r = f.jsorm({"migrate:generate", kCases, "generateSource", "--out", "migrations"});
  CHECK_ONE_ERROR_LINE(r, 3);
  checkPhrases(r, phrases);
  CHECK(readFile(f.dir.file("schema.json")) == snapshot);
  CHECK_FALSE(std::filesystem::exists(f.dir.file("migrations")));
}
}  // namespace

TEST_CASE("a malformed snapshot makes migrate:generate exit 3 naming its line and write nothing", "[bad-input]") {
  checkSnapshotRefused("{\n  \"version\": 1,\n  \"tables\": {\n    \"accounts\": { \"columns\": [\n}\n",
                       {"schema.json:5:", "malformed snapshot"});
}

TEST_CASE("a snapshot of the wrong shape makes migrate:generate exit 3 and write nothing", "[bad-input]") {
  checkSnapshotRefused("{\"version\": 1, \"tables\": [1, 2, 3]}\n", {"schema.json", "tables"});
}

// Found by fuzz/fuzz_snapshot: these reached the CLI as "unexpected failure" (exit 1).
TEST_CASE("a snapshot with a value of the wrong JSON type makes migrate:generate exit 3", "[bad-input]") {
  checkSnapshotRefused("{\"version\": {}, \"tables\": {}}\n", {"schema.json", "malformed snapshot"});
  checkSnapshotRefused("{\"version\": 1E400, \"tables\": {}}\n", {"schema.json", "malformed snapshot"});
}

// The SQLite side is awkward_names_test.cpp; PostgreSQL quotes differently (and folds
// unquoted names), so the same hostile identifiers go through its dialect too.
TEST_CASE("identifiers with quotes, semicolons and Unicode are quoted on PostgreSQL, never injected",
          "[bad-input][pg]") {
  ScratchDatabase pg;
  CliFixture f;
  const auto r = f.cases("migrate", "awkwardNamesSource", {"--url", pg.url()});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  const std::string odd = "odd\"table; DROP TABLE victims; --";
  CHECK(pg.db().hasTable(odd));
  CHECK(pg.db().hasColumn(odd, "naïve \"column\""));
  CHECK(pg.db().hasColumn(odd, "prix€"));
  CHECK(pg.db().hasTable("victims"));  // the "; DROP TABLE victims" inside the name never ran
  CHECK(pg.count("SELECT COUNT(*) FROM jsorm_migrations") == 2);

  const auto down = f.cases("migrate:down", "awkwardNamesSource", {"--url", pg.url()});
  INFO(describe(down));
  REQUIRE(down.exitCode == 0);
  CHECK(pg.db().tables() == std::vector<std::string>{"jsorm_migrations"});
}
