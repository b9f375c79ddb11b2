// migrate:generate: snapshot diff, classification, and the emitted C++ migration.

#include "../cli.hpp"
#include "../exit_codes.hpp"
#include "../project_files.hpp"
#include "../run_session.hpp"
#include "../source_loader.hpp"

#include <jsorm/error.hpp>
#include <jsorm/generator.hpp>
#include <jsorm/schema_module.hpp>
#include <jsorm/schema_replay.hpp>
#include <jsorm/snapshot.hpp>
#include <jsorm/snapshot_file.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <sys/file.h>
#include <unistd.h>

namespace jsorm::cli {

namespace {
// A snapshot of 10,000 tables of 50 columns is about 40 MB; anything past this is not one
// (a symlink to /dev/zero, a log written to the wrong path) and is refused before memory
// runs out.
constexpr std::uintmax_t kMaxSnapshotBytes = 256u << 20;

// The snapshot, opened for parseSnapshot to read as it parses: its text is never in memory
// whole, beside the snapshot made of it (with thousands of tables each is megabytes).
std::ifstream openSnapshot(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw ConfigError(fmt::format("snapshot {} is not a regular file; point snapshotPath at a JSON file", path.string()));
  }
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxSnapshotBytes) {
    throw ConfigError(fmt::format("snapshot {} is larger than {} MiB, which no snapshot is; check snapshotPath",
                                  path.string(), kMaxSnapshotBytes >> 20));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("cannot read snapshot {}", path.string()));
  return in;
}

// Serialises generate runs on one snapshot: two runs at once would both diff against the
// same snapshot and both write the same change. Held from reading the snapshot until the
// new one is written; the kernel drops it if the process dies. The lock is taken on the
// snapshot's folder, which (unlike the snapshot, replaced by a rename) stays the same
// inode, and leaves no lock file in the project.
class SnapshotLock {
 public:
  explicit SnapshotLock(const std::filesystem::path& snapshot)
      : path_(snapshot.has_parent_path() ? snapshot.parent_path().string() : std::string(".")) {
    createParent(snapshot);
    fd_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ < 0) throw ConfigError(fmt::format("cannot open {}: {}", path_, std::strerror(errno)));
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(fd_);
        throw ConfigError(fmt::format("cannot lock {}: {}", path_, std::strerror(errno)));
      }
    }
  }
  ~SnapshotLock() { ::close(fd_); }
  SnapshotLock(const SnapshotLock&) = delete;
  SnapshotLock& operator=(const SnapshotLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

// "add column users.timezone (nullable)" -> "add_column_users_timezone"
std::string slug(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, text.find(" ("))) {
    const bool keep = std::isalnum(static_cast<unsigned char>(c));
    if (keep) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    else if (!out.empty() && out.back() != '_') out += '_';
    if (out.size() >= 48) break;
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "schema_update" : out;
}

nlohmann::json toJson(const SchemaDiff& diff) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : diff.changes) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : c.findings) {
      findings.push_back({{"rule", f.rule}, {"level", lintLevelName(f.level)}, {"message", f.message}, {"fix", f.fix}});
    }
    changes.push_back({{"risk", riskName(c.risk)}, {"summary", c.summary}, {"manual", c.manual}, {"findings", findings}});
  }
  return {{"changes", changes},
          {"notes", diff.notes},
          {"database", databaseKindName(diff.database)},
          {"transaction", diff.transaction}};
}

// The lint rules of which database classify the changes: --database, else PostgreSQL's,
// the strictest (a generate source names no adapter).
DatabaseKind classifyFor(const Options& options) {
  if (options.lintAll || !options.lintSince.empty()) {
    throw UsageError("--all and --since are migrate:lint options; migrate:generate classifies only the models' new "
                     "changes (--database picks the rules)");
  }
  if (options.lintDatabase.empty()) return DatabaseKind::Postgres;
  if (auto kind = databaseKindFromName(options.lintDatabase)) return *kind;
  throw UsageError(
      fmt::format("--database must be postgres, mysql or sqlite; got '{}'", options.lintDatabase));
}

