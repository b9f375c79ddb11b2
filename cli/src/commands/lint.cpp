// migrate:lint: the hazards of a source's migrations for one database, without connecting.

#include "../cli.hpp"
#include "../exit_codes.hpp"
#include "../source_loader.hpp"

#include <jsorm/lint.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace jsorm::cli {

namespace {
DatabaseKind databaseFor(const Invocation& invocation, const MigrationSource& source) {
  const std::string& asked = invocation.options.lintDatabase;
  if (!asked.empty()) {
    if (auto kind = databaseKindFromName(asked)) return *kind;
    throw UsageError(fmt::format("--database must be postgres, mysql or sqlite; got '{}'", asked));
  }
  if (auto kind = databaseKindFromName(source.adapter.plugin)) return *kind;
  throw UsageError(fmt::format("the source's adapter '{}' is not a database migrate:lint knows; pass --database "
                               "postgres|mysql|sqlite to say which rules apply",
                               source.adapter.plugin));
}

// The migrations to check, and whether they run as one pending run (tables one of them
// creates are new to the ones after it) or each on its own.
struct Selection {
  std::vector<const Migration*> migrations;
  bool oneRun = false;
};

Selection select(const Invocation& invocation, const MigrationSource& source) {
  Selection selection;
  const std::string& since = invocation.options.lintSince;
  std::size_t first = 0;
  if (!since.empty()) {
    const auto& all = source.migrations;
    std::size_t at = all.size();
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i].name == since) at = i;
    }
    if (at == all.size()) {
      throw UsageError(fmt::format("--since names '{}', which is not a migration of this source; pass the name of "
                                   "the last migration the database holds (migrate:status lists them)",
                                   since));
    }
    if (!invocation.options.lintAll) {
      first = at + 1;
      selection.oneRun = true;
    }
  }
  for (std::size_t i = first; i < source.migrations.size(); ++i) selection.migrations.push_back(&source.migrations[i]);
  return selection;
}

nlohmann::json toJson(const LintFinding& f) {
  nlohmann::json entry{{"rule", f.rule},        {"level", lintLevelName(f.level)},
                       {"migration", f.migration}, {"step", f.step},
                       {"stepDescription", f.stepDescription}, {"message", f.message},
                       {"fix", f.fix},          {"allowed", f.allowed}};
  if (f.allowed) entry["reason"] = f.reason;
  return entry;
}

std::string plural(std::size_t n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); }

std::string text(const std::vector<LintFinding>& findings, const LintCounts& counts, std::size_t checked,
                 DatabaseKind database) {
  std::string out;
  for (const auto& f : findings) {
    out += fmt::format("{:<7} {}  {} \u203a step {} ({}): {}\n", f.allowed ? "allowed" : lintLevelName(f.level), f.rule,
                       f.migration, f.step, f.stepDescription, f.message);
    if (f.allowed) out += fmt::format("        reason: {}\n", f.reason);
    else out += fmt::format("        fix: {}\n", f.fix);
  }
  out += fmt::format("{}, {} ({} allowed) in {} checked for {}", plural(counts.errors, "error"),
                     plural(counts.warnings, "warning"), counts.allowed, plural(checked, "migration"),
                     databaseKindName(database));
  return out;
}
}  // namespace

int runLint(Invocation& invocation) {
  auto opened = openMigrationSource(invocation);
  const MigrationSource& source = opened.source();
  const DatabaseKind database = databaseFor(invocation, source);
  // Every allowance is checked, also those of migrations not linted now: a typo is a typo.
  for (const auto& migration : source.migrations) checkLintAllowances(migration);
  const Selection selection = select(invocation, source);

  Linter linter(database);
  std::vector<LintFinding> findings;
  for (const Migration* migration : selection.migrations) {
    if (!selection.oneRun) linter.startRun();
    auto found = linter.lint(*migration);
    findings.insert(findings.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  const LintCounts counts = countFindings(findings);

  if (invocation.options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : findings) list.push_back(toJson(f));
    nlohmann::json doc{{"database", databaseKindName(database)},
                       {"migrationsChecked", selection.migrations.size()},
                       {"findings", std::move(list)},
                       {"counts", {{"errors", counts.errors}, {"warnings", counts.warnings}, {"allowed", counts.allowed}}}};
    invocation.out.result(doc.dump(2));
  } else {
    invocation.out.result(text(findings, counts, selection.migrations.size(), database));
  }
  return counts.errors > 0 ? kLintErrors : kOk;
}

extern const Command lintCommand;
const Command lintCommand{
    "migrate:lint", "Find migrations that lock, rewrite or destroy live tables, and the safe way to write them",
    "jsorm migrate:lint [MODULE SYMBOL] [--since NAME] [--all] [--database postgres|mysql|sqlite] [--json]",
    "Checks migrations against the rules in docs/lint.md without connecting to a database: typed steps exactly,\n"
    "rawSql by tokenising its statements (a statement the rules do not know is reported as not analysed).\n"
    "Which migrations are pending is the database's to say, and lint does not connect: with --since NAME\n"
    "(the last migration the database holds) the migrations after NAME are checked as one pending run, so a\n"
    "table one of them creates is new to the others. Without --since, or with --all, every migration is\n"
    "checked as though all before it were applied on tables that hold rows. The rules are those of\n"
    "--database, else of the database the source's adapter names. A migration accepts a rule with\n"
    ".lintAllow = {{\"rule-id\", \"why\"}}: the finding is shown with the reason and not counted; an unknown\n"
    "rule id there is a schema error (exit 5). Exit 13 when a finding that is not allowed is an error,\n"
    "0 otherwise (warnings included).",
    kSourceOptions | kLintOptions | kJsonOption, &runLint};

}  // namespace jsorm::cli
