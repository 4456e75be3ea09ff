// The field table. Each field's check, its place in the create request and
// its 0.1 digest sit together under its name; the table at the end lists
// them in order. The checks' messages are part of the interface: tests spell
// them out.
#include "model/fields.h"

#include <arpa/inet.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_set>

#include "common/error.h"
#include "common/text.h"
#include "model/build.h"
#include "model/names.h"
#include "model/ports.h"
#include "model/signals.h"
#include "model/sizes.h"
#include "model/volumes.h"
#include "model/watch.h"

namespace dm::model {

namespace {

using Strings = std::vector<std::string>;

// ---- image ----

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

void check_image(FieldCheck& f) {
  const std::string& image = f.service.image;
  if (image.empty() && f.alone) return;  // the binding may set it at start
  if (image.empty()) {
    f.problems.push_back(f.who + ": image is empty");
  } else if (std::any_of(image.begin(), image.end(),
                         [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    f.problems.push_back(f.who + ": image " + quoted(image) + " contains white space");
  } else if (has_upper_case_path(image)) {
    f.problems.push_back(f.who + ": image " + quoted(image) +
                         " must be lower-case (Docker image names are)");
  }
}

void write_image(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  r.config.set("Image", s.image);
}

void digest_image(const GroupDef&, const ServiceDef& s, Digest& d) { d.add(s.image); }

void sample_image(GroupDef&, ServiceDef& s) { s.image = "redis:7"; }

// ---- dependencies ----

void check_dependencies(FieldCheck& f) {
  if (f.alone) return;  // the other services are not known yet
  const ServiceDef& service = f.service;
  std::unordered_set<std::string> seen;
  for (const auto& dependency : service.dependencies) {
    if (!seen.insert(dependency).second) continue;
    if (!service.name.empty() && dependency == service.name) {
      f.problems.push_back(f.who + " depends on itself");
    } else if (dependency.empty() || !f.defined.has(dependency)) {
      bool none = f.defined.sorted().empty() || f.defined.only(service.name);
      f.problems.push_back(f.who + " depends on " + quoted(dependency) +
                           ", which is not defined; " +
                           (none ? std::string("no other service is defined")
                                 : "defined: " + f.defined.listed(service.name)) +
                           f.defined.did_you_mean(dependency, service.name));
    }
  }
}

// Another service to depend on.
void sample_dependencies(GroupDef& g, ServiceDef& s) {
  g.services.push_back(s);
  g.services.back().name = "other";
  s.dependencies = {"other"};
}

// ---- env ----

void check_env(FieldCheck& f) {
  std::map<std::string, int> count;
  for (const auto& entry : f.service.env) ++count[entry.first];
  std::set<std::string> reported;
  for (const auto& [name, value] : f.service.env) {
    if (name.empty()) {
      if (reported.insert(name).second) f.problems.push_back(f.who + ": env name '' is empty");
    } else if (name.find('=') != std::string::npos) {
      if (reported.insert(name).second) {
        f.problems.push_back(f.who + ": env name " + quoted(name) + " contains '='");
      }
    } else if (count[name] > 1 && reported.insert(name).second) {
      f.problems.push_back(f.who + ": env name " + quoted(name) + " is set " +
                           std::to_string(count[name]) + " times");
    }
  }
}

// "NAME=value", in the order given.
Strings env_entries(const ServiceDef& service) {
  Strings entries;
  for (const auto& [name, value] : service.env) entries.push_back(name + "=" + value);
  return entries;
}

void write_env(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.env.empty()) r.config.set("Env", env_entries(s));
}

void digest_env(const GroupDef&, const ServiceDef& s, Digest& d) { d.add_list(env_entries(s)); }

void sample_env(GroupDef&, ServiceDef& s) { s.env = {{"A", "1"}}; }

// ---- ports ----

// Records host port `port` of `ip` ("" every address) for `service`, and
// reports it when another service, or this one, already has it there.
void publish(FieldCheck& f, const std::string& ip, int port, const std::string& protocol) {
  const std::string number = std::to_string(port) + "/" + protocol;
  const std::string host = ip.empty() ? number : ip + ":" + number;
  std::string other;
  for (const auto& [key, owner] : f.published) {
    size_t colon = key.rfind(':');
    std::string key_ip = colon == std::string::npos ? "" : key.substr(0, colon);
    std::string key_number = colon == std::string::npos ? key : key.substr(colon + 1);
    if (key_number == number && (key_ip.empty() || ip.empty() || key_ip == ip)) {
      other = owner;
      break;
    }
  }
  if (other.empty()) {
    f.published.emplace(host, f.service.name);
  } else if (other == f.service.name) {
    f.problems.push_back("host port " + host + " is published twice by " + quoted(other));
  } else {
    f.problems.push_back("host port " + host + " is published by both " + quoted(other) + " and " +
                         quoted(f.service.name));
  }
}

void check_ports(FieldCheck& f) {
  const ServiceDef& service = f.service;
  for (const auto& port : service.ports) {
    auto parts = port_parts(port);
    if (!parts && !port.text.empty()) {
      f.problems.push_back(f.who + ": ports " + quoted(port.text) +
                           " does not parse; write [[ip:]host:]container[/tcp|/udp], a port "
                           "or a range like 8000-8002 each (e.g. \"127.0.0.1:5433:5432\", "
                           "\"53:53/udp\", \"8000-8002:8000-8002\", or \"5432\" for a free "
                           "host port), or the long form "
                           "published=HOST,target=CONTAINER[,protocol=udp][,mode=host|ingress]");
      continue;
    }
    if (!parts) {
      f.problems.push_back(f.who + ": port " + quoted(port.container_port) +
                           " must be a number 1-65535 optionally followed by /tcp or /udp");
      continue;
    }
    if (port.text.empty() && !is_host_port(port.host_port)) {
      f.problems.push_back(f.who + ": host port " + std::to_string(port.host_port) + " for " +
                           quoted(canonical_port(port.container_port)) +
                           " is out of range (1-65535)");
      continue;
    }
    if (parts->host_first == 0) continue;  // the engine picks a free one
    // One container port on a host range: the engine picks one in it.
    if (parts->container_first == parts->container_last && parts->host_first != parts->host_last)
      continue;
    for (int host = parts->host_first; host <= parts->host_last; host++)
      publish(f, parts->host_ip, host, parts->protocol);
  }
}

// Each container port exposed, and bound to its host port on the port's
// host address, every one by default ("" lets the engine pick a free port).
void write_ports(const GroupDef&, const ServiceDef& service, CreateRequest& request) {
  if (service.ports.empty()) return;
  Json exposed = Json::object();
  std::map<std::string, Json> bindings;  // one list per container port
  for (const PortSpec& port : service.ports) {
    PortParts parts = *port_parts(port);
    bool one_container = parts.container_first == parts.container_last;
    for (int k = 0; k <= parts.container_last - parts.container_first; k++) {
      std::string key = std::to_string(parts.container_first + k) + "/" + parts.protocol;
      exposed.set(key.c_str(), Json::object());
      std::string host;
      if (parts.host_first > 0 && one_container && parts.host_last != parts.host_first)
        host = std::to_string(parts.host_first) + "-" + std::to_string(parts.host_last);
      else if (parts.host_first > 0)
        host = std::to_string(parts.host_first + k);
      Json binding = Json::object();
      binding.set("HostIp", parts.host_ip);
      binding.set("HostPort", host);
      auto it = bindings.find(key);
      if (it == bindings.end()) it = bindings.emplace(key, Json::array()).first;
      it->second.push(std::move(binding));
    }
  }
  request.config.set("ExposedPorts", std::move(exposed));
  Json port_bindings = Json::object();
  for (auto& [key, list] : bindings) port_bindings.set(key.c_str(), std::move(list));
  request.host.set("PortBindings", std::move(port_bindings));
}

// 0.1's digest of the ports given as container port -> host port; then,
// newer, each port given as a Compose string, by its parts.
void digest_ports(const GroupDef&, const ServiceDef& service, Digest& d) {
  std::vector<const PortSpec*> pairs;
  std::vector<const PortSpec*> texts;
  for (const auto& port : service.ports) (port.text.empty() ? pairs : texts).push_back(&port);
  d.add(std::to_string(pairs.size()));
  for (const PortSpec* port : pairs) {
    d.add(canonical_port(port->container_port));
    d.add("");  // the host address, always every one
    d.add(std::to_string(port->host_port));
  }
  for (const PortSpec* port : texts) {
    PortParts parts = *port_parts(*port);
    std::vector<std::string> digest{"compose",
                                    parts.host_ip,
                                    std::to_string(parts.host_first),
                                    std::to_string(parts.host_last),
                                    std::to_string(parts.container_first),
                                    std::to_string(parts.container_last),
                                    parts.protocol};
    // Only when said, so that a port written before modes existed keeps its hash.
    if (!parts.mode.empty()) digest.push_back("mode=" + parts.mode);
    d.add_list(digest);
  }
}

void sample_ports(GroupDef&, ServiceDef& s) { s.ports = {{"80", 8080}}; }

// ---- volumes ----

void check_volumes(FieldCheck& f) {
  std::map<std::string, std::string> targets;  // container path -> volume text
  for (const auto& volume : f.service.volumes) {
    std::string problem = volume_problem(volume);
    if (!problem.empty()) {
      f.problems.push_back(f.who + ": " + problem);
      continue;
    }
    VolumeSpec parts;
    split_volume(volume, &parts);
    const std::string target = resolve_path(parts.container, "/");
    auto [it, inserted] = targets.emplace(target, volume_text(volume));
    if (!inserted) {
      f.problems.push_back(f.who + ": volumes " + quoted(it->second) + " and " +
                           quoted(volume_text(volume)) + " both mount on " + quoted(target));
    }
  }
}

// Binds take both host paths and volume names: "source:target[:ro]".
void write_volumes(const GroupDef& group, const ServiceDef& service, CreateRequest& request) {
  Strings binds;
  for (const Volume& v : resolve_volumes(service, group.directory))
    binds.push_back(v.source + ":" + v.target + (v.read_only ? ":ro" : ""));
  if (!binds.empty()) request.host.set("Binds", binds);
}

void digest_volumes(const GroupDef& group, const ServiceDef& service, Digest& d) {
  std::vector<Volume> volumes = resolve_volumes(service, group.directory);
  d.add(std::to_string(volumes.size()));
  for (const Volume& v : volumes) {
    d.add(v.source);
    d.add(v.target);
    d.add(v.read_only ? "ro" : "rw");
  }
}

void sample_volumes(GroupDef&, ServiceDef& s) { s.volumes = {{"./data:/data", "", "", ""}}; }

// ---- entrypoint, cmd: unset keeps the image's; set to nothing clears it ----

void digest_argv(const char* name, const std::optional<Strings>& argv, Digest& d) {
  d.add(argv ? name : "-");
  if (argv) d.add_list(*argv);
}

void write_entrypoint(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.entrypoint) r.config.set("Entrypoint", *s.entrypoint);
}

void digest_entrypoint(const GroupDef&, const ServiceDef& s, Digest& d) {
  digest_argv("entrypoint", s.entrypoint, d);
}

void sample_entrypoint(GroupDef&, ServiceDef& s) { s.entrypoint = Strings{"/bin/sh", "-c"}; }

void write_cmd(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.cmd) r.config.set("Cmd", *s.cmd);
}

void digest_cmd(const GroupDef&, const ServiceDef& s, Digest& d) { digest_argv("cmd", s.cmd, d); }

void sample_cmd(GroupDef&, ServiceDef& s) { s.cmd = Strings{"sleep", "1000"}; }

// ---- user ----

void write_user(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.user.empty()) r.config.set("User", s.user);
}

