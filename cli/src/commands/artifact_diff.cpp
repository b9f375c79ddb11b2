// artifact:diff: what a new build of a schema module does to the migration history of the
// build already deployed, decided from the two files alone (no database), for a CI gate.

#include "../cli.hpp"
#include "../exit_codes.hpp"
#include "../history_diff.hpp"

#include <jsorm/error.hpp>
#include <jsorm/schema_module.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

namespace jsorm::cli {

namespace {

bool exportsMigrationSource(const SchemaModule& module, const std::string& name) {
  const auto& all = module.exports();
  return std::any_of(all.begin(), all.end(),
                     [&](const ExportedSource& e) { return e.name == name && e.kind == SourceKind::Migration; });
}

bool exportsAnything(const SchemaModule& module, const std::string& name) {
  const auto& all = module.exports();
  return std::any_of(all.begin(), all.end(), [&](const ExportedSource& e) { return e.name == name; });
}

std::string migrationSourceNames(const SchemaModule& module) {
  std::vector<std::string> names;
  for (const auto& e : module.exports()) {
    if (e.kind == SourceKind::Migration) names.push_back(e.name);
  }
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

// The sources to compare: SYMBOL, or every migration source of either build (old order,
// then the new build's own). A source only one build has is compared against nothing.
std::vector<std::string> sourcesToCompare(const SchemaModule& before, const SchemaModule& after,
                                          const std::optional<std::string>& symbol) {
  if (symbol) {
    if (!exportsAnything(before, *symbol) && !exportsAnything(after, *symbol)) {
      throw ModuleError(fmt::format("neither {} nor {} exports a source named '{}'; their migration sources: {}; {}",
                                    before.path().string(), after.path().string(), *symbol,
                                    migrationSourceNames(before), migrationSourceNames(after)));
    }
    return {*symbol};
  }
  std::vector<std::string> names;
  for (const SchemaModule* module : {&before, &after}) {
    for (const auto& e : module->exports()) {
      if (e.kind == SourceKind::Migration && std::find(names.begin(), names.end(), e.name) == names.end()) {
        names.push_back(e.name);
      }
    }
  }
  if (names.empty()) {
    throw ModuleError(fmt::format("neither {} nor {} exports a migration source; there is no history to compare",
                                  before.path().string(), after.path().string()));
  }
  return names;
}

struct SourceHistory {
  std::vector<MigrationSummary> migrations;
  std::string migrationTable;
};

// The source's history in `module`, or nothing when the module does not export it. A
// symbol that is there but not a migration source (a generate source) is the library's
// error: migrationSource() names both kinds.
std::optional<SourceHistory> historyIn(const SchemaModule& module, const std::string& symbol) {
  if (!exportsAnything(module, symbol)) return std::nullopt;
  const auto loaded = module.migrationSource(symbol);
  return SourceHistory{summarize(loaded.value, loaded.validated), loaded.value.migrationTable};
}

struct SourceDiff {
  std::string name;
  std::string presentIn;  // "both", "old" or "new"
  HistoryDiff diff;
};

SourceDiff compare(const SchemaModule& before, const SchemaModule& after, const std::string& symbol) {
  const auto old = historyIn(before, symbol);
  const auto now = historyIn(after, symbol);
  SourceDiff out{symbol, old && now ? "both" : old ? "old" : "new", {}};
  out.diff = diffHistories(old ? old->migrations : std::vector<MigrationSummary>{},
                           now ? now->migrations : std::vector<MigrationSummary>{});
  // A source one build lacks has no tracking table to compare; use the other's.
  out.diff.oldMigrationTable = old ? old->migrationTable : now->migrationTable;
  out.diff.newMigrationTable = now ? now->migrationTable : old->migrationTable;
  return out;
}

std::string migrations(std::size_t count) {
  return fmt::format("{} migration{}", count, count == 1 ? "" : "s");
}

void printText(Output& out, const std::vector<SourceDiff>& diffs) {
  std::vector<std::string> edited;
  std::size_t appended = 0;
  for (const auto& source : diffs) {
    if (source.presentIn == "old") {
      out.result(fmt::format("{}: only in the old build; the new one drops its {}", source.name,
                             migrations(source.diff.removed.size())));
    } else if (source.presentIn == "new") {
      out.result(fmt::format("{}: only in the new build (a new history of {})", source.name,
                             migrations(source.diff.appended.size())));
    } else if (source.diff.empty()) {
      out.result(fmt::format("{}: no changes", source.name));
    }
    for (const auto& finding : findings(source.diff)) out.result(fmt::format("{}: {}", source.name, finding));
    if (source.diff.editsHistory()) edited.push_back(source.name);
    appended += source.diff.appended.size();
  }
  if (!edited.empty()) {
    out.result(fmt::format("edited history in {}: a database the old build migrated does not match the new one "
                           "(exit 15)",
                           fmt::join(edited, ", ")));
  } else if (appended > 0) {
    out.result(fmt::format("history kept: {} appended", migrations(appended)));
  } else {
    out.result("no changes");
  }
}

int runArtifactDiff(Invocation& invocation) {
  const auto& args = invocation.options.positional;
  if (args.size() < 2 || args.size() > 3) {
    throw UsageError("expected OLD_MODULE NEW_MODULE [SYMBOL], e.g. jsorm artifact:diff deployed/libschema.so "
                     "build/libschema.so");
  }
  const auto before = SchemaModule::load(args[0]);
  const auto after = SchemaModule::load(args[1]);
  const std::optional<std::string> symbol = args.size() == 3 ? std::optional(args[2]) : std::nullopt;

  std::vector<SourceDiff> diffs;
  for (const auto& name : sourcesToCompare(before, after, symbol)) diffs.push_back(compare(before, after, name));
  const bool edited = std::any_of(diffs.begin(), diffs.end(), [](const SourceDiff& d) { return d.diff.editsHistory(); });

  if (invocation.options.json) {
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& source : diffs) {
      nlohmann::json entry{{"name", source.name}, {"presentIn", source.presentIn}};
      entry.update(toJson(source.diff));
      sources.push_back(std::move(entry));
    }
    invocation.out.result(
        nlohmann::json{{"old", args[0]}, {"new", args[1]}, {"sources", sources}, {"editedHistory", edited}}.dump(2));
  } else {
    printText(invocation.out, diffs);
  }
  return edited ? kHistoryEdited : kOk;
}

}  // namespace

extern const Command artifactDiffCommand;
const Command artifactDiffCommand{
    "artifact:diff", "Compare the migration histories of two builds of a schema module",
    "jsorm artifact:diff OLD_MODULE NEW_MODULE [SYMBOL] [options]",
    "Compares SYMBOL (default: every migration source either build exports) without a database.\n"
    "Migrations appended after the old history are fine (exit 0). A migration removed, changed,\n"
    "renamed, moved or inserted before old ones, or another tracking table, edits the history a\n"
    "deployed database already ran: each is listed and the exit code is 15.",
    kJsonOption, &runArtifactDiff};

}  // namespace jsorm::cli
