#include <jsorm/adapter_plugin.hpp>
#include <jsorm/error.hpp>

#include "shared_object.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstring>
#include <cstdlib>

JSORM_NAMESPACE_BEGIN

std::string adapterFileName(const std::string& name) { return "libjsorm_adapter_" + name + ".so"; }

std::vector<std::filesystem::path> adapterSearchPath(const std::vector<std::string>& extraDirectories) {
  std::vector<std::filesystem::path> dirs;
  auto add = [&](const std::filesystem::path& dir) {
    if (dir.empty()) return;
    const auto normal = dir.lexically_normal();
    if (std::find(dirs.begin(), dirs.end(), normal) == dirs.end()) dirs.push_back(normal);
  };
  for (const auto& dir : extraDirectories) add(dir);
  if (const char* env = std::getenv("JSORM_ADAPTER_PATH")) {
    std::string list = env;
    for (std::size_t start = 0; start <= list.size();) {
      const auto end = std::min(list.find(':', start), list.size());
      add(list.substr(start, end - start));
      start = end + 1;
    }
  }
  // This library lives in <prefix>/lib, in the build tree and in an installed prefix alike.
  add(boost::dll::this_line_location().parent_path() / "jsorm" / "adapters");
  return dirs;
}

AdapterPlugin AdapterPlugin::load(const std::filesystem::path& path) {
  auto library = detail::openSharedObject(path, "adapter plugin");
  if (!library->has("jsorm_adapter_plugin")) {
    throw ModuleError(fmt::format("{} is not a jsorm adapter plugin (it has no jsorm_adapter_plugin); build it with "
                                  "jsorm_add_adapter() and JSORM_ADAPTER_PLUGIN",
                                  path.string()));
  }
  using InfoFunction = const AdapterPluginInfo*() noexcept;
  const AdapterPluginInfo* info = library->get<InfoFunction>("jsorm_adapter_plugin")();
  if (!info || info->magic != JSORM_PLUGIN_MAGIC) {
    throw ModuleError(fmt::format("{} is not a jsorm adapter plugin (its entry point is not jsorm's)", path.string()));
  }
  if (info->abiVersion != JSORM_ABI_VERSION) {
    throw ModuleError(fmt::format("adapter plugin {} was built for jsorm ABI {} but this jsorm {} has ABI {}; rebuild "
                                  "the adapter against jsorm {}",
                                  path.string(), info->abiVersion, JSORM_VERSION_STRING, JSORM_ABI_VERSION,
                                  JSORM_VERSION_STRING));
  }
  AdapterPlugin plugin;
  plugin.path_ = path;
  plugin.library_ = std::move(library);
  plugin.info_ = info;
  plugin.name_ = info->name ? info->name : "";
  plugin.version_ = info->pluginVersion ? info->pluginVersion : "";
  plugin.description_ = info->description ? info->description : "";
  for (const char* scheme = info->schemes; scheme && *scheme; scheme += std::strlen(scheme) + 1) {
    plugin.schemes_.emplace_back(scheme);
  }
  return plugin;
}

AdapterPlugin AdapterPlugin::find(const std::string& name, const std::vector<std::filesystem::path>& searchPath) {
  const std::string file = adapterFileName(name);
  std::vector<std::string> looked;
  for (const auto& dir : searchPath) {
    const auto candidate = dir / file;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return load(candidate);
    looked.push_back(dir.string());
  }
  throw ConnectionError(fmt::format("no adapter plugin '{}': {} not found in {}; install the adapter, or pass "
                                    "--adapter-path DIR or set JSORM_ADAPTER_PATH",
                                    name, file, looked.empty() ? "(no directories)" : fmt::format("{}", fmt::join(looked, ", "))));
}

std::shared_ptr<Connection> AdapterPlugin::connect(const ConnectionConfig& config) const {
  Connection* raw = info_->connect(config);
  if (!raw) throw ConnectionError(fmt::format("adapter plugin {} returned no connection", path_.string()));
  // The deleter holds the library: the connection's code must outlive the connection.
  return std::shared_ptr<Connection>(raw, [library = library_](Connection* c) { delete c; });
}

std::vector<FoundAdapter> listAdapters(const std::vector<std::filesystem::path>& searchPath) {
  std::vector<FoundAdapter> found;
  const std::string prefix = "libjsorm_adapter_";
  for (const auto& dir : searchPath) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      const std::string file = entry.path().filename().string();
      if (file.rfind(prefix, 0) == 0 && entry.path().extension() == ".so") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
      FoundAdapter adapter;
      adapter.path = path;
      adapter.name = path.stem().string().substr(prefix.size());
      try {
        const auto plugin = AdapterPlugin::load(path);
        adapter.version = plugin.version();
        adapter.description = plugin.description();
      } catch (const Error& e) {
        adapter.problem = e.what();
      }
      found.push_back(std::move(adapter));
    }
  }
  return found;
}

JSORM_NAMESPACE_END