void digest_user(const GroupDef&, const ServiceDef& s, Digest& d) { d.add(s.user); }

void sample_user(GroupDef&, ServiceDef& s) { s.user = "1000:1000"; }

// ---- stop_signal ----

void check_stop_signal(FieldCheck& f) {
  if (!canonical_signal(f.service.stop_signal).empty()) return;
  f.problems.push_back(f.who + ": stop_signal " + quoted(f.service.stop_signal) +
                       " is not supported; use one of " + join(supported_signals(), ", "));
}

// Always written, SIGTERM by default, as 0.1 did.
void write_stop_signal(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  r.config.set("StopSignal", canonical_signal(s.stop_signal));
}

void digest_stop_signal(const GroupDef&, const ServiceDef& s, Digest& d) {
  d.add(canonical_signal(s.stop_signal));
}

void sample_stop_signal(GroupDef&, ServiceDef& s) { s.stop_signal = "SIGKILL"; }

// ---- network: the group's network, the service's name as its alias there ----

void write_network(const GroupDef& group, const ServiceDef& service, CreateRequest& request) {
  if (group.network.empty()) return;
  // Only this network: not also the default bridge.
  request.host.set("NetworkMode", group.network);
  Json endpoint = Json::object();
  if (request.use == Use::Service) endpoint.set("Aliases", Strings{service.name});
  Json endpoints = Json::object();
  endpoints.set(group.network.c_str(), std::move(endpoint));
  request.networking.set("EndpointsConfig", std::move(endpoints));
}

