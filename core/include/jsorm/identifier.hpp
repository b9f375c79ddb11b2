#pragma once
/// What may name a table, column, index or migration table: the one rule every part of
/// jsorm checks names against (the DSL, validation, snapshots read back from disk).

#include <jsorm/api.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

JSORM_NAMESPACE_BEGIN

/// The longest identifier: PostgreSQL truncates longer names silently, which would make
/// two names collide.
inline constexpr std::size_t kMaxIdentifierBytes = 63;

/// What is wrong with `name` as an identifier ("is empty", "is 70 bytes long (the limit is
/// 63)", "contains a control character"), or nullopt when it can be one. Any other
/// character is allowed: every identifier is quoted.
JSORM_API std::optional<std::string> identifierProblem(std::string_view name);

/// Throws SchemaError "<what> <problem>" when `name` cannot be an identifier.
JSORM_API void checkIdentifier(const std::string& name, const std::string& what);

JSORM_NAMESPACE_END
