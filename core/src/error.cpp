#include <jsorm/error.hpp>

JSORM_NAMESPACE_BEGIN

// Out-of-line destructors anchor each type's vtable and type_info in libjsorm_core, so an
// exception thrown inside a plugin is caught by base type in the host.
Error::~Error() = default;
ConfigError::~ConfigError() = default;
ModuleError::~ModuleError() = default;
SchemaError::~SchemaError() = default;
ConnectionError::~ConnectionError() = default;
GuardError::~GuardError() = default;
QueryError::~QueryError() = default;

SqlError::SqlError(std::string message, std::string statement, std::string sqlState, std::string detail)
    : Error(message),
      databaseMessage_(std::move(message)),
      statement_(std::move(statement)),
      sqlState_(std::move(sqlState)),
      detail_(std::move(detail)) {}
SqlError::~SqlError() = default;

MigrationError::MigrationError(std::string migration, std::string message)
    : Error(std::move(message)), migration_(std::move(migration)) {}
MigrationError::~MigrationError() = default;

JSORM_NAMESPACE_END