void digest_network(const GroupDef& g, const ServiceDef& s, Digest& d) {
  d.add(g.network);
  d.add_list({s.name});
}

void sample_network(GroupDef& g, ServiceDef&) { g.network = "another-network"; }

// ---- tty: newer than 0.1; no setter yet ----

// A container with a terminal: its logs are raw, not framed.
void write_tty(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.tty) r.config.set("Tty", true);
}

void sample_tty(GroupDef&, ServiceDef& s) { s.tty = true; }

// ---- healthcheck: newer than 0.1 ----

// The test as messages show it: ["CMD", "pg_isready"].
std::string test_text(const Strings& test) {
  Strings items;
  for (const auto& item : test) items.push_back("\"" + item + "\"");
  return "[" + join(items, ", ") + "]";
}

// What is wrong with the form of a test; "" when nothing is. An empty test
// keeps the image's.
std::string test_problem(const Strings& test) {
  if (test.empty()) return "";
  const std::string& kind = test.front();
  if (kind == "NONE") {
    if (test.size() == 1) return "";
    return "turns the check off with \"NONE\", which takes nothing after it; write [\"NONE\"] "
           "alone";
  }
  if (kind == "CMD") {
    if (test.size() > 1 && !test[1].empty()) return "";
    return "names no program after \"CMD\"; write [\"CMD\", \"program\", \"argument\", ...]";
  }
  if (kind == "CMD-SHELL") {
    if (test.size() == 2 && !test[1].empty()) return "";
    return "must be \"CMD-SHELL\" and one shell command; write [\"CMD-SHELL\", \"command && "
           "other\"] (or the command as a plain string)";
  }
  return "must start with \"CMD\" (a program and its arguments), \"CMD-SHELL\" (a shell "
         "command) or \"NONE\" (no check); write [\"CMD\", " +
         (kind.empty() ? std::string("\"program\"") : "\"" + kind + "\"") +
         ", ...] to run it as a program";
}

// Zero leaves the duration to the image or the engine; the engine takes
// nothing below a millisecond.
constexpr double kShortestHealthSeconds = 0.001;
constexpr double kLongestHealthSeconds = 1e9;  // nanoseconds in an int64, with room

void check_health_seconds(FieldCheck& f, const char* name, double seconds) {
  if (seconds == 0 || (seconds >= kShortestHealthSeconds && seconds <= kLongestHealthSeconds))
    return;
  f.problems.push_back(f.who + ": healthcheck " + name + " " + seconds_text(seconds) +
                       " s is not a duration the engine takes; use a number of seconds from " +
                       seconds_text(kShortestHealthSeconds) + " to " +
                       seconds_text(kLongestHealthSeconds) +
                       " (or leave it unset for the image's or the engine's default)");
}

bool has_settings(const Healthcheck& h) {
  return h.interval != 0 || h.timeout != 0 || h.retries != 0 || h.start_period != 0;
}

void check_healthcheck(FieldCheck& f) {
  if (!f.service.healthcheck) return;
  const Healthcheck& h = *f.service.healthcheck;
  std::string problem = test_problem(h.test);
  if (!problem.empty())
    f.problems.push_back(f.who + ": healthcheck test " + test_text(h.test) + " " + problem);
  else if (h.test.size() == 1 && h.test.front() == "NONE" && has_settings(h))
    f.problems.push_back(f.who +
                         ": healthcheck test [\"NONE\"] turns the health check off, so its "
                         "interval, timeout, retries and start_period have nothing to time; drop "
                         "them, or give a test");
  check_health_seconds(f, "interval", h.interval);
  check_health_seconds(f, "timeout", h.timeout);
  check_health_seconds(f, "start_period", h.start_period);
  if (h.retries < 0)
    f.problems.push_back(f.who + ": healthcheck retries " + std::to_string(h.retries) +
                         " must be at least 1 (or leave it unset for the image's or the "
                         "engine's default, 3)");
}

int64_t nanoseconds(double seconds) { return std::llround(seconds * 1e9); }

// Config.Healthcheck with only what was set: the engine takes the rest from
// the image, then from its defaults.
void write_healthcheck(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.healthcheck) return;
  const Healthcheck& h = *s.healthcheck;
  Json check = Json::object();
  if (!h.test.empty()) check.set("Test", h.test);
  if (h.interval > 0) check.set("Interval", nanoseconds(h.interval));
  if (h.timeout > 0) check.set("Timeout", nanoseconds(h.timeout));
  if (h.retries > 0) check.set("Retries", h.retries);
  if (h.start_period > 0) check.set("StartPeriod", nanoseconds(h.start_period));
  if (!h.test.empty() || has_settings(h)) r.config.set("Healthcheck", std::move(check));
}

void sample_healthcheck(GroupDef&, ServiceDef& s) {
  s.healthcheck = Healthcheck{{"CMD-SHELL", "test -f /ready"}, 0.5, 2, 3, 1};
}

// ---- hostname ----

void write_hostname(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.hostname.empty()) r.config.set("Hostname", s.hostname);
}

void sample_hostname(GroupDef&, ServiceDef& s) { s.hostname = "box"; }

// ---- working_dir ----

void check_working_dir(FieldCheck& f) {
  const std::string& dir = f.service.working_dir;
  if (dir.empty() || dir.front() == '/') return;
  f.problems.push_back(f.who + ": working_dir " + quoted(dir) +
                       " must be an absolute path in the container, e.g. \"/app\"");
}

void write_working_dir(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.working_dir.empty()) r.config.set("WorkingDir", s.working_dir);
}

void sample_working_dir(GroupDef&, ServiceDef& s) { s.working_dir = "/srv"; }

// ---- aliases: more names on the group's network, after the service's own ----

