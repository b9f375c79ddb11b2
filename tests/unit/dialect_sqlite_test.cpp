// The SQLite dialect: the exact SQL each step renders to.
#include <jsorm/builder.hpp>
#include <jsorm/dialect.hpp>
#include <jsorm/model.hpp>

#include <catch2/catch.hpp>

#include <limits>
#include <string>
#include <vector>

using namespace jsorm;
using Catch::Matchers::Contains;

namespace {
const Dialect& sqlite = sqliteDialect();
const Builder b;

std::vector<std::string> sql(const Step& step) {
  std::vector<std::string> out;
  for (const Statement& statement : sqlite.render(step)) out.push_back(statement.sql);
  return out;
}

const Model Role = defineModel("roles", {{"id", t.number().primary()}, {"name", t.string()}});
const Model Big = defineModel("bigs", {{"id", t.bigint().primary()}});
const Model Tag = defineModel("tags", {{"code", t.string(20).primary()}});
}  // namespace

TEST_CASE("the SQLite dialect is named sqlite and numbers its placeholders ?N") {
  CHECK(sqlite.name() == "sqlite");
  CHECK(sqlite.placeholder(1) == "?1");
  CHECK(sqlite.placeholder(12) == "?12");
}

TEST_CASE("SQLite quotes identifiers in double quotes, doubling embedded ones") {
  CHECK(sqlite.quoteIdentifier("users") == "\"users\"");
  CHECK(sqlite.quoteIdentifier("a\"b") == "\"a\"\"b\"");
  CHECK(sqlite.quoteIdentifier("x\"; DROP TABLE users; --") == "\"x\"\"; DROP TABLE users; --\"");
  CHECK(sqlite.quoteIdentifier("\xC3\xBCsers") == "\"\xC3\xBCsers\"");
}

TEST_CASE("SQLite quotes strings in single quotes, doubling embedded ones") {
  CHECK(sqlite.quoteString("it's") == "'it''s'");
  CHECK(sqlite.quoteString("''") == "''''''");
  CHECK(sqlite.quoteString("a\\b\"c") == "'a\\b\"c'");
}

TEST_CASE("SQLite renders literals of each type") {
  CHECK(sqlite.literal(true) == "TRUE");
  CHECK(sqlite.literal(false) == "FALSE");
  CHECK(sqlite.literal(std::int64_t{42}) == "42");
  CHECK(sqlite.literal(std::int64_t{-9007199254740993LL}) == "-9007199254740993");
  CHECK(sqlite.literal(1.5) == "1.5");
  CHECK(sqlite.literal(std::string("it's")) == "'it''s'");
}

TEST_CASE("SQLite createTable maps every field type to its column type") {
  const Model types = defineModel("types", {
      {"id", t.number().primary()},
      {"n", t.number()},
      {"bi", t.bigint()},
      {"r", t.real()},
      {"dc", t.decimal(10, 2)},
      {"s", t.string()},
      {"s40", t.string(40)},
      {"tx", t.text()},
      {"b", t.boolean()},
      {"dt", t.date()},
      {"ts", t.timestamp()},
      {"js", t.json()},
      {"u", t.uuid()},
      {"by", t.bytes()},
  });
  CHECK(sql(b.createTable(types)) ==
        std::vector<std::string>{
            "CREATE TABLE \"types\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"n\" INTEGER NOT NULL, "
            "\"bi\" BIGINT NOT NULL, \"r\" REAL NOT NULL, \"dc\" NUMERIC(10, 2) NOT NULL, \"s\" VARCHAR(255) NOT NULL, "
            "\"s40\" VARCHAR(40) NOT NULL, \"tx\" TEXT NOT NULL, \"b\" BOOLEAN NOT NULL, \"dt\" DATE NOT NULL, "
            "\"ts\" TIMESTAMP NOT NULL, \"js\" TEXT NOT NULL, \"u\" TEXT NOT NULL, \"by\" BLOB NOT NULL)"});
}

TEST_CASE("SQLite createTable leaves optional fields nullable") {
  const Model m = defineModel("people", {
      {"id", t.number().primary()},
      {"nick", t.string().optional()},
      {"born", t.date().optional()},
  });
  CHECK(sql(b.createTable(m)) == std::vector<std::string>{"CREATE TABLE \"people\" (\"id\" INTEGER PRIMARY KEY "
                                                          "AUTOINCREMENT, \"nick\" VARCHAR(255), \"born\" DATE)"});
}

