// inspect: what a schema module exports and which jsorm it was built for.

#include "../cli.hpp"

#include <jsorm/schema_module.hpp>
#include <jsorm/version.hpp>

#include <nlohmann/json.hpp>

namespace jsorm::cli {

int runInspect(Invocation& invocation) {
  const auto& args = invocation.options.positional;
  if (args.size() != 1) throw UsageError("expected one MODULE, e.g. jsorm inspect ./build/lib/libroles_users.so");
  const auto module = SchemaModule::load(args[0]);

  if (invocation.options.json) {
    nlohmann::json exports = nlohmann::json::array();
    for (const auto& e : module.exports()) exports.push_back({{"name", e.name}, {"kind", sourceKindName(e.kind)}});
    invocation.out.result(nlohmann::json{{"module", args[0]},
                                         {"jsormVersion", module.jsormVersion()},
                                         {"abiVersion", module.abiVersion()},
                                         {"exports", exports}}
                              .dump(2));
    return 0;
  }
  Output& out = invocation.out;
  out.result(fmt::format("{}: built with jsorm {} (ABI {})", args[0], module.jsormVersion(), module.abiVersion()));
  if (module.exports().empty()) out.result("  exports no sources");
  for (const auto& e : module.exports()) out.result(fmt::format("  {:<24} {}", e.name, sourceKindName(e.kind)));
  return 0;
}

extern const Command inspectCommand;
const Command inspectCommand{
    "inspect", "List the sources a schema module exports", "jsorm inspect MODULE [options]",
    "Shows the jsorm version and ABI the module was built for, and every exported source.",
    kJsonOption, &runInspect};

}  // namespace jsorm::cli
