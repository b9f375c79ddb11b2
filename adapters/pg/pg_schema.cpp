#include "pg_schema.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>

#include <fmt/format.h>

#include <cctype>

namespace jsorm::pg {

namespace {
// What PostgreSQL accepts unquoted, minus case folding: jsorm quotes the name, so it is used
// exactly as written. The pg_ prefix is reserved for system schemas.
std::string problemWith(const std::string& name) {
  if (name.empty()) return "it is empty";
  if (name.size() > 63) return fmt::format("it is {} bytes long; PostgreSQL allows 63", name.size());
  const auto c0 = static_cast<unsigned char>(name[0]);
  if (!std::isalpha(c0) && c0 != '_') return "it must start with a letter or _";
  for (unsigned char c : name) {
    if (!std::isalnum(c) && c != '_' && c != '$') return "only letters, digits, _ and $ are allowed";
  }
  if (name.size() >= 3 && std::tolower(c0) == 'p' && std::tolower(static_cast<unsigned char>(name[1])) == 'g' &&
      name[2] == '_') {
    return "names starting with pg_ are reserved for PostgreSQL's own schemas";
  }
  return {};
}
}  // namespace

SchemaChoice takeSchemaParameter(const std::string& conninfo) {
  if (conninfo.rfind("postgres://", 0) != 0 && conninfo.rfind("postgresql://", 0) != 0) return {conninfo, {}};
  const auto query = conninfo.find('?');
  if (query == std::string::npos) return {conninfo, {}};
  SchemaChoice choice{conninfo.substr(0, query), {}};
  std::string kept;
  std::size_t start = query + 1;
  while (start <= conninfo.size()) {
    auto end = conninfo.find('&', start);
    if (end == std::string::npos) end = conninfo.size();
    const std::string parameter = conninfo.substr(start, end - start);
    if (parameter.rfind("schema=", 0) == 0) {
      const std::string name = percentDecoded(parameter.substr(7));
      if (choice.schema) {
        throw ConfigError(fmt::format("{}: schema= is given twice; give one schema per URL", redactConnection(conninfo)));
      }
      if (const auto problem = problemWith(name); !problem.empty()) {
        throw ConfigError(fmt::format("{}: schema= must name a schema as a plain identifier, and {}",
                                      redactConnection(conninfo), problem));
      }
      choice.schema = name;
    } else if (!parameter.empty()) {
      kept += (kept.empty() ? "?" : "&") + parameter;
    }
    start = end + 1;
  }
  choice.conninfo += kept;
  return choice;
}

}  // namespace jsorm::pg
