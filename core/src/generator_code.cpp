// C++ text for generated migrations: literals, fields, models and the migration file.

#include "generator_code.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <climits>
#include <cmath>

JSORM_NAMESPACE_BEGIN

std::string cppString(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        // Octal escapes stop after three digits, so a following digit cannot join them.
        if (c < 0x20 || c == 0x7f) out += fmt::format("\\{:03o}", c);
        else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

namespace detail {

std::string commentText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    // A newline would end the comment and make the rest of the text live code.
    if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  // A backslash at the end of a // comment continues it onto the next line, which would
  // comment out the generated code that follows.
  if (!out.empty() && out.back() == '\\') out += "x5c";
  return out;
}

std::string literalCode(const Literal& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return v >= INT_MIN && v <= INT_MAX ? fmt::format("{}", v) : fmt::format("{}LL", v);
        } else if constexpr (std::is_same_v<T, double>) {
          if (std::isnan(v)) return "std::numeric_limits<double>::quiet_NaN()";
          if (std::isinf(v)) return v > 0 ? "std::numeric_limits<double>::infinity()" : "-std::numeric_limits<double>::infinity()";
          std::string text = fmt::format("{}", v);
          if (text.find_first_of(".e") == std::string::npos) text += ".0";
          return text;
        } else {
          return cppString(v);
        }
      },
      value);
}

std::string fieldCode(const ColumnDef& column) {
  const FieldSpec& f = column.field;
  std::string code;
  switch (f.type) {
    case FieldType::Decimal: code = fmt::format("t.decimal({}, {})", f.precision, f.scale); break;
    case FieldType::String: code = f.length > 0 ? fmt::format("t.string({})", f.length) : "t.string()"; break;
    default: code = fmt::format("t.{}()", fieldTypeName(f.type)); break;
  }
  if (f.primary) code += ".primary()";
  if (f.optional) code += ".optional()";
  if (f.unique) code += ".unique()";
  if (f.index) code += ".index()";
  if (f.defaultValue) code += fmt::format(".defaultTo({})", literalCode(*f.defaultValue));
  if (!f.defaultSql.empty()) code += fmt::format(".defaultRaw({})", cppString(f.defaultSql));
  if (column.references) {
    code += fmt::format(".references({}, {})", cppString(column.references->table), cppString(column.references->column));
  }
  return code;
}

namespace {
// A snapshot's column as generated code declares it: the default string length unwritten.
ColumnDef writtenColumn(const ColumnSnapshot& c) {
  ColumnDef def = columnDef(c);
  if (def.field.length == kDefaultStringLength) def.field.length = 0;
  return def;
}
}  // namespace

std::string fieldCode(const ColumnSnapshot& c) { return fieldCode(writtenColumn(c)); }

std::string literalTableCode(const TableDef& table) {
  // One field per line, indented to sit inside the generated Steps{...} list.
  std::string fields;
  for (const auto& c : table.columns) fields += fmt::format("              {{{}, {}}},\n", cppString(c.name), fieldCode(c));
  return fmt::format("t.createTable({}, {{\n{}          }})", cppString(table.name), fields);
}

std::vector<std::string> createTableCode(const TableSnapshot& table) {
  TableDef def{table.name, {}, {}};
  for (const auto& c : table.columns) def.columns.push_back(writtenColumn(c));
  // The literal form: unlike createTable(Model) it is not a live model, so a generated
  // migration is never taken for one (migrate's advice to freeze, generate's note).
  std::vector<std::string> code{literalTableCode(def)};
  for (const auto& index : table.indexes) {
    if (!impliedByColumn(table.name, index, table.columns)) code.push_back(createIndexCode(table.name, index));
  }
  return code;
}

std::string createIndexCode(const std::string& table, const IndexSnapshot& index, bool concurrently) {
  std::vector<std::string> columns;
  for (const auto& c : index.columns) columns.push_back(cppString(c));
  std::vector<std::string> options;
  if (index.name != defaultIndexName(table, index.columns, index.unique)) options.push_back(".name = " + cppString(index.name));
  if (index.unique) options.push_back(".unique = true");
  if (concurrently) options.push_back(".concurrently = true");
  return fmt::format("t.createIndex({}, {{{}}}{})", cppString(table), fmt::join(columns, ", "),
                     options.empty() ? "" : fmt::format(", {{{}}}", fmt::join(options, ", ")));
}

bool impliedByColumn(const std::string& table, const IndexSnapshot& index, const std::vector<ColumnSnapshot>& columns) {
  if (index.columns.size() != 1) return false;
  for (const auto& c : columns) {
    if (c.name != index.columns[0]) continue;
    if (index.unique ? c.unique : c.index) return index.name == defaultIndexName(table, {c.name}, index.unique);
  }
  return false;
}

}  // namespace detail

std::string migrationFileText(const SchemaDiff& diff, const std::string& migrationName, const std::string& headerComment) {
  std::string out;
  for (std::size_t start = 0; start < headerComment.size();) {
    const auto end = std::min(headerComment.find('\n', start), headerComment.size());
    out += "// " + detail::commentText(headerComment.substr(start, end - start)) + "\n";
    start = end + 1;
  }
  const std::size_t includesAt = out.size();
  out += "#include <jsorm/jsorm.hpp>\n\nusing namespace jsorm;\n\nnamespace {\n";
  out += "const Migration migration = defineMigration({\n";
  out += fmt::format("    .name = {},\n", cppString(migrationName));

  auto body = [&](bool up) {
    std::string text = fmt::format("    .{} = [](Builder& t) {{\n      return Steps{{\n", up ? "up" : "down");
    std::vector<const SchemaChange*> order;
    for (const auto& change : diff.changes) order.push_back(&change);
    if (!up) std::reverse(order.begin(), order.end());
    for (const SchemaChange* change : order) {
      text += fmt::format("          // {}: {}\n", riskName(change->risk), detail::commentText(change->summary));
      // The lint rules behind the class, each with its safe recipe, where the code is written.
      if (up) {
        for (const auto& finding : change->findings) {
          text += fmt::format("          //   {} ({}) — {}\n", finding.rule, lintLevelName(finding.level),
                              detail::commentText(finding.fix));
        }
      }
      if (change->manual) {
        text += "          // TODO: no builder operation expresses this change; write it for your database, e.g.\n"
                "          // t.rawSql(\"ALTER TABLE ...\", \"ALTER TABLE ...\"),\n";
        continue;
      }
      for (const auto& step : up ? change->up : change->down) text += "          " + step + ",\n";
    }
    return text + "      };\n    },\n";
  };
  out += body(true);
  out += body(false);
  // After down, as Migration declares it. CREATE INDEX CONCURRENTLY cannot run in a
  // transaction (the generator's PostgreSQL recipe).
  if (!diff.transaction) out += "    .transaction = false,\n";
  out += "});\n}  // namespace\n\nJSORM_MIGRATION(migration);\n";
  // A non-finite default is spelt with std::numeric_limits.
  if (out.find("std::numeric_limits", includesAt) != std::string::npos) {
    out.insert(includesAt + std::string_view("#include <jsorm/jsorm.hpp>\n").size(), "\n#include <limits>\n");
  }
  return out;
}

JSORM_NAMESPACE_END
