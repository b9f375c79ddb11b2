// The schema snapshot: what snapshotOf records for a set of models, the JSON file format
// (stable, sorted, round-trips), and the errors parseSnapshot gives for a bad file.
#include <jsorm/error.hpp>
#include <jsorm/snapshot.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const TableSnapshot& tableIn(const SchemaSnapshot& snapshot, const std::string& name) {
  const TableSnapshot* table = snapshot.table(name);
  INFO("table " << name);
  REQUIRE(table != nullptr);
  return *table;
}
// The table would outlive the snapshot.
const TableSnapshot& tableIn(SchemaSnapshot&& snapshot, const std::string& name) = delete;

const ColumnSnapshot& columnIn(const TableSnapshot& table, const std::string& name) {
  const ColumnSnapshot* column = table.column(name);
  INFO("column " << table.name << "." << name);
  REQUIRE(column != nullptr);
  return *column;
}

std::vector<std::string> tableNames(const SchemaSnapshot& snapshot) {
  std::vector<std::string> names;
  for (const auto& table : snapshot.tables) names.push_back(table.name);
  return names;
}

std::vector<std::string> columnNames(const TableSnapshot& table) {
  std::vector<std::string> names;
  for (const auto& column : table.columns) names.push_back(column.name);
  return names;
}

// The message of the ConfigError parseSnapshot throws for `text`. Anything else comes back
// as a description that no expected message matches, so the check shows what happened.
std::string parseError(const std::string& text, const std::string& path = "db/schema.json") {
  try {
    parseSnapshot(text, path);
  } catch (const ConfigError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<not a ConfigError: ") + e.what() + ">";
  }
  return "<no error: parseSnapshot accepted the text>";
}

// Models that use every storable type, every modifier, a belongsTo and a manyToMany.
std::vector<Model> richModels() {
  const Model Author = defineModel("authors", {
      {"id", t.number().primary()},
      {"name", t.string(120)},
      {"email", t.string().optional().unique()},
      {"active", t.boolean().defaultTo(true).index()},
      {"rating", t.real().defaultTo(3.0)},
      {"score", t.real().defaultTo(-2.5)},
      {"balance", t.decimal(12, 4).defaultTo(0)},
      {"big", t.bigint().defaultTo(static_cast<long long>(1) << 40)},
      {"negative", t.number().defaultTo(-7)},
      {"motto", t.text().defaultTo("it's \"quoted\"\n\\ and caf\xc3\xa9")},
      {"born", t.date().optional()},
      {"created_at", t.timestamp().defaultRaw("CURRENT_TIMESTAMP")},
      {"settings", t.json().optional()},
      {"token", t.uuid().optional()},
      {"avatar", t.bytes().optional()},
  });
  const Model Tag = defineModel("tags", {
      {"id", t.number().primary()},
      {"label", t.string(50).unique()},
  });
  const Model Post = defineModel("posts", {
      {"id", t.bigint().primary()},
      {"title", t.string()},
      {"author", t.belongsTo(Author)},
      {"editor", t.belongsTo(Author).optional().index()},
      {"tags", t.manyToMany(Tag)},
  });
  return {Post, Tag, Author};
}

}  // namespace

// --- snapshotOf ------------------------------------------------------------------------

