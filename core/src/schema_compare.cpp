// Expected schema against live schema, one difference per object: the rules are the same
// for every database; only the spelling of types differs, and normalizedColumnType owns that.

#include <jsorm/introspection.hpp>
#include <jsorm/schema_compare.hpp>

#include "generator_code.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

JSORM_NAMESPACE_BEGIN

const char* schemaDifferenceKindName(SchemaDifferenceKind kind) noexcept {
  switch (kind) {
    case SchemaDifferenceKind::MissingTable: return "missing-table";
    case SchemaDifferenceKind::ExtraTable: return "extra-table";
    case SchemaDifferenceKind::MissingColumn: return "missing-column";
    case SchemaDifferenceKind::ExtraColumn: return "extra-column";
    case SchemaDifferenceKind::ColumnType: return "column-type";
    case SchemaDifferenceKind::Nullability: return "nullability";
    case SchemaDifferenceKind::PrimaryKey: return "primary-key";
    case SchemaDifferenceKind::Default: return "default";
    case SchemaDifferenceKind::MissingIndex: return "missing-index";
    case SchemaDifferenceKind::ExtraIndex: return "extra-index";
    case SchemaDifferenceKind::MissingForeignKey: return "missing-foreign-key";
    case SchemaDifferenceKind::ExtraForeignKey: return "extra-foreign-key";
    case SchemaDifferenceKind::ForeignKeyTarget: return "foreign-key-target";
  }
  return "unknown";
}

std::string SchemaDifference::describe() const {
  using K = SchemaDifferenceKind;
  const std::string where = object.empty() ? table : table + "." + object;
  std::string line;
  switch (kind) {
    case K::MissingTable: line = fmt::format("missing table {}", table); break;
    case K::ExtraTable: line = fmt::format("extra table {}", table); break;
    case K::MissingColumn: line = fmt::format("missing column {} ({})", where, expected); break;
    case K::ExtraColumn: line = fmt::format("extra column {} ({})", where, actual); break;
    case K::MissingIndex: line = fmt::format("missing index {} on {} {}", object, table, expected); break;
    case K::ExtraIndex: line = fmt::format("extra index {} on {} {}", object, table, actual); break;
    case K::MissingForeignKey: line = fmt::format("missing foreign key {} -> {}", where, expected); break;
    case K::ExtraForeignKey: line = fmt::format("extra foreign key {} -> {}", where, actual); break;
    case K::ColumnType:
    case K::Nullability:
    case K::PrimaryKey:
    case K::Default:
    case K::ForeignKeyTarget:
      line = fmt::format("{} of {}: expected {}, found {}", schemaDifferenceKindName(kind), where,
                         expected.empty() ? "none" : expected, actual.empty() ? "none" : actual);
      break;
  }
  if (unverifiable) line += fmt::format(" (unverifiable: a rawSql step changed table {})", table);
  return line;
}

std::string normalizedColumnType(const Dialect& dialect, std::string_view type) {
  const RawType raw = splitRawType(type);
  std::string name = raw.name;
  auto replaceAll = [&](std::string_view from, std::string_view to) {
    for (auto at = name.find(from); at != std::string::npos; at = name.find(from, at + to.size())) {
      name.replace(at, from.size(), to);
    }
  };
  replaceAll(" without time zone", "");
  replaceAll(" with time zone", "tz");
  static const std::map<std::string, std::string, std::less<>> synonyms{
      {"character varying", "varchar"}, {"character", "char"},  {"int", "integer"},  {"int4", "integer"},
      {"int8", "bigint"},               {"bool", "boolean"},    {"float8", "double"}, {"double precision", "double"},
      {"float4", "real"},               {"decimal", "numeric"},
  };
  if (auto found = synonyms.find(name); found != synonyms.end()) name = found->second;
  std::vector<int> arguments = raw.arguments;
  if (dialect.name() == "mysql") {
    // MariaDB stores BOOLEAN as tinyint(1) and JSON as longtext; integer display widths say nothing.
    static const std::map<std::string, std::string, std::less<>> stored{{"boolean", "tinyint"}, {"json", "longtext"}};
    if (auto found = stored.find(name); found != stored.end()) name = found->second;
    if (name == "tinyint" || name == "smallint" || name == "mediumint" || name == "integer" || name == "bigint") {
      arguments.clear();
    }
  }
  if (arguments.empty()) return name;
  return fmt::format("{}({})", name, fmt::join(arguments, ","));
}

