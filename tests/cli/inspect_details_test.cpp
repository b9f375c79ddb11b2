// inspect as a release check: each source's history or models, the adapter it names (never
// a secret), the build provenance, on stripped modules and on modules without provenance.

#include "cli_fixture.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

using namespace jsorm::cli_test;

namespace {
const std::string kInspect = kFixtureDir + "/libfixture_inspect.so";
const std::string kUnrecorded = kFixtureDir + "/libfixture_inspect_unrecorded.so";
const std::string kSourceDir = std::filesystem::path(JSORM_SCRIPTS_DIR).parent_path().string();

// Values a source's settings resolve to: none may ever be printed.
const std::string kEnvPassword = testSecret("inspect-env-password");
const Env kSettings{{"LIBRARY_DATABASE_URL", "postgres://deployer:" + kEnvPassword + "@db.example/library"},
                    {"ACME_REGION", "region-from-env-" + kEnvPassword}};

nlohmann::json parseJson(const ProcessResult& r) {
  INFO(describe(r));
  nlohmann::json doc;
  REQUIRE_NOTHROW(doc = nlohmann::json::parse(r.out));
  return doc;
}

std::set<std::string> keysOf(const nlohmann::json& object) {
  std::set<std::string> keys;
  for (const auto& item : object.items()) keys.insert(item.key());
  return keys;
}

const nlohmann::json& sourceNamed(const nlohmann::json& doc, const std::string& name) {
  const auto& sources = doc.at("sources");
  const auto found = std::find_if(sources.begin(), sources.end(), [&](const auto& s) { return s.at("name") == name; });
  REQUIRE(found != sources.end());
  return *found;
}

void checkNoSecret(const ProcessResult& r) {
  INFO(describe(r));
  for (const std::string& secret : {kEnvPassword, std::string("hunter2-in-url"), std::string("token-literal-secret"),
                                    std::string("fallback-region-secret"), std::string("region-from-env")}) {
    CHECK_FALSE(contains(r.out + r.err, secret));
  }
}
}  // namespace

TEST_CASE("inspect lists a migration source's adapter, tracking table and migrations in order with their flags") {
  CliFixture f;
  const auto r = f.jsorm({"inspect", kInspect}, kSettings);
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.empty());
  CHECK(contains(r.out, "\n  librarySource            migration source\n"
                        "    adapter: pg \"catalogue\" (url=env(\"LIBRARY_DATABASE_URL\"))\n"
                        "    tracking table: library_migrations\n"
                        "    migrations: 4\n"));
  CHECK(matches(r.out, R"(\n      1\. create-shelves      [0-9a-f]{16}  1 step    transactional   reversible\n)"));
  CHECK(matches(r.out, R"(\n      2\. create-books        [0-9a-f]{16}  2 steps   transactional   reversible\n)"));
  CHECK(matches(r.out, R"(\n      3\. index-shelf-labels  [0-9a-f]{16}  1 step    no transaction  reversible\n)"));
  CHECK(matches(r.out, R"(\n      4\. seed-shelves        [0-9a-f]{16}  1 step    transactional   irreversible\n)"));
  CHECK(r.out.find("create-shelves") < r.out.find("create-books"));
  checkNoSecret(r);
}

TEST_CASE("inspect lists a generate source's snapshot path and models with their field counts") {
  CliFixture f;
  const auto r = f.jsorm({"inspect", kInspect});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "\n  catalogueModels          generate source\n"
                        "    snapshot: db/catalogue.json\n"
                        "    models: 2\n"
                        "      shelves  2 fields\n"
                        "      books    3 fields\n"));
}

TEST_CASE("inspect's checksums are the ones migrate records") {
  CliFixture f;
  const auto inspected = parseJson(f.jsorm({"inspect", kCases, "goodSource", "--json"}));
  REQUIRE_OK(f.cases("migrate", "goodSource"));
  const auto status = parseJson(f.cases("migrate:status", "goodSource", {"--json"}));
  const auto& migrations = sourceNamed(inspected, "goodSource").at("migrations");
  REQUIRE(migrations.size() == status.at("migrations").size());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    CHECK(migrations[i].at("name") == status.at("migrations")[i].at("name"));
    CHECK(migrations[i].at("checksum") == status.at("migrations")[i].at("checksum"));
  }
}

