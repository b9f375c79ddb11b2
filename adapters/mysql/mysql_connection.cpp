#include "mysql_connection.hpp"

#include "mysql_errors.hpp"
#include "mysql_values.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>

#include <fmt/format.h>
#include <mysql.h>

#include <algorithm>
#include <thread>

namespace jsorm::mysql {

namespace {
// GET_LOCK names are server-wide and at most 64 characters.
constexpr std::size_t kMaxLockName = 64;

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}
}  // namespace

void MysqlConnection::Closer::operator()(st_mysql* mysql) const noexcept { mysql_close(mysql); }

MysqlConnection::MysqlConnection(Settings settings)
    : settings_(std::move(settings)), target_(redactConnection(settings_.url)) {
  if (settings_.url.empty()) {
    throw ConnectionError("no MySQL connection URL given; pass --url mysql://USER:PASSWORD@HOST:PORT/DATABASE or set "
                          "the source's connectionString");
  }
  address_ = parseUrl(settings_.url);
  lockKind_ = address_.lock == "lease" ? LockKind::Lease
              : address_.lock == "advisory" ? LockKind::AdvisoryLock
                                            : LockKind::Automatic;
  lease_ = std::chrono::seconds(address_.leaseSeconds);

  mysql_.reset(mysql_init(nullptr));
  if (!mysql_) throwConnectFailure(nullptr, address_, settings_.url);
  MYSQL* m = mysql_.get();
  const unsigned timeout = address_.connectTimeout;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  // Values are std::string in UTF-8; utf8mb4 is MySQL's name for all of it.
  mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (address_.requireTls) {
    const my_bool enforce = 1;
    mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &enforce);
  }
  // Never read ~/.my.cnf or the [client] groups: the URL says everything.
  const char* password = address_.password ? address_.password->c_str() : nullptr;
  // CLIENT_FOUND_ROWS: ROW_COUNT() counts the rows an UPDATE matched, as PostgreSQL does,
  // not only those whose values changed.
  if (!mysql_real_connect(m, address_.socket.empty() ? address_.host.c_str() : nullptr, address_.user.c_str(), password,
                          address_.database.empty() ? nullptr : address_.database.c_str(),
                          address_.socket.empty() ? address_.port : 0,
                          address_.socket.empty() ? nullptr : address_.socket.c_str(),
                          CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS)) {
    throwConnectFailure(m, address_, settings_.url);
  }
  if (address_.database.empty()) {
    throw ConnectionError(fmt::format("the MySQL URL {} names no database; add one: mysql://USER@HOST:PORT/DATABASE",
                                      target_));
  }
  const auto wsrep = query("SELECT @@GLOBAL.wsrep_on", {});
  galera_ = !wsrep.rows.empty() && std::holds_alternative<std::int64_t>(wsrep.rows[0][0]) &&
            std::get<std::int64_t>(wsrep.rows[0][0]) == 1;
  // On a cluster, a read waits until this node has applied everything committed before
  // it anywhere: the tracking table read after taking the lock is the cluster's.
  if (galera_) execute("SET SESSION wsrep_sync_wait = 1");
  if (settings_.readOnly) execute("SET SESSION TRANSACTION READ ONLY");
}

MysqlConnection::~MysqlConnection() = default;

