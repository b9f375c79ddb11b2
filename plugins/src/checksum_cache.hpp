#pragma once
// Checksums of a migration source remembered between commands, so that migrate:status
// need not build every migration to compare it with what was applied.
//
// A source's steps are a function of the code that builds them and of what that code reads
// while it runs. The cache key is therefore the build-id (or, without one, path, size and
// mtime) of every object loaded in the process, the whole environment and the current
// folder. A rebuilt module, an upgraded jsorm or libstdc++, or another FIXTURE-style
// environment variable each make another key, so a changed migration is still found.
// What the key cannot see is a file the source reads by absolute path: JSORM_CACHE_DIR=off
// turns the cache off for such a source (migrate, rollback and repair never read it).

#include <jsorm/source.hpp>

#include <optional>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// The identity of the code and inputs that built `symbol`'s source in this process, or
/// nullopt when the cache is off or some loaded object cannot be identified.
std::optional<std::string> checksumCacheKey(const std::string& symbol);

/// The checksums stored under `key`, when they are for exactly `source`'s migration names.
std::optional<std::vector<std::string>> readCachedChecksums(const std::string& key, const MigrationSource& source);

/// Stores `validated` under `key` (best effort: a cache that cannot be written is skipped).
void writeCachedChecksums(const std::string& key, const MigrationSource& source, const ValidatedSource& validated);

}  // namespace detail
JSORM_NAMESPACE_END