// A host name: DNS labels joined by '.'.
bool is_dns_name(const std::string& name) {
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    if (!is_dns_label(name.substr(start, dot - start))) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

void check_aliases(FieldCheck& f) {
  std::set<std::string> seen;
  for (const auto& alias : f.service.aliases) {
    if (!is_dns_name(alias)) {
      f.problems.push_back(f.who + ": alias " + quoted(alias) +
                           " is not a DNS name; use lower-case letters, digits and '-', in "
                           "labels joined by '.', e.g. \"db.local\"");
    } else if (alias == f.service.name || !seen.insert(alias).second) {
      f.problems.push_back(f.who + ": alias " + quoted(alias) + " is given twice" +
                           (alias == f.service.name ? " (it is the service's name)" : ""));
    } else if (f.defined.has(alias)) {
      f.problems.push_back(f.who + ": alias " + quoted(alias) +
                           " is the name of another service of the group; choose another");
    }
  }
}

// The network's endpoint again, its Aliases list now the name and the aliases.
void write_aliases(const GroupDef& group, const ServiceDef& service, CreateRequest& request) {
  if (group.network.empty() || service.aliases.empty()) return;
  Strings names{service.name};
  names.insert(names.end(), service.aliases.begin(), service.aliases.end());
  Json endpoint = Json::object();
  endpoint.set("Aliases", names);
  Json endpoints = Json::object();
  endpoints.set(group.network.c_str(), std::move(endpoint));
  Json networking = Json::object();
  networking.set("EndpointsConfig", std::move(endpoints));
  request.networking.merge(networking.view());
}

void sample_aliases(GroupDef&, ServiceDef& s) { s.aliases = {"db.local"}; }

// ---- labels: the user's, beside drillmaster's own (kLabelPrefix) ----

// Problems of name -> value pairs: an empty or repeated name.
void check_pairs(FieldCheck& f, const char* field,
                 const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::set<std::string> seen;
  for (const auto& pair : pairs) {
    if (pair.first.empty())
      f.problems.push_back(f.who + ": " + field + " name '' is empty");
    else if (!seen.insert(pair.first).second)
      f.problems.push_back(f.who + ": " + field + " name " + quoted(pair.first) + " is set twice");
  }
}

void check_labels(FieldCheck& f) {
  check_pairs(f, "labels", f.service.labels);
  for (const auto& [name, value] : f.service.labels) {
    if (name.compare(0, std::string(kLabelPrefix).size(), kLabelPrefix) == 0)
      f.problems.push_back(f.who + ": label " + quoted(name) + " is reserved: labels starting " +
                           quoted(kLabelPrefix) +
                           " are drillmaster's own (how it finds its containers); choose "
                           "another name");
  }
}

// Merged: the build's label (build_args) goes there too.
void write_labels(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.labels.empty()) return;
  Json labels = Json::object();
  labels.set("Labels", std::map<std::string, std::string>(s.labels.begin(), s.labels.end()));
  r.config.merge(labels.view());
}

void sample_labels(GroupDef&, ServiceDef& s) { s.labels = {{"com.example.team", "data"}}; }

// ---- build_args, build_target: the image's build (model/build.h) ----

void check_build_args(FieldCheck& f) {
  check_pairs(f, "build_args", f.service.build_args);
  if (f.service.build_context.empty() &&
      (!f.service.build_args.empty() || !f.service.build_target.empty()))
    f.problems.push_back(f.who + ": " +
                         (f.service.build_args.empty() ? "build_target" : "build_args") +
                         " is set but build_from is not; give the directory to build from");
}

// The container carries the build's identity (model/build.h), so a change
// of the build changes its definition.
void write_build(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  std::string build = build_hash(s);
  if (build.empty()) return;
  Json labels = Json::object();
  labels.set("Labels", std::map<std::string, std::string>{{kBuildLabel, build}});
  r.config.merge(labels.view());
}

void sample_build_args(GroupDef&, ServiceDef& s) {
  s.build_context = "app";
  s.build_args = {{"VERSION", "1.2"}};
}

void sample_build_target(GroupDef&, ServiceDef& s) {
  s.build_context = "app";
  s.build_target = "dev";
}

// ---- env_file: read when an operation starts, its values under env's ----

void check_env_file(FieldCheck& f) {
  for (const auto& path : f.service.env_files)
    if (path.empty()) f.problems.push_back(f.who + ": env_file '' is empty; name a file");
}

void sample_env_file(GroupDef&, ServiceDef& s) { s.env_files = {"app.env"}; }

// ---- secrets: files mounted read-only at /run/secrets/NAME ----

void check_secrets(FieldCheck& f) {
  std::set<std::string> seen;
  for (const auto& [name, path] : f.service.secrets) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos)
      f.problems.push_back(f.who + ": secret name " + quoted(name) +
                           " must be a file name (not empty, no '/')");
    else if (!seen.insert(name).second)
      f.problems.push_back(f.who + ": secret " + quoted(name) + " is given twice");
    if (path.empty())
      f.problems.push_back(f.who + ": secret " + quoted(name) + " names no file ('')");
  }
}

void write_secrets(const GroupDef& group, const ServiceDef& s, CreateRequest& r) {
  if (s.secrets.empty()) return;
  Json mounts = Json::array();
  for (const auto& [name, path] : s.secrets) {
    Json mount = Json::object();
    mount.set("Type", "bind");
    mount.set("Source", resolve_path(path, group.directory));
    mount.set("Target", std::string(kSecretsDirectory) + "/" + name);
    mount.set("ReadOnly", true);
    mounts.push(std::move(mount));
  }
  r.host.set("Mounts", std::move(mounts));
}

void sample_secrets(GroupDef&, ServiceDef& s) { s.secrets = {{"db_password", "db.txt"}}; }

// ---- create_options: the rest of the create request, merged last ----

// Merged into the request's three parts, objects key by key: the keys
// the check allows are none that another field writes.
void write_create_options(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.create_options.empty()) return;
  std::optional<Json> options = parse_create_options(s.create_options);
  if (!options) return;  // validate() reports it
  Json config = Json::object();
  for (const JsonView& item : options->view().items()) {
    if (item.key() == "HostConfig")
      r.host.merge(item);
    else if (item.key() == "NetworkingConfig")
      r.networking.merge(item);
    else
      config.set(item.key().c_str(), Json::copy(item));
  }
  r.config.merge(config.view());
}

