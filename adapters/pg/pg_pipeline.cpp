// Connection::executeAll over libpq's pipeline mode: a run of statements is
// sent at once and followed by one Sync, so a migration's BEGIN, statements,
// tracking row and COMMIT cost one round trip instead of one each. The server
// stops at the first failure and skips the rest up to the Sync
// (PGRES_PIPELINE_ABORTED), which keeps "stop at the first failure" without
// waiting for each answer.
#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <jsorm/error.hpp>
#include <optional>

#include "pg_connection.hpp"
#include "pg_errors.hpp"
#include "pg_values.hpp"

namespace jsorm::pg {

namespace {
// Statements per Sync. The answers of a pipeline wait in the server's socket
// buffer until the Sync is read; a bound keeps them far below its size, so that
// neither side can block on a full buffer while the other is still writing
// (libpq's pipeline deadlock).
constexpr std::size_t kPipelineLength = 256;

// Pipeline mode uses the extended protocol: one statement per query string, no
// COPY. SQL text with a ';' before its end (raw SQL holding several statements)
// or a COPY runs alone through PQexec instead, as execute() does.
bool pipelinable(const BatchStatement& statement) {
  if (statement.kind != BatchStatement::Kind::Sql || statement.params) return true;
  const std::string_view sql = statement.sql;
  const auto last = sql.find_last_not_of(" \t\r\n;");
  if (last != std::string_view::npos && sql.substr(0, last).find(';') != std::string_view::npos) return false;
  const auto first = sql.find_first_not_of(" \t\r\n(");
  if (first == std::string_view::npos || sql.size() - first < 4) return true;
  std::string word(sql.substr(first, 4));
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word != "COPY";
}
}  // namespace

void PgConnection::executeAll(const std::vector<BatchStatement>& statements) {
  std::size_t i = 0;
  while (i < statements.size()) {
    std::size_t end = i;
    while (end < statements.size() && end - i < kPipelineLength && pipelinable(statements[end])) ++end;
    if (end == i) {
      runAlone(statements, i);
      ++i;
    } else {
      pipeline(statements, i, end);
      i = end;
    }
  }
}

void PgConnection::runAlone(const std::vector<BatchStatement>& statements, std::size_t index) {
  const BatchStatement& statement = statements[index];
  try {
    if (statement.kind == BatchStatement::Kind::Begin)
      begin();
    else if (statement.kind == BatchStatement::Kind::Commit)
      commit();
    else if (statement.params)
      execute(statement.sql, *statement.params);
    else
      execute(statement.sql);
  } catch (const SqlError& e) {
    throw StatementFailure(index, e);
  }
}

void PgConnection::pipeline(const std::vector<BatchStatement>& statements, std::size_t from, std::size_t to) {
  PGconn* conn = conn_.get();
  if (PQenterPipelineMode(conn) != 1) throwStatementFailure(conn, nullptr, statements[from].sql, target_);
  // Leaves pipeline mode however this ends; it only fails with answers still
  // unread, after a lost connection, when the connection is of no further use
  // anyway.
  struct Leave {
    PGconn* conn;
    ~Leave() { PQexitPipelineMode(conn); }
  } leave{conn};

  static const std::vector<Value> kNoParams;
  for (std::size_t i = from; i < to; ++i) {
    const BatchStatement& statement = statements[i];
    const std::string text(statement.kind == BatchStatement::Kind::Begin    ? std::string_view("BEGIN")
                           : statement.kind == BatchStatement::Kind::Commit ? std::string_view("COMMIT")
                                                                            : statement.sql);
    const Params bound(statement.params ? *statement.params : kNoParams);
    if (PQsendQueryParams(conn, text.c_str(), bound.count(), bound.types(), bound.values(), bound.lengths(),
                          bound.formats(), 0) != 1) {
      throwStatementFailure(conn, nullptr, statement.sql, target_);
    }
  }
  if (PQpipelineSync(conn) != 1) throwStatementFailure(conn, nullptr, statements[from].sql, target_);

  // One answer per statement (each followed by a null), then the Sync's. The
  // first failure is kept; the statements after it come back as
  // PGRES_PIPELINE_ABORTED.
  std::optional<StatementFailure> failure;
  for (std::size_t i = from; i < to; ++i) {
    const Result result(PQgetResult(conn));
    const std::string_view sql = statements[i].kind == BatchStatement::Kind::Sql     ? statements[i].sql
                                 : statements[i].kind == BatchStatement::Kind::Begin ? std::string_view("BEGIN")
                                                                                     : std::string_view("COMMIT");
    if (!result) throwStatementFailure(conn, nullptr, sql, target_);
    while (PGresult* rest = PQgetResult(conn)) PQclear(rest);
    const ExecStatusType status = PQresultStatus(result.get());
    if (failure || status == PGRES_PIPELINE_ABORTED) continue;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      // COMMIT of a transaction in which a statement failed succeeds, but as a
      // rollback.
      if (statements[i].kind == BatchStatement::Kind::Commit &&
          std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
        failure.emplace(
            i, SqlError("COMMIT rolled the transaction back because a statement in it had failed", "COMMIT", "25P02"));
      }
      continue;
    }
    try {
      throwStatementFailure(conn, result.get(), sql, target_);
    } catch (const SqlError& e) {
      failure.emplace(i, e);
    }
  }
  const Result sync(PQgetResult(conn));
  if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) {
    throwStatementFailure(conn, sync.get(), statements[from].sql, target_);
  }
  if (failure) throw *failure;
}

}  // namespace jsorm::pg
