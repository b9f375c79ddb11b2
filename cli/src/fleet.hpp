#pragma once
// `migrate` and `migrate:status` over many targets (docs/fleets.md): --targets FILE or
// --all-sources, with --parallel, --canary, --continue-on-error and --shard.

#include "cli.hpp"

namespace jsorm::cli {

/// True when the command line names a fleet (--targets or --all-sources). Throws
/// UsageError for fleet options given without one, or for options a fleet cannot take.
bool isFleet(const Invocation& invocation);

/// migrate over the fleet; prints a line per target (or progress) and a summary, or with
/// --json one report. Exit code: docs/fleets.md, "Exit codes".
int runMigrateFleet(Invocation& invocation);

/// migrate:status over the fleet; exit 10 when a target is not current.
int runStatusFleet(Invocation& invocation);

}  // namespace jsorm::cli
