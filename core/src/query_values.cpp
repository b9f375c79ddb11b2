#include "query_internal.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <regex>

JSORM_NAMESPACE_BEGIN
namespace detail {

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

int digits(const std::string& text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// "YYYY-MM-DD" at the start of `text` names a day of the calendar: PostgreSQL refuses
// 2024-02-30, and SQLite, which stores any text, must refuse it too.
bool isCalendarDay(const std::string& text) {
  const int year = digits(text, 0, 4);
  const int month = digits(text, 5, 2);
  const int day = digits(text, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

// "HH:MM:SS" at offset 11 is a time of day.
bool isTimeOfDay(const std::string& text) {
  return digits(text, 11, 2) <= 23 && digits(text, 14, 2) <= 59 && digits(text, 17, 2) <= 59;
}

// Strings go to both databases as UTF-8 text: PostgreSQL refuses other bytes, SQLite keeps
// them, so they are refused here for both.
bool isValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t length = 0;
    char32_t c = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead >> 5) == 0x6) {
      length = 2, c = lead & 0x1F;
    } else if ((lead >> 4) == 0xE) {
      length = 3, c = lead & 0x0F;
    } else if ((lead >> 3) == 0x1E) {
      length = 4, c = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      c = (c << 6) | (next & 0x3F);
    }
    constexpr char32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < kSmallest[length] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return false;  // overlong, surrogate
    i += length;
  }
  return true;
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
  // The same limit on every database, so a query that works on SQLite works on PostgreSQL:
  // SQLite's default limit (PostgreSQL's protocol allows 65535). Past it the databases fail
  // with their own words, and SQLite's numbered placeholders cost quadratic time.
  constexpr std::size_t kMaxParameters = 32766;
  if (params_.size() >= kMaxParameters) {
    throw QueryError(fmt::format("the query binds more than {} values, the most one statement takes on every "
                                 "database; split a long 'in' list into batches",
                                 kMaxParameters));
  }
  params_.push_back(std::move(value));
  return dialect_.placeholder(static_cast<int>(params_.size()));
}

std::string shown(const nlohmann::json& value) {
  // Replaces invalid UTF-8 rather than throwing: the message is about that very value.
  std::string text = value.is_binary() ? fmt::format("<{} bytes>", value.get_binary().size())
                                       : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
      // number is a 32-bit integer on PostgreSQL; SQLite would keep any 64-bit value.
      if (value.is_number_integer() && field.declared == FieldType::Number &&
          (value.get<std::int64_t>() < std::numeric_limits<std::int32_t>::min() ||
           value.get<std::int64_t>() > std::numeric_limits<std::int32_t>::max())) {
        wrongType(table, field, "an integer that fits in 32 bits (use bigint for more)", value);
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
      if (!isValidUtf8(text)) wrongType(table, field, "valid UTF-8 text", value);
      if (field.declared == FieldType::Date && (!hasFormat(text, Format::Date) || !isCalendarDay(text))) {
        wrongType(table, field, "a date 'YYYY-MM-DD'", value);
      }
      if (field.declared == FieldType::Uuid) {
        if (!hasFormat(text, Format::Uuid)) wrongType(table, field, "a UUID", value);
        // Lower case, as PostgreSQL stores a uuid: SQLite and MariaDB compare the text.
        std::string lower = text;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return lower;
      }
      return text;
    }
    case CellType::Boolean:
      if (value.is_boolean()) return value.get<bool>();
      wrongType(table, field, "true or false", value);
    case CellType::Timestamp: {
      if (!value.is_string() || !hasFormat(value.get<std::string>(), Format::Timestamp) ||
          !isCalendarDay(value.get<std::string>()) || !isTimeOfDay(value.get<std::string>())) {
        wrongType(table, field, "a timestamp 'YYYY-MM-DD HH:MM:SS[.ffffff]'", value);
      }
      // One spelling on both databases, so that SQLite, which compares the text, finds what
      // PostgreSQL, which compares instants, finds: a space, not a T, and the fraction
      // without trailing zeros (10:00:00.500 is 10:00:00.5, 10:00:00.000 is 10:00:00).
      std::string text = value.get<std::string>();
      text[10] = ' ';
      if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
      }
      return text;
    }
    case CellType::Json:
      try {
        return value.dump();
      } catch (const nlohmann::json::type_error&) {
        wrongType(table, field, "JSON whose strings are valid UTF-8", value);
      }
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

}  // namespace detail
JSORM_NAMESPACE_END
