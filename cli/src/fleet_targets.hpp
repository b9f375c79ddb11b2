#pragma once
// The targets of a fleet (docs/fleets.md): where they come from (a targets file, or every
// [migrationSources.*] of the config), their identity, and the --shard slice of them.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace jsorm::cli {

/// One database (or schema) a fleet runs a source against.
struct FleetTarget {
  /// The connection URL, variables expanded, a relative sqlite: path resolved; may hold a
  /// password. Empty: the source's own adapter settings.
  std::string url;
  /// The URL as written after expansion, password removed: stable across machines, so
  /// --shard slices by it; also what the report prints.
  std::string display;
  std::string where;  ///< "tenants.txt:12" or "jsorm.toml: migrationSources.billing", for messages
  std::size_t source = 0;  ///< index into the fleet's loaded sources
  std::string sourceName;  ///< the exported symbol, or the config's source name
};

/// Reads a targets file: one connection URL per line, `#` starts a comment, blank lines are
/// ignored, ${VAR} and ${VAR:-fallback} are expanded. Relative sqlite: paths are relative to
/// the file's folder. Throws ConfigError naming file:line for an unset variable, a line
/// that is not a URL with a scheme, or a target listed twice. Checks nothing on the network.
std::vector<FleetTarget> readTargetsFile(const std::filesystem::path& file, std::size_t source,
                                         const std::string& sourceName);

/// Throws ConfigError naming both places when two targets are the same database and source.
void refuseDuplicateTargets(const std::vector<FleetTarget>& targets);

/// --shard K/N: the K-th (1-based) of N slices.
struct Shard {
  std::uint64_t index = 1;
  std::uint64_t count = 1;
};

/// Parses "K/N" (1 <= K <= N); throws UsageError otherwise.
Shard parseShard(const std::string& text);

/// A target's identity as --shard sees it: FNV-1a 64 of its redacted URL and source name.
/// It does not depend on line order, on the machine, or on the password.
std::uint64_t targetIdentity(const FleetTarget& target);

/// The targets whose identity falls in `shard` (identity mod N == K-1), in their original
/// order. The N slices are disjoint and together hold every target.
std::vector<FleetTarget> takeShard(std::vector<FleetTarget> targets, const Shard& shard);

}  // namespace jsorm::cli
