// The one form a value read through a model takes on every database (docs/models.md,
// "Values read back"). Each database returns its own spelling: SQLite keeps booleans as
// 0/1 and a decimal as a REAL, PostgreSQL prints numeric with its scale and jsonb with
// spaces, MariaDB prints DATETIME(6) with six digits. Conversions are lossless.
#include "query_internal.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>

JSORM_NAMESPACE_BEGIN
namespace detail {

namespace {
bool digitsAt(std::string_view text, std::initializer_list<std::size_t> positions) {
  for (std::size_t at : positions) {
    if (at >= text.size() || !std::isdigit(static_cast<unsigned char>(text[at]))) return false;
  }
  return true;
}

int number(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

// "YYYY-MM-DD[ T]HH:MM:SS[.f...][Z|+HH[:MM]]" -> "YYYY-MM-DDTHH:MM:SS.ffffff" in UTC. A
// zone comes only from a column another tool made (timestamptz); jsorm's are zone-less.
std::optional<std::string> canonicalTimestamp(std::string_view text) {
  if (!digitsAt(text, {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) || text[4] != '-' || text[7] != '-' ||
      (text[10] != ' ' && text[10] != 'T') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  std::size_t at = 19;
  std::string fraction;
  if (at < text.size() && text[at] == '.') {
    while (++at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) fraction += text[at];
    if (fraction.empty()) return std::nullopt;
  }
  fraction = (fraction + "000000").substr(0, 6);  // microseconds, the finest any database keeps
  int offsetMinutes = 0;
  if (at < text.size()) {
    const std::string_view zone = text.substr(at);
    if (zone == "Z") {
    } else if ((zone[0] == '+' || zone[0] == '-') && digitsAt(zone, {1, 2}) && number(zone, 1, 2) <= 23) {
      // +HH, +HHMM or +HH:MM
      int minutes = number(zone, 1, 2) * 60;
      const std::size_t rest = zone.size() > 3 && zone[3] == ':' ? 4 : 3;
      if (zone.size() != 3) {
        if (!digitsAt(zone, {rest, rest + 1}) || rest + 2 != zone.size() || number(zone, rest, 2) > 59) {
          return std::nullopt;
        }
        minutes += number(zone, rest, 2);
      }
      offsetMinutes = zone[0] == '+' ? minutes : -minutes;
    } else {
      return std::nullopt;
    }
  }
  using namespace std::chrono;
  const year_month_day date{year{number(text, 0, 4)}, month{static_cast<unsigned>(number(text, 5, 2))},
                            day{static_cast<unsigned>(number(text, 8, 2))}};
  if (!date.ok()) return std::nullopt;
  const auto instant = sys_days{date} + hours{number(text, 11, 2)} + minutes{number(text, 14, 2)} +
                       seconds{number(text, 17, 2)} - minutes{offsetMinutes};
  const auto midnight = floor<days>(instant);
  const year_month_day utc{midnight};
  const hh_mm_ss time{instant - midnight};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{}", static_cast<int>(utc.year()),
                     static_cast<unsigned>(utc.month()), static_cast<unsigned>(utc.day()), time.hours().count(),
                     time.minutes().count(), time.seconds().count(), fraction);
}

// Decimal digits with exactly `scale` fraction digits: padded with zeros, and zeros past the
// scale dropped (a digit other than zero past it is kept: nothing is rounded away).
std::optional<std::string> withScale(std::string text, int scale) {
  std::size_t start = text.starts_with('-') ? 1 : 0;
  const auto dot = text.find('.');
  const std::size_t intEnd = dot == std::string::npos ? text.size() : dot;
  if (intEnd == start) return std::nullopt;
  for (std::size_t i = start; i < text.size(); ++i) {
    if (i != dot && !std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  if (dot == std::string::npos) text += '.';
  const auto wanted = static_cast<std::size_t>(scale);
  std::size_t fraction = text.size() - intEnd - 1;
  while (fraction > wanted && text.back() == '0') text.pop_back(), --fraction;
  if (fraction < wanted) text += std::string(wanted - fraction, '0');
  if (text.back() == '.') text.pop_back();  // scale 0
  return text;
}

// A double from SQLite's REAL storage: its shortest exact spelling, else (a spelling with an
// exponent) 15 significant digits, what a double is sure to hold.
std::string decimalOfDouble(double value) {
  if (std::string shortest = fmt::format("{}", value); shortest.find_first_of("eE") == std::string::npos) {
    return shortest == "-0" ? "0" : shortest;
  }
  const double magnitude = std::abs(value);
  const int integerDigits = magnitude < 1 ? 1 : static_cast<int>(std::floor(std::log10(magnitude))) + 1;
  const int fraction = std::max(0, 15 - integerDigits);
  std::string text = fmt::format("{:.{}f}", value, fraction);
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text == "-0" ? "0" : text;
}

Value canonicalDecimal(const QueryField& field, Value cell) {
  std::string text;
  if (const auto* i = std::get_if<std::int64_t>(&cell)) {
    text = std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&cell)) {
    if (!std::isfinite(*d)) return cell;
    text = decimalOfDouble(*d);
  } else if (const auto* s = std::get_if<std::string>(&cell)) {
    text = *s;
  } else {
    return cell;
  }
  if (auto scaled = withScale(std::move(text), field.scale)) return *scaled;
  return cell;
}
}  // namespace

Value normaliseCell(const QueryField& field, Value cell) {
  if (std::holds_alternative<std::monostate>(cell)) return cell;
  if (field.declared == FieldType::Decimal) return canonicalDecimal(field, std::move(cell));
  if (const auto* i = std::get_if<std::int64_t>(&cell)) {
    if (field.type == CellType::Real) return static_cast<double>(*i);
    if (field.type == CellType::Boolean && (*i == 0 || *i == 1)) return *i == 1;
  } else if (const auto* d = std::get_if<double>(&cell)) {
    // A column an existing database declared loosely may hold 3.0 for 3.
    if (field.type == CellType::Integer && std::trunc(*d) == *d && std::abs(*d) < 9.2e18) {
      return static_cast<std::int64_t>(*d);
    }
  } else if (auto* s = std::get_if<std::string>(&cell)) {
    const char* end = s->data() + s->size();
    if (field.type == CellType::Real) {
      double v = 0;
      if (auto r = std::from_chars(s->data(), end, v); r.ec == std::errc{} && r.ptr == end) return v;
    } else if (field.type == CellType::Integer) {
      std::int64_t v = 0;
      if (auto r = std::from_chars(s->data(), end, v); r.ec == std::errc{} && r.ptr == end) return v;
    } else if (field.type == CellType::Timestamp) {
      if (auto stamp = canonicalTimestamp(*s)) return *stamp;
    } else if (field.type == CellType::Json) {
      // PostgreSQL's jsonb prints `{"a": 1}`, the others keep what was written: one compact form.
      auto document = nlohmann::json::parse(*s, nullptr, false);
      if (!document.is_discarded()) return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    } else if (field.declared == FieldType::Uuid) {
      for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return cell;
}

}  // namespace detail
JSORM_NAMESPACE_END
