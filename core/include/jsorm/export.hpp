#pragma once
/// Exporting migration sources from a schema module.

#include <jsorm/module_info.hpp>

#include <boost/dll/alias.hpp>

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

}  // namespace detail
JSORM_NAMESPACE_END

/// The module's entry point: its ABI stamp and the list of its exports.
extern "C" JSORM_API __attribute__((used)) inline const ::jsorm::detail::ModuleInfo* jsorm_module_info() noexcept {
  return &::jsorm::detail::moduleInfo();
}

#define JSORM_DETAIL_EXPORT(SYMBOL, KIND, RESULT, MIGRATION_FN, GENERATE_FN)                                   \
  static RESULT jsormMake_##SYMBOL();                                                                          \
  static ::jsorm::detail::SourceExport jsormExport_##SYMBOL{                                                   \
      JSORM_PLUGIN_MAGIC, JSORM_STAMPED_ABI_VERSION, ::jsorm::detail::ExportKind::KIND, #SYMBOL, MIGRATION_FN, \
      GENERATE_FN,        nullptr};                                                                            \
  static const ::jsorm::detail::SourceRegistrar jsormRegistrar_##SYMBOL{jsormExport_##SYMBOL};                \
  BOOST_DLL_ALIAS_SECTIONED(jsormExport_##SYMBOL, SYMBOL, jsormsrc)                                           \
  static RESULT jsormMake_##SYMBOL()

/// Exports a migration source under SYMBOL: `JSORM_EXPORT_SOURCE(ormSource) { return ...; }`.
/// The body runs when the host asks for the source, not when the module loads.
#define JSORM_EXPORT_SOURCE(SYMBOL) \
  JSORM_DETAIL_EXPORT(SYMBOL, MigrationSource, ::jsorm::MigrationSource, &jsormMake_##SYMBOL, nullptr)

/// Exports a generate source (models and snapshot path) for `jsorm migrate:generate`.
#define JSORM_EXPORT_GENERATE_SOURCE(SYMBOL) \
  JSORM_DETAIL_EXPORT(SYMBOL, GenerateSource, ::jsorm::MigrationGenerateSource, nullptr, &jsormMake_##SYMBOL)
