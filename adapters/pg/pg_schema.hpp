#pragma once
// The `schema=NAME` parameter of a postgres:// URL: one schema per tenant. jsorm takes it out
// of the URL (libpq refuses parameters it does not know) and puts the connection in it.

#include <optional>
#include <string>

namespace jsorm::pg {

struct SchemaChoice {
  std::string conninfo;               ///< what libpq gets: the URL without `schema=`
  std::optional<std::string> schema;  ///< the schema, percent-decoded and checked
};

/// Splits `schema=NAME` off a postgres:// or postgresql:// URL; other text is returned as
/// is. Throws ConfigError when NAME is not a plain identifier (letters, digits, _ and $,
/// not starting with a digit or $, at most 63 bytes, not pg_...) or is given twice.
SchemaChoice takeSchemaParameter(const std::string& conninfo);

}  // namespace jsorm::pg