TEST_CASE("SQLite createTable renders defaults of every literal type and defaultRaw") {
  const Model m = defineModel("defaults", {
      {"id", t.number().primary()},
      {"flag_on", t.boolean().defaultTo(true)},
      {"flag_off", t.boolean().defaultTo(false)},
      {"count", t.number().defaultTo(-5)},
      {"big", t.bigint().defaultTo(9007199254740993LL)},
      {"ratio", t.real().defaultTo(1.5)},
      {"label", t.string().defaultTo("it's")},
      {"meta", t.json().defaultTo("{}")},
      {"at", t.timestamp().defaultRaw("CURRENT_TIMESTAMP")},
      {"note", t.text().optional().defaultTo("n/a")},
  });
  CHECK(sql(b.createTable(m)) ==
        std::vector<std::string>{
            "CREATE TABLE \"defaults\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, "
            "\"flag_on\" BOOLEAN NOT NULL DEFAULT TRUE, \"flag_off\" BOOLEAN NOT NULL DEFAULT FALSE, "
            "\"count\" INTEGER NOT NULL DEFAULT -5, \"big\" BIGINT NOT NULL DEFAULT 9007199254740993, "
            "\"ratio\" REAL NOT NULL DEFAULT 1.5, \"label\" VARCHAR(255) NOT NULL DEFAULT 'it''s', "
            "\"meta\" TEXT NOT NULL DEFAULT '{}', \"at\" TIMESTAMP NOT NULL DEFAULT (CURRENT_TIMESTAMP), "
            "\"note\" TEXT DEFAULT 'n/a')"});
}

TEST_CASE("SQLite escapes a string default so it cannot end the literal") {
  const Model m = defineModel("notes", {
      {"id", t.number().primary()},
      {"body", t.text().defaultTo("'); DROP TABLE users; --")},
  });
  CHECK(sql(b.createTable(m)) ==
        std::vector<std::string>{"CREATE TABLE \"notes\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, "
                                 "\"body\" TEXT NOT NULL DEFAULT '''); DROP TABLE users; --')"});
}

TEST_CASE("SQLite createTable adds a CREATE INDEX per indexed field") {
  const Model m = defineModel("events", {
      {"id", t.number().primary()},
      {"kind", t.string().index()},
      {"at", t.timestamp().optional().index()},
  });
  CHECK(sql(b.createTable(m)) ==
        std::vector<std::string>{
            "CREATE TABLE \"events\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"kind\" VARCHAR(255) NOT NULL, "
            "\"at\" TIMESTAMP)",
            "CREATE INDEX \"events_kind_index\" ON \"events\" (\"kind\")",
            "CREATE INDEX \"events_at_index\" ON \"events\" (\"at\")"});
}

// SQLite refuses `ALTER TABLE ... DROP COLUMN` on a column with a UNIQUE constraint
// ("cannot drop UNIQUE column"), so an inline UNIQUE makes the column undroppable. addColumn
// already realises uniqueness as the index `<table>_<column>_unique`, and dropColumn drops
// exactly that index first; createTable must do the same.
TEST_CASE("SQLite createTable makes a unique field the unique index that dropColumn drops") {
  const Model m = defineModel("accounts", {
      {"id", t.number().primary()},
      {"email", t.string().unique()},
  });
  const auto created = sql(b.createTable(m));
  CHECK(created == std::vector<std::string>{
                       "CREATE TABLE \"accounts\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, "
                       "\"email\" VARCHAR(255) NOT NULL)",
                       "CREATE UNIQUE INDEX \"accounts_email_unique\" ON \"accounts\" (\"email\")"});
  const auto dropped = sql(b.dropColumn("accounts", "email"));
  REQUIRE(dropped.size() == 3);
  CHECK(dropped[1] == "DROP INDEX IF EXISTS \"accounts_email_unique\"");
}

TEST_CASE("SQLite createTable puts a field's unique index before its plain index") {
  const Model m = defineModel("handles", {
      {"id", t.number().primary()},
      {"handle", t.string().optional().unique().index()},
  });
  CHECK(sql(b.createTable(m)) ==
        std::vector<std::string>{
            "CREATE TABLE \"handles\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"handle\" VARCHAR(255))",
            "CREATE UNIQUE INDEX \"handles_handle_unique\" ON \"handles\" (\"handle\")",
            "CREATE INDEX \"handles_handle_index\" ON \"handles\" (\"handle\")"});
}

TEST_CASE("SQLite makes a number or bigint primary key an autoincrement rowid") {
  CHECK(sql(b.createTable(Role)) ==
        std::vector<std::string>{
            "CREATE TABLE \"roles\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"name\" VARCHAR(255) NOT NULL)"});
  // Only INTEGER PRIMARY KEY aliases the rowid, so the bigint key is declared INTEGER.
  CHECK(sql(b.createTable(Big)) ==
        std::vector<std::string>{"CREATE TABLE \"bigs\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT)"});
}

