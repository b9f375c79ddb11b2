#pragma once
/// Migrations: a name, the steps that apply it and the steps that undo it.

#include <jsorm/api.hpp>
#include <jsorm/builder.hpp>
#include <jsorm/step.hpp>

#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// `up` or `down`: either a list of steps or a callback that returns one.
class JSORM_API MigrationBody {
 public:
  MigrationBody() = default;
  MigrationBody(Steps steps) : steps_(std::move(steps)) {}
  template <class Callback>
    requires std::is_invocable_r_v<Steps, Callback&, Builder&>
  MigrationBody(Callback callback) : callback_(std::move(callback)) {}

  /// True when the migration gave no body at all (as opposed to an empty step list).
  bool empty() const noexcept { return !steps_ && !callback_; }
  Steps build() const;

 private:
  std::optional<Steps> steps_;
  std::function<Steps(Builder&)> callback_;
};

/// A lint rule a migration accepts on purpose, and why (migrate:lint prints the reason).
struct LintAllowance {
  std::string rule;
  std::string reason;
};

/// A migration. Fields are in jsorm's order so designated initializers read as in jsorm.
struct Migration {
  std::string name;
  MigrationBody up;
  /// When empty, `up` is reversed automatically if every step is reversible.
  MigrationBody down;
  /// false runs the migration outside a transaction (e.g. CREATE INDEX CONCURRENTLY).
  bool transaction = true;
  /// Lint rules this migration accepts: `.lintAllow = {{"rule-id", "why"}}` (docs/lint.md).
  std::vector<LintAllowance> lintAllow;
};

/// Defines a migration. Never throws; mistakes surface when the source is validated.
JSORM_API Migration defineMigration(Migration migration);

/// The steps that apply `migration`. Anything its `up` throws becomes a MigrationError
/// naming the migration.
JSORM_API Steps upSteps(const Migration& migration);

/// The steps that undo `migration`: its `down`, or its `up` reversed.
/// Throws MigrationError naming the first step that cannot be reversed.
JSORM_API Steps downSteps(const Migration& migration);

JSORM_NAMESPACE_END
