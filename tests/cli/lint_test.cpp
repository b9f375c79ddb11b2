// migrate:lint on real schema modules: a history full of hazards gives each expected
// finding and nothing else, safe histories and the example give no false positive, exit
// 13 only at error level, lintAllow shows its reason, --json, --database, --since, and
// bad input. Also docs/lint.md: its examples are the fixture's, and lint as the page says.
#include "cli_fixture.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <ranges>
#include <regex>
#include <tuple>

using namespace jsorm::cli_test;
using nlohmann::json;

namespace {
const std::string kHazards = kFixtureDir + "/libfixture_lint_hazards.so";
const std::string kDocs = kFixtureDir + "/libfixture_lint_docs.so";

// (migration, step, rule, allowed) of every finding.
using Found = std::multiset<std::tuple<std::string, int, std::string, bool>>;

json lintJson(const CliFixture& f, const std::string& module, const std::string& source,
              std::vector<std::string> extra = {}, int expectedExit = -1) {
  std::vector<std::string> args{"migrate:lint", module, source, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = f.jsorm(args);
  INFO(describe(r));
  if (expectedExit >= 0) REQUIRE(r.exitCode == expectedExit);
  REQUIRE(r.err.empty());
  return json::parse(r.out);
}

Found found(const json& doc) {
  Found out;
  for (const auto& f : doc.at("findings")) {
    out.emplace(f.at("migration"), f.at("step"), f.at("rule"), f.at("allowed"));
  }
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("migrate:lint finds each hazard of the history, exactly, on PostgreSQL", "[lint]") {
  CliFixture f;
  const json doc = lintJson(f, kHazards, "hazardSource", {}, 13);
  CHECK(doc.at("database") == "postgres");
  CHECK(doc.at("migrationsChecked") == 4);
  CHECK(found(doc) == Found{
                          {"002-hazards", 1, "add-required-column-without-default", false},
                          {"002-hazards", 2, "add-column-volatile-default", false},
                          {"002-hazards", 3, "create-index-non-concurrently", false},
                          {"002-hazards", 4, "change-column-type", false},
                          {"002-hazards", 4, "set-not-null-without-check", false},
                          {"003-destructive", 1, "rename-column", false},
                          {"003-destructive", 2, "drop-column", false},
                          {"003-destructive", 3, "drop-table", true},
                          {"004-raw", 1, "raw-sql-not-analysed", false},
                      });
  CHECK(doc.at("counts") == json{{"errors", 6}, {"warnings", 2}, {"allowed", 1}});
  // Every finding carries what the page promises.
  for (const auto& finding : doc.at("findings")) {
    for (const char* key : {"rule", "level", "migration", "step", "stepDescription", "message", "fix", "allowed"}) {
      CHECK(finding.contains(key));
    }
    CHECK_FALSE(finding.at("fix").get<std::string>().empty());
    CHECK(finding.contains("reason") == finding.at("allowed").get<bool>());
  }
}

TEST_CASE("migrate:lint text: one line per finding, its fix, allowed ones with their reason, a summary", "[lint]") {
  CliFixture f;
  const auto r = f.jsorm({"migrate:lint", kHazards, "hazardSource"});
  INFO(describe(r));
  CHECK(r.exitCode == 13);
  CHECK(contains(r.out, "error   create-index-non-concurrently  002-hazards \u203a step 3 (createIndex(\"users\", "
                        "{\"age\"})): building index users_age_index on users blocks every write to users until it "
                        "finishes\n        fix: build it with {.concurrently = true}"));
  CHECK(contains(r.out, "allowed drop-table  003-destructive \u203a step 3 (dropTable(\"sessions\")): dropping table "
                        "sessions loses its rows, and code still running reads it\n        reason: sessions has been "
                        "unused since 2023\n"));
  // The rawSql's comment and string hide a DROP COLUMN, a DROP TABLE and a CREATE INDEX.
  CHECK_FALSE(contains(r.out, "drop-column  002-hazards"));
  CHECK(matches(r.out, "\n6 errors, 2 warnings \\(1 allowed\\) in 4 migrations checked for postgres\n$"));
  for (const auto& line : r.out.substr(0, r.out.rfind('\n', r.out.size() - 2)) | std::views::split('\n')) {
    const std::string text(line.begin(), line.end());
    CHECK((text.starts_with("error ") || text.starts_with("warning ") || text.starts_with("allowed ") ||
           text.starts_with("        fix: ") || text.starts_with("        reason: ")));
  }
}

TEST_CASE("migrate:lint --database switches the rules", "[lint]") {
  CliFixture f;
  CHECK(found(lintJson(f, kHazards, "hazardSource", {"--database", "mysql"}, 13)) ==
        Found{
            {"002-hazards", 1, "mysql-required-column-implicit-default", false},
            {"002-hazards", 4, "change-column-type", false},
            {"002-hazards", 4, "mysql-ddl-not-transactional", false},
            {"003-destructive", 1, "rename-column", false},
            {"003-destructive", 2, "drop-column", false},
            {"003-destructive", 3, "drop-table", true},
            {"004-raw", 1, "raw-sql-not-analysed", false},
        });
  CHECK(found(lintJson(f, kHazards, "hazardSource", {"--database", "sqlite"}, 13)) ==
        Found{
            {"002-hazards", 1, "add-required-column-without-default", false},
            {"002-hazards", 2, "sqlite-add-column-restricted", false},
            {"002-hazards", 4, "sqlite-alter-unsupported", false},
            {"002-hazards", 4, "sqlite-alter-unsupported", false},
            {"003-destructive", 1, "rename-column", false},
            {"003-destructive", 2, "drop-column", false},
            {"003-destructive", 3, "drop-table", true},
            {"004-raw", 1, "raw-sql-not-analysed", false},
        });
}

TEST_CASE("migrate:lint --since checks the migrations after NAME as one pending run", "[lint]") {
  CliFixture f;
  // 002 onwards: users came with 001, which the database holds: its table has rows.
  CHECK(lintJson(f, kHazards, "hazardSource", {"--since", "001-create-users"}, 13).at("migrationsChecked") == 3);
  CHECK(lintJson(f, kHazards, "hazardSource", {"--since", "004-raw"}, 0).at("findings").empty());
  // --all: every migration again.
  CHECK(lintJson(f, kHazards, "hazardSource", {"--since", "004-raw", "--all"}, 13).at("migrationsChecked") == 4);
  const auto r = f.jsorm({"migrate:lint", kHazards, "hazardSource", "--since", "999-nope"});
  CHECK_ONE_ERROR_LINE(r, 2);
  CHECK(contains(r.err, "'999-nope'"));
}

TEST_CASE("migrate:lint gives no false positive on safe histories and on the example", "[lint]") {
  CliFixture f;
  for (const char* db : {"postgres", "mysql", "sqlite"}) {
    INFO(db);
    CHECK(lintJson(f, kHazards, "safeSource", {"--database", db}, 0).at("findings").empty());
    CHECK(lintJson(f, kExampleModule, "ormSource", {"--database", db}, 0).at("findings").empty());
  }
  // The example's PostgreSQL history builds its GIN index on the existing users table
  // CONCURRENTLY, outside a transaction.
  CHECK(lintJson(f, kExampleModule, "postgresSource", {}, 0).at("findings").empty());
  const auto text = f.jsorm({"migrate:lint", kHazards, "safeSource"});
  REQUIRE_OK(text);
  CHECK(text.out == "0 errors, 0 warnings (0 allowed) in 5 migrations checked for postgres\n");
}

TEST_CASE("migrate:lint exits 0 when every finding is a warning, and reads the database from the adapter", "[lint]") {
  CliFixture f;
  const json doc = lintJson(f, kHazards, "warningSource", {}, 0);
  CHECK(doc.at("database") == "sqlite");
  CHECK(found(doc) == Found{{"001-rename", 1, "rename-column", false}});
  CHECK(doc.at("counts") == json{{"errors", 0}, {"warnings", 1}, {"allowed", 0}});
}

TEST_CASE("migrate:lint: bad input", "[lint]") {
  CliFixture f;
  const auto typo = f.jsorm({"migrate:lint", kHazards, "typoSource"});
  CHECK_ONE_ERROR_LINE(typo, 5);
  CHECK(contains(typo.err, "migration '001-typo' allows the lint rule 'drop-tabel', which does not exist (nearest: "
                           "'drop-table')"));
  CHECK(typo.out.empty());
  const auto database = f.jsorm({"migrate:lint", kHazards, "safeSource", "--database", "oracle"});
  CHECK_ONE_ERROR_LINE(database, 2);
  CHECK(contains(database.err, "--database must be postgres, mysql or sqlite; got 'oracle'"));
  CHECK_ONE_ERROR_LINE(f.jsorm({"migrate:lint", f.dir.file("missing.so"), "safeSource"}), 4);
  CHECK_ONE_ERROR_LINE(f.jsorm({"migrate:lint", kHazards, "noSuchSource"}), 4);
  CHECK_ONE_ERROR_LINE(f.jsorm({"migrate:lint", kHazards, "safeSource", "--database"}), 2);
}

TEST_CASE("docs/lint.md: every rule has a bad and a good example, the fixture's, and they lint as the page says", "[lint]") {
  const std::string fixture = slurp(JSORM_SOURCE_DIR "/tests/fixtures/lint_doc_examples.cpp");
  const std::string page = slurp(JSORM_SOURCE_DIR "/docs/lint.md");
  REQUIRE_FALSE(page.empty());
  // [RULE bad|good DATABASE] … [end]
  const std::regex block(R"(// \[([a-z-]+) (bad|good) ([a-z]+)\]\n([\s\S]*?)// \[end\]\n)");
  std::map<std::string, std::map<std::string, std::string>> examples;  // database -> migration -> rule
  std::set<std::string> rulesWithBad, rulesWithGood;
  for (std::sregex_iterator it(fixture.begin(), fixture.end(), block), end; it != end; ++it) {
    const std::string rule = (*it)[1], kind = (*it)[2], database = (*it)[3], code = (*it)[4];
    INFO(rule << " " << kind);
    CHECK(contains(page, "```cpp\n" + code + "```\n"));
    CHECK(contains(code, ".name = \"" + rule + "-" + kind + "\""));
    examples[database][rule + "-" + kind] = kind == "bad" ? rule : "";
    (kind == "bad" ? rulesWithBad : rulesWithGood).insert(rule);
  }
  CHECK(rulesWithBad.size() >= 15);
  CHECK(rulesWithBad == rulesWithGood);
  // Every rule the page lists in its table has examples, and the other way round.
  const std::regex row(R"(\n\| `([a-z-]+)` \|)");
  std::set<std::string> listed;
  for (std::sregex_iterator it(page.begin(), page.end(), row), end; it != end; ++it) listed.insert((*it)[1]);
  CHECK(listed == rulesWithBad);

  CliFixture f;
  for (const auto& [database, migrations] : examples) {
    std::map<std::string, std::vector<std::string>> got;
    const json doc = lintJson(f, kDocs, "docExamples", {"--database", database});
    for (const auto& finding : doc.at("findings")) {
      if (finding.at("allowed").get<bool>()) continue;
      got[finding.at("migration").get<std::string>()].push_back(finding.at("rule").get<std::string>());
    }
    for (const auto& [migration, rule] : migrations) {
      INFO(database << " " << migration);
      CHECK(got[migration] == (rule.empty() ? std::vector<std::string>{} : std::vector<std::string>{rule}));
    }
  }
}