TEST_CASE("SQLite declares a non-integer primary key NOT NULL") {
  CHECK(sql(b.createTable(Tag)) ==
        std::vector<std::string>{"CREATE TABLE \"tags\" (\"code\" VARCHAR(20) NOT NULL PRIMARY KEY)"});
  const Model byUuid = defineModel("sessions", {{"id", t.uuid().primary()}, {"data", t.json().optional()}});
  CHECK(sql(b.createTable(byUuid)) ==
        std::vector<std::string>{"CREATE TABLE \"sessions\" (\"id\" TEXT NOT NULL PRIMARY KEY, \"data\" TEXT)"});
}

// Found while writing these tests: the NOT NULL is spliced in at the first " PRIMARY KEY"
// of the rendered text, which can be inside the quoted column name.
TEST_CASE("SQLite puts NOT NULL after the type even when the key's name contains PRIMARY KEY") {
  const Model m = defineModel("codes", {{"code PRIMARY KEY", t.string().primary()}});
  CHECK(sql(b.createTable(m)) ==
        std::vector<std::string>{"CREATE TABLE \"codes\" (\"code PRIMARY KEY\" VARCHAR(255) NOT NULL PRIMARY KEY)"});
}

TEST_CASE("SQLite renders belongsTo as a column of the target key's type with REFERENCES") {
  const Model post = defineModel("posts", {
      {"id", t.number().primary()},
      {"role", t.belongsTo(Role)},
      {"big", t.belongsTo(Big).optional()},
      {"tag", t.belongsTo(Tag).index()},
  });
  CHECK(sql(b.createTable(post)) ==
        std::vector<std::string>{
            "CREATE TABLE \"posts\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, "
            "\"role_id\" INTEGER NOT NULL REFERENCES \"roles\" (\"id\"), \"big_id\" BIGINT REFERENCES \"bigs\" (\"id\"), "
            "\"tag_code\" VARCHAR(20) NOT NULL REFERENCES \"tags\" (\"code\"))",
            "CREATE INDEX \"posts_tag_code_index\" ON \"posts\" (\"tag_code\")"});
}

TEST_CASE("SQLite createTable with manyToMany creates the pivot table and its unique index after the table") {
  const Model user = defineModel("users", {
      {"id", t.number().primary()},
      {"tags", t.manyToMany(Tag)},
  });
  CHECK(sql(b.createTable(user)) ==
        std::vector<std::string>{
            "CREATE TABLE \"users\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT)",
            "CREATE TABLE \"users_tags\" (\"users_id\" INTEGER NOT NULL REFERENCES \"users\" (\"id\"), "
            "\"tags_code\" VARCHAR(20) NOT NULL REFERENCES \"tags\" (\"code\"))",
            "CREATE UNIQUE INDEX \"users_tags_users_id_tags_code_unique\" ON \"users_tags\" (\"users_id\", \"tags_code\")"});
}

TEST_CASE("SQLite dropTable, renameTable and renameColumn") {
  CHECK(sql(b.dropTable("users")) == std::vector<std::string>{"DROP TABLE \"users\""});
  CHECK(sql(b.renameTable("people", "persons")) ==
        std::vector<std::string>{"ALTER TABLE \"people\" RENAME TO \"persons\""});
  CHECK(sql(b.renameColumn("users", "name", "full_name")) ==
        std::vector<std::string>{"ALTER TABLE \"users\" RENAME COLUMN \"name\" TO \"full_name\""});
}

TEST_CASE("SQLite addColumn renders the column definition") {
  CHECK(sql(b.addColumn("users", "timezone", b.string().optional())) ==
        std::vector<std::string>{"ALTER TABLE \"users\" ADD COLUMN \"timezone\" VARCHAR(255)"});
  CHECK(sql(b.addColumn("users", "active", b.boolean().defaultTo(true))) ==
        std::vector<std::string>{"ALTER TABLE \"users\" ADD COLUMN \"active\" BOOLEAN NOT NULL DEFAULT TRUE"});
  CHECK(sql(b.addColumn("posts", "role", b.belongsTo(Role).optional())) ==
        std::vector<std::string>{
            "ALTER TABLE \"posts\" ADD COLUMN \"role_id\" INTEGER REFERENCES \"roles\" (\"id\")"});
}