ResultSet MysqlConnection::run(std::string_view sql) {
  if (leaseLock_ && leaseLock_->lost()) {
    throw ConnectionError(fmt::format("lost the migration lease on {} to another runner (this one stalled longer than "
                                      "the lease); stopping: rerun to resume from the journal",
                                      target_));
  }
  MYSQL* m = mysql_.get();
  if (mysql_real_query(m, sql.data(), sql.size()) != 0) throwStatementFailure(m, sql, target_);
  ResultSet out;
  while (true) {
    MYSQL_RES* result = mysql_store_result(m);
    if (result) {
      std::unique_ptr<MYSQL_RES, decltype(&mysql_free_result)> owned(result, &mysql_free_result);
      const unsigned columns = mysql_num_fields(result);
      const MYSQL_FIELD* fields = mysql_fetch_fields(result);
      out = ResultSet{};
      out.columns.reserve(columns);
      for (unsigned c = 0; c < columns; ++c) out.columns.emplace_back(fields[c].name);
      out.rows.reserve(mysql_num_rows(result));
      while (MYSQL_ROW row = mysql_fetch_row(result)) {
        const unsigned long* lengths = mysql_fetch_lengths(result);
        std::vector<Value> cells;
        cells.reserve(columns);
        for (unsigned c = 0; c < columns; ++c) cells.push_back(decodeCell(fields[c], row[c], lengths[c]));
        out.rows.push_back(std::move(cells));
      }
    } else if (mysql_field_count(m) != 0) {
      throwStatementFailure(m, sql, target_);  // a result set that could not be read
    }
    const int more = mysql_next_result(m);
    if (more < 0) break;
    if (more > 0) throwStatementFailure(m, sql, target_);  // a later statement failed
  }
  return out;
}

void MysqlConnection::execute(std::string_view sql) { run(sql); }

void MysqlConnection::execute(std::string_view sql, const std::vector<Value>& params) {
  run(withParams(mysql_.get(), sql, params));
}

ResultSet MysqlConnection::query(std::string_view sql, const std::vector<Value>& params) {
  return run(withParams(mysql_.get(), sql, params));
}

void MysqlConnection::begin() { execute("START TRANSACTION"); }
void MysqlConnection::commit() { execute("COMMIT"); }
void MysqlConnection::rollback() { execute("ROLLBACK"); }

std::string MysqlConnection::advisoryKey(const std::string& key) const {
  // Server-wide: the database is part of the name, so two databases never share a lock.
  std::string name = fmt::format("jsorm:{}:{}", address_.database, key);
  if (name.size() > kMaxLockName) name = fmt::format("jsorm:{:016x}", fnv1a(name));
  return name;
}

void MysqlConnection::lockMigrations(const std::string& key, std::chrono::milliseconds timeout) {
  const bool lease = lockKind_ == LockKind::Lease || (lockKind_ == LockKind::Automatic && galera_);
  if (lease && !settings_.readOnly) {
    // The lease has its own connection: its heartbeat runs beside the migration.
    leaseLock_ = std::make_unique<LeaseLock>(std::make_unique<MysqlConnection>(Settings{settings_.url, false}),
                                             key + "_lock", key, timeout, lease_);
    return;
  }
  // Polled, like PostgreSQL's advisory lock: the wait has a deadline and never parks a
  // server thread in GET_LOCK.
  const std::string name = advisoryKey(key);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto result = query("SELECT GET_LOCK(?, 0)", {name});
    if (!result.rows.empty() && result.rows[0][0] == Value(std::int64_t{1})) return;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(50), deadline - now));
  }
  throw ConnectionError(fmt::format("timed out after {} ms waiting for the migration lock on {} (another jsorm "
                                    "migrate is running); retry, or raise --lock-timeout",
                                    timeout.count(), target_));
}

void MysqlConnection::unlockMigrations(const std::string& key) {
  if (leaseLock_) {
    leaseLock_.reset();
    return;
  }
  execute("DO RELEASE_LOCK(?)", {advisoryKey(key)});
}

bool MysqlConnection::hasTable(const std::string& table) {
  return !query("SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ? AND "
                "table_type = 'BASE TABLE'",
                {table})
              .rows.empty();
}

bool MysqlConnection::hasColumn(const std::string& table, const std::string& column) {
  return !query("SELECT 1 FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND "
                "column_name = ?",
                {table, column})
              .rows.empty();
}

std::vector<std::string> MysqlConnection::tables() {
  const auto result = query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND "
                            "table_type = 'BASE TABLE'",
                            {});
  std::vector<std::string> names;
  names.reserve(result.rows.size());
  for (const auto& row : result.rows) names.push_back(std::get<std::string>(row.at(0)));
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace jsorm::mysql
