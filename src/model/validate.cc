// The validation rules. Problems are collected in this order: group-level,
// each service in definition order (its name, then its fields in the order
// of the field table, whose entries hold their checks), the graph (cycles),
// the exclusions.
#include "model/validate.h"

#include <map>
#include <unordered_set>

#include "common/error.h"
#include "common/text.h"
#include "model/defined_names.h"
#include "model/fields.h"
#include "model/graph.h"
#include "model/names.h"

namespace dm::model {

namespace {

using Problems = std::vector<std::string>;

// How messages name a service: "service 'app'", or "service #3" when it has
// no name.
std::string who(const ServiceDef& service, size_t index) {
  if (service.name.empty()) return "service #" + std::to_string(index + 1);
  return "service " + quoted(service.name);
}

void check_group(const GroupDef& group, Problems& problems) {
  std::string problem = group_name_problem(group.name);
  if (!problem.empty()) problems.push_back(problem);
  if (!group.network.empty()) {
    problem = docker_name_problem("network name", group.network);
    if (!problem.empty()) problems.push_back(problem);
  }
  if (!group.directory.empty() && group.directory.front() != '/') {
    problems.push_back("group directory " + quoted(group.directory) +
                       " must be an absolute path (relative paths resolve against it)");
  }
}

void check_name(const GroupDef& group, size_t index, const DefinedNames& defined,
                Problems& problems) {
  const std::string& name = group.services[index].name;
  if (name.empty()) {
    problems.push_back("service #" + std::to_string(index + 1) + " has no name");
    return;
  }
  if (!is_dns_label(name)) {
    std::string message = "service " + quoted(name) +
                          ": name must be a DNS label (lower-case letters, digits and '-', at most "
                          "63 characters, not starting or ending with '-')";
    std::string suggestion = suggest_dns_label(name);
    if (!suggestion.empty()) message += "; try " + quoted(suggestion);
    problems.push_back(message);
  }
  size_t count = defined.count(name);
  if (count > 1 && defined.first(name) == index) {
    problems.push_back("service " + quoted(name) + " is defined " + std::to_string(count) +
                       " times; service names must be unique");
  }
}

void check_cycles(const GroupDef& group, Problems& problems) {
  for (const auto& cycle : Graph(group).find_cycles()) {
    if (cycle.size() <= 2) continue;  // "depends on itself", reported with the service
    problems.push_back("dependency cycle: " + join(cycle, " -> "));
  }
}

// What excluding a service means, which decides what may be excluded.
enum class Exclusion {
  LeftOut,      // start: not started, so nothing that starts may need it
  KeptRunning,  // stop: left running, so its dependants may stop without it
};

void check_exclusions(const GroupDef& group, const std::vector<std::string>& exclude,
                      Exclusion meaning, DefinedNames& defined, Problems& problems) {
  const std::unordered_set<std::string> excluded(exclude.begin(), exclude.end());
  std::unordered_set<std::string> seen;
  for (const auto& name : exclude) {
    if (!seen.insert(name).second) continue;
    if (!defined.has(name)) {
      problems.push_back("cannot exclude " + quoted(name) + ": no such service; defined: " +
                         defined.listed() + defined.did_you_mean(name));
    }
  }
  if (meaning == Exclusion::KeptRunning) return;
  for (const auto& service : group.services) {
    if (service.name.empty() || excluded.count(service.name)) continue;
    std::unordered_set<std::string> reported;
    for (const auto& dependency : service.dependencies) {
      if (!excluded.count(dependency) || !defined.has(dependency) || dependency == service.name ||
          !reported.insert(dependency).second) {
        continue;
      }
      problems.push_back("service " + quoted(service.name) + " needs " + quoted(dependency) +
                         ", which is excluded; exclude " + quoted(service.name) + " too or keep " +
                         quoted(dependency));
    }
  }
}

Problems validate_excluding(const GroupDef& group, const std::vector<std::string>& exclude,
                            Exclusion meaning) {
  Problems problems;
  check_group(group, problems);
  DefinedNames defined(group);
  std::map<std::string, std::string> published;
  for (size_t i = 0; i < group.services.size(); ++i) {
    const ServiceDef& service = group.services[i];
    const std::string name = who(service, i);
    check_name(group, i, defined, problems);
    FieldCheck check{group, service, name, defined, published, problems};
    for (const Field& field : fields())
      if (field.check) field.check(check);
  }
  check_cycles(group, problems);
  check_exclusions(group, exclude, meaning, defined, problems);
  return problems;
}

void throw_problems(const Problems& problems) {
  if (!problems.empty()) throw Error(Error::Code::Invalid, join(problems, "\n"));
}

}  // namespace

std::vector<std::string> validate(const GroupDef& group, const std::vector<std::string>& exclude) {
  return validate_excluding(group, exclude, Exclusion::LeftOut);
}

std::vector<std::string> validate_stop(const GroupDef& group,
                                       const std::vector<std::string>& exclude) {
  return validate_excluding(group, exclude, Exclusion::KeptRunning);
}

std::vector<std::string> validate_alone(const ServiceDef& service) {
  GroupDef group;
  group.name = "check";
  group.directory = "/";
  group.services.push_back(service);
  Problems problems;
  DefinedNames defined(group);
  std::map<std::string, std::string> published;
  const std::string name = who(service, 0);
  FieldCheck check{group, group.services[0], name, defined, published, problems, true};
  for (const Field& field : fields())
    if (field.check) field.check(check);
  return problems;
}

void check(const GroupDef& group, const std::vector<std::string>& exclude) {
  throw_problems(validate(group, exclude));
}

void check_stop(const GroupDef& group, const std::vector<std::string>& exclude) {
  throw_problems(validate_stop(group, exclude));
}

}  // namespace dm::model
