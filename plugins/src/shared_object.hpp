#pragma once
// Opening shared objects with Boost.DLL, turning its failures into one readable reason.

#include <jsorm/api.hpp>
#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <memory>
#include <string>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// The exit code when a library's static initialiser throws while it loads: the process
/// cannot go on (C++ calls std::terminate), so it ends with this code (the CLI's module
/// error) after one line on stderr.
inline constexpr int kModuleLoadFailedExitCode = 4;

/// Loads `path` (RTLD_NOW | RTLD_LOCAL). Throws ModuleError("cannot load <what> <path>: <reason>").
std::shared_ptr<boost::dll::shared_library> openSharedObject(const std::filesystem::path& path, const char* what);

/// A path as given, with a bare file name treated as ./name (dlopen would search the
/// library path instead).
std::filesystem::path asLoadablePath(const std::filesystem::path& path);

}  // namespace detail
JSORM_NAMESPACE_END
