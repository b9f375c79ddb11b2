// artifact:diff on real release builds: tests/fixtures/history_module.cpp compiled once per
// variant (libfixture_history_<variant>.so), each compared with the v1 build.

#include "cli_fixture.hpp"

#include <nlohmann/json.hpp>

using namespace jsorm::cli_test;
using nlohmann::json;

namespace {

std::string build(const std::string& variant) { return kFixtureDir + "/libfixture_history_" + variant + ".so"; }

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1) {
    out.push_back(text.substr(start, end - start));
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

bool hasLine(const ProcessResult& r, const std::string& line) {
  const auto all = lines(r.out);
  return std::find(all.begin(), all.end(), line) != all.end();
}

ProcessResult diff(const std::string& before, const std::string& after, std::vector<std::string> extra = {}) {
  CliFixture f;
  std::vector<std::string> args{"artifact:diff", before, after};
  args.insert(args.end(), extra.begin(), extra.end());
  return f.jsorm(args);
}

// `artifact:diff v1 <variant> --json`, checked to exit `code` with nothing on stderr.
json diffJson(const std::string& variant, int code, const std::string& from = "v1") {
  const auto r = diff(build(from), build(variant), {"--json"});
  INFO(describe(r));
  REQUIRE(r.exitCode == code);
  CHECK(r.err.empty());
  json doc;
  REQUIRE_NOTHROW(doc = json::parse(r.out));
  CHECK(doc.at("old") == build(from));
  CHECK(doc.at("new") == build(variant));
  CHECK(doc.at("editedHistory") == (code == 15));
  return doc;
}

const json& source(const json& doc, const std::string& name) {
  for (const auto& s : doc.at("sources")) {
    if (s.at("name") == name) return s;
  }
  FAIL("no source " << name << " in " << doc.dump(2));
  throw std::logic_error("unreachable");
}

// A source entry with every list empty but the ones given.
json expected(const std::string& name, json overrides, const std::string& presentIn = "both") {
  json out{{"name", name},
           {"presentIn", presentIn},
           {"appended", json::array()},
           {"inserted", json::array()},
           {"removed", json::array()},
           {"changed", json::array()},
           {"moved", json::array()},
           {"renamed", json::array()},
           {"migrationTable", {{"old", "jsorm_migrations"}, {"new", "jsorm_migrations"}}},
           {"editedHistory", false}};
  out.update(overrides);
  return out;
}

const json kAuditUnchanged =
    expected("auditSource", {{"migrationTable", {{"old", "audit_migrations"}, {"new", "audit_migrations"}}}});

}  // namespace

TEST_CASE("artifact:diff of a build that only appends exits 0 and lists what it appends") {
  const auto r = diff(build("v1"), build("v2_append"));
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.empty());
  CHECK(hasLine(r, "historySource: appended 'add-last-login' (migration 4)"));
  CHECK(hasLine(r, "auditSource: no changes"));
  CHECK(hasLine(r, "billingSource: only in the new build (a new history of 1 migration)"));
  CHECK(hasLine(r, "billingSource: appended 'create-invoices' (migration 1)"));
  CHECK(lines(r.out).back() == "history kept: 2 migrations appended");
}

TEST_CASE("artifact:diff --json of an appending build lists the appended migrations and a new source") {
  const json doc = diffJson("v2_append", 0);
  REQUIRE(doc.at("sources").size() == 3);
  CHECK(source(doc, "historySource") == expected("historySource", {{"appended", {"add-last-login"}}}));
  CHECK(source(doc, "auditSource") == kAuditUnchanged);
  CHECK(source(doc, "billingSource") == expected("billingSource", {{"appended", {"create-invoices"}}}, "new"));
}

TEST_CASE("artifact:diff of an edited migration exits 15 naming each step that changed") {
  const auto r = diff(build("v1"), build("v2_edit"));
  INFO(describe(r));
  REQUIRE(r.exitCode == 15);
  CHECK(r.err.empty());
  CHECK(hasLine(r, R"(historySource: changed 'add-nickname': step 2 altered: createIndex("users", {"nickname"}) -> )"
                   R"(createIndex("users", {"nickname", "email"}))"));
  CHECK(hasLine(r, R"(historySource: changed 'add-nickname': step 3 added: addColumn("users", "bio"))"));
  // A column's length is not in the step's description, but the step's checksum sees it.
  CHECK(hasLine(r, R"(historySource: changed 'create-users': step 1 altered: createTable("users") (same description, )"
                   R"(another definition))"));
  CHECK_FALSE(contains(r.out, "changed 'seed-admin'"));
  CHECK(hasLine(r, "auditSource: no changes"));
  CHECK(lines(r.out).back() ==
        "edited history in historySource: a database the old build migrated does not match the new one (exit 15)");
}

