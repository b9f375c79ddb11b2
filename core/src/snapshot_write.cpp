// Writing a snapshot file: stable, sorted, two-space-indented JSON, written directly.

#include "snapshot_format.hpp"

#include <jsorm/snapshot.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <map>
#include <string_view>

JSORM_NAMESPACE_BEGIN

namespace {
using nlohmann::json;
constexpr int kFormatVersion = detail::kSnapshotFormatVersion;

// Writes the snapshot file's text directly rather than through a JSON tree. The text is
// what json::dump(2) wrote for the tree toJson used to build (keys sorted, two-space
// indent, empty arrays as "[]"); the unit tests pin it byte for byte.
class SnapshotWriter {
 public:
  std::string finish() { return std::move(out_); }

  void openObject() { open('{'); }
  void openArray() { open('['); }
  void close(char bracket) {
    --depth_;
    if (!first_) {
      out_ += '\n';
      indent();
    }
    out_ += bracket;
    first_ = false;
  }
  /// A member with a fixed ASCII name.
  void key(std::string_view name) {
    item();
    out_ += '"';
    out_ += name;
    out_ += "\": ";
  }
  /// A member named by data.
  void textKey(const std::string& name) {
    item();
    text(name);
    out_ += ": ";
  }
  void element() { item(); }

  void text(const std::string& value) {
    // Printable ASCII needs no escaping; anything else goes through nlohmann, so that its
    // escapes, and its error for invalid UTF-8, stay exactly what they were.
    for (unsigned char c : value) {
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        out_ += json(value).dump();
        return;
      }
    }
    out_ += '"';
    out_ += value;
    out_ += '"';
  }
  void number(long long value) {
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out_.append(digits, end);
  }
  void boolean(bool value) { out_ += value ? "true" : "false"; }
  void raw(const std::string& value) { out_ += value; }

 private:
  void open(char bracket) {
    out_ += bracket;
    ++depth_;
    first_ = true;
  }
  // Before a member or element: a comma after the previous one, a new line, the indent.
  void item() {
    if (!first_) out_ += ',';
    out_ += '\n';
    indent();
    first_ = false;
  }
  void indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }

  std::string out_;
  int depth_ = 0;
  bool first_ = true;  // nothing written yet in the innermost open object or array
};

// Members in sorted order, as a json object (a std::map) dumps them.
void writeColumn(SnapshotWriter& w, const ColumnSnapshot& c) {
  w.openObject();
  if (c.defaultValue) {
    w.key("default");
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, bool>) w.boolean(v);
          else if constexpr (std::is_same_v<T, std::int64_t>) w.number(v);
          else if constexpr (std::is_same_v<T, std::string>) w.text(v);
          else if (std::isnan(v)) w.raw(R"({"real": "NaN"})");
          else if (std::isinf(v)) w.raw(v > 0 ? R"({"real": "Infinity"})" : R"({"real": "-Infinity"})");
          else w.raw(json(v).dump());  // nlohmann's spelling of a double
        },
        *c.defaultValue);
  }
  if (!c.defaultSql.empty()) {
    w.key("defaultRaw");
    w.text(c.defaultSql);
  }
  if (c.index) {
    w.key("index");
    w.boolean(true);
  }
  if (c.type == FieldType::String) {
    w.key("length");
    w.number(c.length);
  }
  w.key("name");
  w.text(c.name);
  if (c.nullable) {
    w.key("nullable");
    w.boolean(true);
  }
  if (c.type == FieldType::Decimal) {
    w.key("precision");
    w.number(c.precision);
  }
  if (c.primary) {
    w.key("primary");
    w.boolean(true);
  }
  if (c.references) {
    w.key("references");
    w.openObject();
    w.key("column");
    w.text(c.references->column);
    w.key("table");
    w.text(c.references->table);
    w.close('}');
  }
  if (c.type == FieldType::Decimal) {
    w.key("scale");
    w.number(c.scale);
  }
  w.key("type");
  w.text(fieldTypeName(c.type));
  if (c.unique) {
    w.key("unique");
    w.boolean(true);
  }
  w.close('}');
}

void writeTable(SnapshotWriter& w, const TableSnapshot& t) {
  w.openObject();
  w.key("columns");
  w.openArray();
  for (const auto& c : t.columns) {
    w.element();
    writeColumn(w, c);
  }
  w.close(']');
  if (!t.indexes.empty()) {
    w.key("indexes");
    w.openArray();
    for (const auto& i : t.indexes) {
      w.element();
      w.openObject();
      w.key("columns");
      w.openArray();
      for (const auto& column : i.columns) {
        w.element();
        w.text(column);
      }
      w.close(']');
      w.key("name");
      w.text(i.name);
      if (i.unique) {
        w.key("unique");
        w.boolean(true);
      }
      w.close('}');
    }
    w.close(']');
  }
  if (!t.pivotOf.empty()) {
    w.key("pivotOf");
    w.text(t.pivotOf);
  }
  w.close('}');
}
}  // namespace

std::string toJson(const SchemaSnapshot& snapshot) {
  // By name; a repeated name keeps the last table, as assigning into a json object did.
  std::map<std::string_view, const TableSnapshot*> tables;
  for (const auto& t : snapshot.tables) tables.insert_or_assign(t.name, &t);
  SnapshotWriter w;
  w.openObject();
  w.key("tables");
  w.openObject();
  for (const auto& [name, table] : tables) {
    w.textKey(table->name);
    writeTable(w, *table);
  }
  w.close('}');
  w.key("version");
  w.number(kFormatVersion);
  w.close('}');
  std::string text = w.finish();
  text += '\n';
  return text;
}

JSORM_NAMESPACE_END
