#include "sqlite_connection.hpp"

#include "sqlite_errors.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>

namespace jsorm::sqlite {

namespace {
// Long enough to ride out another process's migration transaction; the lock file already
// serialises jsorm runners, so this only covers other writers.
constexpr int kBusyTimeoutMs = 10'000;

class Prepared {
 public:
  Prepared(sqlite3* db, std::string_view sql) : db_(db), sql_(sql) {
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) throwStatementError(db, rc, sql);
  }
  ~Prepared() { sqlite3_finalize(stmt_); }
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;

  void bind(const std::vector<Value>& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int at = static_cast<int>(i + 1);
      const int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) return sqlite3_bind_null(stmt_, at);
            else if constexpr (std::is_same_v<T, bool>) return sqlite3_bind_int(stmt_, at, v ? 1 : 0);
            else if constexpr (std::is_same_v<T, std::int64_t>) return sqlite3_bind_int64(stmt_, at, v);
            else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt_, at, v);
            else if constexpr (std::is_same_v<T, std::string>)
              return sqlite3_bind_text64(stmt_, at, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
            // An empty vector's data() may be null, which sqlite3_bind_blob64 binds as NULL.
            else if (v.empty()) return sqlite3_bind_zeroblob(stmt_, at, 0);
            else return sqlite3_bind_blob64(stmt_, at, v.data(), v.size(), SQLITE_TRANSIENT);
          },
          params[i]);
      if (rc != SQLITE_OK) throwStatementError(db_, rc, sql_);
    }
  }

  /// Steps once; true while a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throwStatementError(db_, rc, sql_);
  }

  Value cell(int column) const {
    switch (sqlite3_column_type(stmt_, column)) {
      case SQLITE_INTEGER: return static_cast<std::int64_t>(sqlite3_column_int64(stmt_, column));
      case SQLITE_FLOAT: return sqlite3_column_double(stmt_, column);
      case SQLITE_TEXT: {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
      }
      case SQLITE_BLOB: {
        const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
        return Bytes(data, data + sqlite3_column_bytes(stmt_, column));
      }
      default: return std::monostate{};
    }
  }

  sqlite3_stmt* get() const noexcept { return stmt_; }

 private:
  sqlite3* db_;
  std::string_view sql_;
  sqlite3_stmt* stmt_ = nullptr;
};
}  // namespace

std::string pathFromUrl(const std::string& url) {
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) path.erase(0, 7);
  if (path.rfind("//", 0) == 0) path.erase(0, 2);
  return path;
}

SqliteConnection::SqliteConnection(std::string path, bool readOnly) : path_(std::move(path)), readOnly_(readOnly) {
  if (path_.empty()) {
    throw ConnectionError("no SQLite database path given; use --url sqlite:PATH or sqliteAdapter({.path = ...})");
  }
  if (path_ != ":memory:") {
    const auto parent = std::filesystem::absolute(path_).parent_path();
    std::error_code ec;
    if (!std::filesystem::is_directory(parent, ec)) {
      throw ConnectionError(fmt::format("cannot open SQLite database {}: directory {} does not exist; create it first",
                                        path_, parent.string()));
    }
  }
  // A read-only command on a file that does not exist yet reads an empty database, and
  // leaves no file behind.
  std::error_code missing;
  const bool absent = path_ != ":memory:" && !std::filesystem::exists(path_, missing);
  const char* file = readOnly_ && absent ? ":memory:" : path_.c_str();
  const int flags = readOnly_ && !absent ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(file, &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw ConnectionError(fmt::format("cannot open SQLite database {}: {}", path_, message));
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  try {
    // Reads the header, so a file that is not a database fails here with a clear message.
    execute("PRAGMA foreign_keys = ON");
    (void)query("SELECT count(*) FROM sqlite_master", {});
  } catch (const SqlError& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw ConnectionError(fmt::format("cannot open SQLite database {}: {}", path_, e.databaseMessage()));
  }
}

SqliteConnection::~SqliteConnection() {
  lock_.reset();
  sqlite3_close(db_);
}

void SqliteConnection::execute(std::string_view sql) {
  char* error = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);  // sqlite3_errmsg still holds the message
  if (rc != SQLITE_OK) throwStatementError(db_, rc, sql);
}

void SqliteConnection::execute(std::string_view sql, const std::vector<Value>& params) {
  Prepared statement(db_, sql);
  statement.bind(params);
  while (statement.step()) {
  }
}

ResultSet SqliteConnection::query(std::string_view sql, const std::vector<Value>& params) {
  Prepared statement(db_, sql);
  statement.bind(params);
  ResultSet result;
  const int columns = sqlite3_column_count(statement.get());
  for (int i = 0; i < columns; ++i) result.columns.emplace_back(sqlite3_column_name(statement.get(), i));
  while (statement.step()) {
    std::vector<Value> row;
    row.reserve(static_cast<std::size_t>(columns));
    for (int i = 0; i < columns; ++i) row.push_back(statement.cell(i));
    result.rows.push_back(std::move(row));
  }
  return result;
}

// IMMEDIATE takes the write lock at BEGIN, so two writers never both read a state and
// then fail to upgrade; the second waits (busy timeout) instead.
void SqliteConnection::begin() { execute("BEGIN IMMEDIATE"); }
void SqliteConnection::commit() { execute("COMMIT"); }
void SqliteConnection::rollback() {
  if (!sqlite3_get_autocommit(db_)) execute("ROLLBACK");
}

void SqliteConnection::lockMigrations(const std::string& key, std::chrono::milliseconds timeout) {
  if (path_ == ":memory:") return;  // private to this connection: nobody to race
  if (readOnly_) return;            // changes nothing, so needs no turn; and creates no lock file
  (void)key;  // one lock per database file covers every tracking table in it
  lock_ = std::make_unique<FileLock>(path_ + "-jsorm-lock");
  if (!lock_->acquire(timeout)) {
    lock_.reset();
    throw ConnectionError(fmt::format("timed out after {} ms waiting for the migration lock on {} (another jsorm "
                                      "migrate is running); retry, or raise --lock-timeout",
                                      timeout.count(), target()));
  }
}

void SqliteConnection::unlockMigrations(const std::string&) { lock_.reset(); }

bool SqliteConnection::hasTable(const std::string& table) {
  return !query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", {table}).rows.empty();
}

bool SqliteConnection::hasColumn(const std::string& table, const std::string& column) {
  return !query("SELECT 1 FROM pragma_table_info(?1) WHERE name = ?2", {table, column}).rows.empty();
}

std::vector<std::string> SqliteConnection::tables() {
  std::vector<std::string> names;
  const auto result =
      query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", {});
  for (const auto& row : result.rows) names.push_back(std::get<std::string>(row.at(0)));
  return names;
}

}  // namespace jsorm::sqlite
