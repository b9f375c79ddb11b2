// compareSchemas and normalizedColumnType: the expected schema against a live one, as each
// database would report it.
#include <jsorm/dialect.hpp>
#include <jsorm/schema_compare.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace jsorm;

namespace {
const Model Author = defineModel("authors", {
    {"id", t.number().primary()},
    {"name", t.string().unique()},
    {"score", t.decimal(12, 2).defaultTo(0)},
    {"active", t.boolean().defaultTo(true)},
    {"joined", t.timestamp().defaultRaw("CURRENT_TIMESTAMP")},
    {"bio", t.text().optional()},
});
const Model Book = defineModel("books", {
    {"id", t.number().primary()},
    {"title", t.string(120).index()},
    {"author", t.belongsTo(Author)},
});

// The schema as PostgreSQL's catalogue describes what jsorm created for the models.
SchemaSnapshot livePostgres() {
  SchemaSnapshot live = snapshotOf({Author, Book});
  auto set = [&](const std::string& table, const std::string& column, std::string rawType, std::string defaultSql) {
    for (auto& t : live.tables) {
      for (auto& c : t.columns) {
        if (t.name != table || c.name != column) continue;
        c.rawType = std::move(rawType);
        c.defaultValue.reset();
        c.defaultSql = std::move(defaultSql);
      }
    }
  };
  set("authors", "id", "integer", "");
  set("authors", "name", "character varying(255)", "");
  set("authors", "score", "numeric(12,2)", "0");
  set("authors", "active", "boolean", "true");
  set("authors", "joined", "timestamp without time zone", "CURRENT_TIMESTAMP");
  set("authors", "bio", "text", "");
  set("books", "id", "integer", "");
  set("books", "title", "character varying(120)", "");
  set("books", "author_id", "int4", "");
  return live;
}

std::vector<std::string> lines(const std::vector<SchemaDifference>& differences) {
  std::vector<std::string> out;
  for (const auto& d : differences) out.push_back(d.describe());
  return out;
}

TableSnapshot& tableIn(SchemaSnapshot& schema, const std::string& name) {
  for (auto& table : schema.tables) {
    if (table.name == name) return table;
  }
  FAIL("no table " << name);
  throw;
}

ColumnSnapshot& columnIn(SchemaSnapshot& schema, const std::string& table, const std::string& name) {
  for (auto& column : tableIn(schema, table).columns) {
    if (column.name == name) return column;
  }
  FAIL("no column " << name);
  throw;
}
}  // namespace

TEST_CASE("an untouched PostgreSQL schema matches the models it was made from") {
  CHECK(lines(compareSchemas(snapshotOf({Author, Book}), livePostgres(), postgresDialect())).empty());
}

TEST_CASE("a column added by hand, an index dropped, a type changed and an extra table are each named") {
  SchemaSnapshot live = livePostgres();
  ColumnSnapshot nickname;
  nickname.name = "nickname";
  nickname.rawType = "text";
  nickname.nullable = true;
  tableIn(live, "authors").columns.push_back(nickname);
  tableIn(live, "books").indexes.clear();
  columnIn(live, "authors", "bio").rawType = "character varying(80)";
  TableSnapshot audit;
  audit.name = "audit_log";
  live.tables.push_back(audit);
  const auto differences = compareSchemas(snapshotOf({Author, Book}), live, postgresDialect());
  CHECK(lines(differences) == std::vector<std::string>{
                                  "extra table audit_log",
                                  "column-type of authors.bio: expected text, found varchar(80)",
                                  "extra column authors.nickname (text, nullable)",
                                  "missing index books_title_index on books (title)",
                              });
  REQUIRE(differences.size() == 4);
  CHECK(differences[1].kind == SchemaDifferenceKind::ColumnType);
  CHECK(differences[1].table == "authors");
  CHECK(differences[1].object == "bio");
  CHECK(std::string(schemaDifferenceKindName(differences[3].kind)) == "missing-index");
}

TEST_CASE("missing tables and columns, nullability, defaults and foreign keys are differences") {
  SchemaSnapshot live = livePostgres();
  auto& columns = tableIn(live, "authors").columns;
  std::erase_if(columns, [](const auto& c) { return c.name == "bio"; });
  columnIn(live, "authors", "name").nullable = true;
  columnIn(live, "authors", "score").defaultSql = "'1.50'::numeric";
  columnIn(live, "authors", "joined").defaultSql = "";
  columnIn(live, "books", "author_id").references.reset();
  SchemaSnapshot expected = snapshotOf({Author, Book});
  TableSnapshot gone;
  gone.name = "gone";
  expected.tables.insert(expected.tables.begin(), gone);
  CHECK(lines(compareSchemas(expected, live, postgresDialect())) ==
        std::vector<std::string>{
            "nullability of authors.name: expected NOT NULL, found nullable",
            "default of authors.score: expected 0, found '1.50'::numeric",
            "default of authors.joined: expected CURRENT_TIMESTAMP, found none",
            "missing column authors.bio (text, nullable)",
            "missing foreign key books.author_id -> authors(id)",
            "missing table gone",
        });
}