TEST_CASE("snapshotOf: a belongsTo field is a <field>_id column referencing the target's key") {
  const Model Author = defineModel("authors", {{"id", t.number().primary()}, {"name", t.string()}});
  const Model Post = defineModel("posts", {
      {"id", t.number().primary()},
      {"title", t.string()},
      {"author", t.belongsTo(Author)},
      {"editor", t.belongsTo(Author).optional()},
  });
  const SchemaSnapshot snapshot = snapshotOf({Author, Post});
  const TableSnapshot& posts = tableIn(snapshot, "posts");

  CHECK(columnNames(posts) == std::vector<std::string>{"id", "title", "author_id", "editor_id"});
  CHECK(posts.column("author") == nullptr);
  const ColumnSnapshot& author = columnIn(posts, "author_id");
  CHECK(author.type == FieldType::Number);
  CHECK_FALSE(author.nullable);
  CHECK_FALSE(author.primary);
  REQUIRE(author.references.has_value());
  CHECK(author.references->table == "authors");
  CHECK(author.references->column == "id");
  CHECK(columnIn(posts, "editor_id").nullable);
  REQUIRE(columnIn(posts, "editor_id").references.has_value());

  // Plain columns carry no reference; the primary key is a key, not a reference.
  CHECK_FALSE(columnIn(posts, "title").references.has_value());
  CHECK(columnIn(posts, "id").primary);
  CHECK_FALSE(columnIn(posts, "id").nullable);
}

TEST_CASE("snapshotOf: a belongsTo column takes the type and name of the target's key") {
  const Model Account = defineModel("accounts", {{"code", t.uuid().primary()}});
  const Model Session = defineModel("sessions", {{"id", t.number().primary()}, {"account", t.belongsTo(Account)}});
  const SchemaSnapshot snapshot = snapshotOf({Account, Session});
  const TableSnapshot& sessions = tableIn(snapshot, "sessions");
  const ColumnSnapshot& account = columnIn(sessions, "account_code");
  CHECK(account.type == FieldType::Uuid);
  CHECK_FALSE(account.primary);
  REQUIRE(account.references.has_value());
  CHECK(account.references->table == "accounts");
  CHECK(account.references->column == "code");
}

TEST_CASE("snapshotOf: a manyToMany field is a pivot table with both keys and a composite unique index") {
  const Model Tag = defineModel("tags", {{"id", t.number().primary()}, {"label", t.string()}});
  const Model Post = defineModel("posts", {
      {"id", t.number().primary()},
      {"title", t.string()},
      {"tags", t.manyToMany(Tag)},
  });
  const SchemaSnapshot snapshot = snapshotOf({Post, Tag});
  CHECK(tableNames(snapshot) == std::vector<std::string>{"posts", "posts_tags", "tags"});

  // The field makes no column on its owner.
  CHECK(columnNames(tableIn(snapshot, "posts")) == std::vector<std::string>{"id", "title"});
  CHECK(tableIn(snapshot, "posts").pivotOf.empty());
  CHECK(tableIn(snapshot, "tags").pivotOf.empty());

  const TableSnapshot& pivot = tableIn(snapshot, "posts_tags");
  CHECK(pivot.pivotOf == "posts.tags");
  CHECK(columnNames(pivot) == std::vector<std::string>{"posts_id", "tags_id"});
  for (const auto& [column, target] : {std::pair<std::string, std::string>{"posts_id", "posts"}, {"tags_id", "tags"}}) {
    INFO(column);
    const ColumnSnapshot& c = columnIn(pivot, column);
    CHECK(c.type == FieldType::Number);
    CHECK_FALSE(c.nullable);
    CHECK_FALSE(c.primary);
    CHECK_FALSE(c.unique);
    CHECK_FALSE(c.index);
    REQUIRE(c.references.has_value());
    CHECK(c.references->table == target);
    CHECK(c.references->column == "id");
  }
  REQUIRE(pivot.indexes.size() == 1);
  CHECK(pivot.indexes[0] == IndexSnapshot{"posts_tags_posts_id_tags_id_unique", {"posts_id", "tags_id"}, true});
}

