#include <jsorm/adapter.hpp>
#include <jsorm/error.hpp>

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN

// Anchors Connection's vtable and type_info in libjsorm_core, shared by every plugin.
Connection::~Connection() = default;
StatementFailure::~StatementFailure() = default;

void Connection::executeAll(const std::vector<BatchStatement>& statements) {
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const BatchStatement& statement = statements[i];
    try {
      switch (statement.kind) {
        case BatchStatement::Kind::Begin: begin(); break;
        case BatchStatement::Kind::Commit: commit(); break;
        case BatchStatement::Kind::Sql:
          if (statement.params) execute(statement.sql, *statement.params);
          else execute(statement.sql);
          break;
      }
    } catch (const SqlError& e) {
      throw StatementFailure(i, e);
    }
  }
}

SchemaSnapshot Connection::introspect() {
  throw Error(fmt::format("the {} adapter cannot read the live schema (Connection::introspect); db:check and "
                          "migrate:baseline need an adapter that can",
                          dialect().name()));
}

JSORM_NAMESPACE_END
