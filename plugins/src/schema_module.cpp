#include <jsorm/error.hpp>
#include <jsorm/module_info.hpp>
#include <jsorm/schema_module.hpp>

#include "checksum_cache.hpp"
#include "shared_object.hpp"

#include <cstdint>
#include <cstring>
#include <dlfcn.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

JSORM_NAMESPACE_BEGIN

const char* sourceKindName(SourceKind kind) noexcept {
  return kind == SourceKind::Migration ? "migration source" : "generate source";
}

namespace {
SourceKind kindOf(const detail::SourceExport& entry) {
  return entry.kind == detail::ExportKind::GenerateSource ? SourceKind::Generate : SourceKind::Migration;
}
}  // namespace

SchemaModule SchemaModule::load(const std::filesystem::path& path) {
  auto library = detail::openSharedObject(path, "schema module");
  if (!library->has("jsorm_module_info")) {
    throw ModuleError(fmt::format("{} is not a jsorm schema module (it has no jsorm_module_info); build it with "
                                  "jsorm_add_schema_module() and export a source with JSORM_EXPORT_SOURCE",
                                  path.string()));
  }
  using InfoFunction = const detail::ModuleInfo*() noexcept;
  const detail::ModuleInfo* info = library->get<InfoFunction>("jsorm_module_info")();
  if (!info || info->magic != JSORM_PLUGIN_MAGIC) {
    throw ModuleError(fmt::format("{} is not a jsorm schema module (its jsorm_module_info is not jsorm's)", path.string()));
  }
  if (info->abiVersion != JSORM_ABI_VERSION) {
    throw ModuleError(fmt::format("schema module {} was built for jsorm ABI {} but this jsorm {} has ABI {}; rebuild "
                                  "the module against jsorm {}",
                                  path.string(), info->abiVersion, JSORM_VERSION_STRING, JSORM_ABI_VERSION,
                                  JSORM_VERSION_STRING));
  }
  SchemaModule module;
  module.path_ = path;
  module.library_ = std::move(library);
  module.info_ = info;
  module.abiVersion_ = info->abiVersion;
  module.jsormVersion_ = info->jsormVersion ? info->jsormVersion : "";
  for (const auto* entry = info->first; entry; entry = entry->next) {
    if (entry->magic != JSORM_PLUGIN_MAGIC) continue;
    module.exports_.push_back({entry->name, kindOf(*entry)});
  }
  // Every source the registry lists must be reachable by its name.
  const auto& loaded = *std::static_pointer_cast<const boost::dll::shared_library>(module.library_);
  for (const auto& source : module.exports_) {
    if (loaded.has(source.name)) continue;
    throw ModuleError(fmt::format("schema module {} lists a source '{}' in its registry but does not export the symbol "
                                  "{}; rebuild it with this jsorm's JSORM_EXPORT_SOURCE",
                                  path.string(), source.name, source.name));
  }
  // The registry is built by prepending during load: reverse it into declaration order.
  std::reverse(module.exports_.begin(), module.exports_.end());
  return module;
}

namespace {
// Whether `address` lies in the shared object that `inModule` (an address in the module)
// belongs to: an exported symbol is only read as a SourceExport pointer when it and its
// value are the module's own, so a symbol of the right name but another kind (a function,
// an int, a libc variable) is refused instead of being dereferenced.
bool sameObject(const void* address, const void* inModule) {
  Dl_info where{};
  Dl_info module{};
  return address && ::dladdr(address, &where) != 0 && ::dladdr(inModule, &module) != 0 &&
         where.dli_fbase == module.dli_fbase;
}
template <class T>
bool aligned(const void* address) {
  return reinterpret_cast<std::uintptr_t>(address) % alignof(T) == 0;
}
}  // namespace