void check_create_options(FieldCheck& f);  // after the table, which it reads

void sample_create_options(GroupDef&, ServiceDef& s) {
  s.create_options = R"({"HostConfig": {"OomScoreAdj": 100}, "Domainname": "example.org"})";
}

// ---- restart ----

// The engine's RestartPolicy: its name and the most restarts (0: no limit);
// nullopt for what is not a policy. "" and "no" are Name "no".
std::optional<std::pair<std::string, int64_t>> restart_policy(const std::string& restart) {
  if (restart.empty() || restart == "no" || restart == "always" || restart == "unless-stopped" ||
      restart == "on-failure")
    return std::make_pair(restart.empty() ? std::string("no") : restart, int64_t{0});
  const std::string prefix = "on-failure:";
  if (restart.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  std::string count = restart.substr(prefix.size());
  if (count.empty() || count.size() > 9 ||
      !std::all_of(count.begin(), count.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::make_pair(std::string("on-failure"), static_cast<int64_t>(std::stol(count)));
}

void check_restart(FieldCheck& f) {
  if (restart_policy(f.service.restart)) return;
  f.problems.push_back(f.who + ": restart " + quoted(f.service.restart) +
                       " is not a restart policy; use one of 'no', 'always', 'unless-stopped', "
                       "'on-failure' or 'on-failure:N' (at most N restarts)");
}

// Nothing for "no": the engine's default.
void write_restart(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  auto policy = restart_policy(s.restart);
  if (!policy || policy->first == "no") return;
  Json restart = Json::object();
  restart.set("Name", policy->first);
  restart.set("MaximumRetryCount", policy->second);
  r.host.set("RestartPolicy", std::move(restart));
}

void sample_restart(GroupDef&, ServiceDef& s) { s.restart = "on-failure:3"; }

// ---- tmpfs: "/path" or "/path:options" ----

void check_tmpfs(FieldCheck& f) {
  std::set<std::string> paths;
  for (const auto& mount : f.service.tmpfs) {
    std::string path = mount.substr(0, mount.find(':'));
    if (path.empty() || path[0] != '/') {
      f.problems.push_back(f.who + ": tmpfs " + quoted(mount) +
                           " must start with an absolute path in the container, such as '/tmp' "
                           "(optionally followed by ':' and mount options: '/tmp:size=64m')");
    } else if (!paths.insert(path).second) {
      f.problems.push_back(f.who + ": tmpfs " + quoted(path) + " is mounted twice");
    }
  }
}

void write_tmpfs(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.tmpfs.empty()) return;
  Json tmpfs = Json::object();
  for (const auto& mount : s.tmpfs) {
    size_t colon = mount.find(':');
    tmpfs.set(mount.substr(0, colon).c_str(),
              colon == std::string::npos ? std::string() : mount.substr(colon + 1));
  }
  r.host.set("Tmpfs", std::move(tmpfs));
}

void sample_tmpfs(GroupDef&, ServiceDef& s) { s.tmpfs = {"/run", "/tmp:size=64m"}; }

// ---- read_only, init, privileged: off unless set ----

void write_read_only(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.read_only) r.host.set("ReadonlyRootfs", true);
}

void sample_read_only(GroupDef&, ServiceDef& s) { s.read_only = true; }

void write_init(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.init) r.host.set("Init", true);
}

void sample_init(GroupDef&, ServiceDef& s) { s.init = true; }

void write_privileged(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.privileged) r.host.set("Privileged", true);
}

void sample_privileged(GroupDef&, ServiceDef& s) { s.privileged = true; }

// ---- cap_add, cap_drop ----

// "NET_ADMIN", "CAP_NET_ADMIN" or "ALL", as the engine takes them.
bool is_capability(const std::string& name) {
  std::string bare = name.compare(0, 4, "CAP_") == 0 ? name.substr(4) : name;
  return !bare.empty() && bare.front() != '_' && std::all_of(bare.begin(), bare.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || c == '_';
  });
}

void check_capabilities(FieldCheck& f, const char* field, const Strings& names) {
  for (const auto& name : names) {
    if (is_capability(name)) continue;
    f.problems.push_back(f.who + ": " + field + " " + quoted(name) +
                         " is not a capability name; write it in upper case, such as "
                         "'NET_ADMIN' or 'CAP_NET_ADMIN' (or 'ALL' for every one)");
  }
}

void check_cap_add(FieldCheck& f) { check_capabilities(f, "cap_add", f.service.cap_add); }

void write_cap_add(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.cap_add.empty()) r.host.set("CapAdd", s.cap_add);
}

void sample_cap_add(GroupDef&, ServiceDef& s) { s.cap_add = {"NET_ADMIN"}; }

void check_cap_drop(FieldCheck& f) { check_capabilities(f, "cap_drop", f.service.cap_drop); }

void write_cap_drop(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.cap_drop.empty()) r.host.set("CapDrop", s.cap_drop);
}

void sample_cap_drop(GroupDef&, ServiceDef& s) { s.cap_drop = {"CAP_CHOWN"}; }

// ---- shm_size, mem_limit: Compose's byte values ----

void check_bytes(FieldCheck& f, const char* field, const std::string& value) {
  if (value.empty() || parse_bytes(value)) return;
  f.problems.push_back(f.who + ": " + field + " " + quoted(value) + " is not a size; use " +
                       kBytesForm);
}

void write_bytes(const char* member, const std::string& value, Json& host) {
  if (auto bytes = value.empty() ? std::nullopt : parse_bytes(value)) host.set(member, *bytes);
}

void check_shm_size(FieldCheck& f) { check_bytes(f, "shm_size", f.service.shm_size); }

void write_shm_size(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  write_bytes("ShmSize", s.shm_size, r.host);
}

void sample_shm_size(GroupDef&, ServiceDef& s) { s.shm_size = "128m"; }

void check_mem_limit(FieldCheck& f) { check_bytes(f, "mem_limit", f.service.mem_limit); }

void write_mem_limit(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  write_bytes("Memory", s.mem_limit, r.host);
}

void sample_mem_limit(GroupDef&, ServiceDef& s) { s.mem_limit = "1.5g"; }

// ---- cpus ----

constexpr double kMostCpus = 1e6;  // NanoCpus in an int64, with room

