#pragma once
// The roles-and-users models, shared by the schema module (schema.cpp) and by programs that
// read and write the migrated database (examples/query/roles_users_app.cpp).
#include <jsorm/model.hpp>

inline const jsorm::Model Role = jsorm::defineModel("roles", {
    {"id", jsorm::t.number().primary()},
    {"name", jsorm::t.string().unique()},
});
inline const jsorm::Model User = jsorm::defineModel("users", {
    {"id", jsorm::t.number().primary()},
    {"name", jsorm::t.string()},
    {"email", jsorm::t.string().optional()},
    {"active", jsorm::t.boolean().defaultTo(true).index()},
    {"role", jsorm::t.belongsTo(Role)},  // column role_id, FK -> roles(id)
});