TEST_CASE("artifact:diff --json of an edited migration gives each change by step") {
  const json doc = diffJson("v2_edit", 15);
  const json changed = json::parse(R"json([
    {"name": "create-users", "changes": [
      "step 1 altered: createTable(\"users\") (same description, another definition)"]},
    {"name": "add-nickname", "changes": [
      "step 2 altered: createIndex(\"users\", {\"nickname\"}) -> createIndex(\"users\", {\"nickname\", \"email\"})",
      "step 3 added: addColumn(\"users\", \"bio\")"]}])json");
  CHECK(source(doc, "historySource") == expected("historySource", {{"changed", changed}, {"editedHistory", true}}));
  CHECK(source(doc, "auditSource") == kAuditUnchanged);
}

TEST_CASE("artifact:diff of a build without a migration the old one had exits 15 naming it") {
  const auto r = diff(build("v1"), build("v2_remove"));
  INFO(describe(r));
  REQUIRE(r.exitCode == 15);
  CHECK(hasLine(r, "historySource: removed 'add-nickname' (was migration 2)"));
  // seed-admin moved up one place but kept its order relative to the others: not "moved".
  CHECK_FALSE(contains(r.out, "historySource: moved"));

  const json doc = diffJson("v2_remove", 15);
  CHECK(source(doc, "historySource") ==
        expected("historySource", {{"removed", {"add-nickname"}}, {"editedHistory", true}}));
}

TEST_CASE("artifact:diff of a build that reorders migrations exits 15 naming the one moved") {
  const auto r = diff(build("v1"), build("v2_reorder"));
  INFO(describe(r));
  REQUIRE(r.exitCode == 15);
  CHECK(hasLine(r, "historySource: moved 'add-nickname' (migration 2 -> 3)"));
  CHECK_FALSE(contains(r.out, "removed"));
  CHECK_FALSE(contains(r.out, "changed"));

  const json doc = diffJson("v2_reorder", 15);
  CHECK(source(doc, "historySource") == expected("historySource", {{"moved", {"add-nickname"}}, {"editedHistory", true}}));
}

TEST_CASE("artifact:diff of a renamed migration (same steps, same place) exits 15 as a rename") {
  const auto r = diff(build("v1"), build("v2_rename"));
  INFO(describe(r));
  REQUIRE(r.exitCode == 15);
  CHECK(hasLine(r, "historySource: renamed 'add-nickname' -> 'add-user-nickname' (same steps)"));
  // Not reported as one removed and one added.
  CHECK_FALSE(contains(r.out, "removed"));
  CHECK_FALSE(contains(r.out, "appended"));

  const json doc = diffJson("v2_rename", 15);
  CHECK(source(doc, "historySource") ==
        expected("historySource",
                 {{"renamed", json::array({{{"from", "add-nickname"}, {"to", "add-user-nickname"}}})},
                  {"editedHistory", true}}));
}

TEST_CASE("artifact:diff names a migration new in the middle of the history as inserted, exit 15") {
  const auto r = diff(build("v1"), build("v2_insert"));
  INFO(describe(r));
  REQUIRE(r.exitCode == 15);
  CHECK(hasLine(r, "historySource: inserted 'index-email' as migration 2, before migrations the old build had"));
  CHECK_FALSE(contains(r.out, "historySource: moved"));

  const json doc = diffJson("v2_insert", 15);
  CHECK(source(doc, "historySource") ==
        expected("historySource", {{"inserted", {"index-email"}}, {"editedHistory", true}}));
}

TEST_CASE("artifact:diff flags a changed transactional or reversible flag and another tracking table") {
  const auto r = diff(build("v1"), build("v2_flags"));
  INFO(describe(r));
  REQUIRE(r.exitCode == 15);
  CHECK(hasLine(r, "historySource: changed 'seed-admin': transactional: true -> false"));
  CHECK(hasLine(r, "historySource: changed 'seed-admin': reversible: true -> false"));
  CHECK(hasLine(r, "historySource: tracking table changed: jsorm_migrations -> schema_history (the new build would "
                   "not see what the old one applied)"));

  const json doc = diffJson("v2_flags", 15);
  const json& history = source(doc, "historySource");
  CHECK(history.at("migrationTable") == json({{"old", "jsorm_migrations"}, {"new", "schema_history"}}));
  REQUIRE(history.at("changed").size() == 1);
  CHECK(history.at("changed")[0].at("name") == "seed-admin");
  const auto& changes = history.at("changed")[0].at("changes");
  CHECK(std::find(changes.begin(), changes.end(), "transactional: true -> false") != changes.end());
  CHECK(std::find(changes.begin(), changes.end(), "reversible: true -> false") != changes.end());
  CHECK(history.at("editedHistory") == true);
}

