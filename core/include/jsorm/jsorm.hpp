#pragma once
/// Everything a schema module needs: models, migrations, sources and exports, and the
/// Database that data steps (`t.data`) take. That one brings nlohmann/json, about a second
/// of compile time per file; a file that wants to skip it can include the headers below
/// it needs instead.

#include <jsorm/builder.hpp>
#include <jsorm/database_handle.hpp>
#include <jsorm/error.hpp>
#include <jsorm/export.hpp>
#include <jsorm/migration.hpp>
#include <jsorm/model.hpp>
#include <jsorm/source.hpp>
#include <jsorm/step.hpp>
#include <jsorm/version.hpp>
