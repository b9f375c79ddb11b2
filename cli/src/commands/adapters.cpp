// adapters: the plugins jsorm finds, where, and whether they load.

#include "../cli.hpp"

#include <jsorm/adapter_plugin.hpp>

#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace jsorm::cli {

int runAdapters(Invocation& invocation) {
  const auto searchPath = adapterSearchPath(invocation.options.adapterPath);
  const auto found = listAdapters(searchPath);
  Output& out = invocation.out;
  if (invocation.options.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& a : found) {
      list.push_back({{"name", a.name}, {"path", a.path.string()}, {"version", a.version},
                      {"description", a.description}, {"problem", a.problem}});
    }
    std::vector<std::string> dirs;
    for (const auto& d : searchPath) dirs.push_back(d.string());
    out.result(nlohmann::json{{"searchPath", dirs}, {"adapters", list}}.dump(2));
    return 0;
  }
  std::vector<std::string> dirs;
  for (const auto& d : searchPath) dirs.push_back(d.string());
  out.result(fmt::format("Search path: {}", fmt::join(dirs, ":")));
  if (found.empty()) out.result("  no adapter plugins found");
  for (const auto& a : found) {
    if (a.problem.empty()) {
      out.result(fmt::format("  {:<10} {:<8} {}  {}", a.name, a.version, a.description, out.dim(a.path.string())));
    } else {
      out.result(fmt::format("  {:<10} {}: {}", a.name, out.red("unusable"), a.problem));
    }
  }
  return 0;
}

extern const Command adaptersCommand;
const Command adaptersCommand{
    "adapters", "List the adapter plugins jsorm can find", "jsorm adapters [options]",
    "Lists libjsorm_adapter_*.so on the search path: --adapter-path, $JSORM_ADAPTER_PATH, then the\n"
    "adapters folder of this installation.",
    kAdapterPathOption | kJsonOption, &runAdapters};

}  // namespace jsorm::cli