TEST_CASE("snapshotOf: unique() and index() set the column flags and add their named indexes") {
  const Model User = defineModel("users", {
      {"id", t.number().primary()},
      {"email", t.string().unique()},
      {"active", t.boolean().index()},
      {"code", t.string(8).unique().index()},
      {"name", t.string()},
  });
  const SchemaSnapshot snapshot = snapshotOf({User});
  const TableSnapshot& users = tableIn(snapshot, "users");

  CHECK(columnIn(users, "email").unique);
  CHECK_FALSE(columnIn(users, "email").index);
  CHECK(columnIn(users, "active").index);
  CHECK_FALSE(columnIn(users, "active").unique);
  CHECK_FALSE(columnIn(users, "name").unique);
  CHECK_FALSE(columnIn(users, "name").index);
  CHECK_FALSE(columnIn(users, "id").unique);

  // Sorted by name; the primary key has no index of its own.
  const std::vector<IndexSnapshot> expected{
      {"users_active_index", {"active"}, false},
      {"users_code_index", {"code"}, false},
      {"users_code_unique", {"code"}, true},
      {"users_email_unique", {"email"}, true},
  };
  CHECK(users.indexes == expected);
}

TEST_CASE("snapshotOf: a unique primary key is just a primary key") {
  const Model User = defineModel("users", {{"id", t.number().primary().unique()}});
  const SchemaSnapshot snapshot = snapshotOf({User});
  const TableSnapshot& users = tableIn(snapshot, "users");
  CHECK(columnIn(users, "id").primary);
  CHECK_FALSE(columnIn(users, "id").unique);
  CHECK(users.indexes.empty());
}

TEST_CASE("snapshotOf: string length defaults to 255, decimal keeps precision and scale, defaults are kept") {
  const Model Item = defineModel("items", {
      {"id", t.number().primary().optional()},
      {"name", t.string()},
      {"code", t.string(40)},
      {"price", t.decimal(12, 4)},
      {"notes", t.text().optional()},
      {"active", t.boolean().defaultTo(true)},
      {"count", t.number().defaultTo(5)},
      {"ratio", t.real().defaultTo(2.5)},
      {"unit", t.string().defaultTo("kg")},
      {"created_at", t.timestamp().defaultRaw("CURRENT_TIMESTAMP")},
  });
  const SchemaSnapshot snapshot = snapshotOf({Item});
  const TableSnapshot& items = tableIn(snapshot, "items");

  CHECK(columnIn(items, "name").type == FieldType::String);
  CHECK(columnIn(items, "name").length == 255);
  CHECK(columnIn(items, "code").length == 40);
  CHECK(columnIn(items, "price").type == FieldType::Decimal);
  CHECK(columnIn(items, "price").precision == 12);
  CHECK(columnIn(items, "price").scale == 4);
  CHECK(columnIn(items, "price").length == 0);
  CHECK(columnIn(items, "notes").type == FieldType::Text);
  CHECK(columnIn(items, "notes").length == 0);
  CHECK(columnIn(items, "notes").nullable);
  CHECK_FALSE(columnIn(items, "name").nullable);
  // A primary key is never nullable, whatever optional() says.
  CHECK_FALSE(columnIn(items, "id").nullable);

  CHECK(columnIn(items, "active").defaultValue == Literal{true});
  CHECK(columnIn(items, "count").defaultValue == Literal{std::int64_t{5}});
  CHECK(columnIn(items, "ratio").defaultValue == Literal{2.5});
  CHECK(columnIn(items, "unit").defaultValue == Literal{std::string("kg")});
  CHECK(columnIn(items, "created_at").defaultSql == "CURRENT_TIMESTAMP");
  CHECK_FALSE(columnIn(items, "created_at").defaultValue.has_value());
  CHECK_FALSE(columnIn(items, "name").defaultValue.has_value());
}

TEST_CASE("snapshotOf: tables are sorted by name whatever the order of the models") {
  const Model Zebra = defineModel("zebras", {{"id", t.number().primary()}});
  const Model Apple = defineModel("apples", {{"id", t.number().primary()}});
  const Model Mango = defineModel("mangos", {{"id", t.number().primary()}, {"zebras", t.manyToMany(Zebra)}});
  CHECK(tableNames(snapshotOf({Zebra, Mango, Apple})) ==
        std::vector<std::string>{"apples", "mangos", "mangos_zebras", "zebras"});
  CHECK(tableNames(snapshotOf({})).empty());
}

