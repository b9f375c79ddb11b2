#pragma once
/// Connection strings carry passwords: the one place that finds and hides them, used by
/// the runtime, the adapters and the CLI alike.

#include <jsorm/api.hpp>

#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// `text` (a URL `scheme://user:password@host/...`, libpq key=value settings, or a bare
/// name) with every password removed, safe to print: `postgres://user@host:5432/db`.
/// A URL whose user info holds an unencoded '@' or '/' is redacted up to its last '@';
/// key=value text that cannot be parsed is hidden from the first setting that fails.
JSORM_API std::string redactConnection(std::string_view text);

/// Every password `text` carries, as written and percent-decoded, under every reading a
/// client library might make of it, so that its messages can be scrubbed too.
JSORM_API std::vector<std::string> secretsIn(std::string_view text);

/// `message` with every occurrence of each secret replaced by `***`, longest first.
JSORM_API std::string scrubSecrets(std::string message, std::vector<std::string> secrets);

/// Why `text` is not a URL a client library reads the way a person means it, or empty:
/// an unencoded '@', '/', '?' or '#' in the user name or password.
JSORM_API std::string ambiguousUserInfo(std::string_view text);

/// Where key=value settings stop parsing (an entry without '=', an unterminated quote), or
/// empty when every entry parses. Never quotes the text, which may hold a password.
JSORM_API std::string conninfoProblem(std::string_view text);

/// `text` with each %XX replaced by the byte it encodes, as URLs spell user info.
JSORM_API std::string percentDecoded(std::string_view text);

JSORM_NAMESPACE_END