namespace {
using K = SchemaDifferenceKind;

std::string typeOf(const Dialect& dialect, const ColumnSnapshot& column) {
  // A live column has the type the database reports; an expected one, the type jsorm renders.
  return normalizedColumnType(dialect, column.rawType.empty() ? dialect.columnType(detail::columnDef(column)) : column.rawType);
}

std::string summaryOf(const Dialect& dialect, const ColumnSnapshot& column) {
  return typeOf(dialect, column) + (column.nullable ? ", nullable" : "");
}

std::string referenceText(const ForeignKey& key) { return fmt::format("{}({})", key.table, key.column); }

std::string indexText(const IndexSnapshot& index) {
  return fmt::format("({}){}", fmt::join(index.columns, ", "), index.unique ? " unique" : "");
}

std::string trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return std::string(text);
}

// Whether text[0] is '(' closed by its last character.
bool wrappedInParentheses(const std::string& text) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '(') ++depth;
    if (text[i] == ')' && --depth == 0 && i + 1 != text.size()) return false;
  }
  return true;
}

// A default as comparable text: a quoted string's contents, or the expression in lower
// case, without surrounding parentheses or a PostgreSQL cast; booleans as 1 and 0.
std::string comparableDefault(std::string text) {
  text = trim(text);
  while (wrappedInParentheses(text)) text = trim(std::string_view(text).substr(1, text.size() - 2));
  const auto lastQuote = text.rfind('\'');
  const auto cast = text.rfind("::");
  if (cast != std::string::npos && (lastQuote == std::string::npos || cast > lastQuote)) text = trim(text.substr(0, cast));
  while (wrappedInParentheses(text)) text = trim(std::string_view(text).substr(1, text.size() - 2));
  if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
    std::string inside;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
      inside += text[i];
      if (text[i] == '\'' && text[i + 1] == '\'') ++i;
    }
    return inside;
  }
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  if (text == "true") return "1";
  if (text == "false") return "0";
  return text;
}

std::string literalText(const Literal& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) return v ? "1" : "0";
        else if constexpr (std::is_same_v<T, std::string>) return v;
        else return fmt::format("{}", v);
      },
      value);
}

bool sameNumber(const std::string& a, const std::string& b) {
  double x = 0;
  double y = 0;
  const auto readA = std::from_chars(a.data(), a.data() + a.size(), x);
  const auto readB = std::from_chars(b.data(), b.data() + b.size(), y);
  return readA.ec == std::errc() && readA.ptr == a.data() + a.size() && readB.ec == std::errc() &&
         readB.ptr == b.data() + b.size() && x == y;
}

bool hasLiveDefault(const ColumnSnapshot& column) {
  std::string text = comparableDefault(column.defaultSql);
  return !text.empty() && text != "null";
}

class TableComparison {
 public:
  TableComparison(const Dialect& dialect, const SchemaCompareOptions& options, std::vector<SchemaDifference>& out)
      : dialect_(dialect), options_(options), out_(out) {}

  void compare(const TableSnapshot& expected, const TableSnapshot& live) {
    table_ = expected.name;
    for (const auto& column : expected.columns) {
      if (const ColumnSnapshot* found = live.column(column.name)) {
        compareColumn(column, *found);
      } else {
        add(K::MissingColumn, column.name, summaryOf(dialect_, column), "");
      }
    }
    if (options_.reportExtras) {
      for (const auto& column : live.columns) {
        if (!expected.column(column.name)) add(K::ExtraColumn, column.name, "", summaryOf(dialect_, column));
      }
    }
    compareIndexes(expected, live);
  }

  void add(K kind, std::string object, std::string expected, std::string actual) {
    out_.push_back({kind, table_, std::move(object), std::move(expected), std::move(actual),
                    options_.unverifiableTables.count(table_) > 0});
  }

  void setTable(const std::string& table) { table_ = table; }