// The schema the history source's migrations build, replayed from their steps (the engine
// db:check uses); each rawSql step the replay cannot follow is named, since what it did is
// missing from the base the models are compared with.
SchemaSnapshot replayedHistory(const OpenedGenerateSource& opened, Output& out, bool json, nlohmann::json& report) {
  const auto history = SchemaModule::load(opened.historyModule).migrationSource(opened.historySymbol);
  const ReplayedSchema replayed = replayMigrations(history.value.migrations);
  nlohmann::json unverifiable = nlohmann::json::array();
  for (const auto& step : replayed.unverifiable) unverifiable.push_back(step.describe());
  report["history"] = {{"source", opened.historyName},
                       {"migrations", history.value.migrations.size()},
                       {"unverifiable", unverifiable}};
  if (!json) {
    out.line(fmt::format("note: no snapshot yet: compared with the schema {}'s {} build (replayed from their steps)",
                         opened.historyName, plural(history.value.migrations.size(), "migration")));
    for (const auto& step : replayed.unverifiable) {
      out.line("note: not replayed, so missing from that schema: " + step.describe());
    }
    // A live model in the history already holds the model's change, so the change would
    // never be generated: such a migration must be frozen first.
    for (const auto& migration : history.value.migrations) {
      for (const auto& step : upSteps(migration)) {
        const auto* create = std::get_if<step::CreateTable>(&step.operation());
        if (!create || !create->fromModel) continue;
        out.line(fmt::format("note: migration '{}' creates '{}' from the live model; if that model changed since "
                             "the migration was applied, run jsorm migrate:freeze {} first and paste its output, or "
                             "the change is taken for history and never generated",
                             migration.name, create->table.name, migration.name));
      }
    }
  }
  return replayed.schema;
}

std::string ruleIds(const SchemaChange& change) {
  std::string ids;
  for (const auto& f : change.findings) ids += (ids.empty() ? " [" : ", ") + f.rule;
  return ids.empty() ? ids : ids + "]";
}
}  // namespace