TEST_CASE("inspect --json gives every source's details under stable field names") {
  CliFixture f;
  const auto r = f.jsorm({"inspect", kInspect, "--json"}, kSettings);
  REQUIRE(r.exitCode == 0);
  checkNoSecret(r);
  const auto doc = parseJson(r);
  CHECK(keysOf(doc) ==
        std::set<std::string>{"module", "jsormVersion", "abiVersion", "provenance", "exports", "sources"});
  CHECK(doc.at("module") == kInspect);
  CHECK(doc.at("exports").size() == 5);
  REQUIRE(doc.at("sources").size() == 5);

  const auto& library = sourceNamed(doc, "librarySource");
  CHECK(keysOf(library) ==
        std::set<std::string>{"name", "kind", "error", "adapter", "migrationTable", "migrations"});
  CHECK(library.at("kind") == "migration source");
  CHECK(library.at("error").is_null());
  CHECK(library.at("adapter") == nlohmann::json::parse(R"json({"plugin": "pg", "name": "catalogue",
                                                          "options": {"url": "env(\"LIBRARY_DATABASE_URL\")"}})json"));
  CHECK(library.at("migrationTable") == "library_migrations");
  const auto& migrations = library.at("migrations");
  REQUIRE(migrations.size() == 4);
  std::vector<std::string> names;
  for (const auto& m : migrations) {
    for (const char* key : {"name", "checksum", "steps", "stepCount", "transactional", "reversible"}) {
      CHECK(m.contains(key));
    }
    CHECK(matches(m.at("checksum").get<std::string>(), "^[0-9a-f]{16}$"));
    CHECK(m.at("stepCount") == m.at("steps").size());
    names.push_back(m.at("name"));
  }
  CHECK(names == std::vector<std::string>{"create-shelves", "create-books", "index-shelf-labels", "seed-shelves"});
  CHECK(migrations[1].at("stepCount") == 2);
  CHECK(migrations[1].at("steps")[0] == "createTable(\"books\")");
  CHECK(migrations[2].at("transactional") == false);
  CHECK(migrations[2].at("reversible") == true);
  CHECK(migrations[3].at("transactional") == true);
  CHECK(migrations[3].at("reversible") == false);

  const auto& models = sourceNamed(doc, "catalogueModels");
  CHECK(keysOf(models) == std::set<std::string>{"name", "kind", "error", "snapshotPath", "models"});
  CHECK(models.at("kind") == "generate source");
  CHECK(models.at("snapshotPath") == "db/catalogue.json");
  CHECK(models.at("models") == nlohmann::json::parse(R"([{"table": "shelves", "fieldCount": 2},
                                                           {"table": "books", "fieldCount": 3}])"));
}

TEST_CASE("inspect prints a setting from the environment by its name and never a literal secret") {
  CliFixture f;
  const auto text = f.jsorm({"inspect", kInspect, "literalSettingsSource"}, kSettings);
  INFO(describe(text));
  REQUIRE(text.exitCode == 0);
  checkNoSecret(text);
  CHECK(contains(text.out, "adapter: acme \"acme\" (region=env(\"ACME_REGION\"), token=(literal, not shown), "
                           "url=acme://deployer@db.example/app)"));
  const auto json = f.jsorm({"inspect", kInspect, "literalSettingsSource", "--json"}, kSettings);
  checkNoSecret(json);
  CHECK(parseJson(json).at("sources")[0].at("adapter").at("options") ==
        nlohmann::json{{"region", "env(\"ACME_REGION\")"},
                       {"token", "(literal, not shown)"},
                       {"url", "acme://deployer@db.example/app"}});
}

