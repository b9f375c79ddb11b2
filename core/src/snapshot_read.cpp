// Reading a snapshot file: a SAX pass that reads table by table, checking every name and
// attribute and naming the JSON path of anything malformed.

#include "snapshot_format.hpp"

#include <jsorm/error.hpp>
#include <jsorm/identifier.hpp>
#include <jsorm/snapshot.hpp>
#include <jsorm/snapshot_file.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <exception>
#include <istream>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string_view>

JSORM_NAMESPACE_BEGIN

namespace {
using nlohmann::json;
constexpr int kFormatVersion = detail::kSnapshotFormatVersion;

const FieldType kStorableTypes[] = {FieldType::Number, FieldType::BigInt, FieldType::Real,   FieldType::Decimal,
                                    FieldType::String, FieldType::Text,   FieldType::Boolean, FieldType::Date,
                                    FieldType::Timestamp, FieldType::Json, FieldType::Uuid,  FieldType::Bytes};

// A table read while the file was parsed, or what reading it threw (reported only if the
// rest of the file parses and the document-level checks pass, as when reading a DOM).
struct ReadTable {
  TableSnapshot table;
  std::exception_ptr error;
};
using ReadTables = std::map<std::string, ReadTable>;  // by name, like a JSON object's members

// Reads one snapshot, naming the JSON path of anything malformed.
class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}
  const std::string& path() const noexcept { return path_; }

  /// `root` is the whole document, except that a "tables" object already read table by
  /// table is left out of it and given as `read`.
  SchemaSnapshot snapshot(const json& root, ReadTables* read) {
    expect(root.is_object(), "", "an object");
    const auto version = root.find("version");
    expect(version != root.end() && version->is_number_integer() && version->get<std::int64_t>() == kFormatVersion,
           "version", fmt::format("{} (this jsorm's format)", kFormatVersion));
    SchemaSnapshot snapshot;
    if (read) {
      snapshot.tables.reserve(read->size());
      for (auto& [name, entry] : *read) {
        if (entry.error) std::rethrow_exception(entry.error);
        snapshot.tables.push_back(std::move(entry.table));
      }
      return snapshot;
    }
    const json& tables = member(root, "tables", "");
    expect(tables.is_object(), "tables", "an object");
    for (const auto& [name, body] : tables.items()) snapshot.tables.push_back(table(name, body));
    return snapshot;
  }

  TableSnapshot table(const std::string& name, const json& body) {
    const std::string at = "tables." + name;
    expect(body.is_object(), at, "an object");
    identifier(name, at);
    TableSnapshot t;
    t.name = name;
    t.pivotOf = optionalString(body, "pivotOf", at);
    if (!t.pivotOf.empty()) identifier(t.pivotOf, at + ".pivotOf");
    const json& columns = member(body, "columns", at);
    expect(columns.is_array(), at + ".columns", "an array");
    t.columns.reserve(columns.size());
    std::set<std::string_view> columnNames;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      t.columns.push_back(column(columns[i], at, i));
      expect(columnNames.insert(t.columns.back().name).second, [&] { return fmt::format("{}.columns[{}].name", at, i); },
             "unique in its table (it repeats an earlier column's name)");
    }
    if (body.contains("indexes")) {
      const json& indexes = body["indexes"];
      expect(indexes.is_array(), at + ".indexes", "an array");
      std::set<std::string> indexNames;
      for (std::size_t i = 0; i < indexes.size(); ++i) {
        const std::string where = fmt::format("{}.indexes[{}]", at, i);
        expect(indexes[i].is_object() && indexes[i].contains("name") && indexes[i]["name"].is_string() &&
                   indexes[i].contains("columns") && indexes[i]["columns"].is_array() &&
                   !indexes[i]["columns"].empty(),
               where, "an object with a name and columns");
        IndexSnapshot index{indexes[i]["name"], {}, optionalBool(indexes[i], "unique", where)};
        identifier(index.name, where + ".name");
        expect(indexNames.insert(index.name).second, where + ".name", "unique in its table");
        for (const auto& c : indexes[i]["columns"]) {
          expect(c.is_string(), where + ".columns", "strings");
          identifier(c.get_ref<const std::string&>(), where + ".columns");
          index.columns.push_back(c);
        }
        t.indexes.push_back(std::move(index));
      }
    }
    return t;
  }

 private:
  // Column `i` of the table at `tableAt`. Its path is only spelt out for an error message:
  // building it for every column was a fifth of reading a large snapshot.
  ColumnSnapshot column(const json& body, const std::string& tableAt, std::size_t i) {
    const auto at = [&] { return fmt::format("{}.columns[{}]", tableAt, i); };
    const auto atMember = [&](const char* key) { return [&at, key] { return at() + "." + key; }; };
    expect(body.is_object(), at, "an object");
    ColumnSnapshot c;
    const json& name = member(body, "name", at);
    expect(name.is_string(), atMember("name"), "a string");
    c.name = name.get_ref<const std::string&>();
    identifier(c.name, atMember("name"));
    const json& type = member(body, "type", at);
    expect(type.is_string(), atMember("type"), "a string");
    bool known = false;
    const std::string& typeName = type.get_ref<const std::string&>();
    for (FieldType candidate : kStorableTypes) {
      if (typeName == fieldTypeName(candidate)) {
        c.type = candidate;
        known = true;
        break;
      }
    }
    expect(known, atMember("type"), "a field type such as \"number\" or \"string\"");
    // PostgreSQL's own limits: varchar(10485760), numeric(1000, s) with 0 <= s <= p.
    c.length = optionalInt(body, "length", at, 0, 10485760);
    c.precision = optionalInt(body, "precision", at, 0, 1000);
    c.scale = optionalInt(body, "scale", at, 0, std::max(c.precision, 0));
    c.nullable = optionalBool(body, "nullable", at);
    c.primary = optionalBool(body, "primary", at);
    c.unique = optionalBool(body, "unique", at);
    c.index = optionalBool(body, "index", at);
    if (body.contains("default")) {
      const json& value = body["default"];
      if (value.is_boolean()) c.defaultValue = value.get<bool>();
      else if (value.is_number_integer()) c.defaultValue = value.get<std::int64_t>();
      else if (value.is_number()) c.defaultValue = value.get<double>();
      else if (value.is_string()) c.defaultValue = value.get<std::string>();
      else if (auto special = nonFinite(value)) c.defaultValue = *special;
      else expect(false, atMember("default"), "a boolean, number, string or {\"real\": \"Infinity\"|\"-Infinity\"|\"NaN\"}");
    }
    c.defaultSql = optionalString(body, "defaultRaw", at);
    if (body.contains("references")) {
      const json& ref = body["references"];
      expect(ref.is_object() && ref.contains("table") && ref["table"].is_string() && ref.contains("column") &&
                 ref["column"].is_string(),
             atMember("references"), "an object with table and column strings");
      c.references = ForeignKey{ref["table"], ref["column"]};
      identifier(c.references->table, atMember("references"));
      identifier(c.references->column, atMember("references"));
    }
    return c;
  }

  // JSON has no spelling for a non-finite number; the writer uses {"real": "Infinity"}.
  static std::optional<double> nonFinite(const json& value) {
    if (!value.is_object() || value.size() != 1 || !value.contains("real") || !value["real"].is_string()) return {};
    const auto& text = value["real"].get_ref<const std::string&>();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    return {};
  }

  // A name read back from disk is checked like a name in the DSL: it ends up quoted in SQL
  // and spelt in generated C++, where a newline or a NUL must never arrive.
  template <class At>
  void identifier(const std::string& name, const At& at) {
    if (auto problem = identifierProblem(name)) expect(false, at, fmt::format("a name jsorm accepts (it {})", *problem));
  }

  template <class At>
  static auto memberPath(const At& at, const char* key) {
    return [&at, key] {
      const std::string where = pathOf(at);
      return where.empty() ? std::string(key) : where + "." + key;
    };
  }

  template <class At>
  std::string optionalString(const json& object, const char* key, const At& at) {
    const auto found = object.find(key);
    if (found == object.end()) return {};
    expect(found->is_string(), memberPath(at, key), "a string");
    return found->template get<std::string>();
  }

  template <class At>
  bool optionalBool(const json& object, const char* key, const At& at) {
    const auto found = object.find(key);
    if (found == object.end()) return false;
    expect(found->is_boolean(), memberPath(at, key), "true or false");
    return found->template get<bool>();
  }

  template <class At>
  int optionalInt(const json& object, const char* key, const At& at, int min, int max) {
    const auto found = object.find(key);
    if (found == object.end()) return 0;
    const bool inRange = found->is_number_integer() && found->template get<std::int64_t>() >= min &&
                         found->template get<std::int64_t>() <= max;
    // The message is formatted only for a value out of range: this runs three times a column.
    if (!inRange) expect(false, memberPath(at, key), fmt::format("a whole number from {} to {}", min, max));
    return static_cast<int>(found->template get<std::int64_t>());
  }

  template <class At>
  const json& member(const json& object, const char* key, const At& at) {
    const auto found = object.find(key);
    expect(found != object.end(), [&] {
      const std::string where = pathOf(at);
      return where.empty() ? std::string(key) : where + "." + key;
    }, "present");
    return *found;
  }

  // `at` is a JSON path, or a function that spells it out when there is an error to report.
  template <class At>
  void expect(bool ok, const At& at, std::string_view what) {
    if (!ok) {
      throw ConfigError(fmt::format("{}: malformed snapshot: {} must be {}; fix or delete the file", path_,
                                    pathOrDocument(pathOf(at)), what));
    }
  }

  template <class At>
  static std::string pathOf(const At& at) {
    if constexpr (std::is_invocable_v<const At&>) return at();
    else return std::string(at);
  }
  static std::string pathOrDocument(std::string at) { return at.empty() ? "the document" : at; }

  std::string path_;
};

