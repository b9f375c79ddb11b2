#include "shared_object.hpp"

#include <jsorm/error.hpp>
#include <jsorm/version.hpp>

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
// Boost wraps dlerror() in its own text; the dlerror part is what tells the user something.
std::string dlerrorText(const std::string& what) {
  const std::string marker = "dlerror system message: ";
  auto start = what.find(marker);
  if (start == std::string::npos) return what;
  start += marker.size();
  auto end = what.rfind(')');
  return what.substr(start, end == std::string::npos || end < start ? std::string::npos : end - start);
}

std::string explain(const std::string& dlerror) {
  if (dlerror.find("invalid ELF header") != std::string::npos || dlerror.find("file too short") != std::string::npos) {
    return "not a shared library (" + dlerror.substr(dlerror.rfind(": ") + 2) + ")";
  }
  if (dlerror.find("wrong ELF class") != std::string::npos || dlerror.find("ELF file") != std::string::npos) {
    return "built for another architecture (" + dlerror.substr(dlerror.rfind(": ") + 2) + "); rebuild it for this machine";
  }
  if (auto at = dlerror.find("undefined symbol: "); at != std::string::npos) {
    const std::string symbol = dlerror.substr(at + 18);
    if (symbol.find("jsorm") != std::string::npos) {
      return fmt::format("it needs {}, which this jsorm ({}) does not have: it was built against another jsorm; "
                         "rebuild it against jsorm {}",
                         symbol, JSORM_VERSION_STRING, JSORM_VERSION_STRING);
    }
    return "undefined symbol " + symbol;
  }
  return dlerror;
}
}  // namespace

std::filesystem::path asLoadablePath(const std::filesystem::path& path) {
  if (path.has_parent_path() || path.is_absolute()) return path;
  return std::filesystem::path(".") / path;
}

std::shared_ptr<boost::dll::shared_library> openSharedObject(const std::filesystem::path& given, const char* what) {
  const auto path = asLoadablePath(given);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw ModuleError(fmt::format("cannot load {} {}: file not found; check the path or build it first", what, given.string()));
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw ModuleError(fmt::format("cannot load {} {}: it is a directory, not a shared library", what, given.string()));
  }
  try {
    return std::make_shared<boost::dll::shared_library>(
        path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    throw ModuleError(fmt::format("cannot load {} {}: {}", what, given.string(), explain(dlerrorText(e.what()))));
  }
}

}  // namespace detail
JSORM_NAMESPACE_END
