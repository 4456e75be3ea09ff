// The validation rules, one function per field. Problems are collected in
// this order: group-level, each service in definition order, the graph
// (cycles), the exclusions.
#include "model/validate.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "common/text.h"
#include "model/graph.h"
#include "model/names.h"
#include "model/ports.h"
#include "model/signals.h"
#include "model/volumes.h"

namespace dm::model {

namespace {

using Problems = std::vector<std::string>;

// How messages name a service: "service 'app'", or "service #3" when it has
// no name.
std::string who(const ServiceDef& service, size_t index) {
  if (service.name.empty()) return "service #" + std::to_string(index + 1);
  return "service " + quoted(service.name);
}

// The defined names, sorted, without duplicates or empty ones, with what the
// checks ask of them. Every look-up is a binary search or a hash, so that no
// check walks every service once per service.
class Defined {
 public:
  explicit Defined(const GroupDef& group) {
    for (size_t i = 0; i < group.services.size(); ++i) {
      const std::string& name = group.services[i].name;
      if (name.empty()) continue;
      names_.push_back(name);
      auto [it, inserted] = uses_.emplace(name, Uses{i, 0});
      ++it->second.count;
    }
    std::sort(names_.begin(), names_.end());
    names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
  }

  bool has(const std::string& name) const {
    return std::binary_search(names_.begin(), names_.end(), name);
  }

  // The first service of that name and how many services have it.
  size_t first(const std::string& name) const { return uses_.at(name).first; }
  size_t count(const std::string& name) const { return uses_.at(name).count; }

  bool only(const std::string& name) const { return names_.size() == 1 && names_[0] == name; }

  // "a, b, c": the names but `except`, sorted; a long list ends with how many
  // more there are.
  std::string listed(const std::string& except = std::string()) const {
    std::vector<std::string> shown;
    size_t left = 0;
    for (const auto& name : names_) {
      if (name == except) continue;
      if (shown.size() == kListed) {
        left = names_.size() - shown.size() - (has(except) ? 1 : 0);
        break;
      }
      shown.push_back(name);
    }
    if (left > 0) shown.push_back("and " + std::to_string(left) + " more");
    return join(shown, ", ");
  }

  // " (did you mean 'appdb'?)" or "". Remembered per typed name, and only
  // worked out for the first few distinct ones: a generated spec with
  // thousands of wrong names must not cost thousands of passes over the
  // defined ones.
  std::string did_you_mean(const std::string& typed, const std::string& except = std::string()) {
    auto it = guesses_.find(typed);
    if (it == guesses_.end()) {
      if (guesses_.size() >= kGuessed) return "";
      it = guesses_.emplace(typed, closest_name(typed, names_)).first;
    }
    std::string guess = it->second;
    if (!except.empty() && guess == except) guess = closest_name(typed, names_, except);
    return guess.empty() ? "" : " (did you mean " + quoted(guess) + "?)";
  }

  const std::vector<std::string>& sorted() const { return names_; }

 private:
  static constexpr size_t kListed = 30;
  static constexpr size_t kGuessed = 64;

  struct Uses {
    size_t first;
    size_t count;
  };