// Builds JSON values from parser events the way json::parse does: a repeated key keeps
// the last value, in the object's sorted position.
class ValueBuilder {
 public:
  explicit ValueBuilder(json* target) : target_(target) {}

  void value(json&& v) { place(std::move(v)); }
  void startObject() { stack_.push_back(place(json::object())); }
  void startArray() { stack_.push_back(place(json::array())); }
  void key(const std::string& name) { element_ = &(*stack_.back())[name]; }
  void end() { stack_.pop_back(); }
  /// At the top level: no object or array is open.
  bool idle() const noexcept { return stack_.empty(); }
  std::size_t depth() const noexcept { return stack_.size(); }

 private:
  json* place(json&& v) {
    if (stack_.empty()) {
      *target_ = std::move(v);
      return target_;
    }
    if (stack_.back()->is_array()) {
      stack_.back()->push_back(std::move(v));
      return &stack_.back()->back();
    }
    *element_ = std::move(v);
    return element_;
  }

  json* target_;
  std::vector<json*> stack_;
  json* element_ = nullptr;
};

// Parser events for a snapshot file. The document is built as a JSON value, except the
// members of the top-level "tables" object: each is built alone, read into a TableSnapshot
// as soon as it ends, and dropped. A snapshot of thousands of tables therefore never exists
// as one JSON tree (building and freeing that tree took most of migrate:generate's time
// and memory). The result is the one reading the whole tree gives, errors included: the
// last of repeated keys wins, tables come out sorted by name, a syntax error anywhere beats
// a malformed table, and the document-level checks (version, tables) come before any
// table's problem.
class SnapshotEvents {
 public:
  explicit SnapshotEvents(Reader& reader) : reader_(reader), document_(&root_), table_(&tableBody_) {}

