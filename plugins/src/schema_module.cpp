#include <jsorm/error.hpp>
#include <jsorm/module_info.hpp>
#include <jsorm/schema_module.hpp>

#include "shared_object.hpp"

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
  // The registry is built by prepending during load: reverse it into declaration order.
  std::reverse(module.exports_.begin(), module.exports_.end());
  return module;
}

const void* SchemaModule::findExport(const std::string& symbol, SourceKind kind) const {
  const auto* info = static_cast<const detail::ModuleInfo*>(info_);
  std::vector<std::string> available;
  for (const auto* entry = info->first; entry; entry = entry->next) {
    if (entry->magic != JSORM_PLUGIN_MAGIC) continue;
    if (symbol == entry->name) {
      if (kindOf(*entry) != kind) {
        throw ModuleError(fmt::format("'{}' in {} is a {}, not a {}", symbol, path_.string(),
                                      sourceKindName(kindOf(*entry)), sourceKindName(kind)));
      }
      return entry;
    }
  }
  for (const auto& e : exports_) {
    if (e.kind == kind) available.push_back(e.name);
  }
  throw ModuleError(fmt::format("schema module {} exports no {} named '{}'; {}", path_.string(), sourceKindName(kind),
                                symbol,
                                available.empty() ? std::string("it exports none")
                                                  : fmt::format("it exports: {}", fmt::join(available, ", "))));
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

LoadedMigrationSource SchemaModule::migrationSource(const std::string& symbol) const {
  const auto* entry = static_cast<const detail::SourceExport*>(findExport(symbol, SourceKind::Migration));
  return callSource(path_, symbol, [&] {
    MigrationSource source = entry->makeMigrationSource();
    ValidatedSource validated = validate(source);
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
