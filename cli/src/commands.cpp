#include "cli.hpp"

namespace jsorm::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table{
      {"migrate", "Apply every pending migration as one new batch", "jsorm migrate MODULE SYMBOL [options]",
       "Loads the schema module, resolves the exported migration source SYMBOL, and applies its pending\n"
       "migrations in source order. Each migration runs in its own transaction with its tracking row.\n"
       "Example: jsorm migrate ./build/lib/libroles_users.so ormSource --url sqlite:app.db",
       kSourceOptions | kConnectionOptions | kRunOptions, &runMigrate},
      {"migrate:up", "Apply only the next pending migration", "jsorm migrate:up MODULE SYMBOL [options]",
       "Applies the first pending migration as a batch of its own.",
       kSourceOptions | kConnectionOptions | kRunOptions, &runMigrateUp},
      {"migrate:down", "Roll back the last batch", "jsorm migrate:down MODULE SYMBOL [options]",
       "Rolls back every migration of the newest batch, newest first, each in its own transaction.\n"
       "A migration without `down` is reversed automatically; if one of the batch cannot be reversed,\n"
       "or is no longer in the source, nothing runs.",
       kSourceOptions | kConnectionOptions | kRunOptions, &runMigrateDown},
      {"migrate:status", "List every migration with its state", "jsorm migrate:status MODULE SYMBOL [options]",
       "Lists each migration as applied (with batch and time), pending, changed (applied, but its steps\n"
       "differ now) or missing (applied, but no longer in the source). Exits 10 unless all are applied\n"
       "and unchanged, so a deployment can gate on it.",
       kSourceOptions | kConnectionOptions | kJsonOption, &runStatus},
      {"inspect", "List the sources a schema module exports", "jsorm inspect MODULE [options]",
       "Shows the jsorm version and ABI the module was built for, and every exported source.",
       kJsonOption, &runInspect},
      {"adapters", "List the adapter plugins jsorm can find", "jsorm adapters [options]",
       "Lists libjsorm_adapter_*.so on the search path: --adapter-path, $JSORM_ADAPTER_PATH, then the\n"
       "adapters folder of this installation.",
       kAdapterPathOption | kJsonOption, &runAdapters},
  };
  return table;
}

}  // namespace jsorm::cli
