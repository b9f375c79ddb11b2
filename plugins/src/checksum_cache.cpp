#include "checksum_cache.hpp"

#include <elf.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

extern char** environ;

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
constexpr std::string_view kFormat = "jsorm checksum cache 1";

// Where entries live: JSORM_CACHE_DIR ("off": nowhere), else the XDG cache folder.
std::optional<std::filesystem::path> cacheFolder() {
  if (const char* dir = std::getenv("JSORM_CACHE_DIR")) {
    if (std::string_view(dir) == "off" || !*dir) return std::nullopt;
    return std::filesystem::path(dir);
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return std::filesystem::path(xdg) / "jsorm";
  if (const char* home = std::getenv("HOME"); home && *home == '/') {
    return std::filesystem::path(home) / ".cache" / "jsorm";
  }
  return std::nullopt;
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 0xcbf29ce484222325ULL) {
  for (const unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
  return hash;
}

std::string hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
  return out;
}

// The GNU build-id note of a loaded object, read from its mapped PT_NOTE segments.
std::string buildId(const dl_phdr_info& info) {
  for (int i = 0; i < info.dlpi_phnum; ++i) {
    const auto& segment = info.dlpi_phdr[i];
    if (segment.p_type != PT_NOTE) continue;
    const std::size_t align = segment.p_align == 8 ? 8 : 4;
    const auto pad = [align](std::size_t n) { return (n + align - 1) & ~(align - 1); };
    const auto* at = reinterpret_cast<const unsigned char*>(info.dlpi_addr + segment.p_vaddr);
    const auto* end = at + segment.p_memsz;
    while (at + sizeof(ElfW(Nhdr)) <= end) {
      const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(at);
      const unsigned char* name = at + sizeof(ElfW(Nhdr));
      const unsigned char* desc = name + pad(note->n_namesz);
      if (desc + note->n_descsz > end) break;
      if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        return hex(desc, note->n_descsz);
      }
      at = desc + pad(note->n_descsz);
    }
  }
  return {};
}

struct Objects {
  std::vector<std::string> ids;
  bool unidentified = false;
};

int collect(dl_phdr_info* info, std::size_t, void* data) {
  auto& objects = *static_cast<Objects*>(data);
  std::string id = buildId(*info);
  const std::string_view name = info->dlpi_name ? info->dlpi_name : "";
  if (id.empty()) {
    // Without a build-id: the file's path, size and modification time.
    const std::string path = name.empty() ? std::string("/proc/self/exe") : std::string(name);
    struct stat st {};
    if (path.front() != '/' && !name.empty()) return 0;  // the kernel's vDSO
    if (::stat(path.c_str(), &st) != 0) {
      objects.unidentified = true;
      return 0;
    }
    id = path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
  }
  objects.ids.push_back(std::move(id));
  return 0;
}

// A second, independent hash of the key (another offset basis) and its length.
std::string fingerprint(const std::string& key) {
  return std::to_string(fnv1a(key, 0x84222325cbf29ce4ULL)) + " " + std::to_string(key.size());
}

std::filesystem::path entryPath(const std::filesystem::path& folder, const std::string& key) {
  char name[32];
  std::snprintf(name, sizeof name, "%016llx.sums", static_cast<unsigned long long>(fnv1a(key)));
  return folder / "checksums" / name;
}
}  // namespace

std::optional<std::string> checksumCacheKey(const std::string& symbol) {
  if (!cacheFolder()) return std::nullopt;
  Objects objects;
  dl_iterate_phdr(&collect, &objects);
  if (objects.unidentified) return std::nullopt;
  // Sorted: commands may load the same objects in another order.
  std::sort(objects.ids.begin(), objects.ids.end());
  std::vector<std::string_view> environment;
  // All but `_`, which a shell sets to the path of whatever it ran last (a wrapper, strace).
  for (char** variable = environ; variable && *variable; ++variable) {
    if (std::string_view(*variable).substr(0, 2) != "_=") environment.emplace_back(*variable);
  }
  std::sort(environment.begin(), environment.end());
  std::error_code ignored;
  std::string key = "source " + symbol + "\ncwd " + std::filesystem::current_path(ignored).string() + "\n";
  for (const auto& id : objects.ids) key += "object " + id + "\n";
  for (const auto& variable : environment) {
    key += "env ";
    key += variable;
    key += '\n';
  }
  return key;
}

std::optional<std::vector<std::string>> readCachedChecksums(const std::string& key, const MigrationSource& source) {
  const auto folder = cacheFolder();
  if (!folder) return std::nullopt;
  std::ifstream in(entryPath(*folder, key), std::ios::binary);
  if (!in) return std::nullopt;
  std::string line;
  if (!std::getline(in, line) || line != kFormat) return std::nullopt;
  // The file is named by one hash of the key and holds a second one: the key itself holds
  // the environment, secrets included, and is never written.
  if (!std::getline(in, line) || line != fingerprint(key)) return std::nullopt;
  std::vector<std::string> checksums;
  checksums.reserve(source.migrations.size());
  for (const auto& migration : source.migrations) {
    // name TAB checksum, one line per migration in source order
    if (!std::getline(in, line)) return std::nullopt;
    const auto tab = line.rfind('\t');
    if (tab == std::string::npos || std::string_view(line).substr(0, tab) != migration.name) return std::nullopt;
    checksums.push_back(line.substr(tab + 1));
  }
  if (!std::getline(in, line) || line != "end") return std::nullopt;
  return checksums;
}

void writeCachedChecksums(const std::string& key, const MigrationSource& source, const ValidatedSource& validated) {
  const auto folder = cacheFolder();
  if (!folder || validated.checksums.size() != source.migrations.size()) return;
  for (const auto& migration : source.migrations) {
    // A name with a line break or tab would not read back; such a source is not cached.
    if (migration.name.find_first_of("\t\n") != std::string::npos) return;
  }
  const auto path = entryPath(*folder, key);
  std::error_code error;
  std::filesystem::create_directories(path.parent_path(), error);
  if (error) return;
  // Written beside, then renamed over: a reader sees the old entry or the whole new one.
  const auto partial = path.string() + "." + std::to_string(::getpid()) + ".tmp";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) return;
    std::string text;
    text.reserve(source.migrations.size() * 48 + 64);
    text.append(kFormat).append("\n").append(fingerprint(key)).append("\n");
    for (std::size_t i = 0; i < source.migrations.size(); ++i) {
      text.append(source.migrations[i].name).append("\t").append(validated.checksums[i]).append("\n");
    }
    text.append("end\n");
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out.flush()) {
      out.close();
      std::filesystem::remove(partial, error);
      return;
    }
  }
  std::filesystem::rename(partial, path, error);
  if (error) std::filesystem::remove(partial, error);
}

}  // namespace detail
JSORM_NAMESPACE_END