void check_cpus(FieldCheck& f) {
  if (!f.service.cpus) return;
  double cpus = *f.service.cpus;
  if (cpus > 0 && cpus <= kMostCpus) return;
  f.problems.push_back(f.who + ": cpus " + seconds_text(cpus) +
                       " is not a number of CPUs; use a number above 0, such as 0.5 or 2 (or "
                       "leave it unset for no limit)");
}

void write_cpus(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.cpus) r.host.set("NanoCpus", static_cast<int64_t>(std::llround(*s.cpus * 1e9)));
}

void sample_cpus(GroupDef&, ServiceDef& s) { s.cpus = 0.5; }

// ---- ulimits ----

const Strings& ulimit_names() {
  static const Strings names = {"core",    "cpu",      "data",   "fsize",      "locks",
                                "memlock", "msgqueue", "nice",   "nofile",     "nproc",
                                "rss",     "rtprio",   "rttime", "sigpending", "stack"};
  return names;
}

void check_ulimits(FieldCheck& f) {
  for (const Ulimit& u : f.service.ulimits) {
    const Strings& names = ulimit_names();
    std::string what = f.who + ": ulimit " + quoted(u.name);
    if (std::find(names.begin(), names.end(), u.name) == names.end()) {
      f.problems.push_back(what + " is not a ulimit; use one of " + join(names, ", "));
    } else if (u.soft < -1 || u.hard < -1) {
      f.problems.push_back(what + " must be 0 or more (or -1 for unlimited), not soft " +
                           std::to_string(u.soft) + ", hard " + std::to_string(u.hard));
    } else if (u.hard != -1 && (u.soft == -1 || u.soft > u.hard)) {
      f.problems.push_back(what + " has a soft limit " + std::to_string(u.soft) +
                           " above its hard limit " + std::to_string(u.hard) +
                           "; the soft limit must be at most the hard one");
    }
  }
}

void write_ulimits(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.ulimits.empty()) return;
  Json ulimits = Json::array();
  for (const Ulimit& u : s.ulimits) {
    Json ulimit = Json::object();
    ulimit.set("Name", u.name);
    ulimit.set("Soft", u.soft);
    ulimit.set("Hard", u.hard);
    ulimits.push(std::move(ulimit));
  }
  r.host.set("Ulimits", std::move(ulimits));
}

void sample_ulimits(GroupDef&, ServiceDef& s) { s.ulimits = {{"nofile", 1024, 2048}}; }

// ---- extra_hosts: host -> IP address or "host-gateway" ----

bool is_ip_address(const std::string& text) {
  unsigned char address[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, text.c_str(), address) == 1 ||
         inet_pton(AF_INET6, text.c_str(), address) == 1;
}

void check_extra_hosts(FieldCheck& f) {
  for (const auto& [host, ip] : f.service.extra_hosts) {
    if (host.empty() || host.find_first_of(": \t\n") != std::string::npos) {
      f.problems.push_back(f.who + ": extra_hosts name " + quoted(host) +
                           " is not a host name; use one such as 'db.local'");
    } else if (ip != "host-gateway" && !is_ip_address(ip)) {
      f.problems.push_back(f.who + ": extra_hosts address " + quoted(ip) + " for " + quoted(host) +
                           " is not an IP address; use one such as '10.0.0.5' or '::1', or "
                           "'host-gateway' for the host");
    }
  }
}

void write_extra_hosts(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  Strings hosts;
  for (const auto& [host, ip] : s.extra_hosts) hosts.push_back(host + ":" + ip);
  if (!hosts.empty()) r.host.set("ExtraHosts", hosts);
}

void sample_extra_hosts(GroupDef&, ServiceDef& s) { s.extra_hosts = {{"db.local", "10.0.0.5"}}; }

// ---- stop_grace_period ----

constexpr double kLongestGraceSeconds = 86400;  // a day

void check_stop_grace_period(FieldCheck& f) {
  if (!f.service.stop_grace_period) return;
  double seconds = *f.service.stop_grace_period;
  if (seconds >= 0 && seconds <= kLongestGraceSeconds) return;
  f.problems.push_back(f.who + ": stop_grace_period " + seconds_text(seconds) +
                       " s is not a grace period; use a number of seconds from 0 to " +
                       seconds_text(kLongestGraceSeconds) +
                       " (or leave it unset for the operation's)");
}

// The engine's own stop timeout too, so that a stop by hand gives it as long.
void write_stop_grace_period(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.stop_grace_period)
    r.config.set("StopTimeout", static_cast<int64_t>(std::ceil(*s.stop_grace_period)));
}

void sample_stop_grace_period(GroupDef&, ServiceDef& s) { s.stop_grace_period = 90; }

// ---- replicas ----

constexpr int kMostReplicas = 1000;

void check_replicas(FieldCheck& f) {
  int replicas = f.service.replicas;
  if (replicas >= 1 && replicas <= kMostReplicas) return;
  f.problems.push_back(f.who + ": replicas " + std::to_string(replicas) +
                       " is not a number of copies to run; use a whole number from 1 to " +
                       std::to_string(kMostReplicas) +
                       " (1, the default, runs one; stop the group to run none)");
}

// A swarm service's, not a container's: the deploy part (fields.h), so that
// a change of the count updates the swarm service; nothing at 1.
void write_replicas(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.replicas != 1) r.deploy.set("Replicas", static_cast<int64_t>(s.replicas));
}

void sample_replicas(GroupDef&, ServiceDef& s) { s.replicas = 3; }

// ---- always_start_new ----

void sample_always_start_new(GroupDef&, ServiceDef& s) { s.always_start_new = true; }

// ---- build_from, dockerfile ----

void check_build(FieldCheck& f) {
  if (!f.service.dockerfile.empty() && f.service.build_context.empty()) {
    f.problems.push_back(f.who + ": dockerfile " + quoted(f.service.dockerfile) +
                         " is set but build_from is not");
  }
}

void sample_build(GroupDef&, ServiceDef& s) {
  s.build_context = "app";
  s.dockerfile = "Dockerfile.dev";
}

// ---- timeout ----

void check_timeout(FieldCheck& f) {
  double timeout = f.service.timeout;
  if (std::isfinite(timeout)) return;
  std::string value = std::isnan(timeout) ? "nan" : timeout > 0 ? "inf" : "-inf";
  f.problems.push_back(f.who + ": timeout must be a finite number of seconds, not " + value);
}