int runGenerate(Invocation& invocation) {
  const DatabaseKind database = classifyFor(invocation.options);
  auto opened = openGenerateSource(invocation);
  MigrationGenerateSource& source = opened.loaded.value;
  Output& out = invocation.out;
  const auto snapshotPath = (opened.base / source.snapshotPath).lexically_normal();

  std::error_code ec;
  nlohmann::json report = nlohmann::json::object();
  const SnapshotLock lock(snapshotPath);
  // The models' snapshot first, and the models dropped, before the snapshot on disk is read:
  // with thousands of models each of the three is megabytes, and only two are alive at once.
  // The module stays loaded (opened.loaded.library) while anything it made lives.
  const SchemaSnapshot after = snapshotOf(source.models);
  source.models.clear();
  source.models.shrink_to_fit();
  // No snapshot yet: the history's replayed schema when there is one (hand-written
  // migrations came first), else nothing exists yet and the first migration creates every table.
  std::optional<SchemaSnapshot> before;
  if (std::filesystem::exists(snapshotPath, ec)) {
    std::ifstream in = openSnapshot(snapshotPath);
    before = parseSnapshot(in, snapshotPath.string());
  } else if (!opened.historySymbol.empty()) {
    before = replayedHistory(opened, out, invocation.options.json, report);
  } else {
    before = SchemaSnapshot{};
  }
  checkGeneratedSchema(*before, after);
  const SchemaDiff diff = diffSchemas(*before, after, database);
  before.reset();

  report.update(toJson(diff));
  report["snapshot"] = snapshotPath.string();
  if (!invocation.options.json) {
    for (const auto& note : diff.notes) out.line("note: " + note);
  }
  if (diff.empty()) {
    report["written"] = nullptr;
    if (invocation.options.json) out.result(report.dump(2));
    else out.line(fmt::format("No changes: the models match {}.", snapshotPath.string()));
    return kOk;
  }
  if (!invocation.options.json) {
    for (const auto& change : diff.changes) {
      const std::string risk = fmt::format("{:<16}", riskName(change.risk));
      const std::string painted = change.risk == Risk::Safe             ? out.green(risk)
                                  : change.risk == Risk::ReviewRequired ? out.yellow(risk)
                                                                        : out.red(risk);
      out.line(fmt::format("  {} {}{}{}", painted, change.summary, ruleIds(change),
                           change.manual ? " [write by hand: see TODO]" : ""));
    }
  }
  if (invocation.options.check) {
    report["written"] = nullptr;
    if (invocation.options.json) out.result(report.dump(2));
    out.error(fmt::format("the models differ from {} ({} change{}); run jsorm migrate:generate", snapshotPath.string(),
                          diff.changes.size(), diff.changes.size() == 1 ? "" : "s"));
    return kModelsChanged;
  }

  const std::string name = invocation.options.migrationName.empty()
                               ? (diff.changes.size() == 1 ? slug(diff.changes.front().summary) : "schema_update")
                               : slug(invocation.options.migrationName);
  const auto outDirectory = invocation.options.outDirectory.empty()
                                ? opened.base / "migrations"
                                : std::filesystem::path(invocation.options.outDirectory);
  const std::string header = fmt::format(
      "Generated by jsorm migrate:generate on {} from the models, against {}.\n"
      "Review it before committing: each step says whether it is safe, review_required or dangerous\n"
      "(the migrate:lint rules for {}, with each rule's safe recipe).",
      utcStamp("%Y-%m-%d %H:%M:%S UTC"), snapshotPath.filename().string(), databaseKindName(database));
  const bool dangerous = diff.has(Risk::Dangerous) && !invocation.options.allowDangerous;
  // The file's name is the migration's name; a second migration of the same second and
  // name gets a numbered name rather than replacing the first.
  const std::string stamped = utcStamp("%Y%m%dT%H%M%S") + "_" + name;
  std::string migrationName;
  std::filesystem::path file;
  for (int attempt = 1;; ++attempt) {
    migrationName = attempt == 1 ? stamped : fmt::format("{}_{}", stamped, attempt);
    file = (outDirectory / (migrationName + (dangerous ? ".cpp.review" : ".cpp"))).lexically_normal();
    if (createNewFile(file, migrationFileText(diff, migrationName, header))) break;
    if (attempt == 1000) throw ConfigError(fmt::format("cannot find a free file name for {} in {}", stamped, outDirectory.string()));
  }

  if (dangerous) {
    // Written where the build does not pick it up, and the snapshot is left alone, so
    // nothing takes effect until someone has read it and asked for it.
    const auto& review = file;
    report["written"] = review.string();
    if (invocation.options.json) out.result(report.dump(2));
    out.error(fmt::format("refusing to write a migration that loses data: review {}, then run migrate:generate "
                          "--allow-dangerous",
                          review.string()));
    return kDangerousChange;
  }

  replaceFile(snapshotPath, toJson(after));
  report["written"] = file.string();
  if (invocation.options.json) {
    out.result(report.dump(2));
  } else {
    out.line(fmt::format("Wrote {} and updated {}.", file.string(), snapshotPath.string()));
    out.line("Rebuild the schema module: the migration then shows as pending in migrate:status.");
  }
  return kOk;
}

extern const Command generateCommand;
const Command generateCommand{
    "migrate:generate", "Write a migration from the models' changes", "jsorm migrate:generate [MODULE SYMBOL] [options]",
    "Compares the generate source's models with its snapshot (snapshotPath), classifies each change\n"
    "safe, review_required or dangerous with the migrate:lint rules (--database, default postgres), writes a timestamped C++ migration into migrations/ and\n"
    "updates the snapshot. Build the module with jsorm_add_schema_module(... MIGRATIONS_DIR migrations)\n"
    "and list registeredMigrations() in the source: the next build then picks the file up.\n"
    "Dangerous changes (dropping tables or columns) are written to a .review file instead, with exit 12,\n"
    "unless --allow-dangerous is given. Without MODULE SYMBOL the source is [generateSources] in jsorm.toml.",
    kSourceOptions | kJsonOption | kGenerateOptions | kLintOptions, &runGenerate};

}  // namespace jsorm::cli
