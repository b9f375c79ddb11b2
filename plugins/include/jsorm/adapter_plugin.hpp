#pragma once
/// Finding and loading adapter plugins (`libjsorm_adapter_<name>.so`).

#include <jsorm/adapter.hpp>
#include <jsorm/api.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// Where adapter plugins are searched, in order: the given directories (--adapter-path),
/// $JSORM_ADAPTER_PATH (colon-separated), then lib/jsorm/adapters of this jsorm installation.
JSORM_API std::vector<std::filesystem::path> adapterSearchPath(const std::vector<std::string>& extraDirectories = {});

/// The file name a plugin must have: libjsorm_adapter_<name>.so.
JSORM_API std::string adapterFileName(const std::string& name);

/// A loaded adapter plugin.
class JSORM_API AdapterPlugin {
 public:
  /// Loads and checks a plugin file (magic, then ABI). Throws ModuleError.
  static AdapterPlugin load(const std::filesystem::path& path);
  /// Finds `name` on the search path. Throws ConnectionError listing every place it looked.
  static AdapterPlugin find(const std::string& name, const std::vector<std::filesystem::path>& searchPath);

  const std::string& name() const noexcept { return name_; }
  const std::string& version() const noexcept { return version_; }
  const std::string& description() const noexcept { return description_; }
  const std::vector<std::string>& schemes() const noexcept { return schemes_; }
  const std::filesystem::path& path() const noexcept { return path_; }

  /// Opens a connection; the plugin stays loaded until the connection is destroyed.
  std::shared_ptr<Connection> connect(const ConnectionConfig& config) const;

 private:
  AdapterPlugin() = default;

  std::filesystem::path path_;
  std::shared_ptr<const void> library_;
  const AdapterPluginInfo* info_ = nullptr;
  std::string name_;
  std::string version_;
  std::string description_;
  std::vector<std::string> schemes_;
};

/// A plugin file found on the search path, for `jsorm adapters`.
struct FoundAdapter {
  std::filesystem::path path;
  std::string name;     ///< from the file name
  std::string problem;  ///< why it cannot be loaded, empty when it can
  std::string version;
  std::string description;
};

/// Every libjsorm_adapter_*.so on the search path, loaded to check it.
JSORM_API std::vector<FoundAdapter> listAdapters(const std::vector<std::filesystem::path>& searchPath);

JSORM_NAMESPACE_END
