// Name rules shared by the validation checks: DNS labels (service names),
// Docker object names (group and network), and "did you mean" suggestions.
#ifndef DM_MODEL_NAMES_H
#define DM_MODEL_NAMES_H

#include <string>
#include <vector>

namespace dm::model {

// Is `name` a DNS label: 1-63 of [a-z0-9-], not starting or ending with '-'?
bool is_dns_label(const std::string& name);

// The DNS label closest to `name` (lower-cased, other characters turned into
// '-', runs of '-' collapsed, trimmed to 63); "" when nothing is left.
std::string suggest_dns_label(const std::string& name);

// Levenshtein distance between `a` and `b`.
size_t edit_distance(const std::string& a, const std::string& b);

// The name of `candidates` closest to `typed` when it is close enough to be a
// likely typo (at most 2 edits, and not most of the name); "" otherwise. Ties
// go to the earlier candidate.
std::string closest_name(const std::string& typed, const std::vector<std::string>& candidates);

// `names` sorted, without duplicates or empty names, joined by ", ".
std::string sorted_list(std::vector<std::string> names);

}  // namespace dm::model

#endif
