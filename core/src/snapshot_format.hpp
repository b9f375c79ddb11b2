#pragma once
// What the snapshot file's reader and writer share: the format version.

#include <jsorm/api.hpp>

JSORM_NAMESPACE_BEGIN
namespace detail {

/// The snapshot file format: {"version": 1, "tables": {"<name>": {"columns": [...], ...}}}.
/// Object keys are sorted and default attributes left out, so a change shows as a small diff.
inline constexpr int kSnapshotFormatVersion = 1;

}  // namespace detail
JSORM_NAMESPACE_END
