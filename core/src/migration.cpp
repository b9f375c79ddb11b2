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

namespace {
// A body is user code: whatever it throws becomes a MigrationError that names the
// migration, so the runner and validation handle it like a failing statement.
Steps buildBody(const Migration& migration, const MigrationBody& body, const char* which) {
  try {
    return body.build();
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw MigrationError(migration.name,
                         fmt::format("migration '{}': its {} threw while building its steps: {}", migration.name, which, e.what()));
  } catch (...) {
    throw MigrationError(migration.name, fmt::format("migration '{}': its {} threw while building its steps (an "
                                                     "exception that is not a std::exception)",
                                                     migration.name, which));
  }
}
}  // namespace

Steps upSteps(const Migration& migration) { return buildBody(migration, migration.up, "up"); }

Steps downSteps(const Migration& migration) {
  if (!migration.down.empty()) return buildBody(migration, migration.down, "down");
  const Steps up = upSteps(migration);
  Steps down;
  for (std::size_t i = up.size(); i-- > 0;) {
    auto reversed = up[i].reversed();
    if (!reversed) {
      throw MigrationError(
          migration.name,
          fmt::format("migration '{}' cannot be rolled back: step {} of {}, {}, is not reversible and the migration "
                      "has no down; add a down to the migration{}",
                      migration.name, i + 1, up.size(), up[i].describe(),
                      std::holds_alternative<step::AlterColumn>(up[i].operation())
                          ? " (or give the alterColumn the column as it was: {.from = t.string(100)})"
                          : ""));
    }
    for (auto& step : *reversed) down.push_back(std::move(step));
  }
  return down;
}

JSORM_NAMESPACE_END