TEST_CASE("snapshotOf: renamedFrom on a model and a field is recorded for the generator") {
  const Model Author = defineModel("authors", {{"id", t.number().primary()}});
  const Model Post = defineModel("articles", {
                                                 {"id", t.number().primary()},
                                                 {"headline", t.string().renamedFrom("title")},
                                                 {"writer", t.belongsTo(Author).renamedFrom("author")},
                                             })
                         .renamedFrom("posts");
  const SchemaSnapshot snapshot = snapshotOf({Author, Post});
  const TableSnapshot& articles = tableIn(snapshot, "articles");
  CHECK(articles.renamedFrom == "posts");
  CHECK(columnIn(articles, "headline").renamedFrom == "title");
  // A belongsTo field's previous name becomes its previous column name.
  CHECK(columnIn(articles, "writer_id").renamedFrom == "author_id");
  CHECK(columnIn(articles, "id").renamedFrom.empty());
  CHECK(tableIn(snapshot, "authors").renamedFrom.empty());
}

// --- toJson ----------------------------------------------------------------------------

TEST_CASE("toJson: the exact file for a small schema (sorted keys, two-space indent, defaults left out)") {
  const Model Team = defineModel("teams", {
      {"id", t.number().primary()},
      {"name", t.string(80).unique()},
  });
  const Model User = defineModel("users", {
      {"id", t.number().primary()},
      {"email", t.string().optional()},
      {"price", t.decimal(8, 2).defaultTo(0)},
      {"team", t.belongsTo(Team)},
  });
  const std::string expected = R"({
  "tables": {
    "teams": {
      "columns": [
        {
          "name": "id",
          "primary": true,
          "type": "number"
        },
        {
          "length": 80,
          "name": "name",
          "type": "string",
          "unique": true
        }
      ],
      "indexes": [
        {
          "columns": [
            "name"
          ],
          "name": "teams_name_unique",
          "unique": true
        }
      ]
    },
    "users": {
      "columns": [
        {
          "name": "id",
          "primary": true,
          "type": "number"
        },
        {
          "length": 255,
          "name": "email",
          "nullable": true,
          "type": "string"
        },
        {
          "default": 0,
          "name": "price",
          "precision": 8,
          "scale": 2,
          "type": "decimal"
        },
        {
          "name": "team_id",
          "references": {
            "column": "id",
            "table": "teams"
          },
          "type": "number"
        }
      ]
    }
  },
  "version": 1
}
)";
  CHECK(toJson(snapshotOf({User, Team})) == expected);
}

TEST_CASE("toJson: the same models give byte-identical text, whatever their order") {
  const std::string first = toJson(snapshotOf(richModels()));
  auto reversed = richModels();
  std::reverse(reversed.begin(), reversed.end());
  const std::string second = toJson(snapshotOf(reversed));
  CHECK(first == second);
  CHECK(toJson(snapshotOf(richModels())) == first);
  REQUIRE_FALSE(first.empty());
  CHECK(first.back() == '\n');
  CHECK(first.find('\t') == std::string::npos);

  // Tables appear in name order.
  const auto authors = first.find("\"authors\": {");
  const auto posts = first.find("\"posts\": {");
  const auto pivot = first.find("\"posts_tags\": {");
  const auto tags = first.find("\"tags\": {");
  REQUIRE(authors != std::string::npos);
  REQUIRE(posts != std::string::npos);
  REQUIRE(pivot != std::string::npos);
  REQUIRE(tags != std::string::npos);
  CHECK(authors < posts);
  CHECK(posts < pivot);
  CHECK(pivot < tags);
  CHECK_THAT(first, Contains("\"pivotOf\": \"posts.tags\""));
}

