#include "mysql_values.hpp"

#include <jsorm/error.hpp>
#include <jsorm/overloaded.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace jsorm::mysql {

namespace {
// The binary collation's number: a BLOB column has it, a TEXT column does not.
constexpr unsigned kBinaryCharset = 63;

void appendLiteral(MYSQL* mysql, std::string& out, const Value& value) {
  std::visit(detail::Overloaded{
                 [&](std::monostate) { out += "NULL"; },
                 [&](bool b) { out += b ? "TRUE" : "FALSE"; },
                 [&](std::int64_t i) { out += fmt::format("{}", i); },
                 [&](double d) {
                   // MySQL's DOUBLE holds neither infinity nor NaN; NULL is what it stores for them.
                   out += std::isfinite(d) ? fmt::format("{}", d) : "NULL";
                 },
                 [&](const std::string& s) {
                   std::string escaped(s.size() * 2 + 1, '\0');
                   const unsigned long n = mysql_real_escape_string(mysql, escaped.data(), s.data(), s.size());
                   escaped.resize(n);
                   out += '\'';
                   out += escaped;
                   out += '\'';
                 },
                 [&](const Bytes& b) {
                   out += "X'";
                   for (auto byte : b) out += fmt::format("{:02X}", byte);
                   out += '\'';
                 },
             },
             value);
}
}  // namespace

std::string withParams(MYSQL* mysql, std::string_view sql, const std::vector<Value>& params) {
  if (params.empty()) return std::string(sql);
  std::string out;
  out.reserve(sql.size() + params.size() * 8);
  std::size_t next = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      // Quoted text or identifier: copied through to its closing quote (a doubled quote
      // and, in strings, a backslash escape stay inside).
      const std::size_t start = i;
      for (++i; i < sql.size(); ++i) {
        if (c != '`' && sql[i] == '\\') { ++i; continue; }
        if (sql[i] == c) {
          if (i + 1 < sql.size() && sql[i + 1] == c) { ++i; continue; }
          break;
        }
      }
      out.append(sql.substr(start, i - start + 1));
      continue;
    }
    if (c == '?') {
      if (next >= params.size()) {
        throw SqlError(fmt::format("the statement has more placeholders than the {} values given", params.size()),
                       std::string(sql));
      }
      appendLiteral(mysql, out, params[next++]);
      continue;
    }
    out += c;
  }
  if (next != params.size()) {
    throw SqlError(fmt::format("the statement has {} placeholders for {} values", next, params.size()), std::string(sql));
  }
  return out;
}

Value decodeCell(const MYSQL_FIELD& field, const char* data, unsigned long length) {
  if (!data) return std::monostate{};
  const std::string_view text(data, length);
  switch (field.type) {
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR: {
      std::int64_t value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      // An unsigned BIGINT past the signed range stays text rather than wrapping.
      if (error == std::errc() && end == text.data() + text.size()) return value;
      return std::string(text);
    }
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE: {
      double value = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error == std::errc() && end == text.data() + text.size()) return value;
      return std::string(text);
    }
    case MYSQL_TYPE_TINY_BLOB:
    case MYSQL_TYPE_MEDIUM_BLOB:
    case MYSQL_TYPE_LONG_BLOB:
    case MYSQL_TYPE_BLOB:
    case MYSQL_TYPE_VAR_STRING:
    case MYSQL_TYPE_STRING:
    case MYSQL_TYPE_VARCHAR:
      if (field.charsetnr == kBinaryCharset && (field.flags & BINARY_FLAG)) {
        return Bytes(reinterpret_cast<const std::uint8_t*>(data), reinterpret_cast<const std::uint8_t*>(data) + length);
      }
      return std::string(text);
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIME: {
      // DATETIME(6) always prints six digits; trailing zeros go, as PostgreSQL prints it.
      std::string out(text);
      if (out.find('.') != std::string::npos) {
        while (out.back() == '0') out.pop_back();
        if (out.back() == '.') out.pop_back();
      }
      return out;
    }
    default: return std::string(text);  // DECIMAL, dates, JSON: their text
  }
}

}  // namespace jsorm::mysql