  const json& root() const noexcept { return root_; }
  /// The tables read one by one, or null when "tables" is missing or not an object.
  ReadTables* readTables() noexcept { return tablesStreamed_ ? &tables_ : nullptr; }

  bool null() { return scalar(nullptr); }
  bool boolean(bool v) { return scalar(v); }
  bool number_integer(json::number_integer_t v) { return scalar(v); }
  bool number_unsigned(json::number_unsigned_t v) { return scalar(v); }
  bool number_float(json::number_float_t v, const json::string_t&) { return scalar(v); }
  bool string(json::string_t& v) { return scalar(std::move(v)); }
  bool binary(json::binary_t& v) { return scalar(json::binary(std::move(v))); }

  bool start_object(std::size_t) {
    enter();
    if (inTable_) {
      table_.startObject();
    } else if (tablesKeyPending_) {
      // The "tables" object: its members are read one by one. A repeated "tables" key
      // replaces what an earlier one held, as in a JSON object.
      tablesKeyPending_ = false;
      root_.erase("tables");
      tables_.clear();
      tablesStreamed_ = true;
      inTables_ = true;
    } else {
      document_.startObject();
    }
    return true;
  }
  bool start_array(std::size_t) {
    enter();
    if (inTable_) {
      table_.startArray();
    } else {
      notTables();
      document_.startArray();
    }
    return true;
  }
  bool key(json::string_t& name) {
    if (inTable_) {
      table_.key(name);
    } else if (inTables_) {
      tableName_ = name;
      tableBody_ = json();
      inTable_ = true;
    } else {
      document_.key(name);
      tablesKeyPending_ = document_.depth() == 1 && name == "tables";
    }
    return true;
  }
  bool end_object() {
    --depth_;
    if (inTable_) {
      table_.end();
      if (table_.idle()) finishTable();
    } else if (inTables_) {
      inTables_ = false;
    } else {
      document_.end();
    }
    return true;
  }
  bool end_array() {
    --depth_;
    if (inTable_) {
      table_.end();
      if (table_.idle()) finishTable();
    } else {
      document_.end();
    }
    return true;
  }

