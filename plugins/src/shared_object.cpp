#include "shared_object.hpp"

#include <jsorm/error.hpp>
#include <jsorm/version.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <exception>
#include <elf.h>
#include <fstream>
#include <optional>

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
#if defined(__x86_64__)
constexpr unsigned kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr unsigned kHostMachine = EM_AARCH64;
#else
constexpr unsigned kHostMachine = EM_NONE;  // not checked
#endif

// Checks what dlopen would otherwise trust: a file whose segments run past its end is
// mapped anyway, and touching the missing pages kills the process with SIGBUS.
std::optional<std::string> elfProblem(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return "cannot read it: " + ec.message();
  std::ifstream in(path, std::ios::binary);
  Elf64_Ehdr header{};
  in.read(reinterpret_cast<char*>(&header), sizeof header);
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got < SELFMAG || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) return "not a shared library (no ELF header)";
  if (header.e_ident[EI_CLASS] != ELFCLASS64) {
    return "built for another architecture (a 32-bit ELF file); rebuild it for this machine";
  }
  if (got < sizeof header) return fmt::format("truncated: the file is only {} bytes; rebuild it or copy it again", size);
  if (kHostMachine != EM_NONE && header.e_machine != kHostMachine) {
    return fmt::format("built for another architecture (ELF machine {}, this machine is {}); rebuild it for this "
                       "machine",
                       header.e_machine, kHostMachine);
  }
  if (header.e_type != ET_DYN) return "not a shared library (an executable or object file)";
  const std::uint64_t tableEnd = header.e_phoff + std::uint64_t{header.e_phnum} * header.e_phentsize;
  if (header.e_phentsize != sizeof(Elf64_Phdr) || tableEnd > size) {
    return fmt::format("truncated or damaged: its program headers end past the file's {} bytes; rebuild it or copy it "
                       "again",
                       size);
  }
  in.seekg(static_cast<std::streamoff>(header.e_phoff));
  for (unsigned i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment{};
    in.read(reinterpret_cast<char*>(&segment), sizeof segment);
    if (segment.p_type == PT_LOAD && segment.p_offset + segment.p_filesz > size) {
      return fmt::format("truncated: its segments need {} bytes but the file has {}; rebuild it or copy it again",
                         segment.p_offset + segment.p_filesz, size);
    }
  }
  return std::nullopt;
}

#ifdef JSORM_KEEP_SHARED_OBJECTS_LOADED
// Sanitizer builds keep every library mapped until exit. LeakSanitizer looks for leaks at
// exit; a library unloaded before then takes its globals with it, so the one-time state
// libpq and its dependencies keep there reads as leaked, under frames that can no longer be
// named.
constexpr auto kLoadMode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                           static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);
#else
constexpr auto kLoadMode = boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local;
#endif
}  // namespace

// C++ ends the process when a static initialiser throws (dlopen runs them), so the error
// cannot be caught. While a library loads, the terminate handler says which library and
// what it threw, on one line, and exits with the module error code instead of aborting.
struct LoadingLibrary {
  std::string path;
  const char* what = nullptr;
};
LoadingLibrary loadingLibrary;

class ReportThrowingInitialisers {
 public:
  ReportThrowingInitialisers(const std::filesystem::path& path, const char* what) {
    loadingLibrary = {path.string(), what};
    previous_ = std::set_terminate(&report);
  }
  ~ReportThrowingInitialisers() {
    std::set_terminate(previous_);
    loadingLibrary = {};
  }
  ReportThrowingInitialisers(const ReportThrowingInitialisers&) = delete;
  ReportThrowingInitialisers& operator=(const ReportThrowingInitialisers&) = delete;

 private:
  [[noreturn]] static void report() {
    std::string thrown = "an exception that is not a std::exception";
    if (auto exception = std::current_exception()) {
      try {
        std::rethrow_exception(exception);
      } catch (const std::exception& e) {
        thrown = e.what();
      } catch (...) {
      }
    }
    std::replace(thrown.begin(), thrown.end(), '\n', ' ');
    std::fprintf(stderr,
                 "jsorm: error: cannot load %s %s: a static initialiser in it threw while it loaded: %s; fix the "
                 "global objects of the module and rebuild it\n",
                 loadingLibrary.what ? loadingLibrary.what : "library", loadingLibrary.path.c_str(), thrown.c_str());
    std::fflush(stderr);
    std::_Exit(kModuleLoadFailedExitCode);
  }

  std::terminate_handler previous_ = nullptr;
};

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
  if (auto problem = elfProblem(path)) {
    throw ModuleError(fmt::format("cannot load {} {}: {}", what, given.string(), *problem));
  }
  try {
    ReportThrowingInitialisers report(given, what);
    return std::make_shared<boost::dll::shared_library>(path, kLoadMode);
  } catch (const boost::dll::fs::system_error& e) {
    throw ModuleError(fmt::format("cannot load {} {}: {}", what, given.string(), explain(dlerrorText(e.what()))));
  } catch (const std::exception& e) {
    // An initialiser's exception that the unwinder could carry through the loader.
    throw ModuleError(fmt::format("cannot load {} {}: a static initialiser in it threw while it loaded: {}; fix the "
                                  "global objects of the module and rebuild it",
                                  what, given.string(), e.what()));
  } catch (...) {
    throw ModuleError(fmt::format("cannot load {} {}: a static initialiser in it threw an exception that is not a "
                                  "std::exception; fix the global objects of the module and rebuild it",
                                  what, given.string()));
  }
}

}  // namespace detail
JSORM_NAMESPACE_END
