#include <jsorm/error.hpp>
#include <jsorm/migration.hpp>

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN

Steps MigrationBody::build() const {
  if (callback_) {
    Builder builder;
    return callback_(builder);
  }
  return steps_.value_or(Steps{});
}

Migration defineMigration(Migration migration) { return migration; }

Steps downSteps(const Migration& migration) {
  if (!migration.down.empty()) return migration.down.build();
  const Steps up = migration.up.build();
  Steps down;
  for (std::size_t i = up.size(); i-- > 0;) {
    auto reversed = up[i].reversed();
    if (!reversed) {
      throw MigrationError(
          migration.name,
          fmt::format("migration '{}' cannot be rolled back: step {} of {}, {}, is not reversible and the migration "
                      "has no down; add a down to the migration",
                      migration.name, i + 1, up.size(), up[i].describe()));
    }
    for (auto& step : *reversed) down.push_back(std::move(step));
  }
  return down;
}

JSORM_NAMESPACE_END
