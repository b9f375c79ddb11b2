// migrate:status: every migration and its state; exit code for deployment gates.

#include "../cli.hpp"
#include "../exit_codes.hpp"
#include "../fleet.hpp"
#include "../source_loader.hpp"

#include <jsorm/runner.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <map>
#include <string_view>
#include <vector>

namespace jsorm::cli {

namespace {
// A migration recorded by migrate:baseline (batch 0, never run) shows as "baseline".
std::string stateName(const MigrationStatus& s) {
  const bool baseline = s.state == MigrationState::Applied && s.applied && s.applied->batch == 0;
  return baseline ? "baseline" : migrationStateName(s.state);
}

nlohmann::json toJson(const std::vector<MigrationStatus>& statuses, const std::string& target,
                      const std::string& table) {
  nlohmann::json migrations = nlohmann::json::array();
  for (const auto& s : statuses) {
    nlohmann::json entry{{"name", s.name}, {"state", stateName(s)}};
    entry["batch"] = s.applied ? nlohmann::json(s.applied->batch) : nlohmann::json();
    entry["appliedAt"] = s.applied ? nlohmann::json(s.applied->appliedAt) : nlohmann::json();
    entry["checksum"] = s.applied && !s.applied->checksum.empty() ? nlohmann::json(s.applied->checksum) : nlohmann::json();
    if (s.state == MigrationState::Partial) {
      entry["stepsDone"] = s.stepsDone;
      entry["stepsTotal"] = s.stepsTotal;
    }
    migrations.push_back(std::move(entry));
  }
  return {{"database", target}, {"migrationTable", table}, {"migrations", std::move(migrations)}};
}
}  // namespace

int runStatus(Invocation& invocation) {
  if (isFleet(invocation)) return runStatusFleet(invocation);
  // Checksums only: remembered ones when this code validated the source before (no build).
  auto opened = openMigrationSource(invocation, SourceCheck::Checksums);
  auto connection = openConnection(invocation, opened.source());
  RunObserver quiet;
  Runner runner(*connection, opened.source(), runOptions(invocation, quiet), opened.loaded.validated);
  const auto statuses = runner.status();

  std::map<MigrationState, std::size_t> counts;
  for (const auto& s : statuses) ++counts[s.state];
  const bool current = counts[MigrationState::Pending] + counts[MigrationState::Missing] +
                           counts[MigrationState::Changed] + counts[MigrationState::Partial] == 0;

  if (invocation.options.json) {
    auto doc = toJson(statuses, connection->target(), opened.source().migrationTable);
    doc["upToDate"] = current;
    invocation.out.result(doc.dump(2));
    return current ? kOk : kStatusNotCurrent;
  }

  Output& out = invocation.out;
  std::vector<std::size_t> nameWidths;
  nameWidths.reserve(statuses.size());
  std::size_t width = 9;
  for (const auto& s : statuses) width = std::max(width, nameWidths.emplace_back(displayWidth(s.name)));
  // "partial (2 of 5 steps)": the state column grows to hold it.
  auto stateText = [](const MigrationStatus& s) {
    if (s.state != MigrationState::Partial) return stateName(s);
    return s.stepsTotal ? fmt::format("partial ({} of {} steps)", s.stepsDone, s.stepsTotal)
                        : fmt::format("partial ({} steps, no longer in the source)", s.stepsDone);
  };
  std::size_t stateWidth = 8;
  for (const auto& s : statuses) stateWidth = std::max(stateWidth, stateText(s).size());
  // Every row of one state shows the same padded, painted cell: made once per state, not
  // once per row (only a partial one says how far it got).
  auto paintedState = [&](const MigrationStatus& s) {
    const std::string state = fmt::format("{:<{}}", stateText(s), stateWidth);
    return s.state == MigrationState::Applied   ? out.green(state)
           : s.state == MigrationState::Pending ? out.yellow(state)
                                                : out.red(state);
  };
  std::map<std::string, std::string> cellOf;
  // One write for the whole table: a line-by-line flush costs a system call per migration.
  // Each row is formatted straight into one buffer; a string per cell cost 10,000-row
  // tables more than reading them.
  fmt::memory_buffer buffer;
  auto add = [&buffer](std::string_view text) { buffer.append(text.data(), text.data() + text.size()); };
  add(out.bold(fmt::format("{}  {:<{}}  {:>5}  {}", padRight("Migration", width), "State", stateWidth, "Batch",
                           "Applied at")));
  buffer.reserve(buffer.size() + statuses.size() * (width + stateWidth + 40));
  auto into = std::back_inserter(buffer);
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    const MigrationStatus& s = statuses[i];
    std::string partialCell;
    const std::string* cell = &partialCell;
    if (s.state == MigrationState::Partial) {
      partialCell = paintedState(s);
    } else {
      const std::string name = stateName(s);
      auto known = cellOf.find(name);
      if (known == cellOf.end()) known = cellOf.emplace(name, paintedState(s)).first;
      cell = &known->second;
    }
    buffer.push_back('\n');
    add(s.name);
    for (std::size_t pad = nameWidths[i]; pad < width; ++pad) buffer.push_back(' ');
    add("  ");
    add(*cell);
    if (s.applied) {
      fmt::format_to(into, "  {:>5}  {}", s.applied->batch, s.applied->appliedAt);
    } else {
      add("         ");
    }
  }
  const std::string table = fmt::to_string(buffer);
  out.result(table);
  out.result(fmt::format("{} migrations on {}: {} applied, {} pending, {} changed, {} missing{}.", statuses.size(),
                         connection->target(), counts[MigrationState::Applied], counts[MigrationState::Pending],
                         counts[MigrationState::Changed], counts[MigrationState::Missing],
                         counts[MigrationState::Partial]
                             ? fmt::format(", {} partial (migrate resumes, migrate:down undoes)",
                                           counts[MigrationState::Partial])
                             : ""));
  return current ? kOk : kStatusNotCurrent;
}

extern const Command statusCommand;
const Command statusCommand{
    "migrate:status", "List every migration with its state", "jsorm migrate:status [MODULE SYMBOL] [options]",
    "Lists each migration as applied (with batch and time), pending, changed (applied, but its steps\n"
    "differ now), missing (applied, but no longer in the source) or, on MySQL/MariaDB, partial\n"
    "(stopped halfway: k of n steps ran and are journaled). Exits 10 unless all are applied\n"
    "and unchanged, so a deployment can gate on it.\n"
    "--targets FILE or --all-sources checks many databases at once (docs/fleets.md).",
    kSourceOptions | kConnectionOptions | kJsonOption | kReadsOnly | kFleetOptions, &runStatus};

}  // namespace jsorm::cli