const void* SchemaModule::findExport(const std::string& symbol, SourceKind kind) const {
  const auto* info = static_cast<const detail::ModuleInfo*>(info_);
  const auto library = std::static_pointer_cast<const boost::dll::shared_library>(library_);
  const detail::SourceExport* listed = nullptr;
  for (const auto* entry = info->first; entry; entry = entry->next) {
    if (entry->magic == JSORM_PLUGIN_MAGIC && symbol == entry->name) listed = entry;
  }
  if (!library->has(symbol)) {
    if (listed) {
      throw ModuleError(fmt::format("schema module {} lists a source '{}' in its registry but does not export the "
                                    "symbol {}; rebuild it with this jsorm's JSORM_EXPORT_SOURCE",
                                    path_.string(), symbol, symbol));
    }
    std::vector<std::string> available;
    for (const auto& e : exports_) {
      if (e.kind == kind) available.push_back(e.name);
    }
    throw ModuleError(fmt::format("schema module {} exports no {} named '{}'; {}", path_.string(), sourceKindName(kind),
                                  symbol,
                                  available.empty() ? std::string("it exports none")
                                                    : fmt::format("it exports: {}", fmt::join(available, ", "))));
  }
  // The symbol's value: the address of the source's SourceExport (JSORM_EXPORT_SOURCE).
  // Read as bytes first: a symbol of another kind (a function) need not be aligned as a
  // pointer is. Both the symbol and what it points at must be the module's own (a
  // dependency may export a symbol of that name too).
  const void* slot = &library->get<const char>(symbol);
  const detail::SourceExport* entry = nullptr;
  if (sameObject(slot, info_) && aligned<const detail::SourceExport*>(slot)) {
    const detail::SourceExport* value = nullptr;
    std::memcpy(&value, slot, sizeof value);
    if (sameObject(value, info_) && aligned<detail::SourceExport>(value)) entry = value;
  }
  if (!entry || entry->magic != JSORM_PLUGIN_MAGIC) {
    throw ModuleError(fmt::format("'{}' in {} is not a jsorm source (the symbol was not made by JSORM_EXPORT_SOURCE "
                                  "or JSORM_EXPORT_GENERATE_SOURCE)",
                                  symbol, path_.string()));
  }
  if (entry->abiVersion != JSORM_ABI_VERSION) {
    throw ModuleError(fmt::format("source '{}' in {} was built for jsorm ABI {} but this jsorm {} has ABI {}; rebuild "
                                  "the module against jsorm {}",
                                  symbol, path_.string(), entry->abiVersion, JSORM_VERSION_STRING, JSORM_ABI_VERSION,
                                  JSORM_VERSION_STRING));
  }
  if (entry != listed) {
    throw ModuleError(fmt::format("schema module {} exports the symbol {} but its registry does not list that source; "
                                  "export sources only with JSORM_EXPORT_SOURCE and rebuild it",
                                  path_.string(), symbol));
  }
  if (kindOf(*entry) != kind) {
    throw ModuleError(fmt::format("'{}' in {} is a {}, not a {}", symbol, path_.string(), sourceKindName(kindOf(*entry)),
                                  sourceKindName(kind)));
  }
  return entry;
}

namespace {
// Runs the module's source function and validates its result, giving any failure the
// module's and symbol's name.
template <class Load>
auto callSource(const std::filesystem::path& path, const std::string& symbol, Load load) {
  try {
    return load();
  } catch (const Error& e) {
    throw SchemaError(fmt::format("schema module {}, source '{}': {}", path.string(), symbol, e.what()));
  } catch (const std::exception& e) {
    throw SchemaError(fmt::format("schema module {}, source '{}' threw: {}", path.string(), symbol, e.what()));
  } catch (...) {
    throw SchemaError(fmt::format("schema module {}, source '{}' threw an exception that is not a std::exception; "
                                  "throw a std::exception (or a jsorm::Error) from the module instead",
                                  path.string(), symbol));
  }
}
}  // namespace

LoadedMigrationSource SchemaModule::migrationSource(const std::string& symbol, SourceCheck check) const {
  const auto* entry = static_cast<const detail::SourceExport*>(findExport(symbol, SourceKind::Migration));
  return callSource(path_, symbol, [&] {
    MigrationSource source = entry->makeMigrationSource();
    const auto key = detail::checksumCacheKey(path_.string() + "\n" + symbol);
    if (key && check == SourceCheck::Checksums) {
      if (auto checksums = detail::readCachedChecksums(*key, source)) {
        return LoadedMigrationSource{{library_, std::move(source)}, ValidatedSource{std::move(*checksums)}};
      }
    }
    ValidatedSource validated = validate(source);
    if (key) detail::writeCachedChecksums(*key, source, validated);
    return LoadedMigrationSource{{library_, std::move(source)}, std::move(validated)};
  });
}

Loaded<MigrationGenerateSource> SchemaModule::generateSource(const std::string& symbol) const {
  const auto* entry = static_cast<const detail::SourceExport*>(findExport(symbol, SourceKind::Generate));
  return callSource(path_, symbol, [&] {
    MigrationGenerateSource source = entry->makeGenerateSource();
    validate(source);
    return Loaded<MigrationGenerateSource>{library_, std::move(source)};
  });
}

JSORM_NAMESPACE_END
