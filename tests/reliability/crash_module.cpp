// Schema module libfixture_crash.so for the kill -9 and racing-runner suites: 200
// migrations built in a loop (one small function instantiated once, so the module compiles
// in seconds, not the minutes a 200-literal file would take).
//
// Migration mNNN creates table rNNN in four steps (create, add a column, index it, alter the
// column: its type, nullability and default), so a migration interrupted halfway is visible
// as a table without its column or its index. The alter is SQLite's table rebuild (with
// foreign keys turned off around the transaction), PostgreSQL's ALTER COLUMN and MariaDB's
// MODIFY COLUMN: the kill trials land inside it too, and a clean run's fingerprint (column
// types, nullability, defaults) shows whether it happened.
#include <jsorm/jsorm.hpp>

#include <fmt/format.h>

#include <string>
#include <vector>

using namespace jsorm;

namespace {
constexpr int kMigrations = 200;

AdapterDescriptor fixtureDb() { return sqliteAdapter({.name = "fixture", .path = env("FIXTURE_DB")}); }

Migration fourStepMigration(int i, bool transactional) {
  const std::string table = fmt::format("r{:03}", i);
  return defineMigration({
      .name = fmt::format("m{:03}", i),
      .up = [table, transactional](Builder& t) {
        return Steps{
            t.createTable(defineModel(table, {{"id", t.number().primary()}, {"label", t.string()}})),
            t.addColumn(table, "extra", t.string().optional()),
            // CONCURRENTLY only where the migration runs outside a transaction, as PostgreSQL
            // requires; SQLite ignores the flag.
            t.createIndex(table, {"label"}, {.name = table + "_label", .concurrently = !transactional}),
            t.alterColumn(table, "extra", t.text().defaultTo("none"), {.from = t.string().optional()}),
        };
      },
      .transaction = transactional,
  });
}

std::vector<Migration> migrations(bool transactional, int count = kMigrations) {
  std::vector<Migration> all;
  all.reserve(count);
  for (int i = 1; i <= count; ++i) all.push_back(fourStepMigration(i, transactional));
  return all;
}
}  // namespace

// Every migration in its own transaction: the guarantee under test.
JSORM_EXPORT_SOURCE(crashSource) {
  return defineMigrationSource({.adapter = fixtureDb(), .migrations = migrations(true)});
}

// The same schema with `.transaction = false` and CREATE INDEX CONCURRENTLY: what a kill
// leaves behind here is documented, not guaranteed.
JSORM_EXPORT_SOURCE(nonTransactionalSource) {
  return defineMigrationSource({.adapter = fixtureDb(), .migrations = migrations(false)});
}

// The first 30 of crashSource's migrations, for the racing-runner rounds on MariaDB and
// Galera (where every statement waits for all three nodes: 200 take 3.3 s there).
JSORM_EXPORT_SOURCE(shortSource) {
  return defineMigrationSource({.adapter = fixtureDb(), .migrations = migrations(true, 30)});
}