TEST_CASE("SQLite addColumn makes unique a separate unique index and index a CREATE INDEX") {
  CHECK(sql(b.addColumn("users", "email", b.string().optional().unique())) ==
        std::vector<std::string>{"ALTER TABLE \"users\" ADD COLUMN \"email\" VARCHAR(255)",
                                 "CREATE UNIQUE INDEX \"users_email_unique\" ON \"users\" (\"email\")"});
  CHECK(sql(b.addColumn("users", "nick", b.string().optional().index())) ==
        std::vector<std::string>{"ALTER TABLE \"users\" ADD COLUMN \"nick\" VARCHAR(255)",
                                 "CREATE INDEX \"users_nick_index\" ON \"users\" (\"nick\")"});
  CHECK(sql(b.addColumn("users", "handle", b.string().optional().unique().index())) ==
        std::vector<std::string>{"ALTER TABLE \"users\" ADD COLUMN \"handle\" VARCHAR(255)",
                                 "CREATE UNIQUE INDEX \"users_handle_unique\" ON \"users\" (\"handle\")",
                                 "CREATE INDEX \"users_handle_index\" ON \"users\" (\"handle\")"});
}

TEST_CASE("dropColumn on SQLite drops jsorm's indexes of the column first") {
  const auto statements = sqlite.render(b.dropColumn("users", "email"));
  REQUIRE(statements.size() == 3);
  CHECK(statements[0].sql == "DROP INDEX IF EXISTS \"users_email_index\"");
  CHECK(statements[1].sql == "DROP INDEX IF EXISTS \"users_email_unique\"");
  CHECK(statements[2].sql == "ALTER TABLE \"users\" DROP COLUMN \"email\"");
  for (const auto& statement : statements) CHECK_FALSE(statement.onlyIfColumnExists.has_value());
}

TEST_CASE("dropColumn ifExists on SQLite guards every statement on the column existing") {
  const auto statements = sqlite.render(b.dropColumn("users", "timezone", {.ifExists = true}));
  REQUIRE(statements.size() == 3);
  CHECK(statements[0].sql == "DROP INDEX IF EXISTS \"users_timezone_index\"");
  CHECK(statements[1].sql == "DROP INDEX IF EXISTS \"users_timezone_unique\"");
  // SQLite has no DROP COLUMN IF EXISTS: the runner checks the guard instead.
  CHECK(statements[2].sql == "ALTER TABLE \"users\" DROP COLUMN \"timezone\"");
  for (const auto& statement : statements) {
    REQUIRE(statement.onlyIfColumnExists.has_value());
    CHECK(statement.onlyIfColumnExists->table == "users");
    CHECK(statement.onlyIfColumnExists->column == "timezone");
  }
}

TEST_CASE("SQLite createIndex with the default name, a custom name and unique") {
  CHECK(sql(b.createIndex("users", {"email"})) ==
        std::vector<std::string>{"CREATE INDEX \"users_email_index\" ON \"users\" (\"email\")"});
  CHECK(sql(b.createIndex("users", {"first", "last"})) ==
        std::vector<std::string>{"CREATE INDEX \"users_first_last_index\" ON \"users\" (\"first\", \"last\")"});
  CHECK(sql(b.createIndex("users", {"email"}, {.name = "by_email"})) ==
        std::vector<std::string>{"CREATE INDEX \"by_email\" ON \"users\" (\"email\")"});
  CHECK(sql(b.createIndex("users", {"email"}, {.unique = true})) ==
        std::vector<std::string>{"CREATE UNIQUE INDEX \"users_email_unique\" ON \"users\" (\"email\")"});
}

TEST_CASE("SQLite createIndex drops CONCURRENTLY, which SQLite does not have") {
  CHECK(sql(b.createIndex("users", {"email"}, {.unique = true, .concurrently = true})) ==
        std::vector<std::string>{"CREATE UNIQUE INDEX \"users_email_unique\" ON \"users\" (\"email\")"});
}

TEST_CASE("SQLite dropIndex") {
  CHECK(sql(b.dropIndex("users", "users_email_index")) ==
        std::vector<std::string>{"DROP INDEX \"users_email_index\""});
}

TEST_CASE("SQLite passes rawSql through verbatim as one statement") {
  const std::string text = "CREATE VIEW v AS SELECT 1; INSERT INTO t VALUES ('a;b')";
  CHECK(sql(rawSql(text, "DROP VIEW v")) == std::vector<std::string>{text});
  CHECK(sql(rawSql("SELECT 'x\"y'")) == std::vector<std::string>{"SELECT 'x\"y'"});
}

