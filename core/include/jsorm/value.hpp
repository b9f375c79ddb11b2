#pragma once
/// Values bound to statements and read back from queries.

#include <jsorm/api.hpp>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

JSORM_NAMESPACE_BEGIN

using Bytes = std::vector<std::uint8_t>;
/// A bound parameter or a result cell; std::monostate is SQL NULL.
using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string, Bytes>;
/// A constant a field may default to.
using Literal = std::variant<bool, std::int64_t, double, std::string>;

JSORM_NAMESPACE_END
