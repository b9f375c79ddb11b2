#include "er_diagram.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

namespace jsorm::cli {

namespace {
// The type as the models declare it, e.g. string(40), decimal(12,2).
std::string typeOf(const ColumnSnapshot& column) {
  const std::string name = fieldTypeName(column.type);
  if (column.type == FieldType::String) return fmt::format("{}({})", name, column.length > 0 ? column.length : kDefaultStringLength);
  if (column.type == FieldType::Decimal) return fmt::format("{}({},{})", name, column.precision, column.scale);
  return name;
}

// Mermaid's identifiers: letters, digits, '_' and '-'.
std::string mermaidName(const std::string& name) {
  std::string out = name;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') c = '_';
  }
  return out.empty() ? "_" : out;
}

// Mermaid's attribute types allow parentheses but no comma: decimal(12,2) becomes decimal(12_2).
std::string mermaidType(const ColumnSnapshot& column) {
  std::string type = typeOf(column);
  std::replace(type.begin(), type.end(), ',', '_');
  return type;
}

// What the keys do not say: "nullable", "indexed".
std::string notesOf(const ColumnSnapshot& column) {
  std::vector<std::string> notes;
  if (column.nullable) notes.push_back("nullable");
  if (column.index) notes.push_back("indexed");
  return fmt::format("{}", fmt::join(notes, ", "));
}

std::string keysOf(const ColumnSnapshot& column) {
  std::vector<std::string> keys;
  if (column.primary) keys.push_back("PK");
  if (column.references) keys.push_back("FK");
  if (column.unique && !column.primary) keys.push_back("UK");
  return fmt::format("{}", fmt::join(keys, ", "));
}

std::string htmlEscaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string dotQuoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::size_t columnIndex(const TableSnapshot& table, const std::string& column) {
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (table.columns[i].name == column) return i;
  }
  return 0;  // a key the models do not declare: point at the table's first row
}
}  // namespace

std::string mermaidDiagram(const SchemaSnapshot& schema) {
  std::string out = "erDiagram\n";
  for (const auto& table : schema.tables) {
    if (!table.pivotOf.empty()) out += fmt::format("  %% {}: pivot table of {}\n", table.name, table.pivotOf);
    out += fmt::format("  {} {{\n", mermaidName(table.name));
    for (const auto& column : table.columns) {
      const std::string keys = keysOf(column);
      const std::string notes = notesOf(column);
      out += fmt::format("    {} {}{}{}\n", mermaidType(column), mermaidName(column.name), keys.empty() ? "" : " " + keys,
                         notes.empty() ? "" : " \"" + notes + "\"");
    }
    out += "  }\n";
  }
  for (const auto& table : schema.tables) {
    for (const auto& column : table.columns) {
      if (!column.references) continue;
      out += fmt::format("  {} {}--o{{ {} : \"{}\"\n", mermaidName(column.references->table),
                         column.nullable ? "|o" : "||", mermaidName(table.name), mermaidName(column.name));
    }
  }
  return out;
}

std::string dotDiagram(const SchemaSnapshot& schema) {
  std::string out =
      "digraph schema {\n"
      "  graph [rankdir=LR, fontname=\"Helvetica\"];\n"
      "  node [shape=plaintext, fontname=\"Helvetica\", fontsize=11];\n"
      // The many side (the referencing row) gets the crow's foot, the referenced row a bar,
      // and an open circle when the key may be null.
      "  edge [dir=both, arrowtail=crow, arrowhead=teetee];\n";
  for (const auto& table : schema.tables) {
    const bool pivot = !table.pivotOf.empty();
    out += fmt::format(
        "  {} [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\" cellpadding=\"4\"{}>\n"
        "    <tr><td bgcolor=\"#dde6f0\"><b>{}</b>{}</td></tr>\n",
        dotQuoted(table.name), pivot ? " style=\"dashed\"" : "", htmlEscaped(table.name),
        pivot ? htmlEscaped(" (pivot of " + table.pivotOf + ")") : "");
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const auto& column = table.columns[i];
      const std::string keys = keysOf(column);
      const std::string notes = notesOf(column);
      out += fmt::format("    <tr><td port=\"c{}\" align=\"left\">{}: {}{}{}</td></tr>\n", i, htmlEscaped(column.name),
                         htmlEscaped(typeOf(column)), keys.empty() ? "" : " " + keys,
                         notes.empty() ? "" : " <i>" + htmlEscaped(notes) + "</i>");
    }
    out += "  </table>>];\n";
  }
  for (const auto& table : schema.tables) {
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      const auto& column = table.columns[i];
      if (!column.references) continue;
      const TableSnapshot* target = schema.table(column.references->table);
      const std::size_t port = target ? columnIndex(*target, column.references->column) : 0;
      out += fmt::format("  {}:c{} -> {}:c{}{};\n", dotQuoted(table.name), i, dotQuoted(column.references->table), port,
                         column.nullable ? " [arrowhead=teeodot]" : "");
    }
  }
  return out + "}\n";
}

}  // namespace jsorm::cli
