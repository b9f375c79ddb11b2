#include "tracking_table.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <charconv>

JSORM_NAMESPACE_BEGIN
namespace detail {

const std::vector<TrackingColumn>& trackingColumns() {
  static const std::vector<TrackingColumn> columns = [] {
    auto spec = [](FieldType type, auto&&... modify) {
      FieldSpec f;
      f.type = type;
      (modify(f), ...);
      return f;
    };
    auto primary = [](FieldSpec& f) { f.primary = true; };
    auto optional = [](FieldSpec& f) { f.optional = true; };
    auto now = [](FieldSpec& f) { f.defaultSql = "CURRENT_TIMESTAMP"; };
    return std::vector<TrackingColumn>{
        {"id", spec(FieldType::Number, primary), false, false},
        {"name", spec(FieldType::Text), true, false},
        {"batch", spec(FieldType::Number), false, false},
        {"applied_at", spec(FieldType::Timestamp, now), false, false},
        {"checksum", spec(FieldType::Text, optional), false, true},
        {"execution_ms", spec(FieldType::Number, optional), false, true},
    };
  }();
  return columns;
}

TrackingTable::TrackingTable(const Dialect& dialect, std::string table, ExtraColumns present)
    : dialect_(dialect), table_(std::move(table)), present_(present) {
  const std::string t = dialect_.quoteIdentifier(table_);
  std::vector<std::string> read;
  std::vector<std::string> written;
  std::vector<std::string> placeholders;
  for (const auto& c : trackingColumns()) {
    const std::string column = dialect_.quoteIdentifier(c.name);
    const bool missing = c.extra && !(std::string_view(c.name) == "checksum" ? present_.checksum : present_.executionMs);
    // A missing extra column reads as NULL, so parse() sees the same shape either way; a
    // timestamp reads as text in the database's own spelling.
    read.push_back(missing ? "NULL" : c.field.type == FieldType::Timestamp ? dialect_.castToText(column) : column);
    if (isGeneratedKey(c.field) || !c.field.defaultSql.empty()) continue;  // the database fills these in
    written.push_back(column);
    placeholders.push_back(dialect_.placeholder(static_cast<int>(written.size())));
  }
  select_ = fmt::format("SELECT {} FROM {} ORDER BY {}", fmt::join(read, ", "), t, dialect_.quoteIdentifier("id"));
  insert_ = fmt::format("INSERT INTO {} ({}) VALUES ({})", t, fmt::join(written, ", "), fmt::join(placeholders, ", "));
  delete_ = fmt::format("DELETE FROM {} WHERE {} = {}", t, dialect_.quoteIdentifier("name"), dialect_.placeholder(1));
  updateChecksum_ = fmt::format("UPDATE {} SET {} = {} WHERE {} = {}", t, dialect_.quoteIdentifier("checksum"),
                                dialect_.placeholder(1), dialect_.quoteIdentifier("name"), dialect_.placeholder(2));
}

ExtraColumns TrackingTable::presentIn(Connection& connection, const std::string& table) {
  return {connection.hasColumn(table, "checksum"), connection.hasColumn(table, "execution_ms")};
}

std::string TrackingTable::addColumnSql(const std::string& column) const {
  for (const auto& c : trackingColumns()) {
    if (c.name == column) {
      return fmt::format("ALTER TABLE {} ADD COLUMN {}", dialect_.quoteIdentifier(table_),
                         dialect_.columnDefinition(ColumnDef{c.name, c.field, std::nullopt}));
    }
  }
  throw Error(fmt::format("the tracking table has no column '{}'", column));
}

namespace {
// SQLite hands back whatever a column holds; a value that is not a whole number is a
// damaged tracking table, reported as such rather than as a conversion failure.
std::int64_t asInteger(const Value& value, const char* column) {
  if (const auto* i = std::get_if<std::int64_t>(&value)) return *i;
  if (const auto* s = std::get_if<std::string>(&value)) {
    std::int64_t parsed = 0;
    const auto [end, error] = std::from_chars(s->data(), s->data() + s->size(), parsed);
    if (error == std::errc() && end == s->data() + s->size()) return parsed;
    throw Error(fmt::format("the tracking table's {} column holds '{}', not a whole number; fix that row", column,
                            s->substr(0, 40)));
  }
  if (std::holds_alternative<std::monostate>(value)) {
    throw Error(fmt::format("the tracking table's {} column holds NULL; fix that row", column));
  }
  throw Error(fmt::format("the tracking table's {} column holds a value that is not a whole number; fix that row", column));
}
std::string asText(const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  return {};
}
}  // namespace

std::vector<AppliedMigration> TrackingTable::parse(const ResultSet& rows) {
  std::vector<AppliedMigration> applied;
  applied.reserve(rows.rows.size());
  for (const auto& row : rows.rows) {
    AppliedMigration m;
    m.name = asText(row.at(1));
    try {
      m.id = asInteger(row.at(0), "id");
      m.batch = asInteger(row.at(2), "batch");
      if (!std::holds_alternative<std::monostate>(row.at(5))) m.executionMs = asInteger(row.at(5), "execution_ms");
    } catch (const Error& e) {
      throw MigrationError(m.name, fmt::format("the tracking row of migration '{}' is damaged: {}", m.name, e.what()));
    }
    m.appliedAt = asText(row.at(3));
    m.checksum = asText(row.at(4));
    applied.push_back(std::move(m));
  }
  return applied;
}

}  // namespace detail
JSORM_NAMESPACE_END
