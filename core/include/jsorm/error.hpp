#pragma once
/// The error hierarchy: every failure jsorm reports is one of these.

#include <jsorm/api.hpp>

#include <stdexcept>
#include <string>

JSORM_NAMESPACE_BEGIN

/// Root of every error jsorm throws.
class JSORM_API Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~Error() override;
};

/// Bad command line, config file or unset environment variable.
class JSORM_API ConfigError : public Error {
 public:
  using Error::Error;
  ~ConfigError() override;
};

/// A schema module or adapter plugin that cannot be loaded, lacks a symbol or has another ABI.
class JSORM_API ModuleError : public Error {
 public:
  using Error::Error;
  ~ModuleError() override;
};

/// A mistake in the models or migrations a schema module defines.
class JSORM_API SchemaError : public Error {
 public:
  using Error::Error;
  ~SchemaError() override;
};

/// The database cannot be reached, or no adapter plugin serves it.
class JSORM_API ConnectionError : public Error {
 public:
  using Error::Error;
  ~ConnectionError() override;
};

/// A statement the database rejected.
class JSORM_API SqlError : public Error {
 public:
  SqlError(std::string message, std::string statement, std::string sqlState = {}, std::string detail = {});
  ~SqlError() override;

  /// The database's own message, without the statement.
  const std::string& databaseMessage() const noexcept { return databaseMessage_; }
  const std::string& statement() const noexcept { return statement_; }
  /// SQLSTATE where the database reports one (PostgreSQL), else a native code name.
  const std::string& sqlState() const noexcept { return sqlState_; }
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::string databaseMessage_;
  std::string statement_;
  std::string sqlState_;
  std::string detail_;
};

/// A migration that failed, or that cannot run (irreversible, missing, changed).
class JSORM_API MigrationError : public Error {
 public:
  MigrationError(std::string migration, std::string message);
  ~MigrationError() override;

  const std::string& migration() const noexcept { return migration_; }

 private:
  std::string migration_;
};

/// A query that does not fit its model (unknown field, wrong value type, malformed
/// operator), or a row read with the wrong accessor. Raised before anything is sent.
class JSORM_API QueryError : public Error {
 public:
  using Error::Error;
  ~QueryError() override;
};

/// A destructive command refused in production without --force.
class JSORM_API GuardError : public Error {
 public:
  using Error::Error;
  ~GuardError() override;
};

JSORM_NAMESPACE_END
