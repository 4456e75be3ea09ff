// Name rules shared by the validation checks: DNS labels (service names),
// Docker object names (group and network), and "did you mean" suggestions.
#ifndef DM_MODEL_NAMES_H
#define DM_MODEL_NAMES_H

#include <cstddef>
#include <string>
#include <vector>

namespace dm::model {

// The longest group name: 63, as for a service name (a DNS label), keeps the
// container names, the network name and the lock file's name made from it
// well inside their own limits. The C header says it as DM_GROUP_NAME_MAX
// (src/capi checks they agree).
constexpr size_t kMaxGroupName = 63;

// What is wrong with `name` as the name of a Docker object, as a sentence
// about `what` ("group name 'a b' is not a valid Docker name: use ..."); ""
// when nothing is.
std::string docker_name_problem(const std::string& what, const std::string& name);

// What is wrong with `name` as a group's name: a Docker name of at most
// kMaxGroupName characters. "" when nothing is.
std::string group_name_problem(const std::string& name);

// Is `name` a valid Docker object name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)?
bool is_docker_name(const std::string& name);

// Is `name` a DNS label: 1-63 of [a-z0-9-], not starting or ending with '-'?
bool is_dns_label(const std::string& name);

// The DNS label closest to `name` (lower-cased, other characters turned into
// '-', runs of '-' collapsed, trimmed to 63); "" when nothing is left.
std::string suggest_dns_label(const std::string& name);

// Levenshtein distance between `a` and `b`.
size_t edit_distance(const std::string& a, const std::string& b);

// The name of `candidates` closest to `typed` when it is close enough to be a
// likely typo (at most 2 edits, and not most of the name); "" otherwise. Ties
// go to the earlier candidate. Candidates equal to `skip` are not considered.
std::string closest_name(const std::string& typed, const std::vector<std::string>& candidates,
                         const std::string& skip = std::string());

// `names` sorted, without duplicates or empty names, joined by ", ".
std::string sorted_list(std::vector<std::string> names);

}  // namespace dm::model

#endif
