// The error hierarchy: every jsorm error is a jsorm::Error and carries its details.
#include <jsorm/error.hpp>

#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>

using namespace jsorm;

TEST_CASE("every jsorm error derives from jsorm::Error and std::runtime_error") {
  STATIC_REQUIRE(std::is_base_of_v<std::runtime_error, Error>);
  STATIC_REQUIRE(std::is_base_of_v<Error, ConfigError>);
  STATIC_REQUIRE(std::is_base_of_v<Error, ModuleError>);
  STATIC_REQUIRE(std::is_base_of_v<Error, SchemaError>);
  STATIC_REQUIRE(std::is_base_of_v<Error, ConnectionError>);
  STATIC_REQUIRE(std::is_base_of_v<Error, SqlError>);
  STATIC_REQUIRE(std::is_base_of_v<Error, MigrationError>);
  STATIC_REQUIRE(std::is_base_of_v<Error, GuardError>);
}

TEST_CASE("a thrown SchemaError is caught as jsorm::Error with its message") {
  try {
    throw SchemaError("model 'users': field 'id' is defined twice");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "model 'users': field 'id' is defined twice");
    CHECK(dynamic_cast<const SchemaError*>(&e) != nullptr);
  }
}

TEST_CASE("SqlError keeps the database message, the statement, the SQLSTATE and the detail apart") {
  const SqlError error("relation \"users\" does not exist", "SELECT * FROM \"users\"", "42P01", "detail text");
  CHECK(std::string(error.what()) == "relation \"users\" does not exist");
  CHECK(error.databaseMessage() == "relation \"users\" does not exist");
  CHECK(error.statement() == "SELECT * FROM \"users\"");
  CHECK(error.sqlState() == "42P01");
  CHECK(error.detail() == "detail text");
  const SqlError bare("no such table: users", "SELECT 1");
  CHECK(bare.sqlState().empty());
  CHECK(bare.detail().empty());
}

TEST_CASE("MigrationError names its migration") {
  const MigrationError error("init", "migration 'init' failed");
  CHECK(error.migration() == "init");
  CHECK(std::string(error.what()) == "migration 'init' failed");
}
