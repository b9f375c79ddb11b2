#pragma once
/// A migration's checksum, recorded in the tracking table so an edited history is noticed.

#include <jsorm/api.hpp>
#include <jsorm/migration.hpp>

#include <string>

JSORM_NAMESPACE_BEGIN

/// A hash of the migration's normalised steps (up, an explicit down, and the transaction
/// flag), so a rebuild or a reformat of the source does not change it.
JSORM_API std::string checksum(const Migration& migration);

JSORM_NAMESPACE_END
