// migrate:generate: snapshot diff, classification, and the emitted C++ migration.

#include "../cli.hpp"
#include "../exit_codes.hpp"
#include "../source_loader.hpp"

#include <jsorm/error.hpp>
#include <jsorm/generator.hpp>
#include <jsorm/snapshot.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <fstream>
#include <optional>

namespace jsorm::cli {

namespace {
std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(fmt::format("cannot read snapshot {}", path.string()));
  // Read straight into the string: a snapshot of thousands of tables is megabytes, and a
  // stringstream would hold a second copy.
  std::string text;
  std::error_code ec;
  if (const auto size = std::filesystem::file_size(path, ec); !ec) text.reserve(size);
  char buffer[1 << 16];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) text.append(buffer, static_cast<std::size_t>(in.gcount()));
  return text;
}

void writeText(const std::filesystem::path& path, const std::string& text) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw ConfigError(fmt::format("cannot write {}: check the folder and its permissions", path.string()));
}

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

std::string utcStamp(const char* format) {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, format, &utc);
  return text;
}

nlohmann::json toJson(const SchemaDiff& diff) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : diff.changes) {
    changes.push_back({{"risk", riskName(c.risk)}, {"summary", c.summary}, {"manual", c.manual}});
  }
  return {{"changes", changes}, {"notes", diff.notes}};
}
}  // namespace

int runGenerate(Invocation& invocation) {
  auto opened = openGenerateSource(invocation);
  MigrationGenerateSource& source = opened.loaded.value;
  Output& out = invocation.out;
  const auto snapshotPath = (opened.base / source.snapshotPath).lexically_normal();

  std::error_code ec;
  // No snapshot yet means nothing exists yet: the first migration creates every table.
  std::optional<SchemaSnapshot> before = std::filesystem::exists(snapshotPath, ec)
                                             ? parseSnapshot(readText(snapshotPath), snapshotPath.string())
                                             : SchemaSnapshot{};
  const SchemaSnapshot after = snapshotOf(source.models);
  // Dropped once used, so that what comes next reuses their memory: with thousands of
  // models, the models and the snapshot read are megabytes each. The module stays loaded
  // (opened.loaded.library) while anything it made lives.
  source.models.clear();
  source.models.shrink_to_fit();
  const SchemaDiff diff = diffSchemas(*before, after);
  before.reset();

  nlohmann::json report = toJson(diff);
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
      out.line(fmt::format("  {} {}{}", painted, change.summary, change.manual ? " [write by hand: see TODO]" : ""));
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
  const std::string migrationName = utcStamp("%Y%m%dT%H%M%S") + "_" + name;
  const auto outDirectory = invocation.options.outDirectory.empty()
                                ? opened.base / "migrations"
                                : std::filesystem::path(invocation.options.outDirectory);
  std::string header = fmt::format(
      "Generated by jsorm migrate:generate on {} from the models, against {}.\n"
      "Review it before committing: each step says whether it is safe, review_required or dangerous.",
      utcStamp("%Y-%m-%d %H:%M:%S UTC"), snapshotPath.filename().string());
  const std::string text = migrationFileText(diff, migrationName, header);

  if (diff.has(Risk::Dangerous) && !invocation.options.allowDangerous) {
    // Written where the build does not pick it up, and the snapshot is left alone, so
    // nothing takes effect until someone has read it and asked for it.
    const auto review = (outDirectory / (migrationName + ".cpp.review")).lexically_normal();
    writeText(review, text);
    report["written"] = review.string();
    if (invocation.options.json) out.result(report.dump(2));
    out.error(fmt::format("refusing to write a migration that loses data: review {}, then run migrate:generate "
                          "--allow-dangerous",
                          review.string()));
    return kDangerousChange;
  }

  const auto file = (outDirectory / (migrationName + ".cpp")).lexically_normal();
  writeText(file, text);
  writeText(snapshotPath, toJson(after));
  report["written"] = file.string();
  if (invocation.options.json) {
    out.result(report.dump(2));
  } else {
    out.line(fmt::format("Wrote {} and updated {}.", file.string(), snapshotPath.string()));
    out.line("Rebuild the schema module: the migration then shows as pending in migrate:status.");
  }
  return kOk;
}

}  // namespace jsorm::cli
