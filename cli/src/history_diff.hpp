#pragma once
// What a new build of a migration source did to the history an old build had: appended
// migrations are fine; anything else rewrites what a deployed database already ran.

#include "history.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace jsorm::cli {

struct ChangedMigration {
  std::string name;
  std::vector<std::string> changes;  ///< "step 2 altered: a -> b", "transactional: true -> false", ...
};

struct RenamedMigration {
  std::string from;
  std::string to;
};

struct MovedMigration {
  std::string name;
  std::size_t oldPosition;  ///< 1-based, as the text output shows it
  std::size_t newPosition;
};

struct PlacedMigration {
  std::string name;
  std::size_t position;  ///< 1-based: in the old build for a removed one, in the new for an added one
};

struct HistoryDiff {
  std::vector<PlacedMigration> appended;  ///< after everything the old build had: fine
  std::vector<PlacedMigration> inserted;  ///< new, but before a migration the old build had
  std::vector<PlacedMigration> removed;
  std::vector<ChangedMigration> changed;  ///< same name, another checksum
  std::vector<MovedMigration> moved;
  std::vector<RenamedMigration> renamed;  ///< same checksum, another name
  std::string oldMigrationTable;
  std::string newMigrationTable;

  /// True when a database migrated by the old build is not a prefix of the new history.
  bool editsHistory() const;
  bool empty() const;
};

/// Compares two histories, each in source order.
HistoryDiff diffHistories(const std::vector<MigrationSummary>& before, const std::vector<MigrationSummary>& after);

/// One human-readable line per finding, without the source's name.
std::vector<std::string> findings(const HistoryDiff& diff);

/// {"appended", "inserted", "removed", "moved": [names], "changed": [{"name", "changes"}],
///  "renamed": [{"from", "to"}], "migrationTable": {"old", "new"}, "editedHistory"}
nlohmann::json toJson(const HistoryDiff& diff);

}  // namespace jsorm::cli