TEST_CASE("inspect SYMBOL shows only that source, in text and JSON") {
  CliFixture f;
  const auto text = f.jsorm({"inspect", kInspect, "catalogueModels"});
  INFO(describe(text));
  REQUIRE(text.exitCode == 0);
  CHECK(contains(text.out, "catalogueModels          generate source"));
  CHECK(contains(text.out, "provenance: "));
  CHECK_FALSE(contains(text.out, "librarySource"));
  CHECK_FALSE(contains(text.out, "throwingSource"));

  const auto doc = parseJson(f.jsorm({"inspect", kInspect, "librarySource", "--json"}));
  // exports still lists the whole module; sources only what was asked.
  CHECK(doc.at("exports").size() == 5);
  REQUIRE(doc.at("sources").size() == 1);
  CHECK(doc.at("sources")[0].at("name") == "librarySource");
  CHECK(doc.at("sources")[0].at("migrations").size() == 4);
}

TEST_CASE("inspect with an unknown SYMBOL exits 4 naming what the module exports", "[bad-input]") {
  CliFixture f;
  for (const bool json : {false, true}) {
    std::vector<std::string> args{"inspect", kInspect, "noSuchSource"};
    if (json) args.push_back("--json");
    const auto r = f.jsorm(args);
    CHECK_ONE_ERROR_LINE(r, 4);
    CHECK(r.out.empty());
    CHECK(contains(r.err, "exports no source named 'noSuchSource'"));
    CHECK(contains(r.err, "librarySource, literalSettingsSource, catalogueModels, duplicatedSource, throwingSource"));
  }
}

TEST_CASE("inspect shows a source that throws or fails validation with its error and still lists the others") {
  CliFixture f;
  const auto r = f.jsorm({"inspect", kInspect});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.empty());
  CHECK(contains(r.out, "\n  duplicatedSource         migration source\n    error: schema module " + kInspect +
                            ", source 'duplicatedSource': migration name 'create-shelves' is used twice\n"));
  CHECK(contains(r.out, "\n  throwingSource           migration source\n    error: schema module " + kInspect +
                            ", source 'throwingSource' threw: the catalogue service is down"));
  CHECK(contains(r.out, "librarySource"));

  const auto doc = parseJson(f.jsorm({"inspect", kInspect, "--json"}));
  const auto& throwing = sourceNamed(doc, "throwingSource");
  CHECK(keysOf(throwing) == std::set<std::string>{"name", "kind", "error"});
  CHECK(contains(throwing.at("error").get<std::string>(), "the catalogue service is down"));
  CHECK(sourceNamed(doc, "librarySource").at("error").is_null());
}

TEST_CASE("inspect SYMBOL of a failing source prints its entry and exits 5 with the error", "[bad-input]") {
  CliFixture f;
  for (const std::string source : {"throwingSource", "duplicatedSource"}) {
    INFO(source);
    const auto text = f.jsorm({"inspect", kInspect, source});
    CHECK_ONE_ERROR_LINE(text, 5);
    CHECK(contains(text.err, "source '" + source + "'"));
    CHECK(contains(text.out, "  " + source));
    CHECK(contains(text.out, "    error: "));

    const auto json = f.jsorm({"inspect", kInspect, source, "--json"});
    CHECK_ONE_ERROR_LINE(json, 5);
    const auto doc = parseJson(json);
    CHECK(doc.at("sources")[0].at("name") == source);
    CHECK(doc.at("sources")[0].at("error").is_string());
  }
}

TEST_CASE("inspect shows the build provenance jsorm_add_schema_module recorded") {
  CliFixture f;
  // The fixtures are built from this checkout when it is a git one.
  const std::string revision = std::filesystem::exists(kSourceDir + "/.git") ? "[0-9a-f]{40}(-dirty)?" : "unknown";
  const std::string builtAt = R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)";

  const auto text = f.jsorm({"inspect", kInspect});
  INFO(describe(text));
  REQUIRE(text.exitCode == 0);
  CHECK(matches(text.out, "^" + kInspect + ": built with jsorm 0\\.3\\.0 \\(ABI 5\\)\n  provenance: revision " +
                              revision + ", built " + builtAt + ", compiler " + JSORM_TEST_CXX_COMPILER + "\n"));

  const auto doc = parseJson(f.jsorm({"inspect", kInspect, "--json"}));
  const auto& provenance = doc.at("provenance");
  CHECK(keysOf(provenance) == std::set<std::string>{"revision", "builtAt", "compiler"});
  CHECK(matches(provenance.at("revision").get<std::string>(), "^" + revision + "$"));
  CHECK(matches(provenance.at("builtAt").get<std::string>(), "^" + builtAt + "$"));
  CHECK(provenance.at("compiler") == JSORM_TEST_CXX_COMPILER);
}

