#pragma once
// Connection strings carry passwords; everything that prints one goes through here.

#include <string>
#include <string_view>
#include <vector>

namespace jsorm::pg {

/// Whether `text` is a libpq URI (postgres:// or postgresql://) rather than key=value pairs.
bool isUrl(std::string_view text);

/// `text` with every password removed (URL user info, password= and sslpassword=
/// settings), safe to print: `postgres://user@host:5432/db`.
std::string redact(std::string_view text);

/// The passwords `text` carries, both as written and as libpq decodes them.
std::vector<std::string> secretsIn(std::string_view text);

/// `message` with every occurrence of each secret replaced by `***`.
std::string scrub(std::string message, std::vector<std::string> secrets);

}  // namespace jsorm::pg
