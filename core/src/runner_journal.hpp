#pragma once
// What runner.cpp and runner_journal.cpp (the runner on databases without transactional
// DDL) share.

#include <jsorm/error.hpp>
#include <jsorm/migration.hpp>

#include <string>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// A failed statement as the one line the CLI prints: the migration, step `i` of `steps`,
/// the database's message and the statement, then `afterwards`.
MigrationError stepFailure(const Migration& migration, const Steps& steps, std::size_t i, const SqlError& e,
                           const std::string& sql, const std::string& afterwards = {});

}  // namespace detail
JSORM_NAMESPACE_END