TEST_CASE("toJson: renamedFrom is never written") {
  const Model Plain = defineModel("users", {{"id", t.number().primary()}, {"name", t.string()}});
  const Model Renamed = defineModel("users", {{"id", t.number().primary()}, {"name", t.string().renamedFrom("fullname")}})
                            .renamedFrom("people");
  const std::string text = toJson(snapshotOf({Renamed}));
  CHECK(text == toJson(snapshotOf({Plain})));
  CHECK_THAT(text, !Contains("renamedFrom"));
  CHECK_THAT(text, !Contains("fullname"));
  CHECK_THAT(text, !Contains("people"));
}

TEST_CASE("toJson and parseSnapshot round-trip every attribute") {
  const SchemaSnapshot original = snapshotOf(richModels());
  const std::string text = toJson(original);
  const SchemaSnapshot parsed = parseSnapshot(text, "schema.json");

  CHECK(toJson(parsed) == text);
  REQUIRE(tableNames(parsed) == tableNames(original));
  for (std::size_t i = 0; i < original.tables.size(); ++i) {
    const TableSnapshot& a = original.tables[i];
    const TableSnapshot& b = parsed.tables[i];
    INFO("table " << a.name);
    CHECK(b.pivotOf == a.pivotOf);
    CHECK(b.indexes == a.indexes);
    REQUIRE(columnNames(b) == columnNames(a));
    for (std::size_t c = 0; c < a.columns.size(); ++c) {
      INFO("column " << a.columns[c].name);
      CHECK(b.columns[c] == a.columns[c]);
      // operator== is what the generator relies on; check the parts it compares too.
      CHECK(b.columns[c].type == a.columns[c].type);
      CHECK(b.columns[c].defaultValue == a.columns[c].defaultValue);
      CHECK(b.columns[c].defaultSql == a.columns[c].defaultSql);
    }
  }

  // Spot checks of values whose JSON form could change their C++ type.
  const TableSnapshot& authors = tableIn(parsed, "authors");
  CHECK(columnIn(authors, "rating").defaultValue == Literal{3.0});
  CHECK(columnIn(authors, "balance").defaultValue == Literal{std::int64_t{0}});
  CHECK(columnIn(authors, "big").defaultValue == Literal{std::int64_t{1} << 40});
  CHECK(columnIn(authors, "negative").defaultValue == Literal{std::int64_t{-7}});
  CHECK(columnIn(authors, "motto").defaultValue == Literal{std::string("it's \"quoted\"\n\\ and caf\xc3\xa9")});
  CHECK(columnIn(authors, "created_at").defaultSql == "CURRENT_TIMESTAMP");
  CHECK(tableIn(parsed, "posts_tags").pivotOf == "posts.tags");
  const ColumnSnapshot& editor = columnIn(tableIn(parsed, "posts"), "editor_id");
  REQUIRE(editor.references.has_value());
  CHECK(editor.references->table == "authors");
  CHECK(editor.nullable);
  CHECK(editor.index);
}

// Both dialects render non-finite real defaults (see the dialect tests), but JSON has no
// spelling for them: nlohmann writes null, which parseSnapshot rejects, so the next
// migrate:generate fails on the snapshot that the previous one wrote.
TEST_CASE("toJson and parseSnapshot round-trip non-finite real defaults") {
  const double inf = std::numeric_limits<double>::infinity();
  const Model M = defineModel("m", {
      {"id", t.number().primary()},
      {"hi", t.real().defaultTo(inf)},
      {"lo", t.real().defaultTo(-inf)},
      {"nan", t.real().defaultTo(std::numeric_limits<double>::quiet_NaN())},
  });
  const std::string text = toJson(snapshotOf({M}));
  INFO(text);
  SchemaSnapshot parsed;
  REQUIRE_NOTHROW(parsed = parseSnapshot(text, "schema.json"));
  const TableSnapshot& m = tableIn(parsed, "m");
  CHECK(columnIn(m, "hi").defaultValue == Literal{inf});
  CHECK(columnIn(m, "lo").defaultValue == Literal{-inf});
  REQUIRE(columnIn(m, "nan").defaultValue.has_value());
  const double* nan = std::get_if<double>(&*columnIn(m, "nan").defaultValue);
  REQUIRE(nan != nullptr);
  CHECK(std::isnan(*nan));
}

