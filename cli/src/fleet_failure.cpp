#include "fleet_failure.hpp"

#include "cli.hpp"
#include "exit_codes.hpp"

#include <jsorm/error.hpp>

#include <fmt/format.h>

namespace jsorm::cli {

TargetFailure describeFailure(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const UsageError& e) {
    return {kUsageError, e.what()};
  } catch (const ConfigError& e) {
    return {kConfigError, e.what()};
  } catch (const ModuleError& e) {
    return {kModuleError, e.what()};
  } catch (const SchemaError& e) {
    return {kSchemaError, e.what()};
  } catch (const ConnectionError& e) {
    return {kConnectionError, e.what()};
  } catch (const MigrationError& e) {
    return {kMigrationFailed, e.what()};
  } catch (const SqlError& e) {
    return {kMigrationFailed, fmt::format("{} -- statement: {}", e.what(), e.statement())};
  } catch (const GuardError& e) {
    return {kGuardRefused, e.what()};
  } catch (const std::exception& e) {
    return {kInternalError, fmt::format("unexpected failure: {}", e.what())};
  } catch (...) {
    return {kInternalError, "unexpected failure: an exception that is not a std::exception; please report it"};
  }
}

}  // namespace jsorm::cli
