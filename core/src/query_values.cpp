#include "query_internal.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <regex>

namespace jsorm::detail {

namespace {
// Checked here rather than left to the database because SQLite stores any text in any
// column: without the check the same bad value fails on PostgreSQL and is kept on SQLite.
enum class Format { Timestamp, Date, Uuid, Decimal };

bool hasFormat(const std::string& text, Format format) {
  static const std::regex timestamp(R"(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?)");
  static const std::regex date(R"(\d{4}-\d{2}-\d{2})");
  static const std::regex uuid(R"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
  static const std::regex decimal(R"(-?\d+(\.\d+)?)");
  switch (format) {
    case Format::Timestamp: return std::regex_match(text, timestamp);
    case Format::Date: return std::regex_match(text, date);
    case Format::Uuid: return std::regex_match(text, uuid);
    case Format::Decimal: return std::regex_match(text, decimal);
  }
  return false;
}

[[noreturn]] void wrongType(const QueryTable& table, const QueryField& field, std::string_view wanted,
                            const nlohmann::json& value) {
  std::string hint;
  if (value.is_array() && field.type != CellType::Bytes && field.type != CellType::Json) {
    hint = "; to match several values use {\"in\": [...]}";
  }
  throw QueryError(fmt::format("{}.{} takes {}, not {}{}", table.model, field.name, wanted, shown(value), hint));
}

Bytes bytesOf(const QueryTable& table, const QueryField& field, const nlohmann::json& value) {
  if (value.is_binary()) {
    const auto& binary = value.get_binary();
    return Bytes(binary.begin(), binary.end());
  }
  if (value.is_array()) {
    Bytes out;
    out.reserve(value.size());
    for (const auto& item : value) {
      if (!item.is_number_integer() || item.get<std::int64_t>() < 0 || item.get<std::int64_t>() > 255) {
        wrongType(table, field, "bytes (nlohmann::json::binary or an array of integers 0-255)", value);
      }
      out.push_back(static_cast<std::uint8_t>(item.get<std::int64_t>()));
    }
    return out;
  }
  wrongType(table, field, "bytes (nlohmann::json::binary or an array of integers 0-255)", value);
}
}  // namespace

std::string ParamBinder::bind(Value value) {
  params_.push_back(std::move(value));
  return dialect_.placeholder(static_cast<int>(params_.size()));
}

std::string shown(const nlohmann::json& value) {
  std::string text = value.is_binary() ? fmt::format("<{} bytes>", value.get_binary().size()) : value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

Value fieldValue(const QueryTable& table, const QueryField& field, const nlohmann::json& value) {
  if (value.is_null()) return std::monostate{};
  switch (field.type) {
    case CellType::Integer:
      if (value.is_number_unsigned() && value.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()) {
        wrongType(table, field, "an integer that fits in 64 bits", value);
      }
      if (value.is_number_integer()) return value.get<std::int64_t>();
      wrongType(table, field, "an integer", value);
    case CellType::Real:
      if (value.is_number()) return value.get<double>();
      // Text keeps a decimal's digits exactly; both databases convert it to NUMERIC.
      if (field.declared == FieldType::Decimal && value.is_string() &&
          hasFormat(value.get<std::string>(), Format::Decimal)) {
        return value.get<std::string>();
      }
      wrongType(table, field, field.declared == FieldType::Decimal ? "a number or a decimal string" : "a number",
                value);
    case CellType::Text: {
      if (!value.is_string()) wrongType(table, field, "a string", value);
      const auto& text = value.get_ref<const std::string&>();
      if (field.declared == FieldType::Date && !hasFormat(text, Format::Date)) {
        wrongType(table, field, "a date 'YYYY-MM-DD'", value);
      }
      if (field.declared == FieldType::Uuid && !hasFormat(text, Format::Uuid)) wrongType(table, field, "a UUID", value);
      return text;
    }
    case CellType::Boolean:
      if (value.is_boolean()) return value.get<bool>();
      wrongType(table, field, "true or false", value);
    case CellType::Timestamp: {
      if (!value.is_string() || !hasFormat(value.get<std::string>(), Format::Timestamp)) {
        wrongType(table, field, "a timestamp 'YYYY-MM-DD HH:MM:SS[.ffffff]'", value);
      }
      // One spelling on both databases, so text comparisons on SQLite order correctly.
      std::string text = value.get<std::string>();
      text[10] = ' ';
      return text;
    }
    case CellType::Json: return value.dump();
    case CellType::Bytes: return bytesOf(table, field, value);
    case CellType::Null: break;
  }
  wrongType(table, field, "a value", value);
}

void checkQueryKeys(const QueryTable& table, const nlohmann::json& query, std::string_view operation,
                    std::initializer_list<std::string_view> allowed) {
  if (!query.is_object()) {
    throw QueryError(fmt::format("{} on '{}' takes a query object {{{}}}, not {}", operation, table.model,
                                 fmt::join(allowed, ", "), shown(query)));
  }
  for (const auto& [key, value] : query.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw QueryError(fmt::format("{} on '{}': unknown query key '{}'; expected {}", operation, table.model, key,
                                   fmt::join(allowed, ", ")));
    }
  }
}

}  // namespace jsorm::detail