TEST_CASE("parseSnapshot reads a file with no tables, and keeps the file's index order") {
  CHECK(parseSnapshot("{\"version\": 1, \"tables\": {}}", "s.json").tables.empty());
  const SchemaSnapshot s = parseSnapshot(R"({"version": 1, "tables": {"t": {"columns": [{"name": "a", "type": "number"}],
      "indexes": [{"name": "t_a_index", "columns": ["a"]}]}}})",
                                         "s.json");
  REQUIRE(s.tables.size() == 1);
  CHECK(s.tables[0].name == "t");
  REQUIRE(s.tables[0].columns.size() == 1);
  CHECK(s.tables[0].columns[0].type == FieldType::Number);
  CHECK_FALSE(s.tables[0].columns[0].nullable);
  REQUIRE(s.tables[0].indexes.size() == 1);
  CHECK(s.tables[0].indexes[0] == IndexSnapshot{"t_a_index", {"a"}, false});
}

// --- parseSnapshot errors --------------------------------------------------------------

TEST_CASE("parseSnapshot: malformed JSON names the file, line and column of the mistake") {
  // Line 4 is `    "users": [1, 2,]`: the stray `]` is its 20th character.
  const std::string text = "{\n  \"version\": 1,\n  \"tables\": {\n    \"users\": [1, 2,]\n  }\n}\n";
  const std::string message = parseError(text, "db/schema.json");
  CHECK_THAT(message, StartsWith("db/schema.json:4:20: "));
  CHECK_THAT(message, Contains("malformed snapshot"));

  // On the first line: the second comma of `{"version": 1,,}` is character 15.
  CHECK_THAT(parseError("{\"version\": 1,,}", "s.json"), StartsWith("s.json:1:15: "));
  // The first character of the third line.
  CHECK_THAT(parseError("{\n\"version\": 1,\n}", "s.json"), StartsWith("s.json:3:1: "));
  // Not JSON at all.
  CHECK_THAT(parseError("version = 1\n", "s.json"), StartsWith("s.json:1:1: "));
}

// Found by fuzz/fuzz_snapshot: nlohmann reports a number beyond double as out_of_range,
// which escaped as an internal error instead of a malformed-snapshot ConfigError.
TEST_CASE("parseSnapshot: a number too large for a double is a malformed snapshot") {
  const std::string message = parseError("{\"version\": 1E400, \"tables\": {}}", "s.json");
  CHECK_THAT(message, StartsWith("s.json: "));
  CHECK_THAT(message, Contains("malformed snapshot"));
}

// Also found by fuzz/fuzz_snapshot: a value of the wrong JSON type where the reader converts
// it escaped as nlohmann's type_error.
TEST_CASE("parseSnapshot: values of the wrong JSON type are a malformed snapshot") {
  for (const std::string text : {R"({"version": {}, "tables": {}})",
                                 R"({"version": 1, "tables": {"t": {"columns": [{"name": 5, "type": "text"}]}}})"}) {
    INFO(text);
    const std::string message = parseError(text, "s.json");
    CHECK_THAT(message, StartsWith("s.json: "));
  }
}

