// SchemaModule::provenance: the text jsorm_add_schema_module compiles into a module
// (cmake/JsormProvenance.cmake writes it), read back through the dynamic symbol table.

#include <jsorm/schema_module.hpp>

#include "shared_object.hpp"

#include <cstring>
#include <dlfcn.h>
#include <link.h>

#include <string_view>

JSORM_NAMESPACE_BEGIN

namespace {
// The symbol's name is also spelled in cmake/JsormProvenance.cmake, which defines it.
constexpr const char* kProvenanceSymbol = "jsorm_module_provenance";

// The NUL-terminated text at `address` when it is a data object of the module itself (the
// one holding `inModule`); dlsym on a module's handle also searches its dependencies, and a
// symbol of that name could be a function or lack its NUL. Reads no byte past the object.
std::optional<std::string_view> moduleText(const void* address, const void* inModule) {
  Dl_info where{};
  Dl_info module{};
  void* entry = nullptr;
  if (!address || ::dladdr1(address, &where, &entry, RTLD_DL_SYMENT) == 0 || !entry ||
      ::dladdr(inModule, &module) == 0 || where.dli_fbase != module.dli_fbase || where.dli_saddr != address) {
    return std::nullopt;
  }
  const auto* symbol = static_cast<const ElfW(Sym)*>(entry);
  // ELF32_ST_TYPE and ELF64_ST_TYPE are the same mask.
  if (ELF64_ST_TYPE(symbol->st_info) != STT_OBJECT || symbol->st_size == 0) return std::nullopt;
  const auto* text = static_cast<const char*>(address);
  const std::size_t size = symbol->st_size;
  if (text[size - 1] != '\0') return std::nullopt;
  return std::string_view(text, ::strnlen(text, size));
}

// key=value lines; unknown keys are skipped so a later jsorm may record more.
ModuleProvenance parse(std::string_view text) {
  ModuleProvenance provenance;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const auto equals = line.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = line.substr(0, equals);
    const std::string value(line.substr(equals + 1));
    if (key == "revision") provenance.revision = value;
    if (key == "builtAt") provenance.builtAt = value;
    if (key == "compiler") provenance.compiler = value;
  }
  return provenance;
}
}  // namespace

std::optional<ModuleProvenance> SchemaModule::provenance() const {
  const auto library = std::static_pointer_cast<const boost::dll::shared_library>(library_);
  if (!library->has(kProvenanceSymbol)) return std::nullopt;
  const auto text = moduleText(&library->get<const char>(kProvenanceSymbol), info_);
  if (!text) return std::nullopt;
  return parse(*text);
}

JSORM_NAMESPACE_END