TEST_CASE("SQLite quotes identifiers with quotes, semicolons and Unicode in every statement") {
  const std::string evil = "x\"; DROP TABLE users; --";
  const std::string q = "\"x\"\"; DROP TABLE users; --\"";
  const std::string uni = "\xC3\xBC" "ber";  // "über"
  const Model m = defineModel(evil, {{"id", t.number().primary()}, {uni, t.string().index()}, {"a\"b", t.text()}});
  REQUIRE(m.errors().empty());
  CHECK(sql(b.createTable(m)) ==
        std::vector<std::string>{"CREATE TABLE " + q + " (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"" + uni +
                                     "\" VARCHAR(255) NOT NULL, \"a\"\"b\" TEXT NOT NULL)",
                                 "CREATE INDEX \"x\"\"; DROP TABLE users; --_" + uni + "_index\" ON " + q + " (\"" +
                                     uni + "\")"});
  CHECK(sql(b.dropTable(evil)) == std::vector<std::string>{"DROP TABLE " + q});
  CHECK(sql(b.renameTable(evil, "a\"b")) == std::vector<std::string>{"ALTER TABLE " + q + " RENAME TO \"a\"\"b\""});
  CHECK(sql(b.renameColumn(evil, "a\"b", uni)) ==
        std::vector<std::string>{"ALTER TABLE " + q + " RENAME COLUMN \"a\"\"b\" TO \"" + uni + "\""});
  CHECK(sql(b.addColumn(evil, "c\"d", b.text().optional())) ==
        std::vector<std::string>{"ALTER TABLE " + q + " ADD COLUMN \"c\"\"d\" TEXT"});
  CHECK(sql(b.createIndex(evil, {"a\"b"}, {.name = "i\"x"})) ==
        std::vector<std::string>{"CREATE INDEX \"i\"\"x\" ON " + q + " (\"a\"\"b\")"});
  CHECK(sql(b.dropIndex(evil, "i\"x")) == std::vector<std::string>{"DROP INDEX \"i\"\"x\""});
  CHECK(sql(b.dropColumn("t", "a\"b")).back() == "ALTER TABLE \"t\" DROP COLUMN \"a\"\"b\"");
}

// Found while writing these tests: fmt prints infinity as `inf`, which SQLite reads as the
// identifier-turned-string 'inf' and PostgreSQL rejects as a column reference.
TEST_CASE("SQLite never renders a non-finite real default as a bare inf or nan") {
  const auto inf = std::numeric_limits<double>::infinity();
  const auto rendered = sql(b.addColumn("m", "r", b.real().defaultTo(inf)));
  REQUIRE(rendered.size() == 1);
  CHECK_THAT(rendered[0], !Contains("DEFAULT inf"));
  CHECK_THAT(sql(b.addColumn("m", "r", b.real().defaultTo(-inf)))[0], !Contains("DEFAULT -inf"));
}

TEST_CASE("only SQLite's guarded dropColumn carries a column guard") {
  const Model m = defineModel("m", {{"id", t.number().primary()}});
  for (const Step& step : {b.createTable(m), b.dropTable("m"), b.addColumn("m", "x", b.text().optional().unique()),
                           b.renameColumn("m", "x", "y"), b.createIndex("m", {"y"}), b.dropIndex("m", "i"),
                           rawSql("SELECT 1")}) {
    for (const auto& statement : sqlite.render(step)) CHECK_FALSE(statement.onlyIfColumnExists.has_value());
  }
}

TEST_CASE("SQLite dropAllTables drops each table with foreign keys switched off around the drops") {
  std::vector<std::string> rendered;
  for (const auto& statement : sqlite.dropAllTables({"users", "a\"b"})) rendered.push_back(statement.sql);
  CHECK(rendered == std::vector<std::string>{"PRAGMA foreign_keys = OFF", "DROP TABLE IF EXISTS \"users\"",
                                             "DROP TABLE IF EXISTS \"a\"\"b\"", "PRAGMA foreign_keys = ON"});
  rendered.clear();
  for (const auto& statement : sqlite.dropAllTables({})) rendered.push_back(statement.sql);
  CHECK(rendered == std::vector<std::string>{"PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = ON"});
}

TEST_CASE("SQLite creates the tracking table with jsorm's columns") {
  CHECK(sqlite.createTrackingTable("jsorm_migrations") ==
        "CREATE TABLE IF NOT EXISTS \"jsorm_migrations\" (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, "
        "\"name\" TEXT NOT NULL UNIQUE, \"batch\" INTEGER NOT NULL, "
        "\"applied_at\" TIMESTAMP NOT NULL DEFAULT (CURRENT_TIMESTAMP), \"checksum\" TEXT, \"execution_ms\" INTEGER)");
  CHECK_THAT(sqlite.createTrackingTable("my\"migrations"), Contains("CREATE TABLE IF NOT EXISTS \"my\"\"migrations\" ("));
}