TEST_CASE("parseSnapshot: a wrongly shaped file names the JSON path of the problem") {
  SECTION("not an object") { CHECK_THAT(parseError("[]", "s.json"), StartsWith("s.json: ")); }
  SECTION("no tables") {
    const std::string m = parseError(R"({"version": 1})", "s.json");
    CHECK_THAT(m, StartsWith("s.json: "));
    CHECK_THAT(m, Contains("tables must be present"));
  }
  SECTION("tables is not an object") {
    CHECK_THAT(parseError(R"({"version": 1, "tables": []})", "s.json"), Contains("tables must be an object"));
  }
  SECTION("another format version") {
    const std::string m = parseError(R"({"version": 2, "tables": {}})", "s.json");
    CHECK_THAT(m, StartsWith("s.json: malformed snapshot: version must be 1"));
  }
  SECTION("no version") {
    CHECK_THAT(parseError(R"({"tables": {}})", "s.json"), StartsWith("s.json: malformed snapshot: version must be 1"));
  }
  SECTION("a table without columns") {
    CHECK_THAT(parseError(R"({"version": 1, "tables": {"users": {}}})", "s.json"),
               Contains("tables.users.columns must be present"));
  }
  SECTION("an unknown type name") {
    const std::string m = parseError(
        R"({"version": 1, "tables": {"users": {"columns": [{"name": "id", "type": "number"}, {"name": "x", "type": "varchar"}]}}})",
        "s.json");
    CHECK_THAT(m, StartsWith("s.json: malformed snapshot: tables.users.columns[1].type must be a field type"));
  }
  SECTION("a relation is not a storable type") {
    CHECK_THAT(parseError(R"({"version": 1, "tables": {"users": {"columns": [{"name": "x", "type": "belongsTo"}]}}})",
                          "s.json"),
               Contains("tables.users.columns[0].type"));
  }
  SECTION("a column without a name") {
    CHECK_THAT(parseError(R"({"version": 1, "tables": {"users": {"columns": [{"type": "number"}]}}})", "s.json"),
               Contains("tables.users.columns[0].name must be present"));
  }
  SECTION("a bad index") {
    CHECK_THAT(parseError(R"({"version": 1, "tables": {"users": {"columns": [], "indexes": [{"name": "i"}]}}})",
                          "s.json"),
               Contains("tables.users.indexes[0]"));
  }
  SECTION("a bad reference") {
    CHECK_THAT(
        parseError(R"({"version": 1, "tables": {"u": {"columns": [{"name": "a", "type": "number", "references": {"table": "t"}}]}}})",
                   "s.json"),
        Contains("tables.u.columns[0].references"));
  }
  SECTION("a default that is not a scalar") {
    CHECK_THAT(
        parseError(R"({"version": 1, "tables": {"u": {"columns": [{"name": "a", "type": "number", "default": [1]}]}}})",
                   "s.json"),
        Contains("tables.u.columns[0].default"));
  }
}

// Optional attributes of the wrong JSON type must be reported like missing ones: as a
// ConfigError naming the path, not as a JSON library exception (the CLI would report that
// as an internal error, exit 1).
TEST_CASE("parseSnapshot: an attribute of the wrong JSON type names its path") {
  SECTION("version") {
    CHECK_THAT(parseError(R"({"version": "1", "tables": {}})", "s.json"), Contains("version"));
  }
  SECTION("nullable") {
    CHECK_THAT(
        parseError(R"({"version": 1, "tables": {"u": {"columns": [{"name": "a", "type": "number", "nullable": "yes"}]}}})",
                   "s.json"),
        Contains("tables.u.columns[0].nullable"));
  }
  SECTION("length") {
    CHECK_THAT(
        parseError(R"({"version": 1, "tables": {"u": {"columns": [{"name": "a", "type": "string", "length": "long"}]}}})",
                   "s.json"),
        Contains("tables.u.columns[0].length"));
  }
  SECTION("pivotOf") {
    CHECK_THAT(parseError(R"({"version": 1, "tables": {"u": {"columns": [], "pivotOf": 3}}})", "s.json"),
               Contains("tables.u.pivotOf"));
  }
  SECTION("references.table") {
    CHECK_THAT(
        parseError(
            R"({"version": 1, "tables": {"u": {"columns": [{"name": "a", "type": "number", "references": {"table": 1, "column": "id"}}]}}})",
            "s.json"),
        Contains("tables.u.columns[0].references"));
  }
}

