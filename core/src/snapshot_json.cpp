// The snapshot file format: {"version": 1, "tables": {"<name>": {"columns": [...], ...}}}.
// Object keys are sorted and default attributes left out, so a change shows as a small diff.

#include <jsorm/error.hpp>
#include <jsorm/snapshot.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

JSORM_NAMESPACE_BEGIN

namespace {
using nlohmann::json;
constexpr int kFormatVersion = 1;

const FieldType kStorableTypes[] = {FieldType::Number, FieldType::BigInt, FieldType::Real,   FieldType::Decimal,
                                    FieldType::String, FieldType::Text,   FieldType::Boolean, FieldType::Date,
                                    FieldType::Timestamp, FieldType::Json, FieldType::Uuid,  FieldType::Bytes};

json literalJson(const Literal& value) {
  return std::visit([](const auto& v) { return json(v); }, value);
}

json columnJson(const ColumnSnapshot& c) {
  json out{{"name", c.name}, {"type", fieldTypeName(c.type)}};
  if (c.type == FieldType::String) out["length"] = c.length;
  if (c.type == FieldType::Decimal) {
    out["precision"] = c.precision;
    out["scale"] = c.scale;
  }
  if (c.nullable) out["nullable"] = true;
  if (c.primary) out["primary"] = true;
  if (c.unique) out["unique"] = true;
  if (c.index) out["index"] = true;
  if (c.defaultValue) out["default"] = literalJson(*c.defaultValue);
  if (!c.defaultSql.empty()) out["defaultRaw"] = c.defaultSql;
  if (c.references) out["references"] = {{"table", c.references->table}, {"column", c.references->column}};
  return out;
}

// Reads one snapshot, naming the JSON path of anything malformed.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  SchemaSnapshot snapshot(const json& root) {
    expect(root.is_object(), "", "an object");
    expect(root.value("version", 0) == kFormatVersion, "version", fmt::format("{} (this jsorm's format)", kFormatVersion));
    const json& tables = member(root, "tables", "");
    expect(tables.is_object(), "tables", "an object");
    SchemaSnapshot snapshot;
    for (const auto& [name, body] : tables.items()) snapshot.tables.push_back(table(name, body));
    return snapshot;
  }

 private:
  TableSnapshot table(const std::string& name, const json& body) {
    const std::string at = "tables." + name;
    expect(body.is_object(), at, "an object");
    TableSnapshot t;
    t.name = name;
    t.pivotOf = body.value("pivotOf", "");
    const json& columns = member(body, "columns", at);
    expect(columns.is_array(), at + ".columns", "an array");
    for (std::size_t i = 0; i < columns.size(); ++i) t.columns.push_back(column(columns[i], fmt::format("{}.columns[{}]", at, i)));
    if (body.contains("indexes")) {
      const json& indexes = body["indexes"];
      expect(indexes.is_array(), at + ".indexes", "an array");
      for (std::size_t i = 0; i < indexes.size(); ++i) {
        const std::string where = fmt::format("{}.indexes[{}]", at, i);
        expect(indexes[i].is_object() && indexes[i].contains("name") && indexes[i]["name"].is_string() &&
                   indexes[i].contains("columns") && indexes[i]["columns"].is_array(),
               where, "an object with a name and columns");
        IndexSnapshot index{indexes[i]["name"], {}, indexes[i].value("unique", false)};
        for (const auto& c : indexes[i]["columns"]) {
          expect(c.is_string(), where + ".columns", "strings");
          index.columns.push_back(c);
        }
        t.indexes.push_back(std::move(index));
      }
    }
    return t;
  }

  ColumnSnapshot column(const json& body, const std::string& at) {
    expect(body.is_object(), at, "an object");
    ColumnSnapshot c;
    const json& name = member(body, "name", at);
    expect(name.is_string(), at + ".name", "a string");
    c.name = name;
    const json& type = member(body, "type", at);
    expect(type.is_string(), at + ".type", "a string");
    bool known = false;
    for (FieldType candidate : kStorableTypes) {
      if (type == fieldTypeName(candidate)) {
        c.type = candidate;
        known = true;
      }
    }
    expect(known, at + ".type", "a field type such as \"number\" or \"string\"");
    c.length = body.value("length", 0);
    c.precision = body.value("precision", 0);
    c.scale = body.value("scale", 0);
    c.nullable = body.value("nullable", false);
    c.primary = body.value("primary", false);
    c.unique = body.value("unique", false);
    c.index = body.value("index", false);
    if (body.contains("default")) {
      const json& value = body["default"];
      if (value.is_boolean()) c.defaultValue = value.get<bool>();
      else if (value.is_number_integer()) c.defaultValue = value.get<std::int64_t>();
      else if (value.is_number()) c.defaultValue = value.get<double>();
      else if (value.is_string()) c.defaultValue = value.get<std::string>();
      else expect(false, at + ".default", "a boolean, number or string");
    }
    c.defaultSql = body.value("defaultRaw", "");
    if (body.contains("references")) {
      const json& ref = body["references"];
      expect(ref.is_object() && ref.contains("table") && ref.contains("column"), at + ".references",
             "an object with table and column");
      c.references = ForeignKey{ref["table"], ref["column"]};
    }
    return c;
  }

  const json& member(const json& object, const char* key, const std::string& at) {
    expect(object.contains(key), at.empty() ? key : at + "." + key, "present");
    return object[key];
  }

  void expect(bool ok, const std::string& at, const std::string& what) {
    if (!ok) throw ConfigError(fmt::format("{}: {} must be {}", path_, at.empty() ? "the document" : at, what));
  }

  std::string path_;
};
}  // namespace

std::string toJson(const SchemaSnapshot& snapshot) {
  json tables = json::object();
  for (const auto& t : snapshot.tables) {
    json table{{"columns", json::array()}};
    for (const auto& c : t.columns) table["columns"].push_back(columnJson(c));
    if (!t.indexes.empty()) {
      table["indexes"] = json::array();
      for (const auto& i : t.indexes) {
        json index{{"name", i.name}, {"columns", i.columns}};
        if (i.unique) index["unique"] = true;
        table["indexes"].push_back(std::move(index));
      }
    }
    if (!t.pivotOf.empty()) table["pivotOf"] = t.pivotOf;
    tables[t.name] = std::move(table);
  }
  return json{{"version", kFormatVersion}, {"tables", std::move(tables)}}.dump(2) + "\n";
}

SchemaSnapshot parseSnapshot(const std::string& text, const std::string& path) {
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann reports a byte offset; people read lines and columns.
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string reason = e.what();
    if (auto at = reason.find("syntax error"); at != std::string::npos) reason = reason.substr(at);
    throw ConfigError(fmt::format("{}:{}:{}: malformed snapshot: {}; fix or delete the file", path, line, column, reason));
  } catch (const json::out_of_range& e) {
    // A number too large for a double (e.g. 1E400) is out_of_range, not parse_error; found
    // by fuzz/fuzz_snapshot. Without this it reached the CLI as an internal error (exit 1).
    throw ConfigError(fmt::format("{}: malformed snapshot: {}; fix or delete the file", path, e.what()));
  }
  try {
    return Reader(path).snapshot(root);
  } catch (const json::exception& e) {
    // A value of the wrong JSON type where Reader converts it (e.g. "version": {}) throws
    // type_error; found by fuzz/fuzz_snapshot. It must be a malformed snapshot (exit 3),
    // not an internal error.
    throw ConfigError(fmt::format("{}: malformed snapshot: {}; fix or delete the file", path, e.what()));
  }
}

JSORM_NAMESPACE_END
