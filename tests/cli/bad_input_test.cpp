// Every way a run can be refused: the exact exit code, one "jsorm: error:" line on stderr
// that says what is wrong, and a database left exactly as it was.

#include "cli_fixture.hpp"

#include <random>

using namespace jsorm::cli_test;

namespace {
// A database already migrated with goodSource, so "unchanged" has something to compare.
struct Seeded : CliFixture {
  std::string before;
  Seeded() {
    REQUIRE_OK(cases("migrate", "goodSource"));
    before = dbBytes();
    REQUIRE_FALSE(before.empty());
  }
  bool unchanged() const { return dbBytes() == before; }
};

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

TEST_CASE("a module path that does not exist exits 4 with file not found") {
  Seeded f;
  const std::string module = f.dir.file("no-such-module.so");
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"file not found", module});
  CHECK(r.out.empty());
  CHECK(f.unchanged());
}

TEST_CASE("a text file named like a module exits 4: not a shared library") {
  Seeded f;
  const std::string module = f.dir.file("x.so");
  writeFile(module, "this is not a shared library\njust some text\n");
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"not a shared library", module});
  CHECK(f.unchanged());
}

TEST_CASE("random bytes larger than an ELF header exit 4: not a shared library, no ELF header") {
  Seeded f;
  const std::string module = f.dir.file("random.so");
  writeFile(module, randomBytes(4096));
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"not a shared library", "no ELF header"});
  CHECK(f.unchanged());
}

TEST_CASE("an empty file as module exits 4: not a shared library") {
  Seeded f;
  const std::string module = f.dir.file("empty.so");
  writeFile(module, "");
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"not a shared library", module});
  CHECK(f.unchanged());
}

TEST_CASE("a module cut off inside its ELF header exits 4") {
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
TEST_CASE("a truncated module exits 4 without crashing") {
  Seeded f;
  const std::string module = f.dir.file("truncated.so");
  writeFile(module, readFile(kCases).substr(0, 2000));
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"cannot load schema module", module, "truncated"});
  CHECK(f.unchanged());
}

TEST_CASE("a directory given as module exits 4: it is a directory") {
  Seeded f;
  const std::string module = f.dir.file("modules.so");
  std::filesystem::create_directories(module);
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"is a directory", module});
  CHECK(f.unchanged());
}

TEST_CASE("a shared library built without jsorm exits 4: not a jsorm schema module") {
  Seeded f;
  const std::string module = kFixtureDir + "/libfixture_plain_library.so";
  const auto r = f.jsorm({"migrate", module, "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"not a jsorm schema module", "libfixture_plain_library.so", "JSORM_EXPORT_SOURCE"});
  CHECK(f.unchanged());
}

TEST_CASE("a symbol the module does not export exits 4 listing what it does export") {
  Seeded f;
  const auto r = f.cases("migrate", "noSuchSource");
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"exports no migration source named 'noSuchSource'", "goodSource", "manySource"});
  // A generate source is no answer to "which migration sources are there".
  CHECK_FALSE(contains(r.err, "generateSource"));
  CHECK(f.unchanged());
}

TEST_CASE("a generate source given to migrate exits 4 saying it is a generate source") {
  Seeded f;
  const auto r = f.cases("migrate", "generateSource");
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"'generateSource'", "generate source", "not a migration source"});
  CHECK(f.unchanged());
}

TEST_CASE("a module built for another ABI exits 4 naming both ABIs and saying rebuild") {
  Seeded f;
  const auto r = f.jsorm({"migrate", kFixtureDir + "/libfixture_abi_mismatch.so", "goodSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  checkPhrases(r, {"ABI 999", "ABI 1", "rebuild", "libfixture_abi_mismatch.so"});
  CHECK(f.unchanged());
}

// ---- configuration and connection: exits 3 and 6 ----------------------------------------

TEST_CASE("an adapter no plugin provides exits 6 naming the file and every directory searched") {
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

TEST_CASE("FIXTURE_DB unset and no --url exits 3 naming the variable") {
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

TEST_CASE("a SQLite path in a directory that does not exist exits 6 and creates nothing") {
  CliFixture f;
  const std::string missingDir = f.dir.file("no-such-dir");
  const auto r = f.cases("migrate", "goodSource", {"--url", "sqlite:" + missingDir + "/x.db"});
  CHECK_ONE_ERROR_LINE(r, 6);
  checkPhrases(r, {"does not exist", missingDir});
  CHECK_FALSE(std::filesystem::exists(missingDir));
}

TEST_CASE("a file that is not a SQLite database exits 6 and is left alone") {
  CliFixture f;
  const std::string junk = "this is not a database, " + std::string(200, 'x');
  writeFile(f.db, junk);
  const auto r = f.cases("migrate", "goodSource");
  CHECK_ONE_ERROR_LINE(r, 6);
  checkPhrases(r, {"cannot open SQLite database", "not a database"});
  CHECK(f.dbBytes() == junk);
}

// ---- invalid schema definitions: exit 5, before any connection ---------------------------

TEST_CASE("duplicate migration names exit 5: used twice") {
  Seeded f;
  const auto r = f.cases("migrate", "duplicateSource");
  CHECK_ONE_ERROR_LINE(r, 5);
  checkPhrases(r, {"create-dup", "used twice", "duplicateSource"});
  CHECK(f.unchanged());
  CHECK_FALSE(openDb(f.db)->hasTable("dup_a"));
}

TEST_CASE("belongsTo a model without a primary key exits 5: no primary key") {
  Seeded f;
  const auto r = f.cases("migrate", "noPrimaryKeySource");
  CHECK_ONE_ERROR_LINE(r, 5);
  checkPhrases(r, {"no primary key", "tags", "noPrimaryKeySource"});
  CHECK(f.unchanged());
}

TEST_CASE("createIndex on an unknown column exits 5 naming the column") {
  Seeded f;
  const auto r = f.cases("migrate", "badIndexSource");
  CHECK_ONE_ERROR_LINE(r, 5);
  checkPhrases(r, {"colour", "badIndexSource"});
  CHECK(f.unchanged());
  CHECK_FALSE(openDb(f.db)->hasTable("items"));
}

TEST_CASE("a source that throws exits 5 with its message") {
  Seeded f;
  const auto r = f.cases("migrate", "throwingSource");
  CHECK_ONE_ERROR_LINE(r, 5);
  checkPhrases(r, {"throwingSource", "the source could not be built"});
  CHECK(f.unchanged());
}

// ---- migrations that fail or are refused: exit 7 ----------------------------------------

TEST_CASE("a migration failing halfway exits 7 and leaves only the migrations before it") {
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

TEST_CASE("rolling back a batch with an irreversible migration exits 7 and runs nothing") {
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

TEST_CASE("rolling back a batch the source no longer defines exits 7 and runs nothing") {
  Seeded f;
  const auto r = f.cases("migrate:down", "manySource");
  CHECK_ONE_ERROR_LINE(r, 7);
  checkPhrases(r, {"no longer defines", "'seed-account'"});
  CHECK(f.unchanged());
  CHECK(trackedNames(f.db).size() == 3);
}
