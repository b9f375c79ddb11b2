#pragma once
/// Everything a schema module needs: models, migrations, sources and exports. A migration
/// with data steps also includes <jsorm/database_handle.hpp> (the Database they take): it
/// brings nlohmann/json, about a second of compile time per file, which the many files
/// without data steps should not pay.

#include <jsorm/builder.hpp>
#include <jsorm/error.hpp>
#include <jsorm/export.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/model.hpp>
#include <jsorm/source.hpp>
#include <jsorm/step.hpp>
#include <jsorm/version.hpp>
