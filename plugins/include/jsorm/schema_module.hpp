#pragma once
/// Loading a schema module and resolving the sources it exports.

#include <jsorm/api.hpp>
#include <jsorm/source.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

enum class SourceKind { Migration, Generate };

/// One source a module exports.
struct ExportedSource {
  std::string name;
  SourceKind kind;
};

/// How a module was built, as jsorm_add_schema_module recorded it. A field the record
/// lacks is empty.
struct ModuleProvenance {
  std::string revision;  ///< git commit of the sources, "-dirty" appended if they had changes; "unknown" outside git
  std::string builtAt;   ///< UTC, ISO 8601 ("2025-01-31T12:00:00Z")
  std::string compiler;  ///< CMake's compiler id and version ("GNU 12.2.0")
};

/// A value made by a schema module, kept together with the library that made it: the
/// value holds callbacks compiled into the module, so the module stays loaded while it lives.
template <class T>
struct Loaded {
  std::shared_ptr<const void> library;  // declared first: destroyed last
  T value;
};

/// A migration source made by a module, with what validating it found (hand both to a Runner).
struct LoadedMigrationSource : Loaded<MigrationSource> {
  ValidatedSource validated;
};

/// How much of a migration source to check when it is loaded.
enum class SourceCheck {
  /// Validate it, building every migration (and remember the checksums found).
  Full,
  /// For commands that only compare checksums (migrate:status): the checksums remembered
  /// the last time exactly this code, environment and folder validated the source, when
  /// there are any; else as Full. Builds no migration on a hit (checksum_cache.hpp).
  Checksums,
};

/// A loaded schema module (`libschema.so`).
class JSORM_API SchemaModule {
 public:
  /// Loads the module and checks its jsorm ABI stamp. Throws ModuleError with the path and
  /// the reason (missing file, not a shared object, not a jsorm module, another ABI).
  static SchemaModule load(const std::filesystem::path& path);

  const std::filesystem::path& path() const noexcept { return path_; }
  unsigned abiVersion() const noexcept { return abiVersion_; }
  const std::string& jsormVersion() const noexcept { return jsormVersion_; }
  /// Every exported source, in declaration order. Works on stripped modules too.
  const std::vector<ExportedSource>& exports() const noexcept { return exports_; }
  /// The module's build provenance (its exported text `jsorm_module_provenance`); nullopt
  /// for a module built before jsorm recorded it or without jsorm_add_schema_module.
  /// Works on stripped modules too.
  std::optional<ModuleProvenance> provenance() const;

  /// Calls the exported migration source and validates it. Throws ModuleError when the
  /// symbol is absent or of another kind, SchemaError when its definitions are wrong.
  LoadedMigrationSource migrationSource(const std::string& symbol, SourceCheck check = SourceCheck::Full) const;
  Loaded<MigrationGenerateSource> generateSource(const std::string& symbol) const;

 private:
  SchemaModule() = default;
  const void* findExport(const std::string& symbol, SourceKind kind) const;

  std::filesystem::path path_;
  std::shared_ptr<const void> library_;
  const void* info_ = nullptr;
  unsigned abiVersion_ = 0;
  std::string jsormVersion_;
  std::vector<ExportedSource> exports_;
};

JSORM_API const char* sourceKindName(SourceKind kind) noexcept;

JSORM_NAMESPACE_END