TEST_CASE("artifact:diff of a build that drops a source exits 15: its history is gone") {
  const auto r = diff(build("v2_append"), build("v1"));
  INFO(describe(r));
  REQUIRE(r.exitCode == 15);
  CHECK(hasLine(r, "billingSource: only in the old build; the new one drops its 1 migration"));
  CHECK(hasLine(r, "billingSource: removed 'create-invoices' (was migration 1)"));
  CHECK(hasLine(r, "historySource: removed 'add-last-login' (was migration 4)"));

  const json doc = diffJson("v1", 15, "v2_append");
  CHECK(source(doc, "billingSource") ==
        expected("billingSource", {{"removed", {"create-invoices"}}, {"editedHistory", true}}, "old"));
}

TEST_CASE("artifact:diff of identical builds exits 0 with no changes") {
  // A copy: another file, loaded as another library, with the same history.
  CliFixture f;
  const std::string copy = f.dir.file("libcopy.so");
  std::filesystem::copy_file(build("v1"), copy);
  const auto r = f.jsorm({"artifact:diff", build("v1"), copy});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(r.err.empty());
  CHECK(lines(r.out) == std::vector<std::string>{"historySource: no changes", "auditSource: no changes", "no changes"});

  const json doc = diffJson("v1", 0);
  REQUIRE(doc.at("sources").size() == 2);
  CHECK(source(doc, "historySource") == expected("historySource", json::object()));
  CHECK(source(doc, "auditSource") == kAuditUnchanged);
}

TEST_CASE("artifact:diff with a SYMBOL compares only that source") {
  const auto r = diff(build("v1"), build("v2_edit"), {"auditSource"});
  INFO(describe(r));
  REQUIRE(r.exitCode == 0);
  CHECK(lines(r.out) == std::vector<std::string>{"auditSource: no changes", "no changes"});

  const auto edited = diff(build("v1"), build("v2_edit"), {"historySource", "--json"});
  INFO(describe(edited));
  REQUIRE(edited.exitCode == 15);
  const json doc = json::parse(edited.out);
  REQUIRE(doc.at("sources").size() == 1);
  CHECK(doc.at("sources")[0].at("name") == "historySource");
}

TEST_CASE("artifact:diff of a missing module exits 4 with one error line", "[bad-input]") {
  CliFixture f;
  const auto r = diff(build("v1"), f.dir.file("no-such.so"));
  CHECK_ONE_ERROR_LINE(r, 4);
  CHECK(contains(r.err, "no-such.so"));
  CHECK(r.out.empty());
}

TEST_CASE("artifact:diff of a file that is not ELF exits 4 with one error line", "[bad-input]") {
  CliFixture f;
  const std::string text = f.dir.file("libschema.so");
  writeFile(text, "this is not a shared object\n");
  const auto r = diff(text, build("v1"));
  CHECK_ONE_ERROR_LINE(r, 4);
  CHECK(contains(r.err, text));
  CHECK(r.out.empty());
}

TEST_CASE("artifact:diff of a module built for another ABI exits 4 naming both ABIs", "[bad-input]") {
  const auto r = diff(build("v1"), kFixtureDir + "/libfixture_abi_mismatch.so");
  CHECK_ONE_ERROR_LINE(r, 4);
  CHECK(contains(r.err, "ABI 999"));
  CHECK(contains(r.err, "ABI 5"));
  CHECK(contains(r.err, "rebuild"));
  CHECK(r.out.empty());
}

TEST_CASE("artifact:diff of a SYMBOL neither build exports exits 4 listing their sources", "[bad-input]") {
  const auto r = diff(build("v1"), build("v2_append"), {"nosuchSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  CHECK(contains(r.err, "neither"));
  CHECK(contains(r.err, "'nosuchSource'"));
  CHECK(contains(r.err, "historySource, auditSource; historySource, auditSource, billingSource"));
  CHECK(r.out.empty());
}

TEST_CASE("artifact:diff of a generate source given as SYMBOL exits 4", "[bad-input]") {
  const auto r = diff(build("v1"), build("v2_append"), {"modelsSource"});
  CHECK_ONE_ERROR_LINE(r, 4);
  CHECK(contains(r.err, "'modelsSource'"));
  CHECK(contains(r.err, "is a generate source, not a migration source"));
  CHECK(r.out.empty());
}

TEST_CASE("artifact:diff without two modules exits 2", "[bad-input]") {
  const auto one = [] {
    CliFixture f;
    return f.jsorm({"artifact:diff", build("v1")});
  }();
  CHECK_ONE_ERROR_LINE(one, 2);
  CHECK(contains(one.err, "expected OLD_MODULE NEW_MODULE [SYMBOL]"));
  const auto four = diff(build("v1"), build("v1"), {"historySource", "extra"});
  CHECK_ONE_ERROR_LINE(four, 2);
}

TEST_CASE("jsorm --help lists exit code 15 for artifact:diff") {
  CliFixture f;
  const auto r = f.jsorm({"--help"});
  REQUIRE(r.exitCode == 0);
  CHECK(contains(r.out, "15 artifact:diff found an edited history"));
  CHECK(matches(r.out, R"(\n  artifact:diff +Compare the migration histories of two builds)"));
}
