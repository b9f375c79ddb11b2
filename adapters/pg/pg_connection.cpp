#include "pg_connection.hpp"

#include "advisory_lock.hpp"
#include "pg_errors.hpp"
#include "pg_schema.hpp"
#include "pg_values.hpp"

#include <jsorm/error.hpp>
#include <jsorm/redaction.hpp>

#include <fmt/format.h>
#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace jsorm::pg {

namespace {
void ignoreNotice(void*, const char*) {}

// Settings jsorm wants unless the caller chose otherwise, in the string or through the
// environment variable libpq would read for it.
struct DefaultSetting {
  const char* keyword;
  const char* value;
  const char* environment;
};
constexpr DefaultSetting kDefaults[] = {
    // libpq waits forever by default; a deployment should fail, not hang.
    {"connect_timeout", "10", "PGCONNECT_TIMEOUT"},
    {"application_name", "jsorm", "PGAPPNAME"},
    // Values are std::string in UTF-8, whatever the database's own encoding is.
    {"client_encoding", "UTF8", "PGCLIENTENCODING"},
};

pg_conn* open(const std::string& conninfo) {
  // The defaults come before dbname, which libpq expands as the URL or conninfo: a setting
  // the caller wrote there is processed later and wins. This is libpq's documented way to
  // add defaults, and it leaves the caller's string untouched.
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& setting : kDefaults) {
    if (std::getenv(setting.environment)) continue;
    keywords.push_back(setting.keyword);
    values.push_back(setting.value);
  }
  keywords.push_back("dbname");
  values.push_back(conninfo.c_str());
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  return PQconnectdbParams(keywords.data(), values.data(), 1);
}
}  // namespace

void PgConnection::ConnCloser::operator()(pg_conn* conn) const noexcept { PQfinish(conn); }
void PgConnection::ResultClearer::operator()(pg_result* result) const noexcept { PQclear(result); }

PgConnection::PgConnection(const std::string& given, bool readOnly) : target_(redactConnection(given)) {
  const SchemaChoice choice = takeSchemaParameter(given);
  const std::string& conninfo = choice.conninfo;
  if (conninfo.empty()) {
    throw ConnectionError(
        "no PostgreSQL connection string given; pass --url postgres://USER@HOST:PORT/DB or set the source's "
        "connectionString");
  }
  conn_.reset(open(conninfo));
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) throwConnectFailure(conn_.get(), conninfo);
  // Notices such as "table ... does not exist, skipping" would otherwise go to stderr and
  // clutter the CLI's output.
  PQsetNoticeProcessor(conn_.get(), &ignoreNotice, nullptr);
  if (choice.schema) enterSchema(*choice.schema, readOnly);
}

