#include <jsorm/error.hpp>
#include <jsorm/identifier.hpp>

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN

std::optional<std::string> identifierProblem(std::string_view name) {
  if (name.empty()) return "is empty";
  if (name.size() > kMaxIdentifierBytes) {
    return fmt::format("is {} bytes long (the limit is {})", name.size(), kMaxIdentifierBytes);
  }
  for (unsigned char c : name) {
    // A newline or a NUL in a name would end a statement, a comment or a C string early.
    if (c < 0x20 || c == 0x7f) return "contains a control character";
  }
  return std::nullopt;
}

void checkIdentifier(const std::string& name, const std::string& what) {
  if (auto problem = identifierProblem(name)) {
    throw SchemaError(name.empty() || problem->starts_with("contains") ? fmt::format("{} {}", what, *problem)
                                                                      : fmt::format("{} '{}' {}", what, name, *problem));
  }
}

JSORM_NAMESPACE_END