void sample_timeout(GroupDef&, ServiceDef& s) { s.timeout = 5; }

// ---- oneshot ----

// Ready means exited with 0: a ping has nothing to ask of a container that
// is meant to stop.
void check_oneshot(FieldCheck& f) {
  if (!f.service.oneshot) return;
  // A restart policy would keep a job from ever completing.
  if (!f.service.restart.empty() && f.service.restart != "no")
    f.problems.push_back(f.who + ": restart " + quoted(f.service.restart) +
                         " cannot be used with oneshot; a job runs once (use restart 'no', or "
                         "leave it unset)");
  if (f.service.hooks.ping)
    f.problems.push_back(f.who +
                         ": a oneshot service takes no ping: it is ready when its container "
                         "exits with 0; remove the ping, or check the job's work in "
                         "post_start_init");
}

// The engine never restarts a job; written so that the field enters the
// definition hash (turning it on or off makes a new container).
void write_oneshot(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.oneshot) return;
  Json policy = Json::object();
  policy.set("Name", "no");
  r.host.set("RestartPolicy", std::move(policy));
}

void sample_oneshot(GroupDef&, ServiceDef& s) { s.oneshot = true; }

// ---- profiles ----

// Compose's rule for a profile's name.
bool valid_profile(const std::string& name) {
  if (name.empty() || !std::isalnum(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

void check_profiles(FieldCheck& f) {
  for (const std::string& profile : f.service.profiles)
    if (!valid_profile(profile))
      f.problems.push_back(f.who + ": profile " + quoted(profile) +
                           " is not a valid profile name; use letters, digits, '_', '.' and "
                           "'-', starting with a letter or a digit");
}

void sample_profiles(GroupDef&, ServiceDef& s) { s.profiles = {"debug"}; }

// ---- watch: what a changed file does to the running service (model/watch.h) ----

// "service 'app': watch 'site'": how the messages of a rule start.
std::string watch_who(const FieldCheck& f, const WatchRule& rule) {
  return f.who + ": watch " + quoted(rule.path);
}

void check_watch_action(FieldCheck& f, const WatchRule& rule) {
  const std::string who = watch_who(f, rule);
  if (rule.action == static_cast<int>(WatchAction::Rebuild)) {
    if (!rule.target.empty())
      f.problems.push_back(who + " (rebuild) takes no target, got " + quoted(rule.target) +
                           "; remove it, or use action sync to copy the files there");
    if (f.service.build_context.empty())
      f.problems.push_back(who +
                           " (rebuild) needs a build context, and the service has none; set "
                           "build_from, or use action sync");
    return;
  }
  if (rule.target.empty())
    f.problems.push_back(who + " (" + watch_action_name(rule.action) +
                         ") has no target; give the absolute path in the container to copy "
                         "it to (e.g. '/app')");
  else if (rule.target[0] != '/')
    f.problems.push_back(who + " target " + quoted(rule.target) +
                         " is not absolute; give the absolute path in the container (e.g. " +
                         quoted("/" + rule.target) + ")");
  if (f.service.read_only)
    f.problems.push_back(who + " (" + watch_action_name(rule.action) +
                         ") cannot copy into a read_only service: the engine refuses to copy "
                         "into a read-only container; use action rebuild, or drop read_only");
}

void check_watch_ignore(FieldCheck& f, const WatchRule& rule) {
  for (const std::string& pattern : rule.ignore) {
    if (pattern.find_first_not_of(" \t\r\n") == std::string::npos)
      f.problems.push_back(watch_who(f, rule) + " ignore pattern " + quoted(pattern) +
                           " is empty; remove it, or write a .dockerignore pattern like '*.log'");
  }
  try {
    DockerIgnore(rule.ignore, "watch " + quoted(rule.path) + " ignore");
  } catch (const Error& e) {
    f.problems.push_back(f.who + ": " + e.what());
  }
}

void check_watch(FieldCheck& f) {
  for (const WatchRule& rule : f.service.watch) {
    const std::string who = watch_who(f, rule);
    if (rule.path.empty()) {
      f.problems.push_back(f.who + ": watch path '' is empty; name a directory or a file");
      continue;
    }
    if (rule.action < static_cast<int>(WatchAction::Sync) ||
        rule.action > static_cast<int>(WatchAction::Rebuild)) {
      f.problems.push_back(who + " action " + std::to_string(rule.action) +
                           " is unknown; use sync (1), sync+restart (2) or rebuild (3)");
    } else {
      check_watch_action(f, rule);
    }
    check_watch_ignore(f, rule);
    if (f.alone) continue;  // files are the group's: relative to its directory
    std::string path = resolve_path(rule.path, f.group.directory);
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      f.problems.push_back(who + " path " + quoted(path) +
                           " does not exist; create it, or give a path relative to the "
                           "group's directory " +
                           quoted(f.group.directory));
  }
}

void sample_watch(GroupDef&, ServiceDef& s) {
  s.watch = {{"/", static_cast<int>(WatchAction::Sync), "/srv", {"*.log"}}};
}

}  // namespace

std::optional<Json> parse_create_options(const std::string& text) {
  try {
    Json parsed = Json::parse(text);
    if (parsed.view().is_object()) return parsed;
  } catch (const Error&) {
  }
  return std::nullopt;
}

const std::vector<Field>& fields() {
  static const std::vector<Field> table = {
      // name, check, write, digest_01, sample
      {"image", check_image, write_image, digest_image, sample_image},
      {"dependencies", check_dependencies, nullptr, nullptr, sample_dependencies},
      {"env", check_env, write_env, digest_env, sample_env},
      {"ports", check_ports, write_ports, digest_ports, sample_ports},
      {"volumes", check_volumes, write_volumes, digest_volumes, sample_volumes},
      {"entrypoint", nullptr, write_entrypoint, digest_entrypoint, sample_entrypoint},
      {"cmd", nullptr, write_cmd, digest_cmd, sample_cmd},
      {"user", nullptr, write_user, digest_user, sample_user},
      {"stop_signal", check_stop_signal, write_stop_signal, digest_stop_signal, sample_stop_signal},
      {"network", nullptr, write_network, digest_network, sample_network},
      // Newer than 0.1: no digest_01, hashed only when set.
      {"tty", nullptr, write_tty, nullptr, sample_tty},
      {"healthcheck", check_healthcheck, write_healthcheck, nullptr, sample_healthcheck},
      {"restart", check_restart, write_restart, nullptr, sample_restart},
      {"tmpfs", check_tmpfs, write_tmpfs, nullptr, sample_tmpfs},
      {"read_only", nullptr, write_read_only, nullptr, sample_read_only},
      {"init", nullptr, write_init, nullptr, sample_init},
      {"privileged", nullptr, write_privileged, nullptr, sample_privileged},
      {"cap_add", check_cap_add, write_cap_add, nullptr, sample_cap_add},
      {"cap_drop", check_cap_drop, write_cap_drop, nullptr, sample_cap_drop},
      {"shm_size", check_shm_size, write_shm_size, nullptr, sample_shm_size},
      {"mem_limit", check_mem_limit, write_mem_limit, nullptr, sample_mem_limit},
      {"cpus", check_cpus, write_cpus, nullptr, sample_cpus},
      {"ulimits", check_ulimits, write_ulimits, nullptr, sample_ulimits},
      {"extra_hosts", check_extra_hosts, write_extra_hosts, nullptr, sample_extra_hosts},
      {"stop_grace_period", check_stop_grace_period, write_stop_grace_period, nullptr,
       sample_stop_grace_period},
      {"oneshot", check_oneshot, write_oneshot, nullptr, sample_oneshot},
      {"hostname", nullptr, write_hostname, nullptr, sample_hostname},
      {"working_dir", check_working_dir, write_working_dir, nullptr, sample_working_dir},
      {"aliases", check_aliases, write_aliases, nullptr, sample_aliases},
      {"labels", check_labels, write_labels, nullptr, sample_labels},
      {"secrets", check_secrets, write_secrets, nullptr, sample_secrets},
      // Part of the image's build (model/build.h), and so of the container's.
      {"build_args", check_build_args, write_build, nullptr, sample_build_args},
      {"build_target", nullptr, write_build, nullptr, sample_build_target},
      {"create_options", check_create_options, write_create_options, nullptr,
       sample_create_options},
      // How many copies: a swarm service's (fields.h's CreateRequest::deploy).
      {"replicas", check_replicas, write_replicas, nullptr, sample_replicas},
      // How drillmaster runs the service, not what the container is: not written, not hashed.
      {"always_start_new", nullptr, nullptr, nullptr, sample_always_start_new},
      {"build_from", check_build, nullptr, nullptr, sample_build},
      {"timeout", check_timeout, nullptr, nullptr, sample_timeout},
      {"profiles", check_profiles, nullptr, nullptr, sample_profiles},
      // Read at start into env (orchestrator/service_files.h).
      {"env_file", check_env_file, nullptr, nullptr, sample_env_file},
      // What a changed file does to the running service: no part of the
      // container (a change of a rule recreates nothing).
      {"watch", check_watch, nullptr, nullptr, sample_watch},
  };
  return table;
}

namespace {

// Where in the create request each typed field writes: its members of
// Config ("Env"), HostConfig ("HostConfig.Binds") and NetworkingConfig
// ("NetworkingConfig.EndpointsConfig") -> the field's name. Found by
// writing every other field's sample, so a new field is known here at once.
std::map<std::string, std::string> typed_members() {
  std::map<std::string, std::string> out;
  for (const Field& field : fields()) {
    if (!field.write || field.write == write_create_options) continue;
    GroupDef group;
    group.network = "network";
    ServiceDef service;
    service.name = "service";
    field.sample(group, service);
    CreateRequest written;
    field.write(group, service, written);
    for (const JsonView& item : written.config.view().items()) out.emplace(item.key(), field.name);
    for (const JsonView& item : written.host.view().items())
      out.emplace("HostConfig." + item.key(), field.name);
    for (const JsonView& item : written.networking.view().items())
      out.emplace("NetworkingConfig." + item.key(), field.name);
  }
  return out;
}

// The members create_options sets, named as typed_members() names them.
Strings option_members(const JsonView& options) {
  Strings out;
  for (const JsonView& item : options.items()) {
    bool part = item.key() == "HostConfig" || item.key() == "NetworkingConfig";
    if (part && item.is_object()) {
      for (const JsonView& member : item.items()) out.push_back(item.key() + "." + member.key());
    } else {
      out.push_back(item.key());
    }
  }
  return out;
}

// What drillmaster itself decides in every create request, whatever the fields say.
const std::map<std::string, std::string>& managed_members() {
  static const std::map<std::string, std::string> managed = {
      {"Labels", "drillmaster's labels (" + std::string(kLabelPrefix) +
                     "*) are there; give your own in labels"},
      {"NetworkingConfig", "the group's network is drillmaster's; use aliases for more names"},
      {"HostConfig.NetworkMode", "the group's network is drillmaster's"},
      {"name", "the container's name is drillmaster's (<group>-<service>-1)"},
      {"Name", "the container's name is drillmaster's (<group>-<service>-1)"},
  };
  return managed;
}

void check_create_options(FieldCheck& f) {
  const std::string& text = f.service.create_options;
  if (text.empty()) return;
  std::optional<Json> options = parse_create_options(text);
  if (!options) {
    f.problems.push_back(f.who + ": create_options " + quoted(text) +
                         " is not a JSON object; give the members of the engine's create "
                         "request, e.g. {\"HostConfig\": {\"OomScoreAdj\": 100}}");
    return;
  }
  JsonView host = options->view()["HostConfig"];
  if (host.valid() && !host.is_object())
    f.problems.push_back(f.who +
                         ": create_options key 'HostConfig' must be a JSON object of its "
                         "members, as the engine takes it");
  static const std::map<std::string, std::string> typed = typed_members();
  for (const std::string& member : option_members(options->view())) {
    std::string top = member.substr(0, member.find('.'));
    auto field = typed.find(member);
    auto managed = managed_members().find(member);
    if (managed == managed_members().end()) managed = managed_members().find(top);
    if (managed != managed_members().end())
      f.problems.push_back(f.who + ": create_options key " + quoted(member) +
                           " is managed by drillmaster: " + managed->second);
    else if (field != typed.end())
      f.problems.push_back(f.who + ": create_options key " + quoted(member) +
                           " is set by the field " + field->second + "; use " + field->second +
                           " instead");
  }
}

}  // namespace

}  // namespace dm::model
