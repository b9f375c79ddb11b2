#pragma once
// Resolved definitions as snapshot entries: the one conversion that snapshotOf(models) and
// the migration replay share.

#include <jsorm/snapshot.hpp>
#include <jsorm/step.hpp>

JSORM_NAMESPACE_BEGIN
namespace detail {

ColumnSnapshot columnOf(const ColumnDef& column);
/// The table with its indexes sorted by name.
TableSnapshot tableOf(const TableDef& table);

}  // namespace detail
JSORM_NAMESPACE_END