void PgConnection::enterSchema(const std::string& schema, bool readOnly) {
  schema_ = schema;
  const std::string quoted = postgresDialect().quoteIdentifier(schema);
  if (!readOnly) {
    try {
      execute("CREATE SCHEMA IF NOT EXISTS " + quoted);
    } catch (const SqlError&) {
      // Two runners creating it at once: IF NOT EXISTS does not stop the loser's unique
      // violation. The schema existing is all that matters.
      if (query("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}).rows.empty()) throw;
    }
  }
  // Only the schema: every unqualified name resolves, and is created, there. A missing
  // schema (a read-only status before the first migrate) leaves no current schema, so the
  // tracking table is simply not found and every migration shows as pending.
  execute("SET search_path TO " + quoted);
}

PgConnection::~PgConnection() = default;

PgConnection::Result PgConnection::checked(pg_result* raw, std::string_view sql) {
  Result result(raw);
  switch (raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR) {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
    case PGRES_EMPTY_QUERY: return result;
    case PGRES_COPY_IN:
    case PGRES_COPY_OUT:
    case PGRES_COPY_BOTH:
      result.reset();
      abandonCopy();
      throw SqlError("COPY from STDIN or to STDOUT cannot run through jsorm; use INSERT or a server-side file",
                     std::string(sql), "0A000");
    default: throwStatementFailure(conn_.get(), raw, sql, target_);
  }
}

// Leaves COPY mode so that the connection stays usable for the next statement.
void PgConnection::abandonCopy() {
  PGconn* conn = conn_.get();
  if (PQputCopyEnd(conn, "not supported by jsorm") < 0) return;
  char* row = nullptr;
  while (PQgetCopyData(conn, &row, 0) > 0) PQfreemem(row);
  while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
}

PgConnection::Result PgConnection::run(std::string_view sql, const std::vector<Value>* params) {
  const std::string text(sql);
  if (!params) return checked(PQexec(conn_.get(), text.c_str()), sql);
  const Params bound(*params);
  return checked(PQexecParams(conn_.get(), text.c_str(), bound.count(), bound.types(), bound.values(),
                              bound.lengths(), bound.formats(), 0),
                 sql);
}

void PgConnection::execute(std::string_view sql) { run(sql, nullptr); }

void PgConnection::execute(std::string_view sql, const std::vector<Value>& params) { run(sql, &params); }

ResultSet PgConnection::query(std::string_view sql, const std::vector<Value>& params) {
  const Result result = run(sql, &params);
  pg_result* r = result.get();
  ResultSet out;
  const int columns = PQnfields(r);
  const int rows = PQntuples(r);
  out.columns.reserve(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) out.columns.emplace_back(PQfname(r, c));
  out.rows.reserve(static_cast<std::size_t>(rows));
  for (int row = 0; row < rows; ++row) {
    std::vector<Value> cells;
    cells.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) cells.push_back(decodeCell(r, row, c));
    out.rows.push_back(std::move(cells));
  }
  return out;
}

void PgConnection::begin() { execute("BEGIN"); }

void PgConnection::commit() {
  const Result result = run("COMMIT", nullptr);
  // COMMIT of a transaction in which a statement failed succeeds, but as a rollback.
  if (std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
    throw SqlError("COMMIT rolled the transaction back because a statement in it had failed", "COMMIT", "25P02");
  }
}

void PgConnection::rollback() {
  if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) return;
  execute("ROLLBACK");
}

// Schemas of one database share its advisory locks: each schema's runs lock on their own key.
std::int64_t PgConnection::lockKey(const std::string& key) const {
  return advisoryLockKey(schema_.empty() ? key : schema_ + "." + key);
}

void PgConnection::lockMigrations(const std::string& key, std::chrono::milliseconds timeout) {
  // Polls pg_try_advisory_lock rather than blocking in pg_advisory_lock, so the wait has a
  // deadline and never holds a server backend stuck in a lock queue.
  const std::vector<Value> params{lockKey(key)};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto result = query("SELECT pg_try_advisory_lock($1)", params);
    if (std::get<bool>(result.rows.at(0).at(0))) return;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(lockPollInterval(), deadline - now));
  }
  throw ConnectionError(fmt::format("timed out after {} ms waiting for the migration lock on {} (another jsorm "
                                    "migrate is running); retry, or raise --lock-timeout",
                                    timeout.count(), target_));
}

void PgConnection::unlockMigrations(const std::string& key) {
  execute("SELECT pg_advisory_unlock($1)", {lockKey(key)});
}

// pg_catalog rather than information_schema: the latter hides tables the user has no
// privilege on, which would make the runner try to create a tracking table that exists.
bool PgConnection::hasTable(const std::string& table) {
  return !query("SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind IN ('r', 'p')",
                {table})
              .rows.empty();
}

bool PgConnection::hasColumn(const std::string& table, const std::string& column) {
  return !query("SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relname = $1 AND c.relkind IN ('r', 'p') "
                "AND a.attname = $2 AND a.attnum > 0 AND NOT a.attisdropped",
                {table, column})
              .rows.empty();
}

std::vector<std::string> PgConnection::tables() {
  const auto result = query(
      "SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
      {});
  std::vector<std::string> names;
  names.reserve(result.rows.size());
  for (const auto& row : result.rows) names.push_back(std::get<std::string>(row.at(0)));
  // Sorted here, by bytes, so the order does not depend on the database's collation.
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace jsorm::pg
