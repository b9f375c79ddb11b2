#pragma once
// Files jsorm writes into a project: migrations (migrate:generate, migrate:make) and the
// snapshot, each written whole or not at all.

#include <filesystem>
#include <string>

namespace jsorm::cli {

/// Creates the folders `path` sits in (errors surface when the file is written).
void createParent(const std::filesystem::path& path);

/// Replaces `path` whole: a reader (or a run killed halfway) sees the old file or the new
/// one, never half of one. Throws ConfigError when it cannot.
void replaceFile(const std::filesystem::path& path, const std::string& text);

/// Writes a file that must not exist yet. Returns false when it does: a migration file is
/// never overwritten, whoever wrote it. Throws ConfigError when it cannot write.
bool createNewFile(const std::filesystem::path& path, const std::string& text);

/// The current UTC time in strftime `format`: "%Y%m%dT%H%M%S" starts a migration's name.
std::string utcStamp(const char* format);

}  // namespace jsorm::cli
