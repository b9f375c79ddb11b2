#include "pg_values.hpp"

#include <jsorm/error.hpp>
#include <jsorm/overloaded.hpp>

#include <fmt/format.h>

#include <charconv>
#include <memory>

namespace jsorm::pg {

namespace {
// Built-in type OIDs (catalog/pg_type_d.h is a server header, so they are spelled out).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

// A zero-length binary parameter still needs a non-null pointer: null means SQL NULL.
constexpr char kEmpty[] = "";

using detail::Overloaded;
}  // namespace

Params::Params(const std::vector<Value>& values) {
  const std::size_t n = values.size();
  types_.assign(n, 0);
  pointers_.assign(n, nullptr);
  lengths_.assign(n, 0);
  formats_.assign(n, 0);
  // Every text is stored before any pointer into text_ is taken: no reallocation afterwards.
  text_.reserve(n);
  std::vector<int> textIndex(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    std::visit(Overloaded{
                   [](std::monostate) {},
                   [&](bool b) {
                     textIndex[i] = static_cast<int>(text_.size());
                     text_.emplace_back(b ? "true" : "false");
                   },
                   [&](std::int64_t v) {
                     textIndex[i] = static_cast<int>(text_.size());
                     text_.push_back(fmt::format("{}", v));
                   },
                   [&](double v) {
                     textIndex[i] = static_cast<int>(text_.size());
                     text_.push_back(fmt::format("{}", v));
                   },
                   [&](const std::string& s) {
                     // Text parameters travel NUL-terminated, and PostgreSQL text cannot hold a
                     // NUL byte at all: "ab\0cd" would be stored, and matched, as "ab".
                     if (const auto nul = s.find('\0'); nul != std::string::npos) {
                       throw QueryError(fmt::format("parameter ${} holds a NUL byte (at byte {}), which PostgreSQL "
                                                    "text cannot store; remove it, or store the value as bytes",
                                                    i + 1, nul));
                     }
                     pointers_[i] = s.c_str();
                   },
                   [&](const Bytes& b) {
                     // Typed as bytea so that the server never reads the binary value as text;
                     // every other parameter stays untyped and takes its type from the statement.
                     types_[i] = kByteaOid;
                     formats_[i] = 1;
                     lengths_[i] = static_cast<int>(b.size());
                     pointers_[i] = b.empty() ? kEmpty : reinterpret_cast<const char*>(b.data());
                   },
               },
               values[i]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (textIndex[i] >= 0) pointers_[i] = text_[static_cast<std::size_t>(textIndex[i])].c_str();
  }
}

Value decodeCell(const PGresult* result, int row, int column) {
  if (PQgetisnull(result, row, column)) return std::monostate{};
  const char* text = PQgetvalue(result, row, column);
  const auto length = static_cast<std::size_t>(PQgetlength(result, row, column));
  switch (PQftype(result, column)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid: {
      std::int64_t v = 0;
      if (std::from_chars(text, text + length, v).ec == std::errc{}) return v;
      break;
    }
    case kBoolOid: return text[0] == 't';
    case kFloat4Oid:
    case kFloat8Oid: {
      double v = 0;
      // from_chars reads "NaN", "Infinity" and "-Infinity" as PostgreSQL prints them.
      if (std::from_chars(text, text + length, v).ec == std::errc{}) return v;
      break;
    }
    case kByteaOid: {
      std::size_t size = 0;
      std::unique_ptr<unsigned char, decltype(&PQfreemem)> raw(
          PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size), &PQfreemem);
      if (raw) return Bytes(raw.get(), raw.get() + size);
      break;
    }
    default: break;
  }
  return std::string(text, length);
}

}  // namespace jsorm::pg