  std::vector<std::string> names_;
  std::unordered_map<std::string, Uses> uses_;
  std::unordered_map<std::string, std::string> guesses_;
};

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

void check_name(const GroupDef& group, size_t index, const Defined& defined, Problems& problems) {
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

// Docker references are [domain/]path[:tag][@digest]; the path must be lower
// case, the domain and the tag need not be.
bool has_upper_case_path(const std::string& image) {
  std::string name = image.substr(0, image.find('@'));
  size_t last_slash = name.rfind('/');
  size_t colon = name.find(':', last_slash == std::string::npos ? 0 : last_slash);
  name = name.substr(0, colon);
  size_t first_slash = name.find('/');
  if (first_slash != std::string::npos) {
    std::string domain = name.substr(0, first_slash);
    if (domain.find_first_of(".:") != std::string::npos || domain == "localhost") {
      name = name.substr(first_slash + 1);
    }
  }
  return std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

void check_image(const ServiceDef& service, const std::string& who, Problems& problems) {
  const std::string& image = service.image;
  if (image.empty()) {
    problems.push_back(who + ": image is empty");
  } else if (std::any_of(image.begin(), image.end(),
                         [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    problems.push_back(who + ": image " + quoted(image) + " contains white space");
  } else if (has_upper_case_path(image)) {
    problems.push_back(who + ": image " + quoted(image) +
                       " must be lower-case (Docker image names are)");
  }
}

void check_dependencies(const ServiceDef& service, const std::string& who, Defined& defined,
                        Problems& problems) {
  std::unordered_set<std::string> seen;
  for (const auto& dependency : service.dependencies) {
    if (!seen.insert(dependency).second) continue;
    if (!service.name.empty() && dependency == service.name) {
      problems.push_back(who + " depends on itself");
    } else if (dependency.empty() || !defined.has(dependency)) {
      bool none = defined.sorted().empty() || defined.only(service.name);
      problems.push_back(who + " depends on " + quoted(dependency) +
                         ", which is not defined; " +
                         (none ? std::string("no other service is defined")
                               : "defined: " + defined.listed(service.name)) +
                         defined.did_you_mean(dependency, service.name));
    }
  }
}

// Host ports already published in the group ("8080/tcp"), and by whom.
using Published = std::map<std::string, std::string>;

void check_ports(const ServiceDef& service, const std::string& who, Published& published,
                 Problems& problems) {
  for (const auto& port : service.ports) {
    auto parsed = parse_container_port(port.container_port);
    if (!parsed) {
      problems.push_back(who + ": port " + quoted(port.container_port) +
                         " must be a number 1-65535 optionally followed by /tcp or /udp");
      continue;
    }
    const std::string canonical = canonical_port(port.container_port);
    if (!is_host_port(port.host_port)) {
      problems.push_back(who + ": host port " + std::to_string(port.host_port) + " for " +
                         quoted(canonical) + " is out of range (1-65535)");
      continue;
    }
    if (port.host_port == 0) continue;  // the engine picks a free one
    const std::string host = std::to_string(port.host_port) + "/" + parsed->protocol;
    auto [it, inserted] = published.emplace(host, service.name);
    if (inserted) continue;
    if (it->second == service.name) {
      problems.push_back("host port " + host + " is published twice by " + quoted(service.name));
    } else {
      problems.push_back("host port " + host + " is published by both " + quoted(it->second) +
                         " and " + quoted(service.name));
    }
  }
}

void check_env(const ServiceDef& service, const std::string& who, Problems& problems) {
  std::map<std::string, int> count;
  for (const auto& entry : service.env) ++count[entry.first];
  std::set<std::string> reported;
  for (const auto& [name, value] : service.env) {
    if (name.empty()) {
      if (reported.insert(name).second) problems.push_back(who + ": env name '' is empty");
    } else if (name.find('=') != std::string::npos) {
      if (reported.insert(name).second) {
        problems.push_back(who + ": env name " + quoted(name) + " contains '='");
      }
    } else if (count[name] > 1 && reported.insert(name).second) {
      problems.push_back(who + ": env name " + quoted(name) + " is set " +
                         std::to_string(count[name]) + " times");
    }
  }
}

void check_volumes(const ServiceDef& service, const std::string& who, Problems& problems) {
  std::map<std::string, std::string> targets;  // container path -> volume text
  for (const auto& volume : service.volumes) {
    std::string problem = volume_problem(volume);
    if (!problem.empty()) {
      problems.push_back(who + ": " + problem);
      continue;
    }
    VolumeSpec parts;
    split_volume(volume, &parts);
    const std::string target = resolve_path(parts.container, "/");
    auto [it, inserted] = targets.emplace(target, volume_text(volume));
    if (!inserted) {
      problems.push_back(who + ": volumes " + quoted(it->second) + " and " +
                         quoted(volume_text(volume)) + " both mount on " + quoted(target));
    }
  }
}

void check_stop_signal(const ServiceDef& service, const std::string& who, Problems& problems) {
  if (!canonical_signal(service.stop_signal).empty()) return;
  problems.push_back(who + ": stop_signal " + quoted(service.stop_signal) +
                     " is not supported; use one of " + join(supported_signals(), ", "));
}

void check_build(const ServiceDef& service, const std::string& who, Problems& problems) {
  if (!service.dockerfile.empty() && service.build_context.empty()) {
    problems.push_back(who + ": dockerfile " + quoted(service.dockerfile) +
                       " is set but build_from is not");
  }
}

void check_timeout(const ServiceDef& service, const std::string& who, Problems& problems) {
  if (std::isfinite(service.timeout)) return;
  std::string value = std::isnan(service.timeout) ? "nan" : service.timeout > 0 ? "inf" : "-inf";
  problems.push_back(who + ": timeout must be a finite number of seconds, not " + value);
}

void check_cycles(const GroupDef& group, Problems& problems) {
  for (const auto& cycle : Graph(group).find_cycles()) {
    if (cycle.size() <= 2) continue;  // "depends on itself", reported with the service
    problems.push_back("dependency cycle: " + join(cycle, " -> "));
  }
}

void check_exclusions(const GroupDef& group, const std::vector<std::string>& exclude,
                      Defined& defined, Problems& problems) {
  const std::unordered_set<std::string> excluded(exclude.begin(), exclude.end());
  std::unordered_set<std::string> seen;
  for (const auto& name : exclude) {
    if (!seen.insert(name).second) continue;
    if (!defined.has(name)) {
      problems.push_back("cannot exclude " + quoted(name) + ": no such service; defined: " +
                         defined.listed() + defined.did_you_mean(name));
    }
  }
  for (const auto& service : group.services) {
    if (service.name.empty() || excluded.count(service.name)) continue;
    std::unordered_set<std::string> reported;
    for (const auto& dependency : service.dependencies) {
      if (!excluded.count(dependency) || !defined.has(dependency) ||
          dependency == service.name || !reported.insert(dependency).second) {
        continue;
      }
      problems.push_back("service " + quoted(service.name) + " needs " + quoted(dependency) +
                         ", which is excluded; exclude " + quoted(service.name) + " too or keep " +
                         quoted(dependency));
    }
  }
}

}  // namespace

std::vector<std::string> validate(const GroupDef& group, const std::vector<std::string>& exclude) {
  Problems problems;
  check_group(group, problems);
  Defined defined(group);
  Published published;
  for (size_t i = 0; i < group.services.size(); ++i) {
    const ServiceDef& service = group.services[i];
    const std::string name = who(service, i);
    check_name(group, i, defined, problems);
    check_image(service, name, problems);
    check_dependencies(service, name, defined, problems);
    check_ports(service, name, published, problems);
    check_env(service, name, problems);
    check_volumes(service, name, problems);
    check_stop_signal(service, name, problems);
    check_build(service, name, problems);
    check_timeout(service, name, problems);
  }
  check_cycles(group, problems);
  check_exclusions(group, exclude, defined, problems);
  return problems;
}

void check(const GroupDef& group, const std::vector<std::string>& exclude) {
  Problems problems = validate(group, exclude);
  if (!problems.empty()) throw Error(Error::Code::Invalid, join(problems, "\n"));
}

}  // namespace dm::model
