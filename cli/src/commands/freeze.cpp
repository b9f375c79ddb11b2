// migrate:freeze: an applied migration that builds tables from live models, printed as
// self-contained C++ with the tables as they were when it was applied, checked against the
// checksum the tracking table recorded.

#include "../config.hpp"
#include "../exit_codes.hpp"
#include "../run_session.hpp"
#include "../source_loader.hpp"

#include <jsorm/error.hpp>
#include <jsorm/freeze.hpp>
#include <jsorm/spelling.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace jsorm::cli {

namespace {
const Migration& findMigration(const OpenedSource& opened, const std::string& name) {
  std::vector<std::string> names;
  for (const auto& migration : opened.source().migrations) {
    if (migration.name == name) return migration;
    names.push_back(migration.name);
  }
  const auto nearest = nearestNames(name, names);
  std::vector<std::string> quoted;
  for (const auto& near : nearest) quoted.push_back("'" + near + "'");
  throw UsageError(fmt::format("'{}': source {} has no migration of that name{}", name, opened.symbol,
                               nearest.empty() ? "; migrate:status lists them"
                                               : fmt::format("; did you mean {}?", fmt::join(quoted, " or "))));
}

// The generate source's snapshot, when one can be found: [generateSources] of jsorm.toml,
// or a generate source of the same module named as a third argument.
std::optional<FreezeCandidate> snapshotCandidate(Invocation& invocation, const std::vector<std::string>& positional) {
  Invocation forSnapshot = invocation;
  forSnapshot.options.source.clear();
  forSnapshot.options.positional.clear();
  if (positional.size() == 3) {
    forSnapshot.options.positional = {positional[0], positional[2]};
  } else if (!positional.empty() || !findConfigFile(invocation.options.config)) {
    return std::nullopt;
  }
  try {
    auto opened = openGenerateSource(forSnapshot);
    const auto path = (opened.base / opened.loaded.value.snapshotPath).lexically_normal();
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    return FreezeCandidate{"the snapshot " + path.string(), parseSnapshot(text.str(), path.string())};
  } catch (const ConfigError&) {
    // No generate source chosen in the config: the database is the only other witness.
    if (positional.size() == 3) throw;
    return std::nullopt;
  }
}
}  // namespace

