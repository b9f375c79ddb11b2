#include "cli.hpp"

namespace jsorm::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table{
      {"migrate", "Apply every pending migration as one new batch", "jsorm migrate [MODULE SYMBOL] [options]",
       "Loads the schema module, resolves the exported migration source SYMBOL, and applies its pending\n"
       "migrations in source order. Each migration runs in its own transaction with its tracking row.\n"
       "Refuses to run when an applied migration was changed or removed (see migrate:repair).\n"
       "Without MODULE SYMBOL the source comes from jsorm.toml (see --config, --source).\n"
       "Example: jsorm migrate ./build/lib/libroles_users.so ormSource --url sqlite:app.db",
       kSourceOptions | kConnectionOptions | kRunOptions, &runMigrate},
      {"migrate:up", "Apply only the next pending migration", "jsorm migrate:up [MODULE SYMBOL] [options]",
       "Applies the first pending migration as a batch of its own.",
       kSourceOptions | kConnectionOptions | kRunOptions, &runMigrateUp},
      {"migrate:down", "Roll back the last batch", "jsorm migrate:down [MODULE SYMBOL] [options]",
       "Rolls back every migration of the newest batch, newest first, each in its own transaction.\n"
       "A migration without `down` is reversed automatically; if one of the batch cannot be reversed,\n"
       "or is no longer in the source, nothing runs.",
       kSourceOptions | kConnectionOptions | kRunOptions | kGuarded, &runMigrateDown},
      {"migrate:status", "List every migration with its state", "jsorm migrate:status [MODULE SYMBOL] [options]",
       "Lists each migration as applied (with batch and time), pending, changed (applied, but its steps\n"
       "differ now) or missing (applied, but no longer in the source). Exits 10 unless all are applied\n"
       "and unchanged, so a deployment can gate on it.",
       kSourceOptions | kConnectionOptions | kJsonOption | kReadsOnly, &runStatus},
      {"migrate:repair", "Re-record checksums after a deliberate edit", "jsorm migrate:repair [MODULE SYMBOL] [options]",
       "Stores the current checksum of every applied migration whose steps changed, and forgets\n"
       "(deletes the tracking row of) every applied migration the source no longer defines. Nothing\n"
       "else runs. Use it after reviewing why migrate refused.",
       kSourceOptions | kConnectionOptions | kRunOptions | kGuarded, &runRepair},
      {"db:fresh", "Drop every table, then migrate from scratch", "jsorm db:fresh [MODULE SYMBOL] [options]",
       "Drops every table of the database (on PostgreSQL: of the current schema), its data included,\n"
       "then applies every migration as batch 1.",
       kSourceOptions | kConnectionOptions | kRunOptions | kGuarded, &runFresh},
      {"db:rollback", "Roll back every batch", "jsorm db:rollback [MODULE SYMBOL] [--steps N] [options]",
       "Rolls back every applied migration, newest first, each in its own transaction; --steps N rolls\n"
       "back only the newest N. Refuses before running anything if one of them cannot be reversed.",
       kSourceOptions | kConnectionOptions | kRunOptions | kGuarded | kStepsOption, &runRollback},
      {"migrate:generate", "Write a migration from the models' changes", "jsorm migrate:generate [MODULE SYMBOL] [options]",
       "Compares the generate source's models with its snapshot (snapshotPath), classifies each change\n"
       "safe, review_required or dangerous, writes a timestamped C++ migration into migrations/ and\n"
       "updates the snapshot. Build the module with jsorm_add_schema_module(... MIGRATIONS_DIR migrations)\n"
       "and list registeredMigrations() in the source: the next build then picks the file up.\n"
       "Dangerous changes (dropping tables or columns) are written to a .review file instead, with exit 12,\n"
       "unless --allow-dangerous is given. Without MODULE SYMBOL the source is [generateSources] in jsorm.toml.",
       kSourceOptions | kJsonOption | kGenerateOptions, &runGenerate},
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
