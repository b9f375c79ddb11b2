#pragma once
/// Reading a snapshot from a stream, without holding its text whole.

#include <jsorm/api.hpp>
#include <jsorm/snapshot.hpp>

#include <istream>
#include <string>

JSORM_NAMESPACE_BEGIN

/// parseSnapshot over `in` (a file opened in binary mode): the text is read as it is parsed,
/// so a snapshot of thousands of tables is not in memory twice. Errors are parseSnapshot's;
/// for a syntax error the stream is read again from the start to name the line and column,
/// so it must be seekable. `path` names it in messages.
JSORM_API SchemaSnapshot parseSnapshot(std::istream& in, const std::string& path);

JSORM_NAMESPACE_END
