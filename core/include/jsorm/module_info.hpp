#pragma once
/// The layout a schema module exports, read by the host before anything else.

#include <jsorm/api.hpp>
#include <jsorm/source.hpp>
#include <jsorm/version.hpp>

#include <cstdint>

JSORM_NAMESPACE_BEGIN
namespace detail {

enum class ExportKind : std::uint32_t {
  MigrationSource = 1,
  GenerateSource = 2,
};

/// One exported source. The host reads magic and ABI before any other field.
struct SourceExport {
  std::uint64_t magic;
  std::uint32_t abiVersion;
  ExportKind kind;
  const char* name;
  MigrationSource (*makeMigrationSource)();
  MigrationGenerateSource (*makeGenerateSource)();
  const SourceExport* next;
};

/// What `jsorm_module_info()` returns: the ABI stamp and every export of the module. It is
/// reachable through the dynamic symbol table, so it survives `strip`.
struct ModuleInfo {
  std::uint64_t magic;
  std::uint32_t abiVersion;
  const char* jsormVersion;
  const SourceExport* first;
};

}  // namespace detail
JSORM_NAMESPACE_END