// --- names and values read back from disk are checked like the DSL's ------------------

namespace {
std::string oneColumn(const std::string& column) {
  return R"({"version": 1, "tables": {"u": {"columns": [)" + column + "]}}}";
}
}  // namespace

TEST_CASE("parseSnapshot refuses names that the DSL refuses") {
  CHECK_THAT(parseError(R"({"version": 1, "tables": {"a\nb": {"columns": []}}})", "s.json"),
             Contains("tables.a\nb must be a name jsorm accepts (it contains a control character)"));
  CHECK_THAT(parseError(oneColumn(R"({"name": "x\\", "type": "number"})"), "s.json"), !Contains("must be"));
  CHECK_THAT(parseError(oneColumn(R"({"name": "x\u0000y", "type": "number"})"), "s.json"), Contains("control character"));
  CHECK_THAT(parseError(oneColumn(R"({"name": ")" + std::string(64, 'n') + R"(", "type": "number"})"), "s.json"),
             Contains("64 bytes long"));
  CHECK_THAT(parseError(oneColumn(R"({"name": "", "type": "number"})"), "s.json"), Contains("is empty"));
  CHECK_THAT(parseError(oneColumn(R"({"name": "a", "type": "number", "references": {"table": "t;\n", "column": "id"}})"),
                        "s.json"),
             Contains("references must be a name"));
  CHECK_THAT(parseError(R"({"version": 1, "tables": {"u": {"columns": [], "indexes": [{"name": "i\r", "columns": ["a"]}]}}})",
                        "s.json"),
             Contains("indexes[0].name must be a name"));
}

TEST_CASE("parseSnapshot refuses numbers and flags of the wrong kind or range") {
  for (const std::string length : {"1e20", "1.5", "true", "-1", "\"10\"", "10485761"}) {
    INFO(length);
    CHECK_THAT(parseError(oneColumn(R"({"name": "a", "type": "string", "length": )" + length + "}"), "s.json"),
               Contains("tables.u.columns[0].length must be a whole number from 0 to 10485760"));
  }
  CHECK_THAT(parseError(oneColumn(R"({"name": "a", "type": "decimal", "precision": 5, "scale": 6})"), "s.json"),
             Contains("scale must be a whole number from 0 to 5"));
  CHECK_THAT(parseError(oneColumn(R"({"name": "a", "type": "number", "unique": 1})"), "s.json"),
             Contains("unique must be true or false"));
  CHECK_THAT(parseError(R"({"version": 1.0, "tables": {}})", "s.json"), Contains("version must be 1"));
}

TEST_CASE("parseSnapshot refuses repeated tables, columns and index names") {
  CHECK_THAT(parseError(R"({"version": 1, "tables": {"u": {"columns": []}, "u": {"columns": []}}})", "s.json"),
             Contains("tables.u appears twice"));
  CHECK_THAT(parseError(oneColumn(R"({"name": "a", "type": "number"}, {"name": "a", "type": "text"})"), "s.json"),
             Contains("columns[1].name must be unique in its table"));
  CHECK_THAT(
      parseError(R"({"version": 1, "tables": {"u": {"columns": [{"name": "a", "type": "number"}], "indexes": [)"
                 R"({"name": "i", "columns": ["a"]}, {"name": "i", "columns": ["a"], "unique": true}]}}})",
                 "s.json"),
      Contains("indexes[1].name must be unique in its table"));
}

TEST_CASE("parseSnapshot stops at a nesting no snapshot has, without building it") {
  const std::string deep(50'000'000, '[');
  CHECK_THAT(parseError(deep, "s.json"), Contains("nested more than 16 levels deep"));
  CHECK_THAT(parseError(R"({"version": 1, "x": [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]], "tables": {}})", "s.json"),
             Contains("nested more than 16 levels deep"));
}
