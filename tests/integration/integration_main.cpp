// Runs the shared integration suite against the database named by --database.
#define CATCH_CONFIG_RUNNER
#include "test_database.hpp"

#include <catch2/catch.hpp>

int main(int argc, char* argv[]) {
  Catch::Session session;
  std::string database = "sqlite";
  using namespace Catch::clara;
  session.cli(session.cli() | Opt(database, "sqlite|pg|mysql")["--database"]("the adapter to run the suite against"));
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  if (database != "sqlite" && database != "pg" && database != "mysql") {
    std::fprintf(stderr, "--database must be sqlite, pg or mysql\n");
    return 2;
  }
  jsorm::test::setDatabaseKind(database);
  return session.run();
}
