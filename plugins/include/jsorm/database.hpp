#pragma once
/// Using models without migrations: `jsorm::connect` loads an adapter plugin and returns a
/// Database handle (database_handle.hpp) on its connection.

#include <jsorm/api.hpp>
#include <jsorm/database_handle.hpp>
#include <jsorm/runtime_options.hpp>
#include <jsorm/source.hpp>

#include <string>

JSORM_NAMESPACE_BEGIN
/// Loads the adapter plugin a descriptor names and connects: `connect(pgAdapter({...}))`.
JSORM_API Database connect(const AdapterDescriptor& adapter, const RuntimeOptions& options = {});
/// Connects by URL alone: `connect("sqlite:app.db")`, `connect("postgres://...")`.
JSORM_API Database connect(const std::string& url, const RuntimeOptions& options = {});

JSORM_NAMESPACE_END
