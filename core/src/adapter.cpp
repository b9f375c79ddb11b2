#include <jsorm/adapter.hpp>

JSORM_NAMESPACE_BEGIN

// Anchors Connection's vtable and type_info in libjsorm_core, shared by every plugin.
Connection::~Connection() = default;

JSORM_NAMESPACE_END