int runFreeze(Invocation& invocation) {
  std::vector<std::string> positional = invocation.options.positional;
  if (positional.empty()) {
    throw UsageError("migrate:freeze needs the NAME of an applied migration: jsorm migrate:freeze NAME [MODULE SYMBOL "
                     "[GENERATE_SYMBOL]]");
  }
  const std::string name = positional.front();
  positional.erase(positional.begin());
  if (!positional.empty() && positional.size() != 2 && positional.size() != 3) {
    throw UsageError(fmt::format("expected NAME [MODULE SYMBOL [GENERATE_SYMBOL]]; got {} arguments after NAME",
                                 positional.size()));
  }
  invocation.options.positional.assign(positional.begin(), positional.begin() + std::min<std::size_t>(positional.size(), 2));
  const OpenedSource opened = openMigrationSource(invocation);
  const Migration& migration = findMigration(opened, name);
  auto connection = openConnection(invocation, opened.source());
  Runner runner(*connection, opened.source(), RunOptions{}, opened.loaded.validated);

  // Its row, and the migrations applied after it (which may have altered its tables since).
  std::optional<MigrationStatus> status;
  std::vector<Migration> later;
  const auto& migrations = opened.source().migrations;
  for (auto& s : runner.status()) {
    if (s.name == name) {
      status = std::move(s);
      continue;
    }
    const bool applied = s.state == MigrationState::Applied || s.state == MigrationState::Changed;
    const auto found = std::find_if(migrations.begin(), migrations.end(), [&](const Migration& m) { return m.name == s.name; });
    if (status && applied && found != migrations.end()) later.push_back(*found);
  }
  const std::string table = opened.source().migrationTable;
  if (!status || !status->applied) {
    throw MigrationError(name, fmt::format("migration '{}' is not applied to this database ({}): nothing was recorded "
                                           "to freeze it to; it runs as the source has it now (freeze an applied "
                                           "one, or point --url at a database where it ran)",
                                           name, status ? migrationStateName(status->state) : "unknown"));
  }
  const std::string& applied = status->applied->checksum;
  if (applied.empty()) {
    throw MigrationError(name, fmt::format("{} recorded no checksum for '{}' (a tracking table from before "
                                           "checksums): there is nothing to verify a frozen migration against",
                                           table, name));
  }

  std::vector<FreezeCandidate> candidates;
  if (auto snapshot = snapshotCandidate(invocation, positional)) candidates.push_back(std::move(*snapshot));
  try {
    candidates.push_back({"the database", connection->introspect()});
  } catch (const Error& e) {
    invocation.out.warning(fmt::format("cannot read the database's schema ({}); using the snapshot only", e.what()));
  }

  const FrozenMigration frozen = freezeMigration(migration, candidates, applied, later);
  if (frozen.liveTables.empty()) {
    invocation.out.warning(fmt::format("migration '{}' builds no table from a live model: it is already frozen; "
                                       "printed as it is",
                                       name));
  }
  std::string header = fmt::format("// Frozen by jsorm migrate:freeze {}: paste this in place of the migration's "
                                   "definition (keep its variable name).\n",
                                   name);
  for (std::size_t i = 0; i < frozen.changedTables.size(); ++i) {
    header += fmt::format("// Table '{}' as it was applied, from {}.\n", frozen.changedTables[i], frozen.origins[i]);
  }
  header += frozen.matches ? fmt::format("// Verified: its checksum is the one {} recorded ({}).\n", table, applied)
                           : fmt::format("// NOT VERIFIED: its checksum {} is not the one {} recorded ({}).\n",
                                         frozen.checksum, table, applied);
  invocation.out.result(header + frozen.code);
  for (const auto& note : frozen.notes) invocation.out.warning(note);
  if (!frozen.matches) {
    invocation.out.error(fmt::format(
        "the frozen migration's checksum is not the one {} recorded for '{}': no definition of its live-model "
        "tables ({}) in {} reproduces what was applied; edit the printed tables to match what ran, check with "
        "migrate:status after rebuilding, and do not run migrate:repair on a guess",
        table, name, fmt::join(frozen.liveTables, ", "),
        candidates.empty() ? std::string("the live models")
                           : fmt::format("{} or the live models", [&] {
                               std::vector<std::string> origins;
                               for (const auto& c : candidates) origins.push_back(c.origin);
                               return fmt::format("{}", fmt::join(origins, ", "));
                             }())));
    return kFreezeUnverified;
  }
  invocation.out.warning(fmt::format(
      "froze '{}'{}; after pasting it, rebuild the module, then run jsorm migrate:generate for the model change",
      name,
      frozen.changedTables.empty() ? std::string(" (its live models have not changed since it was applied)")
                                   : fmt::format(" (changed since it was applied: {})", fmt::join(frozen.changedTables, ", "))));
  return kOk;
}

extern const Command freezeCommand;
const Command freezeCommand{
    "migrate:freeze", "Print an applied migration with its models as they were",
    "jsorm migrate:freeze NAME [MODULE SYMBOL [GENERATE_SYMBOL]] [options]",
    "Prints migration NAME as self-contained C++ (each createTable(Model) written out field by field)\n"
    "with its tables as they were when it was applied: from the generate source's snapshot when it\n"
    "holds them, else from the database's schema, chosen so that the migration's checksum is the one\n"
    "the tracking table recorded. Paste it in place of the migration, rebuild, and run\n"
    "migrate:generate for the model change (docs/writing-migrations.md). Prints the code on stdout and\n"
    "notes on stderr; exits 16 when no definition reproduces the recorded checksum. Never changes the\n"
    "database. With MODULE SYMBOL, GENERATE_SYMBOL names the module's generate source for the snapshot.",
    kSourceOptions | kConnectionOptions | kReadsOnly, &runFreeze};

}  // namespace jsorm::cli