TEST_CASE("literal defaults compare by value across casts, parentheses, quotes and booleans as numbers") {
  SchemaSnapshot live = livePostgres();
  columnIn(live, "authors", "score").defaultSql = "('0.00'::numeric)";
  columnIn(live, "authors", "active").defaultSql = "1";
  CHECK(compareSchemas(snapshotOf({Author, Book}), live, postgresDialect()).empty());
  columnIn(live, "authors", "active").defaultSql = "false";
  CHECK(lines(compareSchemas(snapshotOf({Author, Book}), live, postgresDialect())) ==
        std::vector<std::string>{"default of authors.active: expected TRUE, found false"});
}

TEST_CASE("a default of NULL as MariaDB reports it counts as none") {
  SchemaSnapshot live = livePostgres();
  columnIn(live, "authors", "bio").defaultSql = "NULL";
  CHECK(compareSchemas(snapshotOf({Author, Book}), live, postgresDialect()).empty());
}

TEST_CASE("ignored tables, unverifiable tables and extras left out for a baseline") {
  SchemaSnapshot live = livePostgres();
  TableSnapshot tracking;
  tracking.name = "jsorm_migrations";
  live.tables.push_back(tracking);
  ColumnSnapshot extra;
  extra.name = "extra";
  extra.rawType = "integer";
  tableIn(live, "books").columns.push_back(extra);
  tableIn(live, "books").indexes.push_back({"by_hand", {"extra"}, false});

  SchemaCompareOptions options;
  options.ignoredTables = {"jsorm_migrations"};
  options.unverifiableTables = {"books"};
  const auto differences = compareSchemas(snapshotOf({Author, Book}), live, postgresDialect(), options);
  CHECK(lines(differences) == std::vector<std::string>{
                                  "extra column books.extra (integer) (unverifiable: a rawSql step changed table books)",
                                  "extra index by_hand on books (extra) (unverifiable: a rawSql step changed table books)",
                              });
  for (const auto& d : differences) CHECK(d.unverifiable);

  options.reportExtras = false;
  live.tables.push_back(TableSnapshot{"later", {}, {}, "", ""});
  CHECK(compareSchemas(snapshotOf({Author, Book}), live, postgresDialect(), options).empty());
}

TEST_CASE("indexes match by columns and uniqueness, whatever their names") {
  SchemaSnapshot live = livePostgres();
  tableIn(live, "books").indexes = {{"title_idx", {"title"}, false}};
  CHECK(compareSchemas(snapshotOf({Author, Book}), live, postgresDialect()).empty());
  tableIn(live, "books").indexes = {{"title_idx", {"title"}, true}};
  CHECK(lines(compareSchemas(snapshotOf({Author, Book}), live, postgresDialect())) ==
        std::vector<std::string>{"missing index books_title_index on books (title)",
                                 "extra index title_idx on books (title) unique"});
}

TEST_CASE("normalizedColumnType gives one spelling per meaning for each database") {
  const Dialect& pg = postgresDialect();
  CHECK(normalizedColumnType(pg, "character varying(255)") == normalizedColumnType(pg, "VARCHAR(255)"));
  CHECK(normalizedColumnType(pg, "int4") == "integer");
  CHECK(normalizedColumnType(pg, "NUMERIC(12, 2)") == "numeric(12,2)");
  CHECK(normalizedColumnType(pg, "double precision") == normalizedColumnType(pg, "float8"));
  CHECK(normalizedColumnType(pg, "timestamp without time zone") == "timestamp");
  CHECK(normalizedColumnType(pg, "timestamp with time zone") == "timestamptz");
  CHECK(normalizedColumnType(pg, "varchar(80)") != normalizedColumnType(pg, "varchar(255)"));
  const Dialect& my = mysqlDialect();
  CHECK(normalizedColumnType(my, "BOOLEAN") == normalizedColumnType(my, "tinyint(1)"));
  CHECK(normalizedColumnType(my, "INTEGER") == normalizedColumnType(my, "int(11)"));
  CHECK(normalizedColumnType(my, "DECIMAL(12, 2)") == "numeric(12,2)");
  CHECK(normalizedColumnType(my, "JSON") == "longtext");
  CHECK(normalizedColumnType(my, "DATETIME(6)") == "datetime(6)");
  const Dialect& lite = sqliteDialect();
  CHECK(normalizedColumnType(lite, "VARCHAR(255)") == "varchar(255)");
  CHECK(normalizedColumnType(lite, "BLOB") != normalizedColumnType(lite, "TEXT"));
}

TEST_CASE("every difference kind has a name") {
  for (int k = 0; k <= static_cast<int>(SchemaDifferenceKind::ForeignKeyTarget); ++k) {
    CHECK(std::string(schemaDifferenceKindName(static_cast<SchemaDifferenceKind>(k))) != "unknown");
  }
}
