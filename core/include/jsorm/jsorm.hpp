#pragma once
/// Everything a schema module needs: models, migrations, sources and exports.

#include <jsorm/builder.hpp>
#include <jsorm/database_handle.hpp>
#include <jsorm/error.hpp>
#include <jsorm/export.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/model.hpp>
#include <jsorm/source.hpp>
#include <jsorm/step.hpp>
#include <jsorm/version.hpp>
