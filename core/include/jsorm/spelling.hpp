#pragma once
/// "Did you mean …?": the names closest to a misspelled one, for error messages.

#include <jsorm/api.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

JSORM_NAMESPACE_BEGIN

/// Levenshtein distance, ignoring ASCII case: a typo is usually one or two edits away.
JSORM_API std::size_t editDistance(std::string_view a, std::string_view b);

/// Up to `limit` of `candidates` closest to `wanted`, nearest first (ties in the
/// candidates' order), keeping only those near enough to be a plausible typo: at most two
/// edits, or a third of the candidate's length.
JSORM_API std::vector<std::string> nearestNames(std::string_view wanted, const std::vector<std::string>& candidates,
                                                std::size_t limit = 3);

JSORM_NAMESPACE_END