 private:
  void compareColumn(const ColumnSnapshot& expected, const ColumnSnapshot& live) {
    const std::string& name = expected.name;
    const std::string expectedType = typeOf(dialect_, expected);
    const std::string liveType = typeOf(dialect_, live);
    if (expectedType != liveType) add(K::ColumnType, name, expectedType, liveType);
    if (expected.primary != live.primary) {
      add(K::PrimaryKey, name, expected.primary ? "primary key" : "", live.primary ? "primary key" : "");
    }
    // A primary key is NOT NULL whatever the catalogue says (SQLite reports its rowid key nullable).
    if (!expected.primary && !live.primary && expected.nullable != live.nullable) {
      add(K::Nullability, name, expected.nullable ? "nullable" : "NOT NULL", live.nullable ? "nullable" : "NOT NULL");
    }
    compareDefault(expected, live);
    compareReference(expected, live);
  }

  void compareDefault(const ColumnSnapshot& expected, const ColumnSnapshot& live) {
    const bool expectedHas = expected.defaultValue.has_value() || !expected.defaultSql.empty();
    const bool liveHas = hasLiveDefault(live);
    const std::string expectedText =
        expected.defaultValue ? dialect_.literal(*expected.defaultValue) : expected.defaultSql;
    if (expectedHas != liveHas) {
      add(K::Default, expected.name, expectedHas ? expectedText : "", liveHas ? live.defaultSql : "");
      return;
    }
    // Values are compared only for a literal default: an expression (defaultRaw) comes back
    // in the database's own words, which no rule here could match reliably.
    if (!expected.defaultValue || !liveHas) return;
    const std::string want = literalText(*expected.defaultValue);
    const std::string have = comparableDefault(live.defaultSql);
    if (want != have && !sameNumber(want, have)) add(K::Default, expected.name, expectedText, live.defaultSql);
  }

  void compareReference(const ColumnSnapshot& expected, const ColumnSnapshot& live) {
    const auto& want = expected.references;
    const auto& have = live.references;
    if (want && !have) add(K::MissingForeignKey, expected.name, referenceText(*want), "");
    if (!want && have && options_.reportExtras) add(K::ExtraForeignKey, expected.name, "", referenceText(*have));
    if (want && have && (want->table != have->table || want->column != have->column)) {
      add(K::ForeignKeyTarget, expected.name, referenceText(*want), referenceText(*have));
    }
  }

  void compareIndexes(const TableSnapshot& expected, const TableSnapshot& live) {
    // Matched by what they index, not by name: a renamed index is no drift.
    std::vector<const IndexSnapshot*> unmatched;
    for (const auto& index : live.indexes) unmatched.push_back(&index);
    for (const auto& index : expected.indexes) {
      const auto found = std::find_if(unmatched.begin(), unmatched.end(), [&](const IndexSnapshot* candidate) {
        return candidate->columns == index.columns && candidate->unique == index.unique;
      });
      if (found != unmatched.end()) {
        unmatched.erase(found);
      } else {
        add(K::MissingIndex, index.name, indexText(index), "");
      }
    }
    if (!options_.reportExtras) return;
    // InnoDB's implicit foreign-key indexes never get here: the MariaDB adapter leaves them out.
    for (const IndexSnapshot* index : unmatched) add(K::ExtraIndex, index->name, "", indexText(*index));
  }

  const Dialect& dialect_;
  const SchemaCompareOptions& options_;
  std::vector<SchemaDifference>& out_;
  std::string table_;
};
}  // namespace

std::vector<SchemaDifference> compareSchemas(const SchemaSnapshot& expected, const SchemaSnapshot& live,
                                             const Dialect& dialect, const SchemaCompareOptions& options) {
  std::vector<std::string> names;
  for (const auto& table : expected.tables) names.push_back(table.name);
  for (const auto& table : live.tables) names.push_back(table.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  std::vector<SchemaDifference> out;
  TableComparison comparison(dialect, options, out);
  for (const auto& name : names) {
    if (options.ignoredTables.count(name)) continue;
    const TableSnapshot* want = expected.table(name);
    const TableSnapshot* have = live.table(name);
    comparison.setTable(name);
    if (want && have) {
      comparison.compare(*want, *have);
    } else if (want) {
      comparison.add(K::MissingTable, "", "table", "");
    } else if (options.reportExtras) {
      comparison.add(K::ExtraTable, "", "", "table");
    }
  }
  return out;
}

JSORM_NAMESPACE_END