TEST_CASE("inspect of a stripped module shows the same history, models and provenance") {
  CliFixture f;
  const std::string stripped = f.dir.file("libstripped.so");
  std::filesystem::copy_file(kInspect, stripped);
  const auto strip = jsorm::test::runProcess(JSORM_TEST_STRIP, {"--strip-all", stripped});
  INFO(describe(strip));
  REQUIRE(strip.exitCode == 0);
  REQUIRE(std::filesystem::file_size(stripped) < std::filesystem::file_size(kInspect));

  auto original = parseJson(f.jsorm({"inspect", kInspect, "--json"}));
  auto copy = parseJson(f.jsorm({"inspect", stripped, "--json"}));
  CHECK(copy.at("module") == stripped);
  CHECK(copy.at("provenance").is_object());
  original.erase("module");
  copy.erase("module");
  // Error texts name the module's path; everything else must be equal.
  for (auto* doc : {&original, &copy}) {
    for (auto& source : doc->at("sources")) {
      if (source.at("error").is_string()) source["error"] = "(failed)";
    }
  }
  CHECK(copy == original);

  const auto text = f.jsorm({"inspect", stripped, "librarySource"});
  INFO(describe(text));
  CHECK(text.exitCode == 0);
  CHECK(contains(text.out, "  provenance: revision "));
  CHECK(contains(text.out, "seed-shelves"));
}

TEST_CASE("inspect of a module built without jsorm_add_schema_module says its provenance is not recorded") {
  CliFixture f;
  const auto text = f.jsorm({"inspect", kUnrecorded});
  INFO(describe(text));
  REQUIRE(text.exitCode == 0);
  CHECK(contains(text.out, kUnrecorded + ": built with jsorm 0.3.0 (ABI 5)\n  provenance: not recorded\n"));
  CHECK(contains(text.out, "seed-shelves"));

  const auto doc = parseJson(f.jsorm({"inspect", kUnrecorded, "--json"}));
  CHECK(doc.at("provenance").is_null());
  CHECK(sourceNamed(doc, "librarySource").at("migrations").size() == 4);
}

TEST_CASE("inspect does not read a jsorm_module_provenance that is not text as the provenance", "[bad-input]") {
  CliFixture f;
  const std::string odd = kFixtureDir + "/libfixture_inspect_odd_provenance.so";
  const auto r = f.jsorm({"inspect", odd, "librarySource"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, odd + ": built with jsorm 0.3.0 (ABI 5)\n  provenance: not recorded\n"));
}

TEST_CASE("inspect refuses what is not a schema module, and extra arguments", "[bad-input]") {
  CliFixture f;
  const auto missing = f.jsorm({"inspect", f.dir.file("missing.so")});
  CHECK_ONE_ERROR_LINE(missing, 4);
  writeFile(f.dir.file("notes.so"), "not an ELF file");
  const auto notElf = f.jsorm({"inspect", f.dir.file("notes.so"), "librarySource"});
  CHECK_ONE_ERROR_LINE(notElf, 4);
  const auto plain = f.jsorm({"inspect", kFixtureDir + "/libfixture_plain_library.so"});
  CHECK_ONE_ERROR_LINE(plain, 4);
  CHECK(contains(plain.err, "not a jsorm schema module"));
  const auto extra = f.jsorm({"inspect", kInspect, "librarySource", "catalogueModels"});
  CHECK_ONE_ERROR_LINE(extra, 2);
  CHECK(extra.out.empty());
}
