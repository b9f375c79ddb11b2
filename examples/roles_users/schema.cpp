// The roles-and-users seed as a schema module. It migrates into PostgreSQL when
// DATABASE_URL is set, and into the SQLite file roles_users.db otherwise.
#include "models.hpp"

#include <jsorm/jsorm.hpp>

using namespace jsorm;

const Migration initRolesAndUsers = defineMigration({
    .name = "init-roles-and-users",
    .up = [](Builder& t) { return Steps{t.createTable(Role), t.createTable(User)}; },
    .down = [](Builder& t) { return Steps{t.dropTable("users"), t.dropTable("roles")}; },
});
const Migration addUserTimezone = defineMigration({
    .name = "add-user-timezone",
    .up = [](Builder& t) { return Steps{t.addColumn("users", "timezone", t.string().optional())}; },
    .down = [](Builder& t) { return Steps{t.dropColumn("users", "timezone", {.ifExists = true})}; },
});
// GIN and to_tsvector are PostgreSQL's: this migration is only in postgresSource below.
// users exists and holds rows by now, so the index is built CONCURRENTLY, which cannot run
// inside a transaction: the safe recipe migrate:lint asks for (docs/lint.md).
const Migration addFullTextIndex = defineMigration({
    .name = "add-fulltext-index",
    .up = Steps{rawSql("CREATE INDEX CONCURRENTLY users_name_fts ON users USING GIN (to_tsvector('english', name))",
                       "DROP INDEX CONCURRENTLY IF EXISTS users_name_fts")},
    .transaction = false,
});

namespace {
AdapterDescriptor database() {
  return pgAdapter({.name = "main", .connectionString = env("DATABASE_URL", "sqlite:roles_users.db")});
}
}  // namespace

// The hand-written history first, then every migration `jsorm migrate:generate` wrote into
// migrations/ (registered by JSORM_MIGRATION), ordered by their timestamped names.
JSORM_EXPORT_SOURCE(ormSource) {
  return defineMigrationSource({
      .adapter = database(),
      .migrations = withRegisteredMigrations({initRolesAndUsers, addUserTimezone}),
      .migrationTable = "jsorm_migrations",
  });
}

// The same history plus the full-text index, for PostgreSQL deployments.
JSORM_EXPORT_SOURCE(postgresSource) {
  return defineMigrationSource({
      .adapter = database(),
      .migrations = {initRolesAndUsers, addUserTimezone, addFullTextIndex},
      .migrationTable = "jsorm_migrations",
  });
}

JSORM_EXPORT_GENERATE_SOURCE(generateSource) {
  return defineMigrationGenerateSource({.models = {Role, User}, .snapshotPath = ".migrations/schema.json"});
}
