#pragma once
/// Exporting migration sources from a schema module.

#include <jsorm/migration.hpp>
#include <jsorm/module_info.hpp>

#include <algorithm>
#include <vector>

JSORM_NAMESPACE_BEGIN
namespace detail {

// Hidden on purpose: each module keeps its own registry even when several are loaded.
JSORM_HIDDEN inline ModuleInfo& moduleInfo() noexcept {
  static ModuleInfo info{JSORM_PLUGIN_MAGIC, JSORM_STAMPED_ABI_VERSION, JSORM_VERSION_STRING, nullptr};
  return info;
}

/// Links an export into its module's registry while the module loads; cannot fail.
struct JSORM_HIDDEN SourceRegistrar {
  explicit SourceRegistrar(SourceExport& entry) noexcept {
    entry.next = moduleInfo().first;
    moduleInfo().first = &entry;
  }
};

// Hidden: each module collects only its own migrations.
JSORM_HIDDEN inline std::vector<Migration>& registeredMigrationList() {
  static std::vector<Migration> migrations;
  return migrations;
}

/// Adds a migration file's migration to its module's list while the module loads.
struct JSORM_HIDDEN MigrationRegistrar {
  explicit MigrationRegistrar(const Migration& migration) { registeredMigrationList().push_back(migration); }
};

}  // namespace detail

/// The migrations of this module registered with JSORM_MIGRATION (the files
/// `migrate:generate` writes), ordered by name, which starts with their timestamp.
JSORM_HIDDEN inline std::vector<Migration> registeredMigrations() {
  auto migrations = detail::registeredMigrationList();
  std::stable_sort(migrations.begin(), migrations.end(),
                   [](const Migration& a, const Migration& b) { return a.name < b.name; });
  return migrations;
}

/// `migrations` followed by the registered ones: hand-written history first, generated after.
JSORM_HIDDEN inline std::vector<Migration> withRegisteredMigrations(std::vector<Migration> migrations) {
  for (auto& migration : registeredMigrations()) migrations.push_back(std::move(migration));
  return migrations;
}

JSORM_NAMESPACE_END

/// Registers a migration defined in its own file, so the next build of the module picks it
/// up without editing any list: `JSORM_MIGRATION(migration);`
#define JSORM_MIGRATION(VARIABLE) \
  static const ::jsorm::detail::MigrationRegistrar jsormMigrationRegistrar_##VARIABLE { VARIABLE }

/// The module's entry point: its ABI stamp and the list of its exports.
extern "C" JSORM_API __attribute__((used)) inline const ::jsorm::detail::ModuleInfo* jsorm_module_info() noexcept {
  return &::jsorm::detail::moduleInfo();
}

/// The source under its own name in the dynamic symbol table, where the host finds it with
/// dlsym (which works on stripped modules), in section jsormsrc (so listing tools find
/// every source). Its value points at the source's SourceExport.
#define JSORM_DETAIL_EXPORT_SYMBOL(SYMBOL, ENTRY)                                                        \
  extern "C" {                                                                                           \
  JSORM_API __attribute__((section("jsormsrc"), used)) const ::jsorm::detail::SourceExport* SYMBOL = &ENTRY; \
  }

#define JSORM_DETAIL_EXPORT(SYMBOL, KIND, RESULT, MIGRATION_FN, GENERATE_FN)                                   \
  static RESULT jsormMake_##SYMBOL();                                                                          \
  static ::jsorm::detail::SourceExport jsormExport_##SYMBOL{                                                   \
      JSORM_PLUGIN_MAGIC, JSORM_STAMPED_ABI_VERSION, ::jsorm::detail::ExportKind::KIND, #SYMBOL, MIGRATION_FN, \
      GENERATE_FN,        nullptr};                                                                            \
  static const ::jsorm::detail::SourceRegistrar jsormRegistrar_##SYMBOL{jsormExport_##SYMBOL};                \
  JSORM_DETAIL_EXPORT_SYMBOL(SYMBOL, jsormExport_##SYMBOL)                                                      \
  static RESULT jsormMake_##SYMBOL()

/// Exports a migration source under SYMBOL: `JSORM_EXPORT_SOURCE(ormSource) { return ...; }`.
/// The body runs when the host asks for the source, not when the module loads.
#define JSORM_EXPORT_SOURCE(SYMBOL) \
  JSORM_DETAIL_EXPORT(SYMBOL, MigrationSource, ::jsorm::MigrationSource, &jsormMake_##SYMBOL, nullptr)

/// Exports a generate source (models and snapshot path) for `jsorm migrate:generate`.
#define JSORM_EXPORT_GENERATE_SOURCE(SYMBOL) \
  JSORM_DETAIL_EXPORT(SYMBOL, GenerateSource, ::jsorm::MigrationGenerateSource, nullptr, &jsormMake_##SYMBOL)
