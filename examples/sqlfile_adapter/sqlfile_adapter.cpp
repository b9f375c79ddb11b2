// libjsorm_adapter_sqlfile.so: instead of executing migrations, writes the SQL they would
// run -- tracking-table statements and transactions included -- to a file, for DBAs who
// review and apply schema changes by hand.
//
//   jsorm migrate ./libschema.so ormSource --url 'sqlfile:deploy.sql?dialect=postgres'
//
// The adapter sees no database, so the script is the one for a database that has no
// migrations applied yet. The file is rewritten on every run.

#include <jsorm/adapter.hpp>
#include <jsorm/error.hpp>
#include <jsorm/version.hpp>

#include <fstream>
#include <string>

namespace {

class SqlFileConnection final : public jsorm::Connection {
 public:
  SqlFileConnection(std::string path, const jsorm::Dialect& dialect)
      : path_(std::move(path)), dialect_(dialect), out_(path_, std::ios::trunc) {
    if (!out_) throw jsorm::ConnectionError("sqlfile: cannot write " + path_ + "; check that its folder exists");
    out_ << "-- SQL written by jsorm " JSORM_VERSION_STRING " for " << dialect_.name() << "\n";
  }

  const jsorm::Dialect& dialect() const override { return dialect_; }

  void execute(std::string_view sql) override { write(std::string(sql)); }

  void execute(std::string_view sql, const std::vector<jsorm::Value>& params) override {
    write(withLiterals(std::string(sql), params));
  }

  // No database behind the file: nothing is applied, so every query is empty.
  jsorm::ResultSet query(std::string_view, const std::vector<jsorm::Value>&) override { return {}; }

  void begin() override { write("BEGIN"); }
  void commit() override { write("COMMIT"); }
  void rollback() override { write("ROLLBACK"); }

  void lockMigrations(const std::string&, std::chrono::milliseconds) override {}
  void unlockMigrations(const std::string&) override {}

  bool hasTable(const std::string&) override { return false; }
  // Guarded statements (dropColumn with ifExists) are written, not skipped.
  bool hasColumn(const std::string&, const std::string&) override { return true; }
  std::vector<std::string> tables() override { return {}; }

  std::string target() const override { return "sqlfile:" + path_ + " (" + dialect_.name() + " SQL)"; }

 private:
  void write(const std::string& sql) {
    out_ << sql << ";\n";
    out_.flush();
    if (!out_) throw jsorm::ConnectionError("sqlfile: cannot write " + path_);
  }

  // The script has no bound parameters: each placeholder becomes a literal.
  std::string withLiterals(std::string sql, const std::vector<jsorm::Value>& params) const {
    for (std::size_t i = params.size(); i-- > 0;) {
      const std::string mark = dialect_.placeholder(static_cast<int>(i + 1));
      std::string literal = "NULL";
      if (const auto* text = std::get_if<std::string>(&params[i])) literal = dialect_.quoteString(*text);
      else if (const auto* number = std::get_if<std::int64_t>(&params[i])) literal = std::to_string(*number);
      else if (const auto* flag = std::get_if<bool>(&params[i])) literal = *flag ? "TRUE" : "FALSE";
      else if (const auto* real = std::get_if<double>(&params[i])) literal = std::to_string(*real);
      if (auto at = sql.rfind(mark); at != std::string::npos) sql.replace(at, mark.size(), literal);
    }
    return sql;
  }

  std::string path_;
  const jsorm::Dialect& dialect_;
  std::ofstream out_;
};

jsorm::Connection* connect(const jsorm::ConnectionConfig& config) {
  // sqlfile:PATH[?dialect=postgres|sqlite]
  std::string url = config.url;
  if (url.rfind("sqlfile:", 0) == 0) url.erase(0, 8);
  std::string dialect = "postgres";
  if (auto query = url.find('?'); query != std::string::npos) {
    const std::string options = url.substr(query + 1);
    url.resize(query);
    if (options.rfind("dialect=", 0) == 0) dialect = options.substr(8);
  }
  if (url.empty()) throw jsorm::ConnectionError("sqlfile: no output file; use --url sqlfile:PATH.sql");
  if (dialect == "postgres") return new SqlFileConnection(url, jsorm::postgresDialect());
  if (dialect == "sqlite") return new SqlFileConnection(url, jsorm::sqliteDialect());
  throw jsorm::ConnectionError("sqlfile: unknown dialect '" + dialect + "'; use dialect=postgres or dialect=sqlite");
}

}  // namespace

JSORM_ADAPTER_PLUGIN("sqlfile", "1.0.0", "writes migration SQL to a file for review", "sqlfile\0", &connect)
