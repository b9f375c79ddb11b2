#include <jsorm/introspection.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

JSORM_NAMESPACE_BEGIN

namespace {
bool has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }
}  // namespace

std::string normalRawType(std::string_view rawType) {
  std::string out;
  int depth = 0;
  bool pendingSpace = false;
  for (char c : rawType) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      // Spaces inside parentheses go; outside they collapse to one.
      pendingSpace = depth == 0 && !out.empty();
      continue;
    }
    if (pendingSpace && c != '(' && c != ')') out += ' ';
    pendingSpace = false;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

RawType splitRawType(std::string_view rawType) {
  const std::string normal = normalRawType(rawType);
  RawType out;
  std::size_t i = 0;
  while (i < normal.size()) {
    if (normal[i] != '(') {
      out.name += normal[i++];
      continue;
    }
    const std::size_t close = normal.find(')', i);
    const std::string_view inside(normal.data() + i + 1, (close == std::string::npos ? normal.size() : close) - i - 1);
    std::size_t start = 0;
    while (start <= inside.size()) {
      std::size_t comma = inside.find(',', start);
      if (comma == std::string_view::npos) comma = inside.size();
      int value = 0;
      const auto part = inside.substr(start, comma - start);
      // Only numbers are arguments; enum('a','b') and the like keep none.
      const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
      if (!part.empty() && error == std::errc() && end == part.data() + part.size()) {
        out.arguments.push_back(value);
      }
      start = comma + 1;
    }
    i = close == std::string::npos ? normal.size() : close + 1;
  }
  // "timestamp(6) without time zone" leaves a doubled space where the arguments were.
  std::string name;
  for (char c : out.name) {
    if (c == ' ' && (name.empty() || name.back() == ' ')) continue;
    name += c;
  }
  while (!name.empty() && name.back() == ' ') name.pop_back();
  out.name = name;
  return out;
}

FieldType likelyFieldType(const RawType& raw) {
  const std::string_view n = raw.name;
  // Order matters: "bigint" before "int", "datetime" and "timestamp" before "date",
  // "character varying" before "char".
  if (n == "bool" || n == "boolean") return FieldType::Boolean;
  if (has(n, "bigint") || n == "int8" || n == "bigserial") return FieldType::BigInt;
  if (has(n, "int") || n == "serial") return FieldType::Number;
  if (n == "real" || has(n, "double") || has(n, "float")) return FieldType::Real;
  if (n == "numeric" || n == "decimal") return FieldType::Decimal;
  if (has(n, "timestamp") || n == "datetime") return FieldType::Timestamp;
  if (n == "date") return FieldType::Date;
  if (has(n, "json")) return FieldType::Json;
  if (n == "uuid") return FieldType::Uuid;
  if (has(n, "char") || has(n, "clob") || has(n, "text")) {
    return raw.arguments.empty() ? FieldType::Text : FieldType::String;
  }
  if (has(n, "blob") || n == "bytea" || has(n, "binary")) return FieldType::Bytes;
  // SQLite's NUMERIC affinity and anything unknown: a number is the likeliest.
  return FieldType::Number;
}

void describeRawType(ColumnSnapshot& column, std::string_view rawType) {
  column.rawType = normalRawType(rawType);
  const RawType raw = splitRawType(rawType);
  column.type = likelyFieldType(raw);
  column.length = column.type == FieldType::String && !raw.arguments.empty() ? raw.arguments[0] : 0;
  const bool decimal = column.type == FieldType::Decimal;
  column.precision = decimal && !raw.arguments.empty() ? raw.arguments[0] : 0;
  column.scale = decimal && raw.arguments.size() > 1 ? raw.arguments[1] : 0;
}

void finishIntrospection(SchemaSnapshot& schema) {
  auto byName = [](const auto& a, const auto& b) { return a.name < b.name; };
  std::sort(schema.tables.begin(), schema.tables.end(), byName);
  for (auto& table : schema.tables) {
    std::sort(table.indexes.begin(), table.indexes.end(), byName);
    for (const auto& index : table.indexes) {
      if (index.columns.size() != 1) continue;
      for (auto& column : table.columns) {
        if (column.name != index.columns[0]) continue;
        (index.unique ? column.unique : column.index) = true;
      }
    }
  }
}

IntrospectedSchema::IntrospectedSchema(const std::vector<std::string>& tables) {
  for (const auto& name : tables) tables_[name].name = name;
}

TableSnapshot* IntrospectedSchema::table(const std::string& name) {
  const auto found = tables_.find(name);
  return found == tables_.end() ? nullptr : &found->second;
}

ColumnSnapshot* IntrospectedSchema::column(const std::string& table, const std::string& name) {
  auto* found = this->table(table);
  if (!found) return nullptr;
  for (auto& c : found->columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

SchemaSnapshot IntrospectedSchema::finish() && {
  SchemaSnapshot schema;
  for (auto& [name, table] : tables_) schema.tables.push_back(std::move(table));
  finishIntrospection(schema);
  return schema;
}

JSORM_NAMESPACE_END