  // As json::parse does: a syntax error (parse_error) or a number out of range
  // (out_of_range) is thrown with its own type.
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& error) {
    throw error;
  }

 private:
  bool scalar(json&& v) {
    if (inTable_) {
      table_.value(std::move(v));
      if (table_.idle()) finishTable();
    } else {
      notTables();
      document_.value(std::move(v));
    }
    return true;
  }

  // A top-level "tables" that is not an object stays in the document, where the reader
  // reports it.
  void notTables() {
    if (!tablesKeyPending_) return;
    tablesKeyPending_ = false;
    tables_.clear();
    tablesStreamed_ = false;
  }

  // A snapshot nests five levels deep; 50 MB of '[' would otherwise build a tree of
  // gigabytes before any check ran.
  void enter() {
    if (++depth_ > kMaxDepth) {
      throw ConfigError(fmt::format("{}: malformed snapshot: nested more than {} levels deep; fix or delete the file",
                                    reader_.path(), kMaxDepth));
    }
  }

  void finishTable() {
    inTable_ = false;
    ReadTable entry;
    try {
      // A JSON object may repeat a key; a snapshot must not: one of two tables would be
      // dropped without a word.
      if (tables_.count(tableName_)) {
        throw ConfigError(fmt::format("{}: malformed snapshot: tables.{} appears twice; keep one of them",
                                      reader_.path(), tableName_));
      }
      entry.table = reader_.table(tableName_, tableBody_);
    } catch (...) {
      entry.error = std::current_exception();
    }
    tables_.insert_or_assign(tableName_, std::move(entry));
    tableBody_ = json();
  }

  Reader& reader_;
  json root_;
  ValueBuilder document_;
  json tableBody_;
  ValueBuilder table_;
  std::string tableName_;
  ReadTables tables_;
  bool tablesKeyPending_ = false;  // the next value is the document's "tables"
  bool tablesStreamed_ = false;    // the document's "tables" is an object, read into tables_
  bool inTables_ = false;          // between that object's braces, outside any table
  bool inTable_ = false;           // inside one table's value
  int depth_ = 0;                  // objects and arrays open
  static constexpr int kMaxDepth = 16;
};

}  // namespace

namespace {
// nlohmann reports a byte offset; people read lines and columns.
[[noreturn]] void throwSyntaxError(const std::string& text, const std::string& path, const json::parse_error& e) {
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
}

// Parses `input` (the text, or a stream of it); `syntaxError` reports a parse_error.
template <class Input, class SyntaxError>
SchemaSnapshot parseFrom(Input& input, const std::string& path, const SyntaxError& syntaxError) {
  Reader reader(path);
  SnapshotEvents events(reader);
  try {
    json::sax_parse(input, &events);
  } catch (const json::parse_error& e) {
    syntaxError(e);
  } catch (const json::out_of_range& e) {
    // A number too large for a double (e.g. 1E400) is out_of_range, not parse_error; found
    // by fuzz/fuzz_snapshot. Without this it reached the CLI as an internal error (exit 1).
    throw ConfigError(fmt::format("{}: malformed snapshot: {}; fix or delete the file", path, e.what()));
  }
  try {
    return reader.snapshot(events.root(), events.readTables());
  } catch (const json::exception& e) {
    // A value of the wrong JSON type where Reader converts it (e.g. "version": {}) throws
    // type_error; found by fuzz/fuzz_snapshot. It must be a malformed snapshot (exit 3),
    // not an internal error.
    throw ConfigError(fmt::format("{}: malformed snapshot: {}; fix or delete the file", path, e.what()));
  }
}
}  // namespace

SchemaSnapshot parseSnapshot(const std::string& text, const std::string& path) {
  return parseFrom(text, path, [&](const json::parse_error& e) { throwSyntaxError(text, path, e); });
}

SchemaSnapshot parseSnapshot(std::istream& in, const std::string& path) {
  return parseFrom(in, path, [&](const json::parse_error& e) {
    // The line and column need the text: read whole now, for the error only.
    in.clear();
    in.seekg(0);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    throwSyntaxError(text, path, e);
  });
}

JSORM_NAMESPACE_END
