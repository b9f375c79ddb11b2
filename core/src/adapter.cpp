#include <jsorm/adapter.hpp>
#include <jsorm/error.hpp>

#include <fmt/format.h>

JSORM_NAMESPACE_BEGIN

// Anchors Connection's vtable and type_info in libjsorm_core, shared by every plugin.
Connection::~Connection() = default;

SchemaSnapshot Connection::introspect() {
  throw Error(fmt::format("the {} adapter cannot read the live schema (Connection::introspect); db:check and "
                          "migrate:baseline need an adapter that can",
                          dialect().name()));
}

JSORM_NAMESPACE_END
