/* The least any libpq client does for migrate:status on PostgreSQL: connect, check that the
 * tracking table exists (the statement the PostgreSQL adapter sends, so a table of that name
 * in another schema on the search_path is not read), read the table, print every row. It is
 * status's lower bound beside `psql -c`, which sends the SELECT alone and builds nothing.
 *
 *   status_floor URL TABLE
 */
#include <libpq-fe.h>
#include <stdio.h>

static int failed(PGconn* conn, PGresult* result) {
  fprintf(stderr, "status_floor: %s", PQerrorMessage(conn));
  PQclear(result);
  PQfinish(conn);
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s URL TABLE\n", argv[0]);
    return 2;
  }
  PGconn* conn = PQconnectdb(argv[1]);
  if (PQstatus(conn) != CONNECTION_OK) return failed(conn, NULL);
  const char* table = argv[2];
  PGresult* check = PQexecParams(conn,
                                 "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                                 "c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1 AND "
                                 "c.relkind IN ('r', 'p')",
                                 1, NULL, &table, NULL, NULL, 0);
  if (PQresultStatus(check) != PGRES_TUPLES_OK) return failed(conn, check);
  const int exists = PQntuples(check) > 0;
  PQclear(check);
  if (exists) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT tracked.*, CAST(tracked.\"applied_at\" AS TEXT) FROM \"%s\" tracked ORDER BY tracked.\"id\"",
             table);
    PGresult* rows = PQexecParams(conn, sql, 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(rows) != PGRES_TUPLES_OK) return failed(conn, rows);
    const int columns = PQnfields(rows);
    for (int row = 0; row < PQntuples(rows); ++row) {
      for (int column = 0; column < columns; ++column) {
        fputs(PQgetvalue(rows, row, column), stdout);
        putchar(column + 1 < columns ? '\t' : '\n');
      }
    }
    PQclear(rows);
  }
  PQfinish(conn);
  return 0;
}
